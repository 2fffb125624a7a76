// Eager tasks (asyncio 3.12+): CPython's Lib/test/test_asyncio/test_eager_task_factory.py ported,
// plus what genloop adds (gather and taskGroup complete eagerly, validation). Expected values were
// checked against CPython 3.13.
import { expect } from "chai";
import {
  CancelledError,
  EventLoop,
  Task,
  VirtualClock,
  allTasks,
  createEagerTaskFactory,
  createTask,
  currentTask,
  eagerTaskFactory,
  gather,
  getRunningLoop,
  run,
  sleep,
  spawn,
  taskGroup,
  type Coroutine,
  type TaskFactory,
  type TaskOptions,
} from "../lib/index.js";

function eagerLoop(ctor: new <T>(coro: Coroutine<T>, loop: EventLoop, options?: TaskOptions) => Task<T> = Task): EventLoop {
  const loop = new EventLoop({ clock: new VirtualClock() });
  loop.setTaskFactory(createEagerTaskFactory(ctor));
  return loop;
}

/** Runs `body` as a task of `loop`, so that the loop is running when it creates tasks. */
function runOn<T>(loop: EventLoop, body: () => Coroutine<T>): T {
  try {
    return loop.runUntilComplete(body());
  } finally {
    loop.close();
  }
}

class SubTask<T> extends Task<T> {}

for (const [label, ctor] of [["Task", Task], ["a Task subclass", SubTask]] as const) {
  describe(`eager task factory (CPython EagerTaskFactoryLoopTests) with ${label}`, () => {
    it("test_eager_task_factory_set: the loop reports the factory; tasks are of the given class", () => {
      const factory = createEagerTaskFactory(ctor);
      const loop = new EventLoop({ clock: new VirtualClock() });
      loop.setTaskFactory(factory);
      expect(loop.getTaskFactory()).to.equal(factory);
      runOn(loop, function* () {
        const t = getRunningLoop().createTask((function* () {})());
        expect(t).to.be.instanceOf(ctor);
        yield* t;
      });
    });

    it("test_await_future_during_eager_step: the eager step sets a future's result", () => {
      const loop = eagerLoop(ctor);
      const result = runOn(loop, function* () {
        const fut = loop.createFuture<string>();
        const t = loop.createTask((function* () { fut.setResult("my message"); })());
        expect(t.done()).to.equal(true);
        return yield* fut;
      });
      expect(result).to.equal("my message");
    });

    it("test_eager_completion: a coroutine that never suspends is done when createTask returns", () => {
      const loop = eagerLoop(ctor);
      const result = runOn(loop, function* () {
        const t = loop.createTask((function* () { return "hello"; })());
        expect(t.done()).to.equal(true);
        return yield* t;
      });
      expect(result).to.equal("hello");
    });

    it("test_block_after_eager_step: a task that suspends goes on lazily", () => {
      const loop = eagerLoop(ctor);
      const result = runOn(loop, function* () {
        const t = loop.createTask((function* () {
          yield* sleep(100);
          return "finished after blocking";
        })());
        expect(t.done()).to.equal(false);
        const r = yield* t;
        expect(t.done()).to.equal(true);
        return r;
      });
      expect(result).to.equal("finished after blocking");
    });

    it("test_cancellation_after_eager_completion: a task done eagerly cannot be cancelled", () => {
      const loop = eagerLoop(ctor);
      const result = runOn(loop, function* () {
        const t = loop.createTask((function* () { return "finished without blocking"; })());
        expect(t.cancel()).to.equal(false);
        const r = yield* t;
        expect(t.cancelled()).to.equal(false);
        return r;
      });
      expect(result).to.equal("finished without blocking");
    });

    it("test_cancellation_after_eager_step_blocks: cancelling after the eager step cancels the wait", () => {
      const loop = eagerLoop(ctor);
      let caught: unknown;
      try {
        runOn(loop, function* () {
          const t = loop.createTask((function* () {
            yield* sleep(100);
            return "finished after blocking";
          })());
          t.cancel("cancellation message");
          expect(t.cancelling()).to.be.greaterThan(0);
          yield* t;
        });
      } catch (e) {
        caught = e;
      }
      expect(caught).to.be.instanceOf(CancelledError);
      expect((caught as CancelledError).message).to.equal("cancellation message");
    });

    it("test_current_task: the eager step runs as the new task, and so do its later steps", () => {
      const loop = eagerLoop(ctor);
      let captured: Task<unknown> | null = null;
      runOn(loop, function* () {
        const outer = currentTask();
        const t = loop.createTask((function* () {
          captured = currentTask();
          yield* sleep(100);
          expect(currentTask()).to.equal(captured);
        })());
        expect(captured).to.equal(t);
        expect(currentTask()).to.equal(outer);
        yield* t;
      });
    });

    it("test_all_tasks_with_eager_completion: a task is in allTasks() during its eager step only", () => {
      const loop = eagerLoop(ctor);
      let captured: Set<Task<unknown>> | null = null;
      runOn(loop, function* () {
        const t = loop.createTask((function* () { captured = allTasks(); })());
        expect(captured!.has(t)).to.equal(true);
        expect(allTasks().has(t)).to.equal(false);
      });
    });

    it("test_all_tasks_with_blocking: a task that suspends stays in allTasks() until done", () => {
      const loop = eagerLoop(ctor);
      let captured: Set<Task<unknown>> | null = null;
      runOn(loop, function* () {
        const fut1 = loop.createFuture<void>();
        const fut2 = loop.createFuture<void>();
        const t = loop.createTask((function* () {
          captured = allTasks();
          yield* fut1;
          fut2.setResult();
        })());
        expect(captured!.has(t)).to.equal(true);
        expect(allTasks().has(t)).to.equal(true);
        fut1.setResult();
        yield* fut2;
        expect(allTasks().has(t)).to.equal(false);
      });
    });
  });
}

/** CPython's AsyncTaskCounter: counts the tasks built without eager start. */
function countingFactory(eager: boolean): { factory: TaskFactory; count(): number } {
  let lazyTasks = 0;
  class CountingTask<T> extends Task<T> {
    constructor(coro: Coroutine<T>, loop: EventLoop, options?: TaskOptions) {
      if (options?.eagerStart !== true) lazyTasks++;
      super(coro, loop, options);
    }
  }
  const factory: TaskFactory = eager
    ? createEagerTaskFactory(CountingTask)
    : (loop, coro, options) => new CountingTask(coro, loop, options);
  return { factory, count: () => lazyTasks };
}

function* awaitableChain(depth: number): Coroutine<number> {
  if (depth === 0) return 0;
  return 1 + (yield awaitableChain(depth - 1));
}

function* recursiveTaskGroups(width: number, depth: number): Coroutine<void> {
  if (depth === 0) return;
  yield* taskGroup(function* (tg) {
    for (let i = 0; i < width; i++) tg.createTask(recursiveTaskGroups(width, depth - 1));
  });
}

function* recursiveGather(width: number, depth: number): Coroutine<void> {
  if (depth === 0) return;
  yield* gather(...Array.from({ length: width }, () => recursiveGather(width, depth - 1)));
}

for (const eager of [false, true]) {
  // 1 + 5 + 5^2 + 5^3 + 5^4 lazy tasks without the eager factory; none with it.
  const expected = eager ? 0 : 781;
  describe(`task counting (CPython ${eager ? "EagerTests" : "NonEagerTests"})`, () => {
    const withCounter = <T>(body: Coroutine<T>): { result: T; count: number } => {
      const { factory, count } = countingFactory(eager);
      const loop = new EventLoop({ clock: new VirtualClock(), taskFactory: factory });
      try {
        return { result: loop.runUntilComplete(body), count: count() };
      } finally {
        loop.close();
      }
    };

    it("test_awaitables_chain: only the main task (started before the loop runs) is lazy", () => {
      const { result, count } = withCounter(awaitableChain(100));
      expect(result).to.equal(100);
      // runUntilComplete creates the main task before the loop runs: never eager.
      expect(count).to.equal(eager ? 0 : 1);
    });

    it(`test_recursive_taskgroups: ${expected} lazy tasks`, () => {
      const { count } = withCounter(recursiveTaskGroups(5, 4));
      expect(count).to.equal(expected);
    });

    it(`test_recursive_gather: ${expected} lazy tasks`, () => {
      const { count } = withCounter(recursiveGather(5, 4));
      expect(count).to.equal(expected);
    });
  });
}

describe("eager tasks: what genloop adds", () => {
  it("a gather of coroutines that finish at once completes within the step that started it", () => {
    const events: string[] = [];
    const loop = new EventLoop({ clock: new VirtualClock(), taskFactory: eagerTaskFactory });
    runOn(loop, function* () {
      loop.callSoon(() => events.push("next iteration"));
      const results = yield* gather((function* () { return 1; })(), (function* () { return 2; })());
      events.push(`gathered ${results.join(",")}`);
    });
    expect(events).to.deep.equal(["gathered 1,2", "next iteration"]);
  });

  it("without the factory the same gather takes a trip through the ready queue", () => {
    const events: string[] = [];
    const loop = new EventLoop({ clock: new VirtualClock() });
    runOn(loop, function* () {
      loop.callSoon(() => events.push("next iteration"));
      const results = yield* gather((function* () { return 1; })(), (function* () { return 2; })());
      events.push(`gathered ${results.join(",")}`);
    });
    expect(events).to.deep.equal(["next iteration", "gathered 1,2"]);
  });

  it("an eager child's error reaches the task group at once: siblings created after it are refused", () => {
    const loop = new EventLoop({ clock: new VirtualClock(), taskFactory: eagerTaskFactory });
    const boom = new Error("boom");
    let refused: unknown;
    let caught: unknown;
    runOn(loop, function* () {
      try {
        yield* taskGroup(function* (tg) {
          tg.createTask((function* (): Coroutine<void> { throw boom; })());
          try {
            tg.createTask((function* () {})());
          } catch (e) {
            refused = e;
          }
        });
      } catch (e) {
        caught = e;
      }
    });
    expect(String(refused)).to.match(/shutting down/);
    expect((caught as { exceptions: unknown[] }).exceptions).to.deep.equal([boom]);
  });

  it("eagerStart is honoured by createTask and spawn only while the loop runs", () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    const before = loop.createTask((function* () { return 1; })(), { eagerStart: true });
    expect(before.done()).to.equal(false, "the loop is not running: the task starts lazily");
    runOn(loop, function* () {
      const t = createTask((function* () { return 2; })(), { eagerStart: true });
      expect(t.done()).to.equal(true);
      const lazy = yield* spawn((function* () { return 3; })());
      expect(lazy.done()).to.equal(false);
      yield* lazy;
    });
    expect(before.result()).to.equal(1);
  });

  it("an eager step that throws fails the task, not the creator", () => {
    const loop = new EventLoop({ clock: new VirtualClock(), taskFactory: eagerTaskFactory });
    runOn(loop, function* () {
      const t = loop.createTask((function* (): Coroutine<void> { throw null; })());
      expect(t.done()).to.equal(true);
      expect(t.failed()).to.equal(true);
      expect(t.exception()).to.equal(null);
    });
  });

  it("run() takes the taskFactory option; the main task itself starts lazily", () => {
    let mainWasEager = true;
    const result = run(
      (function* () {
        mainWasEager = false;
        const t = createTask((function* () { return "eager"; })());
        expect(t.done()).to.equal(true);
        return yield* t;
      })(),
      { clock: new VirtualClock(), taskFactory: eagerTaskFactory },
    );
    expect(result).to.equal("eager");
    expect(mainWasEager).to.equal(false);
  });

  it("validates its inputs", () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    expect(() => loop.setTaskFactory(42 as never)).to.throw(TypeError, /setTaskFactory: the factory must be a function/);
    expect(() => new EventLoop({ taskFactory: "eager" as never })).to.throw(TypeError, /setTaskFactory/);
    expect(() => createEagerTaskFactory({} as never)).to.throw(TypeError, /createEagerTaskFactory: a task class/);
    expect(() => loop.createTask((function* () {})(), { eagerStart: "yes" as never })).to.throw(TypeError, /eagerStart must be true or false/);
    loop.setTaskFactory(() => ({}) as never);
    expect(() => loop.createTask((function* () {})())).to.throw(TypeError, /the task factory returned .*not a Task of this loop/);
    const reports: string[] = [];
    const other = new EventLoop({ clock: new VirtualClock(), logger: { warn: (m) => reports.push(m), error: (m) => reports.push(m) } });
    loop.setTaskFactory((_l, coro, options) => new Task(coro, other, options));
    expect(() => loop.createTask((function* () {})())).to.throw(TypeError, /not a Task of this loop/);
    loop.setTaskFactory(null);
    expect(loop.getTaskFactory()).to.equal(null);
    other.close();
    expect(reports.join("\n")).to.match(/destroyed but it is pending/, "the stray task the bad factory made is reported, not lost");
    loop.close();
  });
});
