import type { Future } from "../future.js";
import type { Coroutine } from "../types.js";

/** A node of a `WaiterList`; `list` is null once the node has been removed. */
export interface WaiterNode<T> {
  readonly value: T;
  /** @internal */ prev: WaiterNode<T> | null;
  /** @internal */ next: WaiterNode<T> | null;
  /** @internal */ list: WaiterList<T> | null;
}

/**
 * The FIFO of waiter futures behind every primitive (asyncio's `collections.deque` of
 * futures): a doubly linked list, so a waiter that leaves (cancelled, or woken and gone)
 * is removed in O(1) through the node `push` returned, however many others wait.
 *
 * Invariant: a node is in at most one list, and `node.list` says which (null once removed).
 */
export class WaiterList<T> {
  /** @internal */ head: WaiterNode<T> | null = null;
  private tail: WaiterNode<T> | null = null;
  private size = 0;

  get length(): number {
    return this.size;
  }

  /** Appends `value` at the back; keep the node to remove it later. */
  push(value: T): WaiterNode<T> {
    const node: WaiterNode<T> = { value, prev: this.tail, next: null, list: this };
    if (this.tail === null) this.head = node;
    else this.tail.next = node;
    this.tail = node;
    this.size++;
    return node;
  }

  /** Removes `node`; false (and nothing changes) when it is no longer in this list. */
  remove(node: WaiterNode<T>): boolean {
    if (node.list !== this) return false;
    if (node.prev === null) this.head = node.next;
    else node.prev.next = node.next;
    if (node.next === null) this.tail = node.prev;
    else node.next.prev = node.prev;
    node.prev = node.next = null;
    node.list = null;
    this.size--;
    return true;
  }

  /** Removes and returns the value at the front; undefined when empty. */
  shift(): T | undefined {
    const node = this.head;
    if (node === null) return undefined;
    this.remove(node);
    return node.value;
  }

  /** The first value (front to back) that satisfies `predicate`, or undefined. */
  findFirst(predicate: (value: T) => boolean): T | undefined {
    for (let node = this.head; node !== null; node = node.next) {
      if (predicate(node.value)) return node.value;
    }
    return undefined;
  }
}

/**
 * asyncio's waiting idiom: queue `waiter` at the back of `waiters`, wait for it, and leave the
 * list on every exit (woken, cancelled, or failed).
 */
export function* waitInLine<T>(waiters: WaiterList<Future<T>>, waiter: Future<T>): Coroutine<T> {
  const node = waiters.push(waiter);
  try {
    return (yield waiter) as T;
  } finally {
    waiters.remove(node);
  }
}

/** A waiter that still counts: its future was not cancelled. */
export function isLive(waiter: { cancelled(): boolean }): boolean {
  return !waiter.cancelled();
}
