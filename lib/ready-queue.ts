/** Something the loop can run from its ready queue: a handle, a task step, a fired timer. */
export interface Runnable {
  _run(): void;
}

/**
 * The loop's FIFO of ready callbacks: a growable ring buffer, so push and shift are O(1)
 * (no `Array.shift`, which is O(n) on large arrays). Capacity is always a power of two.
 */
export class ReadyQueue {
  private items: (Runnable | undefined)[] = new Array(16);
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

  clear(): void {
    this.items = new Array(16);
    this.head = 0;
    this.size = 0;
  }

  private grow(): void {
    const old = this.items;
    const grown: (Runnable | undefined)[] = new Array(old.length * 2);
    for (let i = 0; i < this.size; i++) grown[i] = old[(this.head + i) & (old.length - 1)];
    this.items = grown;
    this.head = 0;
  }
}
