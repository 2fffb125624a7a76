// Catalogue area WAIT — wait (asyncio-semantics.md §D3), plus argument errors.
import { expect } from "chai";
import {
  wait,
  sleep,
  createTask,
  gather,
  ensureFuture,
  Future,
  Task,
  CancelledError,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  ALL_COMPLETED,
  EventLoop,
  VirtualClock,
  captureCallGraph,
  formatTaskTree,
  futureAddToAwaitedBy,
} from "../../lib/index.js";
import { type Co, vrun, catchError, now } from "../helpers.js";

function* sleepThen<T>(ms: number, v: T): Co<T> {
  yield* sleep(ms);
  return v;
}
function* nap(ms: number): Co<void> {
  yield* sleep(ms);
}
function* failAfter(ms: number): Co<never> {
  if (ms > 0) yield* sleep(ms);
  throw new RangeError("division by zero");
}

describe("compose: wait (WAIT)", () => {
  it("the returnWhen constants are their own names", () => {
    expect([FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED]).to.deep.equal(["FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED"]);
  });

  // src: test_wait (held back in the catalogue; CPython 3.13: done == {a, b}, pending empty, T == 0.15,
  // and a second wait on the same done tasks returns at once with the same sets)
  it("WAIT-01 ALL_COMPLETED by default: both done, none pending, at the later deadline", () => {
    const out = vrun(
      (function* () {
        const a = createTask(sleepThen(100, "a"));
        const b = createTask(sleepThen(150, "b"));
        const [done, pending] = yield* wait([b, a]);
        const first = [done.size, done.has(a) && done.has(b), pending.size, now()];
        const [done2, pending2] = yield* wait([b, a]);
        return [first, done2.size, pending2.size, now(), a.result() + b.result()];
      })(),
    );
    expect(out).to.deep.equal([[2, true, 0, 150], 2, 0, 150, "ab"]);
  });

  // src: test_wait_duplicate_coroutines
  it("WAIT-02 duplicates collapse", () => {
    const out = vrun(
      (function* () {
        const c = createTask(sleepThen(0, "test"));
        const [done, pending] = yield* wait([c, c, createTask(sleepThen(0, "spam"))]);
        return [pending.size, [...done].map((f) => f.result()).sort()];
      })(),
    );
    expect(out).to.deep.equal([0, ["spam", "test"]]);
  });

  // src: test_wait_errors, test_wait_invalid_args
  it("WAIT-03 argument errors: empty → RangeError, bad returnWhen → RangeError, a single future or a coroutine → TypeError", () => {
    vrun(
      (function* () {
        const f = new Future<number>();
        expect(catchError(() => wait([]), RangeError).message).to.match(/empty/);
        expect(catchError(() => wait(new Set<Future<unknown>>()), RangeError).message).to.match(/empty/);
        expect(catchError(() => wait([f], { returnWhen: -1 as any }), RangeError).message).to.match(/invalid returnWhen value: -1/);
        expect(catchError(() => wait(f as any), TypeError).message).to.match(/expected an iterable of futures or tasks, not a Future/);
        const coro = sleepThen(1, 1);
        expect(catchError(() => wait(coro as any), TypeError).message).to.match(/generator object is taken for a coroutine/);
        expect(catchError(() => wait([coro] as any), TypeError).message).to.match(/passing coroutines or effects is forbidden/);
        expect(catchError(() => wait([sleep(1)] as any), TypeError).message).to.match(/passing coroutines or effects is forbidden/);
        expect(catchError(() => wait([42] as any), TypeError).message).to.match(/got 42 \(a number\) among the awaitables/);
        expect(catchError(() => wait(42 as any), TypeError).message).to.match(/expected an iterable/);
        expect(catchError(() => wait([f], { timeout: "1" as any }), TypeError).message).to.match(/timeout must be a number/);
        catchError(() => wait([f], { timeout: NaN }), RangeError);
        expect(catchError(() => wait([f], { timout: 1 } as any), TypeError).message).to.match(/unknown option\(s\) timout/);
        f.setResult(1);
        yield* sleep(0);
      })(),
    );
  });

  // src: test_wait_first_completed
  it("WAIT-04 FIRST_COMPLETED returns at the first completion", () => {
    const out = vrun(
      (function* () {
        const a = createTask(nap(10_000));
        const b = createTask(nap(100));
        const [done, pending] = yield* wait([b, a], { returnWhen: FIRST_COMPLETED });
        const r = [done.has(b) && done.size === 1, pending.has(a) && pending.size === 1, a.done(), b.result(), now()];
        a.cancel();
        return r;
      })(),
    );
    expect(out).to.deep.equal([true, true, false, undefined, 100]);
  });

  // src: test_wait_really_done
  it("WAIT-05 tasks finishing in the same tick are all reported done", () => {
    const out = vrun(
      (function* () {
        const a = createTask((function* () { yield* sleep(0); })());
        const b = createTask((function* () { yield* sleep(0); yield* sleep(0); })());
        const [done, pending] = yield* wait([b, a], { returnWhen: FIRST_COMPLETED });
        return [done.size, pending.size];
      })(),
    );
    expect(out).to.deep.equal([2, 0]);
  });

  // src: test_wait_first_exception
  it("WAIT-06 FIRST_EXCEPTION with an already-failing task returns at once", () => {
    const out = vrun(
      (function* () {
        const a = createTask(nap(10_000));
        const b = createTask(failAfter(0));
        const [done, pending] = yield* wait([b, a], { returnWhen: FIRST_EXCEPTION });
        a.cancel();
        return [done.has(b) && done.size === 1, pending.has(a) && pending.size === 1, now(), b.exception() instanceof RangeError];
      })(),
    );
    expect(out).to.deep.equal([true, true, 0, true]);
  });

  // src: test_wait_first_exception_in_wait
  it("WAIT-07 FIRST_EXCEPTION raised during the wait", () => {
    const out = vrun(
      (function* () {
        const a = createTask(nap(10_000));
        const b = createTask(failAfter(10));
        const [done, pending] = yield* wait([b, a], { returnWhen: FIRST_EXCEPTION });
        a.cancel();
        b.exception();
        return [done.has(b) && done.size === 1, pending.has(a) && pending.size === 1, now()];
      })(),
    );
    expect(out).to.deep.equal([true, true, 10]);
  });

  it("WAIT-08 FIRST_EXCEPTION without errors is ALL_COMPLETED; a cancellation is not an error (but counts for FIRST_COMPLETED)", () => {
    const out = vrun(
      (function* () {
        const a = createTask(nap(100));
        const b = createTask(nap(200));
        const [d1] = yield* wait([a, b], { returnWhen: FIRST_EXCEPTION });
        const t1 = now();
        const c = createTask(nap(10_000));
        const d = createTask(nap(300));
        const start = now();
        createTask((function* () { yield* sleep(50); c.cancel(); })());
        const [d2] = yield* wait([c, d], { returnWhen: FIRST_EXCEPTION });
        const t2 = now() - start;
        const e = createTask(nap(10_000));
        const f = createTask(nap(300));
        const start3 = now();
        createTask((function* () { yield* sleep(50); e.cancel(); })());
        const [d3, p3] = yield* wait([e, f], { returnWhen: FIRST_COMPLETED });
        return [d1.size, t1, d2.size, t2, d3.has(e) && d3.size === 1, p3.has(f), now() - start3];
      })(),
    );
    expect(out).to.deep.equal([2, 200, 2, 300, true, true, 50]);
  });

  // src: test_wait_with_exception (held back in the catalogue; CPython 3.13: ALL_COMPLETED with a failing
  // task: no error raised, done == {a, b}, T == 0.15)
  it("WAIT-09 a failing task does not make wait raise: ALL_COMPLETED returns both, errors stay in the tasks", () => {
    const out = vrun(
      (function* () {
        const a = createTask(nap(100));
        const b = createTask(failAfter(150));
        const [done, pending] = yield* wait([b, a]);
        return [done.size, pending.size, now(), b.exception() instanceof RangeError];
      })(),
    );
    expect(out).to.deep.equal([2, 0, 150, true]);
  });

  // src: test_wait_with_timeout
  it("WAIT-10 the timeout returns what is done; nothing is cancelled", () => {
    const out = vrun(
      (function* () {
        const a = createTask(nap(100));
        const b = createTask(sleepThen(150, "b"));
        const [done, pending] = yield* wait([b, a], { timeout: 110 });
        const r = [done.has(a) && done.size === 1, pending.has(b) && pending.size === 1, now(), b.cancelled()];
        return [...r, yield* b, now()];
      })(),
    );
    expect(out).to.deep.equal([true, true, 110, false, "b", 150]);
  });

  // src: test_wait_concurrent_complete
  it("WAIT-11 a timeout equal to a task's deadline", () => {
    const out = vrun(
      (function* () {
        const a = createTask(nap(100));
        const b = createTask(nap(150));
        yield* sleep(0); // the tasks arm their timers before the wait arms its own, as in CPython's test
        const [done, pending] = yield* wait([b, a], { timeout: 100 });
        b.cancel();
        return [done.has(a) && done.size === 1, pending.has(b) && pending.size === 1, now()];
      })(),
    );
    expect(out).to.deep.equal([true, true, 100]);
  });

  // src: test_wait_with_iterator_of_tasks, test_wait_generator
  it("WAIT-12 any iterable (not a generator object) is accepted", () => {
    const out = vrun(
      (function* () {
        const a = createTask(nap(100));
        const b = createTask(nap(150));
        const [done, pending] = yield* wait([b, a].values());
        const t = now();
        const tasks = new Map<number, Task<number>>();
        for (let i = 0; i < 10; i++) tasks.set(i, createTask(sleepThen(i, i)));
        const [done2, pending2] = yield* wait(tasks.values());
        return [done.size, pending.size, t, done2.size, pending2.size];
      })(),
    );
    expect(out).to.deep.equal([2, 0, 150, 10, 0]);
  });

  // Held back in the catalogue; from tasks.py _wait (CPython 3.13): cancelling the waiting task raises
  // CancelledError in it, cancels none of the futures and unhooks the wait's done callbacks.
  it("WAIT-13 cancelling the wait cancels nothing it waits on and leaves no callbacks behind", () => {
    const out = vrun(
      (function* () {
        const a = createTask(sleepThen(100, "a"));
        const f = new Future<string>();
        const w = createTask((function* () { return yield* wait([a, f], { timeout: 1000 }); })());
        yield* sleep(10);
        w.cancel();
        let err: unknown = null;
        try {
          yield* w;
        } catch (e) {
          err = e;
        }
        return [err instanceof CancelledError, a.cancelled(), f.cancelled(), f._callbacks, yield* a];
      })(),
    );
    expect(out).to.deep.equal([true, false, false, null, "a"]);
  });

  it("wait as a task (ensureFuture) gives the same sets; futures of another loop are refused", () => {
    const out = vrun(
      (function* () {
        const a = createTask(nap(10));
        const [done] = yield* ensureFuture(wait([a]));
        const [[d2]] = yield* gather(wait([a]));
        return [done.has(a), d2.has(a)];
      })(),
    );
    expect(out).to.deep.equal([true, true]);
  });

  describe("the waiting task's edges in the call graph, and the completions", () => {
    /** Who awaits `f`, by name: the waiters the call graph shows under it. */
    const waitersOf = (f: Future<unknown>): string[] =>
      (captureCallGraph(f)?.awaitedBy ?? []).map((node) => (node.future instanceof Task ? node.future.getName() : "future"));

    it("every future is awaited by the waiting task while it waits; a task that ends drops its edge, a plain future keeps it", () => {
      const clock = new VirtualClock();
      const loop = new EventLoop({ clock });
      const t1 = loop.createTask(nap(10), { name: "t1" });
      const f = loop.createFuture<string>();
      const main = loop.createTask((function* () { return yield* wait([t1, f]); })(), { name: "main" });
      loop.step();
      expect([waitersOf(t1), waitersOf(f)]).to.deep.equal([["main"], ["main"]]);
      expect(formatTaskTree(loop)).to.equal("Task 'main' (pending): wait: <Future pending>\n└── Task 't1' (pending): sleep until 10 ms");
      clock.advance(10);
      loop.step(); // t1's sleep is due
      loop.step(); // t1 ends; main waits for f still
      loop.step(); // t1's completion is counted
      expect(t1.done()).to.equal(true);
      expect(main.done()).to.equal(false);
      expect([waitersOf(t1), waitersOf(f)]).to.deep.equal([[], ["main"]]);
      f.setResult("x");
      loop.step(); // f's completion releases the wait; main's step is queued
      expect(main.done()).to.equal(false);
      expect(waitersOf(f)).to.deep.equal(["main"]); // as asyncio: until the wait's finally has run
      loop.step();
      expect(main.done()).to.equal(true);
      expect(waitersOf(f)).to.deep.equal([]);
      expect(loop._awaitedBy).to.equal(null); // derived from the wait, never recorded one by one
      loop.close();
    });

    it("a cancelled wait keeps its edges until the task's step runs its finally, then drops them and its callbacks", () => {
      const loop = new EventLoop({ clock: new VirtualClock() });
      const f = loop.createFuture<void>();
      const g = loop.createFuture<void>();
      const main = loop.createTask((function* () { return yield* wait([f, g], { timeout: 50 }); })(), { name: "main" });
      loop.step();
      expect([waitersOf(f), waitersOf(g), f._callbacks !== null]).to.deep.equal([["main"], ["main"], true]);
      main.cancel();
      expect(waitersOf(f)).to.deep.equal(["main"]);
      loop.step();
      expect(main.cancelled()).to.equal(true);
      expect([waitersOf(f), waitersOf(g), f._callbacks, g._callbacks]).to.deep.equal([[], [], null, null]);
      expect(loop.nextDeadline()).to.equal(null); // the timeout's timer went too
      loop.close();
    });

    it("edges recorded with futureAddToAwaitedBy are shown beside the derived ones, and stay after the wait", () => {
      const loop = new EventLoop({ clock: new VirtualClock() });
      const f = loop.createFuture<void>();
      const watcher = loop.createFuture<void>();
      futureAddToAwaitedBy(f, watcher);
      const main = loop.createTask((function* () { yield* wait([f], { returnWhen: FIRST_COMPLETED }); })(), { name: "main" });
      loop.step();
      expect(waitersOf(f)).to.deep.equal(["main", "future"]);
      f.setResult(undefined);
      loop.step();
      loop.step();
      expect(main.done()).to.equal(true);
      expect(waitersOf(f)).to.deep.equal(["future"]); // recorded: until futureDiscardFromAwaitedBy
      loop.close();
    });

    it("FIRST_EXCEPTION looks at the failed future (its error is retrieved), once per future, at the completion's turn", () => {
      const loop = new EventLoop({ clock: new VirtualClock() });
      const errors: unknown[] = [];
      loop.setExceptionHandler((_l, context) => errors.push(context.exception));
      const ok = loop.createFuture<void>();
      const bad = loop.createTask((function* () { yield* sleep(5); throw null; })()); // any value can be thrown: failure is a state
      const main = loop.createTask((function* () { return yield* wait([ok, bad], { returnWhen: FIRST_EXCEPTION }); })());
      loop.step();
      ok.setResult(undefined);
      loop.step(); // ok's completion: not a failure, the wait goes on
      expect(main.done()).to.equal(false);
      const [done, pending] = loop.runUntilComplete(main);
      expect([done.size, pending.size, bad._logTraceback]).to.deep.equal([2, 0, false]);
      loop.close();
      expect(errors).to.deep.equal([]);
    });

    it("a future whose class overrides addDoneCallback is given a callback, and it is removed with removeDoneCallback", () => {
      const calls: string[] = [];
      class Watched<T> extends Future<T> {
        override addDoneCallback(callback: (f: Future<T>) => void): void {
          calls.push("add");
          super.addDoneCallback(callback);
        }
        override removeDoneCallback(callback: (f: Future<T>) => void): number {
          const n = super.removeDoneCallback(callback);
          calls.push(`remove ${n}`);
          return n;
        }
      }
      const loop = new EventLoop({ clock: new VirtualClock() });
      const a = new Watched<void>(loop);
      const b = new Watched<void>(loop);
      const main = loop.createTask((function* () { return yield* wait([a, b], { returnWhen: FIRST_COMPLETED }); })());
      loop.step();
      a.setResult(undefined);
      loop.step();
      loop.step();
      const [done, pending] = main.result();
      expect([done.has(a), pending.has(b), calls]).to.deep.equal([true, true, ["add", "add", "remove 0", "remove 1"]]);
      loop.close();
    });
  });
});
