// Catalogue area WFOR — waitFor (asyncio-semantics.md §D2), asyncio 3.12+ semantics.
import { expect } from "chai";
import {
  waitFor,
  shield,
  sleep,
  gather,
  createTask,
  currentTask,
  getRunningLoop,
  Future,
  CancelledError,
  TimeoutError,
  Condition,
  Queue,
} from "../../lib/index.js";
import { type Co, vrun, catchError, now, causeOf } from "../helpers.js";

class FooError extends Error {}

/** Runs `body` on a virtual clock and returns [outcome, loop time], outcome being the value or the error. */
function outcome<T>(body: () => Co<T>): unknown {
  return vrun(
    (function* () {
      try {
        return yield* body();
      } catch (e) {
        return e;
      }
    })(),
  );
}

describe("compose: waitFor (WFOR)", () => {
  // src: test_waitfor.py test_wait_for
  it("WFOR-01 the timeout cancels the task, waits for its finally, raises TimeoutError caused by the CancelledError", () => {
    const out = vrun(
      (function* () {
        let running = true;
        const fut = createTask(
          (function* (): Co<string> {
            try {
              yield* sleep(10_000);
            } finally {
              running = false;
            }
            return "done";
          })(),
        );
        try {
          yield* waitFor(fut, 100);
          return "no timeout";
        } catch (e) {
          return {
            timeout: e instanceof TimeoutError,
            cause: causeOf(e) instanceof CancelledError,
            t: now(),
            done: fut.done(),
            cancelled: fut.cancelled(),
            running,
          };
        }
      })(),
    );
    expect(out).to.deep.equal({ timeout: true, cause: true, t: 100, done: true, cancelled: true, running: false });
  });

  // src: test_wait_for_blocking (held back in the catalogue; CPython 3.13: returns 'done', no time passes)
  it("WFOR-02 timeout null waits without limit: a coroutine's result comes back", () => {
    const out = vrun(
      (function* () {
        const a = yield* waitFor((function* () { return "done"; })(), null);
        const b = yield* waitFor(sleep(5000, "slept"), null);
        return [a, b, now()];
      })(),
    );
    expect(out).to.deep.equal(["done", "slept", 5000]);
  });

  // src: test_wait_for_timeout_less_then_0_or_0_future_done
  it("WFOR-03 timeout <= 0 with an already-done future returns its result", () => {
    const out = vrun(
      (function* () {
        const f = new Future<string>();
        f.setResult("done");
        return [yield* waitFor(f, 0), yield* waitFor(f, -1), now()];
      })(),
    );
    expect(out).to.deep.equal(["done", "done", 0]);
  });

  // src: test_wait_for_timeout_less_then_0_or_0_coroutine_do_not_started
  it("WFOR-04 timeout <= 0 with a coroutine: TimeoutError and the coroutine never starts", () => {
    let started = false;
    const e = outcome(function* () {
      return yield* waitFor((function* () { started = true; })(), 0);
    });
    expect(e).to.be.instanceOf(TimeoutError);
    expect(causeOf(e)).to.be.instanceOf(CancelledError);
    expect(started).to.equal(false);
  });

  // src: test_wait_for_timeout_less_then_0_or_0
  for (const t of [0, -1]) {
    it(`WFOR-05 timeout ${t} with a running task: TimeoutError, task cancelled after its finally ran`, () => {
      const out = vrun(
        (function* () {
          let cleaned = false;
          const task = createTask((function* () { try { yield* sleep(10_000); } finally { cleaned = true; } })());
          yield* sleep(0);
          try {
            yield* waitFor(task, t);
          } catch (e) {
            return [e instanceof TimeoutError, task.cancelled(), cleaned, now()];
          }
          return "no timeout";
        })(),
      );
      expect(out).to.deep.equal([true, true, true, 0]);
    });
  }

  // src: test_wait_for_race_condition
  it("WFOR-06 a result arriving in the same tick as the start wins", () => {
    const out = vrun(
      (function* () {
        const fut = new Future<string>();
        getRunningLoop().callSoon(() => fut.setResult("ok"));
        return yield* waitFor(fut, 200);
      })(),
    );
    expect(out).to.equal("ok");
  });

  // src: test_wait_for_cancel_suppressed, test_wait_for_cancellation_race_condition
  it("WFOR-07 an inner coroutine that swallows the timeout's cancellation and returns: its value comes back", () => {
    const out = vrun(
      (function* () {
        const a = yield* waitFor(
          (function* () {
            try {
              yield* sleep(10_000);
            } catch (e) {
              if (e instanceof CancelledError) return 42;
              throw e;
            }
            return 0;
          })(),
          100,
        );
        return [a, now(), currentTask()!.cancelling()];
      })(),
    );
    expect(out).to.deep.equal([42, 100, 0]);
  });

  it("WFOR-07 same with a task that swallows the cancellation", () => {
    const out = vrun(
      (function* () {
        const t = createTask((function* () { try { yield* sleep(1000); } catch { return 1; } return 2; })());
        return [yield* waitFor(t, 100), now()];
      })(),
    );
    expect(out).to.deep.equal([1, 100]);
  });

  // src: test_wait_for_waits_for_task_cancellation(_w_timeout_0), SlowTask tests
  for (const t of [100, 0]) {
    it(`WFOR-08 waitFor(task, ${t}) raises only after the task's cleanup ended`, () => {
      const out = vrun(
        (function* () {
          let exited = false;
          const task = createTask(
            (function* () {
              try {
                yield* sleep(10_000);
              } catch (e) {
                yield* sleep(500);
                exited = true;
                throw e;
              }
            })(),
          );
          yield* sleep(0);
          try {
            yield* waitFor(task, t);
          } catch (e) {
            return [e instanceof TimeoutError, causeOf(e) instanceof CancelledError, now(), exited];
          }
          return "no timeout";
        })(),
      );
      expect(out).to.deep.equal([true, true, t + 500, true]);
    });
  }

  // src: test_wait_for_reraises_exception_during_cancellation
  it("WFOR-09 an error raised while being cancelled replaces the TimeoutError", () => {
    const e = outcome(function* () {
      const task = createTask((function* () { try { yield* sleep(200); } finally { throw new FooError("foo"); } })());
      return yield* waitFor(task, 1);
    });
    expect(e).to.be.instanceOf(FooError);
  });

  // src: test_cancel_blocking_wait_for, test_cancel_wait_for
  for (const t of [null, 60_000]) {
    it(`WFOR-10 cancelling waitFor(task, ${t}) cancels the inner task`, () => {
      const out = vrun(
        (function* () {
          const never = new Future<void>();
          const task = createTask((function* () { yield never; })());
          const w = createTask((function* () { return yield* waitFor(task, t); })());
          getRunningLoop().callSoon(() => w.cancel());
          try {
            yield* w;
          } catch (e) {
            return [e instanceof CancelledError, task.cancelled(), w.cancelled()];
          }
          return "not cancelled";
        })(),
      );
      expect(out).to.deep.equal([true, true, true]);
    });
  }

  // src: test_wait_for_issue86296
  it("WFOR-11 the caller's cancellation is not lost when the inner is already done (3.12+)", () => {
    const out = vrun(
      (function* () {
        let reachedEnd = false;
        const innerTask = createTask((function* () { return "done"; })());
        const task = createTask(
          (function* () {
            const r = yield* waitFor(innerTask, 100_000);
            yield* sleep(1000);
            reachedEnd = true;
            return r;
          })(),
        );
        yield* sleep(0);
        task.cancel();
        try {
          yield* task;
        } catch (e) {
          return [e instanceof CancelledError, reachedEnd, innerTask.result()];
        }
        return "not cancelled";
      })(),
    );
    expect(out).to.deep.equal([true, false, "done"]);
  });

  it("WFOR-12 an inner that keeps swallowing cancellations: its value is returned, no TimeoutError (3.12+)", () => {
    const out = vrun(
      (function* () {
        function* inner(): Co<number> {
          try {
            yield* sleep(300);
          } catch {
            try {
              yield* sleep(300);
            } catch {
              yield* sleep(300);
            }
          }
          return 42;
        }
        const innerTask = createTask(inner());
        const task = createTask((function* () { return yield* waitFor(innerTask, 100); })());
        yield* sleep(200);
        task.cancel();
        const r = yield* task;
        return [r, now(), innerTask.result()];
      })(),
    );
    expect(out).to.deep.equal([42, 500, 42]);
  });

  it("WFOR-13 a coroutine argument runs inline in the caller's task (3.12+); timeout <= 0 wraps it in a task", () => {
    const out = vrun(
      (function* () {
        const caller = currentTask();
        const inline = yield* waitFor((function* () { return currentTask() === caller; })(), 1000);
        const wrapped = yield* waitFor(gather((function* () { return currentTask() === caller; })()), 1000);
        return [inline, wrapped[0]];
      })(),
    );
    expect(out).to.deep.equal([true, false]);
  });

  // src: WaitForShieldTests
  it("WFOR-14 waitFor(shield(task), 0): TimeoutError, the shield is cancelled, the task goes on", () => {
    const out = vrun(
      (function* () {
        const task = createTask(sleepThen(10, "done"));
        let err: unknown = null;
        try {
          yield* waitFor(shield(task), 0);
        } catch (e) {
          err = e;
        }
        const midway = [task.done(), task.cancelled()];
        const r = yield* task;
        return [err instanceof TimeoutError, midway, r, now()];
      })(),
    );
    expect(out).to.deep.equal([true, [false, false], "done", 10]);
  });

  it("WFOR-14 waitFor(shield(task), null) completes; waitFor(shield(task), 10) times out and the task continues", () => {
    const out = vrun(
      (function* () {
        const t1 = createTask(sleepThen(100, "done"));
        const a = yield* waitFor(shield(t1), null);
        const t2 = createTask(sleepThen(100, "done"));
        let err: unknown = null;
        try {
          yield* waitFor(shield(t2), 10);
        } catch (e) {
          err = e;
        }
        const atTimeout = now();
        return [a, err instanceof TimeoutError, atTimeout, yield* t2, now()];
      })(),
    );
    expect(out).to.deep.equal(["done", true, 110, "done", 200]);
  });

  // src: test_locks.py ConditionTests.test_timeout_in_block
  it("WFOR-15 Condition.wait() inside waitFor times out and re-acquires before the error surfaces", () => {
    const out = vrun(
      (function* () {
        const cond = new Condition();
        let error: unknown = null;
        let lockedWhenCaught = false;
        try {
          yield* cond.with(function* () {
            try {
              yield* waitFor(cond.wait(), 500);
            } catch (e) {
              lockedWhenCaught = cond.locked(); // re-acquired before the TimeoutError reached us
              throw e;
            }
          });
        } catch (e) {
          error = e;
        }
        return [error instanceof TimeoutError, lockedWhenCaught, cond.locked(), now()];
      })(),
    );
    expect(out).to.deep.equal([true, true, false, 500]);
  });

  // src: test_queues.py test_cancelled_getters_not_being_held_in_self_getters
  it("WFOR-16 Queue.get() under a waitFor timeout removes its getter", () => {
    const out = vrun(
      (function* () {
        const queue = new Queue<number>();
        let error: unknown = null;
        try {
          yield* waitFor(queue.get(), 100);
        } catch (e) {
          error = e;
        }
        return [error instanceof TimeoutError, now(), queue._getters.length];
      })(),
    );
    expect(out).to.deep.equal([true, 100, 0]);
  });

  it("waitFor as a task (ensureFuture/gather) behaves the same", () => {
    const out = vrun(
      (function* () {
        const [r] = yield* gather(waitFor(sleep(10, "x"), 100));
        let err: unknown = null;
        try {
          yield* gather(waitFor(sleep(1000), 100));
        } catch (e) {
          err = e;
        }
        return [r, err instanceof TimeoutError, now()];
      })(),
    );
    expect(out).to.deep.equal(["x", true, 110]);
  });

  it("waitFor argument errors: non-awaitables (TypeError), missing or bad timeouts", () => {
    expect(catchError(() => waitFor(42 as any, 1), TypeError).message).to.match(/waitFor: the first argument must be/);
    expect(catchError(() => waitFor(sleep(1), undefined as any), TypeError).message).to.match(/timeout is missing/);
    expect(catchError(() => waitFor(sleep(1), "10" as any), TypeError).message).to.match(/must be a number of milliseconds/);
    catchError(() => waitFor(sleep(1), NaN), RangeError);
    expect(waitFor(sleep(1), 5)).to.deep.include({ kind: "waitFor", timeout: 5 });
  });

  it("the TimeoutError's message names waitFor and the deadline", () => {
    const e = outcome(function* () {
      return yield* waitFor(sleep(1000), 100);
    });
    expect((e as Error).message).to.match(/^waitFor: the deadline passed \(loop time 100\)/);
  });
});

function* sleepThen<T>(ms: number, v: T): Co<T> {
  yield* sleep(ms);
  return v;
}
