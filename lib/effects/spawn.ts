import { describeValue, isGenerator, isOptionsBag } from "../describe.js";
import { Effect } from "../effect.js";
import type { EventLoop } from "../loop.js";
import type { Future } from "../future.js";
import { Task, coroutineExpected } from "../task.js";
import type { Coroutine } from "../types.js";

/** The descriptor `spawn(coro, { name })` returns. */
export class SpawnEffect<T> extends Effect<Task<T>> {
  /** Always `"spawn"`. */
  readonly kind = "spawn";
  /** The new task's name, if one was given. */
  readonly name: string | undefined;
  /**
   * Prefer `spawn(coro, { name })`; the constructor validates the same way.
   * @throws TypeError if `coro` is not a coroutine or `name` is neither a string nor undefined.
   */
  constructor(
    /** The coroutine the new task runs. */
    readonly coro: Coroutine<T>,
    name?: string,
  ) {
    super();
    if (!isGenerator(coro)) throw coroutineExpected("spawn", coro);
    if (name !== undefined && typeof name !== "string") {
      throw new TypeError(`SpawnEffect: the name must be a string or undefined, got ${describeValue(name)}`);
    }
    this.name = name;
    Object.freeze(this);
  }

  /** @internal A future that already holds the new task. */
  _start(loop: EventLoop): Future<Task<T>> {
    const future = loop.createFuture<Task<T>>();
    future.setResult(this._create(loop));
    return future;
  }

  /** @internal Creating a task never waits: the coroutine goes on with the task at once. */
  override _perform(task: Task<unknown>): unknown {
    return this._create(task._loop);
  }

  private _create(loop: EventLoop): Task<T> {
    return loop.createTask(this.coro, this.name === undefined ? undefined : { name: this.name });
  }
}

/**
 * Schedules `coro` as a new task (the effect form of `createTask`); `yield*` returns the Task.
 *
 * @example
 * ```ts
 * import { run, sleep, spawn, type Coroutine } from "genloop";
 *
 * function* main(): Coroutine<number> {
 *   const task = yield* spawn((function* () { yield* sleep(10); return 42; })());
 *   return yield* task;
 * }
 * run(main());  // 42
 * ```
 */
export function spawn<T>(coro: Coroutine<T>, options?: { name?: string }): SpawnEffect<T> {
  if (options !== undefined && !isOptionsBag(options)) {
    throw new TypeError("spawn: options must be an object like { name: 'worker' }");
  }
  return new SpawnEffect(coro, options?.name === undefined ? undefined : String(options.name));
}
