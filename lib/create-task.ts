import { getRunningLoop } from "./running.js";
import type { Task, TaskOptions } from "./task.js";
import type { Coroutine } from "./types.js";

/**
 * Wraps `coro` in a task on the running loop; it starts on the next iteration.
 *
 * @example
 * ```ts
 * import { run, sleep, createTask, type Coroutine } from "genloop";
 *
 * function* main(): Coroutine<number> {
 *   const task = createTask((function* () { yield* sleep(10); return 42; })(), { name: "answer" });
 *   // … other work runs meanwhile …
 *   return yield* task;   // 42
 * }
 * run(main());
 * ```
 */
export function createTask<T>(coro: Coroutine<T>, options?: TaskOptions): Task<T> {
  return getRunningLoop().createTask(coro, options);
}
