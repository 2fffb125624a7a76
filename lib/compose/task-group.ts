import { addEdgeSource, removeEdgeSource } from "../graph/awaited-by.js";
import { describeValue, isGenerator, isOptionsBag } from "../describe.js";
import { isAwaitable } from "../ensure-future.js";
import { CancelledError, RuntimeError } from "../errors.js";
import type { Future } from "../future.js";
import type { EventLoop } from "../loop.js";
import { realm } from "../running.js";
import { Task, coroutineExpected, markCoroutineClosed, type TaskOptions } from "../task.js";
import type { Awaitable, Coroutine, ResultOf } from "../types.js";
import { makeExceptionGroup } from "./exception-group.js";
import { InlineEffect } from "./inline-effect.js";

/** The message of the ExceptionGroup a task group raises (asyncio's). */
export const TASK_GROUP_ERRORS = "unhandled errors in a TaskGroup";

/**
 * asyncio 3.13's TaskGroup, handed to the body of `taskGroup()`. Children created with
 * `createTask` are awaited when the body ends; the first child error cancels the other
 * children and the body, and every error comes out as one `ExceptionGroup`.
 *
 * Invariants: `_tasks` holds the children not yet done, in creation order; `_errors` is
 * null once the group has raised; `_parentCancelRequested` records the one `cancel()` the
 * group made on its parent task, which `_exit` withdraws.
 */
export class TaskGroup {
  /** @internal */ readonly _loop: EventLoop;
  /** @internal */ readonly _parentTask: Task<unknown>;
  /** @internal */ readonly _tasks = new Set<Task<unknown>>();
  /** @internal */ _errors: unknown[] | null = [];
  /** @internal */ _exiting = false;
  /** @internal */ _aborting = false;
  /** @internal */ _parentCancelRequested = false;
  /** @internal */ _onCompletedFut: Future<boolean> | null = null;

  /** @internal Entered in `parentTask`; use `taskGroup()`. */
  constructor(parentTask: Task<unknown>) {
    if (!(parentTask instanceof Task)) {
      throw new TypeError("TaskGroup: a group is made by taskGroup(body) in the task that runs it; use taskGroup()");
    }
    this._parentTask = parentTask;
    this._loop = parentTask._loop;
  }

  /**
   * Creates a child task of the group (like `createTask`). Refused with `RuntimeError` once
   * the group is shutting down (a child failed or the group was cancelled) or finished; the
   * refused coroutine is closed, so its body never runs.
   */
  createTask<T>(coro: Coroutine<T>, options?: TaskOptions): Task<T> {
    if (!isGenerator(coro)) throw coroutineExpected("TaskGroup.createTask", coro);
    if (options !== undefined && !isOptionsBag(options)) {
      throw new TypeError(`TaskGroup.createTask: options must be an object like { name: 'worker' }, got ${describeValue(options)}`);
    }
    if (this._exiting && this._tasks.size === 0) {
      closeRefused(coro);
      throw new RuntimeError(
        `TaskGroup ${this} is finished: its body and all its tasks are done, so it takes no new tasks ` +
          `(create the task inside the body of taskGroup(), or use createTask() for a task outside the group)`,
      );
    }
    if (this._aborting) {
      closeRefused(coro);
      throw new RuntimeError(
        `TaskGroup ${this} is shutting down: a task failed or the group was cancelled, so it takes no new tasks`,
      );
    }
    const task = this._loop.createTask(coro, options);
    // A task that finished while it was created (an eager task) is accounted for now, as asyncio
    // 3.12+ does, rather than through a done callback on the next iteration.
    if (task.done()) {
      this._onTaskDone(task);
    } else {
      this._tasks.add(task);
      task.addDoneCallback(this._onTaskDone);
    }
    return task;
  }

  /** A description like asyncio's repr: `<TaskGroup tasks=2 errors=1 cancelling>`. */
  toString(): string {
    let info = "";
    if (this._tasks.size > 0) info += ` tasks=${this._tasks.size}`;
    if (this._errors !== null && this._errors.length > 0) info += ` errors=${this._errors.length}`;
    if (this._aborting) info += " cancelling";
    else if (!(this._exiting && this._tasks.size === 0)) info += " entered";
    return `<TaskGroup${info}>`;
  }

  /** Cancels every child not yet done, in creation order. */
  private _abort(): void {
    this._aborting = true;
    for (const t of this._tasks) if (!t.done()) t.cancel();
  }

  /** @internal The parent task awaits each child not done yet (asyncio records these edges one by one). */
  _addEdges(add: (future: Future<any>, waiter: Future<any>) => void): void {
    const parent = this._parentTask;
    this._tasks.forEach((task) => {
      if (!task.done()) add(task, parent);
    });
  }

  private readonly _onTaskDone = (task: Future<unknown>): void => {
    this._tasks.delete(task as Task<unknown>);
    if (this._onCompletedFut !== null && this._tasks.size === 0 && !this._onCompletedFut.done()) {
      this._onCompletedFut.setResult(true);
    }
    if (!task.failed()) return;
    const error = task.exception();
    (this._errors as unknown[]).push(error);
    if (this._parentTask.done()) {
      this._loop.callExceptionHandler({
        message: `Task ${task} has errored out but its parent task ${this._parentTask} is already completed`,
        exception: error,
        task: task as Task<unknown>,
      });
      return;
    }
    if (!this._aborting && !this._parentCancelRequested) {
      this._abort();
      this._parentCancelRequested = true;
      this._parentTask.cancel();
    }
  };

  /**
   * @internal asyncio 3.13's `__aexit__`: waits for every child, then throws what the block
   * must raise instead of `error` (or returns to let the block end as it was ending).
   */
  *_exit(failed: boolean, error: unknown): Coroutine<void> {
    this._exiting = true;
    let propagateCancellation: CancelledError | null = failed && error instanceof CancelledError ? error : null;
    if (failed && !this._aborting) this._abort();
    while (this._tasks.size > 0) {
      if (this._onCompletedFut === null) this._onCompletedFut = this._loop.createFuture<boolean>();
      try {
        yield this._onCompletedFut;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        if (!this._aborting) {
          propagateCancellation = e;
          this._abort();
        }
      }
      this._onCompletedFut = null;
    }
    if (this._parentCancelRequested) {
      // Withdraw our own cancel(); if that was the only request, the CancelledError was ours.
      if (this._parentTask.uncancel() === 0) propagateCancellation = null;
    }
    const errors = this._errors as unknown[];
    if (propagateCancellation !== null && errors.length === 0) throw propagateCancellation;
    if (failed && !(error instanceof CancelledError)) errors.push(error);
    if (errors.length > 0) {
      // Keep a cancellation requested from outside pending, delivered at the next yield (3.13).
      if (this._parentTask.cancelling() > 0) {
        this._parentTask.uncancel();
        this._parentTask.cancel();
      }
      this._errors = null;
      throw makeExceptionGroup(TASK_GROUP_ERRORS, errors);
    }
  }
}

/** Closes a coroutine the group refused, so its body never runs and it cannot be started later. */
function closeRefused(coro: Coroutine<unknown>): void {
  markCoroutineClosed(coro);
  coro.return(undefined);
}

/** The descriptor `taskGroup(body)` returns. */
export class TaskGroupEffect<T> extends InlineEffect<T> {
  /** Always `"taskGroup"`. */
  readonly kind = "taskGroup";
  /**
   * Prefer `taskGroup(body)`; the constructor validates the same way.
   * @throws TypeError if `body` is not a function.
   */
  constructor(/** The group's body, given the group to create tasks in. */ readonly body: (tg: TaskGroup) => Awaitable<T>) {
    super();
    checkBody(body);
    Object.freeze(this);
  }

  /** @internal */
  _coroutine(): Coroutine<T> {
    return taskGroupCoroutine(this.body);
  }
}

/** asyncio's TaskGroup used as a context manager around `body(tg)`, in the current task. */
function* taskGroupCoroutine<T>(body: (tg: TaskGroup) => Awaitable<T>): Coroutine<T> {
  const group = new TaskGroup(realm.currentTask as Task<unknown>);
  addEdgeSource(group._loop, group);
  try {
    let result: T;
    try {
      const awaitable = body(group);
      if (!isAwaitable(awaitable)) {
        throw new TypeError(
          `taskGroup: the body must return a coroutine (write it as function* (tg) { ... }), got ${describeValue(awaitable)}`,
        );
      }
      result = yield awaitable;
    } catch (error) {
      yield* group._exit(true, error);
      throw error;
    }
    yield* group._exit(false, undefined);
    return result;
  } finally {
    removeEdgeSource(group._loop, group);
  }
}

/**
 * Structured concurrency (asyncio.TaskGroup): runs `body(tg)`, whose `tg.createTask(coro,
 * { name })` starts child tasks, and returns the body's result once every child is done.
 * The first child error cancels the other children (in creation order) and the body; all
 * errors — children's and the body's — are then thrown together as an `ExceptionGroup`.
 * Cancelling the task that runs the group cancels every child; it then raises CancelledError.
 * @example
 * ```ts
 * import { run, sleep, taskGroup, VirtualClock, type Coroutine } from "genloop";
 *
 * function* fetchPage(name: string): Coroutine<string> {
 *   yield* sleep(100);
 *   return `<${name}>`;
 * }
 * function* main(): Coroutine<string[]> {
 *   const tasks = yield* taskGroup(function* (tg) {
 *     return [tg.createTask(fetchPage("home")), tg.createTask(fetchPage("about"))];
 *   });
 *   return tasks.map((task) => task.result()); // every child is done once the group returns
 * }
 * console.log(run(main(), { clock: new VirtualClock() })); // [ '<home>', '<about>' ]
 * ```
 */
export function taskGroup<A extends Awaitable<unknown>>(body: (tg: TaskGroup) => A): TaskGroupEffect<ResultOf<A>> {
  return new TaskGroupEffect(body as (tg: TaskGroup) => Awaitable<ResultOf<A>>);
}

function checkBody(body: unknown): void {
  if (typeof body !== "function") {
    throw new TypeError(
      `taskGroup: the body must be a function like function* (tg) { ... }, got ${describeValue(body)}` +
        (isAwaitable(body) ? " (pass the function itself, not the coroutine it returns)" : ""),
    );
  }
}
