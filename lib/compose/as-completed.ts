import { describeValue, isGenerator } from "../describe.js";
import { Effect } from "../effect.js";
import { ensureFuture, isAwaitable, notAwaitableHint, otherLoop } from "../ensure-future.js";
import { RuntimeError, TimeoutError } from "../errors.js";
import { Future } from "../future.js";
import type { TimerHandle } from "../handle.js";
import type { EventLoop } from "../loop.js";
import { addEdgeSource, removeEdgeSource } from "../graph/awaited-by.js";
import { checkLoop, getRunningLoop, realm } from "../running.js";
import type { Task } from "../task.js";
import type { Awaitable, Coroutine, ResultOf } from "../types.js";
import { InlineEffect } from "./inline-effect.js";
import { checkOptionalMs, checkOptions, isIterable } from "./validate.js";

/** Options of `asCompleted`. */
export interface AsCompletedOptions {
  /** Milliseconds from the call after which the remaining items raise TimeoutError; null: no limit. */
  timeout?: number | null;
}

/** Marks, in the done queue, a slot whose future did not complete before the timeout. */
const TIMED_OUT = null;

/**
 * asyncio 3.13's `_AsCompletedIterator`. Iterating it (`for (const next of it)`) gives one
 * awaitable per input, in completion order: `yield* next` returns the result (or throws the
 * error) of the next input to complete, whichever item you await first (as asyncio's plain
 * `for`). `it.futures()` iterates the same completions but each item gives the completed
 * future itself (the asynchronous iteration of asyncio 3.13): the original task/future, or the task made
 * for a coroutine or effect input. Both views share one count, so iteration can be resumed.
 *
 * Invariants: `_done` holds completed futures (or TIMED_OUT) not yet claimed, `_getters` the
 * claims waiting for one; at most one of them is non-empty (a put wakes the first getter).
 * While `_todo` is not empty and the iterator has a parent task, it is one of its loop's edge
 * sources: the parent awaits exactly the inputs still in `_todo` (not completed, not timed out).
 */
export class AsCompleted<T, F = Future<T>> implements IterableIterator<AsCompletedNext<T, T>> {
  private readonly _loop: EventLoop;
  private readonly _done: (Future<T> | typeof TIMED_OUT)[] = [];
  private readonly _getters: Future<void>[] = [];
  private readonly _todo: Set<Future<T>>;
  private _todoLeft: number;
  private _timeoutHandle: TimerHandle | null = null;
  /** The task that made the iterator: as asyncio, the call graph shows it awaiting every input. */
  private readonly _parent: Task<unknown> | null = realm.currentTask;

  /** @internal Use `asCompleted()`. */
  constructor(loop: EventLoop, futures: Set<Future<T>>, timeout: number | null) {
    checkLoop("AsCompleted", loop);
    if (!(futures instanceof Set)) throw new TypeError("AsCompleted: made by asCompleted(aws); use that");
    for (const f of futures as Set<unknown>) {
      if (!(f instanceof Future)) throw new TypeError(`AsCompleted: got ${describeValue(f)} among the futures; use asCompleted(aws)`);
      if (f._loop !== loop) throw otherLoop("asCompleted", f);
    }
    checkOptionalMs("asCompleted", "the timeout", timeout);
    this._loop = loop;
    this._todo = futures;
    this._todoLeft = futures.size;
    for (const f of futures) f.addDoneCallback(this._onCompletion);
    // As asyncio, the call graph shows the parent awaiting every input: one source for all of
    // them, not an edge recorded and dropped per input.
    if (this._parent !== null && this._parent._loop === loop && futures.size > 0) addEdgeSource(loop, this);
    if (futures.size > 0 && timeout !== null) this._timeoutHandle = loop.callLater(timeout, () => this._onTimeout());
  }

  /** Iterates the items: one awaitable per completion, in completion order. */
  [Symbol.iterator](): this {
    return this;
  }

  /** The next awaitable: `yield*` it for the next result in completion order. */
  next(): IteratorResult<AsCompletedNext<T, T>, undefined> {
    if (this._todoLeft === 0) return { done: true, value: undefined };
    this._todoLeft--;
    return { done: false, value: new AsCompletedNext<T, T>(this, true) };
  }

  /** The same completions, each item giving the completed future itself (the asynchronous iteration of asyncio 3.13). */
  futures(): IterableIterator<AsCompletedNext<T, F>> {
    const iterator: IterableIterator<AsCompletedNext<T, F>> = {
      next: () => {
        if (this._todoLeft === 0) return { done: true, value: undefined };
        this._todoLeft--;
        return { done: false, value: new AsCompletedNext<T, F>(this, false) };
      },
      [Symbol.iterator]: () => iterator,
    };
    return iterator;
  }

  /** How many items the iteration has still to give. */
  remaining(): number {
    return this._todoLeft;
  }

  /** @internal The parent task awaits each input still to complete (see the class invariants). */
  _addEdges(add: (future: Future<any>, waiter: Future<any>) => void): void {
    const parent = this._parent as Task<unknown>;
    this._todo.forEach((f) => add(f, parent));
  }

  private readonly _onCompletion = (f: Future<T>): void => {
    if (this._todo.size === 0) return; // the timeout came first
    this._todo.delete(f);
    this._put(f);
    if (this._todo.size === 0) this._allSettled();
  };

  private _onTimeout(): void {
    for (const f of this._todo) {
      f.removeDoneCallback(this._onCompletion);
      this._put(TIMED_OUT);
    }
    this._todo.clear();
    this._timeoutHandle = null; // it is the timer running now
    this._allSettled();
  }

  /** Every input completed or timed out: nothing is awaited any more. */
  private _allSettled(): void {
    if (this._timeoutHandle !== null) this._timeoutHandle.cancel();
    removeEdgeSource(this._loop, this);
  }

  private _put(item: Future<T> | typeof TIMED_OUT): void {
    this._done.push(item);
    this._wakeUpNext();
  }

  private _wakeUpNext(): void {
    while (this._getters.length > 0) {
      const getter = this._getters.shift() as Future<void>;
      if (!getter.done()) {
        getter.setResult(undefined);
        break;
      }
    }
  }

  /** @internal asyncio's `_wait_for_one`: the next completed future, as a Queue.get() would. */
  *_waitForOne(): Coroutine<Future<T>> {
    while (this._done.length === 0) {
      const getter = this._loop.createFuture<void>();
      this._getters.push(getter);
      try {
        yield getter;
      } catch (error) {
        getter.cancel();
        const i = this._getters.indexOf(getter);
        if (i >= 0) this._getters.splice(i, 1);
        // We were woken but cancelled before taking the item: pass the wake-up on.
        if (this._done.length > 0 && !getter.cancelled()) this._wakeUpNext();
        throw error;
      }
    }
    const f = this._done.shift() as Future<T> | typeof TIMED_OUT;
    if (f === TIMED_OUT) throw new TimeoutError("asCompleted: the timeout passed before every awaitable was done");
    return f;
  }
}

/**
 * One item of an `asCompleted()` iteration: waits for the next completion in order. Each item
 * stands for one completion, so it can be awaited once (like the coroutine asyncio yields).
 */
export class AsCompletedNext<T, R> extends InlineEffect<R> {
  /** Always `"asCompletedNext"`. */
  readonly kind = "asCompletedNext";
  /** True: the item gives the result; false: the completed future itself. */
  readonly resolve: boolean;
  /** @internal */ readonly _source: AsCompleted<T, unknown>;
  /** @internal Set once the item has been awaited (the only mutable field). */ _awaited = false;
  constructor(source: AsCompleted<T, unknown>, resolve: boolean) {
    super();
    if (!(source instanceof AsCompleted)) throw new TypeError("AsCompletedNext: the items are made by iterating asCompleted(aws); use that");
    this._source = source;
    this.resolve = resolve;
  }

  /** @internal */
  _coroutine(): Coroutine<R> {
    if (this._awaited) {
      throw new RuntimeError(
        "asCompleted: this item was already awaited; each item stands for one completion: take the next item from the iterator",
      );
    }
    this._awaited = true;
    return nextCompletion(this._source, this.resolve) as Coroutine<R>;
  }
}

function* nextCompletion<T>(source: AsCompleted<T, unknown>, resolve: boolean): Coroutine<T | Future<T>> {
  const f = (yield* source._waitForOne()) as Future<T>;
  return resolve ? f.result() : f;
}

type Element<I> = I extends Iterable<infer A> ? A : never;

/**
 * The future `asCompleted` holds for an input: a future or task is itself; a coroutine becomes
 * a Task; an effect becomes the future `ensureFuture` starts for it.
 */
export type FutureOf<A> = A extends Future<any> ? A : A extends Generator<any, infer R, any> ? Task<R> : Future<ResultOf<A>>;

/**
 * Runs awaitables concurrently and iterates them in completion order (asyncio 3.13
 * `as_completed`). Coroutines and effects become tasks now, on the running loop; the same
 * awaitable given twice counts once.
 *
 * ```ts
 * for (const next of asCompleted(tasks, { timeout: 5000 })) {
 *   const value = yield* next;          // TimeoutError once the 5 s have passed
 * }
 * ```
 * On timeout nothing is cancelled: the remaining items raise `TimeoutError`.
 *
 * @example
 * ```ts
 * import { run, sleep, asCompleted, VirtualClock, type Coroutine } from "genloop";
 *
 * function* main(): Coroutine<number[]> {
 *   const order: number[] = [];
 *   for (const next of asCompleted([sleep(300, 3), sleep(100, 1), sleep(200, 2)])) {
 *     order.push(yield* next);
 *   }
 *   return order;  // [1, 2, 3]
 * }
 * run(main(), { clock: new VirtualClock() });
 * ```
 */
export function asCompleted<I extends Iterable<Awaitable<unknown>>>(
  aws: I,
  options?: AsCompletedOptions,
): AsCompleted<ResultOf<Element<I>>, FutureOf<Element<I>>> {
  if (aws instanceof Future || aws instanceof Effect || isGenerator(aws)) {
    const hint = isGenerator(aws)
      ? " (a generator object is taken for a coroutine: to pass a generator of awaitables, spread it into an array)"
      : " (put it in an array: asCompleted([task]))";
    throw new TypeError(`asCompleted: expected an iterable of awaitables, not ${describeValue(aws)}${hint}`);
  }
  if (!isIterable(aws)) {
    throw new TypeError(`asCompleted: expected an iterable of awaitables (an array or a Set), got ${describeValue(aws)}`);
  }
  checkOptions("asCompleted", options, ["timeout"]);
  const timeout = checkOptionalMs("asCompleted", "the timeout", options?.timeout);
  const unique = new Set<unknown>(aws);
  const loop = getRunningLoop();
  for (const aw of unique) {
    if (aw instanceof Future && aw._loop !== loop) throw otherLoop("asCompleted", aw);
    if (!isAwaitable(aw)) {
      throw new TypeError(`asCompleted: got ${describeValue(aw)} among the awaitables; pass coroutines, futures, tasks or effects${notAwaitableHint(aw)}`);
    }
  }
  const futures = new Set<Future<ResultOf<Element<I>>>>();
  for (const aw of unique) futures.add(ensureFuture(aw as Awaitable<ResultOf<Element<I>>>, loop));
  return new AsCompleted(loop, futures, timeout) as AsCompleted<ResultOf<Element<I>>, FutureOf<Element<I>>>;
}
