import { isGenerator } from "../describe.js";
import { Effect } from "../effect.js";
import type { EventLoop } from "../loop.js";
import type { Future } from "../future.js";
import { coroutineExpected, type Task } from "../task.js";
import type { Coroutine } from "../types.js";

/** The descriptor `call(coro)` returns. */
export class CallEffect<T> extends Effect<T> {
  /** Always `"call"`. */
  readonly kind = "call";
  /**
   * Prefer `call(coro)`; the constructor validates the same way.
   * @throws TypeError if `coro` is not a coroutine.
   */
  constructor(/** The coroutine run inline on the task's own stack. */ readonly coro: Coroutine<T>) {
    super();
    if (!isGenerator(coro)) throw coroutineExpected("call", coro);
    Object.freeze(this);
  }

  /** @internal Outside a task, the coroutine runs as a task of its own. */
  _start(loop: EventLoop): Future<T> {
    return loop.createTask(this.coro);
  }

  /** @internal Inside a task, the coroutine runs inline on the task's own stack. */
  override _perform(task: Task<unknown>): unknown {
    task._pushCoroutine(this.coro);
    return undefined;
  }
}

/**
 * Awaits a coroutine inline, like `await child()` in asyncio: `const x = yield* call(child())`.
 * It is typed like `yield* child()` but runs on the task's own stack instead of the engine's,
 * so chains of any depth never overflow, and it costs one frame however deep the chain is.
 * @example
 * ```ts
 * import { call, run, type Coroutine } from "genloop";
 *
 * function* depth(n: number): Coroutine<number> {
 *   return n === 0 ? 0 : 1 + (yield* call(depth(n - 1)));
 * }
 * console.log(run(depth(100_000))); // 100000 (with `yield* depth(n - 1)`, a RangeError: the engine's stack overflows)
 * ```
 */
export function call<T>(coro: Coroutine<T>): CallEffect<T> {
  return new CallEffect(coro);
}
