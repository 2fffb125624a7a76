// The engine conformance program: a representative slice of the test suite that runs inside
// restricted engines (no Promise, no queueMicrotask, no host timers), after the genloop bundle
// has defined the global `genloop`. It is a plain script compiled to ES2015 or ES5 like the
// bundle it runs with (see scripts/engines.mjs), so it avoids what those engines lack: no
// closures over a loop's `let` (Hermes, Rhino), no Object.assign, no class fields tricks.
// It reports through checks.ts (the harness puts it first), one line per check.


// Everything sits in one function so that the script declares no globals of its own (checks.ts declares engineChecks).
(function conformance(g: typeof genloop): void {
  type Co<T = unknown> = Generator<any, T, any>; // what the coroutines here yield is checked at run time
  const { fail, eq, check, done } = engineChecks(); // checks.ts
  const throws = (fn: () => unknown, cls: Function, pattern: RegExp, what: string): void => {
    let error: unknown = null;
    try {
      fn();
    } catch (e) {
      error = e;
    }
    if (error === null) fail(`${what}: did not throw`);
    if (!(error instanceof cls)) fail(`${what}: threw ${String(error)}, not an instance of the expected class`);
    if (!pattern.test(String((error as Error).message))) fail(`${what}: message ${JSON.stringify((error as Error).message)} does not match ${pattern}`);
  };
  const vrun = <T>(main: Co<T>, effects?: import("../../lib/index.js").EffectHandlers): T =>
    g.run(main, effects ? { clock: new g.VirtualClock(), effects } : { clock: new g.VirtualClock() });
  const quiet = { warn() {}, error() {} };

  // What the host running this program says about itself (the harness defines it where it differs
  // from a plain shell): a clock that stands still while a script runs (workerd).
  const host = (typeof conformanceHost !== "undefined" ? conformanceHost : {}) as { frozenClock?: boolean };

  check("environment has no Promise, queueMicrotask or host timers", () => {
    const names = ["Promise", "queueMicrotask", "setTimeout", "setImmediate", "setInterval"];
    const global = (typeof globalThis !== "undefined" ? globalThis : {}) as Record<string, unknown>;
    for (let i = 0; i < names.length; i++) {
      if (typeof global[names[i]] !== "undefined") fail(`${names[i]} is present`);
    }
  });

  check("scheduling order: callSoon is FIFO, tasks interleave at sleep(0)", () => {
    const log: string[] = [];
    function* worker(name: string, n: number): Co<void> {
      for (let i = 0; i < n; i++) {
        log.push(name + i);
        yield* g.sleep(0);
      }
    }
    vrun(
      (function* () {
        const loop = g.getRunningLoop();
        loop.callSoon(() => log.push("cb1"));
        loop.callSoon(() => log.push("cb2"));
        const a = g.createTask(worker("a", 3));
        const b = g.createTask(worker("b", 2));
        yield* a;
        yield* b;
      })(),
    );
    eq(log, ["cb1", "cb2", "a0", "b0", "a1", "b1", "a2"], "order");
  });

  check("sleep(0) descriptors iterate themselves: shared by tasks, reused, cancelled through", () => {
    const tick = g.sleep(0, "t");
    const log: string[] = [];
    function* worker(name: string): Co<string> {
      let got = "";
      for (let i = 0; i < 2; i++) {
        got += yield* tick; // the first task waits on tick itself, the others on a YieldOnce of it
        log.push(name + i);
      }
      return got;
    }
    function* victim(): Co<string> {
      try {
        for (;;) yield* tick;
      } catch (e) {
        log.push(e instanceof g.CancelledError ? "victim cancelled" : "victim: " + String(e));
        return "then " + (yield* tick);
      }
    }
    const out = vrun(
      (function* () {
        const v = g.createTask(victim());
        const results = yield* g.gather(worker("a"), worker("b"));
        v.cancel();
        return [results, yield* v];
      })(),
    );
    eq(out, [["tt", "tt"], "then t"], "results");
    eq(log, ["a0", "b0", "a1", "b1", "victim cancelled"], "log");
    const it = tick[Symbol.iterator]();
    const yielded = it.next().value; // read before resuming: the result object is the descriptor
    const second = it.next("r");
    eq([it === (tick as unknown), yielded === (tick as unknown), second.value, second.done], [true, true, "r", true], "by hand");
  });

  check("timers: equal deadlines fire in scheduling order, earlier ones first", () => {
    const log: number[] = [];
    vrun(
      (function* () {
        const loop = g.getRunningLoop();
        loop.callLater(20, () => log.push(3));
        loop.callLater(10, () => log.push(1));
        loop.callLater(10, () => log.push(2));
        yield* g.sleep(30);
      })(),
    );
    eq(log, [1, 2, 3], "timer order");
  });

  check("gather: results in argument order, duplicates run once, returnExceptions", () => {
    let runs = 0;
    const result = vrun(
      (function* () {
        function* after(ms: number, v: string): Co<string> {
          runs++;
          yield* g.sleep(ms);
          return v;
        }
        function* boom(): Co<never> {
          yield* g.sleep(1);
          throw new g.RuntimeError("boom");
        }
        const shared = g.createTask(after(5, "s"));
        const values = yield* g.gather(after(30, "a"), after(10, "b"), shared, shared);
        const mixed = yield* g.gather(after(1, "x"), boom(), { returnExceptions: true });
        let caught = "";
        try {
          yield* g.gather(after(1, "y"), boom());
        } catch (e) {
          caught = (e as Error).message;
        }
        return { values, second: (mixed[1] as Error).message, first: mixed[0], caught, empty: yield* g.gather() };
      })(),
    );
    eq(result, { values: ["a", "b", "s", "s"], second: "boom", first: "x", caught: "boom", empty: [] }, "gather");
    eq(runs, 5, "coroutine runs");
  });

  check("wait and asCompleted take arrays (arrays have no Symbol.iterator in some ES5 engines)", () => {
    const result = vrun(
      (function* () {
        function* after(ms: number, v: string): Co<string> {
          yield* g.sleep(ms);
          return v;
        }
        const tasks = [g.createTask(after(20, "slow")), g.createTask(after(10, "fast"))];
        const [done, pending] = yield* g.wait(tasks, { returnWhen: g.FIRST_COMPLETED });
        const first: string[] = [];
        done.forEach((t) => first.push(t.result()));
        const order: string[] = [];
        for (const next of g.asCompleted([after(5, "b"), after(1, "a")])) order.push(yield* next);
        return { first, pending: pending.size, order };
      })(),
    );
    eq(result, { first: ["fast"], pending: 1, order: ["a", "b"] }, "wait/asCompleted");
  });

  check("cancellation: CancelledError thrown in at the yield, finally runs and may yield", () => {
    const log: string[] = [];
    const outcome = vrun(
      (function* () {
        const child = g.createTask(
          (function* () {
            try {
              log.push("start");
              yield* g.sleep(1000);
              log.push("not reached");
            } finally {
              log.push("finally");
              yield* g.sleep(5);
              log.push("cleaned up at " + g.getRunningLoop().time());
            }
          })(),
        );
        yield* g.sleep(10);
        child.cancel("stop it");
        try {
          yield* child;
          return "no error";
        } catch (e) {
          return (e instanceof g.CancelledError ? "CancelledError:" : "other:") + (e as Error).message + ":" + child.cancelled();
        }
      })(),
    );
    eq(log, ["start", "finally", "cleaned up at 15"], "log");
    eq(outcome, "CancelledError:stop it:true", "outcome");
  });

  check("cancellation of a gather cancels its children", () => {
    const log: string[] = [];
    vrun(
      (function* () {
        function* child(name: string): Co<void> {
          try {
            yield* g.sleep(100);
          } catch (e) {
            log.push(name + (e instanceof g.CancelledError ? " cancelled" : " failed"));
            throw e;
          }
        }
        const waiter = g.createTask(
          (function* () {
            yield* g.gather(child("a"), child("b"));
          })(),
        );
        yield* g.sleep(1);
        waiter.cancel();
        try {
          yield* waiter;
        } catch (e) {
          log.push(e instanceof g.CancelledError ? "waiter cancelled" : "waiter failed");
        }
      })(),
    );
    eq(log, ["a cancelled", "b cancelled", "waiter cancelled"], "log");
  });

  check("timeouts: a body cut off by its deadline, cleanup at the deadline", () => {
    // Uses the timeout scope when this build has it, else the same thing built from sleep + cancel.
    const log: string[] = [];
    const result = vrun(
      (function* (): Co<string> {
        function* slow(): Co<string> {
          try {
            yield* g.sleep(1000);
            return "finished";
          } finally {
            log.push("cleanup at " + g.getRunningLoop().time());
          }
        }
        const withTimeout = (g as unknown as { timeout?: (ms: number, body: () => Co<string>) => Co<string> }).timeout;
        if (typeof withTimeout === "function") {
          try {
            return yield* withTimeout(50, slow);
          } catch (e) {
            return e instanceof g.TimeoutError ? "timed out" : "other error";
          }
        }
        const task = g.createTask(slow());
        const timer = g.getRunningLoop().callLater(50, () => task.cancel());
        try {
          return yield* task;
        } catch (e) {
          return e instanceof g.CancelledError ? "timed out" : "other error";
        } finally {
          timer.cancel();
        }
      })(),
    );
    eq(result, "timed out", "result");
    eq(log, ["cleanup at 50"], "log");
  });

  check("a queue: producer/consumer hand-off in order", () => {
    // Uses Queue when this build has it, else a hand-off through futures.
    const got = vrun(
      (function* (): Co<number[]> {
        const Q = (g as unknown as { Queue?: new (max?: number) => { put(v: number): Co<void>; get(): Co<number> } }).Queue;
        const out: number[] = [];
        if (typeof Q === "function") {
          const q = new Q(1);
          const producer = g.createTask(
            (function* () {
              for (let i = 0; i < 4; i++) yield* q.put(i);
            })(),
          );
          for (let i = 0; i < 4; i++) out.push(yield* q.get());
          yield* producer;
          return out;
        }
        const loop = g.getRunningLoop();
        const slots: import("../../lib/index.js").Future<number>[] = [];
        for (let i = 0; i < 4; i++) slots.push(loop.createFuture<number>());
        const producer = g.createTask(
          (function* () {
            for (let i = 0; i < 4; i++) {
              yield* g.sleep(1);
              slots[i].setResult(i);
            }
          })(),
        );
        for (let i = 0; i < 4; i++) out.push(yield* slots[i]);
        yield* producer;
        return out;
      })(),
    );
    eq(got, [0, 1, 2, 3], "items");
  });

  check("virtual time: hours of sleeps finish at once, in order, at exact times", () => {
    const log: string[] = [];
    vrun(
      (function* () {
        const loop = g.getRunningLoop();
        function* at(ms: number, name: string): Co<void> {
          yield* g.sleep(ms);
          log.push(name + "@" + loop.time());
        }
        yield* g.gather(at(3600000, "hour"), at(60000, "minute"), at(1000, "second"));
      })(),
    );
    eq(log, ["second@1000", "minute@60000", "hour@3600000"], "log");
  });

  check("real clock: a short sleep takes real time", () => {
    if (host.frozenClock) {
      // Date.now() does not move during a request here: a blocking run() on a RealClock could
      // never see its deadline. That host runs the real-time program (host-timers.ts) instead.
      return "the host's clock stands still while a script runs";
    }
    const before = Date.now();
    g.run(
      (function* () {
        yield* g.sleep(5);
      })(),
    );
    if (Date.now() - before < 4) fail("returned too early");
  });

  check("host-driven stepping: step(), nextDeadline(), runDue, callback resolved by the host", () => {
    const clock = new g.VirtualClock();
    const loop = new g.EventLoop({ clock });
    const log: string[] = [];
    let resolveLater: (v: string) => void = () => {};
    let disposed = 0;
    const task = loop.createTask(
      (function* () {
        yield* g.sleep(100);
        log.push("slept");
        const v = yield* g.callback<string>((resolve) => {
          resolveLater = resolve;
          return () => {
            disposed++;
          };
        });
        log.push("got " + v);
        return v;
      })(),
    );
    eq(loop.nextDeadline(), 0, "ready now");
    loop.step();
    eq(loop.nextDeadline(), 100, "timer deadline");
    loop.step();
    eq(log, [], "nothing due yet");
    clock.advance(100);
    g.runDue(loop);
    eq(log, ["slept"], "after the timer");
    eq(loop.nextDeadline(), null, "idle, waiting on the host");
    resolveLater("host value");
    resolveLater("late value");
    eq(loop.nextDeadline(), 100, "woken by the host (due now)");
    g.runDue(loop);
    eq(log, ["slept", "got host value"], "log");
    eq(task.result(), "host value", "result");
    eq(disposed, 1, "disposer runs once");
    loop.close();
  });

  check("timer driver: re-arms host timers for the next deadline; host callbacks wake it", () => {
    // The engine's own timers are removed: the host's timer API is simulated here.
    const armed: number[] = [];
    let pending: (() => void) | null = null;
    const timers = {
      setTimeout(callback: () => void, ms: number) {
        armed.push(ms);
        pending = callback;
        return armed.length;
      },
      clearTimeout() {
        pending = null;
      },
    };
    const fire = (): boolean => {
      const callback = pending;
      pending = null;
      if (callback === null) return false;
      callback();
      return true;
    };
    const clock = { t: 0, now: () => clock.t };
    const loop = new g.EventLoop({ clock });
    const driver = g.startTimerDriver(loop, { timers });
    let resolveLater: (v: number) => void = () => {};
    const task = loop.createTask(
      (function* (): Co<number> {
        yield* g.sleep(40);
        return yield* g.callback<number>((resolve) => {
          resolveLater = resolve;
        });
      })(),
    );
    fire();
    eq(armed, [0, 40], "armed for the task, then for its sleep");
    clock.t = 40;
    fire();
    eq(pending, null, "idle while the host operation runs");
    resolveLater(7);
    fire();
    eq(task.result(), 7, "result");
    driver.stop();
    loop.close();
  });

  check("callback: cancelling the waiting task runs the disposer; late calls are ignored", () => {
    const log: string[] = [];
    let late: () => void = () => {};
    vrun(
      (function* () {
        const waiter = g.createTask(
          (function* () {
            try {
              yield* g.callback<void>((resolve) => {
                late = resolve;
                return () => {
                  log.push("disposed");
                };
              });
            } finally {
              log.push("finally");
            }
          })(),
        );
        yield* g.sleep(1);
        waiter.cancel();
        yield* g.sleep(1);
        late();
        log.push(waiter.cancelled() ? "cancelled" : "not cancelled");
      })(),
    );
    eq(log, ["disposed", "finally", "cancelled"], "log");
  });

  check("custom effects: inert descriptors, handlers per loop, unknown kind named", () => {
    const readFile = g.defineEffect<{ path: string }, string>("fs.readFile");
    const descriptor = readFile({ path: "a.txt" });
    eq([descriptor.kind, descriptor.path], ["fs.readFile", "a.txt"], "descriptor");
    function* main(): Co<string> {
      return yield* readFile({ path: "a.txt" });
    }
    const fake = vrun(main(), {
      "fs.readFile": (effect: { path: string }, ctx: { resolve(v: string): void }) => ctx.resolve("content of " + effect.path),
    });
    eq(fake, "content of a.txt", "handled");
    const viaCoroutine = vrun(main(), {
      "fs.readFile": function* (effect: { path: string }) {
        yield* g.sleep(10);
        return "later " + effect.path;
      },
    });
    eq(viaCoroutine, "later a.txt", "coroutine handler");
    throws(() => vrun(main()), g.RuntimeError, /fs\.readFile/, "unknown kind");
  });

  check("deadlock: a blocking run() that can never be woken throws instead of hanging", () => {
    const log: string[] = [];
    throws(
      () =>
        vrun(
          (function* () {
            try {
              yield* g.callback<void>(() => {});
            } finally {
              log.push("finally");
            }
          })(),
        ),
      g.RuntimeError,
      /deadlock[\s\S]*host callback/,
      "deadlock",
    );
    eq(log, ["finally"], "cleanup ran");
  });

  // genloop/channels is pure generator code: the script bundles carry it as genloop.channels
  // (a module build imports it from its own entry, which this program does not).
  const noChannels = "this build's main entry has no channels (genloop/channels is a separate entry)";

  check("channels: fixed(16) backpressure holds at most 16 items; order kept; close ends the loop", () => {
    const c = g.channels;
    if (c === undefined) return noChannels;
    const out = vrun(
      (function* () {
        const ch = new c.Channel<number>(c.buffers.fixed(16));
        let maxLength = 0;
        let expected = 0;
        const producer = g.createTask(
          (function* () {
            for (let i = 0; i < 20000; i++) yield* ch.put(i);
            ch.close();
          })(),
        );
        const count = yield* c.forEach(ch, (n: number) => {
          if (n !== expected++) fail("out of order at " + n);
          if (ch.length > maxLength) maxLength = ch.length;
        });
        yield producer;
        return [count, maxLength];
      })(),
    );
    eq(out, [20000, 16], "count and most buffered");
  });

  check("channels: 10^5 buffered items drain with no RangeError", () => {
    const c = g.channels;
    if (c === undefined) return noChannels;
    const N = 100000;
    const out = vrun(
      (function* () {
        const ch = new c.Channel<number>(c.buffers.expanding());
        for (let i = 0; i < N; i++) ch.offer(i);
        ch.close();
        let sum = 0;
        const n = yield* c.forEach(ch, (x: number) => {
          sum += x;
        });
        const ch2 = new c.Channel<number>(c.buffers.expanding());
        for (let i = 0; i < N; i++) ch2.offer(i);
        return [n, sum, ch2.flush().length];
      })(),
    );
    eq(out, [N, (N * (N - 1)) / 2, N], "drained");
  });

  check("channels: policies, cancellation safety, event channel unsubscribes once, broadcast", () => {
    const c = g.channels;
    if (c === undefined) return noChannels;
    const dropping = new c.Channel<number>(c.buffers.dropping(1));
    const sliding = new c.Channel<number>(c.buffers.sliding(1));
    eq([dropping.offer(1), dropping.offer(2), dropping.flush(), sliding.offer(1), sliding.offer(2), sliding.flush()], [true, false, [1], true, true, [2]], "dropping and sliding");
    let unsubscribed = 0;
    let emit: (n: number) => void = () => {};
    const events = c.eventChannel<number>((e) => {
      emit = e;
      return () => {
        unsubscribed++;
      };
    }, c.buffers.expanding());
    const out = vrun(
      (function* () {
        const ch = new c.Channel<string>();
        const t1 = g.ensureFuture(ch.take());
        const t2 = g.ensureFuture(ch.take());
        yield* g.sleep(1);
        ch.offer("handed"); // wakes t1, which is cancelled before it runs
        t1.cancel();
        yield* g.sleep(1);
        const b = new c.Broadcast<number>();
        const s1 = b.subscribe(c.buffers.expanding());
        const s2 = b.subscribe(c.buffers.fixed(1));
        const got: number[] = [];
        const consumer = g.createTask(c.forEach(s2, (n: number) => {
          got.push(n);
        }));
        for (let i = 1; i <= 3; i++) yield* b.publish(i);
        b.close();
        yield consumer;
        const seen: number[] = [];
        const eventConsumer = g.createTask(c.forEach(events, (n: number) => {
          seen.push(n);
        }));
        yield* g.sleep(1);
        emit(7);
        yield* g.sleep(1);
        eventConsumer.cancel();
        yield* g.sleep(1);
        return [t1.cancelled(), t2.result(), s1.flush(), got, seen, unsubscribed];
      })(),
    );
    eq(out, [true, "handed", [1, 2, 3], [1, 2, 3], [7], 1], "outcomes");
  });

  check("schedules: retry on a seeded exponential schedule; exact attempt times; fatal errors stop at once", () => {
    const sc = g.schedules;
    if (sc === undefined) return "this build's main entry has no schedules (genloop/schedules is a separate entry)";
    const random = sc.seededRandom(1);
    if (random() !== 0.6270739405881613) fail("seededRandom(1) is not mulberry32 in this engine");
    const starts: number[] = [];
    const out = vrun(
      (function* () {
        const loop = g.getRunningLoop();
        const schedule = sc.Schedule.exponential(100).cappedAt(300).jittered(5, 0).maxAttempts(5).retryIf((e: unknown) => e !== "fatal");
        const value = yield* sc.retry((n: number) => (function* () {
          starts.push(loop.time());
          yield* g.sleep(10);
          if (n < 4) throw new Error("transient " + n);
          return "ok " + n;
        })(), schedule);
        let stopped = "";
        try {
          yield* sc.retry(() => (function* () {
            starts.push(loop.time());
            throw "fatal";
          })(), schedule);
        } catch (e) {
          stopped = String(e);
        }
        return [value, stopped];
      })(),
    );
    eq(out, ["ok 4", "fatal"], "outcomes");
    eq(starts, [0, 110, 320, 630, 640], "attempt times");
  });

  check("deep inline awaits do not grow the JS stack", () => {
    function* depth(n: number): Co<number> {
      if (n === 0) return 0;
      return 1 + (yield* g.call(depth(n - 1)));
    }
    eq(vrun(depth(3000)), 3000, "depth");
  });

  check("bad input: clear errors of the right class", () => {
    throws(() => g.sleep("10" as unknown as number), TypeError, /number/, "sleep type");
    throws(() => g.sleep(NaN), RangeError, /NaN/, "sleep NaN");
    throws(() => g.run((function () {}) as unknown as Co), RangeError, /coroutine/, "run argument");
    const yielded = vrun(
      (function* () {
        try {
          yield 42;
        } catch (e) {
          return (e instanceof TypeError ? "TypeError: " : "other: ") + (e as Error).message;
        }
        return "no error";
      })(),
    );
    if (!/yielded 42/.test(yielded) || !/yield\*/.test(yielded)) fail(`bad yield message: ${yielded}`);
    throws(() => g.callback(42 as unknown as () => void), TypeError, /setup function/, "callback argument");
    throws(() => g.defineEffect("sleep"), RangeError, /built-in/, "built-in kind");
    const error = new g.CancelledError("x");
    if (!(error instanceof Error) || error.name !== "CancelledError") fail("CancelledError is not a proper Error subclass");
    const loop = new g.EventLoop({ logger: quiet });
    loop.close();
    throws(() => loop.callSoon(() => {}), g.RuntimeError, /closed/, "closed loop");
  });

  check("context variables: tasks copy at creation, sets stay in the task, Context.run", () => {
    const cv = new g.ContextVar<string>("cv", { default: "-" });
    const log: string[] = [];
    function* child(name: string): Co<string> {
      const seen = cv.get();
      cv.set(name);
      yield* g.sleep(1);
      return seen + ">" + cv.get();
    }
    const result = vrun(
      (function* (): Co<string[]> {
        cv.set("main");
        const a = g.createTask(child("a"));
        cv.set("main2");
        const b = yield* g.spawn(child("b"));
        const gathered = yield* g.gather(child("c"), child("d"));
        return [yield* a, yield* b, gathered[0], gathered[1], cv.get()];
      })(),
    );
    eq(result, ["main>a", "main2>b", "main2>c", "main2>d", "main2"], "tasks");
    eq(cv.get(), "-", "outside");
    const ctx = new g.Context();
    const token = ctx.run(() => cv.set("in ctx"));
    eq([ctx.get(cv), ctx.has(cv), ctx.size, cv.get()], ["in ctx", true, 1, "-"], "run");
    throws(() => cv.reset(token), RangeError, /different Context/, "foreign token");
    ctx.run(() => cv.reset(token));
    throws(() => ctx.run(() => cv.reset(token)), g.RuntimeError, /already been used/, "used token");
    throws(() => ctx.run(() => ctx.run(() => 1)), g.RuntimeError, /already entered/, "re-entry");
    throws(() => new g.ContextVar<number>("x").get(), g.LookupError, /no value/, "lookup");
    const t = ctx.run(() => cv.set("again"));
    if (t.oldValue !== g.Token.MISSING) fail("oldValue is not Token.MISSING");
    const pairs: string[] = [];
    const it = ctx.entries();
    for (let r = it.next(); !r.done; r = it.next()) pairs.push(r.value[0].name + "=" + String(r.value[1]));
    eq(pairs, ["cv=again"], "entries");
    log.push("ok");
    eq(log, ["ok"], "done");
  });

  check("context variables: callbacks run in the context current when scheduled, or the one given", () => {
    const cv = new g.ContextVar<string>("cb", { default: "-" });
    const log: string[] = [];
    vrun(
      (function* (): Co<void> {
        const loop = g.getRunningLoop();
        cv.set("a");
        loop.callSoon(() => log.push("soon " + cv.get()));
        loop.callLater(1, () => log.push("later " + cv.get()));
        const fresh = new g.Context();
        loop.callSoon({ context: fresh }, (x: string) => log.push(x + " " + cv.get()), "given");
        const future = loop.createFuture<number>();
        future.addDoneCallback(() => log.push("done " + cv.get()));
        loop.callSoon({ context: g.currentTask()!.getContext() }, () => cv.set("set by callback"));
        cv.set("b");
        future.setResult(1);
        yield* g.sleep(5);
        log.push("task " + cv.get());
      })(),
    );
    eq(log, ["soon a", "given -", "done a", "later a", "task set by callback"], "order and values");
  });

  check("context variables: taskGroup children copy the body's context; { context } shares one", () => {
    const cv = new g.ContextVar<number>("tg", { default: 0 });
    const seen = vrun(
      (function* (): Co<number[]> {
        const shared = g.copyContext();
        const out: number[] = [];
        yield* g.taskGroup(function* (tg) {
          cv.set(1);
          tg.createTask(
            (function* () {
              out.push(cv.get());
              cv.set(2);
            })(),
          );
          tg.createTask(
            (function* () {
              cv.set(3);
            })(),
            { context: shared },
          );
        });
        out.push(cv.get(), shared.get(cv, -1));
        return out;
      })(),
    );
    eq(seen, [1, 1, 3], "values");
  });

  check("call graph and task tree: awaited-by edges, descriptions, asyncio's layout", () => {
    const loop = new g.EventLoop({ clock: new g.VirtualClock(), logger: quiet });
    const event = new g.Event();
    const waitEvent = function* waitEvent(): Co<void> {
      yield* event.wait();
    };
    const nap = function* nap(): Co<void> {
      yield* g.sleep(1500);
    };
    const main = function* main(): Co<void> {
      yield* g.gather(waitEvent(), nap());
    };
    const task = loop.createTask(main(), { name: "main" });
    loop.step();
    loop.step();
    const tree = g.formatTaskTree(loop).replace(/Task-\d+/g, "Task-n");
    eq(tree.split("\n"), [
      "Task 'main' (pending): gather of 2 (0 done)",
      "\u251c\u2500\u2500 Task 'Task-n' (pending): <Event [unset, waiters:1]>.wait()",
      "\u2514\u2500\u2500 Task 'Task-n' (pending): sleep until 1500 ms",
    ], "task tree");
    const children: typeof task[] = [];
    for (const t of loop._tasks) if (t !== task) children.push(t);
    const graph = g.captureCallGraph(children[1]);
    if (graph === null) return fail("no graph");
    eq(graph.awaitedBy.length, 1, "awaited by one");
    if (graph.awaitedBy[0].future !== task) fail("awaited by main");
    const outer = graph.awaitedBy[0].callStack.map((e) => e.name);
    eq(outer[0], "gather", "gather is the innermost entry of main's stack");
    // Names are learned from stack traces: engines whose generators are state machines (ES5) leave them unnamed.
    const nativeGenerators = Object.getPrototypeOf(main) !== Function.prototype;
    if (outer[1] !== "main" && (nativeGenerators || outer[1] !== "<coroutine>")) fail(`main's entry is named ${outer[1]}`);
    const lines = g.formatCallGraph(children[1]).split("\n");
    eq(lines[0].replace(/Task-\d+/, "Task-n"), "* Task(name='Task-n', id=1)", "first line");
    eq(lines.indexOf("  + Awaited by:") > 0, true, "awaited-by section");
    eq(lines.indexOf("    * Task(name='main', id=2)") > 0, true, "main under it");
    event.set();
    loop.runUntilComplete(task);
  });

  check("trace pictures: the recorder's tasks and events, a Chrome trace, an SVG timeline", () => {
    const tr = g.trace;
    if (tr === undefined) return "this build's main entry has no trace exporters (genloop/trace is a separate entry)";
    let wall = 0;
    const recorder = new tr.TraceRecorder({ wallClock: () => (wall += 0.25) });
    const event = new g.Event();
    const sleeper = function* sleeper(): Co<string> {
      yield* g.sleep(30);
      return "rested";
    };
    const waiter = function* waiter(): Co<void> {
      yield* event.wait();
    };
    const failer = function* failer(): Co<void> {
      yield* g.sleep(10);
      throw new RangeError("out of range");
    };
    const main = function* main(): Co<void> {
      const a = yield* g.spawn(sleeper(), { name: "sleeper" });
      const b = yield* g.spawn(waiter(), { name: "waiter" });
      const c = yield* g.spawn(failer(), { name: "failer" });
      yield* g.sleep(20);
      b.cancel();
      try {
        yield* c;
      } catch (e) {
        // expected
      }
      yield* a;
    };
    const loop = new g.EventLoop({ clock: new g.VirtualClock(), instruments: [recorder] });
    loop.runUntilComplete(loop.createTask(main(), { name: "main" }));
    loop.close();
    eq(recorder.tasks.map((t) => [t.name, t.parentId, t.outcome]), [
      ["main", null, "result"],
      ["sleeper", 1, "result"],
      ["waiter", 1, "cancelled"],
      ["failer", 1, "error"],
    ], "tasks");
    const trace = tr.toChromeTrace(recorder);
    const events = trace.traceEvents;
    const count = (ph: string): number => events.filter((e) => e.ph === ph).length;
    eq(count("X") > 0, true, "step slices");
    eq(count("s"), count("f"), "wake-up flows start and finish in pairs");
    const instants = events.filter((e) => e.ph === "i").map((e) => e.name).sort();
    eq(instants.length, 2, "a cancellation and an error");
    const again = JSON.stringify(tr.toChromeTrace(recorder));
    eq(again === JSON.stringify(trace), true, "the same recorder gives the same trace");
    const svg = tr.toSvgTimeline(recorder);
    eq(svg.slice(0, 4), "<svg", "an SVG document");
    for (const name of ["main", "sleeper", "waiter", "failer"]) eq(svg.indexOf(`>${name}<`) !== -1, true, `row of ${name}`);
  });

  done();
})(genloop);
