import { expect } from "chai";
import { CancelledError, VirtualClock, callback, createTask, currentTask, getRunningLoop, sleep } from "../../lib/index.js";
import { fromPromise, runAsync } from "../../lib/interop/promise.js";
import { catchError, type Co } from "../helpers.js";

describe("interop: runAsync", () => {
  it("runs main on the host's event loop and resolves with its result; host callbacks work inside", async () => {
    const result = await runAsync(
      (function* (): Co<string> {
        const a = yield* callback<string>((resolve) => {
          const id = setTimeout(() => resolve("a"), 2);
          return () => clearTimeout(id);
        });
        const b = yield* fromPromise(Promise.resolve("b"));
        yield* sleep(3);
        return a + b;
      })(),
    );
    expect(result).to.equal("ab");
  });

  it("rejects with main's error", async () => {
    const error = await runAsync(
      (function* () {
        yield* sleep(1);
        throw new RangeError("main failed");
      })(),
    ).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(RangeError);
    expect((error as Error).message).to.equal("main failed");
  });

  it("rejects with CancelledError when main is cancelled", async () => {
    const error = await runAsync(
      (function* () {
        currentTask()!.cancel("from inside");
        yield* sleep(10);
      })(),
      { clock: new VirtualClock() },
    ).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(CancelledError);
    expect((error as Error).message).to.equal("from inside");
  });

  it("like run(): leftovers are cancelled and their cleanup finishes before it settles; their errors are reported; the loop is closed", async () => {
    const log: string[] = [];
    const errors: string[] = [];
    let loopSeen: ReturnType<typeof getRunningLoop> | null = null;
    const result = await runAsync(
      (function* (): Co<string> {
        loopSeen = getRunningLoop();
        createTask(
          (function* () {
            try {
              yield* sleep(60_000);
            } finally {
              yield* sleep(5);
              log.push("cleanup done");
            }
          })(),
        );
        createTask(
          (function* () {
            try {
              yield* sleep(60_000);
            } finally {
              throw new Error("cleanup failed");
            }
          })(),
        );
        yield* sleep(1);
        return "main done";
      })(),
      { clock: new VirtualClock(), logger: { warn() {}, error: (m: string) => errors.push(m) } },
    );
    expect(result).to.equal("main done");
    expect(log).to.deep.equal(["cleanup done"]);
    expect(errors).to.have.length(1);
    expect(errors[0]).to.match(/unhandled exception during runAsync\(\) shutdown[\s\S]*cleanup failed/);
    expect(loopSeen!.isClosed()).to.equal(true);
  });

  it("on a VirtualClock, hours of sleeps resolve at once", async () => {
    const start = Date.now();
    const time = await runAsync(
      (function* (): Co<number> {
        yield* sleep(3 * 3_600_000);
        return getRunningLoop().time();
      })(),
      { clock: new VirtualClock() },
    );
    expect(time).to.equal(3 * 3_600_000);
    expect(Date.now() - start).to.be.below(1000);
  });

  it("validates its arguments at the call", () => {
    function* main() {}
    expect(catchError(() => runAsync(main as never), RangeError).message).to.match(/runAsync: a coroutine was expected.*runAsync\(main\(\)\)/);
    expect(catchError(() => runAsync(main(), 5 as never), TypeError).message).to.match(/options must be an object/);
    expect(catchError(() => runAsync(main(), { budgetMs: -1 }), RangeError).message).to.match(/budgetMs/);
  });
});
