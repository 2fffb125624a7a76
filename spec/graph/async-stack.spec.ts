import { expect } from "chai";
import {
  CancelledError,
  EventLoop,
  ExceptionGroup,
  VirtualClock,
  call,
  createTask,
  enqueue,
  gather,
  run,
  shield,
  sleep,
  taskGroup,
  waitFor,
  type Task,
} from "../../lib/index.js";
import type { Co } from "../helpers.js";

/** This spec's own file, as it appears in stack frames. */
const HERE = /async-stack\.spec\.[jt]s:\d+:\d+/;

class AppError extends Error {}

/** The `at async …` lines of a stack. */
function asyncLines(stack: unknown): string[] {
  return String(stack)
    .split("\n")
    .filter((line) => /^ {4}at async /.test(line));
}

/** Runs `main` with async stack traces (or debug mode) and returns what it returns. */
function runTraced<T>(main: Co<T>, how: "option" | "debug" | "off" = "option"): T {
  return run(main, { clock: new VirtualClock(), asyncStackTraces: how === "option", debug: how === "debug" });
}

describe("async stack traces", () => {
  function* helper(thrown: unknown[]): Co<never> {
    yield* sleep(5);
    const error = new AppError("boom");
    thrown.push(error);
    throw error;
  }
  function* child(thrown: unknown[]): Co<void> {
    yield* sleep(1);
    yield* call(helper(thrown));
  }

  for (const how of ["option", "debug"] as const) {
    it(`main → gather → child task → yield* call(helper()): helper, the child task, where it was created and main (${how})`, () => {
      const thrown: unknown[] = [];
      function* main(): Co<unknown> {
        try {
          yield* gather(createTask(child(thrown), { name: "child" }));
        } catch (error) {
          return error;
        }
      }
      const caught = runTraced(main(), how) as AppError;
      expect(caught).to.equal(thrown[0]);
      expect(caught).to.be.instanceOf(AppError);
      const lines = String(caught.stack).split("\n");
      expect(lines[0]).to.equal("Error: boom");
      expect(lines[1]).to.match(/^ {4}at helper \(.*async-stack\.spec\.[jt]s:\d+:\d+\)$/);
      const hops = asyncLines(caught.stack);
      expect(hops).to.have.length(3);
      expect(hops[0]).to.match(/^ {4}at async child \(.*async-stack\.spec\.[jt]s:\d+:\d+\)$/);
      // The task's line points at the line that created it, in main.
      expect(hops[1]).to.match(/^ {4}at async Task 'child' \(.*async-stack\.spec\.[jt]s:\d+:\d+\)$/);
      expect(hops[2]).to.match(/^ {4}at async main \(.*async-stack\.spec\.[jt]s:\d+:\d+\)$/);
      // genloop's own frames (the driver below helper) are left out.
      expect(lines).to.have.length(5);
    });
  }

  it("leaves the stack untouched when off", () => {
    const thrown: unknown[] = [];
    let before = "";
    function* main(): Co<unknown> {
      try {
        yield* gather(createTask(child(thrown), { name: "child" }));
      } catch (error) {
        return error;
      }
    }
    const loop = new EventLoop({ clock: new VirtualClock() });
    expect(loop.getAsyncStackTraces()).to.equal(false);
    const caught = loop.runUntilComplete(
      loop.createTask(
        (function* () {
          const error = (yield* main()) as AppError;
          return error;
        })(),
      ),
    ) as AppError;
    before = (thrown[0] as AppError).stack as string;
    expect(caught).to.equal(thrown[0]);
    expect(caught.stack).to.equal(before);
    expect(asyncLines(caught.stack)).to.deep.equal([]);
    expect(caught.stack).to.match(/_step/);
  });

  describe("every crossing keeps the error and appends the awaiting chain", () => {
    function* fail(message: string): Co<never> {
      yield* sleep(1);
      throw new AppError(message);
    }

    it("yield* task", () => {
      function* main(): Co<unknown> {
        const task = createTask(fail("t"), { name: "worker" });
        try {
          yield* task;
        } catch (error) {
          return error;
        }
      }
      const caught = runTraced(main()) as Error;
      expect(caught).to.be.instanceOf(AppError);
      const hops = asyncLines(caught.stack);
      expect(hops.map((l) => l.replace(/ \(.*\)$/, ""))).to.deep.equal(["    at async Task 'worker'", "    at async main"]);
      expect(hops[0]).to.match(HERE);
    });

    it("a task that failed already, awaited afterwards", () => {
      function* main(): Co<unknown> {
        const task = createTask(fail("t"), { name: "early" });
        yield* sleep(10);
        expect(task.failed()).to.equal(true);
        try {
          yield* task;
        } catch (error) {
          return error;
        }
      }
      const hops = asyncLines((runTraced(main()) as Error).stack);
      expect(hops.map((l) => l.replace(/ \(.*\)$/, ""))).to.deep.equal(["    at async Task 'early'", "    at async main"]);
    });

    it("taskGroup: the group and each of its errors", () => {
      function* main(): Co<unknown> {
        try {
          yield* taskGroup(function* (tg) {
            tg.createTask(fail("a"), { name: "a" });
            yield* sleep(100);
          });
        } catch (error) {
          return error;
        }
      }
      const group = runTraced(main()) as ExceptionGroup;
      expect(group).to.be.instanceOf(ExceptionGroup);
      expect(asyncLines(group.stack).map((l) => l.replace(/ \(.*\)$/, ""))).to.deep.equal(["    at async main"]);
      const member = group.exceptions[0] as Error;
      expect(member).to.be.instanceOf(AppError);
      expect(asyncLines(member.stack).map((l) => l.replace(/ \(.*\)$/, ""))).to.deep.equal(["    at async Task 'a'", "    at async main"]);
    });

    it("waitFor, with a time limit and at once", () => {
      for (const timeout of [1000, 0]) {
        function* main(): Co<unknown> {
          const task = createTask(fail("w"), { name: "slow" });
          if (timeout === 0) yield* sleep(10);
          try {
            yield* waitFor(task, timeout);
          } catch (error) {
            return error;
          }
        }
        const caught = runTraced(main()) as Error;
        expect(caught).to.be.instanceOf(AppError);
        expect(asyncLines(caught.stack).map((l) => l.replace(/ \(.*\)$/, ""))).to.deep.equal(["    at async Task 'slow'", "    at async main"]);
      }
    });

    it("shield", () => {
      function* main(): Co<unknown> {
        try {
          yield* shield(createTask(fail("s"), { name: "guarded" }));
        } catch (error) {
          return error;
        }
      }
      const caught = runTraced(main()) as Error;
      expect(asyncLines(caught.stack).map((l) => l.replace(/ \(.*\)$/, ""))).to.deep.equal(["    at async Task 'guarded'", "    at async main"]);
    });

    it("a policy's instance, created where perform() was called", () => {
      const save = enqueue(function* save(n: number): Co<never> {
        yield* fail(`save ${n}`);
        throw new Error("unreachable");
      });
      function* main(): Co<unknown> {
        try {
          yield* save.perform(1);
        } catch (error) {
          return error;
        }
      }
      const caught = runTraced(main()) as Error;
      expect(caught.message).to.equal("save 1");
      // save delegates to fail with a plain yield*: both are frames of the error's own stack.
      expect(caught.stack).to.match(/\n {4}at fail [^]*\n {4}at (TaskPolicy\.)?save /);
      const hops = asyncLines(caught.stack);
      expect(hops.map((l) => l.replace(/ \(.*\)$/, ""))).to.deep.equal(["    at async Task 'save#1'", "    at async main"]);
      for (const line of hops) expect(line).to.match(HERE);
    });

    it("nested inline calls: one line per coroutine, outermost last", () => {
      function* inner(): Co<never> {
        yield* sleep(1);
        throw new AppError("deep");
      }
      function* middle(): Co<void> {
        yield* call(inner());
      }
      function* main(): Co<unknown> {
        try {
          yield* call(middle());
        } catch (error) {
          return error;
        }
      }
      const caught = runTraced(main()) as Error;
      expect(asyncLines(caught.stack).map((l) => l.replace(/ \(.*\)$/, ""))).to.deep.equal(["    at async middle", "    at async main"]);
    });
  });

  it("appends each hop once: a retry loop awaiting the same failed task, two tasks awaiting it", () => {
    function* fail(): Co<never> {
      yield* sleep(1);
      throw new AppError("once");
    }
    let task: Task<never> | undefined;
    function* retry(): Co<unknown> {
      let last: unknown;
      for (let i = 0; i < 3; i++) {
        try {
          yield* task as Task<never>;
        } catch (error) {
          last = error;
        }
      }
      return last;
    }
    function* main(): Co<unknown> {
      task = createTask(fail(), { name: "flaky" });
      const [a, b] = yield* gather(retry(), retry());
      expect(a).to.equal(b);
      return a;
    }
    const caught = runTraced(main()) as Error;
    const hops = asyncLines(caught.stack).map((l) => l.replace(/ \(.*\)$/, ""));
    // Each retrying coroutine adds its own line once, whatever the number of awaits.
    expect(hops).to.deep.equal(["    at async Task 'flaky'", "    at async retry", "    at async retry"]);
  });

  it("leaves CancelledError and thrown values that are not errors alone", () => {
    for (const value of [null, undefined, 0, "text", Symbol.for("s"), 12n]) {
      function* thrower(): Co<never> {
        yield* sleep(1);
        throw value;
      }
      function* main(): Co<unknown> {
        try {
          yield* createTask(thrower());
        } catch (error) {
          return { error };
        }
      }
      expect((runTraced(main()) as { error: unknown }).error).to.equal(value);
    }
    function* cancelled(): Co<unknown> {
      const task = createTask((function* () {
        yield* sleep(100);
      })());
      yield* sleep(1);
      task.cancel();
      try {
        yield* task;
      } catch (error) {
        return error;
      }
    }
    const error = runTraced(cancelled()) as Error;
    expect(error).to.be.instanceOf(CancelledError);
    expect(asyncLines(error.stack)).to.deep.equal([]);
  });

  it("never throws for objects whose stack cannot be written, and leaves them as they were", () => {
    const frozen = Object.freeze(new AppError("frozen"));
    const readOnly = new AppError("read-only");
    Object.defineProperty(readOnly, "stack", { value: "fixed", writable: false });
    const getterOnly = new AppError("getter");
    Object.defineProperty(getterOnly, "stack", { get: () => "computed" });
    const throwingGetter = new AppError("throwing getter");
    Object.defineProperty(throwingGetter, "stack", {
      get: () => {
        throw new Error("no stack for you");
      },
    });
    const ignoringSetter = new AppError("ignoring setter");
    Object.defineProperty(ignoringSetter, "stack", { get: () => "same", set: () => undefined });
    const plainObject = { stack: "plain object" };
    const frozenObject = Object.freeze({ stack: "frozen object" });
    const values: { value: object; stack: () => unknown }[] = [
      { value: frozen, stack: () => frozen.stack },
      { value: readOnly, stack: () => "fixed" },
      { value: getterOnly, stack: () => "computed" },
      { value: throwingGetter, stack: () => "throws" },
      { value: ignoringSetter, stack: () => "same" },
      { value: frozenObject, stack: () => "frozen object" },
    ];
    const frozenStack = frozen.stack;
    for (const { value, stack } of values) {
      function* thrower(): Co<never> {
        yield* sleep(1);
        throw value;
      }
      function* main(): Co<unknown> {
        try {
          yield* gather(createTask(thrower()));
        } catch (error) {
          return { error };
        }
      }
      expect((runTraced(main()) as { error: unknown }).error).to.equal(value);
      if (value === throwingGetter) expect(() => (value as Error).stack).to.throw("no stack for you");
      else if (value === frozen) expect(frozen.stack).to.equal(frozenStack);
      else expect((value as { stack: unknown }).stack).to.equal(stack());
    }
    // A plain object with a writable string `stack` is treated as an error: it gets the lines.
    function* plainThrower(): Co<never> {
      yield* sleep(1);
      throw plainObject;
    }
    function* plainMain(): Co<unknown> {
      try {
        yield* createTask(plainThrower(), { name: "plain" });
      } catch (error) {
        return error;
      }
    }
    expect(runTraced(plainMain())).to.equal(plainObject);
    expect(asyncLines(plainObject.stack).map((l) => l.replace(/ \(.*\)$/, ""))).to.deep.equal(["    at async Task 'plain'", "    at async plainMain"]);
  });

  it("setAsyncStackTraces turns them on and off; both the option and the setter refuse non-booleans", () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    loop.setAsyncStackTraces(true);
    expect(loop.getAsyncStackTraces()).to.equal(true);
    loop.setAsyncStackTraces(false);
    expect(loop.getAsyncStackTraces()).to.equal(false);
    loop.setDebug(true);
    expect(loop.getAsyncStackTraces()).to.equal(true);
    loop.setDebug(false);
    expect(loop.getAsyncStackTraces()).to.equal(false);
    expect(() => loop.setAsyncStackTraces(1 as unknown as boolean)).to.throw(TypeError, /asyncStackTraces must be true or false, got 1/);
    expect(() => new EventLoop({ asyncStackTraces: "yes" as unknown as boolean })).to.throw(TypeError, /asyncStackTraces must be true or false/);
    expect(new EventLoop({ asyncStackTraces: true }).getAsyncStackTraces()).to.equal(true);
  });
});
