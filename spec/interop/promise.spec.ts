import { expect } from "chai";
import { CancelledError, DeadlockError, EventLoop, VirtualClock, run, sleep, startTimerDriver } from "../../lib/index.js";
import type { Coroutine, Task } from "../../lib/index.js";
import { PromiseEffect, fromPromise, toPromise } from "../../lib/interop/promise.js";
import { catchError, vrun, type Co } from "../helpers.js";

/** Runs `main` on a loop driven by Node's timers and returns its task, as an embedder would. */
function hostRun<T>(main: Coroutine<T>): { loop: EventLoop; task: Task<T>; finish(): Promise<T> } {
  const loop = new EventLoop();
  const driver = startTimerDriver(loop);
  const task = loop.createTask(main);
  const finish = async () => {
    try {
      return await toPromise(task);
    } finally {
      driver.stop();
      await new Promise((resolve) => setImmediate(resolve)); // leave the loop's iteration before closing
      loop.close();
    }
  };
  return { loop, task, finish };
}

describe("interop: genloop/promise", () => {
  it("fromPromise is an inert descriptor; given a function, it is called only when yielded", () => {
    let calls = 0;
    const source = () => {
      calls++;
      return Promise.resolve(1);
    };
    const effect = fromPromise(source);
    expect(effect).to.be.instanceOf(PromiseEffect);
    expect(effect).to.deep.include({ kind: "promise", source });
    expect(calls).to.equal(0);
  });

  it("waits on a promise inside a coroutine on a host-driven loop", async () => {
    const { finish } = hostRun(
      (function* (): Co<string> {
        const a = yield* fromPromise(Promise.resolve("a"));
        const b = yield* fromPromise(() => new Promise<string>((resolve) => setTimeout(() => resolve("b"), 5)));
        yield* sleep(1);
        return a + b;
      })(),
    );
    expect(await finish()).to.equal("ab");
  });

  it("a rejection is thrown into the coroutine", async () => {
    const { finish } = hostRun(
      (function* (): Co<string> {
        try {
          yield* fromPromise(Promise.reject(new RangeError("nope")));
          return "no error";
        } catch (e) {
          return `${(e as Error).name}: ${(e as Error).message}`;
        }
      })(),
    );
    expect(await finish()).to.equal("RangeError: nope");
  });

  it("cancelling the waiting task stops the wait; the promise's late outcome is ignored", async () => {
    let rejectLater: (e: unknown) => void = () => {};
    const log: string[] = [];
    const { task, finish } = hostRun(
      (function* () {
        try {
          yield* fromPromise(new Promise((_resolve, reject) => (rejectLater = reject)));
        } finally {
          log.push("finally");
        }
      })(),
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
    task.cancel("stop");
    const error = await finish().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(CancelledError);
    expect((error as Error).message).to.equal("stop");
    rejectLater(new Error("late")); // no unhandled rejection, no effect
    await new Promise((resolve) => setTimeout(resolve, 1));
    expect(log).to.deep.equal(["finally"]);
  });

  it("a function source that does not return a thenable fails with a TypeError in the task", async () => {
    const { finish } = hostRun(
      (function* () {
        yield* fromPromise((() => 5) as never);
      })(),
    );
    const error = await finish().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(TypeError);
    expect((error as Error).message).to.match(/must return a promise or thenable, got 5/);
  });

  it("toPromise: the result, the error, or CancelledError; a done future settles at once", async () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    const ok = loop.createFuture<number>();
    ok.setResult(7);
    const bad = loop.createFuture<number>();
    bad.setException(new Error("bad"));
    const gone = loop.createFuture<number>();
    gone.cancel("gone");
    const reports: string[] = [];
    loop.setExceptionHandler((_l, ctx) => reports.push(ctx.message));
    loop.close(); // done futures need no loop to settle their promise
    expect(reports).to.deep.equal(["Future exception was never retrieved"]);
    expect(await toPromise(ok)).to.equal(7);
    expect(await toPromise(bad).catch((e: Error) => e.message)).to.equal("bad");
    const cancelled = await toPromise(gone).catch((e: unknown) => e);
    expect(cancelled).to.be.instanceOf(CancelledError);
    expect((cancelled as Error).message).to.equal("gone");
  });

  it("toPromise refuses what is not a Future, pointing to createTask", () => {
    expect(catchError(() => toPromise((function* () {})() as never), TypeError).message).to.match(/expected a Future or Task \(make a task with loop.createTask/);
  });

  it("fromPromise validates its argument at the call", () => {
    expect(catchError(() => fromPromise(42 as never), TypeError).message).to.match(/expected a promise, a thenable or a function returning one, got 42/);
  });

  it("in a blocking run(), waiting on a promise is a deadlock that points to host-driven mode", () => {
    const error = catchError(
      () =>
        run(
          (function* () {
            yield* fromPromise(Promise.resolve(1));
          })(),
          { clock: new VirtualClock() },
        ),
      DeadlockError,
    );
    expect(error.message).to.match(/waiting on host promise\)/);
    expect(error.message).to.match(/1 host callback\(s\) are pending \(callback effect, fromPromise.*runAsync/);
  });

  it("yielding a raw promise in the core is a TypeError pointing to genloop/promise", () => {
    const message = vrun(
      (function* () {
        try {
          yield Promise.resolve(1) as never;
          return "no error";
        } catch (e) {
          return e instanceof TypeError ? e.message : "wrong class";
        }
      })(),
    );
    expect(message).to.match(/yielded a Promise/);
    expect(message).to.match(/fromPromise.*genloop\/promise/);
  });
});
