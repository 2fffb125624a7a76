// Catalogue area COND — asyncio.Condition (asyncio-semantics.md §F3; CPython test_locks.py ConditionTests).
import { expect } from "chai";
import { Condition, Lock, CancelledError, RuntimeError, createTask, getRunningLoop, sleep, gather } from "../../lib/index.js";
import { type Co, vrun, catchError } from "../helpers.js";
import { task, thrown, waiterCount } from "./helpers.js";

describe("catalogue COND — Condition", () => {
  // src: test_wait
  it("COND-01 notify hands over only after release, one waiter at a time", () => {
    vrun(
      (function* (): Co<void> {
        const cond = new Condition();
        const result: number[] = [];
        function* c(i: number): Co<boolean> {
          yield* cond.acquire();
          if (yield* cond.wait()) result.push(i);
          return true;
        }
        const ts = [createTask(c(1)), createTask(c(2)), createTask(c(3))];
        const snap = () => [result.slice(), cond.locked()];
        yield* sleep(0);
        expect(snap()).to.deep.equal([[], false]);
        expect(yield* cond.acquire()).to.equal(true);
        cond.notify();
        yield* sleep(0);
        expect(snap()).to.deep.equal([[], true]);
        cond.release();
        yield* sleep(0);
        expect(snap()).to.deep.equal([[1], true]);
        cond.notify(2);
        yield* sleep(0);
        expect(snap()).to.deep.equal([[1], true]);
        cond.release();
        yield* sleep(0);
        expect(snap()).to.deep.equal([[1, 2], true]);
        cond.release();
        yield* sleep(0);
        expect(snap()).to.deep.equal([[1, 2, 3], true]);
        for (const t of ts) expect(t.done() && t.result()).to.equal(true);
      })(),
    );
  });

  // src: test_wait_cancel
  it("COND-02 a cancelled wait() re-acquires the lock before raising", () => {
    vrun(
      (function* (): Co<void> {
        const cond = new Condition();
        yield* cond.acquire();
        const w = task(cond.wait());
        getRunningLoop().callSoon(() => w.cancel());
        expect(yield* thrown(w)).to.be.an.instanceOf(CancelledError);
        expect(waiterCount(cond)).to.equal(0);
        expect(cond.locked()).to.equal(true);
      })(),
    );
  });

  // src: test_wait_cancel_contested
  it("COND-03 notify, cancel and release in the same tick: the waiter ends holding the lock", () => {
    vrun(
      (function* (): Co<void> {
        const cond = new Condition();
        yield* cond.acquire();
        const w = task(cond.wait());
        yield* sleep(0);
        expect(cond.locked()).to.equal(false);
        yield* cond.acquire();
        cond.notify();
        getRunningLoop().callSoon(() => w.cancel());
        getRunningLoop().callSoon(() => cond.release());
        const outcome = yield* thrown(w);
        // CPython 3.13 raises CancelledError here too (the test tolerates both).
        expect(outcome).to.be.an.instanceOf(CancelledError);
        expect(cond.locked()).to.equal(true);
      })(),
    );
  });

  // src: test_wait_cancel_after_notify (bpo-32841)
  it("COND-04 cancelled after notify, while re-acquiring: ends cancelled and the lock is free", () => {
    vrun(
      (function* (): Co<void> {
        const cond = new Condition();
        let waited = false;
        const waiter = task(
          cond.with(function* () {
            waited = true;
            yield* cond.wait();
          }),
        );
        yield* sleep(0);
        yield* cond.acquire();
        cond.notify();
        yield* sleep(0);
        waiter.cancel();
        yield* sleep(0);
        cond.release();
        yield* sleep(0);
        expect(waiter.cancelled()).to.equal(true);
        expect(waited).to.equal(true);
        expect(cond.locked()).to.equal(false);
      })(),
    );
  });

  // src: test_wait_unacquired, test_wait_for_unacquired, test_notify_unacquired, test_notify_all_unacquired
  it("COND-05 wait/waitFor/notify/notifyAll without holding the lock are RuntimeErrors (a true predicate returns at once)", () => {
    const cond0 = new Condition();
    expect(catchError(() => cond0.notify(), RuntimeError).message).to.match(/cannot notify on un-acquired lock/);
    catchError(() => cond0.notifyAll(), RuntimeError);
    vrun(
      (function* (): Co<void> {
        const cond = new Condition();
        const err = yield* thrown(cond.wait());
        expect(err).to.be.an.instanceOf(RuntimeError);
        expect((err as Error).message).to.match(/cannot wait on un-acquired lock/);
        expect(yield* cond.waitFor(() => [1, 2, 3])).to.deep.equal([1, 2, 3]);
        expect(yield* thrown(cond.waitFor(() => false))).to.be.an.instanceOf(RuntimeError);
      })(),
    );
  });

  // src: test_wait_for
  it("COND-06 waitFor re-checks the predicate after each notify", () => {
    vrun(
      (function* (): Co<void> {
        const cond = new Condition();
        let presult = false;
        const result: number[] = [];
        const t = createTask(
          (function* (): Co<boolean> {
            yield* cond.acquire();
            if (yield* cond.waitFor(() => presult)) {
              result.push(1);
              cond.release();
            }
            return true;
          })(),
        );
        yield* sleep(0);
        expect(result).to.deep.equal([]);
        yield* cond.acquire();
        cond.notify();
        cond.release();
        yield* sleep(0);
        expect(result).to.deep.equal([]);
        presult = true;
        yield* cond.acquire();
        cond.notify();
        cond.release();
        yield* sleep(0);
        expect(result).to.deep.equal([1]);
        expect(t.done() && t.result()).to.equal(true);
      })(),
    );
  });

  // src: test_notify, test_notify_all
  it("COND-07 notify(n) and notifyAll wake in FIFO order", () => {
    vrun(
      (function* (): Co<void> {
        const cond = new Condition();
        const result: number[] = [];
        function* c(i: number): Co<boolean> {
          yield* cond.acquire();
          if (yield* cond.wait()) {
            result.push(i);
            cond.release();
          }
          return true;
        }
        const ts = [createTask(c(1)), createTask(c(2)), createTask(c(3))];
        yield* sleep(0);
        yield* cond.acquire();
        cond.notify(1);
        cond.release();
        yield* sleep(0);
        expect(result).to.deep.equal([1]);
        yield* cond.acquire();
        cond.notify(1);
        cond.notify(2048);
        cond.release();
        yield* sleep(0);
        expect(result).to.deep.equal([1, 2, 3]);
        for (const t of ts) expect(t.result()).to.equal(true);

        const all: number[] = [];
        const c2 = new Condition();
        function* d(i: number): Co<void> {
          yield* c2.acquire();
          if (yield* c2.wait()) {
            all.push(i);
            c2.release();
          }
        }
        createTask(d(1));
        createTask(d(2));
        yield* sleep(0);
        yield* c2.acquire();
        c2.notifyAll();
        c2.release();
        yield* sleep(0);
        expect(all).to.deep.equal([1, 2]);
      })(),
    );
  });

  // src: test_explicit_lock, test_context_manager
  it("COND-08 an explicit shared lock: locked() mirrors the lock whichever is entered", () => {
    vrun(
      (function* (): Co<void> {
        function* f(lock?: Lock, cond?: Condition): Co<void> {
          lock ??= new Lock();
          cond ??= new Condition(lock);
          expect(cond._lock).to.equal(lock);
          expect([lock.locked(), cond.locked()]).to.deep.equal([false, false]);
          yield* cond.with(function* () {
            expect([lock!.locked(), cond!.locked()]).to.deep.equal([true, true]);
          });
          expect([lock.locked(), cond.locked()]).to.deep.equal([false, false]);
          yield* lock.with(function* () {
            expect([lock!.locked(), cond!.locked()]).to.deep.equal([true, true]);
          });
          expect([lock.locked(), cond.locked()]).to.deep.equal([false, false]);
        }
        yield* f();
        yield* f(new Lock());
        const lock = new Lock();
        yield* f(lock, new Condition(lock));
      })(),
    );
    expect(() => new Condition({} as any)).to.throw(TypeError, /must be a Lock/);
  });

  // src: test_cancelled_error_wakeup
  it("COND-09 a CancelledError received while waiting for notify is re-raised unchanged", () => {
    vrun(
      (function* (): Co<void> {
        const cond = new Condition();
        let raised: unknown = null;
        const t = task(
          cond.with(function* () {
            try {
              yield* cond.waitFor(() => false);
            } catch (e) {
              raised = e;
              throw e;
            }
          }),
        );
        yield* sleep(0);
        t.cancel("foo");
        const err = yield* thrown(t);
        expect(err).to.be.an.instanceOf(CancelledError);
        expect((err as Error).message).to.equal("foo");
        expect(err).to.equal(raised);
      })(),
    );
  });

  // src: test_cancelled_error_re_aquire (3.13)
  it("COND-10 a CancelledError received while re-acquiring the lock is re-raised unchanged", () => {
    vrun(
      (function* (): Co<void> {
        const cond = new Condition();
        let wake = false;
        let raised: unknown = null;
        const t = task(
          cond.with(function* () {
            try {
              yield* cond.waitFor(() => wake);
            } catch (e) {
              raised = e;
              throw e;
            }
          }),
        );
        yield* sleep(0);
        yield* cond.acquire();
        wake = true;
        cond.notify();
        yield* sleep(0);
        t.cancel("foo");
        cond.release();
        const err = yield* thrown(t);
        expect(err).to.be.an.instanceOf(CancelledError);
        expect((err as Error).message).to.equal("foo");
        expect(err).to.equal(raised);
        expect(cond.locked()).to.equal(false);
      })(),
    );
  });

  // src: test_cancelled_wakeup, test_cancelled_wakeup_relock (3.13)
  for (const relock of [false, true]) {
    it(`COND-11 a notified waiter cancelled ${relock ? "while re-acquiring" : "before it runs"} passes the notification on`, () => {
      vrun(
        (function* (): Co<void> {
          const cond = new Condition();
          let state = 0;
          function* consumer(): Co<void> {
            yield* cond.with(function* () {
              for (;;) {
                yield* cond.waitFor(() => state !== 0);
                if (state < 0) return;
                state--;
              }
            });
          }
          const c = [createTask(consumer()), createTask(consumer())];
          yield* sleep(0);
          yield* cond.with(function* () {
            state++;
            cond.notify(1);
            if (relock) yield* sleep(0);
            c[0].cancel();
            // asyncio.timeout(0.01) around the wait: cancel it if the wake-up was lost.
            const me = getRunningLoop();
            const guard = me.callLater(10, () => waitTask.cancel());
            const waitTask = task(cond.waitFor(() => state === 0));
            yield* gather(waitTask, { returnExceptions: true });
            guard.cancel();
            expect(state).to.equal(0);
            state = -1;
            cond.notifyAll();
          });
          yield c[1];
          expect(c[0].cancelled()).to.equal(true);
        })(),
      );
    });
  }
});
