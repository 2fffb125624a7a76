import { Future, FutureState, STATE_BITS } from "../future.js";
import { GatheringFuture } from "../gather.js";
import { realm } from "../running.js";
import { Task } from "../task.js";
import type { Effect } from "../effect.js";
import { isUserCoroutine, operationName, operationOf } from "./coroutine-names.js";

/**
 * What `task` is doing or waiting on, said the way a person would: `sleep until 1500 ms`,
 * `<Event [unset]>.wait()`, `gather of 3 (1 done)`, `task 'fetch'`, `host callback 'readFile'`,
 * `running`, `ready to run`, or how it ended.
 * @param task any task.
 * @returns a one-line description.
 * @example
 * ```ts
 * import { EventLoop, VirtualClock, describeWait, sleep } from "genloop";
 *
 * const loop = new EventLoop({ clock: new VirtualClock() });
 * const task = loop.createTask((function* () { yield* sleep(1500); })());
 * loop.step();
 * console.log(describeWait(task)); // sleep until 1500 ms
 * ```
 */
export function describeWait(task: Task<unknown>): string {
  if (!(task instanceof Task)) throw new TypeError("describeWait: a Task is required");
  if ((task._flags & STATE_BITS) !== FutureState.Pending) return task._describeState().replace(/ .*/, "");
  if (realm.currentTask === task) return "running";
  const waiter = task._waiter;
  if (waiter === null) return "ready to run";
  if (typeof waiter === "number") {
    // A sleep (see Task._sleepUntil): the task's index in the loop's TimerHeap, or its sleep is due.
    return waiter >= 0 ? `sleep until ${task._loop._timers.whenAt(waiter)} ms` : "sleep over, about to resume";
  }
  const inOperation = operationWait.describe;
  const described = inOperation === null ? undefined : inOperation(task, waiter);
  return described !== undefined ? described : describeFuture(waiter);
}

/**
 * @internal How a task waiting inside an operation (a primitive's wait, taskGroup, waitFor, …)
 * says what it waits on. Installed by graph/coroutine-frames.ts, which every operation's module
 * imports (`labelOperation`): a program without operations has no coroutine labelled with one,
 * and does not carry this code.
 */
export const operationWait = {
  describe: null as ((task: Task<unknown>, waiter: Future<unknown>) => string | undefined) | null,
};

/** @internal The wait of a task inside an operation, or undefined when the wait is not an operation's. */
export function describeOperationWait(task: Task<unknown>, waiter: Future<unknown>): string | undefined {
  const operation = innermostOperation(task);
  if (operation === undefined) return undefined;
  // A primitive's operation says itself what it is (`<Event [unset]>.wait()`).
  const describe = (operation as { _describeWait?: () => string })._describeWait;
  if (typeof describe === "function") return describe.call(operation);
  // A taskGroup body that has ended waits on a future of the group's: say what it stands for.
  if (operation.kind === "taskGroup" && !(waiter instanceof Task)) return "end of taskGroup, waiting for its tasks";
  return `${operationName(operation)}: ${describeFuture(waiter)}`;
}

/** A future as something waited on: `task 'x'`, `gather of 3 (1 done)`, `host callback 'f'`, a policy's queue place, or its repr. */
export function describeFuture(future: Future<unknown>): string {
  if (future instanceof Task) return `task '${future.getName()}'`;
  if (future instanceof GatheringFuture) {
    const { total, done } = future._progress();
    return `gather of ${total} (${done} done)`;
  }
  // A host callback (`_hostLabel`) or a future standing for a place in a queue (`_waitLabel`, a policy's) says itself.
  const label = (future as { _waitLabel?: () => string })._waitLabel ?? (future as { _hostLabel?: () => string })._hostLabel;
  if (typeof label === "function") return label.call(future);
  return String(future);
}

/** The innermost operation (a primitive's wait, taskGroup, waitFor, …) on the task's coroutine stack. */
function innermostOperation(task: Task<unknown>): Effect<unknown> | undefined {
  const stack = task._coroutineStack();
  for (let i = stack.length - 1; i >= 0; i--) {
    const found = operationOf(stack[i]);
    if (found !== undefined) return found;
    // A coroutine of the user's own above any operation: the wait is its own, not the operation's.
    if (isUserCoroutine(stack[i])) return undefined;
  }
  return undefined;
}
