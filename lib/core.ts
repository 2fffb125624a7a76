// genloop/core: the smallest program's entry. The same runtime as `genloop` (the same classes,
// so its tasks, futures and loops are those of `genloop` and of every other entry), with only
// what such a program needs: run, tasks, sleep, gather and cancellation. The loop's optional
// features (debug mode and async stack traces, instruments, task factories and eager tasks, custom-effect
// handlers, schedule shuffling, host drivers' hooks, a custom exception handler) are installed
// by their own modules (lib/features/), which the `genloop` entry imports and this one does not.
import { EventLoop as FullEventLoop, type EventLoopOptions, type LoopFeatures } from "./loop.js";
import { run as fullRun } from "./run.js";
import { getRunningLoop as fullGetRunningLoop } from "./running.js";
import type { Awaitable } from "./types.js";

export type { Clock } from "./clock.js";
export { VirtualClock } from "./clock.js";
export { CancelledError, InvalidStateError, TimeoutError, RuntimeError } from "./errors.js";
export { sleep, SleepEffect } from "./effects/sleep.js";
export { spawn, SpawnEffect } from "./effects/spawn.js";
export { gather, GatherEffect, GatheringFuture, type GatherOptions } from "./gather.js";
export { ensureFuture } from "./ensure-future.js";
export { Future, type DoneCallback } from "./future.js";
export { Task, type TaskOptions } from "./task.js";
export { Handle, TimerHandle } from "./handle.js";
export { DeadlockError, type ExceptionContext, type LoopFeatures } from "./loop.js";
export type { Logger } from "./log.js";
export { currentTask } from "./running.js";
export { createTask } from "./create-task.js";
export type { Coroutine, Awaitable, ResultOf } from "./types.js";

/** Options of genloop/core's `new EventLoop(options)`: where time comes from and where reports go. */
export type CoreEventLoopOptions = Pick<EventLoopOptions, "clock" | "logger">;

/**
 * genloop/core's event loop: `genloop`'s `EventLoop` class itself, typed without the methods of
 * the optional features this entry leaves out (`setDebug`, `addInstrument`, `setTaskFactory`,
 * `setEffectHandler`, `setExceptionHandler`, …; see `LoopFeatures`). A program that also imports
 * `genloop` has them on every loop; without it, a loop asked for a feature's option or method
 * throws a TypeError that names the import.
 */
export type EventLoop = Omit<FullEventLoop, keyof LoopFeatures>;

/**
 * The event loop class (see `EventLoop` in `genloop`), constructible with the core's options.
 * @throws TypeError if an option needs a feature genloop/core leaves out (e.g. `debug`).
 * @example
 * ```ts
 * import { EventLoop, VirtualClock, sleep } from "genloop/core";
 *
 * const loop = new EventLoop({ clock: new VirtualClock() });
 * const task = loop.createTask((function* () { yield* sleep(1000); return "done"; })());
 * console.log(loop.runUntilComplete(task), `at ${loop.time()} ms`); // done at 1000 ms
 * loop.close();
 * ```
 */
export const EventLoop: new (options?: CoreEventLoopOptions) => EventLoop = FullEventLoop;

/** Options of genloop/core's `run(main, options)`: those of its `EventLoop`. */
export type CoreRunOptions = CoreEventLoopOptions;

/**
 * Runs `main` on a new event loop until it is done, then cancels what is left and closes the
 * loop, as `run` from `genloop` does (asyncio's `asyncio.run`).
 * @param main the main coroutine (or another awaitable, such as `gather(...)`).
 * @param options `{ clock, logger }`.
 * @returns what `main` returns.
 * @throws whatever `main` throws; RuntimeError if a loop is running already; TypeError if an
 * option needs a feature genloop/core leaves out (e.g. `debug`: take `run` from `genloop`).
 * @example
 * ```ts
 * import { run, sleep, spawn, gather, type Coroutine } from "genloop/core";
 *
 * function* child(n: number): Coroutine<number> {
 *   yield* sleep(10);
 *   return n * 2;
 * }
 * function* main(): Coroutine<number[]> {
 *   const first = yield* spawn(child(1));
 *   return yield* gather(first, child(2));
 * }
 * console.log(run(main())); // [2, 4]
 * ```
 */
export const run: <T>(main: Awaitable<T>, options?: CoreRunOptions) => T = fullRun;

/**
 * @returns the running event loop.
 * @throws RuntimeError when no loop is running.
 */
export const getRunningLoop: () => EventLoop = fullGetRunningLoop;
