import { describeValue } from "../describe.js";
import { Future } from "../future.js";
import { EventLoop } from "../loop.js";
import { realm } from "../running.js";
import type { Task } from "../task.js";

/** The loop's own exit from a step, which an interrupted step never reached. */
interface SteppingLoop {
  _leave(): void;
  _stopping: boolean;
}

/**
 * Puts a loop back in order after the host's engine terminated a script in the middle of
 * `loop.step()` (or `runDue`, `runUntilComplete`): JavaScriptCore's execution time limit,
 * QuickJS's interrupt handler, Node's `vm` timeout. A termination unwinds without running any
 * `finally` block, so the loop still believes it is running, and the task that was stepping is
 * stuck inside its coroutine, which can never be resumed. This ends that task as cancelled
 * (with `message`: its awaiters get a `CancelledError`, its done callbacks run), leaves the
 * loop idle so that `step()` works again, and returns the task so the host can report it by
 * name. The rest of the interrupted iteration stays queued and runs on the next `step()`.
 *
 * Call it only right after such a termination: it does nothing to a loop that is not running,
 * and must not be called from inside the loop.
 *
 * @param loop The loop whose step was cut off.
 * @param message The cancellation message the task ends with.
 * @returns The task that was stepping when the script was terminated, or null (the loop was
 * running a plain callback, or was not running).
 * @throws TypeError when `loop` is not an `EventLoop` or `message` is not a string.
 * @example
 * ```text
 * // C host, after JSObjectCallAsFunction(step) returned the termination exception:
 * const task = genloop.recoverInterruptedStep(loop, "exceeded its frame budget");
 * ```
 */
export function recoverInterruptedStep(loop: EventLoop, message = "stopped by the host: the step ran too long"): Task<unknown> | null {
  if (!(loop instanceof EventLoop)) {
    throw new TypeError(`recoverInterruptedStep: an EventLoop was expected, got ${describeValue(loop)}`);
  }
  if (typeof message !== "string") {
    throw new TypeError(`recoverInterruptedStep: the message must be a string, got ${describeValue(message)}`);
  }
  if (!loop.isRunning()) return null;
  const task = realm.currentTask !== null && realm.currentTask._loop === loop ? realm.currentTask : null;
  realm.currentTask = null;
  const stepping = loop as unknown as SteppingLoop;
  stepping._stopping = false;
  stepping._leave();
  // The task's own cancel() would throw into its coroutine, which is still marked as running:
  // end the task the way a plain future is cancelled instead (its coroutine is abandoned).
  if (task !== null) Future.prototype.cancel.call(task, message);
  return task;
}
