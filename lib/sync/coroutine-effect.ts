import { Effect } from "../effect.js";
import { labelOperation } from "../graph/coroutine-frames.js";
import type { EventLoop } from "../loop.js";
import type { Future } from "../future.js";
import type { Task } from "../task.js";
import type { Coroutine } from "../types.js";

/**
 * The effects a primitive's blocking methods return (`lock.acquire()`, `queue.get()`, …).
 * asyncio implements these as coroutines, so these effects are: yielded in a task one runs
 * inline on the task's own stack (`await lock.acquire()`), and `ensureFuture`/`gather`
 * run it as a task of its own, costing the same ticks as in CPython.
 *
 * Inspectable: `{ kind: "lock.acquire", target: lock, args: [] }`. Each perform makes a fresh
 * coroutine (`_body`), so one effect can be yielded any number of times. Each operation is a
 * small subclass that only says which coroutine it runs (a method, so no per-call closure).
 */
export abstract class CoroutineEffect<T, P extends object = object> extends Effect<T> {
  constructor(
    /** The operation, e.g. `"lock.acquire"`, `"queue.get"`. */
    readonly kind: string,
    /** The primitive it operates on. */
    readonly target: P,
    /** The operation's arguments. */
    readonly args: readonly unknown[],
  ) {
    super();
    Object.freeze(this);
  }

  /** @internal How a task waiting in this operation is described: `<Event [unset]>.wait()`. */
  _describeWait(): string {
    return `${String(this.target)}.${this.kind.slice(this.kind.indexOf(".") + 1)}()`;
  }

  /** @internal The coroutine that does the work. */
  abstract _body(): Coroutine<T>;

  /** @internal */
  _start(loop: EventLoop): Future<T> {
    return loop.createTask(labelOperation(this._body(), this));
  }

  /** @internal */
  override _perform(task: Task<unknown>): unknown {
    task._pushCoroutine(labelOperation(this._body(), this));
    return undefined;
  }
}
