import { expect } from "chai";
import { EventLoop, VirtualClock, createTask, gather, run, sleep, type Coroutine } from "../lib/index.js";

/** The order in which `n` tasks sleeping `delays[i]` ms wake, under `scheduleSeed` (none: asyncio's order). */
function wakeOrder(delays: number[], scheduleSeed?: number): number[] {
  const order: number[] = [];
  function* sleeper(i: number): Coroutine<void> {
    yield* sleep(delays[i]);
    order.push(i);
  }
  run(
    (function* () {
      yield* gather(...delays.map((_, i) => createTask(sleeper(i))));
    })(),
    { clock: new VirtualClock(), scheduleSeed },
  );
  return order;
}

const eight = [10, 10, 10, 10, 10, 10, 10, 10];

describe("scheduleSeed: seeded order of equal-deadline timers", () => {
  it("is off by default: equal deadlines fire in scheduling order", () => {
    expect(wakeOrder(eight)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it("the same seed gives the same order, run after run", () => {
    for (const seed of [0, 1, 42, 4294967295]) expect(wakeOrder(eight, seed)).to.deep.equal(wakeOrder(eight, seed));
  });

  it("different seeds give different orders of the same timers", () => {
    const orders = new Set<string>();
    for (let seed = 0; seed < 20; seed++) orders.add(wakeOrder(eight, seed).join(","));
    expect(orders.size).to.be.greaterThan(10);
    for (const order of orders) expect(order.split(",").map(Number).sort()).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it("never reorders timers of different deadlines", () => {
    const delays = [30, 10, 20, 10, 30, 20];
    for (let seed = 0; seed < 30; seed++) {
      const order = wakeOrder(delays, seed);
      expect(order.map((i) => delays[i])).to.deep.equal([10, 10, 20, 20, 30, 30]);
    }
  });

  it("keeps callSoon callbacks in FIFO order, ahead of the timers that become due", () => {
    for (let seed = 0; seed < 10; seed++) {
      const loop = new EventLoop({ clock: new VirtualClock(), scheduleSeed: seed });
      const log: string[] = [];
      loop.callLater(0, () => log.push("timer a"));
      loop.callLater(0, () => log.push("timer b"));
      for (const name of ["soon 1", "soon 2", "soon 3"]) loop.callSoon(() => log.push(name));
      loop.callSoon(() => loop.stop());
      loop.runForever();
      loop.runUntilComplete(sleep(0));
      expect(log.slice(0, 3)).to.deep.equal(["soon 1", "soon 2", "soon 3"]);
      expect(log.slice(3).sort()).to.deep.equal(["timer a", "timer b"]);
      loop.close();
    }
  });

  it("drops cancelled timers of a tie and runs the rest", () => {
    const loop = new EventLoop({ clock: new VirtualClock(), scheduleSeed: 3 });
    const log: string[] = [];
    const handles = ["a", "b", "c", "d"].map((name) => loop.callLater(5, () => log.push(name)));
    handles[1].cancel();
    loop.runUntilComplete(sleep(10));
    expect(log.sort()).to.deep.equal(["a", "c", "d"]);
    loop.close();
  });

  it("rejects a seed that is not a whole number from 0 to 2^32-1", () => {
    for (const bad of [-1, 1.5, NaN, 2 ** 32, "7", null]) {
      expect(() => new EventLoop({ scheduleSeed: bad as number })).to.throw(RangeError, /scheduleSeed must be a whole number/);
    }
  });
});
