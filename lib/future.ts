import { brand } from "./brand.js";
import { runtimeCancelledError } from "./cancelled-error.js";
import { checkContextOption, copyContext } from "./context/context.js";
import { CancelledError, InvalidStateError } from "./errors.js";
import type { Context } from "./context/context.js";
import { describeValue } from "./describe.js";
import { Handle } from "./handle.js";
import type { Runnable } from "./ready-queue.js";
import { checkLoop, getRunningLoop, isLoop, realm } from "./running.js";
import { NOTE_YIELDS, yieldNotes } from "./note-yields.js";
import type { Task } from "./task.js";
import type { EventLoop } from "./loop.js";
import { FutureIterator } from "./future-iterator.js";

export const enum FutureState {
  Pending = 0,
  Cancelled = 1,
  Finished = 2,
  Failed = 3,
}

/** @internal The bits of a future's `_flags` that hold its FutureState. */
export const STATE_BITS = 3;

const stateNames = ["pending", "cancelled", "finished", "finished"];

/** A function given to `Future.addDoneCallback`: called with the future once it is done, through the loop. */
export type DoneCallback<T> = (future: Future<T>) => void;
/**
 * A registered done callback: the Handle of a function (made when it is added, to hold the
 * context it runs in), or a task to wake (tasks skip the Handle: they run in their own context).
 */
type Waiter = Runnable;

/** Options of `addDoneCallback` and of the loop's `callSoon`, `callLater`, `callAt`. */
export interface CallOptions {
  /** The context the callback runs in; a copy of the context current when it is scheduled by default. */
  context?: Context;
}

/** Converts a `cancel(msg)` argument to the message string (undefined when none was given). */
export function cancelMessage(msg: unknown): string | undefined {
  return msg === undefined || msg === null ? undefined : String(msg);
}

/**
 * asyncio's Future: a result that will be set later. Done callbacks always run through the
 * loop's `callSoon`, never synchronously, even when added to a future that is already done.
 * `yield* future` waits for it and returns its result (or throws its error).
 */
export class Future<T = unknown> {
  /** @internal */ _loop: EventLoop;
  /**
   * @internal The state (a FutureState) in the bits `STATE_BITS`; a Task keeps its own flags
   * and counts above them (see Task): one field for both, so tasks stay small. Read the state
   * as `_flags & STATE_BITS`; only `_finish` changes it.
   */
  _flags: number = FutureState.Pending;
  /**
   * @internal The result, or the error when failed. Once cancelled (a cancelled future has no
   * result), the `cancel(msg)` message (undefined when none was given), or for a task that ended
   * with its own CancelledError, that error, handed back once by result(): futures and tasks need
   * no field of their own for them. A task's message before that is kept elsewhere (see Task).
   */
  _value: unknown = undefined;
  /** @internal */ _callbacks: Waiter | Waiter[] | null = null;

  /** A future on `loop`, or on the running loop when none is given. */
  /**
   * @param loop the loop it belongs to; the running loop when omitted.
   * @throws TypeError if `loop` is given and is not an EventLoop; RuntimeError if omitted outside a running loop.
   */
  constructor(loop?: EventLoop) {
    if (loop !== undefined && !isLoop(loop)) checkLoop(new.target.name || "Future", loop);
    this._loop = loop ?? getRunningLoop();
  }

  /** The loop this future belongs to. */
  getLoop(): EventLoop {
    return this._loop;
  }

  /** @returns whether the future has a result, an error, or was cancelled. */
  done(): boolean {
    return (this._flags & STATE_BITS) !== FutureState.Pending;
  }

  /** @returns whether the future was cancelled. */
  cancelled(): boolean {
    return (this._flags & STATE_BITS) === FutureState.Cancelled;
  }

  /**
   * True when the future is done with an error (not cancelled). This is how to tell a failure
   * from a success: JavaScript can throw any value, so a task whose coroutine threw `null` or
   * `undefined` has failed although `exception()` returns that value.
   *
   * @returns whether `result()` would throw an error other than `CancelledError` or `InvalidStateError`.
   */
  failed(): boolean {
    return (this._flags & STATE_BITS) === FutureState.Failed;
  }

  /** The result; throws the error, `CancelledError` if cancelled, `InvalidStateError` if pending. */
  result(): T {
    switch (this._flags & STATE_BITS) {
      case FutureState.Finished:
        return this._value as T;
      case FutureState.Failed:
        this._markRetrieved();
        throw this._value;
      case FutureState.Cancelled:
        throw this._makeCancelledError();
      default:
        throw new InvalidStateError("Result is not set.");
    }
  }

  /**
   * The error, or null if it succeeded; throws like `result()` when pending or cancelled. The
   * error is the value thrown, whatever it is: a task whose coroutine threw `null` returns null
   * here too, so use `failed()` to tell a failure from a success.
   */
  exception(): unknown {
    switch (this._flags & STATE_BITS) {
      case FutureState.Finished:
        return null;
      case FutureState.Failed:
        this._markRetrieved();
        return this._value;
      case FutureState.Cancelled:
        throw this._makeCancelledError();
      default:
        throw new InvalidStateError("Exception is not set.");
    }
  }

  /**
   * Marks the future done with `value` and schedules its done callbacks.
   * @param value the result that `result()` and `yield* future` give.
   * @throws InvalidStateError if the future is already done.
   */
  setResult(value: T): void {
    this._checkPending("setResult");
    this._resolve(value);
  }

  /**
   * Marks the future failed with `error`.
   * @throws TypeError if `error` is null or undefined (asyncio refuses a non-exception; use setResult).
   * @throws InvalidStateError if the future is already done.
   */
  setException(error: unknown): void {
    if (error === null || error === undefined) {
      throw new TypeError(
        `setException: the error must be an error value, got ${String(error)}; to complete the future without an error, use setResult()`,
      );
    }
    this._checkPending("setException");
    this._reject(error);
  }

  /** Cancels the future and schedules its callbacks; false if it was already done. */
  cancel(msg?: string): boolean {
    this._markRetrieved();
    if ((this._flags & STATE_BITS) !== FutureState.Pending) return false;
    this._finish(FutureState.Cancelled, cancelMessage(msg));
    return true;
  }

  /**
   * Calls `callback(future)` through `callSoon` once the future is done, in `options.context`
   * or else in a copy of the context current now.
   * @throws TypeError if `callback` is not a function or `options.context` not a Context.
   */
  addDoneCallback(callback: DoneCallback<T>, options?: CallOptions): void {
    if (typeof callback !== "function") {
      throw new TypeError(`addDoneCallback: expected a function, got ${typeof callback}`);
    }
    const context = options === undefined ? undefined : checkContextOption("addDoneCallback", checkCallOptions("addDoneCallback", options).context);
    this._addWaiter(new Handle(callback, [this], context ?? copyContext()));
  }

  /** Removes every registration of `callback`; returns how many were removed. */
  removeDoneCallback(callback: DoneCallback<T>): number {
    return this._removeWaiters((cb) => cb instanceof Handle && cb._callback === callback);
  }

  /** `yield* future`: waits for it (unless done) and returns its result or throws its error. */
  [Symbol.iterator](): Generator<Future<T>, T, any> {
    const task = realm.currentTask;
    // The call graph learns the coroutine's name here, in its own frame (see yieldNotes).
    if (task !== null && (task._flags & NOTE_YIELDS) !== 0) (yieldNotes.note as (task: Task<unknown>) => void)(task);
    return new FutureIterator<T>(this);
  }

  /** A description like asyncio's repr: `<Future pending>`, `<Future finished exception=Error: boom>`. */
  toString(): string {
    return `<${this.constructor.name} ${this._describeState()}>`;
  }

  /** @internal */
  _describeState(): string {
    const state = stateNames[(this._flags & STATE_BITS)];
    return (this._flags & STATE_BITS) === FutureState.Failed ? `${state} exception=${String(this._value)}` : state;
  }

  /** @internal */
  _checkPending(method: string): void {
    if ((this._flags & STATE_BITS) !== FutureState.Pending) {
      throw new InvalidStateError(`${method}: the future is already ${stateNames[(this._flags & STATE_BITS)]}: ${this}`);
    }
  }

  /** @internal */
  _resolve(value: T): void {
    this._finish(FutureState.Finished, value);
  }

  /** @internal */
  _reject(error: unknown): void {
    this._loop._noteUnretrieved(this);
    this._finish(FutureState.Failed, error);
  }

  /** @internal Registers a function or a task to be scheduled when the future is done. */
  _addWaiter(waiter: Waiter): void {
    if ((this._flags & STATE_BITS) !== FutureState.Pending) {
      this._schedule(waiter);
      return;
    }
    const cbs = this._callbacks;
    if (cbs === null) this._callbacks = waiter;
    else if (Array.isArray(cbs)) cbs.push(waiter);
    else this._callbacks = [cbs, waiter];
  }

  /**
   * @internal Removes every registered waiter that `isIt` accepts (not one already scheduled);
   * returns how many were removed.
   */
  _removeWaiters(isIt: (waiter: Waiter) => boolean): number {
    const cbs = this._callbacks;
    if (cbs === null) return 0;
    if (!Array.isArray(cbs)) {
      if (!isIt(cbs)) return 0;
      this._callbacks = null;
      return 1;
    }
    const kept = cbs.filter((cb) => !isIt(cb));
    const removed = cbs.length - kept.length;
    this._callbacks = kept.length === 0 ? null : kept;
    return removed;
  }

  /** @internal The CancelledError that result() throws for a cancelled future (see `_value`). */
  _makeCancelledError(): CancelledError {
    if ((this._flags & STATE_BITS) !== FutureState.Cancelled) return runtimeCancelledError(this._loop, this._lastCancelMessage() ?? "");
    const info = this._value;
    if (info instanceof CancelledError) {
      this._value = undefined; // handed out once, as asyncio's _make_cancelled_error
      return info;
    }
    return runtimeCancelledError(this._loop, typeof info === "string" ? info : "");
  }

  /**
   * @internal The message of the last `cancel(msg)` on record for a future that is not cancelled
   * (a task's, see Task): a plain future has none, its cancel() cancels it.
   */
  _lastCancelMessage(): string | undefined {
    return undefined;
  }

  /** @internal The message given to `cancel(msg)` of a cancelled future, if any (not that of a task's own CancelledError). */
  _cancelMessageText(): string | undefined {
    const info = this._value;
    return (this._flags & STATE_BITS) === FutureState.Cancelled && typeof info === "string" ? info : undefined;
  }

  /**
   * @internal True while the error has not been looked at by anyone. Not a field: it holds
   * exactly while the future is in its loop's set of unretrieved failures (futures and tasks
   * stay one field smaller; only failed futures pay for the lookup).
   */
  get _logTraceback(): boolean {
    return (this._flags & STATE_BITS) === FutureState.Failed && this._loop._isUnretrieved(this);
  }

  /** @internal The error has been seen: don't report it as never retrieved. */
  _markRetrieved(): void {
    if ((this._flags & STATE_BITS) === FutureState.Failed) this._loop._noteRetrieved(this);
  }

  /** @internal */
  _finish(state: FutureState, value: unknown): void {
    this._flags = (this._flags & ~STATE_BITS) | state;
    this._value = value;
    const cbs = this._callbacks;
    if (cbs === null) return;
    this._callbacks = null;
    if (Array.isArray(cbs)) for (const cb of cbs) this._schedule(cb);
    else this._schedule(cbs);
  }

  private _schedule(waiter: Waiter): void {
    this._loop._enqueue(waiter);
  }
}

/** @internal Validates an options argument `{ context? }`. */
export function checkCallOptions(where: string, options: unknown): CallOptions {
  if (options === null || typeof options !== "object") {
    throw new TypeError(`${where}: options must be an object like { context: copyContext() }, got ${describeValue(options)}`);
  }
  return options as CallOptions;
}
brand(Future.prototype, "Future");
