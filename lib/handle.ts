import { copyContext, enterContext, type Context } from "./context/context.js";
import { describeValue } from "./describe.js";
import type { Runnable } from "./ready-queue.js";

export type Callback = (...args: any[]) => unknown;

/** A callback scheduled with `callSoon`; `cancel()` keeps it from running. */
export class Handle implements Runnable {
  /** @internal */ _callback: Callback | null;
  /** @internal */ _args: readonly unknown[];
  /** @internal */ _cancelled = false;
  /** @internal The context the callback runs in. */ readonly _context: Context;

  /**
   * Handles are made by `loop.callSoon`; made directly, they are checked the same way.
   * @throws TypeError if `callback` is not a function or `args` not an array.
   */
  constructor(callback: Callback, args: readonly unknown[], context: Context = copyContext()) {
    if (typeof callback !== "function" || !Array.isArray(args)) throw handleArgs("Handle", callback, args);
    this._callback = callback;
    this._args = args;
    this._context = context;
  }

  /** Keeps the callback from running (it is dropped when its turn comes). Does nothing if it already ran. */
  cancel(): void {
    if (!this._cancelled) {
      this._cancelled = true;
      // Drop the references so a cancelled handle keeps nothing alive.
      this._callback = null;
      this._args = [];
    }
  }

  /** @returns whether `cancel()` was called. */
  cancelled(): boolean {
    return this._cancelled;
  }

  /** @internal */
  _run(): void {
    const cb = this._callback;
    if (cb !== null) enterContext(this._context, cb, this._args);
  }

  toString(): string {
    const name = this._callback ? this._callback.name || "anonymous" : "";
    return `<${this.constructor.name} ${this._cancelled ? "cancelled" : name}>`;
  }
}

/** Told by a timer handle that it was cancelled while scheduled (the loop takes it out of its timer heap). */
export interface TimerOwner {
  /** @internal */
  _timerCancelled(handle: TimerHandle): void;
}

/** A callback scheduled for a loop time with `callLater` / `callAt`. */
export class TimerHandle extends Handle {
  /** @internal */ _when: number;
  /** @internal Its index in its loop's TimerHeap while scheduled there; -1 otherwise. */
  _waiter = -1;
  /** @internal */ _owner: TimerOwner;

  /**
   * Timer handles are made by `loop.callLater` / `loop.callAt`; made directly, they are checked the same way.
   * @throws TypeError for a `when` that is not a number, or an owner without `_timerCancelled` (use an EventLoop); RangeError for NaN.
   */
  constructor(when: number, callback: Callback, args: readonly unknown[], owner: TimerOwner, context: Context = copyContext()) {
    super(callback, args, context);
    if (typeof when !== "number" || when !== when) {
      const error = typeof when === "number" ? RangeError : TypeError;
      throw new error(`TimerHandle: the time must be a number of milliseconds, got ${describeValue(when)}`);
    }
    if (owner === null || typeof owner !== "object" || typeof owner._timerCancelled !== "function") {
      throw new TypeError(`TimerHandle: the owner must be the EventLoop that schedules it, got ${describeValue(owner)}; use loop.callAt()`);
    }
    this._when = when;
    this._owner = owner;
  }

  /** The loop time at which the callback is due. */
  when(): number {
    return this._when;
  }

  override cancel(): void {
    if (!this._cancelled && this._waiter >= 0) this._owner._timerCancelled(this);
    super.cancel();
  }

  /** @internal Taken out of the timer heap, due (or the loop is closing): no longer scheduled. */
  _timerDue(): void {
    this._waiter = -1;
  }
}

function handleArgs(where: string, callback: unknown, args: unknown): TypeError {
  return typeof callback !== "function"
    ? new TypeError(`${where}: the callback must be a function, got ${describeValue(callback)}; use loop.callSoon(callback, ...args)`)
    : new TypeError(`${where}: the arguments must be an array, got ${describeValue(args)}; use loop.callSoon(callback, ...args)`);
}
