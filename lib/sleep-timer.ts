import { runtimeCancelledError } from "./cancelled-error.js";
import type { Runnable } from "./ready-queue.js";
import { isScheduled, type TimerEntry } from "./timer-heap.js";
import type { Task } from "./task.js";

/**
 * How a task waits on `sleep(delay)` without a Future: the timer itself is the task's waiter.
 * When due, the loop runs it and it queues the task, so the task resumes one iteration after
 * the timer fires, exactly as asyncio's sleep (a timer that resolves a future the task awaits).
 * The sleep's result waits in the task (see `Task._sleepUntil`): three fields per sleeping task.
 *
 * Invariant: `task` is non-null exactly while the sleep is pending (neither fired nor cancelled).
 */
export class SleepTimer implements TimerEntry, Runnable {
  _seq = -1;

  constructor(
    private task: Task<any> | null,
    readonly _when: number,
  ) {}

  /**
   * Cancelled: derived, not stored (one field less per sleeping task). While the timer is in
   * the heap, which is where the heap reads it, `task` is null only if the sleep was cancelled.
   */
  get _cancelled(): boolean {
    return this.task === null;
  }

  /** Due: wake the task on the next iteration. Once fired, `task` is null (cancel() is then false). */
  _run(): void {
    const task = this.task;
    if (task === null) return;
    this.task = null;
    task._loop._enqueue(task);
  }

  /** The task resumes: the sleep is over (cancel() is then false). */
  _end(): void {
    this.task = null;
  }

  /**
   * The waiting task was cancelled: drop the timer and resume the task with CancelledError.
   * False once the timer has fired (the task is already queued to resume normally).
   */
  cancel(msg?: string): boolean {
    const task = this.task;
    if (task === null) return false;
    if (isScheduled(this)) task._loop._timerCancelled();
    this.task = null;
    task._resumeWith(true, runtimeCancelledError(task._loop, msg ?? ""));
    return true;
  }

  toString(): string {
    return `<sleep until ${this._when}>`;
  }
}
