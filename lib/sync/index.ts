// Public exports of this area; lib/index.ts re-exports them.
export { Lock } from "./lock.js";
export { Event } from "./event.js";
export { Condition } from "./condition.js";
export { Semaphore } from "./semaphore.js";
export { BoundedSemaphore } from "./bounded-semaphore.js";
export { Barrier, type BarrierState } from "./barrier.js";
export { BrokenBarrierError } from "./broken-barrier-error.js";
export { Queue } from "./queue.js";
export { QueueEmpty, QueueFull, QueueShutDown } from "./queue-errors.js";
export { LifoQueue } from "./lifo-queue.js";
export { PriorityQueue } from "./priority-queue.js";
export { naturalOrder } from "./natural-order.js";
export { CoroutineEffect } from "./coroutine-effect.js";
