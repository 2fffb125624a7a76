import { getRunningLoop } from "./running.js";
import type { Task, TaskOptions } from "./task.js";
import type { Coroutine } from "./types.js";

/** Wraps `coro` in a task on the running loop; it starts on the next iteration. */
export function createTask<T>(coro: Coroutine<T>, options?: TaskOptions): Task<T> {
  return getRunningLoop().createTask(coro, options);
}
