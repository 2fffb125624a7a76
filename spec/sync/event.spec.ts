// Catalogue area EVT — asyncio.Event (asyncio-semantics.md §F2; CPython test_locks.py EventTests).
import { expect } from "chai";
import { Event, CancelledError, createTask, getRunningLoop, sleep, gather } from "../../lib/index.js";
import { type Co, vrun } from "../helpers.js";
import { task, thrown, waiterCount } from "./helpers.js";

describe("catalogue EVT — Event", () => {
  // src: test_wait
  it("EVT-01 set() wakes waiters in FIFO order; a task already queued to wait() returns first", () => {
    vrun(
      (function* (): Co<void> {
        const ev = new Event();
        expect(ev.isSet()).to.equal(false);
        const result: number[] = [];
        function* c(i: number): Co<void> {
          if (yield* ev.wait()) result.push(i);
        }
        const t1 = createTask(c(1));
        const t2 = createTask(c(2));
        yield* sleep(0);
        expect(result).to.deep.equal([]);
        const t3 = createTask(c(3));
        ev.set();
        yield* sleep(0);
        expect(result).to.deep.equal([3, 1, 2]);
        for (const t of [t1, t2, t3]) expect(t.done() && t.result()).to.equal(undefined);
      })(),
    );
  });

  // src: test_wait_on_set
  it("EVT-02 wait() on a set event returns true at once, without yielding to the loop", () => {
    vrun(
      (function* (): Co<void> {
        const ev = new Event();
        ev.set();
        const log: string[] = [];
        getRunningLoop().callSoon(() => log.push("soon"));
        expect(yield* ev.wait()).to.equal(true);
        expect(log).to.deep.equal([]);
      })(),
    );
  });

  // src: test_wait_cancel
  it("EVT-03 a cancelled wait() removes its waiter", () => {
    vrun(
      (function* (): Co<void> {
        const ev = new Event();
        const w = task(ev.wait());
        getRunningLoop().callSoon(() => w.cancel());
        expect(yield* thrown(w)).to.be.an.instanceOf(CancelledError);
        expect(waiterCount(ev)).to.equal(0);
      })(),
    );
  });

  // src: test_clear
  it("EVT-04 clear() resets the flag: isSet() false → set() true → clear() false", () => {
    const ev = new Event();
    expect(ev.isSet()).to.equal(false);
    ev.set();
    expect(ev.isSet()).to.equal(true);
    ev.clear();
    expect(ev.isSet()).to.equal(false);
    expect(String(ev)).to.equal("<Event [unset]>");
  });

  // src: test_clear_with_waiters
  it("EVT-05 set() then clear() before the waiter runs still wakes it (with true)", () => {
    vrun(
      (function* (): Co<void> {
        const ev = new Event();
        const result: number[] = [];
        const t = createTask(
          (function* (): Co<boolean> {
            if (yield* ev.wait()) result.push(1);
            return true;
          })(),
        );
        yield* sleep(0);
        expect(result).to.deep.equal([]);
        ev.set();
        ev.clear();
        expect(ev.isSet()).to.equal(false);
        ev.set();
        ev.set();
        expect(waiterCount(ev)).to.equal(1);
        yield* sleep(0);
        expect(result).to.deep.equal([1]);
        expect(waiterCount(ev)).to.equal(0);
        expect(t.done() && t.result()).to.equal(true);
      })(),
    );
  });
});

describe("Event — cancellation and many waiters", () => {
  it("a waiter woken by set() and cancelled before it runs ends cancelled; the others are unaffected", () => {
    vrun(
      (function* (): Co<void> {
        const ev = new Event();
        const a = task(ev.wait());
        const b = task(ev.wait());
        yield* sleep(0);
        ev.set();
        a.cancel();
        const [ra, rb] = yield* gather(a, b, { returnExceptions: true });
        expect(ra).to.be.an.instanceOf(CancelledError);
        expect(rb).to.equal(true);
        expect(waiterCount(ev)).to.equal(0);
      })(),
    );
  });

  it("1000 waiters all wake, in FIFO order, on one set()", () => {
    const order = vrun(
      (function* (): Co<number[]> {
        const ev = new Event();
        const order: number[] = [];
        const ts = [];
        for (let i = 0; i < 1000; i++) {
          ts.push(
            createTask(
              (function* () {
                yield* ev.wait();
                order.push(i);
              })(),
            ),
          );
        }
        yield* sleep(5);
        ev.set();
        yield* gather(...ts);
        return order;
      })(),
    );
    expect(order).to.deep.equal(Array.from({ length: 1000 }, (_, i) => i));
  });

  it("wait() is an inert effect ({ kind: 'event.wait' })", () => {
    const ev = new Event();
    expect(ev.wait()).to.deep.include({ kind: "event.wait", target: ev });
  });
});
