import { expect } from "chai";
import {
  CancelledError,
  DeadlockError,
  EventLoop,
  RuntimeError,
  VirtualClock,
  callback,
  ensureFuture,
  gather,
  getRunningLoop,
  run,
  runDue,
  sleep,
} from "../../lib/index.js";
import type { ExceptionContext } from "../../lib/index.js";
import { catchError, vrun, type Co } from "../helpers.js";

/** A loop driven by hand (the host's role) whose exception-handler calls are recorded. */
function hostLoop() {
  const loop = new EventLoop({ clock: new VirtualClock() });
  const reports: ExceptionContext[] = [];
  loop.setExceptionHandler((_l, ctx) => {
    reports.push(ctx);
  });
  return { loop, reports };
}

describe("effects: callback", () => {
  it("is an inert descriptor: the setup does not run until a task yields it", () => {
    let calls = 0;
    const setup = () => {
      calls++;
    };
    const effect = callback(setup);
    expect(effect).to.deep.include({ kind: "callback", setup });
    expect(Object.isFrozen(effect)).to.equal(true);
    expect(calls).to.equal(0);
  });

  it("resolves with the value the host gives, later, and the disposer runs once after", () => {
    const { loop } = hostLoop();
    const log: string[] = [];
    let resolve: (v: number) => void = () => {};
    const task = loop.createTask(
      (function* (): Co<number> {
        const v = yield* callback<number>((res) => {
          log.push("setup");
          resolve = res;
          return () => log.push("dispose");
        });
        log.push(`got ${v}`);
        return v;
      })(),
    );
    runDue(loop);
    expect(log).to.deep.equal(["setup"]);
    resolve(42);
    expect(log).to.deep.equal(["setup", "dispose"]);
    resolve(43); // late: ignored
    runDue(loop);
    expect(task.result()).to.equal(42);
    expect(log).to.deep.equal(["setup", "dispose", "got 42"]);
    loop.close();
  });

  it("a synchronous resolve inside the setup completes without a trip through the loop; the disposer still runs", () => {
    const log: string[] = [];
    const result = vrun(
      (function* () {
        const v = yield* callback<string>((resolve) => {
          resolve("now");
          return () => log.push("dispose");
        });
        log.push(v);
        return v;
      })(),
    );
    expect(result).to.equal("now");
    expect(log).to.deep.equal(["dispose", "now"]);
  });

  it("reject throws the error into the task; later calls of either are ignored", () => {
    const { loop } = hostLoop();
    let reject: (e: unknown) => void = () => {};
    let resolve: (v: string) => void = () => {};
    const boom = new Error("boom");
    const task = loop.createTask(
      (function* (): Co<string> {
        try {
          return yield* callback<string>((res, rej) => {
            resolve = res;
            reject = rej;
          });
        } catch (e) {
          return `caught ${(e as Error).message}`;
        }
      })(),
    );
    runDue(loop);
    reject(boom);
    resolve("late");
    reject(new Error("late"));
    runDue(loop);
    expect(task.result()).to.equal("caught boom");
    loop.close();
  });

  it("an error thrown by the setup is thrown into the task", () => {
    const error = catchError(
      () =>
        vrun(
          (function* () {
            yield* callback(() => {
              throw new RangeError("bad setup");
            });
          })(),
        ),
      RangeError,
    );
    expect(error.message).to.equal("bad setup");
  });

  it("a setup returning something other than a disposer fails with a TypeError; a promise gets a hint", () => {
    const notFunction = catchError(
      () =>
        vrun(
          (function* () {
            yield* callback(() => 42 as never);
          })(),
        ),
      TypeError,
    );
    expect(notFunction.message).to.match(/must return a disposer function or nothing, got 42 \(a number\) \(an arrow function with an expression body/);
    const thenable = catchError(
      () =>
        vrun(
          (function* () {
            yield* callback((() => ({ then() {} })) as never);
          })(),
        ),
      TypeError,
    );
    expect(thenable.message).to.match(/plain function.*fromPromise/);
  });

  it("cancelling the waiting task runs the disposer at once, then the task's finally; late calls are ignored", () => {
    const { loop } = hostLoop();
    const log: string[] = [];
    let resolve: () => void = () => {};
    const task = loop.createTask(
      (function* () {
        try {
          yield* callback<void>((res) => {
            resolve = res;
            return () => log.push("dispose");
          });
          log.push("not reached");
        } finally {
          log.push("finally");
        }
      })(),
    );
    runDue(loop);
    task.cancel("bye");
    expect(log).to.deep.equal(["dispose"]);
    resolve();
    runDue(loop);
    expect(log).to.deep.equal(["dispose", "finally"]);
    expect(task.cancelled()).to.equal(true);
    expect(catchError(() => task.result(), CancelledError).message).to.equal("bye");
    loop.close();
  });

  it("cancelling before the first step: the setup never runs", () => {
    const { loop } = hostLoop();
    let setups = 0;
    const task = loop.createTask(
      (function* () {
        yield* callback<void>(() => {
          setups++;
        });
      })(),
    );
    task.cancel();
    runDue(loop);
    expect(setups).to.equal(0);
    expect(task.cancelled()).to.equal(true);
    loop.close();
  });

  it("ensureFuture(callback(...)) starts it at once; cancelling that future runs the disposer", () => {
    const log: string[] = [];
    vrun(
      (function* () {
        const future = ensureFuture(
          callback<void>(() => {
            log.push("setup");
            return () => log.push("dispose");
          }),
        );
        expect(log).to.deep.equal(["setup"]);
        expect(future.cancel()).to.equal(true);
        expect(log).to.deep.equal(["setup", "dispose"]);
        expect(future.cancel()).to.equal(false);
      })(),
    );
  });

  it("cancelling a gather of callbacks disposes each of them", () => {
    const log: string[] = [];
    vrun(
      (function* () {
        const op = (name: string) =>
          callback<void>(() => () => {
            log.push(`dispose ${name}`);
          });
        const waiter = ensureFuture(gather(op("a"), op("b")));
        yield* sleep(1);
        waiter.cancel();
        yield* sleep(1);
        expect(waiter.done()).to.equal(true);
        expect(() => waiter.result()).to.throw(CancelledError); // asyncio: the gathering future fails with it
      })(),
    );
    expect(log).to.deep.equal(["dispose a", "dispose b"]);
  });

  it("a disposer that throws is reported to the exception handler; the outcome stands", () => {
    const { loop, reports } = hostLoop();
    let resolve: (v: string) => void = () => {};
    const task = loop.createTask(
      (function* (): Co<string> {
        return yield* callback<string>((res) => {
          resolve = res;
          return () => {
            throw new Error("cleanup failed");
          };
        });
      })(),
    );
    runDue(loop);
    resolve("value");
    runDue(loop);
    expect(task.result()).to.equal("value");
    expect(reports).to.have.length(1);
    expect(reports[0].message).to.equal("Exception in the disposer of a callback effect");
    expect((reports[0].exception as Error).message).to.equal("cleanup failed");
    loop.close();
  });

  it("an error thrown by the setup after it already resolved is reported; the result stands", () => {
    const { loop, reports } = hostLoop();
    const task = loop.createTask(
      (function* (): Co<string> {
        return yield* callback<string>((resolve) => {
          resolve("first");
          throw new Error("setup failed late");
        });
      })(),
    );
    runDue(loop);
    expect(task.result()).to.equal("first");
    expect(reports.map((r) => r.message)).to.deep.equal(["Exception in the setup of a callback effect after it completed"]);
    expect((reports[0].exception as Error).message).to.equal("setup failed late");
    loop.close();
  });

  it("a bad return value after a synchronous resolve is reported too", () => {
    const { loop, reports } = hostLoop();
    const task = loop.createTask(
      (function* (): Co<number> {
        return yield* callback<number>((resolve) => (resolve(1), 2) as never);
      })(),
    );
    runDue(loop);
    expect(task.result()).to.equal(1);
    expect(reports.map((r) => r.message)).to.deep.equal(["Exception in the setup of a callback effect after it completed"]);
    expect((reports[0].exception as Error).message).to.match(/must return a disposer function or nothing, got 2/);
    loop.close();
  });

  it("calls after the loop is closed are ignored", () => {
    const { loop, reports } = hostLoop();
    let resolve: (v: string) => void = () => {};
    loop.createTask(
      (function* () {
        yield* callback<string>((res) => {
          resolve = res;
        });
      })(),
    );
    runDue(loop);
    loop.close(); // reports the pending task as destroyed
    expect(() => resolve("too late")).not.to.throw();
    expect(reports.map((r) => r.message)).to.deep.equal(["Task was destroyed but it is pending!"]);
  });

  it("in a blocking run(), waiting on a host callback is a deadlock that points to host-driven mode; the disposer runs", () => {
    const log: string[] = [];
    const error = catchError(
      () =>
        run(
          (function* () {
            yield* callback<void>(() => () => log.push("dispose"));
          })(),
          { clock: new VirtualClock() },
        ),
      DeadlockError,
    );
    expect(error).to.be.instanceOf(RuntimeError);
    expect(error.message).to.match(/deadlock/);
    expect(error.message).to.match(/waiting on host callback\)/);
    expect(error.message).to.match(/1 host callback\(s\) are pending.*never arrive while run\(\) blocks.*runAsync or startTimerDriver/);
    expect(log).to.deep.equal(["dispose"]);
  });

  it("the deadlock hint counts host callbacks however they are awaited (here through gather)", () => {
    const error = catchError(
      () =>
        vrun(
          (function* () {
            yield* gather(
              callback<void>(() => {}),
              callback<void>(() => {}),
            );
          })(),
        ),
      DeadlockError,
    );
    expect(error.message).to.match(/2 host callback\(s\) are pending/);
  });

  it("a deadlock without host callbacks keeps the generic hint", () => {
    const error = catchError(
      () =>
        vrun(
          (function* () {
            yield* getRunningLoop().createFuture();
          })(),
        ),
      DeadlockError,
    );
    expect(error.message).to.match(/Some future is never resolved/);
    expect(error.message).not.to.match(/host callback/);
  });

  it("validates its argument at the call", () => {
    expect(catchError(() => callback("x" as never), TypeError).message).to.match(/callback: expected a setup function \(resolve, reject\) => dispose\?, got "x"/);
  });
});
