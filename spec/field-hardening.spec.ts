// JavaScript's own failure modes: nothing lost, nothing hung (items 2-10; 1 is thrown-values.spec.ts).
import { expect } from "chai";
import {
  ALL_COMPLETED,
  AsCompleted,
  AsCompletedNext,
  Barrier,
  BrokenBarrierError,
  CallEffect,
  CallbackEffect,
  EventLoop,
  Future,
  GatherEffect,
  Handle,
  RuntimeError,
  ShieldEffect,
  SleepEffect,
  SpawnEffect,
  Task,
  TaskGroup,
  TaskGroupEffect,
  Timeout,
  TimeoutAtEffect,
  TimeoutEffect,
  TimerHandle,
  UserEffect,
  VirtualClock,
  WaitEffect,
  WaitForEffect,
  asCompleted,
  call,
  createTask,
  ensureFuture,
  gather,
  getRunningLoop,
  makeExceptionGroup,
  run,
  sleep,
  spawn,
  taskGroup,
  wait,
  waitFor,
} from "../lib/index.js";
import { PromiseEffect } from "../lib/interop/promise.js";
import { type Co, catchError, newLoop, vrun } from "./helpers.js";

function* returns<T>(value: T, delay = 0): Co<T> {
  if (delay > 0) yield* sleep(delay);
  return value;
}

function* fails(message: string): Co<never> {
  yield* sleep(1);
  throw new Error(message);
}

/** Runs `body` in a task and returns what it threw. */
function thrownBy(body: () => Co<unknown>): unknown {
  return vrun(
    (function* () {
      try {
        yield* body();
      } catch (error) {
        return error;
      }
      throw new Error("expected a throw");
    })(),
  );
}

describe("field hardening", () => {
  describe("2. gather's options are unambiguous", () => {
    it("a promise in the last place is an argument, refused with a hint at fromPromise (not read as options)", () => {
      const p = Promise.resolve(1);
      expect(() => gather(returns(1), p as never)).to.throw(TypeError, /argument 2 .*fromPromise/);
    });

    it("an Error, a Map or a class instance in the last place is refused as not awaitable", () => {
      class Options {
        returnExceptions = true;
      }
      for (const last of [new Error("x"), new Map(), new Options(), [1]]) {
        expect(() => gather(returns(1), last as never), String(last)).to.throw(TypeError, /argument 2 .*not an awaitable/);
      }
    });

    it("a plain object (or one without a prototype) is the options bag, with known keys only", () => {
      const bare = Object.create(null) as { returnExceptions?: boolean };
      bare.returnExceptions = true;
      const results = vrun(
        (function* () {
          return yield* gather(returns(1), fails("boom"), bare);
        })(),
      );
      expect(results[0]).to.equal(1);
      expect((results[1] as Error).message).to.equal("boom");
      expect(() => gather(returns(1), { returnException: true } as never)).to.throw(TypeError, /unknown option\(s\) returnException/);
    });

    it("gather with only a plain object is an empty gather with options", () => {
      expect(vrun((function* () { return yield* gather({ returnExceptions: true }); })())).to.deep.equal([]);
    });
  });

  describe("3. a finished coroutine cannot be awaited again (RuntimeError)", () => {
    const reuse = /cannot reuse already awaited coroutine/;

    for (const [how, end] of [
      ["failed", (t: Task<unknown>) => void t],
      ["was cancelled", (t: Task<unknown>) => void t.cancel()],
    ] as const) {
    it(`createTask, ensureFuture, gather, spawn, waitFor, yield and call() of a coroutine whose task ${how}`, () => {
      const messages = vrun(
        (function* () {
          const c = fails("once");
          const first = createTask(c);
          yield* sleep(0);
          end(first);
          yield* gather(first, { returnExceptions: true });
          const out: string[] = [];
          const attempts: (() => Co<unknown>)[] = [
            function* () { return createTask(c); },
            function* () { return ensureFuture(c); },
            function* () { return yield* gather(c); },
            function* () { return yield* spawn(c); },
            function* () { return yield* waitFor(c, 100); },
            function* () { return yield c; },
            function* () { return yield* call(c); },
          ];
          for (const attempt of attempts) {
            try {
              yield* attempt();
              out.push("no error");
            } catch (error) {
              out.push(error instanceof RuntimeError ? error.message : `other: ${String(error)}`);
            }
          }
          return out;
        })(),
      );
      for (const m of messages) expect(m).to.match(reuse);
    });
    }

    it("run() of a coroutine that failed in an earlier run()", () => {
      const c = fails("once");
      expect(() => run(c, { clock: new VirtualClock() })).to.throw(Error, "once");
      expect(() => run(c, { clock: new VirtualClock() })).to.throw(RuntimeError, reuse);
    });

    it("a retry on timeout that passes the same coroutine again gets the RuntimeError", () => {
      const seen = vrun(
        (function* () {
          const slow = returns("late", 100);
          const out: string[] = [];
          for (let i = 0; i < 2; i++) {
            try {
              out.push(String(yield* waitFor(slow, 10)));
            } catch (error) {
              out.push((error as Error).name);
            }
          }
          return out;
        })(),
      );
      expect(seen).to.deep.equal(["TimeoutError", "RuntimeError"]);
    });

    it("a retry loop that awaits the same failed coroutine again gets the RuntimeError, not undefined", () => {
      const attempts = vrun(
        (function* () {
          const c = fails("flaky");
          const seen: string[] = [];
          for (let i = 0; i < 3; i++) {
            try {
              yield* call(c);
              seen.push("ok");
            } catch (error) {
              seen.push((error as Error).message);
            }
          }
          return seen;
        })(),
      );
      expect(attempts[0]).to.equal("flaky");
      expect(attempts[1]).to.match(reuse);
      expect(attempts[2]).to.match(reuse);
    });

    it("a coroutine a task group refused is closed and cannot be started later", () => {
      const { loop } = newLoop();
      const message = loop.runUntilComplete(
        (function* () {
          let group: TaskGroup | undefined;
          yield* taskGroup(function* (tg) {
            group = tg;
          });
          const c = returns(1);
          try {
            (group as TaskGroup).createTask(c);
          } catch {
            /* refused: the group is finished */
          }
          try {
            createTask(c);
            return "started";
          } catch (error) {
            return (error as Error).message;
          }
        })(),
      );
      expect(message).to.match(reuse);
      loop.close();
    });
  });

  describe("4. futures of another loop are refused at once (RangeError)", () => {
    it("ensureFuture(future, otherLoop) and otherLoop.runUntilComplete(future)", () => {
      const a = new EventLoop({ clock: new VirtualClock() });
      const b = new EventLoop({ clock: new VirtualClock() });
      const f = a.createFuture<number>();
      expect(() => ensureFuture(f, b)).to.throw(RangeError, /another event loop/);
      expect(() => b.runUntilComplete(f)).to.throw(RangeError, /another event loop/);
      expect(ensureFuture(f, a)).to.equal(f);
      a.close();
      b.close();
    });

    it("gather, wait and asCompleted given futures of different loops (no task is started)", () => {
      const other = new EventLoop({ clock: new VirtualClock() });
      const foreign = other.createFuture<number>();
      const errors = vrun(
        (function* () {
          const mine = getRunningLoop().createFuture<number>();
          mine.setResult(1);
          const out: unknown[] = [];
          const started = getRunningLoop()._tasks.size;
          for (const attempt of [
            () => gather(returns(1), foreign)[Symbol.iterator](),
            () => wait([mine, foreign])[Symbol.iterator](),
            function* () {
              for (const next of asCompleted([returns(1), foreign])) yield* next;
            },
          ]) {
            try {
              yield* attempt();
              out.push("no error");
            } catch (error) {
              out.push(error);
            }
          }
          expect(getRunningLoop()._tasks.size).to.equal(started);
          return out;
        })(),
      );
      for (const e of errors) expect(e).to.be.instanceOf(RangeError);
      other.close();
    });
  });

  describe("5. callbacks cannot lose wake-ups", () => {
    it("a wake-up handler that throws while a future finishes: every waiter is still scheduled, the error is reported", () => {
      const { loop, ctxs } = newLoop();
      const f = loop.createFuture<string>();
      const seen: string[] = [];
      for (const name of ["a", "b", "c"]) f.addDoneCallback(() => seen.push(name));
      loop.setWakeupHandler(() => {
        throw new Error("driver broke");
      });
      f.setResult("done");
      loop.setWakeupHandler(null);
      loop.runUntilComplete(sleep(0));
      expect(seen).to.deep.equal(["a", "b", "c"]);
      expect(ctxs.some((c) => (c.exception as Error)?.message === "driver broke")).to.equal(true);
      loop.close();
    });

    it("a wake-up handler that throws from callSoon/callLater does not raise into the caller", () => {
      const { loop, ctxs } = newLoop();
      loop.setWakeupHandler(() => {
        throw new Error("driver broke");
      });
      let ran = 0;
      expect(() => loop.callSoon(() => ran++)).to.not.throw();
      expect(() => loop.callLater(1, () => ran++)).to.not.throw();
      loop.setWakeupHandler(null);
      loop.runUntilComplete(sleep(2));
      expect(ran).to.equal(2);
      expect(ctxs.filter((c) => /wake-up handler/.test(c.message))).to.have.length(2);
      loop.close();
    });
  });

  describe("6. every exported constructor validates", () => {
    const { loop } = newLoop();
    const noop = (): void => {};
    const cases: [string, () => unknown, ErrorConstructor | RangeErrorConstructor | TypeErrorConstructor, RegExp][] = [
      ["new SleepEffect(NaN)", () => new SleepEffect(NaN, undefined), RangeError, /NaN/],
      ["new SleepEffect('1')", () => new SleepEffect("1" as never, undefined), TypeError, /delay/],
      ["new SpawnEffect(5)", () => new SpawnEffect(5 as never), TypeError, /coroutine/],
      ["new SpawnEffect(c, 5)", () => new SpawnEffect(returns(1), 5 as never), TypeError, /name/],
      ["new CallEffect({})", () => new CallEffect({} as never), TypeError, /coroutine/],
      ["new CallbackEffect(1)", () => new CallbackEffect(1 as never), TypeError, /setup function/],
      ["new UserEffect('sleep')", () => new UserEffect("sleep", undefined), RangeError, /built-in/],
      ["new UserEffect('')", () => new UserEffect("", undefined), TypeError, /kind/],
      ["new GatherEffect(5, false)", () => new GatherEffect(5 as never, false), TypeError, /array/],
      ["new GatherEffect([1], false)", () => new GatherEffect([1] as never, false), TypeError, /argument 1/],
      ["new GatherEffect([], 'yes')", () => new GatherEffect([], "yes" as never), TypeError, /returnExceptions/],
      ["new ShieldEffect(1)", () => new ShieldEffect(1 as never), TypeError, /shield/],
      ["new WaitForEffect(sleep(1), NaN)", () => new WaitForEffect(sleep(1), NaN), RangeError, /NaN/],
      ["new WaitForEffect(1, null)", () => new WaitForEffect(1 as never, null), TypeError, /first argument/],
      ["new WaitEffect(new Set(), null, ALL)", () => new WaitEffect(new Set<Future<unknown>>(), null, ALL_COMPLETED), RangeError, /empty/],
      ["new WaitEffect([f], null, ALL)", () => new WaitEffect([loop.createFuture()] as never, null, ALL_COMPLETED), TypeError, /Set/],
      ["new WaitEffect(set, null, 'SOON')", () => new WaitEffect(new Set([loop.createFuture()]), null, "SOON" as never), RangeError, /returnWhen/],
      ["new TimeoutEffect(NaN, f)", () => new TimeoutEffect(NaN, noop as never), RangeError, /NaN/],
      ["new TimeoutEffect(1, 1)", () => new TimeoutEffect(1, 1 as never), TypeError, /body/],
      ["new TimeoutAtEffect('1', f)", () => new TimeoutAtEffect("1" as never, noop as never), TypeError, /deadline/],
      ["new TaskGroupEffect(1)", () => new TaskGroupEffect(1 as never), TypeError, /body/],
      ["new TaskGroup({})", () => new TaskGroup({} as never), TypeError, /taskGroup\(\)/],
      ["new Timeout({}, 1, 'x')", () => new Timeout({} as never, 1, "x"), TypeError, /timeout\(\)/],
      ["new AsCompleted({}, set, null)", () => new AsCompleted({} as never, new Set<Future<unknown>>(), null), TypeError, /EventLoop/],
      ["new AsCompleted(loop, [1], null)", () => new AsCompleted(loop, [1] as never, null), TypeError, /asCompleted/],
      ["new AsCompletedNext({}, true)", () => new AsCompletedNext({} as never, true), TypeError, /asCompleted/],
      ["new Future(notALoop)", () => new Future({} as never), TypeError, /Future: the loop must be an EventLoop/],
      ["new Future(null)", () => new Future(null as never), TypeError, /Future: the loop/],
      ["new Task(coro, 5)", () => new Task(returns(1), 5 as never), TypeError, /Task: the loop must be an EventLoop/],
      ["new Task(coro, loop, 'name')", () => new Task(returns(1), loop, "name" as never), TypeError, /options/],
      ["new Task(1, loop)", () => new Task(1 as never, loop), TypeError, /coroutine/],
      ["new Handle(1, [])", () => new Handle(1 as never, []), TypeError, /callback/],
      ["new Handle(f, 1)", () => new Handle(noop, 1 as never), TypeError, /arguments/],
      ["new TimerHandle(NaN, f, [], loop)", () => new TimerHandle(NaN, noop, [], loop), RangeError, /time/],
      ["new TimerHandle(1, f, [], {})", () => new TimerHandle(1, noop, [], {} as never), TypeError, /owner/],
      ["new PromiseEffect(1)", () => new PromiseEffect(1 as never), TypeError, /promise/],
      ["makeExceptionGroup('m', 5)", () => makeExceptionGroup("m", 5 as never), TypeError, /errors/],
      ["makeExceptionGroup(5, [e])", () => makeExceptionGroup(5 as never, [new Error()]), TypeError, /message/],
      ["makeExceptionGroup('m', [])", () => makeExceptionGroup("m", []), TypeError, /non-empty/],
      ["ensureFuture(f, notALoop)", () => ensureFuture(loop.createFuture(), {} as never), TypeError, /ensureFuture: the loop/],
    ];
    for (const [label, make, cls, message] of cases) {
      it(`${label} throws ${cls.name} at the call`, () => {
        const error = catchError(make, cls);
        expect((error as Error).message).to.match(message);
      });
    }
    after(() => loop.close());
  });

  describe("7. a subclass's addDoneCallback override is honoured", () => {
    class CountingFuture<T> extends Future<T> {
      added = 0;
      override addDoneCallback(callback: (f: Future<T>) => void): void {
        this.added++;
        super.addDoneCallback(callback);
      }
    }

    it("by a task awaiting it and by gather, which still get the result", () => {
      const { loop } = newLoop();
      const f = new CountingFuture<string>(loop);
      loop.callLater(5, () => f.setResult("late"));
      const out = loop.runUntilComplete(
        (function* () {
          const direct = createTask((function* () { return yield* f; })());
          const gathered = yield* gather(f);
          return [yield* direct, gathered[0]];
        })(),
      );
      expect(out).to.deep.equal(["late", "late"]);
      expect(f.added).to.equal(2);
      loop.close();
    });

    it("a task awaiting it can still be cancelled", () => {
      const { loop } = newLoop();
      const f = new CountingFuture<string>(loop);
      const t = loop.createTask((function* () { return yield* f; })());
      loop.runUntilComplete(sleep(1));
      t.cancel();
      loop.runUntilComplete(sleep(1));
      expect(t.cancelled()).to.equal(true);
      expect(f.cancelled()).to.equal(true);
      loop.close();
    });
  });

  describe("8. hand-stepping a coroutine that does yield* future", () => {
    function* waiter(f: Future<string>): Co<string> {
      const v = yield* f;
      return `got ${v}`;
    }

    it("a future already done gives its result at once, without yielding", () => {
      const { loop } = newLoop();
      const f = loop.createFuture<string>();
      f.setResult("now");
      expect(waiter(f).next()).to.deep.equal({ value: "got now", done: true });
      loop.close();
    });

    it("otherwise the value is the future's result, not what is passed to next()", () => {
      const { loop } = newLoop();
      const f = loop.createFuture<string>();
      const c = waiter(f);
      expect(c.next().value).to.equal(f);
      f.setResult("real");
      expect(c.next("bogus" as never)).to.deep.equal({ value: "got real", done: true });
      loop.close();
    });

    it("resumed before the future is done, it throws asyncio's RuntimeError", () => {
      const { loop } = newLoop();
      const f = loop.createFuture<string>();
      const c = waiter(f);
      c.next();
      expect(() => c.next()).to.throw(RuntimeError, /await wasn't used with future/);
      loop.close();
    });

    it("a failed future throws its error at the first step", () => {
      const { loop } = newLoop();
      const f = loop.createFuture<string>();
      f.setException(new Error("bad"));
      expect(() => waiter(f).next()).to.throw(Error, "bad");
      loop.close();
    });
  });

  describe("10. error classes have CPython's bases", () => {
    it("BrokenBarrierError extends RuntimeError", () => {
      expect(new BrokenBarrierError("x")).to.be.instanceOf(RuntimeError);
      const error = thrownBy(function* () {
        const barrier = new Barrier(2);
        const t = createTask((function* () { return yield* barrier.wait(); })());
        yield* sleep(1);
        yield* barrier.abort();
        return yield* t;
      });
      expect(error).to.be.instanceOf(BrokenBarrierError);
      expect(error).to.be.instanceOf(RuntimeError);
    });
  });
});

