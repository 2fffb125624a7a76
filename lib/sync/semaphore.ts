import { describeValue } from "../describe.js";
import type { Effect } from "../effect.js";
import { CancelledError } from "../errors.js";
import { Future } from "../future.js";
import type { Coroutine } from "../types.js";
import { CoroutineEffect } from "./coroutine-effect.js";
import { LoopBound } from "./loop-bound.js";
import { scoped } from "./scoped.js";
import { WaiterList, isLive, waitInLine } from "./waiter-list.js";
import { isWholeNumber } from "./whole-number.js";

/**
 * asyncio.Semaphore (3.13): a counter decremented by `acquire()` and incremented by
 * `release()`; `acquire()` waits while it is 0. Strictly FIFO: a task cannot take a unit
 * while a live waiter is queued, a woken waiter that is cancelled gives its unit back, and
 * each successful acquire wakes as many further waiters as the value allows.
 *
 * Invariant: `_value` counts units not yet handed out; a woken waiter's unit has already
 * been taken from it by `_wakeUpNext`.
 *
 * @example
 * ```ts
 * import { run, sleep, gather, Semaphore, type Coroutine } from "genloop";
 *
 * function* main(): Coroutine<void> {
 *   const slots = new Semaphore(2);   // at most two at once
 *   function* job(i: number): Coroutine<void> {
 *     yield* slots.with(function* () { yield* sleep(10); console.log(`job ${i} done`); });
 *   }
 *   yield* gather(job(1), job(2), job(3));
 * }
 * run(main());
 * ```
 */
export class Semaphore extends LoopBound {
  /** @internal */ _waiters: WaiterList<Future<true>> | null = null;
  /** @internal */ _value: number;

  /** A semaphore with `value` units (default 1): a non-negative integer, else `RangeError`. */
  constructor(value = 1) {
    super();
    checkValue(new.target.name, value);
    this._value = value;
  }

  /** True when `acquire()` would wait: no unit is free, or a live waiter is queued (FIFO). */
  locked(): boolean {
    return this._value === 0 || (this._waiters !== null && this._waiters.findFirst(isLive) !== undefined);
  }

  /** Waits for a unit, takes it and returns true: `yield* sem.acquire()`. */
  acquire(): Effect<true> {
    return new SemaphoreAcquire("semaphore.acquire", this, []);
  }

  /** Gives a unit back, waking the first waiter if any. */
  release(): void {
    this._value++;
    this._wakeUpNext();
  }

  /** Like asyncio's context manager on a semaphore: runs `body` holding a unit and releases it on every exit path. */
  with<R>(body: () => Coroutine<R>): Effect<R> {
    return scoped("semaphore.with", this, body);
  }

  override toString(): string {
    let extra = this.locked() ? "locked" : `unlocked, value:${this._value}`;
    const n = this._waiters?.length ?? 0;
    if (n > 0) extra += `, waiters:${n}`;
    return `<${this.constructor.name} [${extra}]>`;
  }

  /** @internal asyncio's `Semaphore.acquire` coroutine. */
  *_acquire(): Coroutine<true> {
    if (!this.locked()) {
      this._value--;
      return true;
    }
    const waiters = (this._waiters ??= new WaiterList());
    const fut = new Future<true>(this._getLoop());
    try {
      yield* waitInLine(waiters, fut);
    } catch (error) {
      // Woken (our unit was taken for us) but cancelled before running: give it back.
      if (error instanceof CancelledError && fut.done() && !fut.cancelled()) this._value++;
      throw error;
    } finally {
      // New waiters may have queued behind us for FIFO's sake: wake as many as allowed.
      while (this._value > 0) {
        if (!this._wakeUpNext()) break;
      }
    }
    return true;
  }

  /** Wakes the first waiter not already woken, taking a unit for it; false if there is none. */
  private _wakeUpNext(): boolean {
    const waiters = this._waiters;
    if (waiters === null) return false;
    for (let node = waiters.head; node !== null; node = node.next) {
      if (!node.value.done()) {
        this._value--;
        node.value._resolve(true);
        return true;
      }
    }
    return false;
  }
}

/** Throws unless `value` is a valid initial value for a semaphore. */
export function checkValue(who: string, value: unknown): asserts value is number {
  if (typeof value !== "number") {
    throw new TypeError(`${who}: the initial value must be a number, got ${describeValue(value)}`);
  }
  if (!isWholeNumber(value) || value < 0) {
    throw new RangeError(`${who} initial value must be >= 0 (a whole number), got ${value}`);
  }
}

class SemaphoreAcquire extends CoroutineEffect<true, Semaphore> {
  _body(): Coroutine<true> {
    return this.target._acquire();
  }
}
