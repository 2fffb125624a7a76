import { expectTypeOf } from "expect-type";
import { EventLoop, callback, defineEffect, runDue, startTimerDriver } from "../../lib/index.js";
import type { CustomEffect, EffectContext, Future, RunDueResult, TimerDriver } from "../../lib/index.js";
import { fromPromise, runAsync, toPromise } from "../../lib/interop/promise.js";

describe("types: embedding API", () => {
  it("yield* callback / user effects / fromPromise give precise results", () => {
    const readFile = defineEffect<{ path: string }, string>("fs.readFile");
    const ping = defineEffect("app.ping");
    function* main() {
      const a = yield* callback<number>((resolve) => resolve(1));
      expectTypeOf(a).toEqualTypeOf<number>();
      const v = yield* callback((resolve) => resolve());
      expectTypeOf(v).toEqualTypeOf<void>();
      const text = yield* readFile({ path: "x" });
      expectTypeOf(text).toEqualTypeOf<string>();
      const nothing = yield* ping();
      expectTypeOf(nothing).toEqualTypeOf<void>();
      const fetched = yield* fromPromise(Promise.resolve({ ok: true }));
      expectTypeOf(fetched).toEqualTypeOf<{ ok: boolean }>();
      const lazy = yield* fromPromise(() => Promise.resolve(3));
      expectTypeOf(lazy).toEqualTypeOf<number>();
    }
    void main;
    expectTypeOf(readFile({ path: "a" })).toMatchTypeOf<CustomEffect<{ path: string }, string>>();
    expectTypeOf(readFile({ path: "a" }).path).toEqualTypeOf<string>();
    // @ts-expect-error the payload is required and typed
    readFile();
    // @ts-expect-error wrong payload field type
    readFile({ path: 1 });
  });

  it("handlers are typed from the effect constructor", () => {
    const readFile = defineEffect<{ path: string }, string>("fs.readFile");
    const loop = new EventLoop();
    loop.setEffectHandler(readFile, (effect, ctx) => {
      expectTypeOf(effect.path).toEqualTypeOf<string>();
      expectTypeOf(ctx).toEqualTypeOf<EffectContext<string>>();
      ctx.resolve("text");
      // @ts-expect-error the result type is string
      ctx.resolve(1);
    });
    expectTypeOf(runDue(loop)).toEqualTypeOf<RunDueResult>();
    expectTypeOf(startTimerDriver).returns.toEqualTypeOf<TimerDriver>();
    expectTypeOf(toPromise(loop.createFuture<number>())).toEqualTypeOf<Promise<number>>();
    expectTypeOf(toPromise<number>).parameter(0).toEqualTypeOf<Future<number>>();
    function* answer() {
      return 42 as const;
    }
    expectTypeOf(runAsync<42>).returns.toEqualTypeOf<Promise<42>>();
    const start = () => runAsync(answer(), { budgetMs: 5 }); // typed only, never called
    expectTypeOf(start).returns.toEqualTypeOf<Promise<42>>();
    loop.close();
  });
});
