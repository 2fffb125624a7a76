// The shapes of well-known test hangs in other runtimes, ported: each passes or fails on loop time
// alone (the virtual clock jumps; a failure's reason is never the kit's wall-clock limit, and no
// test here asserts wall time, which a loaded machine stretches), and a failure names the blocked
// task and what it waits on.
import { expect } from "chai";
import { Event, allTasks, callback, createTask, currentTask, gather, getRunningLoop, sleep, spawn, type Coroutine, type Effect, type Task } from "../../lib/index.js";
import { TestFailure, runTest, type TestBody, type TestOptions } from "../../lib/testing/index.js";

/** Runs the test and returns its outcome. */
function outcome<T>(body: TestBody<T>, options?: TestOptions): { result?: T; error?: unknown } {
  try {
    return { result: runTest(body, options) };
  } catch (error) {
    return { error };
  }
}

/** A coroutine waiting on one effect (tasks are made of coroutines). */
function* waitOn<T>(effect: Effect<T>): Coroutine<T> {
  return yield* effect;
}

function* timerThenJobThenTimer(): Coroutine<string> {
  yield* sleep(100); // a timer
  yield* callback<void>((resolve) => void getRunningLoop().callSoon(resolve)); // a "promise job": resolved by a callback
  yield* sleep(100); // another timer
  return "done";
}

describe("canonical test hangs of other runtimes, ported", () => {
  it("jest #13435 (timer, then a promise job, then a timer): passes at 200 ms of loop time", () => {
    const { result, error } = outcome(function* (t) {
      const value = yield* timerThenJobThenTimer();
      return [value, t.loop.time()];
    });
    expect(error).to.equal(undefined);
    expect(result).to.deep.equal(["done", 200]);
  });

  it("kotlinx.coroutines #1266 (a delay in the test body while a child works): passes", () => {
    const { result, error } = outcome(function* (t) {
      const child = yield* spawn(waitOn(sleep(500, "child done")), { name: "child" });
      yield* sleep(1_000); // the test body's own delay
      return [yield* child, t.loop.time()];
    });
    expect(error).to.equal(undefined);
    expect(result).to.deep.equal(["child done", 1_000]);
  });

  it("Effect tsgo #477 (sleep before advancing the clock): passes, the clock jumps by itself", () => {
    const { result, error } = outcome(function* (t) {
      yield* sleep(1_000); // with a manual test clock, this waits for the advance below: a deadlock
      t.clock.sleepUntil?.(t.loop.time() + 1_000); // the manual advance is harmless here
      return t.loop.time();
    });
    expect(error).to.equal(undefined);
    expect(result).to.equal(2_000);
  });

  it("Effect tsgo #477, the deadlock itself (waiting for what only comes after the wait): fails at once, naming the task", () => {
    const { error } = outcome(function* () {
      const advanced = new Event();
      const sleeper = createTask(waitOn(advanced.wait()), { name: "sleeper" });
      yield* sleeper; // the "advance" below is never reached
      advanced.set();
    });
    expect(error).to.be.instanceOf(TestFailure);
    const failure = error as TestFailure;
    expect(failure.reason).to.equal("deadlock");
    expect(failure.message).to.contain("deadlock at 0 ms");
    expect(failure.tasks).to.equal(["Task 'test body' (pending): task 'sleeper'", "└── Task 'sleeper' (pending): <Event [unset, waiters:1]>.wait()"].join("\n"));
  });

  it("ember-concurrency #120 (a polling loop keeps settled() from returning): fails at the time limit, naming the poller", () => {
    const polls: number[] = [];
    const { error } = outcome(function* (t) {
      createTask(
        (function* () {
          for (;;) {
            yield* sleep(10_000);
            polls.push(t.loop.time());
          }
        })(),
        { name: "poller" },
      );
      // settled(): wait until every other task is done.
      const self = currentTask() as Task<unknown>;
      const others = Array.from(allTasks()).filter((task) => task !== self);
      yield* gather(...others);
    });
    const failure = error as TestFailure;
    expect(failure).to.be.instanceOf(TestFailure);
    expect(failure.reason).to.equal("time-limit");
    expect(failure.message).to.contain("time limit of 3600000 ms of loop time");
    expect(failure.tasks).to.equal(["Task 'test body' (pending): gather of 1 (0 done)", "└── Task 'poller' (pending): sleep until 3610000 ms"].join("\n"));
    expect(polls).to.have.length(360);
  });

  it("a double-fork leak (a child forks a grandchild nobody awaits): fails when the body returns, naming the grandchild", () => {
    let cleanedUp = false;
    const { error } = outcome(function* () {
      function* grandchild(): Coroutine<void> {
        try {
          yield* sleep(60_000);
        } finally {
          cleanedUp = true;
        }
      }
      function* child(): Coroutine<string> {
        createTask(grandchild(), { name: "grandchild" }); // forked and forgotten
        yield* sleep(10);
        return "child done";
      }
      const result = yield* spawn(child(), { name: "child" });
      return yield* result;
    });
    const failure = error as TestFailure;
    expect(failure).to.be.instanceOf(TestFailure);
    expect(failure.reason).to.equal("leak");
    expect(failure.message).to.contain("the test body returned at 10 ms but left 1 task(s) running");
    expect(failure.tasks).to.equal("Task 'grandchild' (pending): sleep until 60000 ms");
    expect(cleanedUp).to.equal(true); // cancelled, and its finally block ran before the test ended
  });
});
