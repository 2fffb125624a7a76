import type { TimerHandle } from "./handle.js";
import type { Task } from "./task.js";

/**
 * What the timer heap holds: a task sleeping on `sleep(ms)` (a sleeping task is its own timer:
 * no Future and no timer object per sleep) or a timer handle (`callLater`, `callAt`).
 */
export type TimerEntry = Task<any> | TimerHandle;

/**
 * A loop's timers: a binary min-heap of sleeping tasks and timer handles ordered by (deadline,
 * sequence number), so that entries of equal deadlines come due in the order they were
 * scheduled, sleeps and handles alike. Entry i is (`whens[i]`, `seqs[i]`, `entries[i]`), three
 * flat arrays, so ordering compares numbers.
 *
 * Each entry's `_waiter` is its index here while it is in the heap (a task's `_waiter` is what it
 * waits on: while it sleeps, its place here). A cancelled entry (a cancelled sleep or timer
 * handle) leaves its slot in place, empty (null), as asyncio leaves a cancelled timer handle in
 * its heap: cancelling is O(1), where taking the entry out costs a sift of O(log n) steps (in
 * QuickJS, a fifth of a whole cancellation). Empty slots leave when they reach the top
 * (`nextWhen` takes them out, so they never set a deadline) or when they make up more than half
 * of the heap (it is rebuilt without them), so they never outnumber the live entries.
 *
 * Invariants: for every i, `entries[i]` is null or `entries[i]._waiter === i`; `empty` counts
 * the null entries; the three arrays have the same length.
 */
export class TimerHeap {
  private entries: (TimerEntry | null)[] = [];
  private whens: number[] = [];
  private seqs: number[] = [];
  /** The next sequence number: the order entries were scheduled in. */
  private nextSeq = 0;
  /** The most entries since the arrays were last made: after a burst they are made again, smaller. */
  private peak = 0;
  /** How many slots are empty: cancelled entries (see the class comment). */
  private empty = 0;

  /** How many sleeping tasks and timer handles are in the heap. */
  get size(): number {
    return this.entries.length - this.empty;
  }

  /** Adds `entry`, due at `when`, after every entry already scheduled; sets its `_waiter` to its index. */
  push(entry: TimerEntry, when: number): void {
    const seq = this.nextSeq++;
    this.entries.push(entry);
    this.whens.push(when);
    this.seqs.push(seq);
    const n = this.entries.length;
    if (n > this.peak) this.peak = n;
    this.siftUp(n - 1, entry, when, seq);
  }

  /** The earliest deadline, or Infinity when the heap is empty; takes out the empty slots on top first. */
  nextWhen(): number {
    while (this.entries.length > 0 && this.entries[0] === null) {
      this.empty--;
      this.remove(0);
    }
    return this.entries.length === 0 ? Infinity : this.whens[0];
  }

  /** The deadline of the entry at `index`. */
  whenAt(index: number): number {
    return this.whens[index];
  }

  /** Takes out the earliest entry (after `nextWhen`, which leaves a live one on top), told it is due. */
  popDue(): TimerEntry {
    const entry = this.entries[0] as TimerEntry;
    this.remove(0);
    entry._timerDue();
    return entry;
  }

  /**
   * Cancels the entry at `index`: lets it go (its `_waiter` is for the caller to set) and leaves
   * its slot empty, or rebuilds the heap once more than half is empty.
   */
  cancel(index: number): void {
    this.entries[index] = null;
    this.empty++;
    if (this.empty > 32 && this.empty * 2 > this.entries.length) this.rebuild();
  }

  /** Makes the heap again from its live entries alone, without the empty slots: O(n). */
  private rebuild(): void {
    const entries = this.entries, whens = this.whens, seqs = this.seqs;
    this.entries = [];
    this.whens = [];
    this.seqs = [];
    this.empty = 0;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      if (entry === null) continue;
      entry._waiter = this.entries.length;
      this.entries.push(entry);
      this.whens.push(whens[i]);
      this.seqs.push(seqs[i]);
    }
    this.peak = this.entries.length;
    for (let i = (this.entries.length >> 1) - 1; i >= 0; i--) this.siftDown(i, this.entries[i], this.whens[i], this.seqs[i]);
  }

  /** Removes the entry at `index` (its `_waiter` is for the caller to set). */
  private remove(index: number): void {
    const last = this.entries.pop() as TimerEntry | null, lastWhen = this.whens.pop() as number, lastSeq = this.seqs.pop() as number;
    // Arrays keep their capacity when they shrink: give it back once a quarter is used (an
    // O(n) copy after at least 3n/4 removals).
    if (this.peak > 1024 && this.entries.length * 4 < this.peak) this.shrink();
    if (index === this.entries.length) return; // it was the last one
    const whens = this.whens, seqs = this.seqs;
    const parent = (index - 1) >> 1;
    if (index > 0 && (lastWhen < whens[parent] || (lastWhen === whens[parent] && lastSeq < seqs[parent]))) {
      this.siftUp(index, last, lastWhen, lastSeq);
    } else {
      this.siftDown(index, last, lastWhen, lastSeq);
    }
  }

  private shrink(): void {
    this.entries = this.entries.slice();
    this.whens = this.whens.slice();
    this.seqs = this.seqs.slice();
    this.peak = this.entries.length;
  }

  /**
   * Empties the heap (the loop is closing): each entry is told it is due, and is not queued (a
   * task's sleep is over, a timer handle is no longer scheduled).
   */
  clear(): void {
    const entries = this.entries;
    this.entries = [];
    this.whens = [];
    this.seqs = [];
    this.peak = 0;
    this.empty = 0;
    for (let i = 0; i < entries.length; i++) entries[i]?._timerDue();
  }

  /** Moves entry (entry, when, seq) up from the hole at `i`. */
  private siftUp(i: number, entry: TimerEntry | null, when: number, seq: number): void {
    const whens = this.whens, seqs = this.seqs;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const w = whens[parent];
      if (when > w || (when === w && seq > seqs[parent])) break;
      this.place(i, this.entries[parent], w, seqs[parent]);
      i = parent;
    }
    this.place(i, entry, when, seq);
  }

  /** Places entry (entry, when, seq) in the hole at `i`, moving it down. */
  private siftDown(i: number, entry: TimerEntry | null, when: number, seq: number): void {
    const whens = this.whens, seqs = this.seqs;
    const n = whens.length;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      let cw = whens[child];
      if (child + 1 < n) {
        const rw = whens[child + 1];
        if (rw < cw || (rw === cw && seqs[child + 1] < seqs[child])) {
          child++;
          cw = rw;
        }
      }
      if (when < cw || (when === cw && seq < seqs[child])) break;
      this.place(i, this.entries[child], cw, seqs[child]);
      i = child;
    }
    this.place(i, entry, when, seq);
  }

  /** Puts (entry, when, seq) at index `i`, keeping `entries[i]._waiter === i` (an empty slot has no entry). */
  private place(i: number, entry: TimerEntry | null, when: number, seq: number): void {
    this.entries[i] = entry;
    if (entry !== null) entry._waiter = i;
    this.whens[i] = when;
    this.seqs[i] = seq;
  }
}
