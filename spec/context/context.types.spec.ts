// Type tests for context variables: what get/set/reset/Token give, and what must not compile.
import { expectTypeOf } from "expect-type";
import { Context, ContextVar, EventLoop, Token, copyContext, createTask, spawn, VirtualClock, type Coroutine, type Task } from "../../lib/index.js";

describe("context: types", () => {
  it("get, fallbacks, tokens, Token.MISSING narrowing", () => {
    const n = new ContextVar<number>("n", { default: 0 });
    expectTypeOf(n.get()).toEqualTypeOf<number>();
    expectTypeOf(n.get("none")).toEqualTypeOf<number | string>();
    const token = n.set(1);
    expectTypeOf(token).toEqualTypeOf<Token<number>>();
    expectTypeOf(token.var).toEqualTypeOf<ContextVar<number>>();
    const old = token.oldValue;
    if (old !== Token.MISSING) expectTypeOf(old).toEqualTypeOf<number>();
    const ctx = copyContext();
    expectTypeOf(ctx.get(n)).toEqualTypeOf<number | undefined>();
    expectTypeOf(ctx.get(n, null)).toEqualTypeOf<number | null>();
    expectTypeOf(ctx.run((a: string, b: number) => a.length + b, "x", 1)).toEqualTypeOf<number>();
    expectTypeOf([...ctx]).toEqualTypeOf<[ContextVar<unknown>, unknown][]>();
    n.reset(token);

    // Type checks only: never called.
    const mustNotCompile = () => {
      // @ts-expect-error the value must have the variable's type
      n.set("one");
      // @ts-expect-error a token of a variable of another type
      n.reset(new ContextVar<string>("s").set("x"));
      // @ts-expect-error the default must have the variable's type
      new ContextVar<number>("bad", { default: "zero" });
      // @ts-expect-error run() checks the arguments against the function
      ctx.run((a: string) => a, 1);
      // @ts-expect-error Context() takes no arguments
      new Context(ctx);
    };
    expectTypeOf(mustNotCompile).toBeFunction();
  });

  it("the context options", () => {
    function* body(): Coroutine<number> {
      return 1;
    }
    const ctx = new Context();
    const loop = new EventLoop({ clock: new VirtualClock() });
    const task = loop.createTask(body(), { context: ctx });
    expectTypeOf(task).toEqualTypeOf<Task<number>>();
    expectTypeOf(task.getContext()).toEqualTypeOf<Context>();
    loop.callSoon({ context: ctx }, (a: string, b: number) => a.length + b, "x", 1);
    loop.callLater(5, { context: ctx }, () => {});
    loop.callAt(5, { context: ctx }, (s: string) => s, "s");
    loop.createFuture<number>().addDoneCallback((f) => f.result(), { context: ctx });
    const mustNotCompile = () => {
      // @ts-expect-error callSoon checks the arguments after the options too
      loop.callSoon({ context: ctx }, (a: string) => a, 1);
      // @ts-expect-error the context option must be a Context
      loop.callSoon({ context: 1 }, () => {});
      // @ts-expect-error the context option must be a Context
      spawn(body(), { context: "ctx" });
      // @ts-expect-error the context option must be a Context
      createTask(body(), { context: {} });
    };
    expectTypeOf(mustNotCompile).toBeFunction();
    loop.runUntilComplete(task);
    loop.close();
  });
});
