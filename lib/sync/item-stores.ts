import { emptySlots } from "../empty-slots.js";

/** Where a queue keeps its items: the part `Queue`, `LifoQueue` and `PriorityQueue` differ in. */
export interface ItemStore<T> {
  readonly size: number;
  put(item: T): void;
  /** Removes and returns the next item; only called when `size > 0`. */
  take(): T;
  clear(): void;
  /** The items in storage order (for `toString`). */
  toArray(): T[];
}

/** FIFO: a growable ring buffer (O(1) at both ends; capacity a power of two). */
export class FifoStore<T> implements ItemStore<T> {
  private items: (T | undefined)[] = emptySlots(8);
  private head = 0;
  size = 0;

  put(item: T): void {
    if (this.size === this.items.length) this.grow();
    this.items[(this.head + this.size) & (this.items.length - 1)] = item;
    this.size++;
  }

  take(): T {
    const item = this.items[this.head] as T;
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & (this.items.length - 1);
    this.size--;
    return item;
  }

  clear(): void {
    this.items = emptySlots(8);
    this.head = 0;
    this.size = 0;
  }

  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.size; i++) out.push(this.items[(this.head + i) & (this.items.length - 1)] as T);
    return out;
  }

  private grow(): void {
    const grown = emptySlots<T>(this.items.length * 2);
    for (let i = 0; i < this.size; i++) grown[i] = this.items[(this.head + i) & (this.items.length - 1)];
    this.items = grown;
    this.head = 0;
  }
}

/** LIFO: an array used as a stack. */
export class LifoStore<T> implements ItemStore<T> {
  private items: T[] = [];

  get size(): number {
    return this.items.length;
  }
  put(item: T): void {
    this.items.push(item);
  }
  take(): T {
    return this.items.pop() as T;
  }
  clear(): void {
    this.items = [];
  }
  toArray(): T[] {
    return this.items.slice();
  }
}

interface HeapEntry<T> {
  readonly item: T;
  /** Insertion order: equal priorities come out first in, first out. */
  readonly seq: number;
}

/**
 * Lowest first: a binary min-heap ordered by `compare`, then by insertion order (stable).
 * Each operation makes all its comparisons before moving anything, so a comparator that
 * throws leaves the heap as it was.
 */
export class HeapStore<T> implements ItemStore<T> {
  private heap: HeapEntry<T>[] = [];
  private nextSeq = 0;

  constructor(private readonly compare: (a: T, b: T) => number) {}

  get size(): number {
    return this.heap.length;
  }

  put(item: T): void {
    const heap = this.heap;
    const entry: HeapEntry<T> = { item, seq: this.nextSeq };
    let i = heap.length;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(entry, heap[parent])) break;
      i = parent;
    }
    // Comparisons done: shift the ancestors on the path from the new leaf down to make room.
    let hole = heap.length;
    while (hole > i) {
      const parent = (hole - 1) >> 1;
      heap[hole] = heap[parent];
      hole = parent;
    }
    heap[i] = entry;
    this.nextSeq++;
  }

  take(): T {
    const heap = this.heap;
    const top = heap[0];
    const last = heap[heap.length - 1];
    const n = heap.length - 1;
    // Find the path the last entry sinks along (comparisons only), then move.
    const path: number[] = [];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.less(heap[child + 1], heap[child])) child++;
      if (!this.less(heap[child], last)) break;
      path.push(child);
      i = child;
    }
    let hole = 0;
    for (const child of path) {
      heap[hole] = heap[child];
      hole = child;
    }
    heap[hole] = last;
    heap.length = n;
    return top.item;
  }

  clear(): void {
    this.heap = [];
  }

  toArray(): T[] {
    return this.heap.map((e) => e.item);
  }

  private less(a: HeapEntry<T>, b: HeapEntry<T>): boolean {
    const c = this.compare(a.item, b.item);
    if (typeof c !== "number" || c !== c) {
      throw new TypeError(`PriorityQueue: the comparator must return a number, got ${String(c)}`);
    }
    return c < 0 || (c === 0 && a.seq < b.seq);
  }
}
