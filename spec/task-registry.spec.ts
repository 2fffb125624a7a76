import { expect } from "chai";
import { EventLoop, VirtualClock, type Coroutine, type Task } from "../lib/index.js";
import { TaskRegistry } from "../lib/task-registry.js";

function* idle(): Coroutine<void> {}

describe("TaskRegistry (a loop's pending tasks)", () => {
  function tasks(n: number): { loop: EventLoop; ts: Task<void>[] } {
    const loop = new EventLoop({ clock: new VirtualClock() });
    const ts = Array.from({ length: n }, () => loop.createTask(idle()));
    return { loop, ts };
  }

  it("keeps creation order and the Set methods the loop uses", () => {
    const { loop, ts } = tasks(4);
    const r = new TaskRegistry();
    loop._tasks.clear(); // each task may be in one registry: take them out of the loop's
    for (const t of ts) r.add(t);
    r.add(ts[1]); // adding twice changes nothing
    expect(r.size).to.equal(4);
    expect([...r]).to.deep.equal(ts);
    expect(r.delete(ts[1])).to.equal(true);
    expect(r.delete(ts[1])).to.equal(false);
    expect(r.has(ts[1])).to.equal(false);
    expect(r.has(ts[0])).to.equal(true);
    expect(r.delete(ts[0])).to.equal(true);
    expect(r.delete(ts[3])).to.equal(true);
    expect(Array.from(r)).to.deep.equal([ts[2]]);
    r.add(ts[0]);
    expect([...r]).to.deep.equal([ts[2], ts[0]]);
    r.clear();
    expect(r.size).to.equal(0);
    expect([...r]).to.deep.equal([]);
    expect(ts.some((t) => r.has(t))).to.equal(false);
    loop.close();
  });

  it("iterates a snapshot: removing tasks while iterating visits each once", () => {
    const { loop, ts } = tasks(5);
    const seen: Task<unknown>[] = [];
    for (const t of loop._tasks) {
      seen.push(t);
      loop._tasks.delete(t);
      if (t === ts[0]) loop._tasks.delete(ts[1]);
    }
    expect(seen).to.deep.equal(ts);
    expect(loop._tasks.size).to.equal(0);
    loop.close();
  });

  it("drops a task from the loop's registry when it ends", () => {
    const { loop, ts } = tasks(3);
    expect(loop._tasks.size).to.equal(3);
    loop.runUntilComplete(ts[2]);
    expect(loop._tasks.size).to.equal(0);
    loop.close();
  });
});
