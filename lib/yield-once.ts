/**
 * What `yield* effect` and `yield* future` iterate: it yields the awaitable once, then returns
 * the value the coroutine is resumed with. It behaves exactly as the generator
 * `function* () { return yield awaitable; }` would, but it is a small plain object: this is
 * the hottest path of the loop (every `yield* sleep(0)`), and a generator object costs
 * several times more to create and resume. It drops the awaitable once yielded, so a
 * suspended task does not keep its effect descriptor alive.
 */
export class YieldOnce<T, R> implements Generator<T, R, any> {
  /** 0: not started; 1: suspended at its yield; 2: done. */
  private state = 0;

  constructor(private awaited: T | undefined) {}

  next(value?: any): IteratorResult<T, R> {
    if (this.state === 0) {
      this.state = 1;
      const awaited = this.awaited as T;
      this.awaited = undefined;
      return { value: awaited, done: false };
    }
    if (this.state === 1) {
      this.state = 2;
      return { value: value as R, done: true };
    }
    return { value: undefined as R, done: true };
  }

  return(value: R): IteratorResult<T, R> {
    this.state = 2;
    this.awaited = undefined;
    return { value, done: true };
  }

  throw(error: unknown): IteratorResult<T, R> {
    this.state = 2;
    this.awaited = undefined;
    throw error;
  }

  [Symbol.iterator](): this {
    return this;
  }
}
