import type { Clock } from "./clock.js";
import type { EffectHandlers } from "./effects/custom.js";
import { describeValue, isGeneratorFunction, isOptionsBag } from "./describe.js";
import { ensureFuture, isAwaitable, notAwaitableHint } from "./ensure-future.js";
import { RuntimeError } from "./errors.js";
import { Future } from "./future.js";
import { GatherEffect } from "./gather.js";
import type { Instrument } from "./instrument.js";
import type { Logger } from "./log.js";
import { DeadlockError, EventLoop, type TaskFactory } from "./loop.js";
import { realm } from "./running.js";
import type { Task } from "./task.js";
import type { Awaitable } from "./types.js";

/** Options of `run(main, options)`. */
export interface RunOptions {
  /** Run the loop in debug mode (slow steps reported, task creation sites recorded). */
  debug?: boolean;
  /** Async stack traces without the rest of debug mode (see `EventLoopOptions.asyncStackTraces`). */
  asyncStackTraces?: boolean;
  /** Where time comes from; `new VirtualClock()` runs timers instantly, in order. */
  clock?: Clock;
  /** Where warnings and error reports go (the host console by default). */
  logger?: Logger;
  /** Handlers for user-defined effect kinds (see `defineEffect`), by kind. */
  effects?: EffectHandlers;
  /** Opt-in seeded order of equal-deadline timers, for exploring schedules (see `EventLoopOptions`). */
  scheduleSeed?: number;
  /** Instruments installed on the loop from the start (see `Instrument`, docs/instruments.md). */
  instruments?: readonly Instrument[];
  /** What the loop builds tasks with (see `EventLoop.setTaskFactory`), e.g. `eagerTaskFactory`. */
  taskFactory?: TaskFactory | null;
}

/**
 * Runs `main` on a new event loop until it is done, then cancels the tasks still pending
 * and waits for their cleanup, closes the loop, and returns main's result or throws its
 * error. If main waits with nothing scheduled, it throws a RuntimeError naming the
 * waiting tasks (after cancelling them so their `finally` blocks run) instead of hanging.
 *
 * @param main a coroutine (run as the main task), or any other awaitable: an effect such as
 *   `waitFor(work(), 1000)` or `gather(a(), b())`, started on the new loop.
 * @returns main's result.
 * @throws main's error; RangeError for something that is not awaitable (or a future, which
 *   belongs to another loop); RuntimeError inside a running loop or on a deadlock.
 * @example
 * ```ts
 * import { run, sleep, VirtualClock } from "genloop";
 * const answer = run((function* () { yield* sleep(1000); return 42; })(), { clock: new VirtualClock() });
 * ```
 */
export function run<T>(main: Awaitable<T>, options: RunOptions = {}): T {
  if (realm.runningLoop !== null) {
    throw new RuntimeError("run() cannot be called from a running event loop: inside a coroutine, use yield* call(coro) or spawn(coro)");
  }
  checkMain("run", main);
  if (!isOptionsBag(options)) {
    throw new TypeError(`run: options must be an object like { clock, debug }, got ${describeValue(options)}`);
  }
  const loop = new EventLoop(options);
  try {
    const task = ensureFuture(main, loop);
    try {
      return loop.runUntilComplete(task);
    } finally {
      cancelAllTasks(loop);
      runShutdownSteps(loop);
    }
  } finally {
    loop.close();
  }
}

/**
 * @internal Checks what `run` / `runAsync` was given: an awaitable other than a future (a future
 * belongs to a loop, and these run a new one). RangeError otherwise (asyncio's ValueError).
 */
export function checkMain(where: string, main: unknown): void {
  if (main instanceof Future) {
    throw new RangeError(
      `${where}: a coroutine was expected, got ${main}, which belongs to an existing loop while ${where}() runs a new one: ` +
        "pass the coroutine or effect itself, or use loop.runUntilComplete(future)",
    );
  }
  if (!isAwaitable(main)) {
    const hint = isGeneratorFunction(main)
      ? `: call the generator function, e.g. ${where}(main()) rather than ${where}(main)`
      : notAwaitableHint(main) || " (or another awaitable: an effect such as waitFor(...) or gather(...))";
    throw new RangeError(`${where}: a coroutine was expected, got ${describeValue(main)}${hint}`);
  }
}

function* shutdownStep(): Generator<never, void, unknown> {}

/**
 * asyncio.run ends with `run_until_complete(shutdown_asyncgens())` and
 * `run_until_complete(shutdown_default_executor())`: two more short runs of the loop, in which
 * callbacks and timers that are due by then still run. genloop has neither async generators nor
 * an executor, but runs the same two steps so that exactly the same callbacks run.
 */
function runShutdownSteps(loop: EventLoop): void {
  loop.runUntilComplete(loop.createTask(shutdownStep(), { name: "shutdown_asyncgens" }));
  loop.runUntilComplete(loop.createTask(shutdownStep(), { name: "shutdown_default_executor" }));
}

/** Cancels the tasks still pending, in creation order, and runs the loop until they end. */
function cancelAllTasks(loop: EventLoop): void {
  const leftovers = Array.from(loop._tasks);
  if (leftovers.length === 0) return;
  for (const task of leftovers) task.cancel();
  try {
    loop.runUntilComplete(new GatherEffect(leftovers, true));
  } catch (error) {
    // Cleanup that can never finish: close() reports whatever is still pending.
    if (!(error instanceof DeadlockError)) throw error;
  }
  reportShutdownErrors(loop, leftovers, "run()");
}

/** @internal Reports the cancelled leftovers that ended with an error other than CancelledError. */
export function reportShutdownErrors(loop: EventLoop, leftovers: readonly Task<unknown>[], runner: string): void {
  for (const task of leftovers) {
    if (task.failed()) {
      loop.callExceptionHandler({ message: `unhandled exception during ${runner} shutdown`, exception: task.exception(), task });
    }
  }
}
