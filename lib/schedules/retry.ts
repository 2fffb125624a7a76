import { describeValue } from "../describe.js";
import { isAwaitable } from "../ensure-future.js";
import { CancelledError } from "../errors.js";
import { sleep } from "../effects/sleep.js";
import { getRunningLoop } from "../running.js";
import type { Awaitable, Coroutine } from "../types.js";
import { Schedule } from "./schedule.js";

/** What `onRetry` is told before each backoff sleep. */
export interface RetryEvent {
  /** The attempt that failed: 1 for the first. */
  readonly attempt: number;
  /** Its error. */
  readonly error: unknown;
  /** How long (ms) `retry` now sleeps before the next attempt. */
  readonly delay: number;
}

/** Options of `retry`. */
export interface RetryOptions {
  /** Called before each backoff sleep (logging, metrics). An error it throws ends the retry with that error. */
  onRetry?: (event: RetryEvent) => void;
}

/** Options of `repeat`. */
export interface RepeatOptions<T> {
  /** Stops after the run whose value satisfies it (polling until done). */
  until?: (value: T) => boolean;
}

/**
 * Runs `makeAttempt(attempt)` (attempt 1, 2, …) until one succeeds, sleeping between failures
 * as `schedule` says; returns the first success. When the schedule stops (attempts or time
 * used up, or an error it must not retry), the last error is thrown as it is. Cancellation is
 * never retried: a `CancelledError` from an attempt, or cancelling the task during an attempt
 * or a backoff sleep, ends the retry at once (its `finally` blocks run). Sleeps are loop time,
 * so on a `VirtualClock` a retry is instant and exactly reproducible.
 *
 * @param makeAttempt makes each attempt: a coroutine, an effect or a future (e.g. `waitFor(request(), 1000)`)
 * @param schedule when to retry and when to stop
 * @param options `{ onRetry }`
 * @returns a coroutine: `const value = yield* retry(...)`
 * @throws TypeError for bad arguments (at the call), or when `makeAttempt` returns something that cannot be awaited
 * @example
 * const body = yield* retry(
 *   () => waitFor(fetchReport(id), 1000),
 *   Schedule.exponential(100).cappedAt(2000).jittered(seed).maxAttempts(5).retryIf((e) => e instanceof TransientError),
 * );
 */
export function retry<T>(makeAttempt: (attempt: number) => Awaitable<T>, schedule: Schedule, options: RetryOptions = {}): Coroutine<T> {
  checkArgs("retry", makeAttempt, schedule);
  if (options === null || typeof options !== "object") throw new TypeError(`retry: options must be an object like { onRetry }, got ${describeValue(options)}`);
  if (options.onRetry !== undefined && typeof options.onRetry !== "function") {
    throw new TypeError(`retry: options.onRetry must be a function, got ${describeValue(options.onRetry)}`);
  }
  return retrying(makeAttempt, schedule, options.onRetry);
}

function* retrying<T>(makeAttempt: (attempt: number) => Awaitable<T>, schedule: Schedule, onRetry: RetryOptions["onRetry"]): Coroutine<T> {
  const loop = getRunningLoop();
  const start = loop.time();
  const run = schedule.start();
  for (let attempt = 1; ; attempt++) {
    // Outside the try: a function that throws, or returns nothing awaitable, is a bug to report, not a failure to retry.
    const awaitable = attemptOf("retry", makeAttempt, attempt);
    try {
      return (yield awaitable) as T;
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      const delay = run.next({ attempt, elapsed: loop.time() - start, failed: true, error });
      if (delay === null) throw error;
      if (onRetry !== undefined) onRetry({ attempt, error, delay });
      yield* sleep(delay);
    }
  }
}

/**
 * Runs `makeRun(run)` (run 1, 2, …) again and again, sleeping between runs as `schedule`
 * says, until the schedule stops or `options.until(value)` holds; returns the last value.
 * An error from a run ends it at once (wrap the run in `retry` to retry it). Cancellation
 * during a run or a sleep ends it too.
 *
 * @param makeRun makes each run: a coroutine, an effect or a future
 * @param schedule the pauses between runs, and when to stop
 * @param options `{ until }`
 * @returns a coroutine: `const last = yield* repeat(...)`
 * @throws TypeError for bad arguments (at the call)
 */
export function repeat<T>(makeRun: (run: number) => Awaitable<T>, schedule: Schedule, options: RepeatOptions<T> = {}): Coroutine<T> {
  checkArgs("repeat", makeRun, schedule);
  if (options === null || typeof options !== "object") throw new TypeError(`repeat: options must be an object like { until }, got ${describeValue(options)}`);
  if (options.until !== undefined && typeof options.until !== "function") {
    throw new TypeError(`repeat: options.until must be a function (value) => boolean, got ${describeValue(options.until)}`);
  }
  return repeating(makeRun, schedule, options.until);
}

function* repeating<T>(makeRun: (run: number) => Awaitable<T>, schedule: Schedule, until: RepeatOptions<T>["until"]): Coroutine<T> {
  const loop = getRunningLoop();
  const start = loop.time();
  const run = schedule.start();
  for (let n = 1; ; n++) {
    const value = (yield attemptOf("repeat", makeRun, n)) as T;
    if (until !== undefined && until(value)) return value;
    const delay = run.next({ attempt: n, elapsed: loop.time() - start, failed: false });
    if (delay === null) return value;
    yield* sleep(delay);
  }
}

function attemptOf<T>(where: string, make: (n: number) => Awaitable<T>, n: number): Awaitable<T> {
  const awaitable = make(n);
  if (!isAwaitable(awaitable)) {
    throw new TypeError(`${where}: the function must return a coroutine, an effect or a future (write it as function* () { ... }), got ${describeValue(awaitable)}`);
  }
  return awaitable;
}

function checkArgs(where: string, make: unknown, schedule: unknown): void {
  if (typeof make !== "function") {
    throw new TypeError(
      `${where}: the first argument must be a function making each attempt, e.g. () => request(url), got ${describeValue(make)}` +
        (isAwaitable(make) ? " (a coroutine runs once: pass a function that makes a fresh one)" : ""),
    );
  }
  if (!(schedule instanceof Schedule)) {
    throw new TypeError(`${where}: a Schedule was expected (e.g. Schedule.exponential(100).maxAttempts(5)), got ${describeValue(schedule)}`);
  }
}
