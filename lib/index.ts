// Every optional feature of the loop (debug mode, instruments, task factories, …) is part of this entry.
import "./features/index.js";
export type { Clock } from "./clock.js";
export { VirtualClock } from "./clock.js";
export {
  CancelledError,
  InvalidStateError,
  TimeoutError,
  RuntimeError,
  ExceptionGroup,
} from "./errors.js";
export { Effect } from "./effect.js";
export { sleep, SleepEffect } from "./effects/sleep.js";
export { spawn, SpawnEffect } from "./effects/spawn.js";
export { call, CallEffect } from "./effects/call.js";
export { callback, CallbackEffect, type CallbackSetup, type Disposer, type HostCallbackFuture } from "./effects/callback.js";
export type { HostSeam } from "./effects/host-seam.js";
export {
  defineEffect,
  UserEffect,
  type AnyEffectHandler,
  type CustomEffect,
  type EffectConstructor,
  type EffectContext,
  type EffectHandler,
  type EffectHandlers,
} from "./effects/custom.js";
export { gather, GatherEffect, GatheringFuture, type GatherOptions } from "./gather.js";
export { ensureFuture } from "./ensure-future.js";
export { Future, type CallOptions, type DoneCallback } from "./future.js";
export { Task, type TaskOptions } from "./task.js";
export { Handle, TimerHandle } from "./handle.js";
export { EventLoop, DeadlockError, type EventLoopOptions, type ExceptionContext, type ExceptionHandler, type TaskFactory, type LoopFeatures } from "./loop.js";
export { eagerTaskFactory, createEagerTaskFactory, type TaskConstructor } from "./eager-task-factory.js";
export type { Logger } from "./log.js";
export type { Instrument, EffectOutcome, Performed } from "./instrument.js";
export { run, type RunOptions } from "./run.js";
export { getRunningLoop, currentTask, allTasks } from "./running.js";
export { createTask } from "./create-task.js";
export type { Coroutine, Awaitable, ResultOf } from "./types.js";
export * from "./context/index.js";
export * from "./compose/index.js";
export * from "./sync/index.js";
export * from "./policies/index.js";
export * from "./hosts/index.js";
export * from "./graph/index.js";
