// Catalogue area LOCK — asyncio.Lock (asyncio-semantics.md §F1; CPython test_locks.py LockTests).
import { expect } from "chai";
import { Lock, CancelledError, RuntimeError, createTask, getRunningLoop, sleep, gather } from "../../lib/index.js";
import { type Co, vrun, catchError } from "../helpers.js";
import { future, task, thrown, waiterCount } from "./helpers.js";

describe("catalogue LOCK — Lock", () => {
  // src: test_lock, test_lock_by_with_statement
  it("LOCK-01 a Lock is not awaitable itself (TypeError at the yield) and starts unlocked", () => {
    vrun(
      (function* (): Co<void> {
        const lock = new Lock();
        const err = yield* thrown(lock as any);
        expect(err).to.be.an.instanceOf(TypeError);
        expect((err as Error).message).to.match(/Lock/);
        expect(lock.locked()).to.equal(false);
      })(),
    );
  });

  // src: test_acquire
  it("LOCK-02 waiters acquire in FIFO order, one per release; acquire returns true", () => {
    vrun(
      (function* (): Co<void> {
        const lock = new Lock();
        const result: number[] = [];
        expect(yield* lock.acquire()).to.equal(true);
        function* c(i: number): Co<boolean> {
          if (yield* lock.acquire()) result.push(i);
          return true;
        }
        const t1 = createTask(c(1));
        const t2 = createTask(c(2));
        yield* sleep(0);
        expect(result).to.deep.equal([]);
        lock.release();
        yield* sleep(0);
        expect(result).to.deep.equal([1]);
        yield* sleep(0);
        expect(result).to.deep.equal([1]);
        const t3 = createTask(c(3));
        lock.release();
        yield* sleep(0);
        expect(result).to.deep.equal([1, 2]);
        lock.release();
        yield* sleep(0);
        expect(result).to.deep.equal([1, 2, 3]);
        for (const t of [t1, t2, t3]) expect(t.done() && t.result()).to.equal(true);
      })(),
    );
  });

  // src: test_acquire_cancel
  it("LOCK-03 a cancelled acquire leaves no waiter", () => {
    vrun(
      (function* (): Co<void> {
        const lock = new Lock();
        expect(yield* lock.acquire()).to.equal(true);
        const t = task(lock.acquire());
        getRunningLoop().callSoon(() => t.cancel());
        expect(yield* thrown(t)).to.be.an.instanceOf(CancelledError);
        expect(waiterCount(lock)).to.equal(0);
        expect(lock.locked()).to.equal(true);
      })(),
    );
  });

  // src: test_cancel_race
  it("LOCK-04 a waiter cancelled in the same tick as the release: the next waiter gets the lock", () => {
    vrun(
      (function* (): Co<void> {
        const lock = new Lock();
        function* lockit(blocker: ReturnType<typeof future> | null): Co<void> {
          yield* lock.acquire();
          try {
            if (blocker !== null) yield blocker;
          } finally {
            lock.release();
          }
        }
        const fa = future();
        const ta = createTask(lockit(fa));
        yield* sleep(0);
        expect(lock.locked()).to.equal(true);
        const tb = createTask(lockit(null));
        yield* sleep(0);
        expect(waiterCount(lock)).to.equal(1);
        const tc = createTask(lockit(null));
        yield* sleep(0);
        expect(waiterCount(lock)).to.equal(2);
        fa.setResult();
        tb.cancel();
        expect(lock._waiters!.head!.value.cancelled()).to.equal(true);
        yield* sleep(0);
        expect(lock.locked()).to.equal(false);
        expect(ta.done()).to.equal(true);
        expect(tb.cancelled()).to.equal(true);
        yield tc;
        expect(lock.locked()).to.equal(false);
      })(),
    );
  });

  // src: test_cancel_release_race (issue 32734)
  it("LOCK-05 cancel + release in one callback does not grant two holders", () => {
    vrun(
      (function* (): Co<void> {
        const lock = new Lock();
        let lockCount = 0;
        let callCount = 0;
        function* lockit(): Co<void> {
          callCount++;
          yield* lock.acquire();
          lockCount++;
        }
        yield* lock.acquire();
        const t1 = createTask(lockit());
        const t2 = createTask(lockit());
        const t3 = createTask(lockit());
        yield* sleep(0);
        getRunningLoop().callSoon(() => {
          t1.cancel();
          lock.release();
        });
        expect(yield* thrown(t1)).to.be.an.instanceOf(CancelledError);
        expect(lockCount).to.equal(1);
        expect(callCount).to.equal(3);
        expect(t1.cancelled() && t2.done()).to.equal(true);
        expect(t3.done()).to.equal(false);
        t3.cancel();
        yield* sleep(0);
        expect(t3.cancelled()).to.equal(true);
      })(),
    );
  });

  // src: test_finished_waiter_cancelled
  it("LOCK-06 a woken waiter that gets cancelled passes the wake-up on", () => {
    vrun(
      (function* (): Co<void> {
        const lock = new Lock();
        yield* lock.acquire();
        const tb = task(lock.acquire());
        yield* sleep(0);
        expect(waiterCount(lock)).to.equal(1);
        const tc = task(lock.acquire());
        tb.cancel();
        lock.release();
        yield* sleep(0);
        expect(lock.locked()).to.equal(true);
        expect(tb.cancelled()).to.equal(true);
        expect(yield tc).to.equal(true);
      })(),
    );
  });

  // src: test_release_not_acquired, test_release_no_waiters, test_context_manager
  it("LOCK-07 release() when unlocked is a RuntimeError; release with no waiters unlocks; with() scopes it", () => {
    const lock = new Lock();
    const err = catchError(() => lock.release(), RuntimeError);
    expect(err.message).to.match(/^Lock is not acquired/);
    vrun(
      (function* (): Co<void> {
        yield* lock.acquire();
        expect(lock.locked()).to.equal(true);
        lock.release();
        expect(lock.locked()).to.equal(false);
        const r = yield* lock.with(function* () {
          expect(lock.locked()).to.equal(true);
          yield* sleep(1);
          return "body";
        });
        expect(r).to.equal("body");
        expect(lock.locked()).to.equal(false);
      })(),
    );
  });

  it("LOCK-08 no barging: a releaser cannot re-acquire past a live waiter", () => {
    const log = vrun(
      (function* (): Co<string[]> {
        const lock = new Lock();
        const log: string[] = [];
        yield* lock.acquire();
        createTask(
          (function* () {
            yield* lock.acquire();
            log.push("B got lock");
            lock.release();
          })(),
        );
        yield* sleep(0);
        lock.release();
        yield* lock.acquire();
        log.push("main re-acquired");
        return log;
      })(),
    );
    expect(log).to.deep.equal(["B got lock", "main re-acquired"]);
  });

  // src: LockTests.test_repr
  it("LOCK-09 toString shows [unlocked] / [locked] and waiters:N", () => {
    vrun(
      (function* (): Co<void> {
        const lock = new Lock();
        expect(String(lock)).to.match(/\[unlocked\]>$/);
        yield* lock.acquire();
        expect(String(lock)).to.match(/\[locked\]>$/);
        task(lock.acquire());
        yield* sleep(0);
        expect(String(lock)).to.match(/\[locked, waiters:1\]>$/);
        lock.release();
        yield* sleep(0);
      })(),
    );
  });
});

describe("Lock — scoped form, cancellation, fairness", () => {
  it("with() releases on error and on cancellation, and the result is typed", () => {
    vrun(
      (function* (): Co<void> {
        const lock = new Lock();
        const err = yield* thrown(
          lock.with(function* () {
            throw new Error("boom");
          }),
        );
        expect((err as Error).message).to.equal("boom");
        expect(lock.locked()).to.equal(false);
        let reached = false;
        const t = task(
          lock.with(function* () {
            try {
              yield* sleep(1000);
            } finally {
              reached = true;
            }
          }),
        );
        yield* sleep(10);
        expect(lock.locked()).to.equal(true);
        t.cancel();
        yield* sleep(0);
        expect(t.cancelled()).to.equal(true);
        expect(reached).to.equal(true);
        expect(lock.locked()).to.equal(false);
      })(),
    );
  });

  it("with() cancelled while waiting to acquire never runs the body and leaves the lock consistent", () => {
    vrun(
      (function* (): Co<void> {
        const lock = new Lock();
        yield* lock.acquire();
        let ran = false;
        const t = task(
          lock.with(function* () {
            ran = true;
          }),
        );
        yield* sleep(0);
        t.cancel();
        yield* sleep(0);
        expect(t.cancelled()).to.equal(true);
        expect(ran).to.equal(false);
        expect(waiterCount(lock)).to.equal(0);
        lock.release();
        expect(lock.locked()).to.equal(false);
        expect(yield* lock.acquire()).to.equal(true);
      })(),
    );
  });

  it("with() rejects a non-function body with a TypeError at the call", () => {
    const lock = new Lock();
    expect(() => lock.with(42 as any)).to.throw(TypeError, /generator function/);
  });

  it("acquire() is an inert, inspectable effect until yielded", () => {
    const lock = new Lock();
    const eff = lock.acquire();
    expect(eff).to.deep.include({ kind: "lock.acquire", target: lock });
    expect(lock.locked()).to.equal(false);
  });

  it("fairness: 200 waiters get the lock in arrival order, with cancellations among them", () => {
    const order = vrun(
      (function* (): Co<number[]> {
        const lock = new Lock();
        const order: number[] = [];
        yield* lock.acquire();
        const tasks = [];
        for (let i = 0; i < 200; i++) {
          tasks.push(
            createTask(
              (function* () {
                yield* lock.acquire();
                order.push(i);
                yield* sleep(1);
                lock.release();
              })(),
            ),
          );
        }
        yield* sleep(0);
        for (let i = 0; i < 200; i += 7) tasks[i].cancel();
        lock.release();
        yield* gather(...tasks, { returnExceptions: true });
        return order;
      })(),
    );
    const expected = [];
    for (let i = 0; i < 200; i++) if (i % 7 !== 0) expected.push(i);
    expect(order).to.deep.equal(expected);
  });

  it("is bound to the loop it first waited on (RuntimeError from another loop)", () => {
    const lock = new Lock();
    vrun(
      (function* (): Co<void> {
        yield* lock.acquire();
        task(lock.acquire());
        yield* sleep(0);
      })(),
    );
    vrun(
      (function* (): Co<void> {
        const err = yield* thrown(lock.acquire());
        expect(err).to.be.an.instanceOf(RuntimeError);
        expect((err as Error).message).to.match(/different event loop/);
      })(),
    );
  });
});
