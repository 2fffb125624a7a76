import { expect } from "chai";
import {
  EventLoop,
  Future,
  RuntimeError,
  VirtualClock,
  createTask,
  getRunningLoop,
  run,
  sleep,
  type Coroutine,
  type ExceptionContext,
} from "../lib/index.js";
import { runBriefly } from "./helpers.js";

function newLoop(): { loop: EventLoop; clock: VirtualClock; reports: ExceptionContext[]; warnings: string[] } {
  const clock = new VirtualClock();
  const warnings: string[] = [];
  const loop = new EventLoop({ clock, logger: { warn: (m) => warnings.push(m), error: () => {} } });
  const reports: ExceptionContext[] = [];
  loop.setExceptionHandler((_l, ctx) => reports.push(ctx));
  return { loop, clock, reports, warnings };
}


describe("EventLoop", () => {
  describe("callSoon / callLater / callAt", () => {
    it("runs callSoon callbacks in FIFO order, with their arguments", () => {
      const { loop } = newLoop();
      const log: unknown[] = [];
      loop.callSoon((a: string, b: number) => log.push([a, b]), "x", 1);
      loop.callSoon(() => log.push("second"));
      runBriefly(loop);
      expect(log).to.deep.equal([["x", 1], "second"]);
    });

    it("runs only the callbacks ready when the iteration began", () => {
      const { loop } = newLoop();
      const log: string[] = [];
      loop.callSoon(() => {
        log.push("first");
        loop.callSoon(() => log.push("next iteration"));
      });
      loop.callSoon(() => loop.stop());
      loop.runForever();
      expect(log).to.deep.equal(["first"]);
      runBriefly(loop);
      expect(log).to.deep.equal(["first", "next iteration"]);
    });

    it("fires timers by deadline, equal deadlines in scheduling order, on a virtual clock without waiting", () => {
      const { loop, clock } = newLoop();
      const log: string[] = [];
      loop.callLater(30, () => log.push("c@30"));
      loop.callAt(10, () => log.push("a@10"));
      loop.callLater(10, () => log.push("b@10"));
      loop.callLater(30, () => {
        log.push("d@30");
        loop.stop();
      });
      const started = Date.now();
      loop.runForever();
      expect(log).to.deep.equal(["a@10", "b@10", "c@30", "d@30"]);
      expect(clock.now()).to.equal(30);
      expect(Date.now() - started).to.be.below(1000);
    });

    it("does not run cancelled handles, and when() reports the deadline", () => {
      const { loop } = newLoop();
      const log: string[] = [];
      const h = loop.callSoon(() => log.push("soon"));
      const t = loop.callLater(5, () => log.push("later"));
      expect(t.when()).to.equal(5);
      h.cancel();
      t.cancel();
      expect(h.cancelled()).to.equal(true);
      expect(t.cancelled()).to.equal(true);
      loop.callLater(10, () => loop.stop());
      loop.runForever();
      expect(log).to.deep.equal([]);
    });

    it("puts due timers behind the callbacks already ready (SCH-05)", () => {
      const { loop } = newLoop();
      const log: string[] = [];
      loop.callLater(0, () => log.push("timer"));
      loop.callSoon(() => log.push("soon"));
      loop.callSoon(() => loop.callSoon(() => log.push("soon from soon")));
      loop.callLater(1, () => loop.stop());
      loop.runForever();
      expect(log).to.deep.equal(["soon", "timer", "soon from soon"]);
    });

    it("validates arguments with clear errors", () => {
      const { loop } = newLoop();
      expect(() => loop.callSoon(42 as never)).to.throw(TypeError, /callSoon: a function was expected/);
      expect(() => loop.callLater("5" as never, () => {})).to.throw(TypeError, /number of milliseconds/);
      expect(() => loop.callLater(NaN, () => {})).to.throw(RangeError, /NaN/);
      expect(() => loop.callAt(NaN, () => {})).to.throw(RangeError, /NaN/);
      expect(() => new EventLoop({ clock: {} as never })).to.throw(TypeError, /now\(\)/);
    });
  });

  describe("errors in callbacks", () => {
    it("reports a throwing callback to the exception handler and keeps running", () => {
      const { loop, reports } = newLoop();
      const log: string[] = [];
      const boom = new Error("boom");
      loop.callSoon(function failing() {
        throw boom;
      });
      loop.callSoon(() => log.push("still running"));
      runBriefly(loop);
      expect(log).to.deep.equal(["still running"]);
      expect(reports).to.have.length(1);
      expect(reports[0].exception).to.equal(boom);
      expect(reports[0].message).to.match(/Exception in callback/);
      expect(reports[0].handle).to.be.an("object");
    });

    it("runs the items after a throwing one in the same iteration, in order, whatever is thrown", () => {
      const { loop, reports } = newLoop();
      const log: string[] = [];
      const task = loop.createTask(
        (function* () {
          for (let i = 0; i < 3; i++) {
            log.push(`task ${i}`);
            yield* sleep(0);
          }
        })(),
      );
      loop.callSoon(function first() {
        throw new Error("first");
      });
      loop.callSoon(() => {
        log.push("second");
        loop.callSoon(() => log.push("scheduled by second"));
      });
      loop.callSoon(function third() {
        throw undefined;
      });
      loop.callSoon(function fourth() {
        throw null;
      });
      loop.callSoon(() => log.push("fifth"));
      loop.step();
      expect(log).to.deep.equal(["task 0", "second", "fifth"]);
      expect(reports.map((r) => [r.message, r.exception])).to.deep.equal([
        ["Exception in callback <Handle first>", reports[0].exception],
        ["Exception in callback <Handle third>", undefined],
        ["Exception in callback <Handle fourth>", null],
      ]);
      expect((reports[0].exception as Error).message).to.equal("first");
      expect(reports.every((r) => "exception" in r && r.handle !== undefined && r.task === undefined)).to.equal(true);
      loop.step();
      expect(log).to.deep.equal(["task 0", "second", "fifth", "task 1", "scheduled by second"]);
      loop.runUntilComplete(task);
      expect(log.slice(5)).to.deep.equal(["task 2"]);
      expect(reports).to.have.length(3);
    });

    it("times the items after the one that turns debug mode on, in the same iteration", () => {
      const { loop, clock, warnings } = newLoop();
      loop.callSoon(function slowBefore() {
        clock.advance(200);
      });
      loop.callSoon(() => loop.setDebug(true));
      loop.callSoon(function slowAfter() {
        clock.advance(200);
      });
      loop.step();
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.match(/^Executing <Handle slowAfter> took 0\.200 seconds/);
    });

    it("falls back to the default handler when the custom handler throws", () => {
      const clock = new VirtualClock();
      const errors: string[] = [];
      const loop = new EventLoop({ clock, logger: { warn: () => {}, error: (m) => errors.push(m) } });
      loop.setExceptionHandler(() => {
        throw new Error("handler broke");
      });
      loop.callSoon(() => {
        throw new Error("original");
      });
      runBriefly(loop);
      expect(errors).to.have.length(1);
      expect(errors[0]).to.match(/Unhandled error in exception handler/);
      expect(errors[0]).to.match(/handler broke/);
    });

    it("refuses a non-function exception handler", () => {
      const { loop } = newLoop();
      expect(() => loop.setExceptionHandler(5 as never)).to.throw(TypeError);
      loop.setExceptionHandler(null);
      expect(loop.getExceptionHandler()).to.equal(null);
    });
  });

  describe("runUntilComplete / runForever / stop / close", () => {
    it("returns the result of a coroutine, a future or an effect", () => {
      const { loop } = newLoop();
      function* coro(): Coroutine<number> {
        yield* sleep(10);
        return 7;
      }
      expect(loop.runUntilComplete(coro())).to.equal(7);
      const f = loop.createFuture<string>();
      loop.callLater(5, () => f.setResult("done"));
      expect(loop.runUntilComplete(f)).to.equal("done");
      expect(loop.runUntilComplete(sleep(5, "slept"))).to.equal("slept");
      expect(loop.time()).to.equal(20);
    });

    it("throws when stopped before the future completed (TASK-37)", () => {
      const { loop } = newLoop();
      const f = loop.createFuture();
      loop.callLater(10, () => loop.stop());
      loop.callLater(20, () => f.setResult(1));
      expect(() => loop.runUntilComplete(f)).to.throw(RuntimeError, "Event loop stopped before Future completed.");
    });

    it("refuses to run while already running, or while another loop runs", () => {
      const { loop } = newLoop();
      const other = newLoop().loop;
      const errors: string[] = [];
      loop.callSoon(() => {
        for (const attempt of [() => loop.runForever(), () => other.runUntilComplete(sleep(0)), () => loop.step()]) {
          try {
            attempt();
          } catch (e) {
            errors.push((e as Error).message);
          }
        }
      });
      runBriefly(loop);
      expect(errors).to.deep.equal([
        "This event loop is already running",
        "Cannot run the event loop while another loop is running",
        "This event loop is already running",
      ]);
    });

    it("throws a deadlock error instead of hanging when nothing can wake it", () => {
      const { loop } = newLoop();
      const f = loop.createFuture();
      expect(() => loop.runUntilComplete(f)).to.throw(RuntimeError, /deadlock/);
      expect(() => loop.runForever()).to.throw(RuntimeError, /deadlock/);
    });

    it("close() reports pending tasks and errors nobody retrieved, then refuses work", () => {
      const { loop, reports } = newLoop();
      const f = loop.createFuture();
      f.setException(new Error("lost"));
      const task = loop.createTask((function* () {
        yield loop.createFuture();
      })());
      runBriefly(loop);
      loop.close();
      expect(reports.map((r) => r.message)).to.deep.equal([
        "Task was destroyed but it is pending!",
        "Future exception was never retrieved",
      ]);
      expect(reports[0].task).to.equal(task);
      expect(loop.isClosed()).to.equal(true);
      expect(() => loop.callSoon(() => {})).to.throw(RuntimeError, "Event loop is closed");
      expect(() => loop.runForever()).to.throw(RuntimeError, "Event loop is closed");
      loop.close(); // a second close is a no-op
    });

    it("close() closes a destroyed task's coroutines, innermost first, so their finally blocks run", () => {
      const { loop, reports } = newLoop();
      const log: string[] = [];
      function* inner(): Coroutine<void> {
        try {
          yield loop.createFuture();
        } finally {
          log.push("inner finally");
        }
      }
      loop.createTask((function* () {
        try {
          yield inner();
        } finally {
          log.push("outer finally");
          yield* sleep(1); // cannot be resumed: cut short, and reported
          log.push("unreachable");
        }
      })());
      runBriefly(loop);
      loop.close();
      expect(log).to.deep.equal(["inner finally", "outer finally"]);
      expect(reports.map((r) => r.message)).to.deep.equal([
        "Task was destroyed but it is pending!",
        "Exception while closing a destroyed task's coroutine",
      ]);
      expect(String((reports[1].exception as Error).message)).to.match(/yielded in a finally block while its loop was closing/);
    });

    it("does not report an error that was retrieved", () => {
      const { loop, reports } = newLoop();
      const f = loop.createFuture();
      f.setException(new Error("seen"));
      expect(f.exception()).to.be.an("error");
      loop.close();
      expect(reports).to.deep.equal([]);
    });

    it("refuses to close while running", () => {
      const { loop } = newLoop();
      let error: unknown;
      loop.callSoon(() => {
        try {
          loop.close();
        } catch (e) {
          error = e;
        }
      });
      runBriefly(loop);
      expect(error).to.be.instanceOf(RuntimeError);
    });
  });

  describe("host-driven stepping", () => {
    it("step() runs one iteration and never waits; nextDeadline() says when work is due", () => {
      const { loop, clock } = newLoop();
      const log: string[] = [];
      expect(loop.nextDeadline()).to.equal(null);
      loop.callLater(100, () => log.push("timer"));
      expect(loop.nextDeadline()).to.equal(100);
      loop.callSoon(() => log.push("soon"));
      expect(loop.nextDeadline()).to.equal(0);
      loop.step();
      expect(log).to.deep.equal(["soon"]);
      loop.step(); // timer not due: nothing happens, no waiting
      expect(log).to.deep.equal(["soon"]);
      expect(clock.now()).to.equal(0);
      clock.advance(100);
      loop.step();
      expect(log).to.deep.equal(["soon", "timer"]);
      expect(loop.nextDeadline()).to.equal(null);
    });
  });

  describe("debug mode", () => {
    it("reports slow steps with the task's name and duration", () => {
      const { loop, clock, warnings } = newLoop();
      loop.setDebug(true);
      expect(loop.getDebug()).to.equal(true);
      loop.runUntilComplete(
        (function* () {
          clock.advance(250); // a step that takes 250 ms of loop time
          yield* sleep(0);
        })(),
      );
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.match(/^Executing <Task .*name='Task-\d+'.*> took 0\.250 seconds$/);
    });

    it("records where a task was created and names it in error reports", () => {
      const clock = new VirtualClock();
      const errors: string[] = [];
      run(
        (function* () {
          const loop = getRunningLoop();
          loop.logger = { warn: () => {}, error: (m) => errors.push(m) };
          createTask((function* () {
            throw new Error("nobody looks at me");
          })(), { name: "orphan" });
          yield* sleep(1);
        })(),
        { clock, debug: true },
      );
      const report = errors.find((e) => e.includes("exception was never retrieved"));
      expect(report).to.be.a("string");
      expect(report).to.include("orphan");
      expect(report).to.match(/created at:\n.*loop\.spec/);
    });
  });

  it("getRunningLoop() throws outside a loop and returns the loop inside", () => {
    expect(() => getRunningLoop()).to.throw(RuntimeError, /no running event loop/);
    const { loop } = newLoop();
    let seen: EventLoop | undefined;
    loop.callSoon(() => (seen = getRunningLoop()));
    runBriefly(loop);
    expect(seen).to.equal(loop);
  });

  it("Future needs a loop", () => {
    expect(() => new Future()).to.throw(RuntimeError, /no running event loop/);
  });
});
