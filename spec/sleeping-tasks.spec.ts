import { expect } from "chai";
import { CancelledError, EventLoop, VirtualClock, createTask, sleep, type Coroutine, type Task } from "../lib/index.js";
import { describeWait } from "../lib/graph/describe-wait.js";

/** A loop on a virtual clock; how many live entries its timer heap holds, how many empty slots (cancelled entries). */
function newVirtualLoop(): { loop: EventLoop; emptySlots: () => number; timers: () => number } {
  const loop = new EventLoop({ clock: new VirtualClock() });
  return { loop, emptySlots: () => (loop._timers as unknown as { empty: number }).empty, timers: () => loop._timers.size };
}

describe("sleeping tasks (TimerHeap): a sleeping task is its own timer, no Future, no timer object", () => {
  it("resumes the task with the sleep's result, and with the next sleep's own", () => {
    const { loop } = newVirtualLoop();
    const got = loop.runUntilComplete(
      (function* (): Coroutine<unknown[]> {
        const a = yield* sleep(10, "a");
        const b = yield* sleep(5);
        const c = yield* sleep(0, "c");
        const d = yield* sleep(1, null);
        return [a, b, c, d, loop.time()];
      })(),
    );
    expect(got).to.deep.equal(["a", undefined, "c", null, 16]);
  });

  it("a cancelled sleep resumes with CancelledError, not its result, and leaves the heap at once", () => {
    const { loop, emptySlots, timers } = newVirtualLoop();
    const got = loop.runUntilComplete(
      (function* (): Coroutine<unknown> {
        const sleeper = createTask(
          (function* (): Coroutine<unknown> {
            try {
              return yield* sleep(1000, "result");
            } catch (e) {
              return e instanceof CancelledError ? `cancelled: ${e.message}` : e;
            }
          })(),
        );
        yield* sleep(0);
        expect(timers()).to.equal(1);
        sleeper.cancel("stop");
        expect([timers(), emptySlots()]).to.deep.equal([0, 1]); // its slot is left empty, in O(1)
        return yield* sleeper;
      })(),
    );
    expect(got).to.equal("cancelled: stop");
    expect(loop.time()).to.equal(0);
  });

  it("cancelled once its timer is due but before the task resumes: CancelledError, and the heap holds nothing", () => {
    const { loop, emptySlots, timers } = newVirtualLoop();
    let sleeper: Task<unknown> | undefined;
    // A timer scheduled first for the same time runs first, in the iteration where the sleep's
    // timer has already left the heap (asyncio cancels the sleep's future there too).
    loop.callAt(10, () => sleeper?.cancel("late"));
    const got = loop.runUntilComplete(
      (function* (): Coroutine<unknown> {
        sleeper = createTask(
          (function* (): Coroutine<unknown> {
            try {
              return yield* sleep(10, "result");
            } catch (e) {
              return e instanceof CancelledError ? `cancelled: ${e.message}` : e;
            }
          })(),
        );
        return yield* sleeper;
      })(),
    );
    expect(got).to.equal("cancelled: late");
    expect(emptySlots()).to.equal(0);
    expect(timers()).to.equal(0);
  });

  it("a sleep cancelled, caught, and slept again to the same deadline wakes once, at that deadline", () => {
    const { loop, emptySlots, timers } = newVirtualLoop();
    const log: string[] = [];
    const got = loop.runUntilComplete(
      (function* (): Coroutine<unknown> {
        const sleeper = createTask(
          (function* (): Coroutine<number> {
            let wakes = 0;
            for (let round = 0; round < 2; round++) {
              try {
                yield* sleep(10 - loop.time());
                wakes++;
                log.push(`woke at ${loop.time()}`);
              } catch (e) {
                log.push(e instanceof CancelledError ? `cancelled at ${loop.time()}` : String(e));
              }
            }
            return wakes;
          })(),
        );
        yield* sleep(4);
        expect(describeWait(sleeper)).to.equal("sleep until 10 ms");
        sleeper.cancel();
        sleeper.uncancel();
        expect([timers(), emptySlots()]).to.deep.equal([0, 1]);
        yield* sleep(1);
        expect([timers(), emptySlots()]).to.deep.equal([1, 0]); // its second sleep; the first one's empty slot left at the top, at 5
        expect(describeWait(sleeper)).to.equal("sleep until 10 ms");
        return yield* sleeper;
      })(),
    );
    expect(got).to.equal(1);
    expect(log).to.deep.equal(["cancelled at 4", "woke at 10"]);
    expect([timers(), emptySlots()]).to.deep.equal([0, 0]);
  });

  it("a timer that fired queues the task's step for the next iteration, as asyncio's sleep future does", () => {
    const { loop } = newVirtualLoop();
    const order: string[] = [];
    loop.runUntilComplete(
      (function* (): Coroutine<void> {
        const sleeper = createTask((function* () { yield* sleep(5); order.push("sleeper resumed"); })());
        loop.callAt(5, () => {
          order.push("callback at 5");
          expect(describeWait(sleeper)).to.equal("sleep over, about to resume");
          loop.callSoon(() => order.push("callSoon from the callback"));
        });
        yield* sleeper;
      })(),
    );
    // As asyncio (CPython 3.13 gives this order): the callback's timer, scheduled first, runs
    // first; the sleep's timer then resolves its future, whose wake-up is queued after the
    // callback's callSoon.
    expect(order).to.deep.equal(["callback at 5", "callSoon from the callback", "sleeper resumed"]);
  });

  it("sleeps and timer handles of equal deadlines come due in the order they were scheduled", () => {
    const { loop } = newVirtualLoop();
    const order: string[] = [];
    loop.runUntilComplete(
      (function* (): Coroutine<void> {
        const tasks: Task<void>[] = [];
        for (let i = 0; i < 3; i++) {
          loop.callAt(10, () => order.push(`timer ${i}`));
          tasks.push(createTask((function* () { yield* sleep(10); order.push(`sleeper ${i}`); })()));
          yield* sleep(0); // the sleeper schedules its sleep now, after timer i
        }
        for (const t of tasks) yield* t;
      })(),
    );
    // Each sleeper resumes one iteration after its timer fired (as asyncio's sleep future).
    expect(order).to.deep.equal(["timer 0", "timer 1", "timer 2", "sleeper 0", "sleeper 1", "sleeper 2"]);
  });

  it("keeps every task at its index through random sleeps and cancellations (the heap invariant), and wakes them in order", () => {
    const { loop } = newVirtualLoop();
    const woke: [number, number][] = [];
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    const deadlines: number[] = [];
    loop.runUntilComplete(
      (function* (): Coroutine<void> {
        const tasks: Task<void>[] = [];
        for (let i = 0; i < 300; i++) {
          const ms = 1 + rand(50);
          deadlines.push(ms);
          tasks.push(createTask((function* () { yield* sleep(ms); woke.push([i, loop.time()]); })()));
        }
        yield* sleep(0);
        const heap = loop._timers as unknown as { entries: (Task<unknown> | null)[] };
        const cancelled = new Set<number>();
        for (let k = 0; k < 100; k++) {
          const i = rand(300);
          if (tasks[i].cancel()) cancelled.add(i);
          heap.entries.forEach((t, index) => {
            if (t !== null) expect(t._waiter).to.equal(index);
          });
          expect(heap.entries).to.not.include(tasks[i]); // a cancelled task is let go at once
        }
        expect(loop._timers.size).to.equal(300 - cancelled.size);
        for (const t of tasks) {
          try {
            yield* t;
          } catch {
            // cancelled
          }
        }
        const expected = deadlines.map((ms, i) => [i, ms] as [number, number]).filter(([i]) => !cancelled.has(i));
        expected.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
        expect(woke).to.deep.equal(expected);
      })(),
    );
  });

  it("cancelled sleeps leave empty entries that never set a deadline, and the heap is rebuilt without them once they are more than half", () => {
    const { loop, timers } = newVirtualLoop();
    const woke: [number, number][] = [];
    loop.runUntilComplete(
      (function* (): Coroutine<void> {
        const tasks: Task<void>[] = [];
        for (let i = 0; i < 200; i++) {
          const ms = 10 + i;
          tasks.push(createTask((function* () { yield* sleep(ms); woke.push([i, loop.time()]); })()));
        }
        yield* sleep(0);
        const heap = loop._timers as unknown as { entries: (Task<unknown> | null)[] };
        // The earliest 100 sleeps, then every other one: the heap is rebuilt on the way.
        const cancelled: number[] = [];
        for (let i = 0; i < 200; i++) if (i < 100 || i % 2 === 0) cancelled.push(i);
        for (const i of cancelled) {
          expect(tasks[i].cancel()).to.equal(true);
          heap.entries.forEach((t, index) => {
            if (t !== null) expect(t._waiter).to.equal(index);
          });
        }
        expect(timers()).to.equal(50);
        expect(heap.entries.length).to.be.below(2 * 50 + 1); // never more empty entries than tasks
        expect(heap.entries.filter((t) => t !== null).length).to.equal(50);
        for (const t of tasks) {
          try {
            yield* t;
          } catch {
            // cancelled
          }
        }
      })(),
    );
    // The survivors wake at their own deadlines: no cancelled (earlier) deadline moved the clock.
    const expected: [number, number][] = [];
    for (let i = 101; i < 200; i += 2) expected.push([i, 10 + i]);
    expect(woke).to.deep.equal(expected);
    expect(timers()).to.equal(0);
  });

  it("a loop whose only sleeps were cancelled has nothing due: the clock stays, and run_forever reports the deadlock", () => {
    const { loop, timers } = newVirtualLoop();
    const got = loop.runUntilComplete(
      (function* (): Coroutine<string> {
        const sleeper = createTask((function* () { yield* sleep(1000); })());
        yield* sleep(0);
        sleeper.cancel();
        try {
          yield* sleeper;
        } catch (e) {
          return e instanceof CancelledError ? `cancelled at ${loop.time()}` : String(e);
        }
        return "not cancelled";
      })(),
    );
    expect(got).to.equal("cancelled at 0");
    expect(timers()).to.equal(0);
    expect(loop.nextDeadline()).to.equal(null);
    expect(loop.time()).to.equal(0);
  });
});
