// Type tests: what `yield*` on each composition operation gives.
import { expectTypeOf } from "expect-type";
import {
  shield,
  waitFor,
  wait,
  asCompleted,
  timeout,
  timeoutAt,
  taskGroup,
  splitExceptionGroup,
  makeExceptionGroup,
  describeError,
  sleep,
  createTask,
  Future,
  Task,
  Timeout,
  AsCompleted,
  TaskGroup,
  ExceptionGroup,
  FIRST_COMPLETED,
  type ReturnWhen,
} from "../../lib/index.js";
import type { Co } from "../helpers.js";

function* num(): Co<number> {
  return 1;
}
function* str(): Co<string> {
  return "s";
}

describe("compose: types", () => {
  it("typed results of yield*", () => {
    function* check(): Co<void> {
      expectTypeOf(yield* shield(num())).toEqualTypeOf<number>();
      expectTypeOf(yield* shield(sleep(1, "v"))).toEqualTypeOf<string>();
      expectTypeOf(yield* waitFor(str(), 10)).toEqualTypeOf<string>();
      expectTypeOf(yield* waitFor(new Future<boolean>(), null)).toEqualTypeOf<boolean>();
      const t1 = createTask(num());
      const t2 = createTask(str());
      const [done, pending] = yield* wait([t1, t2], { returnWhen: FIRST_COMPLETED, timeout: 10 });
      expectTypeOf(done).toEqualTypeOf<Set<Task<number> | Task<string>>>();
      expectTypeOf(pending).toEqualTypeOf<Set<Task<number> | Task<string>>>();
      for (const next of asCompleted([num(), str()], { timeout: 5 })) {
        expectTypeOf(yield* next).toEqualTypeOf<number | string>();
      }
      for (const next of asCompleted([t1]).futures()) {
        expectTypeOf(yield* next).toEqualTypeOf<Task<number>>(); // the given tasks, typed as such
        expectTypeOf((yield* next).getName()).toEqualTypeOf<string>();
      }
      for (const next of asCompleted([num(), sleep(1, "s"), new Future<boolean>()]).futures()) {
        expectTypeOf(yield* next).toEqualTypeOf<Task<number> | Future<string> | Future<boolean>>();
      }
      const r = yield* timeout(10, function* (scope) {
        expectTypeOf(scope).toEqualTypeOf<Timeout>();
        expectTypeOf(scope.when()).toEqualTypeOf<number | null>();
        expectTypeOf(scope.expired()).toEqualTypeOf<boolean>();
        yield* sleep(1);
        return 42 as const;
      });
      expectTypeOf(r).toEqualTypeOf<42>();
      expectTypeOf(yield* timeoutAt(null, () => sleep(1, true))).toEqualTypeOf<boolean>();
      const g = yield* taskGroup(function* (tg) {
        expectTypeOf(tg).toEqualTypeOf<TaskGroup>();
        const a = tg.createTask(num(), { name: "a" });
        expectTypeOf(a).toEqualTypeOf<Task<number>>();
        return a;
      });
      expectTypeOf(g).toEqualTypeOf<Task<number>>();
    }
    expectTypeOf(check).returns.toEqualTypeOf<Co<void>>();
  });

  it("signatures", () => {
    expectTypeOf(splitExceptionGroup).returns.toEqualTypeOf<[matching: ExceptionGroup | null, rest: ExceptionGroup | null]>();
    expectTypeOf(makeExceptionGroup).returns.toEqualTypeOf<ExceptionGroup>();
    expectTypeOf(describeError).returns.toEqualTypeOf<string>();
    expectTypeOf<AsCompleted<number>["remaining"]>().returns.toEqualTypeOf<number>();
    expectTypeOf(asCompleted<Task<number>[]>).returns.toEqualTypeOf<AsCompleted<number, Task<number>>>();
    expectTypeOf<typeof FIRST_COMPLETED>().toEqualTypeOf<"FIRST_COMPLETED">();
    expectTypeOf<ReturnWhen>().toEqualTypeOf<"FIRST_COMPLETED" | "FIRST_EXCEPTION" | "ALL_COMPLETED">();
    function notCalled(): void {
      // @ts-expect-error the body is a function, not a coroutine
      timeout(10, num());
      // @ts-expect-error wait takes futures, not coroutines
      wait([num()]);
      // @ts-expect-error the timeout argument is required (null for none)
      waitFor(num());
      // @ts-expect-error returnWhen is one of the three constants
      wait([createTask(num())], { returnWhen: "SOMETIME" });
    }
    expectTypeOf(notCalled).toBeFunction();
  });
});
