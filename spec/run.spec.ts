import { expect } from "chai";
import {
  CancelledError,
  EventLoop,
  RuntimeError,
  VirtualClock,
  createTask,
  currentTask,
  getRunningLoop,
  run,
  sleep,
  type Coroutine,
  type ExceptionContext,
} from "../lib/index.js";

/** Runs main on a virtual clock, collecting what reaches the exception handler. */
function runCollecting<T>(main: () => Coroutine<T>): { result?: T; error?: unknown; reports: ExceptionContext[]; loop?: EventLoop } {
  const reports: ExceptionContext[] = [];
  const out: { result?: T; error?: unknown; reports: ExceptionContext[]; loop?: EventLoop } = { reports };
  function* wrapped(): Coroutine<T> {
    out.loop = getRunningLoop();
    out.loop.setExceptionHandler((_l, ctx) => reports.push(ctx));
    return yield* main();
  }
  try {
    out.result = run(wrapped(), { clock: new VirtualClock() });
  } catch (e) {
    out.error = e;
  }
  return out;
}

describe("run()", () => {
  it("returns main's result and closes its loop", () => {
    const out = runCollecting(function* () {
      yield* sleep(5);
      return 42;
    });
    expect(out.result).to.equal(42);
    expect(out.loop?.isClosed()).to.equal(true);
    expect(out.reports).to.deep.equal([]);
  });

  it("throws main's own error instance", () => {
    const boom = new Error("boom");
    const out = runCollecting(function* () {
      yield* sleep(1);
      throw boom;
    });
    expect(out.error).to.equal(boom);
  });

  it("cancels leftovers in creation order, waits for their cleanup, and reports their errors", () => {
    const log: string[] = [];
    const out = runCollecting(function* () {
      for (const name of ["a", "b"]) {
        createTask(
          (function* () {
            try {
              yield* sleep(10_000);
            } finally {
              log.push(`${name} cancelled at ${getRunningLoop().time()}`);
              yield* sleep(50);
              log.push(`${name} cleaned up at ${getRunningLoop().time()}`);
            }
          })(),
        );
      }
      createTask(
        (function* () {
          try {
            yield* sleep(10_000);
          } catch {
            throw new TypeError("cleanup failed");
          }
        })(),
        { name: "faulty" },
      );
      yield* sleep(0);
      return "main";
    });
    expect(out.result).to.equal("main");
    expect(log).to.deep.equal(["a cancelled at 0", "b cancelled at 0", "a cleaned up at 50", "b cleaned up at 50"]);
    expect(out.reports).to.have.length(1);
    expect(out.reports[0].message).to.equal("unhandled exception during run() shutdown");
    expect(out.reports[0].exception).to.be.instanceOf(TypeError);
    expect(out.reports[0].task?.getName()).to.equal("faulty");
  });

  it("throws CancelledError when main is cancelled (RUN-14)", () => {
    let afterSleep = false;
    const out = runCollecting(function* () {
      currentTask()?.cancel("stop main");
      yield* sleep(0);
      afterSleep = true;
    });
    expect(out.error).to.be.instanceOf(CancelledError);
    expect((out.error as Error).message).to.equal("stop main");
    expect(afterSleep).to.equal(false);
  });

  it("detects a deadlock: cancels everything (finally blocks run), closes the loop and names the waiters", () => {
    const log: string[] = [];
    const out = runCollecting(function* () {
      const never = getRunningLoop().createFuture<void>();
      createTask(
        (function* () {
          try {
            yield* never;
          } finally {
            log.push("helper finally");
          }
        })(),
        { name: "helper" },
      );
      try {
        yield* never;
      } finally {
        log.push("main finally");
      }
    });
    expect(out.error).to.be.instanceOf(RuntimeError);
    const message = (out.error as Error).message;
    expect(message).to.match(/deadlock/);
    expect(message).to.include("helper");
    expect(message).to.match(/Task-\d+/);
    expect(log).to.deep.equal(["main finally", "helper finally"]);
    expect(out.loop?.isClosed()).to.equal(true);
  });

  it("throws RuntimeError when nested, without starting the inner coroutine (RUN-04)", () => {
    let innerStarted = false;
    function* inner(): Coroutine<void> {
      innerStarted = true;
    }
    const out = runCollecting(function* () {
      run(inner());
    });
    expect(out.error).to.be.instanceOf(RuntimeError);
    expect((out.error as Error).message).to.match(/cannot be called from a running event loop/);
    expect(innerStarted).to.equal(false);
  });

  it("refuses what is not a coroutine (RUN-03), with a hint for a generator function", () => {
    expect(() => run(1 as never)).to.throw(RangeError, /a coroutine was expected, got 1/);
    expect(() => run(function* main() {} as never)).to.throw(RangeError, /run\(main\(\)\)/);
    expect(() => run((function* () {})(), 5 as never)).to.throw(TypeError, /options must be an object/);
  });

  it("runs in real time, blocking rather than spinning (short)", () => {
    const started = Date.now();
    const result = run(
      (function* () {
        yield* sleep(30);
        return getRunningLoop().time();
      })(),
    );
    expect(Date.now() - started).to.be.at.least(25);
    expect(result).to.be.a("number");
  });
});
