import { expect } from "chai";
import { emptySlots } from "../lib/empty-slots.js";
import { ReadyQueue, type Runnable } from "../lib/ready-queue.js";
import { FifoStore } from "../lib/sync/item-stores.js";

/** The indices of `array` that are holes (no own property): what XS copies the array for at each write. */
const holes = (array: unknown[]): number[] => Array.from({ length: array.length }, (_, i) => i).filter((i) => !Object.prototype.hasOwnProperty.call(array, i));
/** A ring buffer's private slots. */
const slotsOf = (ring: ReadyQueue | FifoStore<unknown>): unknown[] => (ring as unknown as { items: unknown[] }).items;

describe("emptySlots: dense ring-buffer storage (no holes, which XS fills in quadratic time)", () => {
  it("gives `capacity` own slots, all undefined", () => {
    for (const capacity of [0, 1, 8, 1024]) {
      const slots = emptySlots<number>(capacity);
      expect(slots).to.have.length(capacity);
      expect(holes(slots)).to.deep.equal([]);
      expect(slots.every((slot) => slot === undefined)).to.equal(true);
    }
  });

  it("the ready queue and the FIFO item store stay dense as they grow, shrink and clear, in FIFO order", () => {
    const queue = new ReadyQueue();
    const store = new FifoStore<number>();
    const runnables: Runnable[] = Array.from({ length: 100 }, () => ({ _run() {} }));
    for (let i = 0; i < 100; i++) {
      queue.push(runnables[i]);
      store.put(i);
    }
    expect([slotsOf(queue).length, slotsOf(store).length]).to.deep.equal([128, 128]);
    expect([holes(slotsOf(queue)), holes(slotsOf(store))]).to.deep.equal([[], []]);
    const out: number[] = [];
    for (let i = 0; i < 95; i++) {
      expect(queue.shift()).to.equal(runnables[i]);
      out.push(store.take());
    }
    expect(out).to.deep.equal(Array.from({ length: 95 }, (_, i) => i));
    expect(queue.shrinkIfSparse()).to.equal(true);
    expect(slotsOf(queue)).to.have.length(64);
    expect(holes(slotsOf(queue))).to.deep.equal([]);
    queue.clear();
    store.clear();
    expect([holes(slotsOf(queue)), holes(slotsOf(store))]).to.deep.equal([[], []]);
  });
});
