// Context variables and the loop: asyncio's context tests (test_tasks.py test_context_1..6 and
// test_get_context, test_taskgroups.py test_taskgroup_task_context, test_runners.py
// test_run_keeps_context, test_asyncio/test_context.py), and the callback and composition cases,
// each checked against CPython 3.13 (the expected values are what asyncio gives).
import { expect } from "chai";
import {
  Context,
  ContextVar,
  EventLoop,
  Future,
  RuntimeError,
  VirtualClock,
  copyContext,
  allTasks,
  createTask,
  currentTask,
  gather,
  getRunningLoop,
  run,
  shield,
  sleep,
  spawn,
  taskGroup,
  timeout,
  waitFor,
  type Coroutine,
} from "../../lib/index.js";
import { newLoop, runBriefly } from "../helpers.js";

const vrun = <T>(main: Coroutine<T>): T => run(main, { clock: new VirtualClock() });

/** A deterministic stand-in for CPython's random.uniform / randint in test_context_3. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

describe("context: tasks (asyncio's context tests)", () => {
  it("test_context_1: a task copies its creator's context at creation; its sets stay its own", () => {
    const cvar = new ContextVar("cvar", { default: "nope" });
    function* sub(): Coroutine<void> {
      yield* sleep(10);
      expect(cvar.get()).to.equal("nope");
      cvar.set("something else");
    }
    function* main(): Coroutine<void> {
      expect(cvar.get()).to.equal("nope");
      const subtask = createTask(sub());
      cvar.set("yes");
      expect(cvar.get()).to.equal("yes");
      yield* subtask;
      expect(cvar.get()).to.equal("yes");
    }
    const loop = new EventLoop({ clock: new VirtualClock() });
    try {
      loop.runUntilComplete(loop.createTask(main()));
    } finally {
      loop.close();
    }
  });

  it("test_context_2: done callbacks run in a copy of the context current when added", () => {
    const cvar = new ContextVar("cvar", { default: "nope" });
    function* main(): Coroutine<void> {
      const loop = getRunningLoop();
      const futOnDone = () => {
        cvar.set("something else"); // must not pollute main's context
      };
      expect(cvar.get()).to.equal("nope");
      for (let j = 0; j < 2; j++) {
        const fut = loop.createFuture<null>();
        fut.addDoneCallback(futOnDone);
        cvar.set(`yes${j}`);
        loop.callSoon(() => fut.setResult(null));
        yield* fut;
        expect(cvar.get()).to.equal(`yes${j}`);
        for (let i = 0; i < 3; i++) {
          cvar.set(`yes${i}-${j}`);
          yield* sleep(1);
          expect(cvar.get()).to.equal(`yes${i}-${j}`);
        }
      }
    }
    vrun(main());
    expect(cvar.get()).to.equal("nope");
  });

  it("test_context_3: 100 tasks each setting the variable keep their own values across waits", () => {
    const cvar = new ContextVar("cvar", { default: -1 });
    const random = lcg(7);
    function* sub(num: number): Coroutine<void> {
      for (let i = 0; i < 10; i++) {
        cvar.set(num + i);
        yield* sleep(1 + Math.floor(random() * 49));
        expect(cvar.get()).to.equal(num + i);
      }
    }
    function* main(): Coroutine<void> {
      const tasks = [];
      for (let i = 0; i < 100; i++) tasks.push(getRunningLoop().createTask(sub(Math.floor(random() * 11))));
      yield* gather(...tasks);
    }
    vrun(main());
    expect(cvar.get()).to.equal(-1);
  });

  // test_context_4 (new_task(..., context=)), _5 (asyncio.create_task) and _6 (loop.create_task).
  const creators: [string, (coro: Coroutine<void>, context: Context) => Coroutine<unknown>][] = [
    ["createTask", (coro, context) => (function* () { return createTask(coro, { context }); })()],
    ["loop.createTask", (coro, context) => (function* () { return getRunningLoop().createTask(coro, { context }); })()],
    ["spawn", (coro, context) => (function* () { return yield* spawn(coro, { context }); })()],
  ];
  for (const [how, create] of creators) {
    it(`test_context_4/5/6: ${how}(coro, { context }) runs the task in that very context`, () => {
      const cvar = new ContextVar<number>("cvar");
      function* coro(val: number): Coroutine<void> {
        yield* sleep(0);
        cvar.set(val);
      }
      function* main(): Coroutine<(number | undefined)[]> {
        const ret: (number | undefined)[] = [];
        const ctx = copyContext();
        ret.push(ctx.get(cvar));
        const t1 = (yield* create(coro(1), ctx)) as Future<void>;
        yield* t1;
        ret.push(ctx.get(cvar));
        const t2 = (yield* create(coro(2), ctx)) as Future<void>;
        yield* t2;
        ret.push(ctx.get(cvar));
        return ret;
      }
      expect(vrun(main())).to.deep.equal([undefined, 1, 2]);
      expect(cvar.get(null)).to.equal(null);
    });
  }

  it("test_get_context: getContext() is the context given, or the task's own copy", () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    try {
      const context = copyContext();
      const task = loop.createTask((function* () {})(), { context });
      loop.runUntilComplete(task);
      expect(task.getContext()).to.equal(context);
      const other = loop.createTask((function* () {})());
      expect(other.getContext()).to.be.instanceOf(Context);
      expect(other.getContext()).not.to.equal(context);
      loop.runUntilComplete(other);
    } finally {
      loop.close();
    }
  });

  it("test_taskgroup_task_context: tg.createTask(coro, { context })", () => {
    const cvar = new ContextVar<number>("cvar");
    function* coro(val: number): Coroutine<void> {
      yield* sleep(0);
      cvar.set(val);
    }
    vrun(
      (function* () {
        yield* taskGroup(function* (g) {
        const ctx = copyContext();
        expect(ctx.get(cvar)).to.equal(undefined);
        const t1 = g.createTask(coro(1), { context: ctx });
        yield* t1;
        expect(ctx.get(cvar)).to.equal(1);
        const t2 = g.createTask(coro(2), { context: ctx });
        yield* t2;
        expect(ctx.get(cvar)).to.equal(2);
        });
      })(),
    );
  });

  it("test_run_keeps_context (adapted): run() inside ctx.run() starts main in a copy of ctx", () => {
    const cvar = new ContextVar("cvar", { default: -1 });
    function* f(val: number): Coroutine<number> {
      const old = cvar.get();
      yield* sleep(0);
      cvar.set(val);
      return old;
    }
    const ctx = new Context();
    ctx.run(() => cvar.set(5));
    expect(ctx.run(() => vrun(f(1)))).to.equal(5);
    expect(ctx.get(cvar)).to.equal(5); // main ran in a copy
    const main = (function* () {
      return currentTask()!.getContext();
    })();
    const loop = new EventLoop({ clock: new VirtualClock() });
    const task = loop.createTask(f(2), { context: ctx });
    expect(loop.runUntilComplete(task)).to.equal(5);
    expect(ctx.get(cvar)).to.equal(2); // ran in ctx itself
    expect(loop.runUntilComplete(loop.createTask(main))).to.be.instanceOf(Context);
    loop.close();
  });

  it("test_asyncio/test_context.py (decimal contexts, adapted): gathered coroutines keep their own setting", () => {
    const precision = new ContextVar("precision", { default: 28 });
    const div = (x: number, y: number) => (x / y).toFixed(precision.get());
    function* fractions(t: number, p: number, x: number, y: number): Coroutine<[string, string]> {
      precision.set(p);
      const a = div(x, y);
      yield* sleep(t);
      const b = div(x, y ** 2);
      return [a, b];
    }
    const [r1, r2] = vrun(
      (function* () {
        return yield* gather(fractions(100, 3, 1, 3), fractions(200, 6, 1, 3));
      })(),
    );
    expect(r1).to.deep.equal(["0.333", "0.111"]);
    expect(r2).to.deep.equal(["0.333333", "0.111111"]);
  });
});

describe("context: callbacks and composition (checked against CPython 3.13)", () => {
  const cv = new ContextVar("cv", { default: "-" });

  it("callSoon/callLater/callAt run in a copy of the context when scheduled; { context } runs in that one", () => {
    const out: [string, string][] = [];
    vrun(
      (function* (): Coroutine<void> {
        const loop = getRunningLoop();
        cv.set("a");
        loop.callSoon(() => out.push(["soon", cv.get()]));
        loop.callLater(1, () => out.push(["later", cv.get()]));
        loop.callAt(loop.time() + 1, () => out.push(["at", cv.get()]));
        const ctx = new Context();
        loop.callSoon({ context: ctx }, (tag: string) => out.push([tag, cv.get()]), "explicit");
        loop.callSoon(() => {
          cv.set("from-cb");
          out.push(["cb-set", cv.get()]);
        });
        const mine = currentTask()!.getContext();
        loop.callSoon({ context: mine }, () => cv.set("into-task"));
        loop.callSoonThreadsafe({ context: ctx }, () => out.push(["threadsafe", cv.get()]));
        cv.set("b");
        yield* sleep(10);
        out.push(["task after", cv.get()]);
        expect(ctx.size).to.equal(0);
      })(),
    );
    expect(out).to.deep.equal([
      ["soon", "a"],
      ["explicit", "-"],
      ["cb-set", "from-cb"],
      ["threadsafe", "-"],
      ["later", "a"],
      ["at", "a"],
      ["task after", "into-task"],
    ]);
  });

  it("addDoneCallback(cb, { context }) runs in the given context; without it, in a copy of the current one", () => {
    const out: [string, string][] = [];
    vrun(
      (function* (): Coroutine<void> {
        const loop = getRunningLoop();
        const ctx = new Context();
        const f = loop.createFuture<number>();
        cv.set("c");
        f.addDoneCallback(() => out.push(["done", cv.get()]));
        f.addDoneCallback(() => out.push(["done-explicit", cv.get()]), { context: ctx });
        cv.set("d");
        f.setResult(1);
        yield* sleep(0);
        // Added to a future already done: scheduled at once, in the context current now.
        f.addDoneCallback(() => out.push(["late", cv.get()]));
        yield* sleep(0);
      })(),
    );
    expect(out).to.deep.equal([
      ["done", "c"],
      ["done-explicit", "-"],
      ["late", "d"],
    ]);
  });

  it("removeDoneCallback still removes a callback added with a context", () => {
    vrun(
      (function* (): Coroutine<void> {
        const f = getRunningLoop().createFuture<number>();
        const cb = () => expect.fail("removed callback ran");
        f.addDoneCallback(cb, { context: new Context() });
        f.addDoneCallback(cb);
        expect(f.removeDoneCallback(cb)).to.equal(2);
        f.setResult(1);
        yield* sleep(0);
      })(),
    );
  });

  it("gather's children copy the context at the gather; the gatherer's own context is unchanged", () => {
    function* child(n: string): Coroutine<[string, string]> {
      const r = cv.get();
      cv.set(n);
      yield* sleep(0);
      return [r, cv.get()];
    }
    const result = vrun(
      (function* (): Coroutine<unknown> {
        cv.set("e");
        const results = yield* gather(child("x"), child("y"));
        return [results, cv.get()];
      })(),
    );
    expect(result).to.deep.equal([[["e", "x"], ["e", "y"]], "e"]);
  });

  it("waitFor(coro) and timeout() run inline (sets are seen after them); shield(coro) runs in a task (not seen)", () => {
    function* setIt(v: string): Coroutine<string> {
      cv.set(v);
      return cv.get();
    }
    const out = vrun(
      (function* (): Coroutine<unknown[]> {
        const r: unknown[] = [];
        r.push(yield* waitFor(setIt("wf"), 1000), cv.get());
        cv.set("f");
        r.push(yield* shield(setIt("sh")), cv.get());
        yield* timeout(1000, function* () {
          cv.set("in-timeout");
        });
        r.push(cv.get());
        return r;
      })(),
    );
    expect(out).to.deep.equal(["wf", "wf", "sh", "f", "in-timeout"]);
  });

  it("taskGroup: the body runs in the parent's context, children in copies", () => {
    function* child(n: string): Coroutine<[string, string]> {
      const r = cv.get();
      cv.set(n);
      yield* sleep(0);
      return [r, cv.get()];
    }
    const out = vrun(
      (function* (): Coroutine<unknown> {
        cv.set("g");
        let t: Future<[string, string]> | null = null;
        yield* taskGroup(function* (tg) {
          t = tg.createTask(child("tg"));
          cv.set("body");
        });
        return [t!.result(), cv.get()];
      })(),
    );
    expect(out).to.deep.equal([["g", "tg"], "body"]);
  });

  it("a task's copy is taken at creation, observed or not: same object each time, sets reach it from outside (CPython 3.13)", () => {
    // The task makes its Context object only when asked for: none of this may show.
    const cv = new ContextVar<string>("cv");
    function* child(log: unknown[][], ready: Future<void>): Coroutine<void> {
      log.push(["child start", cv.get("none")]);
      yield* ready;
      log.push(["child after wait", cv.get("none")]);
      cv.set("child");
      log.push(["child set", cv.get()]);
    }
    function* reader(log: unknown[][]): Coroutine<void> {
      yield* sleep(0);
      log.push(["sibling", cv.get("none")]);
    }
    const log = vrun(
      (function* (): Coroutine<unknown[][]> {
        const log: unknown[][] = [];
        cv.set("creator-1");
        const ready = new Future<void>();
        const t = createTask(child(log, ready));
        const s = createTask(reader(log));
        cv.set("creator-2");
        const ctx = t.getContext();
        log.push(["same object", ctx === t.getContext()]);
        log.push(["ctx before", ctx.get(cv)]);
        yield* sleep(0);
        ctx.run(() => cv.set("outside"));
        ready.setResult();
        yield* t;
        yield* s;
        log.push(["ctx after", ctx.get(cv), ctx === t.getContext()]);
        log.push(["creator", cv.get()]);
        return log;
      })(),
    );
    expect(log).to.deep.equal([
      ["same object", true], ["ctx before", "creator-1"], ["child start", "creator-1"], ["sibling", "creator-1"],
      ["child after wait", "outside"], ["child set", "child"], ["ctx after", "child", true], ["creator", "creator-2"],
    ]);
  });

  it("a task that sets a variable before anyone asks for its context: getContext() then shows the set, once made", () => {
    const cv = new ContextVar<string>("cv");
    const [first, second, creator, sibling] = vrun(
      (function* (): Coroutine<unknown[]> {
        cv.set("creator");
        const t = createTask((function* () { cv.set("task"); cv.set("task-2"); })());
        const s = createTask((function* () { yield* sleep(0); return cv.get("none"); })());
        yield* t;
        const first = t.getContext();
        return [first, t.getContext(), cv.get(), yield* s];
      })(),
    );
    expect(first).to.equal(second);
    expect((first as Context).get(cv)).to.equal("task-2");
    expect([creator, sibling]).to.deep.equal(["creator", "creator"]);
  });

  it("a task given the current task's context shares it: its sets are seen by the creator", () => {
    const out = vrun(
      (function* (): Coroutine<string> {
        cv.set("h");
        yield* createTask(
          (function* () {
            cv.set("shared");
          })(),
          { context: currentTask()!.getContext() },
        );
        return cv.get();
      })(),
    );
    expect(out).to.equal("shared");
  });

  it("a task whose context is entered when its step runs fails that step with RuntimeError, as asyncio", () => {
    const { loop, ctxs } = newLoop();
    const ctx = new Context();
    let ran = false;
    const t = loop.createTask(
      (function* () {
        ran = true;
      })(),
      { context: ctx },
    );
    ctx.run(() => runBriefly(loop));
    expect(ran).to.equal(false);
    expect(t.done()).to.equal(false);
    expect(ctxs).to.have.length(1);
    expect(ctxs[0].exception).to.be.instanceOf(RuntimeError);
    expect(String((ctxs[0].exception as Error).message)).to.match(/cannot enter context: .* is already entered/);
    runBriefly(loop); // no longer entered: the step was lost, as in asyncio, so the task stays pending
    expect(ran).to.equal(false);
    t.cancel();
    // Entered further out, with another context entered in between: the same.
    const t2 = loop.createTask((function* () {})(), { context: ctx });
    ctx.run(() => new Context().run(() => runBriefly(loop)));
    expect(t2.done()).to.equal(false);
    expect(ctxs).to.have.length(2);
    // Not entered: it runs.
    runBriefly(loop); // the first task's cancellation
    const t3 = loop.createTask((function* () {})(), { context: ctx });
    new Context().run(() => runBriefly(loop));
    expect(t3.done()).to.equal(true);
    expect(ctxs).to.have.length(2);
    t2.cancel();
    runBriefly(loop);
    loop.close();
  });

  it("a callback whose given context is entered when it runs is reported, and the next callback still runs", () => {
    const { loop, ctxs } = newLoop();
    const ctx = new Context();
    const log: string[] = [];
    ctx.run(() => {
      loop.callSoon({ context: ctx }, () => log.push("never"));
      loop.callSoon(() => log.push("next"));
      runBriefly(loop);
    });
    expect(log).to.deep.equal(["next"]);
    expect(ctxs).to.have.length(1);
    expect((ctxs[0].exception as Error).message).to.match(/already entered/);
    loop.close();
  });

  it("run() inside a task's step, on the task's own context, is a RuntimeError", () => {
    const err = vrun(
      (function* (): Coroutine<unknown> {
        try {
          currentTask()!.getContext().run(() => 1);
        } catch (e) {
          return e;
        }
        return null;
      })(),
    );
    expect(err).to.be.instanceOf(RuntimeError);
  });

  it("a token set in one task cannot reset the variable in another (different Context)", () => {
    const v = new ContextVar<number>("v");
    const err = vrun(
      (function* (): Coroutine<unknown> {
        const tok = v.set(1);
        return yield* createTask(
          (function* () {
            try {
              v.reset(tok);
            } catch (e) {
              return e;
            }
            return null;
          })(),
        );
      })(),
    );
    expect(err).to.be.instanceOf(RangeError);
    expect((err as Error).message).to.match(/different Context/);
  });

  it("after the loop, the outer context is the one that was current before", () => {
    const v = new ContextVar<string>("after");
    const outer = new Context();
    outer.run(() => {
      v.set("outer");
      vrun(
        (function* () {
          v.set("main");
          getRunningLoop().callSoon(() => v.set("cb"));
          yield* sleep(0);
        })(),
      );
      expect(v.get()).to.equal("outer");
    });
  });

  it("eager tasks run their first step in their own context, wherever they are created (as asyncio 3.13's eager_start)", () => {
    function* child(tag: string): Coroutine<string> {
      const seen = cv.get();
      cv.set(tag);
      return seen;
    }
    const out = vrun(
      (function* (): Coroutine<unknown[]> {
        const loop = getRunningLoop();
        const r: unknown[] = [];
        cv.set("parent");
        const t = createTask(child("eager"), { eagerStart: true });
        r.push(t.done(), t.result(), cv.get());
        loop.callSoon(() => {
          cv.set("cb");
          const inCallback = createTask(child("from-cb"), { eagerStart: true });
          r.push(inCallback.result(), cv.get());
        });
        yield* sleep(0);
        r.push(
          new Context().run(() => {
            cv.set("run");
            const inRun = createTask(child("in-run"), { eagerStart: true });
            return [inRun.result(), cv.get()];
          }),
        );
        // The creator's context is entered below the eager step: giving it to the child is refused.
        const before = allTasks().size;
        let error: unknown = null;
        try {
          createTask(child("x"), { eagerStart: true, context: currentTask()!.getContext() });
        } catch (e) {
          error = e;
        }
        r.push(error instanceof RuntimeError && /already entered/.test((error as Error).message), allTasks().size === before);
        return r;
      })(),
    );
    expect(out).to.deep.equal([true, "parent", "parent", "cb", "cb", ["run", "run"], true, true]);
  });

  it("options are validated: a non-Context context is a TypeError naming the call", () => {
    vrun(
      (function* (): Coroutine<void> {
        const loop = getRunningLoop();
        expect(() => createTask((function* () {})(), { context: {} as never })).to.throw(TypeError, /createTask: the context option must be a Context/);
        expect(() => spawn((function* () {})(), { context: 1 as never })).to.throw(TypeError, /spawn: the context option/);
        expect(() => loop.callSoon({ context: {} as never }, () => {})).to.throw(TypeError, /callSoon: the context option/);
        expect(() => loop.callLater(1, { context: null as never }, () => {})).to.throw(TypeError, /callLater: the context option/);
        expect(() => loop.callSoon({} as never)).to.throw(TypeError, /callSoon: a function was expected as the callback after the options/);
        expect(() => loop.callAt(1, 5 as never)).to.throw(TypeError, /callAt: a function was expected as the callback, got 5/);
        expect(() => loop.createFuture().addDoneCallback(() => {}, 3 as never)).to.throw(TypeError, /addDoneCallback: options must be an object/);
        expect(() => loop.createFuture().addDoneCallback(() => {}, { context: "x" as never })).to.throw(TypeError, /addDoneCallback: the context option/);
        yield* sleep(0);
      })(),
    );
  });

  it("a variable set outside any loop (the root context) is seen by main and inherited by its tasks", () => {
    const v = new ContextVar<string>("root");
    const ctx = new Context();
    ctx.run(() => {
      v.set("top");
      const seen = vrun(
        (function* (): Coroutine<string[]> {
          const inner = yield* createTask((function* () { return v.get(); })());
          return [v.get(), inner];
        })(),
      );
      expect(seen).to.deep.equal(["top", "top"]);
    });
  });
});
