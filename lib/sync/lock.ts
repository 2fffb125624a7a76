import type { Effect } from "../effect.js";
import { CancelledError, RuntimeError } from "../errors.js";
import { Future } from "../future.js";
import type { Coroutine } from "../types.js";
import { CoroutineEffect } from "./coroutine-effect.js";
import { LoopBound } from "./loop-bound.js";
import { scoped } from "./scoped.js";
import { WaiterList, isLive, waitInLine } from "./waiter-list.js";

/**
 * asyncio.Lock: a mutual-exclusion lock, not owned by any task. FIFO-fair: `acquire()`
 * takes the fast path only when the lock is free and no live waiter is queued, so a
 * releaser cannot barge past a waiter.
 *
 * Invariant: when the lock is free and a live waiter exists, the head waiter's future is
 * done (it is about to take the lock) — `release()` and a cancelled waiter both ensure it.
 *
 * @example
 * ```ts
 * import { run, sleep, gather, Lock, type Coroutine } from "genloop";
 *
 * function* main(): Coroutine<void> {
 *   const lock = new Lock();
 *   function* critical(name: string): Coroutine<void> {
 *     yield* lock.with(function* () {   // released on return, error or cancellation
 *       console.log(`${name} in`);
 *       yield* sleep(10);
 *       console.log(`${name} out`);
 *     });
 *   }
 *   yield* gather(critical("a"), critical("b"));  // a in, a out, b in, b out
 * }
 * run(main());
 * ```
 */
export class Lock extends LoopBound {
  /** @internal */ _waiters: WaiterList<Future<true>> | null = null;
  /** @internal */ _locked = false;

  // An explicit constructor: the implicit one compiles to ES5 as a spread of `arguments`,
  // which Rhino cannot run.
  constructor() {
    super();
  }

  /** True while the lock is held. */
  locked(): boolean {
    return this._locked;
  }

  /** Waits until the lock is free, takes it, and returns true: `yield* lock.acquire()`. */
  acquire(): Effect<true> {
    return new LockAcquire("lock.acquire", this, []);
  }

  /** Frees the lock and lets the first waiter take it. `RuntimeError` if the lock is not held. */
  release(): void {
    if (!this._locked) {
      throw new RuntimeError("Lock is not acquired: release() was called on a lock that is not held");
    }
    this._locked = false;
    this._wakeUpFirst();
  }

  /** Like asyncio's context manager on a lock: runs `body` holding the lock and releases it on every exit path. */
  with<R>(body: () => Coroutine<R>): Effect<R> {
    return scoped("lock.with", this, body);
  }

  override toString(): string {
    let extra = this._locked ? "locked" : "unlocked";
    const n = this._waiters?.length ?? 0;
    if (n > 0) extra += `, waiters:${n}`;
    return `<Lock [${extra}]>`;
  }

  /** @internal asyncio's `Lock.acquire` coroutine. */
  *_acquire(): Coroutine<true> {
    if (!this._locked && (this._waiters === null || this._waiters.findFirst(isLive) === undefined)) {
      this._locked = true;
      return true;
    }
    const waiters = (this._waiters ??= new WaiterList());
    const fut = new Future<true>(this._getLoop());
    try {
      yield* waitInLine(waiters, fut);
    } catch (error) {
      // Keep the invariant: if nobody holds (or is about to take) the lock, wake the head.
      if (error instanceof CancelledError && !this._locked) this._wakeUpFirst();
      throw error;
    }
    this._locked = true;
    return true;
  }

  /** Ensures the first waiter wakes up (a done head is already about to). */
  private _wakeUpFirst(): void {
    const first = this._waiters?.head;
    if (first && !first.value.done()) first.value._resolve(true);
  }
}

class LockAcquire extends CoroutineEffect<true, Lock> {
  _body(): Coroutine<true> {
    return this.target._acquire();
  }
}
