import { isGenerator, describeValue } from "../describe.js";
import type { Effect } from "../effect.js";
import type { Coroutine } from "../types.js";
import { CoroutineEffect } from "./coroutine-effect.js";

/** What `with` needs from a primitive: an inline acquire coroutine and a release. */
export interface Acquirable {
  /** @internal */ _acquire(): Coroutine<true>;
  release(): void;
}

/**
 * `async with primitive:` — acquires, runs `body()` (on the task's own stack), and releases
 * on every exit path: return, error or cancellation. The effect's result is the body's.
 */
export function scoped<R>(kind: string, owner: Acquirable, body: () => Coroutine<R>): Effect<R> {
  if (typeof body !== "function") {
    throw new TypeError(
      `${kind}: expected a generator function, e.g. with(function* () { … }), got ${describeValue(body)}`,
    );
  }
  return new CoroutineEffect(kind, owner, [body], function* (): Coroutine<R> {
    yield* owner._acquire();
    try {
      const coro = body();
      if (!isGenerator(coro)) {
        throw new TypeError(`${kind}: the body must be a function* (it returned ${describeValue(coro)})`);
      }
      return (yield coro) as R;
    } finally {
      owner.release();
    }
  });
}
