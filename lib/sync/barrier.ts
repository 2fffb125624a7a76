import { describeValue } from "../describe.js";
import type { Effect } from "../effect.js";
import type { Coroutine } from "../types.js";
import { BrokenBarrierError } from "./broken-barrier-error.js";
import { Condition } from "./condition.js";
import { CoroutineEffect } from "./coroutine-effect.js";
import { LoopBound } from "./loop-bound.js";
import { isWholeNumber } from "./whole-number.js";

/** The phases of a barrier, as asyncio's `_BarrierState`. */
export type BarrierState = "filling" | "draining" | "resetting" | "broken";

/**
 * asyncio.Barrier: `parties` tasks call `wait()`; they are all released once the last one
 * arrives, each getting a distinct index 0..parties-1. `reset()` and `abort()` break the
 * current round with `BrokenBarrierError`; after `abort()` the barrier stays broken until reset.
 */
export class Barrier extends LoopBound {
  /** @internal */ readonly _cond = new Condition();
  /** @internal */ readonly _parties: number;
  /** @internal */ _state: BarrierState = "filling";
  /** @internal Tasks inside `wait()`. */ _count = 0;

  constructor(parties: number) {
    super();
    if (typeof parties !== "number") {
      throw new TypeError(`Barrier: parties must be a number, got ${describeValue(parties)}`);
    }
    if (!isWholeNumber(parties) || parties < 1) {
      throw new RangeError(`Barrier: parties must be a whole number > 0, got ${parties}`);
    }
    this._parties = parties;
  }

  /** The number of tasks needed to trip the barrier. */
  get parties(): number {
    return this._parties;
  }

  /** The number of tasks waiting in the current filling round. */
  get nWaiting(): number {
    return this._state === "filling" ? this._count : 0;
  }

  /** True once `abort()` was called (until `reset()`). */
  get broken(): boolean {
    return this._state === "broken";
  }

  /**
   * Waits until `parties` tasks are waiting, then returns this task's index (0 for the
   * first to arrive): `yield* barrier.wait()`. `BrokenBarrierError` if the barrier is
   * reset or aborted meanwhile, or is broken.
   */
  wait(): Effect<number> {
    return new BarrierWait("barrier.wait", this, []);
  }

  /** Back to the initial state; tasks waiting get `BrokenBarrierError`: `yield* barrier.reset()`. */
  reset(): Effect<void> {
    return new BarrierReset("barrier.reset", this, []);
  }

  /** Breaks the barrier: current and later waiters get `BrokenBarrierError`: `yield* barrier.abort()`. */
  abort(): Effect<void> {
    return new BarrierAbort("barrier.abort", this, []);
  }

  override toString(): string {
    let extra: string = this._state;
    if (!this.broken) extra += `, waiters:${this.nWaiting}/${this._parties}`;
    return `<Barrier [${extra}]>`;
  }

  /** @internal asyncio's `Barrier.wait` coroutine. */
  *_wait(): Coroutine<number> {
    const cond = this._cond;
    yield* cond._lock._acquire();
    try {
      yield* this._block();
      const index = this._count++;
      try {
        if (index + 1 === this._parties) {
          this._state = "draining";
          cond.notifyAll();
        } else {
          yield* cond._waitFor(() => this._state !== "filling");
          if (this._state === "broken" || this._state === "resetting") {
            throw new BrokenBarrierError("Abort or reset of barrier");
          }
        }
        return index;
      } finally {
        this._count--;
        this._exit();
      }
    } finally {
      cond.release();
    }
  }

  /** Waits while the barrier drains or resets; throws if it is broken. */
  private *_block(): Coroutine<void> {
    yield* this._cond._waitFor(() => this._state !== "draining" && this._state !== "resetting");
    if (this._state === "broken") throw new BrokenBarrierError("Barrier aborted");
  }

  /** The last task out of a draining or resetting round refills the barrier. */
  private _exit(): void {
    if (this._count === 0) {
      if (this._state === "resetting" || this._state === "draining") this._state = "filling";
      this._cond.notifyAll();
    }
  }

  /** @internal */
  *_reset(): Coroutine<void> {
    const cond = this._cond;
    yield* cond._lock._acquire();
    try {
      this._state = this._count > 0 ? "resetting" : "filling";
      cond.notifyAll();
    } finally {
      cond.release();
    }
  }

  /** @internal */
  *_abort(): Coroutine<void> {
    const cond = this._cond;
    yield* cond._lock._acquire();
    try {
      this._state = "broken";
      cond.notifyAll();
    } finally {
      cond.release();
    }
  }
}

class BarrierWait extends CoroutineEffect<number, Barrier> {
  _body(): Coroutine<number> {
    return this.target._wait();
  }
}

class BarrierReset extends CoroutineEffect<void, Barrier> {
  _body(): Coroutine<void> {
    return this.target._reset();
  }
}

class BarrierAbort extends CoroutineEffect<void, Barrier> {
  _body(): Coroutine<void> {
    return this.target._abort();
  }
}
