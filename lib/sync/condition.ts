import { describeValue } from "../describe.js";
import type { Effect } from "../effect.js";
import { CancelledError, RuntimeError } from "../errors.js";
import { Future } from "../future.js";
import type { Coroutine } from "../types.js";
import { CoroutineEffect } from "./coroutine-effect.js";
import { Lock } from "./lock.js";
import { LoopBound } from "./loop-bound.js";
import { scoped } from "./scoped.js";
import { WaiterList, waitInLine } from "./waiter-list.js";

/**
 * asyncio.Condition (3.13): tasks wait, releasing the underlying lock, until notified;
 * a woken waiter re-acquires the lock before `wait()` returns — even when cancelled, in
 * which case it re-raises the original `CancelledError` and passes its notification on
 * to another waiter, so no wake-up is lost.
 */
export class Condition extends LoopBound {
  /** @internal */ readonly _lock: Lock;
  /** @internal */ _waiters = new WaiterList<Future<boolean>>();

  /** A condition on `lock` (several conditions may share one), or on a new `Lock`. */
  constructor(lock?: Lock) {
    super();
    if (lock === undefined || lock === null) lock = new Lock();
    else if (!(lock instanceof Lock)) {
      throw new TypeError(`Condition: the lock must be a Lock, got ${describeValue(lock)}`);
    }
    this._lock = lock;
  }

  /** True while the underlying lock is held. */
  locked(): boolean {
    return this._lock.locked();
  }

  /** Acquires the underlying lock: `yield* cond.acquire()`. */
  acquire(): Effect<true> {
    return this._lock.acquire();
  }

  /** Releases the underlying lock (`RuntimeError` if it is not held). */
  release(): void {
    this._lock.release();
  }

  /** Like asyncio's context manager on a condition: runs `body` holding the lock and releases it on every exit path. */
  with<R>(body: () => Coroutine<R>): Effect<R> {
    return scoped("condition.with", this, body);
  }

  /**
   * Releases the lock, waits to be notified, re-acquires the lock and returns true:
   * `yield* cond.wait()`. The caller must hold the lock (`RuntimeError` otherwise).
   * Wake-ups may be spurious: re-check your predicate, or use `waitFor`.
   */
  wait(): Effect<true> {
    return new ConditionWait("condition.wait", this, []);
  }

  /**
   * Waits (as `wait()` does, repeatedly) until `predicate()` is truthy and returns its value:
   * `yield* cond.waitFor(() => items.length > 0)`. The caller must hold the lock.
   */
  waitFor<R>(predicate: () => R): Effect<R> {
    if (typeof predicate !== "function") {
      throw new TypeError(`Condition.waitFor: the predicate must be a function, got ${describeValue(predicate)}`);
    }
    return new ConditionWaitFor<R>("condition.waitFor", this, [predicate]);
  }

  /** Wakes up to `n` waiters (default 1). The caller must hold the lock (`RuntimeError` otherwise). */
  notify(n = 1): void {
    if (typeof n !== "number" || n !== n) {
      throw new TypeError(`Condition.notify: n must be a number, got ${describeValue(n)}`);
    }
    if (!this.locked()) throw new RuntimeError("cannot notify on un-acquired lock: acquire the condition first");
    this._notify(n);
  }

  /** Wakes every waiter. The caller must hold the lock (`RuntimeError` otherwise). */
  notifyAll(): void {
    this.notify(this._waiters.length);
  }

  override toString(): string {
    let extra = this.locked() ? "locked" : "unlocked";
    if (this._waiters.length > 0) extra += `, waiters:${this._waiters.length}`;
    return `<Condition [${extra}]>`;
  }

  /** @internal The lock's acquire coroutine, for `with`. */
  _acquire(): Coroutine<true> {
    return this._lock._acquire();
  }

  /** @internal asyncio's `Condition.wait` coroutine. */
  *_wait(): Coroutine<true> {
    if (!this.locked()) throw new RuntimeError("cannot wait on un-acquired lock: acquire the condition first");
    const fut = new Future<boolean>(this._getLoop());
    this.release();
    try {
      try {
        yield* waitInLine(this._waiters, fut);
        return true;
      } finally {
        // Re-acquire the lock even if cancelled; only CancelledError is retried, and the
        // most recent one is re-raised unchanged (3.13).
        let cancelled: CancelledError | undefined;
        for (;;) {
          try {
            yield* this._lock._acquire();
            break;
          } catch (error) {
            if (!(error instanceof CancelledError)) throw error;
            cancelled = error;
          }
        }
        if (cancelled !== undefined) throw cancelled;
      }
    } catch (error) {
      // We may have been notified before failing: pass the notification on (3.13; a
      // spurious wake-up is allowed by the protocol, a lost one is not).
      this._notify(1);
      throw error;
    }
  }

  /** @internal asyncio's `Condition.wait_for` coroutine. */
  *_waitFor<R>(predicate: () => R): Coroutine<R> {
    let result = predicate();
    while (!result) {
      yield* this._wait();
      result = predicate();
    }
    return result;
  }

  /** @internal Wakes up to `n` waiters not already woken. */
  _notify(n: number): void {
    let woken = 0;
    for (let node = this._waiters.head; node !== null && woken < n; node = node.next) {
      if (!node.value.done()) {
        woken++;
        node.value._resolve(false);
      }
    }
  }
}

class ConditionWait extends CoroutineEffect<true, Condition> {
  _body(): Coroutine<true> {
    return this.target._wait();
  }
}

class ConditionWaitFor<R> extends CoroutineEffect<R, Condition> {
  _body(): Coroutine<R> {
    return this.target._waitFor(this.args[0] as () => R);
  }
}
