import { describeValue } from "../describe.js";
import { defineEffect } from "../effects/custom.js";
import type { CustomEffect, EffectHandlers } from "../effects/custom.js";

/**
 * A random number in [0, 1), as `Math.random()` gives, but journaled: a replay gets the same
 * number. Use it (never `Math.random()`) in code that runs under a durable run.
 *
 * @example
 * ```ts fragment
 * const roll = Math.floor((yield* random()) * 6) + 1;
 * ```
 */
export const random = defineEffect<{}, number>("durable.random");

/**
 * The wall-clock time in milliseconds since the epoch, as `Date.now()` gives, but journaled: a
 * replay gets the same reading. (`loop.time()` is the loop's own clock, which a durable run
 * journals separately when it is a real clock.)
 */
export const now = defineEffect<{}, number>("durable.now");

/**
 * Temporal-style patching, for changing code while journals recorded by the old code may still
 * be replayed: `if (yield* patched("retry-twice")) { new code } else { old code }`. A run
 * recording afresh takes the new branch and journals a marker; a replay of a journal made
 * before the change finds another effect at that position and takes the old branch, without
 * using up the position. Once no journal from before the change can be replayed, remove the
 * call and the old branch.
 *
 * @param id names the change; unique within the program.
 * @returns an effect whose result says whether to run the new code.
 * @throws TypeError if `id` is not a non-empty string of at most 200 characters.
 * @example
 * ```ts fragment
 * if (yield* patched("charge-before-ship")) {
 *   yield* charge(order);
 *   yield* ship(order);
 * } else {
 *   yield* ship(order);
 *   yield* charge(order);
 * }
 * ```
 */
export function patched(id: string): CustomEffect<{ id: string }, boolean> {
  if (typeof id !== "string" || id === "" || id.length > 200) {
    throw new TypeError(`patched: the id must be a non-empty string of at most 200 characters naming the change, got ${describeValue(id)}`);
  }
  return patchedEffect({ id });
}

/** @internal The kind of `patched` effects, which a durable run handles itself. */
export const patchedEffect = defineEffect<{ id: string }, boolean>("durable.patched");

/** @internal The handlers a durable run installs for its effects (patched is handled by the run itself). */
export const durableHandlers: EffectHandlers = {
  "durable.random": (_effect, ctx) => ctx.resolve(Math.random()),
  "durable.now": (_effect, ctx) => ctx.resolve(Date.now()),
};
