import type { Task } from "../task.js";
import { coroutineFrames, type FrameCallGraphEntry } from "./coroutine-frames.js";

/**
 * Debug mode's report of a swallowed cancellation (Kotlin's #1814 trap): a task that was
 * cancelled, caught the CancelledError and returned normally, without `uncancel()`. The request
 * is still counted (`cancelling() > 0`), but the task ended as if it had never been made: whoever
 * cancelled it (a timeout, a task group, `run()` at shutdown) waited for an end that is not a
 * cancellation. Reported once, when the task returns, through the loop's exception handler.
 *
 * A task that catches the CancelledError, cleans up (even awaiting) and throws it again ends
 * cancelled, and one that calls `uncancel()` has no request left: neither is reported. Nor is a
 * task that turns the cancellation into another error: that error is reported or raised anyway.
 */

/** Where each task was suspended when a CancelledError was last thrown into it; null without WeakMap. */
const delivered: WeakMap<object, string> | null = (function newWeakMap() {
  const ctor = typeof globalThis !== "undefined" ? (globalThis as { WeakMap?: WeakMapConstructor }).WeakMap : undefined;
  return typeof ctor === "function" ? new ctor<object, string>() : null;
})();

/** @internal Debug mode: a CancelledError is about to be thrown into `task`'s running coroutine. */
export function noteCancellationDelivered(task: Task<unknown>): void {
  if (delivered === null) return;
  const frames = coroutineFrames(task._coro, false);
  delivered.set(task, frames.length === 0 ? "" : describeEntry(frames[0]));
}

/** @internal Debug mode: `task` returns normally while a cancellation request is still counted. */
export function noteCancelledTaskReturning(task: Task<unknown>): void {
  if (delivered === null) return;
  const site = delivered.get(task);
  if (site === undefined) return; // never thrown in: nothing was swallowed
  delivered.delete(task);
  const at = site === "" ? "" : ` while suspended at ${site}`;
  const created = task._sourceTraceback === undefined ? "" : `; it was created at ${task._sourceTraceback.split("\n")[0].replace(/^\s*(at )?/, "")}`;
  task._loop.callExceptionHandler({
    message:
      `Task '${task.getName()}' swallowed a cancellation: it was cancelled${at}, caught the CancelledError and returned ` +
      `normally without calling uncancel()${created}. Throw the CancelledError again once cleanup is done ` +
      "(or clean up in a finally block), or call uncancel() on the task if ignoring the request is intended.",
    task,
  });
}

function describeEntry(entry: FrameCallGraphEntry): string {
  if (entry.file === undefined) return entry.name;
  return `${entry.name} (${entry.file}:${entry.line}${entry.column === undefined ? "" : `:${entry.column}`})`;
}
