// Call graphs, as asyncio 3.14's Lib/asyncio/graph.py; the first cases port
// Lib/test/test_asyncio/test_graph.py (CallStackTestBase) to genloop.
import { expect } from "chai";
import {
  EventLoop,
  TimeoutError,
  asCompleted,
  Future,
  RuntimeError,
  Task,
  VirtualClock,
  call,
  captureCallGraph,
  createTask,
  formatCallGraph,
  futureAddToAwaitedBy,
  futureDiscardFromAwaitedBy,
  gather,
  printCallGraph,
  shield,
  sleep,
  taskGroup,
  timeout,
  wait,
  type FutureCallGraph,
} from "../../lib/index.js";
import { vrun, type Co } from "../helpers.js";

type Walked = [string, string[], Walked[]];

/** test_graph.py's `walk`: task name (T<anon> for default names) or F, call-stack names, sorted awaited-by. */
function walk(graph: FutureCallGraph): Walked {
  const f = graph.future;
  const title = f instanceof Task ? (f.getName().indexOf("-") !== -1 ? "T<anon>" : `T<${f.getName()}>`) : "F";
  const awaited = graph.awaitedBy.map(walk).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return [title, graph.callStack.map((e) => e.name), awaited];
}

/** As test_graph.py's capture_test_stack: `depth: 2` leaves this helper's own frame out. */
function capture(future?: Future<any>): Walked {
  const graph = captureCallGraph(future, { depth: 2 });
  expect(graph).to.not.equal(null);
  return walk(graph as FutureCallGraph);
}

describe("call graph (asyncio 3.14 graph.py)", () => {
  // The chain most cases capture from, as in test_graph.py: a task runs c1, which calls deep
  // inline after a switch; deep takes the graph into `captured`.
  let captured: Walked | null = null;
  function* deep(): Co<void> {
    yield* sleep(0);
    captured = capture();
  }
  function* c1(): Co<void> {
    yield* sleep(0);
    yield* call(deep());
  }
  beforeEach(() => {
    captured = null;
  });

  it("taskGroup: a task awaited by two tasks and by the group's parent (test_stack_tgroup)", () => {
    function c5(): void {
      captured = capture();
    }
    function* c4(): Co<void> {
      yield* sleep(0);
      c5();
    }
    function* c3(): Co<void> {
      yield* call(c4());
    }
    function* c2(): Co<void> {
      yield* call(c3());
    }
    function* c1(task: Task<unknown>): Co<void> {
      yield* task;
    }
    function* main(): Co<void> {
      yield* taskGroup(function* (tg) {
        const task = tg.createTask(c2(), { name: "c2_root" });
        tg.createTask(c1(task), { name: "sub_main_1" });
        tg.createTask(c1(task), { name: "sub_main_2" });
      });
    }
    vrun(main());
    const root: Walked = ["T<anon>", ["taskGroup", "main"], []];
    expect(captured).to.deep.equal([
      "T<c2_root>",
      ["c5", "c4", "c3", "c2"],
      [root, ["T<sub_main_1>", ["c1"], [root]], ["T<sub_main_2>", ["c1"], [root]]],
    ]);
  });

  it("gather: a child is awaited by the task that gathers (test_stack_gather)", () => {
    function* c2(): Co<void> {
      yield* sleep(0);
    }
    function* main(): Co<void> {
      yield* gather(c1(), c2());
    }
    vrun(main());
    expect(captured).to.deep.equal(["T<anon>", ["deep", "c1"], [["T<anon>", ["gather", "main"], []]]]);
  });

  it("shield: the inner task is awaited by the shielding task (test_stack_shield)", () => {
    function* main(): Co<void> {
      yield* shield(c1());
    }
    vrun(main());
    expect(captured).to.deep.equal(["T<anon>", ["deep", "c1"], [["T<anon>", ["main"], []]]]);
  });

  it("timeout: the scope shows in the call stack (test_stack_timeout)", () => {
    // Its own c1: deep is called inside a timeout scope.
    function* c1(): Co<void> {
      yield* timeout(1000, function* () {
        yield* sleep(0);
        yield* call(deep());
      });
    }
    function* main(): Co<void> {
      yield* shield(c1());
    }
    vrun(main());
    const [title, stack, awaitedBy] = captured as unknown as Walked;
    expect(title).to.equal("T<anon>");
    expect(stack[0]).to.equal("deep");
    expect(stack).to.include("timeout");
    expect(stack[stack.length - 1]).to.equal("c1");
    expect(awaitedBy).to.deep.equal([["T<anon>", ["main"], []]]);
  });

  it("wait: the futures are awaited by the waiting task (test_stack_wait)", () => {
    function* c2(): Co<void> {
      for (let i = 0; i < 3; i++) yield* sleep(0);
    }
    function* main(t1: Task<unknown>, t2: Task<unknown>): Co<void> {
      for (;;) {
        const [, pending] = yield* wait([t1, t2]);
        if (pending.size === 0) break;
      }
    }
    function* test(): Co<void> {
      const t1 = createTask(c1());
      const t2 = createTask(c2());
      yield* call(main(t1, t2));
    }
    vrun(test());
    expect(captured).to.deep.equal(["T<anon>", ["deep", "c1"], [["T<anon>", ["wait", "main", "test"], []]]]);
  });

  it("asCompleted: the iterating task awaits each input until it completes or times out", () => {
    const seen: Walked[][] = [];
    let sourcesAfter = -1;
    function* c2(): Co<void> {
      for (let i = 0; i < 3; i++) yield* sleep(0);
    }
    function* main(): Co<void> {
      const never = new Future<void>();
      const t1 = createTask(c1());
      const t2 = createTask(c2(), { name: "c2" });
      const [first, second, third] = Array.from(asCompleted([t1, t2, never], { timeout: 50 }));
      seen.push(capture(t2)[2], capture(never)[2]);
      yield* first; // t1 completes first
      seen.push(capture(t1)[2], capture(t2)[2]);
      yield* second; // then t2
      try {
        yield* third;
        expect.fail("the future never completes: its item times out");
      } catch (e) {
        if (!(e instanceof TimeoutError)) throw e;
      }
      // Timed out: the iteration no longer awaits the future, and the loop keeps nothing of it.
      seen.push(capture(never)[2]);
      sourcesAfter = (never.getLoop() as unknown as { _edgeSources: Set<unknown> | null })._edgeSources?.size ?? 0;
    }
    vrun(main());
    const main_: Walked = ["T<anon>", ["main"], []];
    expect(seen).to.deep.equal([[main_], [main_], [], [main_], []]);
    expect(captured).to.deep.equal(["T<anon>", ["deep", "c1"], [["T<anon>", ["asCompletedNext", "main"], []]]]);
    expect(sourcesAfter).to.equal(0);
  });

  it("a task awaited with yield* (test_stack_task)", () => {
    function* c2(): Co<void> {
      yield* createTask(c1(), { name: "there there" });
    }
    function* main(): Co<void> {
      yield* call(c2());
    }
    vrun(main());
    expect(captured).to.deep.equal(["T<there there>", ["deep", "c1"], [["T<anon>", ["c2", "main"], []]]]);
  });

  it("a plain future awaited by two tasks (test_stack_future)", () => {
    let text = "";
    function* a2(fut: Future<void>): Co<void> {
      yield* fut;
    }
    function* a1(fut: Future<void>): Co<void> {
      yield* call(a2(fut));
    }
    function* b1(fut: Future<void>): Co<void> {
      yield* fut;
    }
    function* main(): Co<void> {
      const fut = new Future<void>();
      yield* taskGroup(function* (g) {
        g.createTask(a1(fut), { name: "task A" });
        g.createTask(b1(fut), { name: "task B" });
        for (let i = 0; i < 5; i++) yield* sleep(0);
        captured = capture(fut);
        text = formatCallGraph(fut);
        fut.setResult();
      });
    }
    vrun(main());
    // The group's parent is the running task: its stack is live, down to the group's body.
    const root: Walked = ["T<anon>", ["<anonymous>", "taskGroup", "main"], []];
    expect(captured).to.deep.equal(["F", [], [["T<task A>", ["a2", "a1"], [root]], ["T<task B>", ["b1"], [root]]]]);
    expect(text.startsWith("* Future(id=")).to.equal(true);
  });

  it("formats asyncio's layout", () => {
    let text = "";
    function* child(): Co<void> {
      text = formatCallGraph();
      yield* sleep(0);
    }
    function* main(): Co<void> {
      yield* createTask(child(), { name: "child" });
    }
    vrun(main());
    expect(text.split("\n").map((l) => l.replace(/File '.*', line \d+, column \d+, in /, "File …, in "))).to.deep.equal([
      "* Task(name='child', id=1)",
      "  + Call stack:",
      "  |   File …, in child()",
      "  + Awaited by:",
      "    * Task(name='Task-1', id=2)".replace("Task-1", (text.match(/name='(Task-\d+)'/) ?? ["", ""])[1]),
      "      + Call stack:",
      "      |   main()",
    ]);
  });

  it("prints each task of a 36-task diamond once: output linear in tasks, not paths", () => {
    // 18 layers of 2 tasks; each task of a layer awaits both tasks of the next: 2^18 paths.
    const loop = new EventLoop({ clock: new VirtualClock() });
    const bottom = loop.createFuture<void>();
    const layers: Task<unknown>[][] = [];
    function* awaitBoth(a: Future<void>, b: Future<void>): Co<void> {
      yield* gather(a, b);
    }
    let below: [Future<void>, Future<void>] = [bottom, bottom];
    for (let layer = 0; layer < 18; layer++) {
      const pair = [0, 1].map((i) => loop.createTask(awaitBoth(below[0], below[1]), { name: `L${layer}.${i}` }) as Task<void>);
      layers.push(pair);
      below = [pair[0], pair[1]];
    }
    for (let i = 0; i < 3; i++) loop.step();
    const text = formatCallGraph(bottom);
    const nodes = text.split("\n").filter((l) => /^\s*\* /.test(l));
    const full = nodes.filter((l) => !l.endsWith("(shown above)"));
    expect(full).to.have.length(37); // the future and the 36 tasks, once each
    expect(nodes.length).to.be.lessThan(3 * 37);
    const graph = captureCallGraph(bottom) as FutureCallGraph;
    // Shared nodes are shared objects: the two tasks of layer 0 are awaited by the same two nodes.
    expect(graph.awaitedBy[0].awaitedBy[0]).to.equal(graph.awaitedBy[1].awaitedBy[0]);
    bottom.setResult();
    loop.runUntilComplete(layers[17][0]);
    loop.close();
  });

  it("captures a wait cycle once around", () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    const tasks: Task<unknown>[] = [];
    function* awaitOther(i: number): Co<void> {
      yield* sleep(0);
      yield* tasks[1 - i];
    }
    tasks.push(loop.createTask(awaitOther(0), { name: "A" }), loop.createTask(awaitOther(1), { name: "B" }));
    for (let i = 0; i < 3; i++) loop.step();
    const graph = captureCallGraph(tasks[0]) as FutureCallGraph;
    expect(graph.awaitedBy[0].future).to.equal(tasks[1]);
    expect(graph.awaitedBy[0].awaitedBy[0]).to.equal(graph);
    expect(formatCallGraph(tasks[0]).split("\n").filter((l) => l.includes("* Task"))).to.deep.equal([
      "* Task(name='A', id=1)",
      "    * Task(name='B', id=2)",
      "        * Task(name='A', id=1) (shown above)",
    ]);
    loop.setExceptionHandler(() => {});
    loop.close();
  });

  it("limit keeps the outermost (positive) or innermost (negative) entries; 0 none; depth skips innermost", () => {
    const seen: Record<string, string[]> = {};
    function* c3(): Co<void> {
      yield* sleep(0);
      for (const [key, options] of [["all", {}], ["1", { limit: 1 }], ["-1", { limit: -1 }], ["0", { limit: 0 }], ["depth2", { depth: 2 }]] as const) {
        seen[key] = (captureCallGraph(undefined, options) as FutureCallGraph).callStack.map((e) => e.name);
      }
    }
    function* c2(): Co<void> {
      yield* call(c3());
    }
    function* c1(): Co<void> {
      yield* call(c2());
    }
    vrun(c1());
    expect(seen).to.deep.equal({ all: ["c3", "c2", "c1"], "1": ["c1"], "-1": ["c3"], "0": [], depth2: ["c2", "c1"] });
  });

  it("returns null in a callback, throws outside a loop without a future, validates its arguments", () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    let inCallback: unknown = "unset";
    loop.callSoon(() => {
      inCallback = captureCallGraph();
    });
    loop.runUntilComplete(loop.createTask((function* () { yield* sleep(0); })()));
    expect(inCallback).to.equal(null);
    expect(() => captureCallGraph()).to.throw(RuntimeError, /outside of a running event loop/);
    expect(formatCallGraph(loop.createFuture())).to.equal("* Future(id=1)");
    expect(() => captureCallGraph({} as never)).to.throw(TypeError, /future must be a Future or Task, got an object/);
    expect(() => captureCallGraph(loop.createFuture(), { depth: 0 })).to.throw(RangeError, /depth must be a whole number ≥ 1/);
    expect(() => captureCallGraph(loop.createFuture(), { limit: 1.5 })).to.throw(RangeError, /limit must be a whole number/);
    expect(() => printCallGraph(loop.createFuture(), { write: 1 as never })).to.throw(TypeError, /write must be a function/);
  });

  it("printCallGraph writes the formatted graph", () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    const out: string[] = [];
    printCallGraph(loop.createFuture(), { write: (t) => out.push(t) });
    expect(out).to.deep.equal(["* Future(id=1)"]);
  });

  it("futureAddToAwaitedBy / futureDiscardFromAwaitedBy record and forget an edge, and check their arguments", () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    const other = new EventLoop({ clock: new VirtualClock() });
    const fut = loop.createFuture();
    const waiter = loop.createFuture();
    futureAddToAwaitedBy(fut, waiter);
    futureAddToAwaitedBy(fut, waiter);
    expect((captureCallGraph(fut) as FutureCallGraph).awaitedBy.map((g) => g.future)).to.deep.equal([waiter]);
    futureDiscardFromAwaitedBy(fut, waiter);
    futureDiscardFromAwaitedBy(fut, waiter);
    expect((captureCallGraph(fut) as FutureCallGraph).awaitedBy).to.deep.equal([]);
    expect(() => futureAddToAwaitedBy(null as never, waiter)).to.throw(TypeError, /futureAddToAwaitedBy: future must be a Future or Task, got null/);
    expect(() => futureDiscardFromAwaitedBy(fut, 3 as never)).to.throw(TypeError, /waiter must be a Future or Task, got 3/);
    expect(() => futureAddToAwaitedBy(fut, other.createFuture())).to.throw(RangeError, /different event loops/);
  });

  it("drops a task's recorded edges when it ends", () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    const parent = loop.createFuture();
    const task = loop.createTask((function* () { yield* sleep(1); })());
    futureAddToAwaitedBy(task, parent);
    loop.runUntilComplete(task);
    expect(loop._awaitedBy === null || !loop._awaitedBy.has(task)).to.equal(true);
  });

  it("in debug mode, entries say where each coroutine is suspended", () => {
    let graph: FutureCallGraph | null = null;
    function* child(): Co<void> {
      yield* sleep(5);
    }
    function* main(): Co<void> {
      const task = createTask(child(), { name: "child" });
      yield* sleep(1);
      graph = captureCallGraph(task);
      yield* task;
    }
    vrun(main(), true);
    const entry = (graph as unknown as FutureCallGraph).callStack[0];
    expect(entry.name).to.equal("child");
    expect(entry.file).to.match(/call-graph\.spec\.(js|ts)$/);
    expect(entry.line).to.be.a("number");
    expect(entry.column).to.be.a("number");
  });
});
