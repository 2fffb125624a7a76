import { TaskPolicy, type CoroutineFunction, type PolicyOptions } from "./task-policy.js";

/**
 * Wraps `fn` so that a `perform()` arriving while `maxConcurrency` instances run cancels
 * the oldest of them and starts at once — the "latest wins" shape of search-as-you-type.
 *
 * @example
 * ```ts
 * import { run, sleep, restartable, VirtualClock, type Coroutine } from "genloop";
 *
 * const search = restartable(function* (query: string) {
 *   yield* sleep(100);            // a newer call cancels this one here
 *   return `results for ${query}`;
 * });
 * function* main(): Coroutine<string> {
 *   search.perform("a");
 *   search.perform("ab");         // restarts: "a" is cancelled
 *   return yield* search.perform("abc");
 * }
 * run(main(), { clock: new VirtualClock() });  // "results for abc"
 * ```
 */
export function restartable<A extends unknown[], R>(fn: CoroutineFunction<A, R>, options?: PolicyOptions): TaskPolicy<A, R> {
  return new TaskPolicy("restartable", fn, options);
}

/** Wraps `fn` so that a `perform()` arriving while `maxConcurrency` instances run is dropped (cancelled before it starts). */
export function drop<A extends unknown[], R>(fn: CoroutineFunction<A, R>, options?: PolicyOptions): TaskPolicy<A, R> {
  return new TaskPolicy("drop", fn, options);
}

/** Wraps `fn` so that a `perform()` arriving while `maxConcurrency` instances run waits its turn (FIFO). */
export function enqueue<A extends unknown[], R>(fn: CoroutineFunction<A, R>, options?: PolicyOptions): TaskPolicy<A, R> {
  return new TaskPolicy("enqueue", fn, options);
}

/**
 * Wraps `fn` so that a `perform()` arriving while `maxConcurrency` instances run waits for
 * a slot, replacing (cancelling) any call already waiting: at most one waits, the latest.
 */
export function keepLatest<A extends unknown[], R>(fn: CoroutineFunction<A, R>, options?: PolicyOptions): TaskPolicy<A, R> {
  return new TaskPolicy("keepLatest", fn, options);
}
