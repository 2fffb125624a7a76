import { expect } from "chai";
import { EventLoop, VirtualClock, allTasks, createTask, currentTask, getRunningLoop, run, sleep, type Coroutine, type Task } from "../lib/index.js";
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

  it("removing leaves the task linked until a compaction: never more dead tasks than members, plus one", () => {
    const { loop, ts } = tasks(10);
    const r = new TaskRegistry();
    loop._tasks.clear();
    for (const t of ts) r.add(t);
    const linked = (): number => ts.filter((t) => t._nextTask !== null).length + 1; // and the tail
    // Remove every other one: at most size + 1 dead ones stay linked at any time.
    for (let i = 0; i < 10; i += 2) {
      r.delete(ts[i]);
      expect(linked() - r.size).to.be.at.most(r.size + 1);
    }
    expect(r.size).to.equal(5);
    expect(r.toArray()).to.deep.equal([ts[1], ts[3], ts[5], ts[7], ts[9]]);
    // A dead task unlinked by a compaction keeps no other task reachable.
    for (let i = 1; i < 9; i += 2) r.delete(ts[i]);
    expect(r.toArray()).to.deep.equal([ts[9]]);
    expect(ts.slice(0, 9).every((t) => t._nextTask === null)).to.equal(true);
    // Re-adding a task removed but still linked moves it to the end, once.
    r.add(ts[0]);
    r.add(ts[2]);
    r.delete(ts[0]);
    r.add(ts[0]);
    expect(r.toArray()).to.deep.equal([ts[9], ts[2], ts[0]]);
    expect(r.size).to.equal(3);
    r.clear();
    expect(ts.every((t) => t._nextTask === null && !r.has(t))).to.equal(true);
    loop.close();
  });

  it("allTasks() keeps creation order while many tasks finish out of order", () => {
    const order = run(
      (function* () {
        // 200 tasks sleeping 1..200 ms in a shuffled order: they finish in an order unlike
        // their creation's, and compactions happen along the way.
        const delays = Array.from({ length: 200 }, (_, i) => ((i * 37) % 200) + 1);
        const all = delays.map((ms) => createTask((function* () { yield* sleep(ms); })()));
        const main = currentTask()!;
        const seen: boolean[] = [];
        for (let t = 0; t <= 200; t += 10) {
          yield* sleep(t === 0 ? 0 : 10);
          const pending = all.filter((task) => !task.done());
          const listed = [...allTasks()];
          seen.push(listed.length === pending.length + 1 && listed[0] === main && listed.slice(1).every((task, i) => task === pending[i]));
          seen.push(getRunningLoop()._tasks.size === pending.length + 1);
        }
        return seen;
      })(),
      { clock: new VirtualClock() },
    );
    expect(order.length).to.equal(42);
    expect(order.every((ok) => ok)).to.equal(true);
  });

  it("drops a task from the loop's registry when it ends", () => {
    const { loop, ts } = tasks(3);
    expect(loop._tasks.size).to.equal(3);
    loop.runUntilComplete(ts[2]);
    expect(loop._tasks.size).to.equal(0);
    loop.close();
  });
});
