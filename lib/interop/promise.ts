// genloop/promise: opt-in interop with native promises, for loops driven by the host
// (startTimerDriver, or runDue/step from the host's own event loop). The core never imports it.
// This entry takes the loop options and methods of every optional feature: they are installed with it.
import "../features/index.js";
import { describeValue, isThenable } from "../describe.js";
import { Effect } from "../effect.js";
import { HostCallbackFuture } from "../effects/callback.js";
import { RuntimeError } from "../errors.js";
import { Future } from "../future.js";
import type { EventLoop } from "../loop.js";
import { abortControllerOf, abortReason, asHost, type HostAbortSignal } from "./abort.js";

export { runAsync, type RunAsyncOptions } from "./run-async.js";
export { withAbortSignal, cancelOnAbort, abortable, type AbortSignalLike, type HostAbortSignal } from "./abort.js";

/**
 * A thenable, or a function that starts the operation when the effect runs and returns one.
 * The function gets an AbortSignal that aborts if the waiting task is cancelled.
 */
export type PromiseSource<T> = PromiseLike<T> | ((signal: HostAbortSignal) => PromiseLike<T>);

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
    const future = new HostCallbackFuture<T>(loop, "promise");
    return future._begin((resolve, reject) => {
      if (typeof source !== "function") {
        source.then(resolve, reject);
        return undefined;
      }
      // A function that takes no argument still works where the host has no AbortController.
      const controller = source.length > 0 || hasAbortController() ? abortControllerOf("fromPromise") : null;
      const thenable = source(controller === null ? (undefined as unknown as HostAbortSignal) : asHost(controller.signal));
      if (!isThenable(thenable)) {
        throw new TypeError(`fromPromise: the function must return a promise or thenable, got ${describeValue(thenable)}`);
      }
      thenable.then(resolve, reject);
      if (controller === null) return undefined;
      // Runs once the wait is over: only a cancelled wait aborts the operation behind it.
      return () => {
        if (future.cancelled()) controller.abort(abortReason(future._cancelMessageText()));
      };
    }, this);
  }
}

/**
 * Waits on a promise (or any thenable) inside a coroutine: `const body = yield* fromPromise(fetch(url))`.
 * Given a function, it is called when the task yields the effect, so the descriptor stays inert,
 * with an AbortSignal: `fromPromise((signal) => fetch(url, { signal }))`. Cancelling the waiting
 * task (directly, or through `timeout`, `waitFor`, a `taskGroup`) stops the wait and aborts the
 * signal, with a `CancelledError` carrying the cancel message as its reason, so the operation
 * behind the promise stops too. A rejection is thrown into the task. A promise given directly
 * cannot be aborted: its late outcome is ignored. Where the host has no AbortController, a
 * function that takes the signal parameter fails with a RuntimeError that says so.
 *
 * Promise callbacks run on the host's job queue, so the loop must be driven by the host
 * (`startTimerDriver(loop)`, or `runDue`/`step` called from host callbacks): in a blocking
 * `run()` the wait can never end, and `run()` reports a deadlock that says so.
 * @example
 * ```ts
 * import { sleep, type Coroutine } from "genloop";
 * import { fromPromise, runAsync } from "genloop/promise";
 *
 * function* main(): Coroutine<string> {
 *   const text = yield* fromPromise(Promise.resolve("from a promise"));
 *   yield* sleep(10);
 *   // A function is called when the effect runs, with a signal that cancelling the task
 *   // aborts: pass it on (fetch(url, { signal })) so the operation stops too.
 *   const later = yield* fromPromise((signal) => new Promise<string>((resolve) => {
 *     const timer = setTimeout(resolve, 10, "a timer");
 *     signal.addEventListener("abort", () => clearTimeout(timer));
 *   }));
 *   return `${text}, then ${later}`;
 * }
 * runAsync(main()).then(console.log); // from a promise, then a timer
 * ```
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

function hasAbortController(): boolean {
  return typeof globalThis !== "undefined" && typeof (globalThis as { AbortController?: unknown }).AbortController === "function";
}
