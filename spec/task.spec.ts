import { expect } from "chai";
import {
  CancelledError,
  EventLoop,
  RuntimeError,
  VirtualClock,
  call,
  createTask,
  currentTask,
  getRunningLoop,
  sleep,
  type Coroutine,
  type Task,
} from "../lib/index.js";
import { vrun } from "./helpers.js";


function* caught(body: () => Coroutine<unknown>): Coroutine<unknown> {
  try {
    yield* call(body());
    return "no error";
  } catch (e) {
    return e;
  }
}

describe("Task", () => {
  describe("inline coroutines", () => {
    it("runs `yield coro()` and `yield* call(coro())` in the same task, returning their results", () => {
      function* leaf(n: number): Coroutine<number> {
        yield* sleep(1);
        return n * 2;
      }
      const result = vrun(
        (function* () {
          const me = currentTask();
          let seenIn: Task<unknown> | null = null;
          function* probe(): Coroutine<void> {
            seenIn = currentTask();
          }
          yield* call(probe());
          const a: number = yield leaf(1);
          const b = yield* call(leaf(2));
          return { sameTask: seenIn === me, a, b };
        })(),
      );
      expect(result).to.deep.equal({ sameTask: true, a: 2, b: 4 });
    });

    it("propagates errors up the inline stack into the caller's try/catch", () => {
      function* failing(): Coroutine<never> {
        yield* sleep(1);
        throw new RangeError("deep");
      }
      function* middle(): Coroutine<string> {
        try {
          yield* call(failing());
          return "unreached";
        } finally {
          yield* sleep(1); // a finally that yields, inline
        }
      }
      const error = vrun(caught(middle));
      expect(error).to.be.instanceOf(RangeError);
      expect((error as Error).message).to.equal("deep");
    });

    it("keeps a 100 000-deep chain of inline awaits off the JS stack", () => {
      function* chain(n: number): Coroutine<number> {
        if (n === 0) {
          yield* sleep(0);
          return 0;
        }
        return 1 + (yield* call(chain(n - 1)));
      }
      expect(vrun(chain(100_000))).to.equal(100_000);
    });

    it("cancels a deep inline chain, running every finally innermost first", () => {
      const order: number[] = [];
      function* chain(n: number): Coroutine<void> {
        try {
          if (n === 0) yield* sleep(1000);
          else yield* call(chain(n - 1));
        } finally {
          order.push(n);
        }
      }
      vrun(
        (function* () {
          const t = createTask(chain(10_000));
          yield* sleep(10);
          t.cancel();
          try {
            yield* t;
          } catch (e) {
            expect(e).to.be.instanceOf(CancelledError);
          }
        })(),
      );
      expect(order).to.have.length(10_001);
      expect(order[0]).to.equal(0);
      expect(order[10_000]).to.equal(10_000);
    });

    it("does a million synchronous awaits in a row without overflowing", () => {
      function* one(): Coroutine<number> {
        return 1;
      }
      expect(
        vrun(
          (function* () {
            let sum = 0;
            const done = getRunningLoop().createFuture<number>();
            done.setResult(1);
            for (let i = 0; i < 500_000; i++) sum += yield* call(one());
            for (let i = 0; i < 500_000; i++) sum += yield* done;
            return sum;
          })(),
        ),
      ).to.equal(1_000_000);
    });
  });

  describe("what a step falls back to, off its common path", () => {
    /** A coroutine that is not a native generator (as an ES5 build's): yields `sleep(0)` n times, then awaits `inner` inline. */
    function handWritten(n: number, inner: Coroutine<number> | null, log: string[]): Coroutine<number> {
      let i = 0;
      let awaited = false;
      const coro = {
        next(value?: unknown) {
          if (awaited) return { value: (value as number) + 100, done: true };
          if (i < n) {
            log.push(`hand-written ${i++}`);
            return { value: sleep(0), done: false };
          }
          if (inner !== null) {
            awaited = true;
            return { value: inner, done: false };
          }
          return { value: n, done: true };
        },
        throw(error: unknown): never {
          throw error;
        },
        return(value: unknown) {
          return { value, done: true };
        },
        [Symbol.iterator]() {
          return this;
        },
      };
      return coro as unknown as Coroutine<number>;
    }

    it("switches between native generators and other coroutines on one task's stack", () => {
      const log: string[] = [];
      function* native(depth: number): Coroutine<number> {
        yield* sleep(0);
        log.push(`native ${depth}`);
        if (depth === 0) return 1;
        return yield* call(handWritten(2, native(depth - 1), log));
      }
      expect(vrun(native(2))).to.equal(201);
      expect(log).to.deep.equal(["native 2", "hand-written 0", "hand-written 1", "native 1", "hand-written 0", "hand-written 1", "native 0"]);
      expect(vrun(handWritten(1, native(0), []))).to.equal(101);
    });

    it("delivers a cancellation requested while the task's step is queued, at that step", () => {
      const log: string[] = [];
      const result = vrun(
        (function* () {
          const task = createTask(
            (function* () {
              try {
                for (;;) yield* sleep(0);
              } finally {
                log.push("finally");
              }
            })(),
          );
          yield* sleep(0); // the task's first step ran; its next one is queued
          task.cancel("stop");
          log.push("cancelled");
          try {
            yield* task;
          } catch (error) {
            return error instanceof CancelledError ? error.message : error;
          }
        })(),
      );
      expect(result).to.equal("stop");
      expect(log).to.deep.equal(["cancelled", "finally"]);
    });

    it("lets an instrument added during a step see the effects yielded after it, and the next steps", () => {
      const loop = new EventLoop({ clock: new VirtualClock() });
      const log: string[] = [];
      const task = loop.createTask(
        (function* () {
          loop.addInstrument({
            effectStarted: (_t, e) => log.push(`started ${(e as { kind?: string }).kind}`),
            beforeTaskStep: () => log.push("before"),
            afterTaskStep: () => log.push("after"),
          });
          yield* sleep(0);
          log.push("resumed");
          return "done";
        })(),
      );
      expect(loop.runUntilComplete(task)).to.equal("done");
      expect(log).to.deep.equal(["started sleep", "before", "resumed", "after"]);
    });
  });

  describe("names and the inline stack (kept in one field)", () => {
    it("getName(), setName() and getCoro() while coroutines run inline, and after they return", () => {
      const seen: unknown[] = [];
      function* inner(task: Task<unknown>, outer: Coroutine<unknown>): Coroutine<number> {
        seen.push(task.getName(), task.getCoro() === outer);
        task.setName("renamed inside");
        yield* sleep(1);
        seen.push(task.getName(), task.getCoro() === outer);
        return 2;
      }
      function* middle(task: Task<unknown>, outer: Coroutine<unknown>): Coroutine<number> {
        return (yield* call(inner(task, outer))) + 1;
      }
      const out = vrun(
        (function* () {
          const holder: { outer?: Coroutine<unknown> } = {};
          const outer = (holder.outer = (function* (): Coroutine<unknown> {
            const task = currentTask() as Task<unknown>;
            const r = yield* call(middle(task, holder.outer as Coroutine<unknown>));
            seen.push(task.getName(), task.getCoro() === holder.outer);
            task.setName(42);
            const again = yield* call(middle(task, holder.outer as Coroutine<unknown>)); // the stack is used again
            return [r, again];
          })());
          const self = createTask(outer, { name: "worker" });
          const result = yield self;
          return [result, self.getName(), self.getCoro() === outer, String(self).includes("name='renamed inside'")];
        })(),
      );
      expect(seen).to.deep.equal([
        "worker", true, "renamed inside", true,
        "renamed inside", true,
        "42", true, "renamed inside", true,
      ]);
      expect(out).to.deep.equal([[3, 3], "renamed inside", true, true]);
    });

    it("a default name survives inline calls; a coroutine on the task's own stack is refused", () => {
      const out = vrun(
        (function* () {
          let outer: Coroutine<unknown>;
          const task = createTask(
            (outer = (function* (): Coroutine<unknown> {
              function* again(): Coroutine<unknown> {
                return yield outer; // awaits its own caller: it could never finish
              }
              try {
                return yield* call(again());
              } catch (e) {
                return e instanceof RangeError && /already executing/.test(e.message);
              }
            })()),
          );
          const before = task.getName();
          const refused = yield task;
          return [refused, task.getName() === before, /^Task-\d+$/.test(before)];
        })(),
      );
      expect(out).to.deep.equal([true, true, true]);
    });
  });

  describe("yielding something that is not awaitable", () => {
    const cases: [string, unknown, RegExp][] = [
      ["a number", 42, /yielded 42 \(a number\), which cannot be awaited.*yield\*/],
      ["undefined (bare yield)", undefined, /yielded undefined.*sleep\(0\)/],
      ["a thenable", { then() {} }, /yielded .*cannot be awaited.*genloop\/promise/],
      ["an array", [1, 2], /yielded an array of 2.*gather\(\.\.\.items\)/],
      ["a generator function", function* named() {}, /yielded function named.*call it/],
    ];
    for (const [what, value, message] of cases) {
      it(`throws a TypeError into the coroutine for ${what}, naming the task`, () => {
        const error = vrun(
          (function* () {
            try {
              yield value as never;
            } catch (e) {
              return e;
            }
          })(),
        );
        expect(error).to.be.instanceOf(TypeError);
        expect((error as Error).message).to.match(message);
        expect((error as Error).message).to.match(/Task 'Task-\d+'/);
      });
    }
  });

  it("a task awaiting itself gets a RuntimeError thrown in (TASK-29)", () => {
    const error = vrun(
      (function* () {
        const self = currentTask() as Task<unknown>;
        try {
          yield* self;
        } catch (e) {
          return e;
        }
      })(),
    );
    expect(error).to.be.instanceOf(RuntimeError);
    expect((error as Error).message).to.match(/Task cannot await on itself/);
  });

  it("refuses set_result / set_exception and keeps its own result (TASK-05)", () => {
    vrun(
      (function* () {
        const t = createTask((function* () {
          yield* sleep(1);
          return "ko";
        })());
        expect(() => t.setResult("ok")).to.throw(RuntimeError, /Task does not support set_result operation/);
        expect(() => t.setException(new Error())).to.throw(RuntimeError, /Task does not support set_exception operation/);
        expect(yield* t).to.equal("ko");
      })(),
    );
  });

  it("names: default Task-N increasing, explicit names coerced to strings, getCoro() is the coroutine", () => {
    vrun(
      (function* () {
        function* idle(): Coroutine<void> {}
        const coro = idle();
        const a = createTask(coro);
        const b = createTask(idle());
        const na = Number(/^Task-(\d+)$/.exec(a.getName())?.[1]);
        const nb = Number(/^Task-(\d+)$/.exec(b.getName())?.[1]);
        expect(nb).to.be.greaterThan(na);
        b.setName(123 as unknown as string);
        expect(b.getName()).to.equal("123");
        expect(createTask(idle(), { name: "worker" }).getName()).to.equal("worker");
        expect(a.getCoro()).to.equal(coro);
        yield* sleep(0);
      })(),
    );
  });

  it("createTask validates its argument and needs a running loop", () => {
    expect(() => createTask((function* () {})())).to.throw(RuntimeError, /no running event loop/);
    vrun(
      (function* () {
        expect(() => createTask(123 as never)).to.throw(TypeError, /a coroutine was expected, got 123/);
        expect(() => createTask(function* () {} as never)).to.throw(TypeError, /call it/);
        expect(() => createTask(sleep(1) as never)).to.throw(TypeError, /ensureFuture\(effect\)/);
      })(),
    );
  });

  it("a cancelled task's cancel() returns false and cancelling() keeps its count", () => {
    vrun(
      (function* () {
        const t = createTask((function* () {
          yield* sleep(1000);
        })());
        expect(t.cancel("one")).to.equal(true);
        expect(t.cancel("two")).to.equal(true);
        expect(t.cancelling()).to.equal(2);
        try {
          yield* t;
        } catch (e) {
          expect(e).to.be.instanceOf(CancelledError);
        }
        expect(t.cancelled()).to.equal(true);
        expect(t.cancel()).to.equal(false);
        expect(t.cancelling()).to.equal(2);
      })(),
    );
  });
});
