import { describeValue, isThenable } from "../describe.js";
import { Effect } from "../effect.js";
import { Future, FutureState, STATE_BITS } from "../future.js";
import type { EventLoop } from "../loop.js";

/** Undoes what a callback's setup started (removes a listener, aborts a request, clears a timer). */
export type Disposer = () => void;
/** Starts a host operation and arranges for exactly one of `resolve` / `reject` to be called. */
export type CallbackSetup<T> = (resolve: (value: T) => void, reject: (error: unknown) => void) => Disposer | void;

/**
 * The future of an operation whose outcome comes from host code (a callback API, a promise).
 *
 * Invariants:
 * - the first `resolve`/`reject` settles it; later calls, and calls once it is cancelled or its
 *   loop is closed, are ignored;
 * - the disposer runs exactly once, as soon as the future is done (resolved, rejected or
 *   cancelled) and the setup has returned it;
 * - while pending it counts in `loop._pendingHostCallbacks`, so that a blocking loop's deadlock
 *   error can say that host callbacks are pending.
 */
export class HostCallbackFuture<T> extends Future<T> {
  /** @internal The disposer; undefined while the setup runs, null once run or if none. */
  private _dispose: Disposer | null | undefined = undefined;
  /** @internal The setup function's name, for descriptions. */
  _setupName = "";
  /** Whether it counts in `loop._pendingHostCallbacks`. */
  private _counted = true;

  constructor(
    loop: EventLoop,
    /** @internal What the effect is called in messages ("callback", "promise", a custom kind). */
    readonly _what: string,
  ) {
    super(loop);
    loop._pendingHostCallbacks++;
  }

  /** @internal */
  override _finish(state: FutureState, value: unknown): void {
    this._uncount();
    super._finish(state, value);
  }

  /** @internal Its outcome will come from the loop itself (a coroutine handler), not the host. */
  _uncount(): void {
    if (!this._counted) return;
    this._counted = false;
    this._loop._pendingHostCallbacks--;
  }

  override cancel(msg?: string): boolean {
    if (!super.cancel(msg)) return false;
    this._disposeIfDone();
    return true;
  }

  /** A description: `<callback pending>`, `<callback finished>`. */
  override toString(): string {
    return `<${this._what} ${this._describeState()}>`;
  }

  /** @internal How the task tree names this wait: `host callback 'readFile'` (the setup function's name). */
  _hostLabel(): string {
    const what = this._what === "callback" || this._what === "promise" ? this._what : `effect '${this._what}'`;
    return this._setupName ? `host ${what} '${this._setupName}'` : `host ${what}`;
  }

  /**
   * @internal Runs `setup` now; an error it throws (or a bad return value) rejects the future.
   * A loop with a host seam (`setHostSeam`) runs the setup the seam returns instead.
   */
  _begin(setup: CallbackSetup<T>, effect: Effect<T>): this {
    this._setupName = typeof setup.name === "string" ? setup.name : "";
    const seam = this._loop._hostSeam;
    if (seam !== null) setup = seam.hostEffect(effect, setup, this);
    let disposer: unknown;
    try {
      disposer = setup(
        (value) => this._settle(true, value),
        (error) => this._settle(false, error),
      );
    } catch (error) {
      this._setupFailed(error);
      return this;
    }
    if (disposer !== undefined && typeof disposer !== "function") {
      const hint = isThenable(disposer)
        ? "; it returned a promise: the setup must be a plain function (wait on a promise with fromPromise from genloop/promise)"
        : " (an arrow function with an expression body returns that expression: write `(resolve) => { startJob(resolve); }`)";
      this._setupFailed(new TypeError(`${this._what}: the setup function must return a disposer function or nothing, got ${describeValue(disposer)}${hint}`));
      return this;
    }
    this._dispose = (disposer as Disposer | undefined) ?? null;
    this._disposeIfDone();
    return this;
  }

  /** The setup threw or returned something unusable: that is the outcome, unless there is one already. */
  private _setupFailed(error: unknown): void {
    this._dispose = null;
    if ((this._flags & STATE_BITS) === FutureState.Pending) {
      this._settle(false, error);
      return;
    }
    // It already resolved or rejected: the outcome stands, but the error must not vanish.
    this._loop.callExceptionHandler({ message: `Exception in the setup of a ${this._what} effect after it completed`, exception: error, future: this });
  }

  private _settle(ok: boolean, value: unknown): void {
    if ((this._flags & STATE_BITS) !== FutureState.Pending || this._loop.isClosed()) return;
    if (ok) this._resolve(value as T);
    else this._reject(value);
    this._disposeIfDone();
  }

  private _disposeIfDone(): void {
    const dispose = this._dispose;
    if (dispose === undefined || dispose === null || (this._flags & STATE_BITS) === FutureState.Pending) return;
    this._dispose = null;
    try {
      dispose();
    } catch (error) {
      // The outcome is already decided; a failing cleanup is reported, not thrown into the task.
      this._loop.callExceptionHandler({ message: `Exception in the disposer of a ${this._what} effect`, exception: error, future: this });
    }
  }
}

/** The descriptor `callback(setup)` returns. */
export class CallbackEffect<T> extends Effect<T> {
  /** Always `"callback"`. */
  readonly kind = "callback";
  /**
   * Prefer `callback(setup)`; the constructor validates the same way.
   * @throws TypeError if `setup` is not a function.
   */
  constructor(/** Starts the host operation when a task yields the effect. */ readonly setup: CallbackSetup<T>) {
    super();
    if (typeof setup !== "function") {
      throw new TypeError(`callback: expected a setup function (resolve, reject) => dispose?, got ${describeValue(setup)}`);
    }
    Object.freeze(this);
  }

  /** @internal */
  _start(loop: EventLoop): Future<T> {
    return new HostCallbackFuture<T>(loop, "callback")._begin(this.setup, this);
  }
}

/**
 * Waits on a host callback API, like Effection's `action` or redux-saga's `cps`: when a task
 * yields it, `setup(resolve, reject)` starts the operation and may return a disposer. The task
 * resumes with the value given to `resolve` or throws the error given to `reject`; an error
 * thrown by `setup` is thrown into the task. The disposer runs once when the operation ends
 * for any reason: resolved, rejected, or cancelled with the waiting task. Calls of
 * `resolve`/`reject` after the first, or after cancellation, are ignored.
 *
 * A blocking `run()` owns the thread, so a host callback can never arrive there: drive the loop
 * from the host instead (`startTimerDriver`, or `step()`/`nextDeadline()`).
 *
 * The result type is not inferred from the `resolve` calls inside `setup` (TypeScript infers
 * type arguments from parameters, not from calls in a body): spell it, `callback<number>(...)`,
 * or `yield*` gives `void`.
 *
 * @param setup starts the operation; returns an optional disposer.
 * @returns the effect; `yield*` it for the value given to `resolve`.
 * @throws TypeError at the call if `setup` is not a function.
 * @example
 * ```ts
 * import { callback, type Coroutine } from "genloop";
 * import { runAsync } from "genloop/promise";
 *
 * function* main(): Coroutine<number> {
 *   const value = yield* callback<number>((resolve) => {
 *     const id = setTimeout(() => resolve(42), 10);
 *     return () => clearTimeout(id); // the disposer: also runs if the task is cancelled first
 *   });
 *   return value + 1;
 * }
 * runAsync(main()).then(console.log); // 43: runAsync drives the loop from host timers
 * ```
 */
export function callback<T = void>(setup: CallbackSetup<T>): CallbackEffect<T> {
  return new CallbackEffect(setup);
}
