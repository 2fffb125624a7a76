import { describeValue } from "./describe.js";
import { RuntimeError } from "./errors.js";
import type { EventLoop } from "./loop.js";
import type { Task } from "./task.js";

/**
 * Per-realm state: the loop running on this thread and the task whose step is executing.
 * Like asyncio's `_get_running_loop` and `_current_tasks`, but one of each, since a realm
 * runs one loop at a time.
 */
export const realm = {
  runningLoop: null as EventLoop | null,
  currentTask: null as Task<unknown> | null,
  /** Default task names are Task-1, Task-2, … from one counter per realm (asyncio's is per process). */
  taskCounter: 0,
};

/** The loop running on this thread; throws `RuntimeError` when none is. */
export function getRunningLoop(): EventLoop {
  const loop = realm.runningLoop;
  if (loop === null) {
    throw new RuntimeError(
      "no running event loop: this must be called from a coroutine or callback running on a loop " +
        "(start one with run(main()) or loop.runUntilComplete(...))",
    );
  }
  return loop;
}

/** The task currently running, or null in a plain callback. Throws `RuntimeError` outside a loop. */
export function currentTask(): Task<unknown> | null {
  getRunningLoop();
  return realm.currentTask;
}

/** The running loop's tasks that are not done yet, in creation order. */
export function allTasks(): Set<Task<unknown>> {
  return getRunningLoop()._pendingTasks();
}

/** True for an event loop (not checked with instanceof, which would make this module import the loop's). */
export function isLoop(value: unknown): value is EventLoop {
  return (
    value !== null &&
    typeof value === "object" &&
    typeof (value as EventLoop).createFuture === "function" &&
    typeof (value as EventLoop)._enqueue === "function"
  );
}

/** @throws TypeError naming `where` unless `loop` is an event loop. */
export function checkLoop(where: string, loop: unknown): asserts loop is EventLoop {
  if (!isLoop(loop)) {
    throw new TypeError(`${where}: the loop must be an EventLoop (e.g. new EventLoop() or getRunningLoop()), got ${describeValue(loop)}`);
  }
}
