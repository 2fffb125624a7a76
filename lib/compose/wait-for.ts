import { describeValue } from "../describe.js";
import { ensureFuture, isAwaitable, notAwaitableHint } from "../ensure-future.js";
import { CancelledError, TimeoutError } from "../errors.js";
import type { Future } from "../future.js";
import { realm } from "../running.js";
import type { Task } from "../task.js";
import type { Awaitable, Coroutine, ResultOf } from "../types.js";
import { InlineEffect } from "./inline-effect.js";
import { timeoutScope } from "./timeout.js";
import { checkOptionalMs } from "./validate.js";

/** The descriptor `waitFor(aw, timeoutMs)` returns. */
export class WaitForEffect<T> extends InlineEffect<T> {
  /** Always `"waitFor"`. */
  readonly kind = "waitFor";
  /**
   * Prefer `waitFor(aw, timeoutMs)`; the constructor validates the same way.
   * @throws TypeError if `awaitable` is not awaitable or `timeout` is neither a number nor null; RangeError for NaN.
   */
  constructor(
    /** What is waited for. */
    readonly awaitable: Awaitable<T>,
    /** The time limit in ms, or null for none. */
    readonly timeout: number | null,
  ) {
    super();
    if (!isAwaitable(awaitable)) {
      throw new TypeError(
        `waitFor: the first argument must be a coroutine, a future/task or an effect, got ${describeValue(awaitable)}${notAwaitableHint(awaitable)}`,
      );
    }
    if (timeout === undefined) {
      throw new TypeError("waitFor: the timeout is missing: pass a number of milliseconds, or null to wait without limit");
    }
    checkOptionalMs("waitFor", "the timeout", timeout);
    Object.freeze(this);
  }

  /** @internal */
  _coroutine(): Coroutine<T> {
    return waitForCoroutine(this.awaitable, this.timeout);
  }
}

/** asyncio 3.12+'s `wait_for`: a timeout scope around the wait, or cancel-and-wait for timeout <= 0. */
function* waitForCoroutine<T>(awaitable: Awaitable<T>, timeout: number | null): Coroutine<T> {
  const loop = (realm.currentTask as Task<unknown>)._loop;
  if (timeout !== null && timeout <= 0) {
    const future = ensureFuture(awaitable, loop);
    if (future.done()) return future.result();
    yield* cancelAndWait(future);
    try {
      return future.result();
    } catch (error) {
      if (error instanceof CancelledError) {
        throw new TimeoutError(`waitFor: timed out at once (timeout ${timeout} ms)`, { cause: error });
      }
      throw error;
    }
  }
  const when = timeout === null ? null : loop.time() + timeout;
  return (yield timeoutScope(when, "waitFor", () => awaitable)) as T;
}

/** Cancels `future` and waits until it is done, without letting our own cancellation reach it twice. */
function* cancelAndWait(future: Future<unknown>): Coroutine<void> {
  const waiter = future._loop.createFuture<void>();
  const release = (): void => {
    if (!waiter.done()) waiter.setResult(undefined);
  };
  future.addDoneCallback(release);
  try {
    future.cancel();
    yield waiter;
  } finally {
    future.removeDoneCallback(release);
  }
}

/**
 * Waits for `aw` with a time limit (asyncio 3.12+ `wait_for`): its result, or `TimeoutError`
 * after `timeoutMs`, once `aw` has been cancelled and has finished unwinding. A coroutine
 * runs inline in the calling task; a task or future is cancelled on timeout (wrap it in
 * `shield()` to keep it running). `null` waits without limit. If the awaited work swallows
 * the cancellation and returns a value, that value is returned. With a timeout of 0 or less,
 * a coroutine is never started.
 *
 * @example
 * ```ts
 * import { run, sleep, waitFor, VirtualClock, type Coroutine } from "genloop";
 *
 * function* main(): Coroutine<string> {
 *   return yield* waitFor(sleep(100, "fast enough"), 1000);  // TimeoutError after 1 s otherwise
 * }
 * run(main(), { clock: new VirtualClock() });  // "fast enough"
 * ```
 */
export function waitFor<A extends Awaitable<unknown>>(aw: A, timeoutMs: number | null): WaitForEffect<ResultOf<A>> {
  return new WaitForEffect(aw as Awaitable<ResultOf<A>>, timeoutMs);
}
