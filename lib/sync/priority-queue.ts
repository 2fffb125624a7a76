import { describeValue } from "../describe.js";
import { HeapStore } from "./item-stores.js";
import { naturalOrder } from "./natural-order.js";
import { Queue } from "./queue.js";

/**
 * asyncio.PriorityQueue: a `Queue` that returns the lowest item first, by `compare(a, b)`
 * (negative when `a` comes first). The default orders numbers, bigints and strings
 * naturally and arrays like Python tuples, so `[priority, data]` entries work as in asyncio.
 * Items that compare equal come out in the order they were put (FIFO).
 */
export class PriorityQueue<T = unknown> extends Queue<T> {
  constructor(maxsize = 0, compare: (a: T, b: T) => number = naturalOrder) {
    super(maxsize);
    if (typeof compare !== "function") {
      throw new TypeError(
        `PriorityQueue: compare must be a function (a, b) => number, got ${describeValue(compare)}`,
      );
    }
    this._items = new HeapStore<T>(compare);
  }
}
