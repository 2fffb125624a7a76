import { expect } from "chai";
import { Event, createTask, gather, sleep, type Coroutine } from "../../lib/index.js";
import { ScheduleFailure, TestFailure, explore, type ExploreProgress, type TestContext } from "../../lib/testing/index.js";

/** Two tasks sleeping to the same deadline; fails when "b" wakes first. */
function* aBeforeB(): Coroutine<void> {
  const order: string[] = [];
  const wake = (name: string) =>
    createTask(
      (function* () {
        yield* sleep(10);
        order.push(name);
      })(),
    );
  yield* gather(wake("a"), wake("b"));
  if (order[0] !== "a") throw new Error(`b woke first: ${order.join(",")}`);
}

function failureOf(fn: () => unknown): ScheduleFailure {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(ScheduleFailure);
    return error as ScheduleFailure;
  }
  throw new Error("expected a ScheduleFailure");
}

describe("explore", () => {
  it("runs the seeds 0…n-1 in order, each with its seed, and returns them", () => {
    const seen: (number | null)[] = [];
    const report = explore(
      function* (t: TestContext) {
        seen.push(t.seed);
      },
      { seeds: 5 },
    );
    expect(seen).to.deep.equal([0, 1, 2, 3, 4]);
    expect(report.seeds).to.deep.equal([0, 1, 2, 3, 4]);
  });

  it("tries 100 seeds by default", () => {
    let runs = 0;
    explore(function* () {
      runs++;
    });
    expect(runs).to.equal(100);
  });

  it("stops at the first failing seed, with the error as cause and a one-line replay", () => {
    let runs = 0;
    const failure = failureOf(() =>
      explore(function* () {
        runs++;
        yield* aBeforeB();
      }),
    );
    expect(runs).to.equal(failure.tried);
    expect(failure.error).to.be.instanceOf(Error);
    expect((failure as { cause?: unknown }).cause).to.equal(failure.error);
    expect(failure.message.split("\n")).to.deep.equal([
      `failed under schedule seed ${failure.seed} (seed ${failure.tried} of 100 tried): Error: b woke first: b,a`,
      `replay exactly this schedule with explore(test, { seeds: [${failure.seed}] }) or runTest(test, { scheduleSeed: ${failure.seed} })`,
    ]);
  });

  it("a list of seeds runs exactly those; the failing seed fails again on replay", () => {
    const first = failureOf(() => explore(aBeforeB, { seeds: 50 }));
    const again = failureOf(() => explore(aBeforeB, { seeds: [first.seed] }));
    expect(again.seed).to.equal(first.seed);
    expect(again.tried).to.equal(1);
    const seen: (number | null)[] = [];
    explore(
      function* (t) {
        seen.push(t.seed);
      },
      { seeds: [7, 3, 7] },
    );
    expect(seen).to.deep.equal([7, 3, 7]);
  });

  it("a stuck run fails with its TestFailure as the error, naming the seed", () => {
    const failure = failureOf(() =>
      explore(function* () {
        yield* new Event().wait();
      }),
    );
    expect(failure.seed).to.equal(0);
    expect(failure.error).to.be.instanceOf(TestFailure);
    expect(failure.message).to.contain('TestFailure: deadlock at 0 ms');
    expect(failure.message).to.contain("Task 'test body' (pending): <Event [unset, waiters:1]>.wait()");
  });

  it("passes the test options to every run", () => {
    const failure = failureOf(() => explore(function* () { yield* sleep(20); }, { timeLimit: 10, seeds: 3 }));
    expect((failure.error as TestFailure).reason).to.equal("time-limit");
  });

  it("reports progress at most once per interval and once at the end", () => {
    const reports: ExploreProgress[] = [];
    explore(function* () {}, { seeds: 30, progress: (p) => reports.push(p), progressInterval: 0 });
    expect(reports).to.have.length(30);
    expect(reports[29]).to.include({ tried: 30, total: 30, seed: 29 });
    const sparse: ExploreProgress[] = [];
    explore(function* () {}, { seeds: 30, progress: (p) => sparse.push(p), progressInterval: 60_000 });
    expect(sparse.map((p) => p.tried)).to.deep.equal([30]);
    expect(sparse[0].elapsedMs).to.be.a("number");
  });

  it("validates its arguments", () => {
    expect(() => explore(null as never)).to.throw(TypeError, /must be a generator function/);
    for (const bad of [0, 2.5, -1]) expect(() => explore(function* () {}, { seeds: bad })).to.throw(RangeError, /seeds must be a whole number/);
    expect(() => explore(function* () {}, { seeds: [] })).to.throw(TypeError, /non-empty list/);
    expect(() => explore(function* () {}, { seeds: [1, -2] })).to.throw(RangeError, /scheduleSeed must be a whole number/);
    expect(() => explore(function* () {}, { scheduleSeed: 3 } as never)).to.throw(TypeError, /not scheduleSeed/);
    expect(() => explore(function* () {}, { progress: 5 as never })).to.throw(TypeError, /progress must be a function/);
    expect(() => explore(function* () {}, { progressInterval: -1 })).to.throw(RangeError, /progressInterval/);
    expect(() => explore(function* () {}, { wallLimit: 0 })).to.throw(RangeError, /wallLimit/);
  });
});
