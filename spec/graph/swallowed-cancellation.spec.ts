import { expect } from "chai";
import {
  CancelledError,
  EventLoop,
  VirtualClock,
  createTask,
  getRunningLoop,
  currentTask,
  run,
  sleep,
  waitFor,
  TimeoutError,
  type ExceptionContext,
} from "../../lib/index.js";
import type { Co } from "../helpers.js";

/** Runs `main` in debug mode (or not) and returns the exception handler's reports. */
function reportsOf(main: () => Co<unknown>, debug = true): ExceptionContext[] {
  const loop = new EventLoop({ clock: new VirtualClock(), debug });
  const reports: ExceptionContext[] = [];
  loop.setExceptionHandler((_l, ctx) => reports.push(ctx));
  loop.runUntilComplete(loop.createTask(main(), { name: "main" }));
  return reports;
}

function* swallower(): Co<string> {
  try {
    yield* sleep(1000);
  } catch (error) {
    if (!(error instanceof CancelledError)) throw error;
  }
  return "went on";
}

describe("debug mode: swallowed cancellations", () => {
  it("reports a task that caught the CancelledError and returned, once, naming it, where it was and where it was created", () => {
    let worker: ReturnType<typeof createTask<string>> | undefined;
    const reports = reportsOf(function* () {
      worker = createTask(swallower(), { name: "worker" });
      yield* sleep(10);
      worker.cancel();
      yield* sleep(10);
      expect(worker.result()).to.equal("went on");
    });
    expect(reports).to.have.length(1);
    expect(reports[0].task).to.equal(worker);
    const message = String(reports[0].message);
    expect(message).to.match(/^Task 'worker' swallowed a cancellation: it was cancelled while suspended at swallower \(.*swallowed-cancellation\.spec\.[jt]s:\d+:\d+\), caught the CancelledError and returned normally without calling uncancel\(\); it was created at .*swallowed-cancellation\.spec\.[jt]s:\d+:\d+\)?\. /);
    expect(message).to.contain("Throw the CancelledError again once cleanup is done (or clean up in a finally block), or call uncancel() on the task if ignoring the request is intended.");
  });

  it("reports a task that swallowed two requests once", () => {
    function* stubborn(): Co<void> {
      for (let i = 0; i < 2; i++) {
        try {
          yield* sleep(1000);
        } catch {
          // swallowed
        }
      }
    }
    const reports = reportsOf(function* () {
      const task = createTask(stubborn(), { name: "stubborn" });
      for (let i = 0; i < 2; i++) {
        yield* sleep(10);
        task.cancel();
      }
      yield* sleep(10);
      expect(task.done()).to.equal(true);
    });
    expect(reports.map((r) => String(r.message).replace(/:.*/, ""))).to.deep.equal(["Task 'stubborn' swallowed a cancellation"]);
  });

  it("does not report cleanup that awaits and throws the error again, a finally block, uncancel(), another error, or a never-started task", () => {
    function* cleanupThenRaise(): Co<void> {
      try {
        yield* sleep(1000);
      } catch (error) {
        yield* sleep(5); // cleanup that waits
        throw error;
      }
    }
    function* withFinally(): Co<void> {
      try {
        yield* sleep(1000);
      } finally {
        yield* sleep(5);
      }
    }
    function* uncancels(): Co<string> {
      try {
        yield* sleep(1000);
      } catch {
        (currentTask() as NonNullable<ReturnType<typeof currentTask>>).uncancel();
      }
      return "intended";
    }
    function* convertsToError(): Co<void> {
      try {
        yield* sleep(1000);
      } catch {
        throw new Error("cleanup failed");
      }
    }
    const reports = reportsOf(function* () {
      const coros: Co<unknown>[] = [cleanupThenRaise(), withFinally(), uncancels(), convertsToError(), swallower()];
      const tasks = coros.map((c) => createTask(c));
      const neverStarted = tasks[4];
      neverStarted.cancel(); // cancelled before its first step: it never runs
      yield* sleep(10);
      for (const t of tasks.slice(0, 4)) t.cancel();
      yield* sleep(100);
      expect(tasks.map((t) => (t.cancelled() ? "cancelled" : t.failed() ? "failed" : "finished"))).to.deep.equal([
        "cancelled",
        "cancelled",
        "finished",
        "failed",
        "cancelled",
      ]);
      expect((tasks[3].exception() as Error).message).to.equal("cleanup failed");
    });
    expect(reports).to.deep.equal([]);
  });

  it("does not report the cancellations genloop withdraws itself (a timeout)", () => {
    const reports = reportsOf(function* () {
      try {
        yield* waitFor(sleep(1000), 10);
      } catch (error) {
        expect(error).to.be.instanceOf(TimeoutError);
      }
    });
    expect(reports).to.deep.equal([]);
  });

  it("reports a task left pending that swallows the cancellation of run()'s shutdown", () => {
    const reports: ExceptionContext[] = [];
    function* main(): Co<void> {
      getRunningLoop().setExceptionHandler((_l, ctx) => reports.push(ctx));
      createTask(swallower(), { name: "leftover" });
      yield* sleep(1);
    }
    run(main(), { clock: new VirtualClock(), debug: true });
    expect(reports.map((r) => String(r.message).replace(/:.*/, ""))).to.deep.equal(["Task 'leftover' swallowed a cancellation"]);
  });

  it("reports nothing outside debug mode", () => {
    const reports = reportsOf(function* () {
      const task = createTask(swallower());
      yield* sleep(10);
      task.cancel();
      yield* sleep(10);
    }, false);
    expect(reports).to.deep.equal([]);
  });
});
