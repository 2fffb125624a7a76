import { describeValue } from "../describe.js";
import type { Effect } from "../effect.js";
import type { Coroutine } from "../types.js";
import { CoroutineEffect } from "./coroutine-effect.js";

/** What `with` needs from a primitive: an inline acquire coroutine and a release. */
export interface Acquirable {
  /** @internal */ _acquire(): Coroutine<true>;
  release(): void;
}

/**
 * `async with primitive:` — acquires, runs `body()`, and releases on every exit path:
 * return, error or cancellation. The effect's result is the body's.
 */
export function scoped<R>(kind: string, owner: Acquirable, body: () => Coroutine<R>): Effect<R> {
  if (typeof body !== "function") {
    throw new TypeError(
      `${kind}: expected a generator function, e.g. with(function* () { … }), got ${describeValue(body)}`,
    );
  }
  return new Scoped<R>(kind, owner, [body]);
}

function* runScoped<R>(kind: string, owner: Acquirable, body: () => Coroutine<R>): Coroutine<R> {
  yield* owner._acquire();
  try {
    const coro = body();
    if (coro === null || typeof coro !== "object" || typeof coro.next !== "function") {
      throw new TypeError(`${kind}: the body must be a function* (it returned ${describeValue(coro)})`);
    }
    // Delegated rather than pushed on the task's stack: one level deep, and cheaper.
    return yield* coro;
  } finally {
    owner.release();
  }
}

class Scoped<R> extends CoroutineEffect<R, Acquirable> {
  _body(): Coroutine<R> {
    return runScoped(this.kind, this.target, this.args[0] as () => Coroutine<R>);
  }
}
