import { expect } from "chai";
import {
  DeadlockError,
  Event,
  EventLoop,
  Queue,
  VirtualClock,
  callback,
  describeWait,
  enqueue,
  formatTaskTree,
  gather,
  printTaskTree,
  run,
  sleep,
  spawn,
  taskGroup,
  type ExceptionContext,
  type Task,
} from "../../lib/index.js";
import type { Co } from "../helpers.js";

function loopOf(debug = false): { loop: EventLoop; reports: ExceptionContext[] } {
  const loop = new EventLoop({ clock: new VirtualClock(), debug });
  const reports: ExceptionContext[] = [];
  loop.setExceptionHandler((_l, ctx) => reports.push(ctx));
  return { loop, reports };
}

describe("task tree and wait descriptions", () => {
  it("prints every pending task as a forest, each line saying what it waits on", () => {
    const { loop } = loopOf();
    const event = new Event();
    const queue = new Queue<number>(3);
    function* nap(ms: number): Co<void> {
      yield* sleep(ms);
    }
    function* waitEvent(): Co<void> {
      yield* event.wait();
    }
    function* get(): Co {
      return yield* queue.get();
    }
    function* helper(): Co {
      return yield* gather(nap(1500), waitEvent(), get());
    }
    function* main(): Co<void> {
      yield* spawn(get(), { name: "getter" });
      yield* taskGroup(function* (tg) {
        tg.createTask(helper(), { name: "helper" });
        tg.createTask(nap(100), { name: "short" });
      });
    }
    loop.createTask(main(), { name: "main" });
    for (let i = 0; i < 4; i++) loop.step();
    const text = formatTaskTree(loop).replace(/Task-\d+/g, "Task-n");
    expect(text.split("\n")).to.deep.equal([
      "Task 'main' (pending): end of taskGroup, waiting for its tasks",
      "├── Task 'helper' (pending): gather of 3 (0 done)",
      "│   ├── Task 'Task-n' (pending): sleep until 1500 ms",
      "│   ├── Task 'Task-n' (pending): <Event [unset, waiters:1]>.wait()",
      "│   └── Task 'Task-n' (pending): <Queue maxsize=3 _getters[2]>.get()",
      "└── Task 'short' (pending): sleep until 100 ms",
      "Task 'getter' (pending): <Queue maxsize=3 _getters[2]>.get()",
    ]);
    const printed: string[] = [];
    printTaskTree(loop, (t) => printed.push(t));
    expect(printed).to.deep.equal([formatTaskTree(loop)]);
    loop.setExceptionHandler(() => {});
    loop.close();
  });

  it("describes a gather's progress, a host callback by its setup's name, a task, running and ready tasks", () => {
    const { loop } = loopOf();
    const seen: string[] = [];
    function* quick(): Co {
      return 1;
    }
    function* slow(): Co<void> {
      yield* sleep(10);
    }
    function* host(): Co<void> {
      yield* callback(function readFile() {});
    }
    function* main(): Co<void> {
      seen.push(describeWait(self));
      const hostTask = yield* spawn(host(), { name: "host" });
      const child = yield* spawn(slow(), { name: "slow" });
      yield* gather(quick(), slow(), child, hostTask);
    }
    const self = loop.createTask(main(), { name: "main" }) as Task<unknown>;
    expect(describeWait(self)).to.equal("ready to run");
    for (let i = 0; i < 3; i++) loop.step();
    expect(seen).to.deep.equal(["running"]);
    expect(describeWait(self)).to.equal("gather of 4 (1 done)");
    const host1 = Array.from(loop._tasks).filter((t) => t.getName() === "host")[0];
    expect(describeWait(host1)).to.equal("host callback 'readFile'");
    loop.setExceptionHandler(() => {});
    loop.close();
  });

  it("names a finished task by its state", () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    const task = loop.createTask((function* () { return 1; })());
    loop.runUntilComplete(task);
    expect(describeWait(task)).to.equal("finished");
    expect(() => describeWait({} as never)).to.throw(TypeError, /describeWait: a Task is required/);
  });

  it("prints a task waited on by several once, and a wait cycle", () => {
    const { loop } = loopOf();
    const tasks: Task<unknown>[] = [];
    function* awaitTask(i: number): Co<void> {
      yield* sleep(0);
      yield* tasks[i];
    }
    function* shared(): Co<void> {
      yield* sleep(100);
    }
    tasks.push(loop.createTask(shared(), { name: "shared" }));
    tasks.push(loop.createTask(awaitTask(0), { name: "w1" }), loop.createTask(awaitTask(0), { name: "w2" }));
    tasks.push(loop.createTask(awaitTask(4), { name: "A" }), loop.createTask(awaitTask(3), { name: "B" }));
    for (let i = 0; i < 3; i++) loop.step();
    expect(formatTaskTree(loop).split("\n")).to.deep.equal([
      "Task 'w1' (pending): task 'shared'",
      "└── Task 'shared' (pending): sleep until 100 ms",
      "Task 'w2' (pending): task 'shared'",
      "└── Task 'shared' (shown above)",
      "Task 'A' (pending): task 'B'",
      "└── Task 'B' (pending): task 'A'",
      "    └── Task 'A' (shown above)",
    ]);
    loop.close();
  });

  it("grows linearly: a 36-task diamond prints 36 task lines", () => {
    const { loop } = loopOf();
    const bottom = loop.createFuture<void>();
    function* awaitBoth(a: unknown, b: unknown): Co<void> {
      yield* gather(a as Task<void>, b as Task<void>);
    }
    let below: unknown[] = [bottom, bottom];
    for (let layer = 0; layer < 18; layer++) {
      below = [0, 1].map((i) => loop.createTask(awaitBoth(below[0], below[1]), { name: `L${layer}.${i}` }));
    }
    for (let i = 0; i < 3; i++) loop.step();
    const lines = formatTaskTree(loop).split("\n");
    expect(lines.filter((l) => !l.endsWith("(shown above)"))).to.have.length(36);
    expect(lines.length).to.be.lessThan(3 * 36);
    loop.close();
  });

  it("in debug mode, says where each task is suspended and where it was created", () => {
    const { loop } = loopOf(true);
    function* nap(): Co<void> {
      yield* sleep(50);
    }
    loop.createTask(nap(), { name: "napper" });
    loop.step();
    const lines = formatTaskTree(loop).split("\n");
    expect(lines[0]).to.equal("Task 'napper' (pending): sleep until 50 ms");
    expect(lines[1]).to.match(/^ {4}suspended at nap \(.*task-tree\.spec\.(js|ts):\d+:\d+\)$/);
    expect(lines[2]).to.match(/^ {4}created at .*task-tree\.spec\.(js|ts):\d+:\d+/);
    loop.close();
  });

  it("the deadlock error and the destroyed-task report use the same descriptions", () => {
    const event = new Event();
    function* waiter(): Co<void> {
      yield* event.wait();
    }
    function* main(): Co<void> {
      yield* spawn(waiter(), { name: "waiter" });
      yield* sleep(10);
      yield* event.wait();
    }
    expect(() => run(main(), { clock: new VirtualClock() })).to.throw(
      DeadlockError,
      /2 task\(s\) are waiting: Task-\d+ \(waiting on <Event \[unset, waiters:2\]>\.wait\(\)\), waiter \(waiting on <Event \[unset, waiters:2\]>\.wait\(\)\)/,
    );
    const { loop, reports } = loopOf();
    loop.createTask((function* () { yield* sleep(1000); })(), { name: "sleeper" });
    loop.step();
    loop.close();
    expect(reports[0].message).to.equal("Task was destroyed but it is pending!");
    expect(reports[0].waitingOn).to.equal("sleep until 1000 ms");
  });

  it("a policy's queued instances say which policy and their place in its queue, in the tree and the deadlock error", () => {
    const event = new Event();
    const save = enqueue(function* save(_n: number): Co<void> {
      yield* event.wait();
    });
    const { loop } = loopOf();
    const tasks = [1, 2, 3].map((n) => loop.createTask((function* () { yield* save.perform(n); })(), { name: `caller${n}` }));
    loop.step();
    loop.step();
    expect(tasks.map((t) => describeWait(t))).to.deep.equal(["task 'save#1'", "task 'save#2'", "task 'save#3'"]);
    const tree = formatTaskTree(loop);
    expect(tree).to.contain("Task 'save#1' (pending): <Event [unset, waiters:1]>.wait()");
    expect(tree).to.contain("Task 'save#2' (pending): queued in enqueue 'save' (place 1 of 2; 1/1 running)");
    expect(tree).to.contain("Task 'save#3' (pending): queued in enqueue 'save' (place 2 of 2; 1/1 running)");
    expect(tree).not.to.contain("<Future pending>");
    loop.close();

    const never = new Event();
    const jobs = enqueue(function* job(): Co<void> {
      yield* never.wait();
    });
    function* main(): Co<void> {
      jobs.perform();
      yield* jobs.perform();
    }
    expect(() => run(main(), { clock: new VirtualClock() })).to.throw(DeadlockError, /job#2 \(waiting on queued in enqueue 'job' \(place 1 of 1; 1\/1 running\)\)/);
  });

  it("checks its argument and needs a loop", () => {
    expect(() => formatTaskTree({} as never)).to.throw(TypeError, /formatTaskTree: loop must be an EventLoop/);
    expect(() => formatTaskTree()).to.throw(/no running event loop/);
    expect(formatTaskTree(new EventLoop({ clock: new VirtualClock() }))).to.equal("");
  });
});
