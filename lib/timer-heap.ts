/**
 * What the heap stores: a deadline, a tie-breaking sequence number and a cancelled flag.
 * `_seq` is -1 while the timer is in no heap (one field for both: timers stay small).
 */
export interface TimerEntry {
  /** @internal */ _when: number;
  /** @internal The order it was scheduled in, while in a heap; -1 otherwise (see `isScheduled`). */
  _seq: number;
  /** @internal */ _cancelled: boolean;
}

/** True while `timer` is in a heap. */
export function isScheduled(timer: TimerEntry): boolean {
  return timer._seq >= 0;
}

function before(a: TimerEntry, b: TimerEntry): boolean {
  return a._when < b._when || (a._when === b._when && a._seq < b._seq);
}

/**
 * A binary min-heap of timers ordered by (deadline, scheduling sequence): equal deadlines
 * come out in the order they were scheduled. Cancelled timers stay in the heap until they
 * reach the top (lazy removal); `compact()` rebuilds the heap when most entries are cancelled.
 *
 * Invariant: `cancelledCount` is the number of entries in `heap` whose `_cancelled` is true.
 */
export class TimerHeap<T extends TimerEntry> {
  private heap: T[] = [];
  private nextSeq = 0;
  cancelledCount = 0;

  get size(): number {
    return this.heap.length;
  }

  /** A new sequence number: the heap's own entries and the loop's sleeps (SleepHeap) share them. */
  takeSeq(): number {
    return this.nextSeq++;
  }

  push(timer: T): void {
    timer._seq = this.nextSeq++;
    this.heap.push(timer);
    this.siftUp(this.heap.length - 1);
  }

  peek(): T | undefined {
    return this.heap[0];
  }

  pop(): T | undefined {
    const heap = this.heap;
    if (heap.length === 0) return undefined;
    const top = heap[0];
    const last = heap.pop() as T;
    if (heap.length > 0) {
      heap[0] = last;
      this.siftDown(0);
    }
    top._seq = -1;
    if (top._cancelled) this.cancelledCount--;
    return top;
  }

  /** Called when a scheduled timer is cancelled. */
  noteCancelled(): void {
    this.cancelledCount++;
  }

  /** Pops cancelled timers off the top; rebuilds the heap when over half of it is cancelled. */
  dropCancelled(): void {
    const heap = this.heap;
    if (heap.length > 100 && this.cancelledCount * 2 > heap.length) {
      this.compact();
      return;
    }
    while (heap.length > 0 && heap[0]._cancelled) this.pop();
  }

  /** Removes every cancelled timer and re-heapifies: O(n). */
  compact(): void {
    const kept: T[] = [];
    for (const t of this.heap) {
      if (t._cancelled) t._seq = -1;
      else kept.push(t);
    }
    this.heap = kept;
    this.cancelledCount = 0;
    for (let i = (kept.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  clear(): void {
    for (const t of this.heap) t._seq = -1;
    this.heap = [];
    this.cancelledCount = 0;
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    const item = heap[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(item, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = item;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const item = heap[i];
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && before(heap[child + 1], heap[child])) child++;
      if (!before(heap[child], item)) break;
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = item;
  }
}
