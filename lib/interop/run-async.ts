import { describeValue, isOptionsBag } from "../describe.js";
import { checkMain, reportShutdownErrors, type RunOptions } from "../run.js";
import { ensureFuture } from "../ensure-future.js";
import { RuntimeError } from "../errors.js";
import { GatherEffect } from "../gather.js";
import { TimerDriver, type TimerDriverOptions } from "../hosts/timer-driver.js";
import { EventLoop } from "../loop.js";
import type { Awaitable } from "../types.js";

/** Options of `runAsync`: `run()`'s and the timer driver's. */
export interface RunAsyncOptions extends RunOptions, TimerDriverOptions {}

/**
 * `run()` for hosts with their own event loop (Node, browsers, Deno): runs `main` on a new loop
 * driven by the host's timers (a `TimerDriver`), without ever blocking, and returns a promise
 * of its result. As `run()` does, once main is done it cancels the tasks still pending, waits
 * for their cleanup, reports their errors, and closes the loop; then the promise settles with
 * main's result or error (`CancelledError` if main was cancelled). Host callbacks (`callback`,
 * `fromPromise`) work inside, since the host keeps running between loop turns.
 *
 * @example
 * ```ts
 * import { sleep, type Coroutine } from "genloop";
 * import { runAsync } from "genloop/promise";
 *
 * function* main(): Coroutine<string> {
 *   yield* sleep(10);       // on the host's timers: never blocks the thread
 *   return "done";
 * }
 * runAsync(main()).then(console.log);
 * ```
 */
export function runAsync<T>(main: Awaitable<T>, options: RunAsyncOptions = {}): Promise<T> {
  checkMain("runAsync", main);
  if (!isOptionsBag(options)) {
    throw new TypeError(`runAsync: options must be an object like { clock, debug, timers }, got ${describeValue(options)}`);
  }
  const PromiseCtor = (typeof globalThis !== "undefined" ? globalThis : ({} as { Promise?: PromiseConstructor })).Promise;
  if (typeof PromiseCtor !== "function") throw new RuntimeError("runAsync: this host has no Promise; use run(), or drive the loop with runDue()");
  const { timers, budgetMs, maxIterations, ...loopOptions } = options;
  const loop = new EventLoop(loopOptions);
  let driver: TimerDriver;
  try {
    driver = new TimerDriver(loop, { timers, budgetMs, maxIterations });
  } catch (error) {
    loop.close();
    throw error;
  }
  const task = ensureFuture(main, loop);
  driver.start();
  return new PromiseCtor<T>((resolve, reject) => {
    const settle = () => {
      driver.stop();
      // We are inside a loop iteration (a done callback); a promise job runs after it, where
      // the loop can be closed.
      PromiseCtor.resolve().then(() => {
        // Take main's outcome before closing, so close() does not report it as never retrieved.
        let failed = false;
        let outcome: unknown;
        try {
          outcome = task.result();
        } catch (error) {
          failed = true;
          outcome = error;
        }
        loop.close();
        if (failed) reject(outcome);
        else resolve(outcome as T);
      });
    };
    task.addDoneCallback(() => {
      const leftovers = Array.from(loop._tasks);
      if (leftovers.length === 0) return settle();
      for (const leftover of leftovers) leftover.cancel();
      ensureFuture(new GatherEffect(leftovers, true), loop).addDoneCallback(() => {
        reportShutdownErrors(loop, leftovers, "runAsync()");
        settle();
      });
    });
  });
}
