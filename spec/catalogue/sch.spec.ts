// Catalogue area SCH — scheduling model (asyncio-semantics.md §0).
import { expect } from "chai";
import {
  run,
  sleep,
  gather,
  createTask,
  getRunningLoop,
  RuntimeError,
  VirtualClock,
  Task,
} from "../../lib/index.js";
import { type Co, runBriefly, newLoop, vrun, captureHandler, now, value } from "../helpers.js";

describe("catalogue SCH — scheduling model", () => {
  // src: test_base_events.py test_call_soon; base_events.py call_soon docstring
  it("SCH-01 callSoon is FIFO: a before b, both on the next tick", () => {
    const { loop } = newLoop();
    const log: string[] = [];
    loop.callSoon((x: string) => log.push(x), "a");
    loop.callSoon((x: string) => log.push(x), "b");
    expect(log).to.deep.equal([]); // nothing runs synchronously
    runBriefly(loop);
    expect(log).to.deep.equal(["a", "b"]);
    loop.close();
  });

  // Held back. Behaviour from CPython: base_events.py _run_once runs exactly `ntodo` handles,
  // the ones ready when the iteration began; test_base_events.py test__run_once_schedule_handle.
  it("SCH-02 a callback scheduled during a tick runs on the next tick, not the current one", () => {
    const { loop } = newLoop();
    const log: string[] = [];
    loop.callSoon(() => {
      log.push("a");
      loop.callSoon(() => log.push("a-child"));
    });
    loop.callSoon(() => log.push("b"));
    runBriefly(loop);
    expect(log).to.deep.equal(["a", "b"]);
    runBriefly(loop);
    expect(log).to.deep.equal(["a", "b", "a-child"]);
    loop.close();
  });

  // Held back. CPython test__run_once_schedule_handle: a due timer's callback that calls
  // call_soon leaves the new handle in the ready queue after the iteration.
  it("SCH-02 a due timer's callback scheduling callSoon: the new callback waits for the next tick", () => {
    const { loop } = newLoop();
    const log: string[] = [];
    loop.callLater(-1000, () => {
      log.push("timer");
      loop.callSoon(() => log.push("soon-from-timer"));
    });
    runBriefly(loop);
    expect(log).to.deep.equal(["timer"]);
    runBriefly(loop);
    expect(log).to.deep.equal(["timer", "soon-from-timer"]);
    loop.close();
  });

  // Held back; verified on CPython 3.13 (virtual-time loop):
  // ['a', 'b', 'main1', 'a-child', 'main2']
  it("SCH-02 inside run: callbacks scheduled by callbacks queue behind the task's wake-up", () => {
    const log: string[] = [];
    vrun(
      (function* () {
        const loop = getRunningLoop();
        loop.callSoon(() => {
          log.push("a");
          loop.callSoon(() => log.push("a-child"));
        });
        loop.callSoon(() => log.push("b"));
        yield* sleep(0);
        log.push("main1");
        yield* sleep(0);
        log.push("main2");
      })(),
    );
    expect(log).to.deep.equal(["a", "b", "main1", "a-child", "main2"]);
  });

  // src: tasks.py Task.__init__ (loop.call_soon(self.__step))
  it("SCH-03 createTask runs nothing; tasks start on the next tick in creation order", () => {
    const log: unknown[] = [];
    function* w(i: number): Co<void> {
      log.push(i);
    }
    vrun(
      (function* () {
        for (let i = 0; i < 5; i++) createTask(w(i));
        log.push("main before yield");
        yield* sleep(0);
        log.push("main after yield");
      })(),
    );
    expect(log).to.deep.equal(["main before yield", 0, 1, 2, 3, 4, "main after yield"]);
  });

  // src: test_tasks.py SleepTests.test_sleep_zero
  it("SCH-04 sleep(0) yields exactly one tick (no timer, no time passes)", () => {
    const log: string[] = [];
    function* loopy(name: string): Co<void> {
      for (let i = 0; i < 3; i++) {
        log.push(name + i);
        yield* sleep(0);
      }
    }
    const t = vrun(
      (function* () {
        const a = createTask(loopy("a"));
        const b = createTask(loopy("b"));
        getRunningLoop().callSoon(() => log.push("cs1"));
        yield* gather(a, b);
        return now();
      })(),
    );
    expect(log).to.deep.equal(["a0", "b0", "cs1", "a1", "b1", "a2", "b2"]);
    expect(t).to.equal(0);
  });

  // src: base_events.py _run_once; verified on CPython 3.11–3.13
  it("SCH-05 due timers are appended after the callbacks already ready at the start of the tick", () => {
    const log: string[] = [];
    vrun(
      (function* () {
        const loop = getRunningLoop();
        const push = (x: string) => log.push(x);
        loop.callLater(-1000, push, "a(-1)");
        loop.callLater(-2000, push, "b(-2)");
        loop.callSoon(push, "soon");
        loop.callLater(0, push, "c(0)");
        yield* sleep(0);
        log.push("main after sleep0");
        yield* sleep(0);
        log.push("main after 2nd sleep0");
      })(),
    );
    expect(log).to.deep.equal([
      "soon",
      "main after sleep0",
      "b(-2)",
      "a(-1)",
      "c(0)",
      "main after 2nd sleep0",
    ]);
  });

  // Held back. CPython: timers are a heap ordered by deadline (test_base_events.py test__run_once,
  // test_call_later_negative_delays); cancelled handles are dropped and never run.
  // Verified on CPython 3.13: ['a', 'b', 'c'] at 0.1/0.2/0.3.
  it("SCH-06 timers fire in deadline order whatever the scheduling order; a cancelled timer never runs", () => {
    const log: [string, number][] = [];
    const end = vrun(
      (function* () {
        const loop = getRunningLoop();
        const push = (x: string) => log.push([x, loop.time()]);
        loop.callLater(300, push, "c");
        loop.callLater(100, push, "a");
        const h = loop.callLater(200, push, "x");
        loop.callLater(200, push, "b");
        expect(h.cancelled()).to.equal(false);
        h.cancel();
        expect(h.cancelled()).to.equal(true);
        yield* sleep(1000);
        return loop.time();
      })(),
    );
    expect(log).to.deep.equal([
      ["a", 100],
      ["b", 200],
      ["c", 300],
    ]);
    expect(end).to.equal(1000);
  });

  // Held back. CPython test_time_and_call_at / test_call_later: call_at takes an absolute
  // loop time, TimerHandle.when() is the deadline.
  it("SCH-06 callAt uses absolute loop time; TimerHandle.when() reports the deadline", () => {
    const { loop } = newLoop();
    const log: [string, number][] = [];
    const h1 = loop.callAt(loop.time() + 250, () => log.push(["at", loop.time()]));
    const h2 = loop.callLater(100, () => log.push(["later", loop.time()]));
    expect(h1.when()).to.equal(250);
    expect(h2.when()).to.equal(100);
    loop.callAt(300, () => loop.stop());
    loop.runForever();
    expect(log).to.deep.equal([
      ["later", 100],
      ["at", 250],
    ]);
    expect(loop.time()).to.equal(300);
    loop.close();
  });

  // CPython does NOT guarantee FIFO for equal deadlines ([0,2,6,5,9,8,7,1,3,4]);
  // genloop's contract (api.md §2) is stricter: equal deadlines fire in scheduling order.
  it("SCH-07 equal deadlines fire in scheduling order (genloop's FIFO guarantee) — callbacks", () => {
    const log: number[] = [];
    vrun(
      (function* () {
        const loop = getRunningLoop();
        for (let i = 0; i < 10; i++) loop.callLater(1000, (x: number) => log.push(x), i);
        yield* sleep(2000);
      })(),
    );
    expect(log).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("SCH-07 equal deadlines fire in scheduling order (genloop's FIFO guarantee) — sleeping tasks", () => {
    const log: number[] = [];
    vrun(
      (function* () {
        const ts: Task<void>[] = [];
        for (let i = 0; i < 10; i++)
          ts.push(
            createTask(
              (function* () {
                yield* sleep(1000);
                log.push(i);
              })(),
            ),
          );
        yield* gather(...ts);
      })(),
    );
    expect(log).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  // Held back. CPython futures.py add_done_callback / __schedule_callbacks: done callbacks always
  // go through call_soon, even on an already-done future, queueing behind earlier callbacks.
  // Verified on CPython 3.13: ['sync','soon-before','done-cb','soon-after','main after sleep0',
  //                            'after set','soon2','g-cb1','g-cb2']
  it("SCH-08 done callbacks always go through callSoon and queue behind earlier callbacks", () => {
    const log: string[] = [];
    vrun(
      (function* () {
        const loop = getRunningLoop();
        const f = loop.createFuture<number>();
        f.setResult(1);
        loop.callSoon(() => log.push("soon-before"));
        f.addDoneCallback(() => log.push("done-cb"));
        loop.callSoon(() => log.push("soon-after"));
        log.push("sync");
        yield* sleep(0);
        log.push("main after sleep0");
        const g = loop.createFuture<number>();
        g.addDoneCallback(() => log.push("g-cb1"));
        loop.callSoon(() => log.push("soon2"));
        g.setResult(2);
        g.addDoneCallback(() => log.push("g-cb2"));
        log.push("after set");
        yield* sleep(0);
      })(),
    );
    expect(log).to.deep.equal([
      "sync",
      "soon-before",
      "done-cb",
      "soon-after",
      "main after sleep0",
      "after set",
      "soon2",
      "g-cb1",
      "g-cb2",
    ]);
  });

  // verified on CPython 3.11–3.13
  it("SCH-09 awaiting a task costs ticks: child step, then parent wake-up on a later tick", () => {
    const log: unknown[] = [];
    vrun(
      (function* () {
        const t = createTask(
          (function* () {
            log.push("child runs");
            return 2;
          })(),
        );
        getRunningLoop().callSoon(() => log.push("soon-1"));
        const r = yield* t;
        log.push(["parent resumed", r]);
      })(),
    );
    expect(log).to.deep.equal(["child runs", "soon-1", ["parent resumed", 2]]);
  });

  // src: futures.py Future.__await__ (if not self.done(): yield self)
  it("SCH-10 awaiting an already-done future or a plain coroutine does not yield to the loop", () => {
    const log: unknown[] = [];
    vrun(
      (function* () {
        const loop = getRunningLoop();
        const f = loop.createFuture<number>();
        f.setResult(1);
        loop.callSoon(() => log.push("soon"));
        const r1 = yield* f;
        log.push(["awaited done future", r1]);
        const r2 = yield* value(2);
        log.push(["awaited coroutine", r2]);
        yield* sleep(0);
        log.push("after sleep0");
      })(),
    );
    expect(log).to.deep.equal([["awaited done future", 1], ["awaited coroutine", 2], "soon", "after sleep0"]);
  });

  it("SCH-10 `yield coro` and `yield doneFuture` (untyped form) also run inline without a tick", () => {
    const log: unknown[] = [];
    vrun(
      (function* (): Co<void> {
        const loop = getRunningLoop();
        const f = loop.createFuture<number>();
        f.setResult(1);
        loop.callSoon(() => log.push("soon"));
        const r1 = yield f;
        log.push(["done future", r1]);
        const r2 = yield value(2);
        log.push(["coroutine", r2]);
        yield* sleep(0);
        log.push("after sleep0");
      })(),
    );
    expect(log).to.deep.equal([["done future", 1], ["coroutine", 2], "soon", "after sleep0"]);
  });

  // src: tasks.py sleep (call_later(delay, futures._set_result_unless_cancelled, ...));
  // verified on CPython 3.11–3.13
  it("SCH-11 a sleep's wake-up happens one tick after its timer fires", () => {
    const log: unknown[] = [];
    function* sl(d: number, name: string): Co<void> {
      yield* sleep(d);
      log.push([name, now()]);
    }
    vrun(
      (function* () {
        getRunningLoop().callLater(500, () => log.push("timer@0.5"));
        yield* gather(sl(500, "sleeper@0.5"), sl(200, "sleeper@0.2"));
      })(),
    );
    expect(log).to.deep.equal([["sleeper@0.2", 200], "timer@0.5", ["sleeper@0.5", 500]]);
  });

  // Variant where the sleeper's timer is scheduled *before* the plain timer with the same
  // deadline: the plain timer still runs first because the sleeper resumes one tick after its
  // timer fired. Verified on CPython 3.13: [('s2',0.2), 'timer@0.5', ('sleeper',0.5)]
  it("SCH-11 (variant) sleeper timer scheduled first still resumes after a same-deadline plain timer", () => {
    const log: unknown[] = [];
    function* sl(d: number, name: string): Co<void> {
      yield* sleep(d);
      log.push([name, now()]);
    }
    vrun(
      (function* () {
        const g = createTask(
          (function* () {
            return yield* gather(sl(500, "sleeper"), sl(200, "s2"));
          })(),
        );
        yield* sleep(0);
        yield* sleep(0); // gather children have registered their timers by now
        getRunningLoop().callLater(500, () => log.push("timer@0.5"));
        yield* g;
      })(),
    );
    expect(log).to.deep.equal([["s2", 200], "timer@0.5", ["sleeper", 500]]);
  });

  // src: test_tasks.py test_sleep (TestLoop sees deadlines 0.05 then 0.1)
  it("SCH-12 idle loop jumps straight to the next deadline (virtual time)", () => {
    const { loop } = newLoop();
    function* sleeper(dt: number, arg: string): Co<string> {
      yield* sleep(dt / 2);
      return yield* sleep(dt / 2, arg);
    }
    const t = loop.createTask(sleeper(100, "yeah"));
    runBriefly(loop);
    expect(loop.nextDeadline()).to.equal(50);
    expect(loop.time()).to.equal(0);
    expect(loop.runUntilComplete(t)).to.equal("yeah");
    expect(loop.time()).to.equal(100);
    loop.close();
  });

  it("SCH-12 a workflow sleeping for hours finishes at once on a VirtualClock", () => {
    const clock = new VirtualClock();
    const started = Date.now();
    const r = run(
      (function* () {
        for (let i = 0; i < 24; i++) yield* sleep(3600_000);
        return getRunningLoop().time();
      })(),
      { clock },
    );
    expect(r).to.equal(24 * 3600_000);
    expect(clock.now()).to.equal(24 * 3600_000);
    expect(Date.now() - started).to.be.lessThan(2000);
  });

  // api.md §2: when main waits and nothing is scheduled, run does not hang.
  it("SCH-12 (genloop) idle with nothing scheduled: run cancels pending tasks and throws RuntimeError 'deadlock'", () => {
    const log: string[] = [];
    const holder: { helper?: Task<void> } = {};
    let err: unknown = null;
    try {
      vrun(
        (function* () {
          const loop = getRunningLoop();
          const never = loop.createFuture<void>();
          holder.helper = createTask(
            (function* () {
              try {
                yield* never;
              } finally {
                log.push("helper finally");
              }
            })(),
            { name: "helper-task" },
          );
          try {
            yield* never;
          } finally {
            log.push("main finally");
          }
        })(),
      );
    } catch (e) {
      err = e;
    }
    expect(err).to.be.an.instanceOf(RuntimeError);
    const msg = (err as Error).message;
    expect(msg).to.contain("deadlock");
    expect(msg).to.contain("helper-task");
    // main is cancelled first (creation order), then the helper; both finally blocks ran
    expect(log).to.deep.equal(["main finally", "helper finally"]);
    expect(holder.helper!.done()).to.equal(true);
    expect(holder.helper!.cancelled()).to.equal(true);
  });

  // Held back. CPython base_events.py _run_once / events.Handle._run: an exception raised by a
  // callback goes to call_exception_handler ('Exception in callback ...', test_set_exc_handler_custom,
  // test_default_exc_handler_callback); the loop keeps running the rest of the iteration.
  it("SCH-13 an exception thrown by a callback goes to the exception handler and the loop keeps running", () => {
    const { loop, ctxs } = newLoop();
    const log: string[] = [];
    const boom = new Error("boom");
    const h = loop.callSoon(() => {
      throw boom;
    });
    loop.callSoon(() => log.push("after"));
    loop.callLater(10, () => {
      throw new RangeError("timer boom");
    });
    loop.callLater(20, () => log.push("timer after"));
    runBriefly(loop);
    expect(log).to.deep.equal(["after"]);
    expect(ctxs).to.have.length(1);
    expect(ctxs[0]!.exception).to.equal(boom);
    expect(ctxs[0]!.message).to.match(/Exception in callback/);
    expect(ctxs[0]!.handle).to.equal(h);
    loop.callLater(30, () => loop.stop());
    loop.runForever();
    expect(log).to.deep.equal(["after", "timer after"]);
    expect(ctxs).to.have.length(2);
    expect(ctxs[1]!.exception).to.be.an.instanceOf(RangeError);
    loop.close();
  });

  // Held back. CPython test_run_once / test_run_forever_pre_stopped: stop() before run_forever()
  // makes run_forever run exactly one iteration (poll with timeout 0) and return.
  it("SCH-13 stop() before runForever(): exactly one iteration runs, without waiting for timers", () => {
    const { loop } = newLoop();
    const log: string[] = [];
    loop.callSoon(() => {
      log.push("a");
      loop.callSoon(() => log.push("next tick"));
    });
    loop.callLater(1000, () => log.push("timer"));
    loop.stop();
    loop.runForever();
    expect(log).to.deep.equal(["a"]);
    expect(loop.time()).to.equal(0);
    expect(loop.isRunning()).to.equal(false);
    runBriefly(loop);
    expect(log).to.deep.equal(["a", "next tick"]);
    loop.close();
  });

  it("SCH-13 an exception thrown by a callback inside run() is reported and run() still returns", () => {
    const log: string[] = [];
    let ctxs: ReturnType<typeof captureHandler> = [];
    const r = vrun(
      (function* () {
        ctxs = captureHandler();
        const loop = getRunningLoop();
        loop.callSoon(() => {
          throw new TypeError("cb failed");
        });
        loop.callSoon(() => log.push("still running"));
        yield* sleep(10);
        return "done";
      })(),
    );
    expect(r).to.equal("done");
    expect(log).to.deep.equal(["still running"]);
    expect(ctxs).to.have.length(1);
    expect(ctxs[0]!.exception).to.be.an.instanceOf(TypeError);
  });
});
