// Faults: user code that misbehaves gets a clear error or report; the loop survives and no
// other task's result is lost.
import { expect } from "chai";
import {
  CancelledError,
  EventLoop,
  RuntimeError,
  VirtualClock,
  call,
  createTask,
  gather,
  getRunningLoop,
  run,
  sleep,
} from "../lib/index.js";
import type { Coroutine, ExceptionContext, Task } from "../lib/index.js";

class Boom extends Error {
  override name = "Boom";
}

interface Harness {
  loop: EventLoop;
  reports: ExceptionContext[];
  logged: string[];
  /** A task that sleeps through the fault and returns "witness": its result must not be lost. */
  witness: Task<string>;
}

function harness(): Harness {
  const logged: string[] = [];
  const loop = new EventLoop({ clock: new VirtualClock(), logger: { warn: (m) => logged.push(m), error: (m) => logged.push(m) } });
  const reports: ExceptionContext[] = [];
  loop.setExceptionHandler((_loop, context) => {
    reports.push(context);
  });
  const witness = loop.createTask(
    (function* () {
      yield* sleep(0);
      yield* sleep(50);
      return "witness";
    })(),
    { name: "witness" },
  );
  return { loop, reports, logged, witness };
}

function finish(h: Harness): void {
  expect(h.loop.runUntilComplete(h.witness)).to.equal("witness");
  h.loop.close();
}

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  expect.fail("expected an error");
}

describe("faults", () => {
  describe("a callback that throws", () => {
    it("goes to the exception handler with the error and the handle; the loop goes on", () => {
      const h = harness();
      const handle = h.loop.callSoon(function failing() {
        throw new Boom("from a callback");
      });
      h.loop.callLater(5, () => {
        throw new Boom("from a timer");
      });
      let after = false;
      h.loop.callLater(6, () => (after = true));
      finish(h);
      expect(h.reports.map((r) => r.message)).to.deep.equal([
        "Exception in callback <Handle failing>",
        "Exception in callback <TimerHandle anonymous>",
      ]);
      expect(h.reports[0].exception).to.be.instanceOf(Boom);
      expect(h.reports[0].handle).to.equal(handle);
      expect(after).to.equal(true);
    });

    it("a done callback that throws is reported; the awaiting task still gets the result", () => {
      const h = harness();
      const t = h.loop.createTask(
        (function* () {
          yield* sleep(1);
          return 7;
        })(),
      );
      t.addDoneCallback(() => {
        throw new Boom("done callback");
      });
      const waiter = h.loop.createTask(
        (function* () {
          return (yield* t) * 2;
        })(),
      );
      expect(h.loop.runUntilComplete(waiter)).to.equal(14);
      finish(h);
      expect(h.reports).to.have.length(1);
      expect((h.reports[0].exception as Error).message).to.equal("done callback");
    });
  });

  describe("finally blocks", () => {
    it("a finally that throws during cancellation: the task fails with that error, not cancelled", () => {
      const h = harness();
      const t = h.loop.createTask(
        (function* () {
          try {
            yield* sleep(100);
          } finally {
            // eslint-disable-next-line no-unsafe-finally
            throw new Boom("cleanup failed");
          }
        })(),
      );
      const waiter = h.loop.createTask(
        (function* () {
          yield* sleep(10);
          t.cancel("stop");
          try {
            yield* t;
            return "no error";
          } catch (error) {
            return `${(error as Error).name}:${(error as Error).message}`;
          }
        })(),
      );
      expect(h.loop.runUntilComplete(waiter)).to.equal("Boom:cleanup failed");
      expect(t.cancelled()).to.equal(false);
      expect(t.exception()).to.be.instanceOf(Boom);
      finish(h);
    });

    it("a finally that throws while run() cancels the leftovers is reported; run() returns main's result", () => {
      const reports: ExceptionContext[] = [];
      const result = run(
        (function* () {
          getRunningLoop().setExceptionHandler((_l, c) => {
            reports.push(c);
          });
          createTask(
            (function* () {
              try {
                yield* sleep(1000);
              } finally {
                // eslint-disable-next-line no-unsafe-finally
                throw new Boom("leftover cleanup");
              }
            })(),
            { name: "leftover" },
          );
          yield* sleep(1);
          return "main";
        })(),
        { clock: new VirtualClock() },
      );
      expect(result).to.equal("main");
      expect(reports.map((r) => r.message)).to.deep.equal(["unhandled exception during run() shutdown"]);
      expect((reports[0].task as Task<unknown>).getName()).to.equal("leftover");
    });

    it("a finally that yields and is cancelled again stops at that yield; the task ends cancelled", () => {
      const h = harness();
      const log: string[] = [];
      const t = h.loop.createTask(
        (function* () {
          try {
            yield* sleep(100);
          } finally {
            log.push(`cleanup at ${getRunningLoop().time()}`);
            yield* sleep(50);
            log.push("not reached");
          }
        })(),
      );
      h.loop.callLater(10, () => t.cancel("first"));
      h.loop.callLater(20, () => {
        log.push(`second cancel: ${t.cancel("second")}, cancelling ${t.cancelling()}`);
      });
      const error = errorOf(() => h.loop.runUntilComplete(t));
      expect(error).to.be.instanceOf(CancelledError);
      expect((error as Error).message).to.equal("second");
      expect(log).to.deep.equal(["cleanup at 10", "second cancel: true, cancelling 2"]);
      expect(h.loop.time()).to.equal(20);
      finish(h);
    });
  });

  it("an exception handler that throws: the default handler logs both; the loop goes on", () => {
    const h = harness();
    h.loop.setExceptionHandler(() => {
      throw new Error("the handler itself broke");
    });
    h.loop.callSoon(() => {
      throw new Boom("original");
    });
    let later = false;
    h.loop.callLater(3, () => (later = true));
    finish(h);
    expect(later).to.equal(true);
    expect(h.logged).to.have.length(1);
    expect(h.logged[0]).to.contain("Unhandled error in exception handler").and.contain("the handler itself broke");
    expect(h.logged[0]).to.contain("Exception in callback");
  });

  describe("a coroutine that yields something that cannot be awaited", () => {
    const cases: [string, unknown, RegExp][] = [
      ["undefined", undefined, /yielded undefined.*yield\* sleep\(0\)/],
      ["a number", 42, /yielded 42 \(a number\).*yield\*/],
      ["a thenable", { then() {} }, /yielded .*(thenable|Promises)/],
      ["a promise", Promise.resolve(1), /yielded a Promise.*genloop\/promise/],
    ];
    for (const [what, value, message] of cases) {
      it(`${what}: a TypeError naming the value and the task is thrown in at that yield`, () => {
        const h = harness();
        const t = h.loop.createTask(
          (function* (): Coroutine<string> {
            try {
              yield value as never;
              return "went on";
            } catch (error) {
              expect(error).to.be.instanceOf(TypeError);
              expect((error as Error).message).to.match(message).and.contain("'bad'");
              yield* sleep(1); // the coroutine can go on after catching it
              return "caught";
            }
          })(),
          { name: "bad" },
        );
        expect(h.loop.runUntilComplete(t)).to.equal("caught");
        finish(h);
      });
    }

    it("uncaught, the TypeError fails only that task", () => {
      const h = harness();
      const bad = h.loop.createTask(
        (function* () {
          yield 1 as never;
        })(),
        { name: "bad" },
      );
      expect(errorOf(() => h.loop.runUntilComplete(bad))).to.be.instanceOf(TypeError);
      finish(h);
    });
  });

  describe("re-entrant run() / runUntilComplete()", () => {
    it("from a callback: RuntimeError at the call; the loop goes on", () => {
      const h = harness();
      const errors: unknown[] = [];
      h.loop.callSoon(() => {
        errors.push(errorOf(() => run((function* () {})())));
        errors.push(errorOf(() => h.loop.runUntilComplete(sleep(1))));
        errors.push(errorOf(() => h.loop.runForever()));
        errors.push(errorOf(() => h.loop.close()));
        errors.push(errorOf(() => new EventLoop({ clock: new VirtualClock() }).runUntilComplete(sleep(1))));
      });
      finish(h);
      expect(errors).to.have.length(5);
      for (const e of errors) expect(e).to.be.instanceOf(RuntimeError);
      expect((errors[0] as Error).message).to.contain("run() cannot be called from a running event loop");
      expect((errors[1] as Error).message).to.contain("already running");
      expect((errors[3] as Error).message).to.contain("Cannot close a running event loop");
    });

    it("from a task: the RuntimeError is thrown into the coroutine, which can go on", () => {
      const result = run(
        (function* () {
          let message = "";
          try {
            run((function* () {})());
          } catch (error) {
            message = (error as Error).message;
          }
          yield* sleep(1);
          return message;
        })(),
        { clock: new VirtualClock() },
      );
      expect(result).to.contain("run() cannot be called from a running event loop");
    });
  });

  describe("a generator resumed while running", () => {
    it("a coroutine that awaits itself gets a RangeError (asyncio: coroutine already executing)", () => {
      const h = harness();
      const holder: Coroutine<unknown>[] = [];
      function* selfish(): Coroutine<unknown> {
        return yield holder[0];
      }
      const t = h.loop.createTask((holder[0] = selfish()));
      const error = errorOf(() => h.loop.runUntilComplete(t));
      expect(error).to.be.instanceOf(RangeError);
      expect((error as Error).message).to.contain("already executing");
      finish(h);
    });

    it("an inline coroutine that awaits itself gets the same RangeError; its caller can go on", () => {
      const h = harness();
      const holder: Coroutine<unknown>[] = [];
      function* selfish(): Coroutine<unknown> {
        return yield holder[0];
      }
      const t = h.loop.createTask(
        (function* () {
          try {
            yield* call((holder[0] = selfish()));
            return "no error";
          } catch (error) {
            return (error as Error).name;
          }
        })(),
      );
      expect(h.loop.runUntilComplete(t)).to.equal("RangeError");
      finish(h);
    });

    it("a coroutine run by another task cannot be awaited or wrapped again (RuntimeError)", () => {
      const h = harness();
      function* child(): Coroutine<string> {
        yield* sleep(5);
        return "child";
      }
      const coro = child();
      const owner = h.loop.createTask(coro);
      const thief = h.loop.createTask(
        (function* () {
          yield* sleep(1);
          try {
            yield coro;
            return "stolen";
          } catch (error) {
            return (error as Error).message;
          }
        })(),
      );
      expect(h.loop.runUntilComplete(thief)).to.contain("being awaited already");
      expect(h.loop.runUntilComplete(owner)).to.equal("child"); // the owner's result is not lost
      expect(() => h.loop.createTask(owner.getCoro())).to.not.throw(); // returned normally: no longer tracked
      const again = child();
      h.loop.createTask(again);
      expect(() => h.loop.createTask(again)).to.throw(RuntimeError, "being awaited already");
      finish(h);
    });

    it("a task's coroutine is refused elsewhere until the task ends; after, only if it failed or was cancelled", () => {
      const h = harness();
      function* nap(ms: number, fail: boolean): Coroutine<string> {
        yield* sleep(ms);
        if (fail) throw new Error("boom");
        return "ok";
      }
      const ok = nap(1, false);
      const failing = nap(1, true);
      const cancelled = nap(100, false);
      const tasks = [h.loop.createTask(ok), h.loop.createTask(failing), h.loop.createTask(cancelled)];
      // Each is refused while its task runs, whether as a task or through gather.
      expect(() => h.loop.createTask(cancelled)).to.throw(RuntimeError, "being awaited already");
      const gathered = h.loop.createTask(
        (function* () {
          try {
            return yield* gather(cancelled);
          } catch (error) {
            return (error as Error).message;
          }
        })(),
      );
      expect(h.loop.runUntilComplete(gathered)).to.contain("being awaited already");
      tasks[2].cancel();
      h.loop.runUntilComplete(
        h.loop.createTask(
          (function* () {
            yield* sleep(5);
          })(),
        ),
      );
      const outcomes = tasks.map((t) => (t.cancelled() ? "cancelled" : t.failed() ? (t.exception(), "failed") : t.result()));
      expect(outcomes).to.deep.equal(["ok", "failed", "cancelled"]);
      // Ended: one that returned is a finished generator, not remembered; one that failed or was
      // cancelled is refused for good.
      expect(() => h.loop.createTask(ok)).to.not.throw();
      expect(() => h.loop.createTask(failing)).to.throw(RuntimeError, "cannot reuse already awaited coroutine");
      expect(() => h.loop.createTask(cancelled)).to.throw(RuntimeError, "cannot reuse already awaited coroutine");
      finish(h);
    });

    it("a coroutine that calls next() on its own generator gets the engine's TypeError", () => {
      const h = harness();
      const me: Coroutine<string>[] = [];
      function* reentrant(): Coroutine<string> {
        yield* sleep(1);
        me[0].next();
        return "unreachable";
      }
      const t = h.loop.createTask((me[0] = reentrant()));
      const error = errorOf(() => h.loop.runUntilComplete(t));
      expect(error).to.be.instanceOf(TypeError);
      expect((error as Error).message).to.match(/already running/);
      finish(h);
    });
  });
});
