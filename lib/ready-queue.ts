import { emptySlots } from "./empty-slots.js";

/** Something the loop can run from its ready queue: a handle, a task step, a fired timer. */
export interface Runnable {
  /** @internal */
  _run(): void;
}

/**
 * The loop's FIFO of ready callbacks: a growable ring buffer, so push and shift are O(1)
 * (no `Array.shift`, which is O(n) on large arrays). Capacity is always a power of two.
 */
/** The initial capacity, and the smallest the queue shrinks to. */
const MIN_CAPACITY = 16;

export class ReadyQueue {
  private items: (Runnable | undefined)[] = emptySlots(MIN_CAPACITY);
  private head = 0;
  private size = 0;

  get length(): number {
    return this.size;
  }

  push(item: Runnable): void {
    const items = this.items;
    if (this.size === items.length) this.grow();
    this.items[(this.head + this.size) & (this.items.length - 1)] = item;
    this.size++;
  }

  /** Removes and returns the oldest item; the caller checks `length` first. */
  shift(): Runnable {
    const items = this.items;
    const item = items[this.head] as Runnable;
    items[this.head] = undefined; // let the item be collected once it has run
    this.head = (this.head + 1) & (items.length - 1);
    this.size--;
    return item;
  }

  /**
   * Gives memory back after a burst: called once per loop iteration, it halves the buffer while
   * at most an eighth of it is in use (never below the initial 16 slots). Halving at an eighth,
   * not at a half, keeps a queue that hovers around one size from being copied back and forth.
   * @returns true if it shrank (a burst is over).
   */
  shrinkIfSparse(): boolean {
    const capacity = this.items.length;
    if (capacity <= MIN_CAPACITY || this.size > capacity >> 3) return false;
    this.resize(capacity >> 1);
    return true;
  }

  clear(): void {
    this.items = emptySlots(MIN_CAPACITY);
    this.head = 0;
    this.size = 0;
  }

  private grow(): void {
    this.resize(this.items.length * 2);
  }

  /** Copies the items, oldest first, into a new buffer of `capacity` slots (a power of two >= size). */
  private resize(capacity: number): void {
    const old = this.items;
    const resized = emptySlots<Runnable>(capacity);
    for (let i = 0; i < this.size; i++) resized[i] = old[(this.head + i) & (old.length - 1)];
    this.items = resized;
    this.head = 0;
  }
}
