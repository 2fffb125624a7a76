import type { Task } from "./task.js";

/**
 * The tasks sleeping on a loop (`sleep(ms)` with a delay): a binary min-heap ordered by
 * (deadline, sequence number), the sequence numbers drawn from the same counter as the timer
 * heap's, so a sleep and a timer handle of equal deadlines come due in the order they were
 * scheduled. A sleeping task is its own entry: no Future and no timer object per sleep. Entry i
 * is (`whens[i]`, `seqs[i]`, `tasks[i]`), three flat arrays, so ordering compares numbers.
 *
 * Each task's `_waiter` is its index here while it sleeps: a cancelled sleep is removed at
 * once (O(log n)), so the heap never holds a task that no longer sleeps.
 *
 * Invariant: for every i, `tasks[i]._waiter === i`; the three arrays have the same length.
 */
export class SleepHeap {
  private tasks: Task<any>[] = [];
  private whens: number[] = [];
  private seqs: number[] = [];
  /** The most entries since the arrays were last made: after a burst they are made again, smaller. */
  private peak = 0;

  get size(): number {
    return this.tasks.length;
  }

  /** Adds `task`, due at `when`, scheduled as `seq`; sets its `_waiter` to its index. */
  push(task: Task<any>, when: number, seq: number): void {
    this.tasks.push(task);
    this.whens.push(when);
    this.seqs.push(seq);
    const n = this.tasks.length;
    if (n > this.peak) this.peak = n;
    this.siftUp(n - 1, task, when, seq);
  }

  /** The earliest deadline, or Infinity when no task sleeps. */
  nextWhen(): number {
    return this.tasks.length === 0 ? Infinity : this.whens[0];
  }

  /** The sequence number of the earliest entry (the heap must not be empty). */
  nextSeq(): number {
    return this.seqs[0];
  }

  /** The deadline of the task at `index`. */
  whenAt(index: number): number {
    return this.whens[index];
  }

  /** Takes out the earliest task (the heap must not be empty), told its sleep is due. */
  popDue(): Task<any> {
    const task = this.tasks[0];
    this.remove(0);
    task._sleepDue();
    return task;
  }

  /** Removes the task at `index` (its `_waiter` is for the caller to set). */
  remove(index: number): void {
    const last = this.tasks.pop() as Task<any>, lastWhen = this.whens.pop() as number, lastSeq = this.seqs.pop() as number;
    // Arrays keep their capacity when they shrink: give it back once a quarter is used (an
    // O(n) copy after at least 3n/4 removals).
    if (this.peak > 1024 && this.tasks.length * 4 < this.peak) this.shrink();
    if (index === this.tasks.length) return; // it was the last one
    const whens = this.whens, seqs = this.seqs;
    const parent = (index - 1) >> 1;
    if (index > 0 && (lastWhen < whens[parent] || (lastWhen === whens[parent] && lastSeq < seqs[parent]))) {
      this.siftUp(index, last, lastWhen, lastSeq);
    } else {
      this.siftDown(index, last, lastWhen, lastSeq);
    }
  }

  private shrink(): void {
    this.tasks = this.tasks.slice();
    this.whens = this.whens.slice();
    this.seqs = this.seqs.slice();
    this.peak = this.tasks.length;
  }

  /** Empties the heap (the loop is closing): each task is told its sleep is due, and is not queued. */
  clear(): void {
    const tasks = this.tasks;
    this.tasks = [];
    this.whens = [];
    this.seqs = [];
    this.peak = 0;
    for (let i = 0; i < tasks.length; i++) tasks[i]._sleepDue();
  }

  /** Moves entry (task, when, seq) up from the hole at `i`. */
  private siftUp(i: number, task: Task<any>, when: number, seq: number): void {
    const whens = this.whens, seqs = this.seqs;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const w = whens[parent];
      if (when > w || (when === w && seq > seqs[parent])) break;
      this.place(i, this.tasks[parent], w, seqs[parent]);
      i = parent;
    }
    this.place(i, task, when, seq);
  }

  /** Places entry (task, when, seq) in the hole at `i`, moving it down. */
  private siftDown(i: number, task: Task<any>, when: number, seq: number): void {
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
      this.place(i, this.tasks[child], cw, seqs[child]);
      i = child;
    }
    this.place(i, task, when, seq);
  }

  /** Puts entry (task, when, seq) at index `i`, keeping `tasks[i]._waiter === i`. */
  private place(i: number, task: Task<any>, when: number, seq: number): void {
    this.tasks[i] = task;
    task._waiter = i;
    this.whens[i] = when;
    this.seqs[i] = seq;
  }
}
