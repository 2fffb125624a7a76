// Type tests for the task policies.
import { expect } from "chai";
import { expectTypeOf } from "expect-type";
import { restartable, drop, enqueue, keepLatest, TaskPolicy, sleep, type Task } from "../../lib/index.js";
import { type Co, vrun } from "../helpers.js";

describe("policies — types", () => {
  it("perform takes the function's parameters and returns a Task of its result", () => {
    const r = vrun(
      (function* (): Co<number> {
        const search = restartable(function* (q: string, limit?: number): Co<string[]> {
          yield* sleep(1);
          return [q].slice(0, limit ?? 10);
        });
        expectTypeOf(search).toEqualTypeOf<TaskPolicy<[q: string, limit?: number], string[]>>();
        expectTypeOf(search.perform).parameters.toEqualTypeOf<[q: string, limit?: number]>();
        const t = search.perform("x");
        expectTypeOf(t).toEqualTypeOf<Task<string[]>>();
        expectTypeOf(yield* t).toEqualTypeOf<string[]>();
        expectTypeOf(search.lastSuccessful).toEqualTypeOf<Task<string[]> | null>();
        expectTypeOf(search.isRunning).toEqualTypeOf<boolean>();
        expectTypeOf(search.performCount).toEqualTypeOf<number>();
        // @ts-expect-error: wrong argument type
        expect(() => search.perform(5).cancel()).to.not.throw();
        const p = drop(function* (): Co<number> {
          return 1;
        });
        expectTypeOf(p.perform).parameters.toEqualTypeOf<[]>();
        expectTypeOf(enqueue(function* (a: number) { return a; })).toEqualTypeOf<TaskPolicy<[a: number], number>>();
        expectTypeOf(keepLatest(function* () {}, { maxConcurrency: 2 })).toEqualTypeOf<TaskPolicy<[], void>>();
        return yield* p.perform();
      })(),
    );
    expect(r).to.equal(1);
  });
});
