/** What `YieldOnce.awaited` holds once the awaitable has been yielded, and once it is done. */
const SUSPENDED_AT_YIELD: object = {};
const FINISHED: object = {};

/**
 * What `yield* effect` and `yield* future` iterate: it yields the awaitable once, then returns
 * the value the coroutine is resumed with. It behaves exactly as the generator
 * `function* () { return yield awaitable; }` would, but it is a small plain object: this is
 * the hottest path of the loop (every `yield* sleep(0)`), and a generator object costs
 * several times more to create and resume. It drops the awaitable once yielded, so a
 * suspended task does not keep its effect descriptor alive.
 *
 * Its one field is its state too (one field less per suspended task): the awaitable until it
 * is yielded, then SUSPENDED_AT_YIELD, then FINISHED.
 */
export class YieldOnce<T, R> implements Generator<T, R, any> {
  constructor(private awaited: T | object) {}

  next(value?: any): IteratorResult<T, R> {
    const awaited = this.awaited;
    if (awaited === SUSPENDED_AT_YIELD) {
      this.awaited = FINISHED;
      return { value: value as R, done: true };
    }
    if (awaited === FINISHED) return { value: undefined as R, done: true };
    this.awaited = SUSPENDED_AT_YIELD;
    return { value: awaited as T, done: false };
  }

  return(value: R): IteratorResult<T, R> {
    this.awaited = FINISHED;
    return { value, done: true };
  }

  throw(error: unknown): IteratorResult<T, R> {
    this.awaited = FINISHED;
    throw error;
  }

  [Symbol.iterator](): this {
    return this;
  }
}
