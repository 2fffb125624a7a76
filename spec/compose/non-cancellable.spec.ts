// nonCancellable(): cleanup that always finishes (deferred cancellation, optional time limit).
import { expect } from "chai";
import {
  nonCancellable,
  timeout,
  taskGroup,
  sleep,
  createTask,
  currentTask,
  CancelledError,
  TimeoutError,
  ExceptionGroup,
  Task,
} from "../../lib/index.js";
import { type Co, vrun, now } from "../helpers.js";

class Boom extends Error {}

/** The outcome of a task, as text, once it is done. */
function outcome(task: Task<unknown>): string {
  if (task.cancelled()) return "cancelled";
  const e = task.exception();
  return e === null ? `result ${String(task.result())}` : `error ${(e as Error).constructor.name}`;
}

describe("compose: nonCancellable scopes", () => {
  // Effection #1154, problem one: a second cancellation cut a two-step cleanup short.
  it("Effection #1154 (split cleanup): a cancel during cleanup1 defers until cleanup2 has run; the code after the try does not run", () => {
    const log: string[] = [];
    const out = vrun(
      (function* () {
        function* work(): Co<void> {
          try {
            yield* sleep(100);
            log.push("after doThing");
          } finally {
            yield* nonCancellable(function* () {
              log.push(`cleanup1 ${now()}`);
              yield* sleep(10);
              log.push(`cleanup2 ${now()}`);
              yield* sleep(10);
              log.push(`cleanup done ${now()}`);
            });
            log.push("after the scope");
          }
          log.push("after the try");
        }
        const task = createTask(work());
        yield* sleep(5);
        task.cancel("first");
        yield* sleep(5); // now in cleanup1
        task.cancel("second");
        const cancellingInside = task.cancelling();
        yield* sleep(100);
        return [outcome(task), cancellingInside, task.cancelling()];
      })(),
    );
    expect(log).to.deep.equal(["cleanup1 5", "cleanup2 15", "cleanup done 25", "after the scope"]);
    expect(out).to.deep.equal(["cancelled", 2, 2]);
  });

  // Effection #1154, problem two: an inner operation whose finally yields must not let the
  // cancelled caller go on.
  it("Effection #1154 (unsound continuation): the caller of an inner operation whose finally yields does not continue", () => {
    const log: string[] = [];
    vrun(
      (function* () {
        function* inner(): Co<number> {
          try {
            yield* sleep(1e9);
            return 123;
          } finally {
            yield* nonCancellable(function* () {
              yield* sleep(0);
              log.push("inner cleanup ran");
            });
          }
        }
        const task = createTask(
          (function* () {
            const value = yield* inner();
            log.push(`leaked ${value}`);
          })(),
        );
        yield* sleep(1);
        task.cancel();
        yield* sleep(0);
        task.cancel(); // a second request lands inside the cleanup
        yield* sleep(10);
        log.push(outcome(task));
      })(),
    );
    expect(log).to.deep.equal(["inner cleanup ran", "cancelled"]);
  });

  it("a cancellation deferred by a block that returns normally is delivered at the next suspension, with its message", () => {
    const out = vrun(
      (function* () {
        const log: string[] = [];
        const task = createTask(
          (function* () {
            const v = yield* nonCancellable(function* () {
              yield* sleep(10);
              log.push(`cancelling inside: ${currentTask()!.cancelling()}`);
              return "v";
            });
            log.push(`synchronous code after the block: ${v}`);
            yield* sleep(0);
            log.push("never");
          })(),
        );
        yield* sleep(1);
        expect(task.cancel("go away")).to.equal(true);
        let message = "";
        try {
          yield task;
        } catch (e) {
          message = e instanceof CancelledError ? `CancelledError ${e.message} at ${now()}` : String(e);
        }
        return [log, message, task.cancelling()];
      })(),
    );
    expect(out).to.deep.equal([["cancelling inside: 1", "synchronous code after the block: v"], "CancelledError go away at 10", 1]);
  });

  it("uncancel() inside the block withdraws the deferred request: the code after the scope runs", () => {
    const out = vrun(
      (function* () {
        const task = createTask(
          (function* () {
            yield* nonCancellable(function* () {
              yield* sleep(10);
              return currentTask()!.uncancel();
            });
            yield* sleep(1);
            return "finished";
          })(),
        );
        yield* sleep(1);
        task.cancel();
        yield* sleep(20);
        return outcome(task);
      })(),
    );
    expect(out).to.equal("result finished");
  });

  it("a cancellation requested before the block but not yet delivered is deferred too", () => {
    const out = vrun(
      (function* () {
        const log: string[] = [];
        const task = createTask(
          (function* () {
            currentTask()!.cancel("self");
            yield* nonCancellable(function* () {
              yield* sleep(5);
              log.push(`block finished at ${now()}`);
            });
            yield* sleep(0);
            log.push("never");
          })(),
        );
        yield* sleep(10);
        return [log, outcome(task)];
      })(),
    );
    expect(out).to.deep.equal([["block finished at 5"], "cancelled"]);
  });

  it("an error from the block propagates and the deferred cancellation comes at the next suspension", () => {
    const out = vrun(
      (function* () {
        const log: string[] = [];
        const task = createTask(
          (function* () {
            try {
              yield* nonCancellable(function* () {
                yield* sleep(5);
                throw new Boom("cleanup failed");
              });
            } catch (e) {
              log.push(`caught ${(e as Error).message}`);
            }
            log.push("sync code after runs");
            yield* sleep(1);
            log.push("never");
          })(),
        );
        yield* sleep(1);
        task.cancel();
        yield* sleep(10);
        return [log, outcome(task)];
      })(),
    );
    expect(out).to.deep.equal([["caught cleanup failed", "sync code after runs"], "cancelled"]);
  });

  it("a timeout expiring during the block: the block finishes, then the scope raises TimeoutError", () => {
    const out = vrun(
      (function* () {
        const log: string[] = [];
        let error: unknown = null;
        try {
          yield* timeout(30, function* () {
            yield* nonCancellable(function* () {
              yield* sleep(50);
              log.push(`block done at ${now()}`);
            });
            yield* sleep(10);
            log.push("never");
          });
        } catch (e) {
          error = e;
        }
        return [log, error instanceof TimeoutError, now(), currentTask()!.cancelling()];
      })(),
    );
    expect(out).to.deep.equal([["block done at 50"], true, 50, 0]);
  });

  it("a timeout expiring during cleanup after the body was cut off: the cleanup finishes", () => {
    const out = vrun(
      (function* () {
        const log: string[] = [];
        const task = createTask(
          (function* () {
            yield* timeout(30, function* () {
              try {
                yield* sleep(1000);
              } finally {
                yield* nonCancellable(function* () {
                  log.push(`cleanup starts at ${now()}`);
                  yield* sleep(50);
                  log.push(`cleanup done at ${now()}`);
                });
              }
            });
          })(),
        );
        yield* sleep(10);
        task.cancel("shutdown"); // cleanup starts at 10; the deadline (30) passes during it
        yield* sleep(100);
        return [log, outcome(task)];
      })(),
    );
    expect(out).to.deep.equal([["cleanup starts at 10", "cleanup done at 60"], "cancelled"]);
  });

  it("a task group aborting during a child's cleanup: the cleanup finishes, the child's own error is kept, then the group raises", () => {
    const out = vrun(
      (function* () {
        const log: string[] = [];
        let error: unknown = null;
        try {
          yield* taskGroup(function* (tg) {
            tg.createTask(
              (function* () {
                try {
                  yield* sleep(10);
                  throw new Boom("first failure");
                } finally {
                  yield* nonCancellable(function* () {
                    log.push(`a cleanup starts at ${now()}`);
                    yield* sleep(40);
                    log.push(`a cleanup done at ${now()}`);
                  });
                }
              })(),
            );
            tg.createTask(
              (function* () {
                yield* sleep(20);
                throw new Boom("second failure"); // aborts the group while a cleans up
              })(),
            );
          });
        } catch (e) {
          error = e;
        }
        const group = error as ExceptionGroup;
        return [log, error instanceof ExceptionGroup, group.exceptions.map((e) => (e as Error).message), now()];
      })(),
    );
    expect(out).to.deep.equal([["a cleanup starts at 10", "a cleanup done at 50"], true, ["second failure", "first failure"], 50]);
  });

  it("a task group aborting while a child cleans up after its own cancellation: that child ends cancelled after its cleanup", () => {
    const out = vrun(
      (function* () {
        const log: string[] = [];
        let error: unknown = null;
        try {
          yield* taskGroup(function* (tg) {
            tg.createTask(
              (function* () {
                try {
                  yield* sleep(1000);
                } finally {
                  yield* nonCancellable(function* () {
                    yield* sleep(40);
                    log.push(`cleanup done at ${now()}, cancelling ${currentTask()!.cancelling()}`);
                  });
                }
              })(),
            );
            yield* sleep(10);
            throw new Boom("body failed");
          });
        } catch (e) {
          error = e;
        }
        return [log, error instanceof ExceptionGroup ? (error.exceptions[0] as Error).message : String(error), now()];
      })(),
    );
    expect(out).to.deep.equal([["cleanup done at 50, cancelling 1"], "body failed", 50]);
  });

  it("the time limit cancels a hanging block: TimeoutError, and cancelling() is back where it was", () => {
    const out = vrun(
      (function* () {
        const log: string[] = [];
        let error: unknown = null;
        try {
          yield* nonCancellable(
            function* () {
              try {
                yield* sleep(1e9);
              } finally {
                log.push(`block cut at ${now()}`);
              }
            },
            { timeLimitMs: 25 },
          );
        } catch (e) {
          error = e;
        }
        return [log, error instanceof TimeoutError, (error as Error).message, currentTask()!.cancelling()];
      })(),
    );
    expect(out).to.deep.equal([["block cut at 25"], true, "nonCancellable: the block did not finish within its time limit of 25 ms", 0]);
  });

  it("the time limit with a deferred cancellation: the block is cut, then the task is cancelled (not a TimeoutError)", () => {
    const out = vrun(
      (function* () {
        const log: string[] = [];
        const task = createTask(
          (function* () {
            try {
              yield* sleep(1e9);
            } finally {
              yield* nonCancellable(function* () {
                try {
                  yield* sleep(1e9); // a cleanup that hangs
                } finally {
                  log.push(`cut at ${now()}`);
                }
              }, { timeLimitMs: 100 });
            }
          })(),
        );
        yield* sleep(10);
        task.cancel("stop");
        yield* sleep(10);
        task.cancel("stop again");
        yield* sleep(200);
        return [log, outcome(task), task.cancelling()];
      })(),
    );
    expect(out).to.deep.equal([["cut at 110"], "cancelled", 2]);
  });

  it("a block that finishes within its time limit: the result, no TimeoutError, the timer is gone", () => {
    const out = vrun(
      (function* () {
        const v = yield* nonCancellable(function* () {
          yield* sleep(5);
          return 42;
        }, { timeLimitMs: 10 });
        yield* sleep(100);
        return [v, currentTask()!.cancelling()];
      })(),
    );
    expect(out).to.deep.equal([42, 0]);
  });

  it("nested scopes: only the outermost delivers the deferred cancellation", () => {
    const out = vrun(
      (function* () {
        const log: string[] = [];
        const task = createTask(
          (function* () {
            yield* nonCancellable(function* () {
              yield* nonCancellable(function* () {
                yield* sleep(10);
              });
              log.push("after the inner scope");
              yield* sleep(10);
              log.push("outer block done");
            });
            yield* sleep(0);
            log.push("never");
          })(),
        );
        yield* sleep(1);
        task.cancel();
        yield* sleep(50);
        return [log, outcome(task)];
      })(),
    );
    expect(out).to.deep.equal([["after the inner scope", "outer block done"], "cancelled"]);
  });

  it("a task awaited inside the block is not cancelled by a deferred request", () => {
    const out = vrun(
      (function* () {
        const child = createTask((function* () {
          return yield* sleep(20, "child result");
        })());
        const task = createTask(
          (function* () {
            return yield* nonCancellable(function* () {
              return yield* child;
            });
          })(),
        );
        yield* sleep(1);
        task.cancel();
        yield* sleep(30);
        return [outcome(child), outcome(task)];
      })(),
    );
    expect(out).to.deep.equal(["result child result", "cancelled"]);
  });

  it("rejects bad arguments at the call", () => {
    expect(() => nonCancellable(42 as never)).to.throw(TypeError, /nonCancellable: the body must be a function/);
    expect(() => nonCancellable((function* () {})() as never)).to.throw(TypeError, /pass the function itself/);
    expect(() => nonCancellable(function* () {}, { timeLimitMs: "1s" as never })).to.throw(TypeError, /options.timeLimitMs must be a number/);
    expect(() => nonCancellable(function* () {}, { limit: 1 } as never)).to.throw(TypeError, /unknown option\(s\) limit/);
    expect(() =>
      vrun(
        (function* () {
          yield* nonCancellable((() => 1) as never);
        })(),
      ),
    ).to.throw(TypeError, /the body must return a coroutine/);
  });
});
