import { expect } from "chai";
import { CancelledError, Event, RealClock, VirtualClock, createTask, currentTask, gather, sleep, spawn, type Coroutine } from "../../lib/index.js";
import { TestFailure, runTest, type TestContext } from "../../lib/testing/index.js";

/** The TestFailure `fn` throws (fails if it throws anything else or nothing). */
function failure(fn: () => unknown): TestFailure {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(TestFailure);
    return error as TestFailure;
  }
  throw new Error("expected a TestFailure");
}

/** Waits on an event nobody sets. */
function* forever(): Coroutine<void> {
  yield* new Event().wait();
}

describe("runTest", () => {
  it("runs the body on a fresh loop and virtual clock and returns its result", () => {
    let seen: TestContext | null = null;
    const result = runTest(function* (t) {
      seen = t;
      yield* sleep(3_600_000);
      return t.loop.time();
    });
    expect(result).to.equal(3_600_000);
    const t = seen as unknown as TestContext;
    expect(t.clock).to.be.instanceOf(VirtualClock);
    expect(t.seed).to.equal(null);
    expect(t.loop.isClosed()).to.equal(true);
  });

  it("throws the body's error, whatever value it is", () => {
    for (const value of [new RangeError("boom"), null, undefined, 0]) {
      let caught: unknown = "nothing";
      try {
        runTest(function* () {
          yield* sleep(1);
          throw value;
        });
      } catch (error) {
        caught = error;
      }
      expect(caught).to.equal(value);
    }
  });

  it("fails at once on a deadlock, naming the blocked task and what it waits on", () => {
    const error = failure(() =>
      runTest(function* () {
        const worker = yield* spawn(forever(), { name: "worker" });
        yield* worker;
      }),
    );
    expect(error.reason).to.equal("deadlock"); // not "wall-limit" or "time-limit": nothing waited
    expect(error.message).to.match(/^deadlock at 0 ms while waiting for the test body to finish: nothing is scheduled/);
    expect(error.tasks).to.equal(["Task 'test body' (pending): task 'worker'", "└── Task 'worker' (pending): <Event [unset, waiters:1]>.wait()"].join("\n"));
    expect(error.message).to.contain("2 pending task(s):\n" + error.tasks);
  });

  it("fails when the next wake-up is past timeLimit, without running to it", () => {
    let woke = false;
    const error = failure(() =>
      runTest(
        function* () {
          yield* sleep(5_000);
          woke = true;
        },
        { timeLimit: 1_000 },
      ),
    );
    expect(woke).to.equal(false);
    expect(error.reason).to.equal("time-limit");
    expect(error.message).to.contain("time limit of 1000 ms of loop time");
    expect(error.message).to.contain("next wake-up at 5000 ms");
    expect(error.tasks).to.equal("Task 'test body' (pending): sleep until 5000 ms");
  });

  it("the default time limit is an hour of loop time", () => {
    expect(runTest(function* () { yield* sleep(3_600_000); return "ok"; })).to.equal("ok");
    expect(failure(() => runTest(function* () { yield* sleep(3_600_001); })).reason).to.equal("time-limit");
  });

  it("fails after stepLimit iterations of a loop that never lets time pass", () => {
    const error = failure(() =>
      runTest(
        function* () {
          for (;;) yield* sleep(0);
        },
        { stepLimit: 50 },
      ),
    );
    expect(error.reason).to.equal("step-limit");
    expect(error.message).to.contain("step limit of 50 loop iterations at 0 ms");
    expect(error.tasks).to.equal("Task 'test body' (pending): ready to run");
  });

  it("fails after wallLimit ms of real time, checked at every step", () => {
    const started = Date.now();
    const error = failure(() =>
      runTest(
        function* () {
          for (;;) {
            const until = Date.now() + 2;
            while (Date.now() < until);
            yield* sleep(1);
          }
        },
        { wallLimit: 30 },
      ),
    );
    expect(Date.now() - started).to.be.within(30, 200);
    expect(error.reason).to.equal("wall-limit");
    expect(error.message).to.match(/wall-clock limit of 30 ms \(took \d+ ms\)/);
  });

  it("fails when the body returns with tasks still running, and cancels them (finally blocks run)", () => {
    const cleaned: string[] = [];
    function* child(name: string): Coroutine<void> {
      try {
        yield* sleep(10_000);
      } finally {
        cleaned.push(name);
      }
    }
    const error = failure(() =>
      runTest(function* () {
        createTask(child("left behind"), { name: "left behind" });
        yield* sleep(1);
      }),
    );
    expect(error.reason).to.equal("leak");
    expect(error.message).to.contain("the test body returned at 1 ms but left 1 task(s) running");
    expect(error.tasks).to.equal("Task 'left behind' (pending): sleep until 10000 ms");
    expect(cleaned).to.deep.equal(["left behind"]);
  });

  it('leaks: "cancel" cancels leftovers quietly, as run() does', () => {
    const cleaned: string[] = [];
    const result = runTest(
      function* () {
        createTask(
          (function* () {
            try {
              yield* sleep(10_000);
            } finally {
              cleaned.push("child");
            }
          })(),
        );
        yield* sleep(1);
        return "done";
      },
      { leaks: "cancel" },
    );
    expect(result).to.equal("done");
    expect(cleaned).to.deep.equal(["child"]);
  });

  it("a task whose cleanup never ends fails the test too", () => {
    const error = failure(() =>
      runTest(
        function* () {
          createTask(
            (function* () {
              try {
                yield* sleep(10);
              } catch {
                yield new Event().wait(); // swallows the cancellation and waits forever
              }
            })(),
            { name: "stubborn" },
          );
          yield* sleep(1);
        },
        { leaks: "cancel" },
      ),
    );
    expect(error.reason).to.equal("deadlock");
    expect(error.message).to.contain("while waiting for the cancelled tasks' cleanup");
    expect(error.tasks).to.match(/^Task 'stubborn' \(cancelling\): <Event \[unset, waiters:1\]>\.wait\(\)$/);
  });

  it("an error the loop reports (never retrieved) fails a test that otherwise passed", () => {
    const error = failure(() =>
      runTest(function* () {
        const t = createTask(
          (function* () {
            throw new TypeError("lost");
          })(),
          { name: "forgotten" },
        );
        yield* sleep(1);
        expect(t.done()).to.equal(true);
      }),
    );
    expect(error.reason).to.equal("reported-error");
    expect(error.message).to.contain('Task exception was never retrieved (task "forgotten"): TypeError: lost');
    expect((error as { cause?: unknown }).cause).to.be.instanceOf(TypeError);
  });

  it("the body's own error wins over later cleanup failures", () => {
    let caught: unknown;
    try {
      runTest(function* () {
        createTask(
          (function* () {
            try {
              yield* sleep(10);
            } catch {
              yield* forever();
            }
          })(),
        );
        yield* sleep(1);
        throw new SyntaxError("first");
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(SyntaxError);
  });

  it("a cancelled body fails with CancelledError", () => {
    expect(() =>
      runTest(function* () {
        currentTask()?.cancel();
        yield* sleep(1);
      }),
    ).to.throw(CancelledError);
  });

  it("takes another clock that can wait (a RealClock)", () => {
    const clock = new RealClock();
    const result = runTest(
      function* (t) {
        const start = t.loop.time();
        yield* sleep(5);
        return t.loop.time() - start;
      },
      { clock },
    );
    expect(result).to.be.at.least(4.5);
  });

  it("scheduleSeed runs the test under that seed's schedule", () => {
    const orderUnder = (scheduleSeed?: number) =>
      runTest(
        function* (t) {
          expect(t.seed).to.equal(scheduleSeed ?? null);
          const order: number[] = [];
          const wake = (i: number) => createTask((function* () { yield* sleep(10); order.push(i); })());
          yield* gather(wake(0), wake(1), wake(2), wake(3), wake(4));
          return order.join("");
        },
        scheduleSeed === undefined ? {} : { scheduleSeed },
      );
    expect(orderUnder()).to.equal("01234");
    const seeded = [1, 2, 3, 4, 5, 6].map(orderUnder);
    expect(seeded.some((order) => order !== "01234")).to.equal(true);
    expect([1, 2, 3, 4, 5, 6].map(orderUnder)).to.deep.equal(seeded);
  });

  it("the logger gets the loop's warnings (a slow step in debug mode)", () => {
    const warnings: string[] = [];
    runTest(
      function* (t) {
        yield* sleep(1);
        (t.clock as VirtualClock).advance(250); // this step "took" 250 ms of loop time
      },
      { debug: true, logger: { warn: (message) => warnings.push(message), error() {} } },
    );
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(/^Executing <Task finished name='test body'.*> took 0\.250 seconds$/);
  });

  it("passes debug, logger and effects to the loop", () => {
    runTest(
      function* (t) {
        expect(t.loop.getDebug()).to.equal(true);
        expect(t.loop.getEffectHandler("app.x")).to.be.a("function");
      },
      { debug: true, effects: { "app.x": () => {} }, logger: { warn() {}, error() {} } },
    );
  });

  it("validates its arguments", () => {
    expect(() => runTest(null as never)).to.throw(TypeError, /must be a generator function/);
    expect(() => runTest((() => 5) as never)).to.throw(TypeError, /it returned 5/);
    expect(() => runTest(function* () {}, null as never)).to.throw(TypeError, /options must be an object/);
    for (const name of ["timeLimit", "wallLimit", "stepLimit"]) {
      expect(() => runTest(function* () {}, { [name]: 0 })).to.throw(RangeError, new RegExp(`${name} must be a positive number`));
      expect(() => runTest(function* () {}, { [name]: "5" as never })).to.throw(RangeError, new RegExp(name));
    }
    expect(() => runTest(function* () {}, { leaks: "ignore" as never })).to.throw(RangeError, /leaks must be "fail" or "cancel"/);
    expect(() => runTest(function* () {}, { clock: { now: () => 0 } })).to.throw(TypeError, /clock must have now\(\) and sleepUntil/);
    expect(() => runTest(function* () {}, { scheduleSeed: -1 })).to.throw(RangeError, /scheduleSeed/);
  });

  it("cannot run inside a running loop", () => {
    let inner: unknown;
    runTest(function* () {
      try {
        runTest(function* () {});
      } catch (error) {
        inner = error;
      }
    });
    expect(String(inner)).to.contain("cannot run a test from inside a running event loop");
  });
});
