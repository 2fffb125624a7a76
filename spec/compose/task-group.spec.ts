// Catalogue area TG — taskGroup (asyncio-semantics.md §D6), plus lifecycle and argument errors.
import { expect } from "chai";
import {
  taskGroup,
  splitExceptionGroup,
  sleep,
  createTask,
  currentTask,
  Future,
  Task,
  TaskGroup,
  CancelledError,
  RuntimeError,
  ExceptionGroup,
  EventLoop,
  VirtualClock,
  captureCallGraph,
  formatTaskTree,
} from "../../lib/index.js";
import type { Awaitable } from "../../lib/index.js";
import { type Co, vrun, catchError, now } from "../helpers.js";

class ZeroDivisionError extends Error {}
class MyExc extends Error {}

function* sleepThen<T>(ms: number, v: T): Co<T> {
  yield* sleep(ms);
  return v;
}
function* crashAfter(ms: number, make: () => unknown = () => new ZeroDivisionError("division by zero")): Co<never> {
  yield* sleep(ms);
  throw make();
}
/** The error `body` throws (or "no error"). */
function* errorOf(body: Awaitable<unknown>): Co<unknown> {
  try {
    yield* body;
    return "no error";
  } catch (e) {
    return e;
  }
}
/** The set of constructor names of a group's direct members. */
function types(e: unknown): string[] {
  expect(e).to.be.instanceOf(ExceptionGroup);
  return [...new Set((e as ExceptionGroup).exceptions.map((x) => (x as Error).constructor.name))].sort();
}

describe("compose: taskGroup (TG)", () => {
  // src: test_taskgroup_01
  it("TG-01 waits for all children; returns the body's result", () => {
    const out = vrun(
      (function* () {
        let t1: Task<number> | null = null;
        let t2: Task<number> | null = null;
        const r = yield* taskGroup(function* (g) {
          t1 = g.createTask(sleepThen(100, 42));
          t2 = g.createTask(sleepThen(200, 11));
          return "body";
        });
        return [r, t1!.result(), t2!.result(), now()];
      })(),
    );
    expect(out).to.deep.equal(["body", 42, 11, 200]);
  });

  // src: test_taskgroup_02
  it("TG-02 tasks can be added while the body runs", () => {
    const out = vrun(
      (function* () {
        const [t1, t2] = yield* taskGroup(function* (g) {
          const a = g.createTask(sleepThen(100, 42));
          yield* sleep(150);
          const b = g.createTask(sleepThen(200, 11));
          return [a, b] as const;
        });
        return [t1.result(), t2.result(), now()];
      })(),
    );
    expect(out).to.deep.equal([42, 11, 350]);
  });

  // src: test_taskgroup_03
  it("TG-03 explicitly cancelling one child does not abort the group", () => {
    const out = vrun(
      (function* () {
        const [t1, t2] = yield* taskGroup(function* (g) {
          const a = g.createTask(sleepThen(1000, 42));
          yield* sleep(150);
          a.cancel();
          const b = g.createTask(sleepThen(200, 11));
          return [a, b] as const;
        });
        return [t1.cancelled(), t2.result(), now()];
      })(),
    );
    expect(out).to.deep.equal([true, 11, 350]);
  });

  // src: test_taskgroup_04
  it("TG-04 a child error cancels the siblings and the body; code after the block is skipped", () => {
    const out = vrun(
      (function* () {
        let NUM = 0;
        let t2Cancelled = false;
        let t2: Task<void> | null = null;
        const e = yield* errorOf(
          taskGroup(function* (g) {
            g.createTask(crashAfter(100));
            t2 = g.createTask(
              (function* () {
                try {
                  yield* sleep(1000);
                } catch (err) {
                  t2Cancelled = err instanceof CancelledError;
                  throw err;
                }
              })(),
            );
          }),
        );
        if (!(e instanceof ExceptionGroup)) NUM += 10;
        return [types(e), NUM, t2Cancelled, t2!.cancelled(), now()];
      })(),
    );
    expect(out).to.deep.equal([["ZeroDivisionError"], 0, true, true, 100]);
  });

  // src: test_cancel_children_on_child_error (held back in the catalogue; CPython 3.13: EG {ZeroDivisionError},
  // NUM == 0, the sleeping sibling and the body both saw CancelledError)
  it("TG-05 three failing children and a sleeper: one group of the errors, sibling and body cancelled", () => {
    const out = vrun(
      (function* () {
        let NUM = 0;
        let t2Cancel = false;
        let runnerCancel = false;
        function* runner(): Co<void> {
          yield* taskGroup(function* (g) {
            g.createTask(crashAfter(100));
            g.createTask(crashAfter(100));
            g.createTask(crashAfter(100));
            g.createTask(
              (function* () {
                try {
                  yield* sleep(5000);
                } catch (err) {
                  t2Cancel = true;
                  throw err;
                }
                NUM += 1;
              })(),
            );
            try {
              yield* sleep(10_000);
            } catch (err) {
              runnerCancel = true;
              throw err;
            }
          });
          NUM += 10;
        }
        const e = yield* errorOf(createTask(runner()));
        return [types(e), (e as ExceptionGroup).exceptions.length, NUM, t2Cancel, runnerCancel];
      })(),
    );
    // All three fail in the same tick, before the abort reaches them: three errors.
    expect(out).to.deep.equal([["ZeroDivisionError"], 3, 0, true, true]);
  });

  // src: test_cancellation, test_taskgroup_07, test_taskgroup_17, test_taskgroup_22
  it("TG-06 external cancellation → CancelledError, every child sees it (and the body, and empty groups)", () => {
    const out = vrun(
      (function* () {
        const res: unknown[] = [];
        for (const bodyWaits of [false, true]) {
          let NUM = 0;
          const r = createTask(
            (function* () {
              yield* taskGroup(function* (g) {
                for (let i = 0; i < 5; i++) {
                  g.createTask(
                    (function* () {
                      try {
                        yield* sleep(5000);
                      } catch (e) {
                        if (e instanceof CancelledError) NUM += 1;
                        throw e;
                      }
                    })(),
                  );
                }
                if (bodyWaits) {
                  try {
                    yield* sleep(10_000);
                  } catch (e) {
                    NUM += 10;
                    throw e;
                  }
                }
              });
            })(),
          );
          yield* sleep(100);
          r.cancel();
          const e = yield* errorOf(r);
          res.push([(e as Error).name, NUM, r.cancelled()]);
        }
        // an empty group whose body waits
        let NUM = 0;
        const r = createTask(
          (function* () {
            yield* taskGroup(function* () {
              try {
                yield* sleep(10_000);
              } catch (e) {
                NUM += 10;
                throw e;
              }
            });
          })(),
        );
        yield* sleep(100);
        r.cancel();
        res.push([(((yield* errorOf(r)) as Error).name), NUM]);
        // two sleeping children, cancelled at 50
        const kids: Task<number>[] = [];
        const r2 = createTask(
          (function* () {
            yield* taskGroup(function* (g) {
              kids.push(g.createTask(sleepThen(100, 1)), g.createTask(sleepThen(100, 2)));
            });
          })(),
        );
        yield* sleep(50);
        r2.cancel();
        res.push([((yield* errorOf(r2)) as Error).name, kids.map((k) => k.cancelled()), now()]);
        return res;
      })(),
    );
    expect(out).to.deep.equal([
      ["CancelledError", 5, true],
      ["CancelledError", 15, true],
      ["CancelledError", 10],
      ["CancelledError", [true, true], 350],
    ]);
  });

  // src: test_taskgroup_08
  it("TG-07 external cancellation but the children raise while cancelled → ExceptionGroup wins; cancelling() stays 1", () => {
    const out = vrun(
      (function* () {
        const r = createTask(
          (function* () {
            yield* taskGroup(function* (g) {
              for (let i = 0; i < 5; i++) {
                g.createTask((function* () { try { yield* sleep(10_000); } finally { throw new ZeroDivisionError(); } })());
              }
              yield* sleep(10_000);
            });
          })(),
        );
        yield* sleep(100);
        r.cancel();
        const e = yield* errorOf(r);
        return [types(e), (e as ExceptionGroup).exceptions.length, r.cancelling()];
      })(),
    );
    expect(out).to.deep.equal([["ZeroDivisionError"], 5, 1]);
  });

  // src: test_taskgroup_09
  it("TG-08 the body raises after an await: children cancelled, one group", () => {
    const out = vrun(
      (function* () {
        const tasks: Task<unknown>[] = [];
        const e = yield* errorOf(
          taskGroup(function* (g) {
            tasks.push(g.createTask(sleepThen(1000, 1)), g.createTask(sleepThen(2000, 2)));
            yield* sleep(100);
            throw new ZeroDivisionError();
          }),
        );
        return [types(e), tasks.map((t) => t.cancelled()), now()];
      })(),
    );
    expect(out).to.deep.equal([["ZeroDivisionError"], [true, true], 100]);
  });

  // src: test_taskgroup_10
  it("TG-09 the body raises before any await: children never start", () => {
    const out = vrun(
      (function* () {
        const log: number[] = [];
        const tasks: Task<unknown>[] = [];
        const e = yield* errorOf(
          taskGroup(function* (g) {
            tasks.push(g.createTask((function* () { log.push(1); yield* sleep(1000); })()));
            tasks.push(g.createTask((function* () { log.push(2); yield* sleep(2000); })()));
            throw new ZeroDivisionError();
          }),
        );
        return [types(e), tasks.map((t) => t.cancelled()), log, now()];
      })(),
    );
    expect(out).to.deep.equal([["ZeroDivisionError"], [true, true], [], 0]);
  });

  // src: test_taskgroup_11, test_taskgroup_12
  for (const withSibling of [false, true]) {
    it(`TG-10 nested groups, external cancel, inner children raise → a group holding a group${withSibling ? " (outer has a sleeping sibling)" : ""}`, () => {
      const out = vrun(
        (function* () {
          const r = createTask(
            (function* () {
              yield* taskGroup(function* (g1) {
                if (withSibling) g1.createTask(sleepThen(10_000, 0));
                yield* taskGroup(function* (g2) {
                  for (let i = 0; i < 5; i++) {
                    g2.createTask((function* () { try { yield* sleep(10_000); } finally { throw new ZeroDivisionError(); } })());
                  }
                  yield* sleep(10_000);
                });
              });
            })(),
          );
          yield* sleep(100);
          r.cancel();
          const e = (yield* errorOf(r)) as ExceptionGroup;
          return [types(e), e.exceptions.length, types(e.exceptions[0])];
        })(),
      );
      expect(out).to.deep.equal([["ExceptionGroup"], 1, ["ZeroDivisionError"]]);
    });
  }

  // src: test_taskgroup_13
  it("TG-11 an outer child fails while the inner group runs: a flat group", () => {
    const out = vrun(
      (function* () {
        const e = yield* errorOf(
          taskGroup(function* (g1) {
            g1.createTask(crashAfter(100, () => new RangeError("v")));
            yield* taskGroup(function* (g2) {
              g2.createTask(crashAfter(10_000, () => new RangeError("late")));
            });
          }),
        );
        return types(e);
      })(),
    );
    expect(out).to.deep.equal(["RangeError"]);
  });

  // src: test_taskgroup_14
  it("TG-12 an inner child fails: a group holding the inner group", () => {
    const out = vrun(
      (function* () {
        const e = yield* errorOf(
          taskGroup(function* (g1) {
            g1.createTask(crashAfter(10_000, () => new RangeError("late")));
            yield* taskGroup(function* (g2) {
              g2.createTask(crashAfter(100, () => new RangeError("v")));
            });
          }),
        );
        return [types(e), types((e as ExceptionGroup).exceptions[0])];
      })(),
    );
    expect(out).to.deep.equal([["ExceptionGroup"], ["RangeError"]]);
  });

  // src: test_taskgroup_15, test_taskgroup_16
  for (const nested of [false, true]) {
    it(`TG-13 the body delays after an external cancel and a child fails meanwhile → ExceptionGroup${nested ? " (group in a nested task)" : ""}`, () => {
      const out = vrun(
        (function* () {
          function* group(): Co<void> {
            yield* taskGroup(function* (g) {
              g.createTask(crashAfter(300));
              try {
                yield* sleep(10_000);
              } catch (e) {
                yield* sleep(500);
                throw e;
              }
            });
          }
          const r = createTask(nested ? (function* () { yield* createTask(group()); })() : group());
          yield* sleep(100);
          r.cancel();
          return types(yield* errorOf(r));
        })(),
      );
      expect(out).to.deep.equal(["ZeroDivisionError"]);
    });
  }

  // src: test_taskgroup_18
  it("TG-14 the body turns CancelledError into another error → a group of it", () => {
    const out = vrun(
      (function* () {
        let NUM = 0;
        const r = createTask(
          (function* () {
            yield* taskGroup(function* () {
              try {
                yield* sleep(10_000);
              } catch {
                NUM += 10;
                throw new MyExc();
              }
            });
          })(),
        );
        yield* sleep(100);
        r.cancel();
        return [types(yield* errorOf(r)), NUM];
      })(),
    );
    expect(out).to.deep.equal([["MyExc"], 10]);
  });

  // src: test_taskgroup_19
  it("TG-15 a body error and a child error are grouped together", () => {
    const out = vrun(
      (function* () {
        function* nested(): Co<void> {
          try {
            yield* sleep(10_000);
          } finally {
            throw new MyExc();
          }
        }
        return types(yield* errorOf(taskGroup(function* (g) { g.createTask(crashAfter(100)); yield* nested(); })));
      })(),
    );
    expect(out).to.deep.equal(["MyExc", "ZeroDivisionError"]);
  });

  // src: test_taskgroup_20. JavaScript has no KeyboardInterrupt/SystemExit (BaseException outside Exception):
  // genloop groups every error; what escapes ungrouped is only a CancelledError (external cancellation).
  it("TG-16 no error escapes ungrouped: even non-Error values thrown by the body are grouped", () => {
    const out = vrun(
      (function* () {
        function* nested(): Co<void> {
          try {
            yield* sleep(10_000);
          } finally {
            // eslint-disable-next-line no-throw-literal
            throw "interrupt";
          }
        }
        const e = (yield* errorOf(taskGroup(function* (g) { g.createTask(crashAfter(100)); yield* nested(); }))) as ExceptionGroup;
        return [e instanceof ExceptionGroup, e.exceptions.includes("interrupt"), e.exceptions.length];
      })(),
    );
    expect(out).to.deep.equal([true, true, 2]);
  });

  // src: test_taskgroup_20a, test_taskgroup_21a (held back in the catalogue; CPython 3.13: a BaseException
  // subclass from the body or a child is grouped with the other errors in a BaseExceptionGroup)
  it("TG-17 errors of any kind, from a child or the body, are grouped together", () => {
    const out = vrun(
      (function* () {
        function* nested(make: () => unknown): Co<void> {
          try {
            yield* sleep(10_000);
          } finally {
            throw make();
          }
        }
        const a = yield* errorOf(taskGroup(function* (g) { g.createTask(crashAfter(100)); yield* nested(() => new MyExc()); }));
        const b = yield* errorOf(
          taskGroup(function* (g) {
            g.createTask(crashAfter(100, () => new MyExc()));
            yield* nested(() => new TypeError("t"));
          }),
        );
        return [types(a), types(b)];
      })(),
    );
    expect(out).to.deep.equal([["MyExc", "ZeroDivisionError"], ["MyExc", "TypeError"]]);
  });

  // src: test_taskgroup_23
  it("TG-18 finished children leave the group", () => {
    const out = vrun(
      (function* () {
        const sizes: number[] = [];
        let group: TaskGroup | null = null;
        yield* taskGroup(function* (g) {
          group = g;
          for (let count = 0; count < 10; count++) {
            yield* sleep(100);
            g.createTask(sleepThen(300, count));
            if (count === 5) sizes.push(g._tasks.size);
          }
          yield* sleep(1350);
          sizes.push(g._tasks.size);
        });
        return [sizes[0] < 5, sizes[1], String(group)];
      })(),
    );
    expect(out).to.deep.equal([true, 0, "<TaskGroup>"]);
  });

  // src: test_taskgroup_24, test_taskgroup_25
  it("TG-19 children may add children while the group is exiting; the hydra ends with the first error", () => {
    const out = vrun(
      (function* () {
        const done: number[] = [];
        yield* taskGroup(function* (g) {
          g.createTask(
            (function* () {
              yield* sleep(100);
              g.createTask((function* () { yield* sleep(100); done.push(1); })());
              g.createTask((function* () { yield* sleep(200); done.push(2); })());
            })(),
          );
        });
        const afterRoot = now();
        let nhydras = 0;
        const e = yield* errorOf(
          taskGroup(function* (g) {
            function* hydra(): Co<void> {
              nhydras++;
              yield* sleep(10);
              g.createTask(hydra());
              g.createTask(hydra());
            }
            g.createTask(hydra());
            g.createTask(crashAfter(100));
          }),
        );
        return [done, afterRoot, types(e), nhydras >= 10];
      })(),
    );
    expect(out).to.deep.equal([[1, 2], 300, ["ZeroDivisionError"], true]);
  });

  // src: test_taskgroup_task_name (contexts: genloop has no contextvars)
  it("TG-20 createTask passes the name through", () => {
    const out = vrun((function* () { return yield* taskGroup(function* (g) { return g.createTask(sleepThen(1, 1), { name: "yolo" }).getName(); }); })());
    expect(out).to.equal("yolo");
  });

  // src: test_taskgroup_finished, test_taskgroup_no_create_task_after_failure, test_coro_closed_when_tg_closed
  it("TG-21 createTask after the group finished / while it shuts down → RuntimeError, and the coroutine is closed", () => {
    const out = vrun(
      (function* () {
        let started = 0;
        function* child(): Co<void> {
          started++;
          yield* sleep(1);
        }
        let group: TaskGroup | null = null;
        yield* taskGroup(function* (g) { group = g; });
        const late = child();
        const finished = catchError(() => group!.createTask(late), RuntimeError).message;
        const lateState = late.next();
        let shuttingDown = "";
        let closedWhileShutting: IteratorResult<unknown> | null = null;
        yield* errorOf(
          taskGroup(function* (g) {
            g.createTask(crashAfter(0));
            try {
              yield* sleep(10);
            } catch (e) {
              const c = child();
              shuttingDown = catchError(() => g.createTask(c), RuntimeError).message;
              closedWhileShutting = c.next();
              throw e;
            }
          }),
        );
        return [finished, lateState, shuttingDown, closedWhileShutting, started];
      })(),
    );
    expect(out[0]).to.match(/^TaskGroup <TaskGroup> is finished/);
    expect(out[1]).to.deep.equal({ done: true, value: undefined });
    expect(out[2]).to.match(/^TaskGroup <TaskGroup errors=1 cancelling> is shutting down/);
    expect(out[3]).to.deep.equal({ done: true, value: undefined });
    expect(out[4]).to.equal(0);
  });

  it("TG-21 createTask refuses non-coroutines (TypeError) and bad options; taskGroup refuses a non-function body", () => {
    vrun(
      (function* () {
        yield* taskGroup(function* (g) {
          expect(catchError(() => g.createTask(sleep(1) as any), TypeError).message).to.match(/TaskGroup.createTask: a coroutine was expected/);
          expect(catchError(() => g.createTask(sleepThen as any), TypeError).message).to.match(/call it/);
          catchError(() => g.createTask(sleepThen(1, 1), 5 as any), TypeError);
        });
      })(),
    );
    function* body(): Co<void> {}
    expect(catchError(() => taskGroup(body() as any), TypeError).message).to.match(/pass the function itself/);
    catchError(() => taskGroup(undefined as any), TypeError);
    const e = vrun((function* () { return yield* errorOf(taskGroup((() => 5) as any)); })());
    expect(types(e)).to.deep.equal(["TypeError"]);
    expect(taskGroup(body)).to.deep.include({ kind: "taskGroup" });
  });

  // src: test_taskgroup_context_manager_exit_raises (gh-95289)
  it("TG-22 a scope inside the group raising on exit: both errors grouped, cancelling() back to 0", () => {
    const out = vrun(
      (function* () {
        class CustomException extends Error {}
        function* database<T>(body: Co<T>): Co<T> {
          try {
            return yield* body;
          } finally {
            throw new CustomException("db");
          }
        }
        const e = yield* errorOf(
          taskGroup(function* (tg) {
            yield* database(
              (function* () {
                tg.createTask(crashAfter(0, () => new CustomException("child")));
                yield* sleep(1000);
              })(),
            );
          }),
        );
        const [matching, rest] = splitExceptionGroup(e as ExceptionGroup, CustomException);
        return [matching!.exceptions.length, rest, currentTask()!.cancelling()];
      })(),
    );
    expect(out).to.deep.equal([2, null, 0]);
  });

  it("TG-23 the parent is un-cancelled after the group aborts; the body continues normally", () => {
    const out = vrun(
      (function* () {
        const log: unknown[] = [];
        try {
          yield* taskGroup(function* (g) {
            g.createTask(crashAfter(100));
            try {
              yield* sleep(10_000);
            } catch (e) {
              log.push(["body", (e as Error).name, now()]);
              throw e;
            }
          });
        } catch (e) {
          log.push(["caught", types(e), now()]);
        }
        log.push(currentTask()!.cancelling());
        yield* sleep(100);
        log.push(now());
        return log;
      })(),
    );
    expect(out).to.deep.equal([["body", "CancelledError", 100], ["caught", ["ZeroDivisionError"], 100], 0, 200]);
  });

  // src: test_cancelling_level_preserved
  it("TG-24 the cancel level is preserved when the failure is noticed while exiting (3.13)", () => {
    const out = vrun(
      (function* () {
        const e = yield* errorOf(taskGroup(function* (tg) { tg.createTask(crashAfter(0, () => new RangeError("r"))); }));
        return [types(e), currentTask()!.cancelling()];
      })(),
    );
    expect(out).to.deep.equal([["RangeError"], 0]);
  });

  // src: test_nested_groups_both_cancelled
  it("TG-25 nested groups both failing: cancelling() is 1 between the groups and 0 at the end (3.13)", () => {
    const out = vrun(
      (function* () {
        const levels: unknown[] = [];
        const e = yield* errorOf(
          taskGroup(function* (outerTg) {
            const inner = yield* errorOf(
              taskGroup(function* (innerTg) {
                innerTg.createTask(crashAfter(0, () => new RangeError("inner")));
                outerTg.createTask(crashAfter(0, () => new TypeError("outer")));
              }),
            );
            levels.push(types(inner), currentTask()!.cancelling());
          }),
        );
        levels.push(types(e), currentTask()!.cancelling());
        return levels;
      })(),
    );
    expect(out).to.deep.equal([["RangeError"], 1, ["TypeError"], 0]);
  });

  // src: test_error_and_cancel
  it("TG-26 an external cancel arriving while the group handles a child error is not lost (3.13)", () => {
    const out = vrun(
      (function* () {
        const log: unknown[] = [];
        const event = new Future<void>();
        const t = createTask(
          (function* () {
            try {
              yield* taskGroup(function* (tg) {
                tg.createTask(
                  (function* () {
                    event.setResult(undefined);
                    yield* sleep(0);
                    throw new RangeError("error");
                  })(),
                );
                yield* sleep(1000);
              });
            } catch (e) {
              log.push(["caught", types(e), currentTask()!.cancelling()]);
            }
            log.push(["after", currentTask()!.cancelling()]);
            yield* sleep(1000);
            log.push("second sleep completed");
          })(),
        );
        yield* event;
        t.cancel();
        log.push(((yield* errorOf(t)) as Error).name, t.cancelled());
        return log;
      })(),
    );
    expect(out).to.deep.equal([["caught", ["RangeError"], 1], ["after", 1], "CancelledError", true]);
  });

  it("a child failing after its parent task ended is reported to the exception handler", () => {
    // Reachable only through internals (the group always waits for its children); exercised directly.
    const out = vrun(
      (function* () {
        const ctxs: string[] = [];
        const loop = currentTask()!._loop;
        loop.setExceptionHandler((_l, ctx) => ctxs.push(ctx.message));
        const parent = createTask(sleepThen(0, 0));
        yield* parent;
        const g = new TaskGroup(parent);
        g.createTask(crashAfter(0));
        yield* sleep(10);
        return ctxs;
      })(),
    );
    expect(out).to.have.length(1);
    expect(out[0]).to.match(/has errored out but its parent task .* is already completed/);
  });

  it("in debug mode a child records where the user created it, not a genloop frame", () => {
    const where = vrun(
      (function* () {
        return yield* taskGroup(function* (g) {
          return String(g.createTask(sleepThen(1, 1)));
        });
      })(),
      true,
    );
    expect(where).to.match(/created at .*task-group\.spec\.[jt]s/);
  });

  it("the ExceptionGroup's message lists what it holds", () => {
    const e = vrun(
      (function* () {
        return yield* errorOf(
          taskGroup(function* (g) {
            g.createTask(crashAfter(0, () => new RangeError("bad range")));
            g.createTask(crashAfter(0, () => new TypeError("bad type")));
          }),
        );
      })(),
    ) as ExceptionGroup;
    expect(e.message).to.equal("unhandled errors in a TaskGroup (2 sub-exceptions): RangeError: bad range; TypeError: bad type");
  });

  describe("the parent's edges in the call graph", () => {
    function* nap(ms: number): Co<void> {
      yield* sleep(ms);
    }
    const waitersOf = (f: Future<unknown>): string[] =>
      (captureCallGraph(f)?.awaitedBy ?? []).map((node) => (node.future instanceof Task ? node.future.getName() : "future"));

    it("each child not done is awaited by the group's parent task, from its creation until it ends; the group leaves no trace", () => {
      const clock = new VirtualClock();
      const loop = new EventLoop({ clock });
      const children: Task<unknown>[] = [];
      const main = loop.createTask(
        (function* () {
          yield* taskGroup(function* (tg) {
            children.push(tg.createTask(nap(10), { name: "a" }), tg.createTask(nap(20), { name: "b" }));
            yield* taskGroup(function* (inner) {
              children.push(inner.createTask(nap(5), { name: "c" }));
            });
          });
        })(),
        { name: "main" },
      );
      loop.step();
      loop.step();
      expect(children.map(waitersOf)).to.deep.equal([["main"], ["main"], ["main"]]);
      expect(formatTaskTree(loop)).to.equal(
        [
          "Task 'main' (pending): end of taskGroup, waiting for its tasks",
          "├── Task 'a' (pending): sleep until 10 ms",
          "├── Task 'b' (pending): sleep until 20 ms",
          "└── Task 'c' (pending): sleep until 5 ms",
        ].join("\n"),
      );
      clock.advance(10);
      loop.step(); // a and c are due
      loop.step(); // they end
      expect([children[0].done(), children.map(waitersOf)]).to.deep.equal([true, [[], ["main"], []]]);
      loop.runUntilComplete(main);
      expect(children.map(waitersOf)).to.deep.equal([[], [], []]);
      expect([loop._edgeSources?.size, loop._awaitedBy]).to.deep.equal([0, null]);
      loop.close();
    });

    it("a group that fails or is cancelled is no longer asked for edges", () => {
      const loop = new EventLoop({ clock: new VirtualClock() });
      const failing = loop.createTask(
        (function* () {
          yield* taskGroup(function* (tg) {
            tg.createTask(nap(10));
            throw new RangeError("body failed");
          });
        })(),
      );
      const cancelled = loop.createTask(
        (function* () {
          yield* taskGroup(function* (tg) {
            tg.createTask(nap(10));
            yield* sleep(100);
          });
        })(),
      );
      loop.step();
      expect(loop._edgeSources?.size).to.equal(2);
      cancelled.cancel();
      catchError(() => loop.runUntilComplete(cancelled), CancelledError);
      expect([failing.failed(), cancelled.cancelled(), loop._edgeSources?.size]).to.deep.equal([true, true, 0]);
      expect(failing.exception()).to.be.an.instanceOf(ExceptionGroup);
      loop.close();
    });
  });
});
