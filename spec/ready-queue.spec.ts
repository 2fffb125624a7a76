import { expect } from "chai";
import { ReadyQueue, type Runnable } from "../lib/ready-queue.js";

const item = (id: number): Runnable & { id: number } => ({ id, _run() {} });

describe("ReadyQueue", () => {
  it("is FIFO", () => {
    const q = new ReadyQueue();
    for (let i = 0; i < 5; i++) q.push(item(i));
    const out = [];
    while (q.length > 0) out.push((q.shift() as Runnable & { id: number }).id);
    expect(out).to.deep.equal([0, 1, 2, 3, 4]);
  });

  it("keeps FIFO order while growing across the ring's wrap-around", () => {
    const q = new ReadyQueue();
    const out: number[] = [];
    let next = 0;
    // Interleave pushes and shifts so the head moves before the buffer has to grow.
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 7; i++) q.push(item(next++));
      for (let i = 0; i < 5; i++) out.push((q.shift() as Runnable & { id: number }).id);
    }
    while (q.length > 0) out.push((q.shift() as Runnable & { id: number }).id);
    expect(out).to.deep.equal(Array.from({ length: next }, (_, i) => i));
  });

  it("clear() empties it", () => {
    const q = new ReadyQueue();
    q.push(item(1));
    q.clear();
    expect(q.length).to.equal(0);
    q.push(item(2));
    expect((q.shift() as Runnable & { id: number }).id).to.equal(2);
  });
});
