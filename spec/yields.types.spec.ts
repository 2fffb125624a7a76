// Type tests: a coroutine's yield type is the set of awaitables, so the commonest mistakes are
// compile errors (each `@ts-expect-error` below fails the build if the line compiles), while
// every documented form compiles. The runtime part runs the good forms.
import { expect } from "chai";
import { expectTypeOf } from "expect-type";
import {
  Future,
  VirtualClock,
  asCompleted,
  call,
  callback,
  createTask,
  defineEffect,
  ensureFuture,
  gather,
  getRunningLoop,
  restartable,
  run,
  shield,
  sleep,
  spawn,
  taskGroup,
  timeout,
  waitFor,
  type Coroutine,
  type Task,
} from "../lib/index.js";
import { runAsync } from "../lib/interop/promise.js";

function* child(): Coroutine<number> {
  yield* sleep(1);
  return 42;
}

describe("types: wrong yields are compile errors", () => {
  it("yielding a promise, a number, a string or nothing in a typed coroutine does not compile", () => {
    function* promise(): Coroutine<void> {
      // @ts-expect-error a promise is not an awaitable (use fromPromise from genloop/promise)
      yield Promise.resolve(1);
    }
    function* number(): Coroutine<void> {
      // @ts-expect-error a number is not an awaitable
      yield 1;
    }
    function* text(): Coroutine<void> {
      // @ts-expect-error a string is not an awaitable
      yield "later";
    }
    function* bare(): Coroutine<void> {
      // @ts-expect-error a bare yield waits for nothing (use yield* sleep(0))
      yield;
    }
    function* array(): Coroutine<void> {
      // @ts-expect-error an array is not an awaitable (use gather(...items))
      yield [sleep(1), sleep(2)];
    }
    function* generatorFunction(): Coroutine<void> {
      // @ts-expect-error the generator function itself, not a coroutine (call it)
      yield child;
    }
    expect([promise, number, text, bare, array, generatorFunction]).to.have.length(6);
  });

  it("an untyped coroutine that yields a non-awaitable is refused where it is started", () => {
    function* wrong() {
      yield Promise.resolve(1);
      return 1;
    }
    function* bare() {
      yield;
    }
    const never = (): void => {
      // @ts-expect-error run() takes awaitables only
      run(wrong());
      // @ts-expect-error createTask() too
      createTask(bare());
      // @ts-expect-error gather() too
      gather(wrong());
      // @ts-expect-error call() too
      call(wrong());
      // @ts-expect-error spawn() too
      spawn(bare());
      // @ts-expect-error and the promise itself is not an awaitable
      run(Promise.resolve(1));
    };
    expect(never).to.be.a("function");
  });

  it("every documented form compiles and runs", () => {
    const ping = defineEffect<{ n: number }, number>("test.ping");
    const policy = restartable(function* (n: number) {
      yield* sleep(n);
      return n;
    });
    function* main(): Coroutine<number[]> {
      const a = yield* sleep(1, 1);
      const task = createTask(child());
      const b = yield* task;
      const c = yield* call(child());
      const d = (yield child()) as number;
      const [e, f] = yield* gather(child(), sleep(1, 2));
      const g = yield* shield(child());
      const h = yield* waitFor(child(), 100);
      const i = yield* timeout(100, function* () {
        return yield* child();
      });
      const j = yield* taskGroup(function* (tg) {
        return yield* tg.createTask(child());
      });
      const k = yield* ping({ n: 3 });
      const l = yield* policy.perform(1);
      const fut = getRunningLoop().createFuture<number>();
      getRunningLoop().callSoon(() => fut.setResult(12));
      const m = yield* fut;
      yield fut;
      const spawned = yield* spawn(child());
      const n = yield* spawned;
      const cb = yield* callback<number>((resolve) => {
        resolve(14);
      });
      let firstDone = 0;
      for (const next of asCompleted([child(), sleep(5, 0)])) {
        firstDone = yield* next;
        break;
      }
      return [a, b, c, d, e, f, g, h, i, j, k, l, m, n, cb, firstDone];
    }
    const out = run(main(), { clock: new VirtualClock(), effects: { "test.ping": (effect, ctx) => ctx.resolve(effect.n) } });
    expect(out).to.deep.equal([1, 42, 42, 42, 42, 2, 42, 42, 42, 42, 3, 1, 12, 42, 14, 42]);
  });

  it("run() and runAsync() take any awaitable: an effect, a gather, a coroutine", async () => {
    const clock = new VirtualClock();
    const a = run(waitFor(child(), 100), { clock });
    const b = run(gather(child(), sleep(1, "s")), { clock: new VirtualClock() });
    expectTypeOf(a).toEqualTypeOf<number>();
    expectTypeOf(b).toEqualTypeOf<[number, string]>();
    expect([a, b]).to.deep.equal([42, [42, "s"]]);
    const c = await runAsync(sleep(1, "async"), { clock: new VirtualClock() });
    expectTypeOf(c).toEqualTypeOf<string>();
    expect(c).to.equal("async");
  });

  it("run() of a future is refused (it belongs to another loop)", () => {
    const f = run(
      (function* () {
        return getRunningLoop().createFuture<number>();
      })(),
      { clock: new VirtualClock() },
    );
    expect(() => run(f)).to.throw(RangeError, /a coroutine was expected.*belongs to an existing loop/);
  });

  it("asCompleted(tasks).futures() gives the tasks, typed as such", () => {
    const names = run(
      (function* () {
        const tasks = [createTask(child(), { name: "first" }), createTask(child(), { name: "second" })];
        const seen: string[] = [];
        for (const next of asCompleted(tasks).futures()) {
          const t = yield* next;
          expectTypeOf(t).toEqualTypeOf<Task<number>>();
          seen.push(t.getName());
        }
        return seen;
      })(),
      { clock: new VirtualClock() },
    );
    expect(names).to.deep.equal(["first", "second"]);
  });

  it("ensureFuture and Future keep their types", () => {
    const f = (): Future<number> => ensureFuture(child());
    expectTypeOf(f).returns.toEqualTypeOf<Future<number>>();
    expect(f).to.be.a("function");
  });
});
