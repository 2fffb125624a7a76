import { CancelledError } from "./errors.js";
import type { EventLoop } from "./loop.js";

interface StackLimit {
  stackTraceLimit?: number;
}

/**
 * A `CancelledError` made by the runtime when it cancels a task or a future. Outside debug
 * mode it is created without capturing stack frames: the frames would only name loop
 * internals, and capturing them (V8's `Error.stackTraceLimit`) costs more than the rest of
 * a cancellation. In debug mode, and on engines without `stackTraceLimit`, it is a plain
 * `new CancelledError(message)`.
 */
export function runtimeCancelledError(loop: EventLoop, message: string): CancelledError {
  const E = Error as StackLimit;
  const limit = E.stackTraceLimit;
  if (loop._debug || typeof limit !== "number") return new CancelledError(message);
  try {
    E.stackTraceLimit = 0;
  } catch {
    return new CancelledError(message); // frozen intrinsics (SES): leave Error alone
  }
  try {
    return new CancelledError(message);
  } finally {
    E.stackTraceLimit = limit;
  }
}
