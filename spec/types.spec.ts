// Type tests: these assertions are checked by the compiler (a wrong type fails the build);
// the runtime part checks the same values.
import { expect } from "chai";
import { expectTypeOf } from "expect-type";
import {
  VirtualClock,
  call,
  createTask,
  ensureFuture,
  gather,
  getRunningLoop,
  run,
  sleep,
  spawn,
  type Coroutine,
  type Future,
  type ResultOf,
  type Task,
} from "../lib/index.js";

function* child(): Coroutine<number> {
  yield* sleep(1);
  return 42;
}

function* text(): Coroutine<string> {
  return "s";
}

describe("public types", () => {
  it("yield* on effects, futures, tasks and gathers returns precise types", () => {
    function* main() {
      const nothing = yield* sleep(10);
      expectTypeOf(nothing).toEqualTypeOf<void>();
      const value = yield* sleep(10, "x" as const);
      expectTypeOf(value).toEqualTypeOf<"x">();

      const task = yield* spawn(child());
      expectTypeOf(task).toEqualTypeOf<Task<number>>();
      const fromTask = yield* task;
      expectTypeOf(fromTask).toEqualTypeOf<number>();

      const inline = yield* call(text());
      expectTypeOf(inline).toEqualTypeOf<string>();

      const pair = yield* gather(child(), sleep(1, true), task);
      expectTypeOf(pair).toEqualTypeOf<[number, boolean, number]>();

      const settled = yield* gather(child(), text(), { returnExceptions: true });
      expectTypeOf(settled).toEqualTypeOf<[number | Error, string | Error]>();

      const tasks: Task<number>[] = [createTask(child()), createTask(child())];
      const many = yield* gather(...tasks);
      expectTypeOf(many).toEqualTypeOf<number[]>();

      const empty = yield* gather();
      expectTypeOf(empty).toEqualTypeOf<[]>();

      const future: Future<string> = getRunningLoop().createFuture<string>();
      future.setResult("f");
      const fromFuture = yield* future;
      expectTypeOf(fromFuture).toEqualTypeOf<string>();

      const ensured = ensureFuture(child());
      expectTypeOf(ensured).toEqualTypeOf<Future<number>>();

      return { pair, settled, many, empty, fromFuture, inline, value };
    }
    const result = run(main(), { clock: new VirtualClock() });
    expectTypeOf(result.pair).toEqualTypeOf<[number, boolean, number]>();
    expect(result).to.deep.equal({
      pair: [42, true, 42],
      settled: [42, "s"],
      many: [42, 42],
      empty: [],
      fromFuture: "f",
      inline: "s",
      value: "x",
    });
  });

  it("run() returns the coroutine's result type; ResultOf extracts it", () => {
    // `yield x` (without the star) is untyped: it gives `any` in a coroutine typed Coroutine<T>.
    function* loose(): Coroutine<number> {
      const x = yield sleep(1, 5);
      expectTypeOf(x).toBeAny();
      return x;
    }
    expect(run(loose(), { clock: new VirtualClock() })).to.equal(5);
    expectTypeOf<ResultOf<Coroutine<number>>>().toEqualTypeOf<number>();
    expectTypeOf<ResultOf<Future<string>>>().toEqualTypeOf<string>();
    expectTypeOf<ResultOf<ReturnType<typeof sleep<boolean>>>>().toEqualTypeOf<boolean>();
    const n = run(child(), { clock: new VirtualClock() });
    expectTypeOf(n).toEqualTypeOf<number>();
    expect(n).to.equal(42);
  });
});
