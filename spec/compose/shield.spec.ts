// Catalogue area SHLD — shield (asyncio-semantics.md §D1), plus argument errors.
import { expect } from "chai";
import {
  shield,
  gather,
  sleep,
  createTask,
  ensureFuture,
  currentTask,
  Future,
  Task,
  CancelledError,
  RuntimeError,
} from "../../lib/index.js";
import { type Co, runBriefly, newLoop, vrun, catchError, now } from "../helpers.js";

describe("compose: shield (SHLD)", () => {
  // src: test_shield_result
  it("SHLD-01 the inner result passes through", () => {
    const { loop } = newLoop();
    const inner = loop.createFuture<number>();
    const outer = loop.runUntilComplete(
      (function* () {
        return ensureFuture(shield(inner));
      })(),
    );
    inner.setResult(42);
    expect(loop.runUntilComplete(outer)).to.equal(42);
    loop.close();
  });

  // src: test_shield_exception
  it("SHLD-02 the inner exception passes through (the same object)", () => {
    const { loop } = newLoop();
    const inner = loop.createFuture<number>();
    const outer = loop.runUntilComplete((function* () { return ensureFuture(shield(inner)); })());
    runBriefly(loop);
    const exc = new RangeError("expected");
    inner.setException(exc);
    runBriefly(loop);
    expect(outer.exception()).to.equal(exc);
    loop.close();
  });

  // src: test_shield_cancel_inner
  it("SHLD-03 cancelling the inner cancels the outer one tick later", () => {
    const { loop } = newLoop();
    const inner = loop.createFuture<number>();
    const outer = loop.runUntilComplete((function* () { return ensureFuture(shield(inner)); })());
    runBriefly(loop);
    inner.cancel();
    expect(outer.cancelled()).to.equal(false);
    runBriefly(loop);
    expect(outer.cancelled()).to.equal(true);
    loop.close();
  });

  // src: test_shield_cancel_outer (held back in the catalogue; CPython 3.13: outer cancelled, inner not,
  // and the inner's done callback is removed)
  it("SHLD-04 cancelling the outer leaves the inner pending and uncancelled", () => {
    const { loop } = newLoop();
    const inner = loop.createFuture<number>();
    const outer = loop.runUntilComplete((function* () { return ensureFuture(shield(inner)); })());
    runBriefly(loop);
    expect(outer.cancel()).to.equal(true);
    runBriefly(loop);
    expect(outer.cancelled()).to.equal(true);
    expect(inner.cancelled()).to.equal(false);
    expect(inner.done()).to.equal(false);
    // The outer's done callback unhooked the shield from the inner: nothing left registered.
    expect(inner._callbacks).to.equal(null);
    expect(outer._callbacks).to.equal(null);
    inner.setResult(1);
    runBriefly(loop);
    expect(inner.result()).to.equal(1);
    loop.close();
  });

  it("SHLD-04 an inner error arriving as the outer is cancelled is marked retrieved; a later one is reported", () => {
    const { loop, ctxs } = newLoop();
    const inner = loop.createFuture<number>();
    const outer = loop.runUntilComplete((function* () { return ensureFuture(shield(inner)); })());
    outer.cancel();
    inner.setException(new Error("same tick"));
    runBriefly(loop);
    expect(outer.cancelled()).to.equal(true);
    expect(inner._logTraceback).to.equal(false);
    // Once the outer is gone, nobody looks at the inner any more: its error is reported as asyncio does.
    const inner2 = loop.createFuture<number>();
    const outer2 = loop.runUntilComplete((function* () { return ensureFuture(shield(inner2)); })());
    outer2.cancel();
    runBriefly(loop);
    inner2.setException(new Error("later"));
    runBriefly(loop);
    loop.close();
    expect(ctxs.filter((c) => /never retrieved/.test(c.message)).map((c) => (c.exception as Error).message)).to.deep.equal(["later"]);
  });

  // src: test_shield_shortcut
  it("SHLD-05 an already-done argument is returned as it is", () => {
    const { loop } = newLoop();
    const fut = loop.createFuture<number>();
    fut.setResult(42);
    const got = loop.runUntilComplete((function* () { return ensureFuture(shield(fut)); })());
    expect(got).to.equal(fut);
    expect(loop.runUntilComplete((function* () { return yield* shield(fut); })())).to.equal(42);
    loop.close();
  });

  // src: test_shield_effect
  it("SHLD-06 cancelling the awaiting task leaves the shielded work running", () => {
    const log: unknown[] = [];
    vrun(
      (function* () {
        let proof = 0;
        function* inner(): Co<number> {
          yield* sleep(500);
          proof += 1;
          return 7;
        }
        const innerTask = createTask(inner());
        function* outer(): Co<void> {
          yield* shield(innerTask);
          proof += 100;
        }
        const f = createTask(outer());
        yield* sleep(100);
        f.cancel();
        try {
          yield* f;
        } catch (e) {
          log.push([e instanceof CancelledError, now()]);
        }
        log.push(yield* innerTask, now(), proof);
      })(),
    );
    expect(log).to.deep.equal([[true, 100], 7, 500, 1]);
  });

  // src: test_shield_gather
  it("SHLD-07 shield(gather(...)): cancelling the shield leaves the gather alive", () => {
    const { loop } = newLoop();
    const child1 = loop.createFuture<number>();
    const child2 = loop.createFuture<number>();
    const [parent, outer] = loop.runUntilComplete(
      (function* () {
        const p = ensureFuture(gather(child1, child2));
        return [p, ensureFuture(shield(p))] as const;
      })(),
    );
    runBriefly(loop);
    outer.cancel();
    runBriefly(loop);
    expect(outer.cancelled()).to.equal(true);
    child1.setResult(1);
    child2.setResult(2);
    runBriefly(loop);
    expect(parent.result()).to.deep.equal([1, 2]);
    loop.close();
  });

  // src: test_gather_shield
  it("SHLD-08 gather(shield(a), shield(b)): cancelling the gather cancels only the shields", () => {
    const { loop } = newLoop();
    const child1 = loop.createFuture<number>();
    const child2 = loop.createFuture<number>();
    const [inner1, inner2, parent] = loop.runUntilComplete(
      (function* () {
        const i1 = ensureFuture(shield(child1));
        const i2 = ensureFuture(shield(child2));
        return [i1, i2, ensureFuture(gather(i1, i2))] as const;
      })(),
    );
    runBriefly(loop);
    parent.cancel();
    runBriefly(loop);
    expect(parent.cancelled()).to.equal(false);
    expect(parent.exception()).to.be.instanceOf(CancelledError);
    expect(inner1.cancelled()).to.equal(true);
    expect(inner2.cancelled()).to.equal(true);
    expect(child1.cancelled()).to.equal(false);
    child1.setResult(1);
    child2.setResult(2);
    runBriefly(loop);
    expect(child1.result() + child2.result()).to.equal(3);
    loop.close();
  });

  // src: test_shield_coroutine_use_running_loop, test_shield_coroutine_without_loop
  it("SHLD-09 shield(coroutine) wraps it in a task on the running loop; outside a loop: RuntimeError", () => {
    let innerTask: Task<unknown> | null = null;
    function* coro(): Co<number> {
      innerTask = currentTask();
      yield* sleep(1);
      return 42;
    }
    const result = vrun(
      (function* () {
        const me = currentTask();
        const r = yield* shield(coro());
        return [r, innerTask !== null && innerTask !== me];
      })(),
    );
    expect(result).to.deep.equal([42, true]);
    function* c(): Co<number> {
      return 1;
    }
    const eff = shield(c()); // inert: nothing happens at the call
    catchError(() => ensureFuture(eff), RuntimeError);
  });

  it("shield is an inert descriptor, and rejects what cannot be awaited", () => {
    const fut = { then() {} };
    expect(shield(new Future(newLoop().loop))).to.deep.include({ kind: "shield" });
    const e = catchError(() => shield(fut as any), TypeError);
    expect(e.message).to.match(/shield: a coroutine, a future\/task or an effect is required/);
    catchError(() => shield(42 as any), TypeError);
  });

  it("shield of a sleep effect starts it as a task that survives the waiter's cancellation", () => {
    const out = vrun(
      (function* () {
        const waiter = createTask((function* () { return yield* shield(sleep(100, "v")); })());
        yield* sleep(10);
        waiter.cancel();
        yield* sleep(0);
        return [waiter.cancelled(), now()];
      })(),
    );
    expect(out).to.deep.equal([true, 10]);
  });
});
