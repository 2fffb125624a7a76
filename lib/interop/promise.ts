// genloop/promise: opt-in interop with native promises, for loops driven by the host
// (startTimerDriver, or runDue/step from the host's own event loop). The core never imports it.
import { describeValue, isThenable } from "../describe.js";
import { Effect } from "../effect.js";
import { HostCallbackFuture } from "../effects/callback.js";
import { RuntimeError } from "../errors.js";
import { Future } from "../future.js";
import type { EventLoop } from "../loop.js";

export { runAsync, type RunAsyncOptions } from "./run-async.js";

/** A thenable, or a function that starts the operation and returns one when the effect runs. */
export type PromiseSource<T> = PromiseLike<T> | (() => PromiseLike<T>);

/** The descriptor `fromPromise(source)` returns. */
export class PromiseEffect<T> extends Effect<T> {
  /** Always `"promise"`. */
  readonly kind = "promise";
  /**
   * Prefer `fromPromise(source)`; the constructor validates the same way.
   * @throws TypeError unless `source` is a thenable or a function.
   */
  constructor(/** The promise, or a function that returns it when the effect runs. */ readonly source: PromiseSource<T>) {
    super();
    if (typeof source !== "function" && !isThenable(source)) {
      throw new TypeError(`fromPromise: expected a promise, a thenable or a function returning one, got ${describeValue(source)}`);
    }
    Object.freeze(this);
  }

  /** @internal */
  _start(loop: EventLoop): Future<T> {
    const source = this.source;
    return new HostCallbackFuture<T>(loop, "promise")._begin((resolve, reject) => {
      const thenable = typeof source === "function" ? source() : source;
      if (!isThenable(thenable)) {
        throw new TypeError(`fromPromise: the function must return a promise or thenable, got ${describeValue(thenable)}`);
      }
      thenable.then(resolve, reject);
    }, this);
  }
}

/**
 * Waits on a promise (or any thenable) inside a coroutine: `const body = yield* fromPromise(fetch(url))`.
 * Given a function, it is called when the task yields the effect, so the descriptor stays inert:
 * `fromPromise(() => fetch(url))`. A rejection is thrown into the task. Cancelling the task stops
 * the wait (a promise itself cannot be cancelled: its late outcome is ignored).
 *
 * Promise callbacks run on the host's job queue, so the loop must be driven by the host
 * (`startTimerDriver(loop)`, or `runDue`/`step` called from host callbacks): in a blocking
 * `run()` the wait can never end, and `run()` reports a deadlock that says so.
 */
export function fromPromise<T>(source: PromiseSource<T>): PromiseEffect<T> {
  return new PromiseEffect(source);
}

/**
 * A promise for a future's or task's outcome: it resolves with the result, rejects with the
 * error (a `CancelledError` if it was cancelled). Settling goes through the loop's done
 * callbacks, so the loop must keep running (e.g. under a `TimerDriver`) until the task is done.
 */
export function toPromise<T>(future: Future<T>): Promise<T> {
  if (!(future instanceof Future)) {
    throw new TypeError(`toPromise: expected a Future or Task (make a task with loop.createTask(coro) first), got ${describeValue(future)}`);
  }
  const PromiseCtor = (typeof globalThis !== "undefined" ? globalThis : ({} as { Promise?: PromiseConstructor })).Promise;
  if (typeof PromiseCtor !== "function") throw new RuntimeError("toPromise: this host has no Promise");
  return new PromiseCtor<T>((resolve, reject) => {
    const settle = (done: Future<T>) => {
      try {
        resolve(done.result());
      } catch (error) {
        reject(error);
      }
    };
    if (future.done()) settle(future);
    else future.addDoneCallback(settle);
  });
}
