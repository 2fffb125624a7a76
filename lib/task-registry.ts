import { REGISTERED, type Task } from "./task.js";

/**
 * A loop's tasks that are not done yet, in creation order: a singly linked list threaded
 * through the tasks themselves (`_nextTask`), each member marked by the REGISTERED bit of its
 * `_flags`. Adding is a few writes, with no hashing and no rehashing as the set grows and
 * drains (a `Set` was a fifth of the cost of spawning a task), and a task carries one link,
 * not two. Removing only clears the bit: the task stays linked, dead, until the next
 * compaction, one walk that unlinks every dead task, made when the dead outnumber the members
 * (so each walk is paid for by the removals before it: O(1) amortised per task, and the list
 * never holds more dead tasks than members, plus one). It offers the `Set` methods the loop
 * uses; iteration walks a snapshot, so tasks may be added or removed meanwhile.
 *
 * Invariants: a task is in at most one registry (its loop's); it is in it iff REGISTERED is set;
 * the list from `head` to `tail` holds every member, in the order they were added, and `dead`
 * tasks besides; a task is linked (its `_nextTask` non-null, or it is the tail) only while it
 * is on that list, so a dead task keeps no other task reachable once it is unlinked.
 */
export class TaskRegistry implements Iterable<Task<any>> {
  private head: Task<any> | null = null;
  private tail: Task<any> | null = null;
  private count = 0;
  /** Tasks on the list that are no longer members (removed, not yet unlinked). */
  private dead = 0;

  get size(): number {
    return this.count;
  }

  has(task: Task<any>): boolean {
    return (task._flags & REGISTERED) !== 0;
  }

  add(task: Task<any>): this {
    if (this.has(task)) return this;
    // Removed earlier and still on the list: unlink it before it goes to the end.
    if (task._nextTask !== null || this.tail === task) this.compact();
    task._flags |= REGISTERED;
    const tail = this.tail;
    if (tail === null) this.head = task;
    else tail._nextTask = task;
    this.tail = task;
    this.count++;
    return this;
  }

  delete(task: Task<any>): boolean {
    if (!this.has(task)) return false;
    task._flags &= ~REGISTERED;
    this.count--;
    if (++this.dead > this.count) this.compact();
    return true;
  }

  clear(): void {
    for (let t = this.head; t !== null; ) {
      const next: Task<any> | null = t._nextTask;
      t._flags &= ~REGISTERED;
      t._nextTask = null;
      t = next;
    }
    this.head = this.tail = null;
    this.count = this.dead = 0;
  }

  /** The tasks in creation order, as of now. */
  toArray(): Task<any>[] {
    const out: Task<any>[] = [];
    for (let t = this.head; t !== null; t = t._nextTask) if ((t._flags & REGISTERED) !== 0) out.push(t);
    return out;
  }

  /** Iterates over a snapshot; a plain iterator, since arrays have no Symbol.iterator in Duktape. */
  [Symbol.iterator](): Iterator<Task<any>> {
    const tasks = this.toArray();
    let i = 0;
    return {
      next: (): IteratorResult<Task<any>> =>
        i < tasks.length ? { value: tasks[i++], done: false } : { value: undefined, done: true },
    };
  }

  /** Unlinks every dead task, keeping the members' order. */
  private compact(): void {
    let last: Task<any> | null = null;
    for (let t = this.head; t !== null; ) {
      const next: Task<any> | null = t._nextTask;
      if ((t._flags & REGISTERED) !== 0) {
        if (last === null) this.head = t;
        else if (last._nextTask !== t) last._nextTask = t;
        last = t;
      } else {
        t._nextTask = null;
      }
      t = next;
    }
    if (last === null) this.head = null;
    else last._nextTask = null;
    this.tail = last;
    this.dead = 0;
  }
}
