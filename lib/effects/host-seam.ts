import type { Effect } from "../effect.js";
import type { CallbackSetup, HostCallbackFuture } from "./callback.js";

/**
 * Where a loop meets the outside world, for layers that record and replay it (genloop/durable).
 * Installed with `loop.setHostSeam(seam)`; a loop without one pays a null check per host effect
 * and per iteration, nothing more.
 *
 * Every host effect (`callback`, `fromPromise`, a user-defined effect) starts by running a setup
 * function that calls the host and later `resolve`/`reject`: the seam sees each one first and
 * returns the setup to run instead — the original wrapped (to record its outcome), or one that
 * settles with a recorded outcome without calling the host at all (replay). Which task started
 * the effect is `currentTask()` at that moment (null when started from a plain callback).
 *
 * The seam's methods must not throw: an error thrown by `hostEffect` rejects that effect (the
 * waiting task sees it), one thrown by `iterationStarting` escapes from the loop's `step`/`run`.
 */
export interface HostSeam {
  /**
   * A host effect is starting on `future`: returns the setup to run in place of `setup` (which it
   * may call, wrap, or not call at all). Called synchronously, before the host is called.
   */
  hostEffect<T>(effect: Effect<T>, setup: CallbackSetup<T>, future: HostCallbackFuture<T>): CallbackSetup<T>;
  /**
   * An iteration of the loop is starting: after any wait for a timer, once the loop has read the
   * time `now`, before it moves the due timers to the ready queue. Whatever the seam resolves here
   * wakes its tasks ahead of those timers, as a host callback arriving between iterations does.
   */
  iterationStarting(now: number): void;
}
