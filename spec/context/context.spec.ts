// CPython's Lib/test/test_context.py (3.13), the ContextVar / Context / Token tests, ported.
// Python's KeyError from ctx[var] is `ctx.get(var)` returning undefined / `has()` false here;
// its ValueError is RangeError. Each test runs in a fresh context, as CPython's @isolated_context.
import { expect } from "chai";
import { Context, ContextVar, LookupError, RuntimeError, Token, copyContext } from "../../lib/index.js";

/** Runs `fn` in a new empty context (CPython's isolated_context decorator). */
function isolated(fn: () => void): () => void {
  return () => new Context().run(fn);
}

describe("context: test_context.py (ContextVar, Context, Token)", () => {
  it("test_context_var_new_1: a name is required and must be a string; name is read-only", () => {
    expect(() => new (ContextVar as any)()).to.throw(TypeError, /name must be a string/);
    expect(() => new ContextVar(1 as never)).to.throw(TypeError, /name must be a string, got 1/);
    const c = new ContextVar("aaa");
    expect(c.name).to.equal("aaa");
    // @ts-expect-error name is readonly
    c.name = "bbb";
    expect(() => new ContextVar("x", 5 as never)).to.throw(TypeError, /options must be an object/);
  });

  it(
    "test_context_var_repr_1: the var's name and default, and 'used' on a used token",
    isolated(() => {
      expect(String(new ContextVar("a"))).to.contain("a");
      expect(String(new ContextVar("a", { default: 123 }))).to.contain("123");
      const c = new ContextVar<number>("a");
      const t = c.set(1);
      expect(String(t)).to.contain(String(c));
      expect(String(t)).not.to.contain(" used ");
      c.reset(t);
      expect(String(t)).to.contain(" used ");
    }),
  );

  it("test_context_new_1: Context() takes no arguments", () => {
    expect(() => new (Context as any)(1)).to.throw(TypeError, /takes no arguments/);
    expect(() => new (Context as any)({ a: 1 })).to.throw(TypeError, /takes no arguments/);
    expect(new Context().size).to.equal(0);
  });

  it("test_context_typerrors_1: a ContextVar key is expected", () => {
    const ctx = new Context();
    expect(() => ctx.get(1 as never)).to.throw(TypeError, /a ContextVar was expected/);
    expect(() => ctx.has(1 as never)).to.throw(TypeError, /a ContextVar was expected/);
    expect(() => ctx.get({ _id: 0 } as never)).to.throw(TypeError, /a ContextVar was expected/);
  });

  it("test_context_get_context_1: copyContext() gives a Context", () => {
    expect(copyContext()).to.be.instanceOf(Context);
  });

  it("test_context_run_1: run() requires a function", () => {
    expect(() => (new Context().run as any)()).to.throw(TypeError, /a function was expected/);
  });

  it("test_context_run_2: run() passes the arguments and returns the result", () => {
    const ctx = new Context();
    const func = (...args: unknown[]) => [...args, "bar"];
    expect(ctx.run(func)).to.deep.equal(["bar"]);
    expect(ctx.run(func, 1)).to.deep.equal([1, "bar"]);
    expect(ctx.run(func, 11, { a: 2 })).to.deep.equal([11, { a: 2 }, "bar"]);
  });

  it("test_context_run_3: what fn throws propagates, and the context is left", () => {
    const ctx = new Context();
    const boom = new RangeError("1 / 0");
    const func = (..._args: unknown[]) => {
      throw boom;
    };
    expect(() => ctx.run(func)).to.throw(boom);
    expect(() => ctx.run(func, 1, 2)).to.throw(boom);
    expect(ctx.run(() => 1)).to.equal(1); // left: not still entered
  });

  it(
    "test_context_run_4: values set in run() stay in that context, not in another",
    isolated(() => {
      const ctx1 = new Context();
      const ctx2 = new Context();
      const v = new ContextVar<string>("var");
      const func2 = () => expect(v.get(null)).to.equal(null);
      const func1 = () => {
        expect(v.get(null)).to.equal(null);
        v.set("spam");
        ctx2.run(func2);
        expect(v.get(null)).to.equal("spam");
        const cur = copyContext();
        expect(cur.size).to.equal(1);
        expect(cur.get(v)).to.equal("spam");
        return cur;
      };
      const returned = ctx1.run(func1);
      expect(returned).not.to.equal(ctx1); // a copy, with equal contents
      expect([...returned]).to.deep.equal([...ctx1]);
      expect(returned.get(v)).to.equal("spam");
      expect(returned.has(v)).to.equal(true);
    }),
  );

  it("test_context_run_5: after a throw in run(), the outer context is unchanged", () => {
    const ctx = new Context();
    const v = new ContextVar<string>("var");
    expect(() =>
      ctx.run(() => {
        expect(v.get(null)).to.equal(null);
        v.set("spam");
        throw new RangeError("1 / 0");
      }),
    ).to.throw(RangeError);
    expect(v.get(null)).to.equal(null);
    expect(ctx.get(v)).to.equal("spam");
  });

  it("test_context_run_6: get() falls back to the default; ctx.get() does not", () => {
    const ctx = new Context();
    const c = new ContextVar("a", { default: 0 });
    ctx.run(() => {
      expect(c.get()).to.equal(0);
      expect(ctx.get(c)).to.equal(undefined);
      c.set(42);
      expect(c.get()).to.equal(42);
      expect(ctx.get(c)).to.equal(42);
    });
  });

  it("test_context_run_7: entering a context that is already entered is a RuntimeError", () => {
    const ctx = new Context();
    let inner: unknown = null;
    const fun = () => {
      try {
        ctx.run(fun);
      } catch (e) {
        inner = e;
      }
    };
    ctx.run(fun);
    expect(inner).to.be.instanceOf(RuntimeError);
    expect((inner as Error).message).to.match(/is already entered/);
    // Also when another context was entered in between.
    const other = new Context();
    expect(() => ctx.run(() => other.run(() => ctx.run(() => 1)))).to.throw(RuntimeError, /already entered/);
  });

  it(
    "test_context_getset_1: set, get, reset, Token.MISSING, used tokens, copies",
    isolated(() => {
      const c = new ContextVar<number | string>("c");
      expect(() => c.get()).to.throw(LookupError, /has no value/);
      expect(c.get(null)).to.equal(null);

      const t0 = c.set(42);
      expect(c.get()).to.equal(42);
      expect(c.get(null)).to.equal(42);
      expect(t0.oldValue).to.equal(Token.MISSING);
      expect(t0.var).to.equal(c);

      const t = c.set("spam");
      expect(c.get()).to.equal("spam");
      expect(t.oldValue).to.equal(42);
      c.reset(t);
      expect(c.get()).to.equal(42);

      c.set("spam2");
      expect(() => c.reset(t)).to.throw(RuntimeError, /has already been used/);
      expect(c.get()).to.equal("spam2");

      const ctx1 = copyContext();
      expect(ctx1.has(c)).to.equal(true);

      c.reset(t0);
      expect(() => c.reset(t0)).to.throw(RuntimeError, /has already been used/);
      expect(c.get(null)).to.equal(null);

      expect(ctx1.has(c)).to.equal(true);
      expect(ctx1.get(c)).to.equal("spam2");
      expect(ctx1.get(c, "aa")).to.equal("spam2");
      expect(ctx1.size).to.equal(1);
      expect([...ctx1.entries()]).to.deep.equal([[c, "spam2"]]);
      expect([...ctx1.values()]).to.deep.equal(["spam2"]);
      expect([...ctx1.keys()]).to.deep.equal([c]);
      expect([...ctx1]).to.deep.equal([[c, "spam2"]]);

      const ctx2 = copyContext();
      expect(ctx2.has(c)).to.equal(false);
      expect(ctx2.get(c)).to.equal(undefined);
      expect(ctx2.get(c, "aa")).to.equal("aa");
      expect(ctx2.size).to.equal(0);
      expect([...ctx2]).to.deep.equal([]);
    }),
  );

  it(
    "test_context_getset_2: a token of another variable is a RangeError (Python's ValueError)",
    isolated(() => {
      const v1 = new ContextVar<number>("v1");
      const v2 = new ContextVar<number>("v2");
      const t1 = v1.set(42);
      expect(() => v2.reset(t1)).to.throw(RangeError, /by a different ContextVar/);
      expect(v1.get()).to.equal(42); // nothing changed, and the token is still usable
      v1.reset(t1);
      expect(v1.get(null)).to.equal(null);
    }),
  );

  it(
    "test_context_getset_3: reset() of a first set removes the variable from the context",
    isolated(() => {
      const c = new ContextVar("c", { default: 42 });
      const ctx = new Context();
      ctx.run(() => {
        expect(c.get()).to.equal(42);
        expect(ctx.get(c)).to.equal(undefined);
        expect(ctx.get(c, "spam")).to.equal("spam");
        expect(ctx.has(c)).to.equal(false);
        expect([...ctx.keys()]).to.deep.equal([]);
        const t = c.set(1);
        expect([...ctx.keys()]).to.deep.equal([c]);
        expect(ctx.get(c)).to.equal(1);
        c.reset(t);
        expect([...ctx.keys()]).to.deep.equal([]);
        expect(ctx.has(c)).to.equal(false);
      });
    }),
  );

  it(
    "test_context_getset_4: a token made in another context is a RangeError",
    isolated(() => {
      const c = new ContextVar("c", { default: 42 });
      const ctx = new Context();
      const tok = ctx.run(() => c.set(1));
      expect(() => c.reset(tok)).to.throw(RangeError, /different Context/);
      expect(ctx.run(() => c.reset(tok))).to.equal(undefined); // fine where it was made
      expect(ctx.has(c)).to.equal(false);
    }),
  );

  it(
    "test_context_getset_5: a copy's changes do not reach the original",
    isolated(() => {
      const c = new ContextVar<number[]>("c", { default: [42] });
      c.set([]);
      copyContext().run(() => {
        c.set([]);
        c.get().push(42);
        expect(c.get()).to.deep.equal([42]);
      });
      expect(c.get()).to.deep.equal([]);
    }),
  );

  it("test_context_copy_1: copy() snapshots; each side changes on its own", () => {
    const ctx1 = new Context();
    const c = new ContextVar("c", { default: 42 });
    const ctx2Fun = () => {
      expect(c.get()).to.equal(10);
      c.set(30);
      expect(c.get()).to.equal(30);
    };
    ctx1.run(() => {
      c.set(10);
      const ctx2 = ctx1.copy();
      expect(ctx2.get(c)).to.equal(10);
      c.set(20);
      expect(ctx1.get(c)).to.equal(20);
      expect(ctx2.get(c)).to.equal(10);
      ctx2.run(ctx2Fun);
      expect(ctx1.get(c)).to.equal(20);
      expect(ctx2.get(c)).to.equal(30);
    });
  });

  // test_context_threads_1 (threads) has no counterpart: one thread per realm; the
  // task-level equivalent is test_context_3 in tasks.spec.ts.

  it("tokens come from set() only (Python: 'Tokens can only be created by ContextVars')", () => {
    expect(() => new (Token as any)({}, new ContextVar("x"), new Context(), 1)).to.throw(RuntimeError, /only be created by ContextVar.set/);
    expect(() => new ContextVar("x").reset({} as never)).to.throw(TypeError, /a Token/);
  });

  it("{ default: undefined } is a default; get(fallback) wins over the default", () => {
    const withUndefined = new ContextVar<number | undefined>("u", { default: undefined });
    expect(withUndefined.get()).to.equal(undefined);
    const withDefault = new ContextVar("d", { default: 1 });
    expect(withDefault.get(2)).to.equal(2);
    expect(withDefault.get(undefined)).to.equal(undefined); // an explicit fallback, as Python's get(None)
  });

  it("any value can be stored, undefined and null included, and told apart from no value", () => {
    const v = new ContextVar<unknown>("v");
    new Context().run(() => {
      v.set(undefined);
      expect(v.get()).to.equal(undefined);
      expect(copyContext().has(v)).to.equal(true);
      const t = v.set(null);
      expect(t.oldValue).to.equal(undefined);
      expect(v.get()).to.equal(null);
    });
  });
});
