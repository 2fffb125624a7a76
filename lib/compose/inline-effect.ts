import { Effect } from "../effect.js";
import { labelOperation } from "../graph/coroutine-frames.js";
import type { Future } from "../future.js";
import type { EventLoop } from "../loop.js";
import type { Task } from "../task.js";
import type { Coroutine } from "../types.js";

/**
 * An effect that asyncio implements as a coroutine (`wait_for`, `wait`, `timeout`, `TaskGroup`):
 * yielded by a task it runs inline on that task's stack, like `await wait_for(...)`; given to
 * `gather`/`ensureFuture` it becomes a task of its own. Either way the tick counts are CPython's.
 */
export abstract class InlineEffect<T> extends Effect<T> {
  /** @internal A fresh coroutine performing the effect inside the task that runs it. */
  abstract _coroutine(): Coroutine<T>;

  /** @internal */
  _start(loop: EventLoop): Future<T> {
    return loop.createTask(labelOperation(this._coroutine(), this));
  }

  /** @internal */
  override _perform(task: Task<unknown>): unknown {
    task._pushCoroutine(labelOperation(this._coroutine(), this));
    return undefined;
  }
}
