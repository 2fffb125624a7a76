// Catalogue area SEM — asyncio.Semaphore / BoundedSemaphore (asyncio-semantics.md §F4; CPython SemaphoreTests).
import { expect } from "chai";
import { Semaphore, BoundedSemaphore, CancelledError, createTask, getRunningLoop, sleep, gather, type Task } from "../../lib/index.js";
import { type Co, vrun, catchError } from "../helpers.js";
import { task, thrown, waiterCount } from "./helpers.js";

describe("catalogue SEM — Semaphore", () => {
  // src: test_initial_value_zero, test_semaphore_value, test_semaphore; locks.py Semaphore.locked
  it("SEM-01 construction, locked(), and a semaphore is not awaitable itself", () => {
    expect(new Semaphore(0).locked()).to.equal(true);
    const err = catchError(() => new Semaphore(-1), RangeError);
    expect(err.message).to.match(/Semaphore initial value must be >= 0/);
    expect(() => new Semaphore(1.5)).to.throw(RangeError);
    expect(() => new Semaphore("2" as any)).to.throw(TypeError);
    expect(new Semaphore()._value).to.equal(1);
    vrun(
      (function* (): Co<void> {
        const sem = new Semaphore();
        expect(yield* thrown(sem as any)).to.be.an.instanceOf(TypeError);
        expect(sem.locked()).to.equal(false);
        expect(sem._value).to.equal(1);
        // locked() is also true while a live waiter is queued, whatever the value.
        yield* sem.acquire();
        const w = task(sem.acquire());
        yield* sleep(0);
        sem._value = 1; // as if released without waking anyone
        expect(sem.locked()).to.equal(true);
        w.cancel();
        expect(sem.locked()).to.equal(false);
        yield* sleep(0);
      })(),
    );
  });

  // src: test_acquire
  it("SEM-02 acquire/release accounting: the value is handed to woken waiters at once", () => {
    vrun(
      (function* (): Co<void> {
        const sem = new Semaphore(3);
        const result: number[] = [];
        expect(yield* sem.acquire()).to.equal(true);
        expect(yield* sem.acquire()).to.equal(true);
        expect(sem.locked()).to.equal(false);
        function* c(i: number): Co<boolean> {
          yield* sem.acquire();
          result.push(i);
          return true;
        }
        const t1 = createTask(c(1));
        const t2 = createTask(c(2));
        const t3 = createTask(c(3));
        yield* sleep(0);
        expect(result).to.deep.equal([1]);
        expect(sem.locked()).to.equal(true);
        expect(waiterCount(sem)).to.equal(2);
        expect(sem._value).to.equal(0);
        const t4 = createTask(c(4));
        sem.release();
        sem.release();
        expect(sem._value).to.equal(0);
        yield* sleep(0);
        expect(sem._value).to.equal(0);
        expect(result.length).to.equal(3);
        expect(sem.locked()).to.equal(true);
        expect(waiterCount(sem)).to.equal(1);
        expect(t1.done() && t1.result()).to.equal(true);
        expect([t2, t3, t4].map((t) => t.done())).to.deep.equal([true, true, false]);
        sem.release();
        yield* gather(t2, t3, t4);
      })(),
    );
  });

  // src: test_acquire_cancel
  it("SEM-03 a cancelled acquire leaves no live waiter", () => {
    vrun(
      (function* (): Co<void> {
        const sem = new Semaphore();
        yield* sem.acquire();
        const a = task(sem.acquire());
        getRunningLoop().callSoon(() => a.cancel());
        expect(yield* thrown(a)).to.be.an.instanceOf(CancelledError);
        expect(waiterCount(sem)).to.equal(0);
        expect(sem._value).to.equal(0);
      })(),
    );
  });

  // src: test_acquire_cancel_before_awoken
  it("SEM-04 waiters cancelled before being woken are skipped", () => {
    vrun(
      (function* (): Co<void> {
        const sem = new Semaphore(0);
        const [t1, t2, t3, t4] = [0, 1, 2, 3].map(() => task(sem.acquire()));
        yield* sleep(0);
        t1.cancel();
        t2.cancel();
        sem.release();
        yield* sleep(0);
        yield* sleep(0);
        expect(t3.done()).to.equal(true);
        expect(t4.done()).to.equal(false);
        t3.cancel();
        t4.cancel();
        yield* sleep(0);
      })(),
    );
  });

  // src: test_acquire_hang
  it("SEM-05 a cancelled head waiter does not hang the next one", () => {
    vrun(
      (function* (): Co<void> {
        const sem = new Semaphore(0);
        const t1 = task(sem.acquire());
        const t2 = task(sem.acquire());
        yield* sleep(0);
        t1.cancel();
        sem.release();
        yield* sleep(0);
        yield* sleep(0);
        expect(sem.locked()).to.equal(true);
        expect(t2.done()).to.equal(true);
      })(),
    );
  });

  // src: test_acquire_no_hang
  it("SEM-06 no hang when a queued acquirer is cancelled by the holder", () => {
    vrun(
      (function* (): Co<void> {
        const sem = new Semaphore(1);
        let t2: Task<void> = null as unknown as Task<void>;
        const t1 = createTask(
          (function* (): Co<void> {
            yield* sem.with(function* () {
              yield* sleep(0);
            });
            t2.cancel();
          })(),
        );
        t2 = task(
          sem.with(function* (): Co<void> {
            expect.fail("c2 must not get the semaphore");
          }),
        );
        const [r1, r2] = yield* gather(t1, t2, { returnExceptions: true });
        expect(r1).to.equal(undefined);
        expect(r2).to.be.an.instanceOf(CancelledError);
        const guard = getRunningLoop().callLater(1000, () => expect.fail("acquire hung"));
        yield* sem.acquire();
        guard.cancel();
      })(),
    );
  });

  // src: test_release_not_acquired, test_release_no_waiters
  it("SEM-07 BoundedSemaphore: release past the initial value is a RangeError; release with no waiters unlocks", () => {
    const b = new BoundedSemaphore();
    expect(catchError(() => b.release(), RangeError).message).to.match(/released too many times/);
    expect(() => new BoundedSemaphore(-1)).to.throw(RangeError);
    vrun(
      (function* (): Co<void> {
        const sem = new Semaphore();
        yield* sem.acquire();
        expect(sem.locked()).to.equal(true);
        sem.release();
        expect(sem.locked()).to.equal(false);
        const bs = new BoundedSemaphore(2);
        yield* bs.acquire();
        yield* bs.acquire();
        bs.release();
        bs.release();
        expect(() => bs.release()).to.throw(RangeError);
        expect(bs._value).to.equal(2);
      })(),
    );
  });

  // src: test_acquire_fifo_order
  it("SEM-08 acquirers are served in FIFO order round after round", () => {
    const result = vrun(
      (function* (): Co<string[]> {
        const sem = new Semaphore(1);
        const result: string[] = [];
        function* coro(tag: string): Co<void> {
          yield* sem.acquire();
          result.push(`${tag}_1`);
          yield* sleep(10);
          sem.release();
          yield* sem.acquire();
          result.push(`${tag}_2`);
          yield* sleep(10);
          sem.release();
        }
        yield* gather(coro("c1"), coro("c2"), coro("c3"));
        return result;
      })(),
    );
    expect(result).to.deep.equal(["c1_1", "c2_1", "c3_1", "c1_2", "c2_2", "c3_2"]);
  });

  // src: test_acquire_fifo_order_2
  it("SEM-09 a releaser cannot jump ahead of a queued waiter", () => {
    const result = vrun(
      (function* (): Co<number[]> {
        const sem = new Semaphore(1);
        const result: number[] = [];
        const t1 = createTask(
          (function* () {
            yield* sem.acquire();
            result.push(1);
          })(),
        );
        const t2 = createTask(
          (function* () {
            yield* sem.acquire();
            result.push(2);
            sem.release();
            yield* sem.acquire();
            result.push(4);
          })(),
        );
        const t3 = createTask(
          (function* () {
            yield* sem.acquire();
            result.push(3);
          })(),
        );
        yield* sleep(0);
        sem.release();
        sem.release();
        yield* gather(t1, t2, t3);
        return result;
      })(),
    );
    expect(result).to.deep.equal([1, 2, 3, 4]);
  });

  // src: test_acquire_fifo_order_3
  it("SEM-10 a cancelled waiter is skipped", () => {
    const result = vrun(
      (function* (): Co<number[]> {
        const sem = new Semaphore(0);
        const result: number[] = [];
        const ts = [1, 2, 3].map((i) =>
          createTask(
            (function* () {
              yield* sem.acquire();
              result.push(i);
            })(),
          ),
        );
        yield* sleep(0);
        ts[0].cancel();
        yield* sleep(0);
        sem.release();
        sem.release();
        yield* gather(...ts, { returnExceptions: true });
        return result;
      })(),
    );
    expect(result).to.deep.equal([2, 3]);
  });

  // src: test_acquire_fifo_order_4 (3.13)
  it("SEM-11 one successful acquire wakes as many queued waiters as the value allows (3.13: [1,2,3,4])", () => {
    const result = vrun(
      (function* (): Co<number[]> {
        const sem = new Semaphore(0);
        const result: number[] = [];
        let t4: Task<void> | null = null;
        const t1 = createTask(
          (function* () {
            expect(sem._value).to.equal(0);
            yield* sem.acquire();
            expect(sem._value).to.equal(0);
            t4 = createTask(
              (function* () {
                result.push(4);
              })(),
            );
            result.push(1);
          })(),
        );
        const t2 = createTask(
          (function* () {
            sem.release();
            sem.release();
            sem.release();
            expect(sem._value).to.equal(2);
            expect(sem.locked()).to.equal(true);
            yield* sem.acquire();
            result.push(2);
          })(),
        );
        const t3 = createTask(
          (function* () {
            yield* sem.acquire();
            expect(sem.locked()).to.equal(true);
            result.push(3);
          })(),
        );
        yield* sleep(0);
        expect(sem._value).to.equal(2);
        expect(waiterCount(sem)).to.equal(3);
        yield* sleep(0);
        yield* gather(t1, t2, t3, t4!);
        return result;
      })(),
    );
    expect(result).to.deep.equal([1, 2, 3, 4]);
  });
});

describe("Semaphore — scoped form, cancellation, fairness", () => {
  it("with() holds one unit for the body and gives it back on error and cancellation", () => {
    vrun(
      (function* (): Co<void> {
        const sem = new BoundedSemaphore(2);
        const r = yield* sem.with(function* () {
          expect(sem._value).to.equal(1);
          return 42;
        });
        expect(r).to.equal(42);
        expect(sem._value).to.equal(2);
        yield* thrown(
          sem.with(function* () {
            throw new Error("x");
          }),
        );
        expect(sem._value).to.equal(2);
        const t = task(
          sem.with(function* () {
            yield* sleep(100);
          }),
        );
        yield* sleep(1);
        expect(sem._value).to.equal(1);
        t.cancel();
        yield* sleep(0);
        expect(sem._value).to.equal(2);
      })(),
    );
  });

  it("a woken waiter cancelled before it runs gives its unit to the next waiter", () => {
    vrun(
      (function* (): Co<void> {
        const sem = new Semaphore(0);
        const a = task(sem.acquire());
        const b = task(sem.acquire());
        yield* sleep(0);
        sem.release(); // wakes a (its unit taken for it)
        a.cancel(); // a cannot use it: it must pass it on to b
        yield* sleep(0);
        yield* sleep(0);
        expect(a.cancelled()).to.equal(true);
        expect(b.done() && b.result()).to.equal(true);
        expect(sem._value).to.equal(0);
      })(),
    );
  });

  it("fairness: at most `value` holders at once, served in arrival order", () => {
    const { order, maxHeld } = vrun(runFair());
    expect(maxHeld).to.equal(3);
    expect(order).to.deep.equal(Array.from({ length: 50 }, (_, i) => i));
  });
});

function* runFair(): Co<{ order: number[]; maxHeld: number }> {
  const sem = new Semaphore(3);
  const order: number[] = [];
  let held = 0;
  let maxHeld = 0;
  function* worker(i: number): Co<void> {
    yield* sem.with(function* () {
      order.push(i);
      held++;
      maxHeld = Math.max(maxHeld, held);
      yield* sleep(1 + (i % 4));
      held--;
    });
  }
  yield* gather(...Array.from({ length: 50 }, (_, i) => worker(i)));
  return { order, maxHeld };
}
