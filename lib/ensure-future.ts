import { secondCopyHint } from "./brand.js";
import { describeValue, isGenerator, isGeneratorFunction, isThenable } from "./describe.js";
import { Effect } from "./effect.js";
import { Future } from "./future.js";
import type { EventLoop } from "./loop.js";
import { checkLoop, getRunningLoop } from "./running.js";
import type { Awaitable } from "./types.js";

/**
 * A future for `awaitable`: a Future or Task is returned as it is; a coroutine becomes a
 * Task; an effect is started at once and the future of its result is returned (for
 * `gather`, the gathering future itself). Uses the running loop unless `loop` is given.
 *
 * @throws TypeError if `awaitable` is not a coroutine, future or effect.
 * @throws RangeError if it is a future of another loop than `loop` (asyncio's ValueError).
 * @throws RuntimeError for a coroutine that was already started (asyncio's "cannot reuse
 *   already awaited coroutine"), or with no `loop` and no running loop.
 */
export function ensureFuture<T>(awaitable: Awaitable<T>, loop?: EventLoop): Future<T> {
  if (loop !== undefined) checkLoop("ensureFuture", loop);
  if (awaitable instanceof Future) {
    if (loop !== undefined && awaitable._loop !== loop) throw otherLoop("ensureFuture", awaitable);
    return awaitable;
  }
  if (awaitable instanceof Effect) return awaitable._start(loop ?? getRunningLoop());
  if (isGenerator(awaitable)) return (loop ?? getRunningLoop()).createTask(awaitable);
  throw new TypeError(
    `ensureFuture: a Future, a coroutine or an Effect is required, got ${describeValue(awaitable)}${notAwaitableHint(awaitable)}`,
  );
}

/** True for what a coroutine may wait for. */
export function isAwaitable(value: unknown): value is Awaitable<unknown> {
  return value instanceof Future || value instanceof Effect || isGenerator(value);
}

/**
 * For an error message about `value`, which is not an awaitable: what the user probably meant
 * (in parentheses, with a leading space), or "".
 */
export function notAwaitableHint(value: unknown): string {
  const copy = secondCopyHint(value);
  if (copy !== "") return copy;
  if (isThenable(value)) {
    return " (a promise is not an awaitable: wait on it with yield* fromPromise(p) from 'genloop/promise', on a loop driven by the host)";
  }
  if (isGeneratorFunction(value)) return " (you passed the generator function itself: call it, e.g. main() rather than main)";
  if (Array.isArray(value)) return " (to wait for several awaitables, spread them: gather(...items))";
  return "";
}

/** asyncio's ValueError for a future of another loop, as a RangeError. */
export function otherLoop(where: string, future: Future<unknown>): RangeError {
  return new RangeError(
    `${where}: ${future} belongs to another event loop; a future can only be awaited on its own loop ` +
      "(create it with loop.createFuture() on the loop that waits for it)",
  );
}
