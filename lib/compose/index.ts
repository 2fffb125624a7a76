// Public exports of this area; lib/index.ts re-exports them.
export { shield, ShieldEffect } from "./shield.js";
export { waitFor, WaitForEffect } from "./wait-for.js";
export {
  wait,
  WaitEffect,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  ALL_COMPLETED,
  type ReturnWhen,
  type WaitOptions,
} from "./wait.js";
export { asCompleted, AsCompleted, AsCompletedNext, type AsCompletedOptions } from "./as-completed.js";
export { timeout, timeoutAt, Timeout, TimeoutEffect, TimeoutAtEffect, type TimeoutBody } from "./timeout.js";
export { taskGroup, TaskGroup, TaskGroupEffect, TASK_GROUP_ERRORS } from "./task-group.js";
export {
  splitExceptionGroup,
  makeExceptionGroup,
  describeError,
  type ErrorClass,
  type ErrorMatcher,
} from "./exception-group.js";
export { nonCancellable, NonCancellableEffect, type NonCancellableOptions } from "./non-cancellable.js";
