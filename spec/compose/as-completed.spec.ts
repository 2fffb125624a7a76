// Catalogue area ASC — asCompleted (asyncio-semantics.md §D4), plus argument errors.
import { expect } from "chai";
import {
  asCompleted,
  wait,
  sleep,
  createTask,
  getRunningLoop,
  Future,
  Task,
  RuntimeError,
  TimeoutError,
} from "../../lib/index.js";
import { type Co, vrun, catchError, now } from "../helpers.js";

function* sleepThen<T>(ms: number, v: T): Co<T> {
  yield* sleep(ms);
  return v;
}

describe("compose: asCompleted (ASC)", () => {
  // src: test_as_completed
  it("ASC-01 items come in completion order", () => {
    const out = vrun(
      (function* () {
        const values: string[] = [];
        for (const next of asCompleted([sleepThen(10, "b"), sleepThen(150, "c"), sleepThen(10, "a")])) {
          values.push(yield* next);
        }
        return [values.slice(0, 2).sort(), values[2], now()];
      })(),
    );
    expect(out).to.deep.equal([["a", "b"], "c", 150]);
  });

  it("ASC-01 the futures() view gives the completed futures in the same order", () => {
    const out = vrun(
      (function* () {
        const values: string[] = [];
        for (const next of asCompleted([sleepThen(10, "b"), sleepThen(150, "c"), sleepThen(10, "a")]).futures()) {
          const f = yield* next;
          values.push(f.result());
        }
        return [values.slice(0, 2).sort(), values[2], now()];
      })(),
    );
    expect(out).to.deep.equal([["a", "b"], "c", 150]);
  });

  // src: test_as_completed_same_tasks_in_as_out
  it("ASC-02 futures() yields the original tasks, and new tasks for coroutine inputs; plain items are fresh awaitables", () => {
    const out = vrun(
      (function* () {
        const taskB = createTask(sleepThen(20, "b"));
        const taskD = createTask(sleepThen(40, "d"));
        const coroA = sleepThen(10, "a");
        const coroC = sleepThen(30, "c");
        const seen: unknown[] = [];
        for (const next of asCompleted([coroA, taskB, coroC, taskD]).futures()) seen.push(yield* next);
        const plain: unknown[] = [];
        for (const next of asCompleted([createTask(sleepThen(5, "x"))])) plain.push(next instanceof Future, yield* next);
        return [
          seen.includes(taskB),
          seen.includes(taskD),
          seen.every((f) => f instanceof Task),
          seen.includes(coroA) || seen.includes(coroC),
          (seen as Task<string>[]).map((t) => t.result()),
          plain,
        ];
      })(),
    );
    expect(out).to.deep.equal([true, true, true, false, ["a", "b", "c", "d"], [false, "x"]]);
  });

  // src: test_as_completed_with_timeout
  it("ASC-03 timeout: the remaining items raise TimeoutError; nothing is cancelled", () => {
    const out = vrun(
      (function* () {
        const a = createTask(sleepThen(100, "a"));
        const b = createTask(sleepThen(150, "b"));
        const values: unknown[] = [];
        for (const next of asCompleted([a, b], { timeout: 120 })) {
          try {
            values.push([values.length + 1, yield* next]);
          } catch (e) {
            values.push([values.length + 1, e instanceof TimeoutError ? "TimeoutError" : e]);
          }
        }
        const t = now();
        return [values, t, b.cancelled(), yield* b];
      })(),
    );
    expect(out).to.deep.equal([[[1, "a"], [2, "TimeoutError"]], 120, false, "b"]);
  });

  it("ASC-03 with futures() the TimeoutError is raised by the item itself", () => {
    const out = vrun(
      (function* () {
        const a = createTask(sleepThen(100, "a"));
        const b = createTask(sleepThen(150, "b"));
        const got: unknown[] = [];
        try {
          for (const next of asCompleted([a, b], { timeout: 120 }).futures()) got.push(yield* next);
        } catch (e) {
          got.push((e as Error).name, now());
        }
        return [got[0] === a, got.slice(1)];
      })(),
    );
    expect(out).to.deep.equal([true, ["TimeoutError", 120]]);
  });

  // src: test_as_completed_with_unused_timeout
  it("ASC-04 an unused timeout is harmless: its timer is cancelled", () => {
    const out = vrun(
      (function* () {
        const values: string[] = [];
        for (const next of asCompleted([sleepThen(10, "a")], { timeout: 1000 })) values.push(yield* next);
        return [values, getRunningLoop().nextDeadline()];
      })(),
    );
    expect(out).to.deep.equal([["a"], null]);
  });

  // src: test_as_completed_resume_iterator
  it("ASC-05 the iteration can be resumed after a break", () => {
    const out = vrun(
      (function* () {
        const it = asCompleted([0, 1, 2, 3].map((i) => sleepThen(i * 10, i)));
        const results = new Set<number>();
        for (const next of it) {
          results.add(yield* next);
          if (results.size === 2) break;
        }
        expect(it.remaining()).to.equal(2);
        for (const next of it) results.add(yield* next);
        return [...results].sort();
      })(),
    );
    expect(out).to.deep.equal([0, 1, 2, 3]);
  });

  // src: test_as_completed_reverse_wait
  it("ASC-06 the n-th awaited item is the n-th to complete, whichever item it is", () => {
    const out = vrun(
      (function* () {
        const items = [...asCompleted([sleepThen(50, "a"), sleepThen(100, "b")])];
        const first = [yield* items[1], now()];
        const second = [yield* items[0], now()];
        return [first, second];
      })(),
    );
    expect(out).to.deep.equal([["a", 50], ["b", 100]]);
  });

  // src: test_as_completed_concurrent
  it("ASC-07 items can be awaited concurrently (as tasks, waited with wait())", () => {
    const out = vrun(
      (function* () {
        const items = [...asCompleted([sleepThen(50, "a"), sleepThen(50, "b")])];
        const tasks = items.map((next) => createTask((function* () { return yield* next; })()));
        const [done, pending] = yield* wait(tasks);
        return [[...done].map((t) => t.result()).sort(), pending.size];
      })(),
    );
    expect(out).to.deep.equal([["a", "b"], 0]);
  });

  // src: test_as_completed_duplicate_coroutines
  it("ASC-08 duplicates collapse", () => {
    const out = vrun(
      (function* () {
        const c = sleepThen(0, "ham");
        const results: string[] = [];
        for (const next of asCompleted([c, c, sleepThen(0, "spam")])) results.push(yield* next);
        return results.sort();
      })(),
    );
    expect(out).to.deep.equal(["ham", "spam"]);
  });

  // src: test_as_completed_coroutine_use_running_loop, test_as_completed_coroutine_without_loop,
  // test_as_completed_invalid_args (held back in the catalogue; CPython 3.13: coroutine inputs become tasks
  // on the running loop at the call; a single future or coroutine is a TypeError)
  it("ASC-09 coroutine inputs become tasks on the running loop at the call; outside a loop: RuntimeError", () => {
    const out = vrun(
      (function* () {
        let started = false;
        const it = asCompleted([(function* () { started = true; return 1; })()]);
        const before = started;
        yield* sleep(0);
        const after = started;
        const [f] = [...it.futures()];
        const task = yield* f;
        return [before, after, task.getLoop() === getRunningLoop()];
      })(),
    );
    expect(out).to.deep.equal([false, true, true]);
    catchError(() => asCompleted([sleepThen(1, 1)]), RuntimeError);
  });

  it("ASC-09 argument errors: a single awaitable, a non-iterable, a non-awaitable item, bad timeout → TypeError/RangeError", () => {
    vrun(
      (function* () {
        const f = new Future<number>();
        expect(catchError(() => asCompleted(f as any), TypeError).message).to.match(/expected an iterable of awaitables, not a Future/);
        expect(catchError(() => asCompleted(sleepThen(1, 1) as any), TypeError).message).to.match(/taken for a coroutine/);
        expect(catchError(() => asCompleted(sleep(1) as any), TypeError).message).to.match(/not a SleepEffect/);
        catchError(() => asCompleted(5 as any), TypeError);
        expect(catchError(() => asCompleted([f, 5] as any), TypeError).message).to.match(/got 5 \(a number\) among the awaitables/);
        catchError(() => asCompleted([f], { timeout: "x" as any }), TypeError);
        catchError(() => asCompleted([f], { timeout: NaN }), RangeError);
        catchError(() => asCompleted([f], { timeOut: 1 } as any), TypeError);
        yield* sleep(0);
      })(),
    );
  });

  it("ASC-10 empty input gives no items; a failing input raises when its item is awaited and iteration goes on", () => {
    const out = vrun(
      (function* () {
        const empty = [...asCompleted([])];
        const got: unknown[] = [];
        function* bad(): Co<string> {
          throw new RangeError("v");
        }
        for (const next of asCompleted([bad(), sleepThen(10, "g")])) {
          try {
            got.push(yield* next);
          } catch (e) {
            got.push(`${(e as Error).name}('${(e as Error).message}')`);
          }
        }
        return [empty.length, got];
      })(),
    );
    expect(out).to.deep.equal([0, ["RangeError('v')", "g"]]);
  });

  it("an item whose waiter is cancelled passes its completion on to the next waiter", () => {
    const out = vrun(
      (function* () {
        const items = [...asCompleted([sleepThen(50, "a"), sleepThen(100, "b")])];
        const w1 = createTask((function* () { return yield* items[0]; })());
        const w2 = createTask((function* () { return yield* items[1]; })());
        yield* sleep(10);
        w1.cancel();
        return [yield* w2, now()];
      })(),
    );
    expect(out).to.deep.equal(["a", 50]);
  });

  it("items are inert descriptors that can be awaited once", () => {
    vrun(
      (function* () {
        const [next] = [...asCompleted([sleepThen(1, 1)])];
        expect(next).to.deep.include({ kind: "asCompletedNext", resolve: true });
        expect(yield* next).to.equal(1);
        let err: unknown = null;
        try {
          yield* next;
        } catch (e) {
          err = e;
        }
        expect(err).to.be.instanceOf(RuntimeError);
        expect((err as Error).message).to.match(/already awaited/);
      })(),
    );
  });
});
