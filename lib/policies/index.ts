// Public exports of this area; lib/index.ts re-exports them.
export { TaskPolicy, type PolicyMode, type PolicyOptions, type CoroutineFunction, type PolicyListener } from "./task-policy.js";
export { restartable, drop, enqueue, keepLatest } from "./modifiers.js";
