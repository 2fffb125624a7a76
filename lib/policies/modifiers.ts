import { TaskPolicy, type CoroutineFunction, type PolicyOptions } from "./task-policy.js";

/**
 * Wraps `fn` so that a `perform()` arriving while `maxConcurrency` instances run cancels
 * the oldest of them and starts at once — the "latest wins" shape of search-as-you-type.
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
