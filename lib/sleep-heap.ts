import type { Task } from "./task.js";

/**
 * The tasks sleeping on a loop (`sleep(ms)` with a delay): a binary min-heap ordered by
 * (deadline, sequence number), the sequence numbers drawn from the same counter as the timer
 * heap's, so a sleep and a timer handle of equal deadlines come due in the order they were
 * scheduled. A sleeping task is its own entry: no Future and no timer object per sleep. Entry i
 * is (`whens[i]`, `seqs[i]`, `tasks[i]`), three flat arrays, so ordering compares numbers.
 *
 * Each task's `_waiter` is its index here while it sleeps. A cancelled sleep lets its task go at
 * once but leaves its entry in place, empty (a null task), as asyncio leaves a cancelled timer
 * handle in its heap: cancelling is O(1), where taking the entry out costs a sift of O(log n)
 * steps (in QuickJS, a fifth of a whole cancellation). Empty entries leave when they reach the
 * top (`nextWhen` takes them out, so they never set a deadline) or when they make up more than
 * half of the heap (it is rebuilt without them), so they never outnumber the sleeping tasks.
 *
 * Invariants: for every i, `tasks[i]` is null or `tasks[i]._waiter === i`; `empty` counts the
 * null tasks; the three arrays have the same length.
 */
export class SleepHeap {
  private tasks: (Task<any> | null)[] = [];
  private whens: number[] = [];
  private seqs: number[] = [];
  /** The most entries since the arrays were last made: after a burst they are made again, smaller. */
  private peak = 0;
  /** How many entries are empty: cancelled sleeps (see the class comment). */
  private empty = 0;

  /** How many tasks sleep here. */
  get size(): number {
    return this.tasks.length - this.empty;
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

  /** The earliest deadline, or Infinity when no task sleeps; takes out the empty entries on top first. */
  nextWhen(): number {
    while (this.tasks.length > 0 && this.tasks[0] === null) {
      this.empty--;
      this.remove(0);
    }
    return this.tasks.length === 0 ? Infinity : this.whens[0];
  }

  /** The sequence number of the earliest entry (after `nextWhen`, which leaves a task on top). */
  nextSeq(): number {
    return this.seqs[0];
  }

  /** The deadline of the task at `index`. */
  whenAt(index: number): number {
    return this.whens[index];
  }

  /** Takes out the earliest task (after `nextWhen`, which leaves a task on top), told its sleep is due. */
  popDue(): Task<any> {
    const task = this.tasks[0] as Task<any>;
    this.remove(0);
    task._sleepDue();
    return task;
  }

  /**
   * Cancels the sleep of the task at `index`: lets the task go (its `_waiter` is for the caller
   * to set) and leaves the entry empty, or rebuilds the heap once more than half is empty.
   */
  cancel(index: number): void {
    this.tasks[index] = null;
    this.empty++;
    if (this.empty > 32 && this.empty * 2 > this.tasks.length) this.rebuild();
  }

  /** Makes the heap again from its tasks alone, without the empty entries: O(n). */
  private rebuild(): void {
    const tasks = this.tasks, whens = this.whens, seqs = this.seqs;
    this.tasks = [];
    this.whens = [];
    this.seqs = [];
    this.empty = 0;
    for (let i = 0; i < tasks.length; i++) {
      const task = tasks[i];
      if (task === null) continue;
      task._waiter = this.tasks.length;
      this.tasks.push(task);
      this.whens.push(whens[i]);
      this.seqs.push(seqs[i]);
    }
    this.peak = this.tasks.length;
    for (let i = (this.tasks.length >> 1) - 1; i >= 0; i--) this.siftDown(i, this.tasks[i], this.whens[i], this.seqs[i]);
  }

  /** Removes the entry at `index` (its task's `_waiter` is for the caller to set). */
  private remove(index: number): void {
    const last = this.tasks.pop() as Task<any> | null, lastWhen = this.whens.pop() as number, lastSeq = this.seqs.pop() as number;
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
    this.empty = 0;
    for (let i = 0; i < tasks.length; i++) tasks[i]?._sleepDue();
  }

  /** Moves entry (task, when, seq) up from the hole at `i`. */
  private siftUp(i: number, task: Task<any> | null, when: number, seq: number): void {
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
  private siftDown(i: number, task: Task<any> | null, when: number, seq: number): void {
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

  /** Puts entry (task, when, seq) at index `i`, keeping `tasks[i]._waiter === i` (an empty entry has no task). */
  private place(i: number, task: Task<any> | null, when: number, seq: number): void {
    this.tasks[i] = task;
    if (task !== null) task._waiter = i;
    this.whens[i] = when;
    this.seqs[i] = seq;
  }
}
