import { Effect } from "../effect.js";
import type { EventLoop } from "../loop.js";
import type { Future } from "../future.js";
import type { Task } from "../task.js";
import type { Coroutine } from "../types.js";

/**
 * The effect a primitive's blocking method returns (`lock.acquire()`, `queue.get()`, …).
 * asyncio implements these as coroutines, so this effect is one: yielded in a task it runs
 * inline on the task's own stack (`await lock.acquire()`), and `ensureFuture`/`gather`
 * run it as a task of its own, costing the same ticks as in CPython.
 *
 * Inspectable: `{ kind: "lock.acquire", target: lock, args: [] }`. Each time it is performed
 * a fresh coroutine is made, so one effect can be yielded any number of times.
 */
export class CoroutineEffect<T> extends Effect<T> {
  /** @internal Makes the coroutine that does the work. */
  declare readonly _body: () => Coroutine<T>;

  constructor(
    readonly kind: string,
    readonly target: object,
    readonly args: readonly unknown[],
    body: () => Coroutine<T>,
  ) {
    super();
    Object.defineProperty(this, "_body", { value: body, enumerable: false });
    Object.freeze(this);
  }

  /** @internal */
  _start(loop: EventLoop): Future<T> {
    return loop.createTask(this._body());
  }

  /** @internal */
  override _perform(task: Task<unknown>): unknown {
    task._pushCoroutine(this._body());
    return undefined;
  }
}
