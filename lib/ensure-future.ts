import { describeValue, isGenerator } from "./describe.js";
import { Effect } from "./effect.js";
import { Future } from "./future.js";
import type { EventLoop } from "./loop.js";
import { getRunningLoop } from "./running.js";
import type { Awaitable } from "./types.js";

/**
 * A future for `awaitable`: a Future or Task is returned as it is; a coroutine becomes a
 * Task; an effect is started at once and the future of its result is returned (for
 * `gather`, the gathering future itself). Uses the running loop unless `loop` is given.
 */
export function ensureFuture<T>(awaitable: Awaitable<T>, loop?: EventLoop): Future<T> {
  if (awaitable instanceof Future) return awaitable;
  if (awaitable instanceof Effect) return awaitable._start(loop ?? getRunningLoop());
  if (isGenerator(awaitable)) return (loop ?? getRunningLoop()).createTask(awaitable);
  throw new TypeError(
    `ensureFuture: a Future, a coroutine or an Effect is required, got ${describeValue(awaitable)}`,
  );
}

/** True for what a coroutine may wait for. */
export function isAwaitable(value: unknown): value is Awaitable<unknown> {
  return value instanceof Future || value instanceof Effect || isGenerator(value);
}
