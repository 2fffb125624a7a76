import { describeValue } from "../describe.js";
import type { Effect } from "../effect.js";
import { Future } from "../future.js";
import type { Coroutine } from "../types.js";
import { CoroutineEffect } from "./coroutine-effect.js";
import { Event } from "./event.js";
import { FifoStore, type ItemStore } from "./item-stores.js";
import { LoopBound } from "./loop-bound.js";
import { QueueEmpty, QueueFull, QueueShutDown } from "./queue-errors.js";
import { WaiterList } from "./waiter-list.js";

/**
 * asyncio.Queue (3.13): first in, first out; `maxsize <= 0` means unbounded. `put` waits
 * while full and `get` while empty, each in FIFO order; a waiter woken and then cancelled
 * passes its wake-up on, so no item is stranded. `taskDone`/`join` count unfinished items,
 * and `shutdown()` makes later puts and gets throw `QueueShutDown`.
 *
 * @example
 * ```ts
 * import { run, gather, Queue, type Coroutine } from "genloop";
 *
 * function* main(): Coroutine<number[]> {
 *   const q = new Queue<number>(2);        // at most 2 items waiting
 *   function* producer(): Coroutine<void> { for (let i = 1; i <= 4; i++) yield* q.put(i); }
 *   function* consumer(): Coroutine<number[]> {
 *     const got: number[] = [];
 *     for (let i = 0; i < 4; i++) got.push(yield* q.get());
 *     return got;
 *   }
 *   const [, got] = yield* gather(producer(), consumer());
 *   return got;  // [1, 2, 3, 4]
 * }
 * run(main());
 * ```
 */
export class Queue<T = unknown> extends LoopBound {
  /** @internal */ readonly _maxsize: number;
  /** @internal */ _items: ItemStore<T> = new FifoStore<T>();
  /** @internal */ _getters = new WaiterList<Future<void>>();
  /** @internal */ _putters = new WaiterList<Future<void>>();
  /** @internal */ _unfinishedTasks = 0;
  /** @internal */ readonly _finished = new Event();
  /** @internal */ _isShutdown = false;

  /** A queue holding at most `maxsize` items (default 0: unbounded). */
  constructor(maxsize = 0) {
    super();
    if (typeof maxsize !== "number") {
      throw new TypeError(`${new.target.name}: maxsize must be a number, got ${describeValue(maxsize)}`);
    }
    if (maxsize !== maxsize) throw new RangeError(`${new.target.name}: maxsize must not be NaN (use 0 for unbounded)`);
    this._maxsize = maxsize;
    this._finished.set();
  }

  /** The most items the queue holds (<= 0: unbounded). */
  get maxsize(): number {
    return this._maxsize;
  }

  /** The number of items in the queue. */
  qsize(): number {
    return this._items.size;
  }

  /** True when the queue holds no item. */
  empty(): boolean {
    return this._items.size === 0;
  }

  /** True when the queue holds `maxsize` items (never for an unbounded queue). */
  full(): boolean {
    return this._maxsize > 0 && this._items.size >= this._maxsize;
  }

  /** Puts `item`, waiting while the queue is full: `yield* q.put(x)`. `QueueShutDown` after shutdown. */
  put(item: T): Effect<void> {
    return new QueuePut<T>("queue.put", this, [item]);
  }

  /** Puts `item` now: `QueueFull` if the queue is full, `QueueShutDown` after shutdown. */
  putNowait(item: T): void {
    if (this._isShutdown) throw shutDownError("putNowait");
    if (this.full()) throw new QueueFull(`putNowait: the queue is full (maxsize ${this._maxsize}); use yield* put(item) to wait`);
    this._items.put(item);
    this._unfinishedTasks++;
    this._finished.clear();
    wakeUpNext(this._getters);
  }

  /**
   * Takes the next item, waiting while the queue is empty: `yield* q.get()`.
   * `QueueShutDown` once the queue is shut down and empty (at once after `shutdown(true)`).
   */
  get(): Effect<T> {
    return new QueueGet<T>("queue.get", this, []);
  }

  /** Takes the next item now: `QueueEmpty` if there is none, `QueueShutDown` if shut down and empty. */
  getNowait(): T {
    if (this.empty()) {
      if (this._isShutdown) throw shutDownError("getNowait");
      throw new QueueEmpty("getNowait: the queue is empty; use yield* get() to wait for an item");
    }
    const item = this._items.take();
    wakeUpNext(this._putters);
    return item;
  }

  /** Marks one item taken with `get` as processed; `RangeError` if called more times than items were put. */
  taskDone(): void {
    if (this._unfinishedTasks <= 0) {
      throw new RangeError("taskDone() called too many times: more than items were put in the queue");
    }
    this._unfinishedTasks--;
    if (this._unfinishedTasks === 0) this._finished.set();
  }

  /** Waits until every item put has been marked processed with `taskDone()`: `yield* q.join()`. */
  join(): Effect<void> {
    return new QueueJoin("queue.join", this, []);
  }

  /**
   * Shuts the queue down: later puts throw `QueueShutDown`, gets throw it once the queue is
   * empty, and every blocked `put`/`get` wakes up to re-check. With `immediate`, the items
   * left are dropped (each counts as done for `join`) and gets throw at once.
   */
  shutdown(immediate = false): void {
    this._isShutdown = true;
    if (immediate) {
      const dropped = this._items.size;
      this._items.clear();
      this._unfinishedTasks = Math.max(0, this._unfinishedTasks - dropped);
      if (this._unfinishedTasks === 0) this._finished.set();
    }
    wakeUpAll(this._getters);
    wakeUpAll(this._putters);
  }

  override toString(): string {
    let result = `maxsize=${this._maxsize}`;
    if (this._items.size > 0) result += ` _queue=${formatItems(this._items.toArray())}`;
    if (this._getters.length > 0) result += ` _getters[${this._getters.length}]`;
    if (this._putters.length > 0) result += ` _putters[${this._putters.length}]`;
    if (this._unfinishedTasks > 0) result += ` tasks=${this._unfinishedTasks}`;
    if (this._isShutdown) result += " shutdown";
    return `<${this.constructor.name} ${result}>`;
  }

  /** @internal asyncio's `Queue.put` coroutine. */
  *_put(item: T): Coroutine<void> {
    while (this.full()) {
      if (this._isShutdown) throw shutDownError("put");
      const putter = new Future<void>(this._getLoop());
      const node = this._putters.push(putter);
      try {
        yield putter;
      } catch (error) {
        putter.cancel();
        this._putters.remove(node);
        // Woken by a get but unable to take the slot: wake the next putter in line.
        if (!this.full() && !putter.cancelled()) wakeUpNext(this._putters);
        throw error;
      }
    }
    this.putNowait(item);
  }

  /** @internal asyncio's `Queue.get` coroutine. */
  *_get(): Coroutine<T> {
    while (this.empty()) {
      if (this._isShutdown) throw shutDownError("get");
      const getter = new Future<void>(this._getLoop());
      const node = this._getters.push(getter);
      try {
        yield getter;
      } catch (error) {
        getter.cancel();
        this._getters.remove(node);
        // Woken by a put but unable to take the item: wake the next getter in line.
        if (!this.empty() && !getter.cancelled()) wakeUpNext(this._getters);
        throw error;
      }
    }
    return this.getNowait();
  }

  /** @internal asyncio's `Queue.join` coroutine. */
  *_join(): Coroutine<void> {
    if (this._unfinishedTasks > 0) yield* this._finished._wait();
  }
}

/** Wakes (and removes) the first waiter that is not done. */
function wakeUpNext(waiters: WaiterList<Future<void>>): void {
  for (let waiter = waiters.shift(); waiter !== undefined; waiter = waiters.shift()) {
    if (!waiter.done()) {
      waiter._resolve(undefined);
      return;
    }
  }
}

/** Wakes (and removes) every waiter, so each re-checks the queue. */
function wakeUpAll(waiters: WaiterList<Future<void>>): void {
  for (let waiter = waiters.shift(); waiter !== undefined; waiter = waiters.shift()) {
    if (!waiter.done()) waiter._resolve(undefined);
  }
}

/** The items as JSON when they can be (cycles and bigints cannot), else a short description. */
function formatItems(items: unknown[]): string {
  try {
    return JSON.stringify(items);
  } catch {
    return `[${items.map(describeValue).join(", ")}]`;
  }
}

function shutDownError(operation: string): QueueShutDown {
  return new QueueShutDown(`${operation}: the queue has been shut down`);
}

class QueuePut<T> extends CoroutineEffect<void, Queue<T>> {
  _body(): Coroutine<void> {
    return this.target._put(this.args[0] as T);
  }
}

class QueueGet<T> extends CoroutineEffect<T, Queue<T>> {
  _body(): Coroutine<T> {
    return this.target._get();
  }
}

class QueueJoin extends CoroutineEffect<void, Queue<unknown>> {
  _body(): Coroutine<void> {
    return this.target._join();
  }
}
