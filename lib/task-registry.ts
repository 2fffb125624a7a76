import type { Task } from "./task.js";

/**
 * A loop's tasks that are not done yet, in creation order: a doubly linked list threaded
 * through the tasks themselves (`_prevTask` / `_nextTask`). Adding and removing are a few
 * pointer writes, with no hashing and no rehashing as the set grows and drains (a `Set`
 * was a fifth of the cost of spawning a task). It offers the `Set` methods the loop uses;
 * iteration walks a snapshot, so tasks may be added or removed meanwhile.
 *
 * Invariant: a task is in at most one registry (its loop's); it is linked iff it is in it.
 */
export class TaskRegistry implements Iterable<Task<any>> {
  private head: Task<any> | null = null;
  private tail: Task<any> | null = null;
  private count = 0;

  get size(): number {
    return this.count;
  }

  has(task: Task<any>): boolean {
    return task._prevTask !== null || this.head === task;
  }

  add(task: Task<any>): this {
    if (this.has(task)) return this;
    const tail = this.tail;
    task._prevTask = tail;
    task._nextTask = null;
    if (tail === null) this.head = task;
    else tail._nextTask = task;
    this.tail = task;
    this.count++;
    return this;
  }

  delete(task: Task<any>): boolean {
    if (!this.has(task)) return false;
    const prev = task._prevTask;
    const next = task._nextTask;
    if (prev === null) this.head = next;
    else prev._nextTask = next;
    if (next === null) this.tail = prev;
    else next._prevTask = prev;
    task._prevTask = null;
    task._nextTask = null;
    this.count--;
    return true;
  }

  clear(): void {
    for (let t = this.head; t !== null; ) {
      const next: Task<any> | null = t._nextTask;
      t._prevTask = null;
      t._nextTask = null;
      t = next;
    }
    this.head = this.tail = null;
    this.count = 0;
  }

  /** The tasks in creation order, as of now. */
  toArray(): Task<any>[] {
    const out: Task<any>[] = [];
    for (let t = this.head; t !== null; t = t._nextTask) out.push(t);
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
}
