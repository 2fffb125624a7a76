import type { Clock } from "./clock.js";
import type { EffectHandlers } from "./effects/custom.js";
import { describeValue, isGenerator, isGeneratorFunction } from "./describe.js";
import { RuntimeError } from "./errors.js";
import { GatherEffect } from "./gather.js";
import type { Instrument } from "./instrument.js";
import type { Logger } from "./log.js";
import { DeadlockError, EventLoop, type TaskFactory } from "./loop.js";
import { realm } from "./running.js";
import type { Task } from "./task.js";
import type { Coroutine } from "./types.js";

export interface RunOptions {
  /** Run the loop in debug mode (slow steps reported, task creation sites recorded). */
  debug?: boolean;
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
 */
export function run<T>(main: Coroutine<T>, options: RunOptions = {}): T {
  if (realm.runningLoop !== null) {
    throw new RuntimeError("run() cannot be called from a running event loop: inside a coroutine, use yield* call(coro) or spawn(coro)");
  }
  if (!isGenerator(main)) {
    const hint = isGeneratorFunction(main) ? ": call the generator function, e.g. run(main()) rather than run(main)" : "";
    throw new RangeError(`run: a coroutine was expected, got ${describeValue(main)}${hint}`);
  }
  if (options === null || typeof options !== "object") {
    throw new TypeError(`run: options must be an object like { clock, debug }, got ${describeValue(options)}`);
  }
  const loop = new EventLoop(options);
  try {
    const task = loop.createTask(main);
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
