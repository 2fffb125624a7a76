import { expect } from "chai";
import { EventLoop, VirtualClock } from "../lib/index.js";
import { TimerHandle, type TimerOwner } from "../lib/handle.js";
import { TimerHeap } from "../lib/timer-heap.js";

/** A heap of timer handles, each owned by an owner that takes it out of the heap when cancelled (as the loop does). */
function newHeap(): { heap: TimerHeap; timer: (id: number, when: number) => TimerHandle; ids: Map<TimerHandle, number> } {
  const heap = new TimerHeap();
  const ids = new Map<TimerHandle, number>();
  const owner: TimerOwner = {
    _timerCancelled(handle) {
      heap.cancel(handle._waiter);
      handle._waiter = -1;
    },
  };
  const timer = (id: number, when: number): TimerHandle => {
    const handle = new TimerHandle(when, () => {}, [], owner);
    ids.set(handle, id);
    return handle;
  };
  return { heap, timer, ids };
}

/** Takes every entry out, earliest first: their ids. */
function drain(heap: TimerHeap, ids: Map<TimerHandle, number>): number[] {
  const out: number[] = [];
  while (heap.nextWhen() !== Infinity) out.push(ids.get(heap.popDue() as TimerHandle) as number);
  return out;
}

/** Every live entry is at the index its `_waiter` says (the heap's invariant). */
function checkIndexes(heap: TimerHeap): void {
  (heap as unknown as { entries: (TimerHandle | null)[] }).entries.forEach((entry, index) => {
    if (entry !== null) expect(entry._waiter).to.equal(index);
  });
}

describe("TimerHeap", () => {
  it("takes entries out by deadline, each told it is no longer scheduled", () => {
    const { heap, timer, ids } = newHeap();
    const timers = [50, 10, 40, 20, 30].map((when, i) => timer(i, when));
    timers.forEach((t) => heap.push(t, t.when()));
    checkIndexes(heap);
    expect(heap.nextWhen()).to.equal(10);
    expect(drain(heap, ids)).to.deep.equal([1, 3, 4, 2, 0]);
    expect(timers.map((t) => t._waiter)).to.deep.equal([-1, -1, -1, -1, -1]);
  });

  it("takes equal deadlines out in scheduling order (FIFO), unlike CPython (SCH-07)", () => {
    const { heap, timer, ids } = newHeap();
    for (let i = 0; i < 10; i++) heap.push(timer(i, 1000), 1000);
    expect(drain(heap, ids)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("orders a large random set exactly like a stable sort, its indexes right throughout", () => {
    const { heap, timer, ids } = newHeap();
    const timers: TimerHandle[] = [];
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 100);
    for (let i = 0; i < 2000; i++) {
      const t = timer(i, rand());
      timers.push(t);
      heap.push(t, t.when());
    }
    checkIndexes(heap);
    const expected = timers.slice().sort((a, b) => a.when() - b.when() || (ids.get(a) as number) - (ids.get(b) as number)).map((t) => ids.get(t));
    expect(drain(heap, ids)).to.deep.equal(expected);
  });

  it("a cancelled entry leaves an empty slot that never sets a deadline", () => {
    const { heap, timer, ids } = newHeap();
    const a = timer(1, 10), b = timer(2, 20), c = timer(3, 30);
    [a, b, c].forEach((t) => heap.push(t, t.when()));
    a.cancel();
    expect(a._waiter).to.equal(-1);
    expect(heap.size).to.equal(2);
    expect(heap.nextWhen()).to.equal(20);
    checkIndexes(heap);
    expect(drain(heap, ids)).to.deep.equal([2, 3]);
  });

  it("is rebuilt without its empty slots once they are more than half", () => {
    const { heap, timer, ids } = newHeap();
    const timers = Array.from({ length: 300 }, (_, i) => timer(i, 300 - i));
    timers.forEach((t) => heap.push(t, t.when()));
    for (const t of timers) if ((ids.get(t) as number) % 3 !== 0) t.cancel();
    const slots = (heap as unknown as { entries: unknown[] }).entries.length;
    expect(slots).to.be.below(2 * 100 + 1); // rebuilt on the way: never more empty slots than entries
    expect(heap.size).to.equal(100);
    checkIndexes(heap);
    const expected = timers.filter((t) => (ids.get(t) as number) % 3 === 0).sort((x, y) => x.when() - y.when()).map((t) => ids.get(t));
    expect(drain(heap, ids)).to.deep.equal(expected);
  });

  it("clear() tells every entry it is no longer scheduled: a timer handle cancelled afterwards leaves the heap alone", () => {
    const { heap, timer } = newHeap();
    const a = timer(1, 10), b = timer(2, 20);
    [a, b].forEach((t) => heap.push(t, t.when()));
    heap.clear();
    expect([a._waiter, b._waiter, heap.size]).to.deep.equal([-1, -1, 0]);
    b.cancel();
    expect([heap.size, heap.nextWhen()]).to.deep.equal([0, Infinity]);
  });

  it("on a loop: a timer handle cancelled while scheduled leaves the heap at once, and its deadline no longer counts", () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    const ran: string[] = [];
    const done = loop.createFuture<void>();
    const early = loop.callLater(5, () => ran.push("early"));
    loop.callLater(10, () => {
      ran.push("late");
      done.setResult();
    });
    expect([loop._timers.size, loop.nextDeadline()]).to.deep.equal([2, 5]);
    early.cancel();
    expect([loop._timers.size, loop.nextDeadline(), early._waiter]).to.deep.equal([1, 10, -1]);
    loop.runUntilComplete(done);
    expect([ran, loop.time()]).to.deep.equal([["late"], 10]);
    early.cancel(); // once more, taken out already: nothing happens
    expect(loop._timers.size).to.equal(0);
    loop.close();
  });
});
