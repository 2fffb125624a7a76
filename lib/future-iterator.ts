import { RuntimeError } from "./errors.js";
import { FutureState, type Future, STATE_BITS } from "./future.js";

/**
 * What `yield* future` iterates, as asyncio's `Future.__await__`: a future already done gives
 * its outcome at once, without yielding; otherwise it yields the future once and, when resumed,
 * gives the future's own outcome (not the value passed to `next()`). Resumed while the future
 * is still pending, it throws asyncio's RuntimeError ("await wasn't used with future"): only
 * code stepping the coroutine by hand can do that.
 */
export class FutureIterator<T> implements Generator<Future<T>, T, any> {
  /** False until the future has been yielded. */
  private yielded = false;
  /** Null once the iteration is over. */
  private future: Future<T> | null;

  constructor(future: Future<T>) {
    this.future = future;
  }

  next(): IteratorResult<Future<T>, T> {
    const future = this.future;
    if (future === null) return { value: undefined as T, done: true };
    // With async stack traces (the loop records sites), a failed future is yielded too: the task
    // throws its error back at once, with no trip through the loop, and adds the awaiting frame.
    if (!this.yielded && (!future.done() || ((future._flags & STATE_BITS) === FutureState.Failed && future._loop._recordSites))) {
      this.yielded = true;
      return { value: future, done: false };
    }
    this.future = null;
    if (!future.done()) {
      throw new RuntimeError(
        `await wasn't used with future: the coroutine was resumed before ${future} was done ` +
          "(a coroutine stepped by hand must be resumed only once the future it yielded is done)",
      );
    }
    return { value: future.result(), done: true };
  }

  return(value: T): IteratorResult<Future<T>, T> {
    this.future = null;
    return { value, done: true };
  }

  throw(error: unknown): IteratorResult<Future<T>, T> {
    this.future = null;
    throw error;
  }

  [Symbol.iterator](): this {
    return this;
  }
}
