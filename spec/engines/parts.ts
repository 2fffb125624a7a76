// The per-part bundles program: what a host that loads genloop part by part (Duktape, mujs) sees.
// The harness (scripts/engines/harness.mjs, partsProgram) runs one script: this program, then the
// bundles one by one, calling `partsCheck(stage, loadError)` after each step:
//   "core"                    the core bundle alone: genloop/core's API, no optional loop features;
//   "trace without features"  the trace bundle, which needs the features, loaded too early;
//   "areas without features"  compose, sync and hosts, which do not need them;
//   "features"                the features bundle: the loop's features and the rest of the main entry;
//   "features again"          the features bundle loaded a second time;
//   "areas with features"     trace, policies, channels and schedules;
// then `partsDone()`. A bundle loaded in a `try` leaves its error in `partsLoadError`.
// It reports through checks.ts, as conformance.ts does.

// The global `genloop`, as far as the stages need it (what is there depends on the parts loaded).
type Parts = typeof genloop & { _modules: { [name: string]: object } };

// The two globals the harness calls (a script's `var`s; the rest stays inside the function below).
var partsCheck: (stage: string, loadError?: unknown) => void;
var partsDone: () => void;

(function (): void {
  type Co<T = unknown> = Generator<any, T, any>;
  const { fail, eq, check, done } = engineChecks(); // checks.ts
  /** The error `fn` throws (failing when it returns). */
  const thrown = (fn: () => unknown, what: string): unknown => {
    try {
      fn();
    } catch (e) {
      return e;
    }
    return fail(`${what}: did not throw`);
  };
  const leftOut = (error: unknown, what: string): void => {
    if (!(error instanceof TypeError)) fail(`${what}: threw ${String(error)}, not a TypeError`);
    if (!/needs a feature genloop\/core leaves out/.test((error as Error).message)) fail(`${what}: message ${(error as Error).message}`);
  };
  const api = (): Parts => genloop as Parts;
  const names = (object: object): string[] => {
    const out: string[] = [];
    for (const name in object) out.push(name);
    return out.sort();
  };
  const vloop = () => new (api().EventLoop)({ clock: new (api().VirtualClock)() });

  // What the core bundle's global has: genloop/core's exports, the rest of the main entry's exports
  // whose module is in the core (allTasks, Effect, ExceptionGroup), RealClock and _modules. The errors
  // of an area (the queue's, BrokenBarrierError, LookupError) come with their part.
  const coreNames = [
    "CancelledError", "DeadlockError", "Effect", "EventLoop", "ExceptionGroup", "Future", "GatherEffect", "GatheringFuture", "Handle",
    "InvalidStateError", "RealClock", "RuntimeError", "SleepEffect", "SpawnEffect", "Task", "TimeoutError", "TimerHandle",
    "VirtualClock", "_modules", "allTasks", "createTask", "currentTask", "ensureFuture", "gather", "getRunningLoop", "run",
    "sleep", "spawn",
  ];
  // The modules on `genloop._modules` at the "areas without features" stage: none may be replaced later.
  let before: { [name: string]: object } = {};

  const stages: { [stage: string]: (loadError: unknown) => void } = {
    core() {
      check("core: the global has genloop/core's API and nothing of the optional features", () => {
        eq(names(api()), coreNames, "the core global's names");
      });
      check("core: run, tasks, sleep, gather and cancellation on a virtual clock", () => {
        const g = api();
        function* child(n: number): Co<number> {
          yield* g.sleep(10 * n);
          return n;
        }
        const out = g.run(
          (function* (): Co<unknown[]> {
            const first = yield* g.spawn(child(1));
            const doomed = g.createTask(child(2));
            doomed.cancel("no longer needed");
            let cancelled = "";
            try {
              yield* doomed;
            } catch (e) {
              if (e instanceof g.CancelledError) cancelled = String((e as Error).message);
            }
            const both = yield* g.gather(first, child(3));
            return [both, cancelled, g.getRunningLoop().time()];
          })(),
          { clock: new g.VirtualClock() },
        );
        eq(out, [[1, 3], "no longer needed", 30], "result");
      });
      check("core: the optional features' methods and options throw the TypeError that names what leaves them out", () => {
        const loop = vloop();
        leftOut(thrown(() => loop.setDebug(true), "setDebug"), "setDebug");
        leftOut(thrown(() => loop.addInstrument({}), "addInstrument"), "addInstrument");
        leftOut(thrown(() => loop.setEffectHandler("k", null), "setEffectHandler"), "setEffectHandler");
        leftOut(thrown(() => loop.setTaskFactory(null), "setTaskFactory"), "setTaskFactory");
        leftOut(thrown(() => loop.setExceptionHandler(null), "setExceptionHandler"), "setExceptionHandler");
        leftOut(thrown(() => loop.setWakeupHandler(null), "setWakeupHandler"), "setWakeupHandler");
        leftOut(thrown(() => new (api().EventLoop)({ debug: true }), "the debug option"), "the debug option");
        leftOut(thrown(() => loop.createTask((function* () {})(), { eagerStart: true }), "eagerStart"), "eagerStart");
        loop.close();
      });
    },

    "trace without features"(loadError) {
      check("an area that needs the features, loaded before them, throws an error that says what to load, and adds nothing", () => {
        if (!(loadError instanceof Error)) fail(`the trace bundle loaded without error (${String(loadError)})`);
        const message = (loadError as Error).message;
        if (!/^genloop\.trace: load the genloop features bundle \(genloop\.features\.\*\.js\) after the core and before this one$/.test(message)) {
          fail(`message: ${message}`);
        }
        eq(typeof api().trace, "undefined", "genloop.trace");
        eq(names(api()), coreNames, "the global's names");
      });
    },

    "areas without features"() {
      check("compose, sync and hosts, which do not need the features, work on a core loop that still has none", () => {
        const g = api();
        const loop = vloop();
        const queue = new g.Queue<number>();
        const out = loop.runUntilComplete(
          loop.createTask(
            (function* (): Co<unknown[]> {
              g.createTask(
                (function* () {
                  yield* g.sleep(5);
                  yield* queue.put(1);
                })(),
              );
              const got = yield* g.waitFor(queue.get(), 100);
              let timedOut = "";
              try {
                yield* g.waitFor(queue.get(), 10);
              } catch (e) {
                if (e instanceof g.TimeoutError) timedOut = "timed out";
              }
              return [got, timedOut, loop.time()];
            })(),
          ),
        );
        eq(out, [1, "timed out", 15], "result");
        leftOut(thrown(() => loop.setDebug(true), "setDebug"), "setDebug after compose and sync");
        loop.close();
        before = {};
        for (const name in g._modules) before[name] = g._modules[name];
      });
      check("hosts on a core loop: runDue drives it, a TimerDriver wakes for work scheduled from outside", () => {
        const g = api();
        const clock = new g.VirtualClock();
        const loop = new g.EventLoop({ clock });
        const task = loop.createTask(
          (function* (): Co<string> {
            yield* g.sleep(20);
            return "rested";
          })(),
        );
        g.runDue(loop);
        eq(task.done(), false, "not before its time");
        const pending: (() => void)[] = [];
        const driver = new g.TimerDriver(loop, { timers: { setTimeout: (callback: () => void) => pending.push(callback) } });
        driver.start();
        // The host's turns: on a virtual clock each one jumps time to the next deadline.
        for (let turns = 0; pending.length > 0 && turns < 10; turns++) (pending.shift() as () => void)();
        eq([task.result(), loop.time()], ["rested", 20], "result and time");
        let called = false;
        loop.callSoon(() => (called = true));
        eq(pending.length, 1, "host timers armed by a callSoon from outside");
        (pending.shift() as () => void)();
        eq(called, true, "the callback ran");
        driver.stop();
        leftOut(thrown(() => loop.setWakeupHandler(null), "setWakeupHandler"), "setWakeupHandler with hosts loaded");
        loop.close();
      });
    },

    features() {
      check("features: installed on the core's loop class (debug mode, instruments, effect handlers, task factories)", () => {
        const g = api();
        const loop = vloop();
        loop.setDebug(true);
        eq(loop.getDebug(), true, "debug mode");
        let steps = 0;
        loop.addInstrument({ beforeTaskStep: () => steps++ });
        const load = g.defineEffect<{ name: string }, string>("host.load");
        loop.setEffectHandler(load, (effect, ctx) => ctx.resolve("data of " + effect.name));
        loop.setTaskFactory(g.eagerTaskFactory);
        let ranEagerly = false;
        const task = loop.createTask(
          (function* (): Co<string> {
            const child = g.createTask(
              (function* (): Co<void> {
                ranEagerly = true;
                yield* g.sleep(1);
              })(),
            );
            const eager = ranEagerly;
            yield child;
            return (yield* load({ name: "a" })) + (eager ? ", eager" : ", not eager");
          })(),
        );
        eq(loop.runUntilComplete(task), "data of a, eager", "result");
        eq(steps > 0, true, "the instrument saw steps");
        loop.close();
      });
      check("features: the rest of the main entry (context variables, the call graph of a task waiting in compose's waitFor)", () => {
        const g = api();
        const cv = new g.ContextVar<string>("cv", { default: "-" });
        const loop = vloop();
        const event = new g.Event();
        const waiter = loop.createTask(
          (function* waiter(): Co<void> {
            yield* g.waitFor(event.wait(), 1000);
          })(),
          { name: "waiter" },
        );
        const main = loop.createTask(
          (function* (): Co<string> {
            cv.set("main's");
            yield* g.sleep(1);
            const graph = g.formatCallGraph(waiter);
            event.set();
            yield waiter;
            return cv.get() + " " + (graph.indexOf("waiter") !== -1 ? "graph" : graph);
          })(),
        );
        eq(loop.runUntilComplete(main), "main's graph", "result");
        eq(cv.get(), "-", "outside");
        loop.close();
      });
      check("features: no module the core, compose or sync defined was replaced by another copy", () => {
        const g = api();
        const replaced: string[] = [];
        for (const name in before) if (g._modules[name] !== before[name]) replaced.push(name);
        eq(replaced, [], "replaced modules");
        for (const name of ["graph/coroutine-frames", "graph/awaited-by", "sync/waiter-list", "features/debug"]) {
          if (typeof g._modules[name] !== "object") fail(`${name} is not on genloop._modules`);
        }
      });
    },

    "features again"(loadError) {
      check("the features bundle loaded twice throws, rather than install the features again", () => {
        if (!(loadError instanceof Error)) fail(`loaded again without error (${String(loadError)})`);
        eq((loadError as Error).message, "genloop.features: this bundle is loaded already", "message");
      });
    },

    "areas with features"() {
      const g = api();
      check("trace, which needs the features: a TraceRecorder instruments a loop runDue drives", () => {
        const tr = g.trace;
        if (tr === undefined) return fail("no genloop.trace");
        const recorder = new tr.TraceRecorder({ wallClock: () => 0 });
        const clock = new g.VirtualClock();
        const loop = new g.EventLoop({ clock, instruments: [recorder] });
        const task = loop.createTask(
          (function* sleeper(): Co<string> {
            yield* g.sleep(50);
            return "rested";
          })(),
          { name: "sleeper" },
        );
        g.runDue(loop);
        eq(task.done(), false, "not before its time");
        clock.advance(50);
        g.runDue(loop);
        eq(task.result(), "rested", "result");
        eq(recorder.tasks.map((t) => [t.name, t.outcome]), [["sleeper", "result"]], "recorded tasks");
        loop.close();
      });
      check("hosts with features: loop.setWakeupHandler and a TimerDriver share the loop's one wake-up slot", () => {
        const g = api();
        const loop = vloop();
        const driver = new g.TimerDriver(loop, { timers: { setTimeout: () => 0 } });
        driver.start();
        const refused = thrown(() => loop.setWakeupHandler(() => {}), "setWakeupHandler while driven");
        if (!(refused instanceof g.RuntimeError)) fail(`threw ${String(refused)}, not a RuntimeError`);
        eq((refused as Error).message, "setWakeupHandler: this loop already has a host driver; stop it first", "message");
        driver.stop();
        loop.setWakeupHandler(() => {});
        const second = new g.TimerDriver(loop, { timers: { setTimeout: () => 0 } });
        eq(String(thrown(() => second.start(), "a TimerDriver on a loop with a handler")), "RuntimeError: setWakeupHandler: this loop already has a host driver; stop it first", "TimerDriver.start");
        loop.close();
      });
      check("policies, channels and schedules, which share sync's helpers, work together", () => {
        const c = g.channels;
        const sc = g.schedules;
        if (c === undefined || sc === undefined) return fail("no genloop.channels or genloop.schedules");
        const loop = vloop();
        const channel = new c.Channel<number>(c.buffers.fixed(2));
        const search = g.restartable(function* (n: number): Co<number> {
          yield* g.sleep(10);
          return n;
        });
        const out = loop.runUntilComplete(
          loop.createTask(
            (function* (): Co<unknown[]> {
              const first = search.perform(1);
              const second = search.perform(2);
              let attempts = 0;
              const retried = yield* sc.retry(() => (function* (): Co<string> {
                attempts++;
                if (attempts < 3) throw new Error("transient");
                return "ok";
              })(), sc.Schedule.fixed(5).maxAttempts(5));
              yield* channel.put(7);
              const got = yield* channel.take();
              return [first.cancelled(), yield* second, retried, attempts, got];
            })(),
          ),
        );
        eq(out, [true, 2, "ok", 3, 7], "result");
        loop.close();
      });
    },
  };

  partsCheck = (stage: string, loadError?: unknown): void => {
    const run = stages[stage];
    if (run === undefined) throw new Error(`partsCheck: no stage ${stage}`);
    run(loadError);
  };
  partsDone = done;
})();
