import type { Effect } from "../effect.js";
import { GenloopError } from "../errors.js";
import { Future } from "../future.js";
import { CoroutineEffect } from "../sync/coroutine-effect.js";
import { FifoStore } from "../sync/item-stores.js";
import { LoopBound } from "../sync/loop-bound.js";
import { WaiterList } from "../sync/waiter-list.js";
import type { Coroutine } from "../types.js";
import { buffers, checkPolicy, type BufferPolicy } from "./buffers.js";

/** `put` on a closed channel, or `take` once a closed channel is empty (its end of stream). */
export class ChannelClosedError extends GenloopError {}

/** What `next()` gives: an item, or the end of the stream once the channel is closed and empty. */
export type ChannelResult<T> =
  | {
      /** False: `value` is an item. */
      readonly done: false;
      /** The item taken. */
      readonly value: T;
    }
  | {
      /** True: the channel is closed and drained; there will be no more items. */
      readonly done: true;
      /** Always undefined. */
      readonly value: undefined;
    };

const END: ChannelResult<never> = Object.freeze({ done: true, value: undefined });

/** A put waiting for room (or, without a buffer, for a taker), with the item it offers. */
interface PendingPut<T> {
  readonly item: T;
  /** Resolved when the item is in the channel or taken; rejected when the channel closes first. */
  readonly done: Future<void>;
}

/**
 * A channel between tasks (and from host code into tasks), with an explicit buffer policy
 * (see `buffers`). Items come out in the order they went in.
 *
 * Invariants:
 * - `items` holds at most `policy.size` items, except that a channel without a buffer may
 *   hold the item handed to a taker it has woken (that taker, or the next one, takes it);
 * - `putters` wait only while the buffer is full (or, without a buffer, while no taker waits);
 *   each one's item is in no other place, and it leaves the list when its item is taken,
 *   moved into the buffer, withdrawn (cancelled) or refused (closed);
 * - `takers` are futures of takes waiting while nothing is available: a woken taker that is
 *   cancelled before it runs passes its wake-up on, so no item is stranded (asyncio 3.13's
 *   queue rule), and a cancelled take never consumes an item.
 */
export class Channel<T> extends LoopBound {
  /** The buffer policy. */
  readonly policy: BufferPolicy;
  /** @internal */ readonly _items = new FifoStore<T>();
  /** @internal */ readonly _putters = new WaiterList<PendingPut<T>>();
  /** @internal */ readonly _takers = new WaiterList<Future<void>>();
  /** @internal */ _closed = false;
  /** @internal */ _dropped = 0;

  /**
   * A channel with the given buffer policy (default `buffers.none()`: a rendezvous).
   * @throws TypeError when `policy` is not one of `buffers`' policies
   */
  constructor(policy: BufferPolicy = buffers.none()) {
    super();
    this.policy = checkPolicy("Channel", policy);
  }

  /** How many items are buffered now (not counting puts that wait). */
  get length(): number {
    return this._items.size;
  }

  /** True once `close()` was called (items still buffered can be taken). */
  get closed(): boolean {
    return this._closed;
  }

  /** How many items the buffer policy dropped (`dropping` and `sliding` buffers). */
  get dropped(): number {
    return this._dropped;
  }

  /**
   * Puts `item`: `yield* ch.put(x)`. Waits while a `fixed` buffer is full, or without a buffer
   * until a taker takes it; returns false when a full `dropping` buffer dropped it, else true.
   * A put cancelled while it waits withdraws its item. `ChannelClosedError` if the channel is
   * closed (also for a put waiting when `close()` is called: its item was not delivered).
   */
  put(item: T): Effect<boolean> {
    return new ChannelPut<T>("channel.put", this, [item]);
  }

  /**
   * Puts `item` now if that needs no waiting (for host code, such as event handlers): true when
   * it is buffered or handed to a waiting taker; false when it would have to wait, when a full
   * `dropping` buffer drops it (counted in `dropped`), or when the channel is closed.
   */
  offer(item: T): boolean {
    if (this._closed) return false;
    const accepted = this._tryPut(item);
    return accepted === true;
  }

  /**
   * Takes the next item, waiting while there is none: `const x = yield* ch.take()`.
   * `ChannelClosedError` once the channel is closed and empty. A take cancelled while it
   * waits consumes nothing.
   */
  take(): Effect<T> {
    return new ChannelTake<T>("channel.take", this, []);
  }

  /**
   * Like `take()`, but the end of the stream is a value, not an error:
   * `{ done: false, value }` for an item, `{ done: true }` once closed and empty.
   */
  next(): Effect<ChannelResult<T>> {
    return new ChannelNext<T>("channel.next", this, []);
  }

  /** Takes an item now if one is available, without waiting: `{ done: true }` otherwise. */
  poll(): ChannelResult<T> {
    return this._tryTake() ?? END;
  }

  /** Takes every item buffered now (and those of waiting puts), in order, without waiting. */
  flush(): T[] {
    const out: T[] = [];
    for (let r = this._tryTake(); r !== null && !r.done; r = this._tryTake()) out.push(r.value);
    return out;
  }

  /**
   * Closes the channel: later puts throw `ChannelClosedError`, puts waiting now throw it too
   * (their items are not delivered), and every taker — waiting now or later — gets the items
   * still buffered, then the end of the stream. Closing twice does nothing.
   */
  close(): void {
    if (this._closed) return;
    this._closed = true;
    for (let p = this._putters.shift(); p !== undefined; p = this._putters.shift()) {
      if (!p.done.done()) p.done._reject(closedError("put", "the channel was closed while the put waited"));
    }
    for (let t = this._takers.shift(); t !== undefined; t = this._takers.shift()) {
      if (!t.done()) t._resolve(undefined);
    }
  }

  override toString(): string {
    const { kind, size } = this.policy;
    const state = this._closed ? " closed" : "";
    return `<Channel ${kind}${size > 0 && size < Infinity ? `(${size})` : ""} items:${this._items.size} putters:${this._putters.length} takers:${this._takers.length}${state}>`;
  }

  /**
   * @internal Puts without waiting: true when the item is in the channel (buffered, or handed
   * to a woken taker), false when a dropping buffer dropped it, null when the put must wait.
   */
  _tryPut(item: T): boolean | null {
    const { kind, size } = this.policy;
    if (this._items.size < size || (size === 0 && this._idleTaker() !== undefined)) {
      this._items.put(item);
      this._wakeTaker();
      return true;
    }
    if (kind === "dropping") {
      this._dropped++;
      return false;
    }
    if (kind === "sliding") {
      this._items.take();
      this._dropped++;
      this._items.put(item);
      return true;
    }
    return null;
  }

  /** @internal Takes without waiting: the next item, END when closed and empty, null when it must wait. */
  _tryTake(): ChannelResult<T> | null {
    if (this._items.size > 0) {
      const value = this._items.take();
      this._refill();
      return { done: false, value };
    }
    const putter = this._livePutter();
    if (putter !== undefined) {
      // Without a buffer: the item goes straight from the waiting put to this taker.
      putter.done._resolve(undefined);
      return { done: false, value: putter.item };
    }
    return this._closed ? END : null;
  }

  /** @internal The coroutine of `put`. */
  *_put(item: T): Coroutine<boolean> {
    if (this._closed) throw closedError("put", "the channel is closed");
    const accepted = this._tryPut(item);
    if (accepted !== null) return accepted;
    const pending: PendingPut<T> = { item, done: new Future<void>(this._getLoop()) };
    const node = this._putters.push(pending);
    try {
      yield pending.done;
    } catch (error) {
      // Not taken yet: the item is withdrawn. Taken (or moved into the buffer) just before the
      // cancellation arrived: it was delivered, and the put still reports the cancellation.
      this._putters.remove(node);
      throw error;
    }
    return true;
  }

  /** @internal The coroutine of `next` (and `take`). */
  *_next(): Coroutine<ChannelResult<T>> {
    for (;;) {
      const result = this._tryTake();
      if (result !== null) return result;
      const taker = new Future<void>(this._getLoop());
      const node = this._takers.push(taker);
      try {
        yield taker;
      } catch (error) {
        taker.cancel();
        this._takers.remove(node);
        // Woken, but cancelled before taking: the wake-up goes to the next taker in line.
        if (!taker.cancelled() && (this._items.size > 0 || this._livePutter(false) !== undefined)) this._wakeTaker();
        throw error;
      }
    }
  }

  /** @internal */
  *_take(): Coroutine<T> {
    const result = yield* this._next();
    if (result.done) throw closedError("take", "the channel is closed and empty (the end of the stream)");
    return result.value;
  }

  /** Moves the items of waiting puts into the buffer while it has room, completing those puts. */
  private _refill(): void {
    while (this._items.size < this.policy.size) {
      const putter = this._livePutter();
      if (putter === undefined) break;
      this._items.put(putter.item);
      putter.done._resolve(undefined);
    }
    if (this._items.size > 0) this._wakeTaker();
  }

  /** The first waiting put whose item can still be taken (removed from the list unless `remove` is false). */
  private _livePutter(remove = true): PendingPut<T> | undefined {
    for (let node = this._putters.head; node !== null; node = this._putters.head) {
      if (node.value.done.done()) {
        this._putters.remove(node); // cancelled: its coroutine will see it gone
        continue;
      }
      if (remove) this._putters.remove(node);
      return node.value;
    }
    return undefined;
  }

  /** A taker waiting and not woken yet. */
  private _idleTaker(): Future<void> | undefined {
    return this._takers.findFirst((t) => !t.done());
  }

  /** Wakes (and removes) the first taker not woken yet. */
  private _wakeTaker(): void {
    for (let t = this._takers.shift(); t !== undefined; t = this._takers.shift()) {
      if (!t.done()) {
        t._resolve(undefined);
        return;
      }
    }
  }
}

function closedError(operation: string, why: string): ChannelClosedError {
  return new ChannelClosedError(`${operation}: ${why}`);
}

class ChannelPut<T> extends CoroutineEffect<boolean, Channel<T>> {
  _body(): Coroutine<boolean> {
    return this.target._put(this.args[0] as T);
  }
}

class ChannelNext<T> extends CoroutineEffect<ChannelResult<T>, Channel<T>> {
  _body(): Coroutine<ChannelResult<T>> {
    return this.target._next();
  }
}

class ChannelTake<T> extends CoroutineEffect<T, Channel<T>> {
  _body(): Coroutine<T> {
    return this.target._take();
  }
}
