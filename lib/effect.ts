import { brand } from "./brand.js";
import type { EventLoop } from "./loop.js";
import type { Future } from "./future.js";
import type { Task } from "./task.js";
import type { Coroutine } from "./types.js";
import { NOTE_YIELDS, yieldNotes } from "./note-yields.js";
import { realm } from "./running.js";
import { YieldOnce } from "./yield-once.js";

/**
 * Returned by `Effect._perform` when the task must wait: the effect has arranged for the
 * task to be resumed later. A plain object rather than a Symbol, for engines without Symbol.
 */
export const SUSPENDED: object = Object.freeze({ suspended: true });

/**
 * An inert, immutable description of an operation (`sleep`, `spawn`, `gather`, …). Creating
 * one does nothing; a task performs it when the coroutine yields it. `yield* effect` is
 * typed: it returns the effect's result `T`.
 */
export abstract class Effect<T = unknown> {
  /** What the effect does, as a string (`"sleep"`, `"gather"`, `"queue.get"`, a user-defined kind…): inspectable in tests. */
  abstract readonly kind: string;

  /** What makes `yield* effect` work: yields the effect once to the running task and returns its result, typed `T`. */
  [Symbol.iterator](): Generator<Effect<T>, T, any> {
    const task = realm.currentTask;
    // The call graph learns the coroutine's name here, in its own frame (see yieldNotes).
    if (task !== null && (task._flags & NOTE_YIELDS) !== 0) (yieldNotes.note as (task: Task<unknown>) => void)(task);
    return new YieldOnce<Effect<T>, T>(this);
  }

  /**
   * @internal Starts the effect on `loop` now and returns a future of its result: what
   * `ensureFuture(effect)` returns and what a task waits on when it yields the effect.
   */
  abstract _start(loop: EventLoop): Future<T>;

  /**
   * @internal Performs the effect inside `task`: returns the result at once, or SUSPENDED
   * after arranging for the task to be resumed. Effects with a faster path override this.
   */
  _perform(task: Task<unknown>): unknown {
    return task._awaitFuture(this._start(task._loop));
  }
}

brand(Effect.prototype, "Effect");

/** A coroutine that just performs `effect`: how effects run as tasks, as asyncio wraps `sleep()`. */
export function* performInline<T>(effect: Effect<T>): Coroutine<T> {
  return (yield effect) as T;
}
