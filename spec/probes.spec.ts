// Adversarial probes: bad input to every export, hostile coroutines (catching CancelledError for
// ever, throwing from finally, from callbacks and from handlers), re-entrant calls, cancel storms,
// soak runs, and randomized "nothing lost" invariants for queues, locks, semaphores and task groups.
// Each probe states one thing that must hold; none may end in an engine's own TypeError
// ("Cannot read properties of undefined", "x is not a function"), a hang or a lost value.
import { expect } from "chai";
import * as genloop from "../lib/index.js";
import {
  Barrier,
  BoundedSemaphore,
  CancelledError,
  Condition,
  Event,
  EventLoop,
  ExceptionGroup,
  Future,
  LifoQueue,
  Lock,
  PriorityQueue,
  Queue,
  QueueShutDown,
  RuntimeError,
  Semaphore,
  TaskPolicy,
  TimerDriver,
  VirtualClock,
  createTask,
  gather,
  getRunningLoop,
  run,
  sleep,
  taskGroup,
  type Coroutine,
  type Task,
} from "../lib/index.js";
import { newLoop, vrun } from "./helpers.js";
import { seededRandom } from "../lib/schedules/index.js";

/** Messages of the engine's own errors: what validation at the boundary must never let through. */
const ENGINE_ERROR = /Cannot read propert|is not a function|is not iterable|undefined is not|null is not|Cannot convert|Maximum call stack/;

/** The values thrown at every parameter. */
const BAD: [string, unknown][] = [
  ["undefined", undefined],
  ["null", null],
  ["NaN", NaN],
  ["a string", "x"],
  ["a plain object", {}],
  ["a promise", Promise.resolve(1)],
  ["a symbol", Symbol("s")],
  ["an array", [1]],
];

/** Calls `fn` inside a running loop: its outcome, with any error's message checked. */
function outcomeOf(fn: () => unknown): { threw: boolean; error?: unknown } {
  return vrun(
    (function* () {
      try {
        const value = fn();
        // An effect is only a description: perform it too, so errors at use are probed as well.
        if (value instanceof genloop.Effect) yield* genloop.waitFor(value, 50);
        return { threw: false };
      } catch (error) {
        return { threw: true, error };
      }
    })(),
  );
}

function expectCleanError(outcome: { threw: boolean; error?: unknown }, label: string): void {
  if (!outcome.threw) return;
  const error = outcome.error;
  expect(error, label).to.be.instanceOf(Error);
  expect((error as Error).message, label).to.not.match(ENGINE_ERROR);
  expect((error as Error).message.length, label).to.be.greaterThan(10);
}

function* nap(ms: number): Coroutine<void> {
  yield* sleep(ms);
}

describe("probes", () => {
  describe("bad input to every export: a clear error at the boundary, never an engine error", () => {
    const loop = () => getRunningLoop();
    const functions: [string, (bad: unknown) => unknown][] = [
      ["sleep(bad)", (b) => genloop.sleep(b as never)],
      ["spawn(bad)", (b) => genloop.spawn(b as never)],
      ["spawn(coro, bad)", (b) => genloop.spawn(nap(1), b as never)],
      ["call(bad)", (b) => genloop.call(b as never)],
      ["callback(bad)", (b) => genloop.callback(b as never)],
      ["defineEffect(bad)", (b) => genloop.defineEffect(b as never)],
      ["gather(bad)", (b) => genloop.gather(b as never)],
      ["ensureFuture(bad)", (b) => genloop.ensureFuture(b as never)],
      ["createTask(bad)", (b) => genloop.createTask(b as never)],
      ["createTask(coro, bad)", (b) => genloop.createTask(nap(1), b as never)],
      ["shield(bad)", (b) => genloop.shield(b as never)],
      ["waitFor(bad, 1)", (b) => genloop.waitFor(b as never, 1)],
      ["waitFor(coro, bad)", (b) => genloop.waitFor(nap(1), b as never)],
      ["wait(bad)", (b) => genloop.wait(b as never)],
      ["wait([f], bad)", (b) => genloop.wait([loop().createFuture()], b as never)],
      ["asCompleted(bad)", (b) => genloop.asCompleted(b as never)],
      ["timeout(bad, body)", (b) => genloop.timeout(b as never, () => nap(1))],
      ["timeout(1, bad)", (b) => genloop.timeout(1, b as never)],
      ["timeoutAt(bad, body)", (b) => genloop.timeoutAt(b as never, () => nap(1))],
      ["taskGroup(bad)", (b) => genloop.taskGroup(b as never)],
      ["splitExceptionGroup(bad, Error)", (b) => genloop.splitExceptionGroup(b as never, Error)],
      ["makeExceptionGroup(bad, [e])", (b) => genloop.makeExceptionGroup(b as never, [new Error()])],
      ["restartable(bad)", (b) => genloop.restartable(b as never)],
      ["enqueue(fn, bad)", (b) => genloop.enqueue(function* () {}, b as never)],
      ["runDue(bad)", (b) => genloop.runDue(b as never)],
      ["new EventLoop(bad)", (b) => new EventLoop(b as never)],
      ["new VirtualClock(bad)", (b) => new VirtualClock(b as never)],
      ["new Semaphore(bad)", (b) => new Semaphore(b as never)],
      ["new BoundedSemaphore(bad)", (b) => new BoundedSemaphore(b as never)],
      ["new Barrier(bad)", (b) => new Barrier(b as never)],
      ["new Queue(bad)", (b) => new Queue(b as never)],
      ["new PriorityQueue(bad)", (b) => new PriorityQueue(b as never)],
      ["new Condition(bad)", (b) => new Condition(b as never)],
      ["new TaskPolicy(bad, fn)", (b) => new TaskPolicy(b as never, function* () {})],
      ["new Future(bad)", (b) => new Future(b as never)],
      ["new TimerDriver(bad)", (b) => new TimerDriver(b as never)],
      ["loop.callSoon(bad)", (b) => loop().callSoon(b as never)],
      ["loop.callLater(bad, f)", (b) => loop().callLater(b as never, () => {})],
      ["loop.setExceptionHandler(bad)", (b) => loop().setExceptionHandler(b as never)],
      ["loop.runUntilComplete(bad) while running", (b) => loop().runUntilComplete(b as never)],
      ["future.addDoneCallback(bad)", (b) => loop().createFuture().addDoneCallback(b as never)],
      ["future.setException(bad)", (b) => loop().createFuture().setException(b)],
    ];
    // Values a parameter may legitimately take are skipped: they are not bad input there.
    const allowed: Record<string, string[]> = {
      "spawn(coro, bad)": ["undefined", "a plain object"],
      "defineEffect(bad)": ["a string"],
      "makeExceptionGroup(bad, [e])": ["a string"],
      "createTask(coro, bad)": ["undefined", "a plain object"],
      "waitFor(coro, bad)": ["null"],
      "wait([f], bad)": ["undefined", "a plain object"],
      "timeout(bad, body)": ["undefined", "null"],
      "timeoutAt(bad, body)": ["undefined", "null"],
      "enqueue(fn, bad)": ["undefined", "a plain object"],
      "new EventLoop(bad)": ["undefined", "a plain object"],
      "new VirtualClock(bad)": ["undefined"],
      "new Semaphore(bad)": ["undefined"],
      "new BoundedSemaphore(bad)": ["undefined"],
      "new Queue(bad)": ["undefined"],
      "new PriorityQueue(bad)": ["undefined"],
      "new Condition(bad)": ["undefined", "null"],
      "new Future(bad)": ["undefined"],
      "loop.setExceptionHandler(bad)": ["null"],
      "future.setException(bad)": ["NaN", "a string", "a plain object", "a promise", "a symbol", "an array"],
      "gather(bad)": ["a plain object"],
    };
    for (const [label, fn] of functions) {
      for (const [what, bad] of BAD) {
        if (allowed[label]?.includes(what)) continue;
        it(`${label} with ${what}`, () => {
          const outcome = outcomeOf(() => fn(bad));
          expect(outcome.threw, `${label} accepted ${what}`).to.equal(true);
          expectCleanError(outcome, `${label} with ${what}`);
        });
      }
    }
  });

  describe("hostile coroutines", () => {
    it("a task that catches CancelledError every time does not starve the others, and counts every request", () => {
      const { loop } = newLoop();
      let swallowed = 0;
      const stubborn = loop.createTask(
        (function* () {
          for (;;) {
            try {
              yield* sleep(1);
            } catch (error) {
              if (!(error instanceof CancelledError)) throw error;
              swallowed++;
              if (swallowed === 500) return "gave up";
            }
          }
        })(),
      );
      let ticks = 0;
      const bystander = loop.createTask(
        (function* () {
          for (let i = 0; i < 600; i++) {
            yield* sleep(1);
            ticks++;
          }
        })(),
      );
      const storm = loop.createTask(
        (function* () {
          while (!stubborn.done()) {
            stubborn.cancel("again");
            yield* sleep(0);
          }
        })(),
      );
      loop.runUntilComplete(gather(stubborn, bystander, storm));
      expect(stubborn.result()).to.equal("gave up");
      expect(swallowed).to.equal(500);
      expect(ticks).to.equal(600);
      loop.close();
    });

    it("a finally block that throws replaces the CancelledError: the awaiting task sees that error", () => {
      const out = vrun(
        (function* () {
          const t = createTask(
            (function* () {
              try {
                yield* sleep(100);
              } finally {
                // eslint-disable-next-line no-unsafe-finally
                throw new Error("cleanup failed");
              }
            })(),
          );
          yield* sleep(1);
          t.cancel();
          try {
            yield* t;
            return "no error";
          } catch (error) {
            return (error as Error).message;
          }
        })(),
      );
      expect(out).to.equal("cleanup failed");
    });

    it("a finally block that yields after cancellation still runs to its end", () => {
      const log: string[] = [];
      vrun(
        (function* () {
          const t = createTask(
            (function* () {
              try {
                yield* sleep(100);
              } finally {
                yield* sleep(5);
                log.push("cleaned");
              }
            })(),
          );
          yield* sleep(1);
          t.cancel();
          yield* gather(t, { returnExceptions: true });
        })(),
      );
      expect(log).to.deep.equal(["cleaned"]);
    });

    it("done callbacks that throw: each goes to the exception handler, and the other callbacks and waiters still run", () => {
      const { loop, ctxs } = newLoop();
      const f = loop.createFuture<number>();
      const seen: string[] = [];
      f.addDoneCallback(() => {
        throw new Error("first");
      });
      f.addDoneCallback(() => seen.push("second"));
      f.addDoneCallback(() => {
        throw null;
      });
      const waiter = loop.createTask(
        (function* () {
          return yield* f;
        })(),
      );
      loop.callLater(1, () => f.setResult(7));
      expect(loop.runUntilComplete(waiter)).to.equal(7);
      expect(seen).to.deep.equal(["second"]);
      expect(ctxs.map((c) => c.exception)).to.deep.include(null);
      expect(ctxs.some((c) => (c.exception as Error)?.message === "first")).to.equal(true);
      loop.close();
    });

    it("an exception handler that throws: the loop reports that through its logger and keeps running", () => {
      const logged: string[] = [];
      const loop = new EventLoop({ clock: new VirtualClock(), logger: { warn: (m) => logged.push(m), error: (m) => logged.push(m) } });
      loop.setExceptionHandler(() => {
        throw new Error("handler broke");
      });
      loop.callSoon(() => {
        throw new Error("callback broke");
      });
      let after = false;
      loop.callLater(1, () => (after = true));
      loop.runUntilComplete(sleep(2));
      expect(after).to.equal(true);
      expect(logged.join("\n")).to.match(/handler broke/);
      loop.close();
    });

    it("a coroutine that throws from its catch of CancelledError ends the task with that error", () => {
      const out = vrun(
        (function* () {
          const t = createTask(
            (function* () {
              try {
                yield* sleep(10);
              } catch {
                throw new RangeError("converted");
              }
            })(),
          );
          yield* sleep(1);
          t.cancel();
          const [r] = yield* gather(t, { returnExceptions: true });
          return r;
        })(),
      );
      expect(out).to.be.instanceOf(RangeError);
    });

    it("a coroutine that returns from finally after cancellation ends normally (its value wins)", () => {
      const out = vrun(
        (function* () {
          const t = createTask(
            (function* () {
              try {
                yield* sleep(10);
                return "body";
              } finally {
                // eslint-disable-next-line no-unsafe-finally
                return "finally";
              }
            })(),
          );
          yield* sleep(1);
          t.cancel();
          return yield* t;
        })(),
      );
      expect(out).to.equal("finally");
    });

    it("a deadlocked program ends with a deadlock error naming the tasks, not a hang", () => {
      expect(() =>
        vrun(
          (function* () {
            const never = getRunningLoop().createFuture<void>();
            yield* never;
          })(),
        ),
      ).to.throw(RuntimeError, /deadlock/);
    });
  });

  describe("re-entrant calls", () => {
    const reentrant: [string, () => unknown, RegExp][] = [
      ["run() inside a coroutine", () => run(nap(1)), /cannot be called from a running event loop/],
      ["loop.runUntilComplete() of the running loop", () => getRunningLoop().runUntilComplete(nap(1)), /already running/],
      ["loop.runForever() of the running loop", () => getRunningLoop().runForever(), /already running/],
      ["loop.step() of the running loop", () => getRunningLoop().step(), /already running/],
      ["loop.close() of the running loop", () => getRunningLoop().close(), /running event loop/],
      ["another loop's runUntilComplete()", () => new EventLoop({ clock: new VirtualClock() }).runUntilComplete(nap(1)), /another loop is running/],
    ];
    for (const [label, call, message] of reentrant) {
      it(`${label} is refused with a RuntimeError`, () => {
        const outcome = vrun(
          (function* () {
            try {
              call();
              return null;
            } catch (error) {
              return error;
            }
          })(),
        );
        expect(outcome).to.be.instanceOf(RuntimeError);
        expect((outcome as Error).message).to.match(message);
      });
    }

    it("a task awaiting itself gets a RuntimeError thrown in", () => {
      const out = vrun(
        (function* () {
          const self = genloop.currentTask() as Task<unknown>;
          try {
            yield* self;
            return "no";
          } catch (error) {
            return error;
          }
        })(),
      );
      expect(out).to.be.instanceOf(RuntimeError);
    });

    it("stop() from a callback, then runForever again: the loop resumes where it stopped", () => {
      const { loop } = newLoop();
      const seen: number[] = [];
      loop.callSoon(() => seen.push(1));
      loop.callSoon(() => loop.stop());
      loop.callLater(5, () => seen.push(2));
      loop.runForever();
      expect(seen).to.deep.equal([1]);
      loop.runUntilComplete(sleep(10));
      expect(seen).to.deep.equal([1, 2]);
      loop.close();
    });
  });

  describe("cancel storms", () => {
    it("cancelling one task 1000 times: one CancelledError, cancelling() counts every request", () => {
      const { loop } = newLoop();
      let caught = 0;
      const t = loop.createTask(
        (function* () {
          try {
            yield* sleep(10);
          } catch (error) {
            caught++;
            throw error;
          }
        })(),
      );
      loop.runUntilComplete(sleep(1));
      for (let i = 0; i < 1000; i++) expect(t.cancel(`n${i}`)).to.equal(true);
      expect(t.cancelling()).to.equal(1000);
      loop.runUntilComplete(sleep(1));
      expect(t.cancelled()).to.equal(true);
      expect(caught).to.equal(1);
      expect(t.cancel()).to.equal(false);
      loop.close();
    });

    it("cancelling a gather of 200 children while they finish: every child ends, none is left pending", () => {
      const { loop } = newLoop();
      const outer = loop.runUntilComplete(
        (function* () {
          return genloop.ensureFuture(gather(...Array.from({ length: 200 }, (_, i) => nap(i % 3))));
        })(),
      );
      loop.callSoon(() => outer.cancel());
      loop.runUntilComplete(sleep(5));
      expect(outer.done()).to.equal(true);
      expect(loop._tasks.size).to.equal(0);
      loop.close();
    });

    it("tasks that cancel each other in a ring all end", () => {
      const { loop } = newLoop();
      const tasks: Task<void>[] = [];
      for (let i = 0; i < 50; i++) {
        tasks.push(
          loop.createTask(
            (function* () {
              try {
                yield* sleep(100);
              } finally {
                tasks[(i + 1) % 50].cancel();
              }
            })(),
          ),
        );
      }
      loop.callLater(1, () => tasks[0].cancel());
      loop.runUntilComplete(sleep(5));
      expect(tasks.every((t) => t.cancelled())).to.equal(true);
      loop.close();
    });

    it("uncancel() after a storm lets the task finish normally", () => {
      const out = vrun(
        (function* () {
          const t = createTask(
            (function* () {
              try {
                yield* sleep(10);
              } catch {
                /* swallowed */
              }
              const self = genloop.currentTask() as Task<unknown>;
              while (self.uncancel() > 0);
              yield* sleep(1);
              return "finished";
            })(),
          );
          yield* sleep(1);
          for (let i = 0; i < 10; i++) t.cancel();
          return yield* t;
        })(),
      );
      expect(out).to.equal("finished");
    });
  });

  describe("soak", () => {
    it("20 000 short tasks through a bounded queue: every item arrives once, nothing stays pending", () => {
      const { loop } = newLoop();
      const received = new Set<number>();
      loop.runUntilComplete(
        (function* () {
          const q = new Queue<number>(16);
          const consumers = Array.from({ length: 8 }, () =>
            createTask(
              (function* () {
                for (;;) received.add(yield* q.get());
              })(),
            ),
          );
          yield* gather(
            ...Array.from({ length: 100 }, (_, p) =>
              (function* () {
                for (let i = 0; i < 200; i++) {
                  yield* q.put(p * 200 + i);
                  if (i % 7 === 0) yield* sleep(0);
                }
              })(),
            ),
          );
          while (!q.empty()) yield* sleep(0);
          for (const c of consumers) c.cancel();
          yield* gather(...consumers, { returnExceptions: true });
        })(),
      );
      expect(received.size).to.equal(20_000);
      expect(loop._tasks.size).to.equal(0);
      loop.close();
    });

    it("a long run of timers and cancellations leaves the timer heap and the registry empty", () => {
      const { loop } = newLoop();
      loop.runUntilComplete(
        (function* () {
          for (let round = 0; round < 50; round++) {
            const ts = Array.from({ length: 100 }, (_, i) => createTask(nap(1 + (i % 17))));
            yield* sleep(3);
            for (const t of ts.filter((_, i) => i % 2 === 0)) t.cancel();
            yield* gather(...ts, { returnExceptions: true });
          }
        })(),
      );
      expect(loop._tasks.size).to.equal(0);
      expect(loop.nextDeadline()).to.equal(null);
      loop.close();
    });
  });

  describe("randomized: nothing lost", () => {
    const seeds = Array.from({ length: 8 }, (_, i) => 1000 + i * 7919);

    for (const seed of seeds) {
      it(`queue (seed ${seed}): every item put is got once or is still in the queue, with getters cancelled at random`, () => {
        const random = seededRandom(seed);
        const { loop } = newLoop();
        const put: number[] = [];
        const got: number[] = [];
        const q = random() < 0.5 ? new Queue<number>(1 + Math.floor(random() * 4)) : new LifoQueue<number>(2);
        loop.runUntilComplete(
          (function* () {
            const tasks: Task<void>[] = [];
            for (let i = 0; i < 60; i++) {
              if (random() < 0.5) {
                tasks.push(
                  createTask(
                    (function* () {
                      yield* sleep(Math.floor(random() * 5));
                      yield* q.put(i);
                      put.push(i);
                    })(),
                  ),
                );
              } else {
                tasks.push(
                  createTask(
                    (function* () {
                      yield* sleep(Math.floor(random() * 5));
                      got.push(yield* q.get());
                    })(),
                  ),
                );
              }
            }
            for (let k = 0; k < 20; k++) {
              yield* sleep(Math.floor(random() * 3));
              const victim = tasks[Math.floor(random() * tasks.length)];
              victim.cancel();
            }
            yield* sleep(20);
            for (const t of tasks) t.cancel();
            yield* gather(...tasks, { returnExceptions: true });
          })(),
        );
        const left: number[] = [];
        while (!q.empty()) left.push(q.getNowait());
        expect([...got, ...left].sort((a, b) => a - b)).to.deep.equal([...put].sort((a, b) => a - b));
        loop.close();
      });

      it(`lock and semaphore (seed ${seed}): never more holders than allowed, released in the end, no waiter stranded`, () => {
        const random = seededRandom(seed);
        const { loop } = newLoop();
        const lock = new Lock();
        const limit = 1 + Math.floor(random() * 3);
        const sem = new Semaphore(limit);
        let inLock = 0;
        let inSem = 0;
        let maxLock = 0;
        let maxSem = 0;
        let completed = 0;
        loop.runUntilComplete(
          (function* () {
            const tasks = Array.from({ length: 40 }, () =>
              createTask(
                (function* () {
                  const primitive = random() < 0.5 ? "lock" : "sem";
                  yield* sleep(Math.floor(random() * 4));
                  if (primitive === "lock") {
                    yield* lock.acquire();
                    try {
                      inLock++;
                      maxLock = Math.max(maxLock, inLock);
                      yield* sleep(Math.floor(random() * 3));
                    } finally {
                      inLock--;
                      lock.release();
                    }
                  } else {
                    yield* sem.acquire();
                    try {
                      inSem++;
                      maxSem = Math.max(maxSem, inSem);
                      yield* sleep(Math.floor(random() * 3));
                    } finally {
                      inSem--;
                      sem.release();
                    }
                  }
                  completed++;
                })(),
              ),
            );
            for (let k = 0; k < 15; k++) {
              yield* sleep(Math.floor(random() * 2));
              tasks[Math.floor(random() * tasks.length)].cancel();
            }
            yield* gather(...tasks, { returnExceptions: true });
            const cancelled = tasks.filter((t) => t.cancelled()).length;
            expect(completed + cancelled).to.equal(40);
          })(),
        );
        expect(maxLock).to.be.at.most(1);
        expect(maxSem).to.be.at.most(limit);
        expect(lock.locked()).to.equal(false);
        expect(sem.locked()).to.equal(false);
        loop.close();
      });

      it(`task group (seed ${seed}): the ExceptionGroup holds exactly the children's failures; every child is done`, () => {
        const random = seededRandom(seed);
        const { loop } = newLoop();
        const children: Task<number>[] = [];
        const failing = new Set<number>();
        let group: unknown = null;
        loop.runUntilComplete(
          (function* () {
            try {
              yield* taskGroup(function* (tg) {
                for (let i = 0; i < 12; i++) {
                  const delay = Math.floor(random() * 6);
                  const fails = random() < 0.3;
                  if (fails) failing.add(i);
                  children.push(
                    tg.createTask(
                      (function* () {
                        yield* sleep(delay);
                        if (fails) throw new Error(`child ${i}`);
                        return i;
                      })(),
                    ),
                  );
                }
              });
            } catch (error) {
              group = error;
            }
          })(),
        );
        expect(children.every((c) => c.done())).to.equal(true);
        const failedChildren = children.filter((c) => c.failed()).map((c) => (c.exception() as Error).message);
        if (failing.size === 0) {
          expect(group).to.equal(null);
        } else {
          expect(group).to.be.instanceOf(ExceptionGroup);
          const messages = (group as ExceptionGroup).exceptions.map((e) => (e as Error).message);
          expect(messages.sort()).to.deep.equal(failedChildren.sort());
          // The first failure cancels the rest: the failed children are a non-empty subset of those set to fail.
          for (const m of messages) expect(failing.has(Number(m.replace("child ", "")))).to.equal(true);
        }
        loop.close();
      });

      it(`event, condition, barrier and shutdown (seed ${seed}): every waiter wakes or is told why`, () => {
        const random = seededRandom(seed);
        const { loop } = newLoop();
        const outcomes: string[] = [];
        loop.runUntilComplete(
          (function* () {
            const event = new Event();
            const cond = new Condition();
            const barrier = new Barrier(3);
            const q = new Queue<number>();
            const waiters = [
              ...Array.from({ length: 5 }, () =>
                createTask(
                  (function* () {
                    yield* event.wait();
                    outcomes.push("event");
                  })(),
                ),
              ),
              ...Array.from({ length: 5 }, () =>
                createTask(
                  (function* () {
                    yield* cond.acquire();
                    try {
                      yield* cond.wait();
                      outcomes.push("cond");
                    } finally {
                      cond.release();
                    }
                  })(),
                ),
              ),
              ...Array.from({ length: 3 }, () =>
                createTask(
                  (function* () {
                    yield* barrier.wait();
                    outcomes.push("barrier");
                  })(),
                ),
              ),
              ...Array.from({ length: 3 }, () =>
                createTask(
                  (function* () {
                    try {
                      yield* q.get();
                      outcomes.push("item");
                    } catch (error) {
                      if (error instanceof QueueShutDown) outcomes.push("shutdown");
                      else throw error;
                    }
                  })(),
                ),
              ),
            ];
            yield* sleep(1 + Math.floor(random() * 3));
            event.set();
            yield* cond.acquire();
            cond.notifyAll();
            cond.release();
            q.shutdown(random() < 0.5);
            yield* gather(...waiters, { returnExceptions: true });
            for (const w of waiters) if (w.failed()) throw w.exception();
          })(),
        );
        expect(outcomes.filter((o) => o === "event")).to.have.length(5);
        expect(outcomes.filter((o) => o === "cond")).to.have.length(5);
        expect(outcomes.filter((o) => o === "barrier")).to.have.length(3);
        expect(outcomes.filter((o) => o === "shutdown")).to.have.length(3);
        loop.close();
      });
    }
  });
});
