import { LifoStore } from "./item-stores.js";
import { Queue } from "./queue.js";

/** asyncio.LifoQueue: a `Queue` that returns the most recently added item first. */
export class LifoQueue<T = unknown> extends Queue<T> {
  constructor(maxsize = 0) {
    super(maxsize);
    this._items = new LifoStore<T>();
  }
}
