import { expect } from "chai";
import { TimerHeap, isScheduled, type TimerEntry } from "../lib/timer-heap.js";

interface T extends TimerEntry {
  id: number;
}
const timer = (id: number, when: number): T => ({ id, _when: when, _seq: -1, _cancelled: false });

function drain(heap: TimerHeap<T>): number[] {
  const out: number[] = [];
  for (let t = heap.pop(); t !== undefined; t = heap.pop()) if (!t._cancelled) out.push(t.id);
  return out;
}

describe("TimerHeap", () => {
  it("pops by deadline", () => {
    const heap = new TimerHeap<T>();
    [50, 10, 40, 20, 30].forEach((when, i) => heap.push(timer(i, when)));
    expect(drain(heap)).to.deep.equal([1, 3, 4, 2, 0]);
  });

  it("fires equal deadlines in scheduling order (FIFO), unlike CPython (SCH-07)", () => {
    const heap = new TimerHeap<T>();
    for (let i = 0; i < 10; i++) heap.push(timer(i, 1000));
    expect(drain(heap)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("orders a large random set exactly like a stable sort", () => {
    const heap = new TimerHeap<T>();
    const timers: T[] = [];
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 100);
    for (let i = 0; i < 2000; i++) {
      const t = timer(i, rand());
      timers.push(t);
      heap.push(t);
    }
    const expected = timers.slice().sort((a, b) => a._when - b._when || a.id - b.id).map((t) => t.id);
    expect(drain(heap)).to.deep.equal(expected);
  });

  it("drops cancelled timers lazily from the top and tracks their count", () => {
    const heap = new TimerHeap<T>();
    const a = timer(1, 10), b = timer(2, 20), c = timer(3, 30);
    [a, b, c].forEach((t) => heap.push(t));
    expect([a, b, c].every(isScheduled)).to.equal(true);
    a._cancelled = true;
    heap.noteCancelled();
    expect(heap.cancelledCount).to.equal(1);
    heap.dropCancelled();
    expect(heap.peek()).to.equal(b);
    expect(heap.cancelledCount).to.equal(0);
    expect(isScheduled(a)).to.equal(false);
    expect(isScheduled(b)).to.equal(true);
  });

  it("compacts when over half of a large heap is cancelled", () => {
    const heap = new TimerHeap<T>();
    const timers = Array.from({ length: 300 }, (_, i) => timer(i, 300 - i));
    timers.forEach((t) => heap.push(t));
    for (const t of timers) {
      if (t.id % 3 !== 0) {
        t._cancelled = true;
        heap.noteCancelled();
      }
    }
    heap.dropCancelled();
    expect(heap.size).to.equal(100);
    expect(heap.cancelledCount).to.equal(0);
    const expected = timers.filter((t) => t.id % 3 === 0).sort((x, y) => x._when - y._when).map((t) => t.id);
    expect(drain(heap)).to.deep.equal(expected);
  });
});
