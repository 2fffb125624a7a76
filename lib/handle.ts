import { enterContext, type Context } from "./context/context.js";
import type { Runnable } from "./ready-queue.js";
import type { TimerEntry } from "./timer-heap.js";

export type Callback = (...args: any[]) => unknown;

/** A callback scheduled with `callSoon`; `cancel()` keeps it from running. */
export class Handle implements Runnable {
  /** @internal */ _callback: Callback | null;
  /** @internal */ _args: readonly unknown[];
  /** @internal */ _cancelled = false;
  /** @internal The context the callback runs in. */ readonly _context: Context;

  constructor(callback: Callback, args: readonly unknown[], context: Context) {
    this._callback = callback;
    this._args = args;
    this._context = context;
  }

  cancel(): void {
    if (!this._cancelled) {
      this._cancelled = true;
      // Drop the references so a cancelled handle keeps nothing alive.
      this._callback = null;
      this._args = [];
    }
  }

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

/** Told by a timer handle that it was cancelled while scheduled (the loop counts them). */
export interface TimerOwner {
  _timerCancelled(): void;
}

/** A callback scheduled for a loop time with `callLater` / `callAt`. */
export class TimerHandle extends Handle implements TimerEntry {
  /** @internal */ _when: number;
  /** @internal */ _seq = 0;
  /** @internal */ _scheduled = false;
  /** @internal */ _owner: TimerOwner;

  constructor(when: number, callback: Callback, args: readonly unknown[], context: Context, owner: TimerOwner) {
    super(callback, args, context);
    this._when = when;
    this._owner = owner;
  }

  /** The loop time at which the callback is due. */
  when(): number {
    return this._when;
  }

  override cancel(): void {
    if (!this._cancelled && this._scheduled) this._owner._timerCancelled();
    super.cancel();
  }
}
