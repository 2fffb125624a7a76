import "./features/task-factory.js"; // the factory is set with setTaskFactory or the taskFactory option
import "./features/eager-start.js"; // its tasks start eagerly
import { describeValue } from "./describe.js";
import type { EventLoop, TaskFactory } from "./loop.js";
import { Task, type TaskOptions } from "./task.js";
import type { Coroutine } from "./types.js";

/** A class of tasks that a task factory can build: `Task` or a subclass of it. */
export type TaskConstructor = new <T>(coro: Coroutine<T>, loop: EventLoop, options?: TaskOptions) => Task<T>;

/**
 * A task factory that builds every task with `customTaskConstructor` and starts it eagerly
 * (asyncio's `create_eager_task_factory`): its first step runs inside `createTask` when the
 * loop is running, and a coroutine that finishes without suspending is never scheduled.
 * @param customTaskConstructor `Task`, or a subclass of it taking the same arguments.
 * @returns a factory for `loop.setTaskFactory` or the `taskFactory` option.
 * @throws TypeError if `customTaskConstructor` is not a constructor.
 * @example
 * ```ts
 * import { Task, createEagerTaskFactory, run, type Coroutine } from "genloop";
 *
 * class NamedTask<T> extends Task<T> {}
 * function* main(): Coroutine<number> { return 1; }
 * run(main(), { taskFactory: createEagerTaskFactory(NamedTask) });
 * ```
 */
export function createEagerTaskFactory(customTaskConstructor: TaskConstructor): TaskFactory {
  if (typeof customTaskConstructor !== "function") {
    throw new TypeError(`createEagerTaskFactory: a task class such as Task was expected, got ${describeValue(customTaskConstructor)}`);
  }
  return (loop, coro, options) => new customTaskConstructor(coro, loop, { ...options, eagerStart: true });
}

/**
 * The task factory that starts every task eagerly (asyncio's `eager_task_factory`): set it
 * with `loop.setTaskFactory(eagerTaskFactory)` or `run(main, { taskFactory: eagerTaskFactory })`.
 * Gathers and task groups of coroutines that finish without waiting then complete without a trip
 * through the ready queue. The order of side effects changes: a task's first step runs before
 * the code after `createTask`.
 */
export const eagerTaskFactory: TaskFactory = /* @__PURE__ */ createEagerTaskFactory(Task);
