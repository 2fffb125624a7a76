// Catalogue area GATH — gather (asyncio-semantics.md §C).
// CPython runs GatherTestsBase twice: children as plain futures (FutureGatherTests) and as
// coroutines `return await fut` (CoroutineGatherTests); the shared scenarios run both here too.
import { expect } from "chai";
import {
  sleep,
  gather,
  createTask,
  currentTask,
  ensureFuture,
  getRunningLoop,
  EventLoop,
  Future,
  CancelledError,
  RuntimeError,
  Task,
  allTasks,
  eagerTaskFactory,
  run,
  VirtualClock,
} from "../../lib/index.js";
import type { ExceptionContext, TaskFactory } from "../../lib/index.js";
import { type Co, runBriefly, runReady, newLoop, vrun, captureHandler, catchError, now } from "../helpers.js";

type Variant = "futures" | "coroutines";
const VARIANTS: Variant[] = ["futures", "coroutines"];

/** A coroutine that sleeps `ms` then returns `value`. */
function* after(ms: number, value: number): Co<number> {
  yield* sleep(ms);
  return value;
}

/** CoroutineGatherTests.wrap_futures: each child is `async def coro(fut): return await fut`. */
function wrap(variant: Variant, futs: Future<unknown>[]): unknown[] {
  if (variant === "futures") return futs;
  return futs.map((f) =>
    (function* (): Co<unknown> {
      return yield* f;
    })(),
  );
}

/** `ensureFuture(gather(...))` started inside the (hand-driven) loop, returned to the test. */
function startGather(loop: EventLoop, aws: unknown[], returnExceptions?: boolean): Future<unknown[]> {
  return loop.runUntilComplete(
    (function* (): Co<Future<unknown[]>> {
      const eff =
        returnExceptions === undefined
          ? (gather as any)(...aws)
          : (gather as any)(...aws, { returnExceptions });
      return ensureFuture(eff) as Future<unknown[]>;
    })(),
  );
}

function neverRetrieved(ctxs: ExceptionContext[]): ExceptionContext[] {
  return ctxs.filter((c) => /never retrieved/.test(c.message));
}

describe("catalogue GATH — gather", () => {
  for (const variant of VARIANTS) {
    for (const returnExceptions of [undefined, false, true]) {
      const id = returnExceptions === true ? "GATH-02" : "GATH-01";
      // GATH-01 held back: src test_success (_check_success() and return_exceptions=False).
      // GATH-02: test_result_exception_success.
      it(`${id} results keep argument order, not completion order (${variant}, returnExceptions=${String(returnExceptions)})`, () => {
        const { loop } = newLoop();
        const [a, b, c] = [0, 1, 2].map(() => loop.createFuture<number>());
        const fut = startGather(loop, wrap(variant, [a!, b!, c!]), returnExceptions);
        const calls: unknown[] = [];
        fut.addDoneCallback((f) => calls.push(f));
        b!.setResult(1);
        a!.setResult(2);
        runReady(loop);
        expect(calls).to.deep.equal([]);
        expect(fut.done()).to.equal(false);
        c!.setResult(3);
        runReady(loop);
        expect(calls).to.have.length(1);
        expect(calls[0]).to.equal(fut);
        expect(fut.result()).to.deep.equal([2, 1, 3]);
        loop.close();
      });
    }

    // src: test_one_exception
    it(`GATH-03 first exception completes gather at once; later events are ignored (${variant})`, () => {
      const { loop, ctxs } = newLoop();
      const [a, b, c, d, e] = [0, 1, 2, 3, 4].map(() => loop.createFuture<number>());
      const fut = startGather(loop, wrap(variant, [a!, b!, c!, d!, e!]));
      const calls: unknown[] = [];
      fut.addDoneCallback((f) => calls.push(f));
      const exc = new RangeError("zde");
      a!.setResult(1);
      b!.setException(exc);
      runReady(loop);
      expect(fut.done()).to.equal(true);
      expect(calls).to.have.length(1);
      expect(fut.exception()).to.equal(exc);
      // does nothing
      c!.setResult(3);
      d!.cancel();
      e!.setException(new Error("rte"));
      runReady(loop);
      expect(calls).to.have.length(1);
      expect(fut.exception()).to.equal(exc);
      if (variant === "futures") e!.exception(); // as the CPython test does for the plain future
      loop.close();
      expect(neverRetrieved(ctxs)).to.deep.equal([]);
      expect(ctxs).to.deep.equal([]);
    });

    // GATH-04 held back: src test_return_exceptions → [3, 1, exc, exc2], callback once.
    it(`GATH-04 returnExceptions=true: errors are placed among the results (${variant})`, () => {
      const { loop, ctxs } = newLoop();
      const [a, b, c, d] = [0, 1, 2, 3].map(() => loop.createFuture<number>());
      const fut = startGather(loop, wrap(variant, [a!, b!, c!, d!]), true);
      const calls: unknown[] = [];
      fut.addDoneCallback((f) => calls.push(f));
      const exc = new RangeError("zde");
      const exc2 = new Error("rte");
      b!.setResult(1);
      c!.setException(exc);
      a!.setResult(3);
      runReady(loop);
      expect(fut.done()).to.equal(false);
      d!.setException(exc2);
      runReady(loop);
      expect(fut.done()).to.equal(true);
      expect(calls).to.have.length(1);
      const res = fut.result();
      expect(res).to.have.length(4);
      expect(res[0]).to.equal(3);
      expect(res[1]).to.equal(1);
      expect(res[2]).to.equal(exc);
      expect(res[3]).to.equal(exc2);
      loop.close();
      expect(neverRetrieved(ctxs)).to.deep.equal([]);
    });

    // src: FutureGatherTests.test_one_cancellation
    it(`GATH-08 a cancelled child fails gather with CancelledError but gather itself is not cancelled (${variant})`, () => {
      const { loop } = newLoop();
      const [a, b, c, d, e] = [0, 1, 2, 3, 4].map(() => loop.createFuture<number>());
      const fut = startGather(loop, wrap(variant, [a!, b!, c!, d!, e!]));
      const calls: unknown[] = [];
      fut.addDoneCallback((f) => calls.push(f));
      a!.setResult(1);
      b!.cancel();
      runReady(loop);
      expect(fut.done()).to.equal(true);
      expect(calls).to.have.length(1);
      expect(fut.cancelled()).to.equal(false);
      expect(fut.exception()).to.be.an.instanceOf(CancelledError);
      // does nothing
      c!.setResult(3);
      d!.cancel();
      e!.setException(new Error("rte"));
      e!.exception();
      runReady(loop);
      expect(calls).to.have.length(1);
      expect(fut.cancelled()).to.equal(false);
      loop.close();
    });

    // src: test_result_exception_one_cancellation; tasks.py gather._done_callback
    it(`GATH-09 returnExceptions=true: cancelled children become CancelledError values (${variant})`, () => {
      const { loop } = newLoop();
      const [a, b, c, d, e, f] = [0, 1, 2, 3, 4, 5].map(() => loop.createFuture<number>());
      const fut = startGather(loop, wrap(variant, [a!, b!, c!, d!, e!, f!]), true);
      const calls: unknown[] = [];
      fut.addDoneCallback((x) => calls.push(x));
      a!.setResult(1);
      const zde = new RangeError("zde");
      b!.setException(zde);
      c!.cancel();
      runReady(loop);
      expect(fut.done()).to.equal(false);
      d!.setResult(3);
      e!.cancel("m");
      const rte = new Error("rte");
      f!.setException(rte);
      const res = loop.runUntilComplete(fut);
      expect(res).to.have.length(6);
      expect(res[0]).to.equal(1);
      expect(res[1]).to.equal(zde);
      expect(res[2]).to.be.an.instanceOf(CancelledError);
      expect(res[3]).to.equal(3);
      expect(res[4]).to.be.an.instanceOf(CancelledError);
      expect(res[5]).to.equal(rte);
      expect(calls).to.have.length(1);
      if (variant === "futures") {
        // verified on CPython 3.13: CancelledError('') and CancelledError('m')
        expect((res[2] as CancelledError).message).to.equal("");
        expect((res[4] as CancelledError).message).to.equal("m");
      }
      loop.close();
    });
  }

  // src: FutureGatherTests.test_constructor_empty_sequence_use_running_loop / _without_loop
  it("GATH-05 empty gather: already done with [] inside a running loop; RuntimeError outside", () => {
    vrun(
      (function* () {
        const g = ensureFuture(gather());
        expect(g).to.be.an.instanceOf(Future);
        expect(g.done()).to.equal(true);
        expect(g.result()).to.deep.equal([]);
        const r = yield* gather();
        expect(r).to.deep.equal([]);
        expect(now()).to.equal(0);
      })(),
    );
    // the descriptor itself is inert; starting it needs a running loop
    const eff = gather();
    expect(eff).to.deep.include({ kind: "gather" });
    catchError(() => ensureFuture(eff), Error);
    const e = catchError(() => ensureFuture(gather()), Error);
    expect(e.name).to.equal("RuntimeError");
  });

  // src: test_constructor_heterogenous_futures (ValueError → RangeError)
  it("GATH-06 children must share one loop: futures of two loops → RangeError", () => {
    const { loop: other } = newLoop();
    const foreign = other.createFuture<number>();
    const r = vrun(
      (function* () {
        const mine = getRunningLoop().createFuture<number>();
        mine.setResult(1);
        try {
          ensureFuture(gather(mine, foreign));
          return "no error";
        } catch (e) {
          return e;
        }
      })(),
    );
    expect(r).to.be.an.instanceOf(RangeError);
    other.close();
  });

  // src: CoroutineGatherTests.test_constructor_without_loop, test_constructor_use_running_loop
  it("GATH-07 coroutine children need a running loop; inside one the gather completes", () => {
    let started = 0;
    function* coro(): Co<string> {
      started++;
      return "abc";
    }
    const eff = gather(coro(), coro()); // inert: nothing runs yet
    expect(started).to.equal(0);
    const e = catchError(() => ensureFuture(eff), Error);
    expect(e.name).to.equal("RuntimeError");
    expect(started).to.equal(0);
    const r = vrun(
      (function* () {
        const fut = ensureFuture(gather(coro(), coro()));
        expect(fut.done()).to.equal(false);
        return yield* fut;
      })(),
    );
    expect(r).to.deep.equal(["abc", "abc"]);
  });

  // src: CoroutineGatherTests.test_duplicate_coroutines
  it("GATH-10 duplicate awaitables share one child; the result is repeated", () => {
    const runs: string[] = [];
    function* coro(s: string): Co<string> {
      runs.push(s);
      return s;
    }
    const r = vrun(
      (function* () {
        const c = coro("abc");
        const r1 = yield* gather(c, c, coro("def"), c);
        const x = coro("x");
        const t = createTask(coro("t"));
        const r2 = yield* gather(x, x, coro("def"), x, t, t);
        return [r1, r2];
      })(),
    );
    expect(r[0]).to.deep.equal(["abc", "abc", "def", "abc"]);
    expect(r[1]).to.deep.equal(["x", "x", "def", "x", "t", "t"]);
    expect(runs.filter((s) => s === "abc")).to.have.length(1);
    expect(runs.filter((s) => s === "x")).to.have.length(1);
    expect(runs.filter((s) => s === "t")).to.have.length(1);
  });

  // src: CoroutineGatherTests.test_cancellation_broadcast
  for (const form of ["ensureFuture(gather)", "yield* gather"] as const) {
    it(`GATH-11 cancelling the task that awaits gather broadcasts to all children (${form})`, () => {
      const { loop } = newLoop();
      let proof = 0;
      const waiter = loop.createFuture<void>();
      function* inner(): Co<void> {
        yield* waiter;
        proof += 1;
      }
      const child1 = loop.createTask(inner());
      const child2 = loop.createTask(inner());
      const holder: { gatherer?: Future<unknown> } = {};
      const f = loop.createTask(
        (function* () {
          if (form === "ensureFuture(gather)") {
            holder.gatherer = ensureFuture(gather(child1, child2));
            yield* holder.gatherer;
          } else {
            yield* gather(child1, child2);
          }
          proof += 100;
        })(),
      );
      runBriefly(loop);
      expect(f.cancel()).to.equal(true);
      catchError(() => loop.runUntilComplete(f), CancelledError);
      if (holder.gatherer) expect(holder.gatherer.cancel()).to.equal(false);
      expect(waiter.cancelled()).to.equal(true);
      expect(child1.cancelled()).to.equal(true);
      expect(child2.cancelled()).to.equal(true);
      runBriefly(loop);
      expect(proof).to.equal(0);
      loop.close();
    });
  }

  // src: CoroutineGatherTests.test_exception_marking
  it("GATH-12 only the first exception propagates; the second is marked retrieved", () => {
    const { loop, ctxs } = newLoop();
    const a = loop.createFuture<void>();
    const b = loop.createFuture<void>();
    const errs: Error[] = [];
    function* inner(f: Future<void>): Co<void> {
      yield* f;
      const e = new Error("should not be ignored");
      errs.push(e);
      throw e;
    }
    const f = loop.createTask(
      (function* () {
        yield* gather(inner(a), inner(b));
      })(),
    );
    runReady(loop);
    a.setResult();
    runReady(loop);
    b.setResult();
    runReady(loop);
    expect(f.done()).to.equal(true);
    expect(errs).to.have.length(2);
    expect(f.exception()).to.equal(errs[0]);
    loop.close();
    expect(neverRetrieved(ctxs)).to.deep.equal([]);
  });

  // src: CoroutineGatherTests.test_issue46672. A trailing plain object is gather's options bag
  // in genloop, so the bad argument is given as a number / in a middle position.
  it("GATH-13 a bad argument after a coroutine: TypeError, nothing reported to the exception handler", () => {
    const holder: { ctxs: ExceptionContext[] } = { ctxs: [] };
    const r = vrun(
      (function* () {
        holder.ctxs = captureHandler();
        const out: unknown[] = [];
        function* coro(s: string): Co<string> {
          return s;
        }
        for (const bad of [42, "str", null]) {
          try {
            yield* (gather as any)(coro("abc"), bad);
            out.push("no error");
          } catch (e) {
            out.push(e instanceof TypeError);
          }
        }
        try {
          yield* (gather as any)(coro("abc"), {}, coro("def"));
          out.push("no error");
        } catch (e) {
          out.push(e instanceof TypeError);
        }
        yield* sleep(10);
        return out;
      })(),
    );
    expect(r).to.deep.equal([true, true, true, true]);
    expect(holder.ctxs).to.deep.equal([]);
  });

  // src: test_tasks.py test_cancel_gather_1 (issue #26923)
  it("GATH-14 cancel() on a gather whose children are all done returns false", () => {
    const { loop } = newLoop();
    const fut = loop.createFuture<number>();
    const gt = loop.runUntilComplete(
      (function* (): Co<Future<number[]>> {
        function* childCoro(): Co<number> {
          return yield* fut;
        }
        return ensureFuture(gather(childCoro())) as Future<number[]>;
      })(),
    );
    const res: boolean[] = [];
    fut.addDoneCallback(() => res.push(gt.cancel()));
    fut.setResult(42);
    loop.runUntilComplete(gt);
    expect(res).to.deep.equal([false]);
    expect(gt.cancelled()).to.equal(false);
    expect(gt.result()).to.deep.equal([42]);
    loop.close();
  });

  // src: test_cancel_gather_2 (cancel(5) has no TS equivalent: msg is a string)
  for (const [label, args, expected] of [
    ["no argument", [] as unknown[], ""],
    ["undefined", [undefined], ""],
    ["'my message'", ["my message"], "my message"],
  ] as const) {
    it(`GATH-15 outer cancellation (${label}) propagates through gather(returnExceptions=true)`, () => {
      const e = catchError(
        () =>
          vrun(
            (function* () {
              const qwe = createTask(
                (function* () {
                  let time = 0;
                  for (;;) {
                    time += 50;
                    yield* gather(sleep(50), { returnExceptions: true });
                    if (time > 1000) return;
                  }
                })(),
              );
              yield* sleep(200);
              (qwe.cancel as (...a: unknown[]) => boolean)(...args);
              yield* qwe;
            })(),
          ),
        CancelledError,
      );
      expect(e.message).to.equal(expected);
    });
  }

  // src: tasks.py _GatheringFuture.cancel + _cancel_requested (issue 32684); verified on 3.13
  for (const returnExceptions of [false, true]) {
    it(`GATH-16 gather.cancel('stop') with some children done (returnExceptions=${returnExceptions})`, () => {
      const seen: unknown[] = [];
      const r = vrun(
        (function* () {
          const t1 = createTask(
            (function* () {
              yield* sleep(100);
              return 1;
            })(),
          );
          const t2 = createTask(
            (function* () {
              try {
                yield* sleep(500);
              } catch (e) {
                seen.push(e);
                throw e;
              }
              return 2;
            })(),
          );
          const g = ensureFuture(gather(t1, t2, { returnExceptions }));
          yield* sleep(200);
          expect(t1.done()).to.equal(true);
          expect(g.cancel("stop")).to.equal(true);
          let err: unknown = null;
          try {
            yield* g;
          } catch (e) {
            err = e;
          }
          return { err, g, t1, t2, t: now() };
        })(),
      );
      expect(r.err).to.be.an.instanceOf(CancelledError);
      expect((r.err as CancelledError).message).to.equal("stop");
      expect(r.g.cancelled()).to.equal(false);
      expect(r.g.done()).to.equal(true);
      const ge = r.g.exception();
      expect(ge).to.be.an.instanceOf(CancelledError);
      expect((ge as CancelledError).message).to.equal("stop");
      expect(r.t2.cancelled()).to.equal(true);
      expect(r.t1.cancelled()).to.equal(false);
      expect(r.t1.result()).to.equal(1);
      expect(seen).to.have.length(1);
      expect((seen[0] as CancelledError).message).to.equal("stop");
      expect(r.t).to.equal(200);
      expect(r.g.cancel()).to.equal(false);
    });
  }

  // GATH-16 variant, verified on CPython 3.13: children that swallow the cancellation and return
  // normally still make the cancelled gather end with CancelledError (args ()), not cancelled().
  it("GATH-16 (variant) children swallowing the gather's cancellation: the gather still ends with CancelledError", () => {
    const log: number[] = [];
    const r = vrun(
      (function* () {
        function* swallow(i: number): Co<number> {
          try {
            yield* sleep(10_000);
          } catch (e) {
            if (!(e instanceof CancelledError)) throw e;
            log.push(i);
          }
          return i;
        }
        const g = ensureFuture(gather(swallow(1), swallow(2), { returnExceptions: true }));
        yield* sleep(1_000);
        expect(g.cancel()).to.equal(true);
        try {
          const res = yield* g;
          return { res, err: null as unknown, cancelled: g.cancelled() };
        } catch (e) {
          return { res: null, err: e, cancelled: g.cancelled() };
        }
      })(),
    );
    expect(r.res).to.equal(null);
    expect(r.err).to.be.an.instanceOf(CancelledError);
    expect((r.err as CancelledError).message).to.equal("");
    expect(r.cancelled).to.equal(false);
    expect(log).to.deep.equal([1, 2]);
  });

  // GATH-10 / gather basics with effect children (each effect becomes a task); verified on
  // CPython 3.13: gather(sleep(0.01,'a'), sleep(0.005,'b')) → ['a','b'] at T=0.01.
  it("GATH-10 (variant) effect children are scheduled as tasks; results in argument order", () => {
    const r = vrun(
      (function* () {
        const res = yield* gather(sleep(10, "a"), sleep(5, "b"));
        return [res, now()];
      })(),
    );
    expect(r).to.deep.equal([["a", "b"], 10]);
  });

  // gather docstring; verified on CPython 3.11–3.13
  it("GATH-17 first exception propagates; the other children keep running and gather.cancel() is then false", () => {
    const r = vrun(
      (function* () {
        const tSlow = createTask(
          (function* () {
            yield* sleep(500);
            return "s";
          })(),
        );
        function* bad(): Co<never> {
          yield* sleep(100);
          throw new RangeError("bad");
        }
        const g = ensureFuture(gather(bad(), tSlow));
        let err: unknown = null;
        try {
          yield* g;
        } catch (e) {
          err = e;
        }
        const tErr = now();
        const gDone = g.done();
        const cancelRes = g.cancel();
        const slowDoneAtErr = tSlow.done();
        const s = yield* tSlow;
        return { err, tErr, gDone, cancelRes, slowDoneAtErr, s, tEnd: now(), slowCancelled: tSlow.cancelled() };
      })(),
    );
    expect(r.err).to.be.an.instanceOf(RangeError);
    expect((r.err as Error).message).to.equal("bad");
    expect(r.tErr).to.equal(100);
    expect(r.gDone).to.equal(true);
    expect(r.cancelRes).to.equal(false);
    expect(r.slowDoneAtErr).to.equal(false);
    expect(r.s).to.equal("s");
    expect(r.tEnd).to.equal(500);
    expect(r.slowCancelled).to.equal(false);
  });

  // verified on CPython 3.11–3.13: ('kid',) True False CancelledError('kid'); t1 → 1
  it("GATH-18 a child task cancelled directly (returnExceptions=false): the waiter ends cancelled, siblings keep running", () => {
    const r = vrun(
      (function* () {
        const t1 = createTask(after(500, 1));
        const t2 = createTask(after(200, 2));
        const g = ensureFuture(gather(t1, t2));
        const w = createTask(
          (function* () {
            return yield* g;
          })(),
        );
        getRunningLoop().callLater(100, () => t2.cancel("kid"));
        let err: unknown = null;
        try {
          yield* w;
        } catch (e) {
          err = e;
        }
        const t1CancelledAtErr = t1.cancelled();
        const v1 = yield* t1;
        return { err, w, g, t1CancelledAtErr, v1, t2 };
      })(),
    );
    expect(r.err).to.be.an.instanceOf(CancelledError);
    expect((r.err as CancelledError).message).to.equal("kid");
    expect(r.w.cancelled()).to.equal(true);
    expect(r.g.cancelled()).to.equal(false);
    const ge = r.g.exception();
    expect(ge).to.be.an.instanceOf(CancelledError);
    expect((ge as CancelledError).message).to.equal("kid");
    expect(r.t2.cancelled()).to.equal(true);
    expect(r.t1CancelledAtErr).to.equal(false);
    expect(r.v1).to.equal(1);
  });

  // verified on CPython 3.11–3.13: [1, CancelledError('')] at T=0.5 (the message went to t2's
  // inner sleep future, t2's own cancel message stays unset)
  it("GATH-19 a child task cancelled directly (returnExceptions=true): [1, CancelledError('')] at T=500", () => {
    const r = vrun(
      (function* () {
        const t1 = createTask(after(500, 1));
        const t2 = createTask(after(200, 2));
        getRunningLoop().callLater(100, () => t2.cancel("kid"));
        const res = yield* gather(t1, t2, { returnExceptions: true });
        return { res, t: now() };
      })(),
    );
    expect(r.t).to.equal(500);
    expect(r.res[0]).to.equal(1);
    expect(r.res[1]).to.be.an.instanceOf(CancelledError);
    expect((r.res[1] as CancelledError).message).to.equal("");
  });

  // verified on CPython 3.11–3.13
  it("GATH-20 a task awaiting gather(returnExceptions=true) can still be cancelled", () => {
    const r = vrun(
      (function* () {
        function* sl(v: number, d: number): Co<number> {
          yield* sleep(d);
          return v;
        }
        const p = createTask(
          (function* () {
            return yield* gather(sl(1, 100), sl(2, 500), { returnExceptions: true });
          })(),
        );
        yield* sleep(200);
        p.cancel();
        let err: unknown = null;
        try {
          yield* p;
        } catch (e) {
          err = e;
        }
        return { err, cancelled: p.cancelled(), t: now() };
      })(),
    );
    expect(r.err).to.be.an.instanceOf(CancelledError);
    expect(r.cancelled).to.equal(true);
    expect(r.t).to.equal(200);
  });

  // tasks.py gather (done_futs loop, 3.12+); verified on CPython 3.11–3.13
  it("GATH-21 gather of already-finished children is done immediately", () => {
    vrun(
      (function* () {
        const loop = getRunningLoop();
        const a = loop.createFuture<number>();
        const b = loop.createFuture<number>();
        a.setResult(1);
        b.setResult(2);
        const g = ensureFuture(gather(a, b));
        expect(g.done()).to.equal(true);
        expect(g.result()).to.deep.equal([1, 2]);
        const k = new RangeError("KeyError");
        const c = loop.createFuture<number>();
        c.setException(k);
        const g2 = ensureFuture(gather(a, c));
        expect(g2.done()).to.equal(true);
        expect(g2.exception()).to.equal(k);
        yield* sleep(0);
        expect(g.result()).to.deep.equal([1, 2]);
      })(),
    );
  });

  // GATH-22 held back (content inferred, verified on CPython 3.13): cancelling the gathering
  // future before any child has run — the children are cancelled before their first step
  // (bodies never run), the waiter gets CancelledError, gather.cancelled() is False.
  it("GATH-22 cancelling a gather before its children started: bodies never run, waiter gets CancelledError", () => {
    const log: unknown[] = [];
    const r = vrun(
      (function* () {
        function* w(i: number): Co<void> {
          log.push(["start", i]);
          try {
            yield* sleep(1000);
          } finally {
            log.push(["fin", i]);
          }
        }
        const g = ensureFuture(gather(w(1), w(2)));
        log.push("gathered");
        expect(g.cancel()).to.equal(true);
        let err: unknown = null;
        try {
          yield* g;
        } catch (e) {
          err = e;
        }
        return { err, cancelled: g.cancelled(), t: now() };
      })(),
    );
    expect(log).to.deep.equal(["gathered"]);
    expect(r.err).to.be.an.instanceOf(CancelledError);
    expect(r.cancelled).to.equal(false);
    expect(r.t).to.equal(0);
  });

  // GATH-22 (inferred): coroutine children become tasks that start on the next tick, in argument
  // order; the gather returns results in that order. Verified on CPython 3.13: [1, 2, 3].
  it("GATH-22 coroutine children are scheduled as tasks in argument order", () => {
    const log: unknown[] = [];
    const r = vrun(
      (function* () {
        function* v(i: number): Co<number> {
          log.push([i, currentTask()!.getName()]);
          return i;
        }
        const g = ensureFuture(gather(v(1), v(2), v(3)));
        expect(log).to.deep.equal([]);
        return yield* g;
      })(),
    );
    expect(r).to.deep.equal([1, 2, 3]);
    expect(log.map((x) => (x as unknown[])[0])).to.deep.equal([1, 2, 3]);
    // each child ran in its own task
    const names = log.map((x) => (x as unknown[])[1]);
    expect(new Set(names).size).to.equal(3);
  });

  // GATH-22 (inferred): with returnExceptions=true, child errors are retrieved by the gather and
  // never reported. Verified on CPython 3.13: [KeyError(1), KeyError(2)], no handler calls.
  it("GATH-22 returnExceptions=true retrieves every child error (nothing reported)", () => {
    const holder: { ctxs: ExceptionContext[] } = { ctxs: [] };
    const r = vrun(
      (function* () {
        holder.ctxs = captureHandler();
        function* bad(i: number): Co<never> {
          yield* sleep(100 * i);
          throw new RangeError(`k${i}`);
        }
        return yield* gather(bad(1), bad(2), { returnExceptions: true });
      })(),
    );
    expect(r.map((e) => (e as Error).message)).to.deep.equal(["k1", "k2"]);
    expect(holder.ctxs).to.deep.equal([]);
  });

  it.skip("GATH-23 shield inside gather / gather inside shield — covered by SHLD-07/SHLD-08 (shield area)", () => {});
});


describe("GATH: effects as children", () => {
  it("each sleep() call is its own awaitable: gather(sleep(0), sleep(0)) runs two children", () => {
    const r = vrun(
      (function* () {
        const before = allTasks().size;
        const g = ensureFuture(gather(sleep(0, "a"), sleep(0, "b"), sleep(0)));
        const children = allTasks().size - before;
        return { children, results: yield* g };
      })(),
    );
    expect(r).to.deep.equal({ children: 3, results: ["a", "b", undefined] });
  });

  describe("the same coroutine object passed twice runs once and its result appears twice (asyncio's arg_to_fut)", () => {
    function* quick(v: string): Co<string> {
      return v;
    }
    function* slow(v: string): Co<string> {
      yield* sleep(1);
      return v;
    }
    /** gather(a, b, a, b, c) with fresh coroutines: [children made, results]. */
    function twice(taskFactory?: TaskFactory): unknown {
      return run(
        (function* () {
          const a = quick("a");
          const b = slow("b");
          const before = allTasks().size + 1; // + the gather's own caller, counted below
          let made = 0;
          const loop = getRunningLoop();
          const factory = loop.getTaskFactory();
          loop.setTaskFactory((l, coro, options) => {
            made++;
            return factory === null ? new Task(coro, l, options) : factory(l, coro, options);
          });
          const results = yield* gather(a, b, a, b, slow("c"));
          loop.setTaskFactory(factory);
          return { made, results, left: allTasks().size + 1 - before };
        })(),
        { clock: new VirtualClock(), taskFactory },
      );
    }

    it("with lazy tasks", () => {
      expect(twice()).to.deep.equal({ made: 3, results: ["a", "b", "a", "b", "c"], left: 0 });
    });

    it("with eager tasks, done at creation or not", () => {
      expect(twice(eagerTaskFactory)).to.deep.equal({ made: 3, results: ["a", "b", "a", "b", "c"], left: 0 });
    });

    it("with a task factory that runs each coroutine inside a wrapper coroutine", () => {
      function* wrapped<T>(coro: Co<T>): Co<T> {
        return yield* coro;
      }
      expect(twice(<T>(loop: EventLoop, coro: Co<T>) => new Task(wrapped(coro), loop))).to.deep.equal({ made: 3, results: ["a", "b", "a", "b", "c"], left: 0 });
    });

    it("a coroutine passed twice after futures and effects: each child counted once, so the gather completes", () => {
      const r = vrun(
        (function* () {
          const f = getRunningLoop().createFuture<string>();
          const e = sleep(1, "e");
          const c = slow("c");
          const g = ensureFuture(gather(f, e, quick("q"), c, e, c, f));
          const tasks = allTasks().size;
          yield* sleep(0);
          f.setResult("f");
          return { tasks, results: yield* g };
        })(),
      );
      // main, the gather's children: the effect's task, q, c (the future is not a task)
      expect(r).to.deep.equal({ tasks: 4, results: ["f", "e", "q", "c", "e", "c", "f"] });
    });

    it("a coroutine a task already runs is refused with a RuntimeError", () => {
      const r = vrun(
        (function* () {
          const c = slow("c");
          const owner = createTask(c);
          const before = allTasks().size;
          let error: unknown;
          try {
            yield* gather(slow("x"), c);
          } catch (e) {
            error = e;
          }
          const started = allTasks().size - before;
          yield* owner;
          return { error, started };
        })(),
      );
      expect(r.error).to.be.instanceOf(RuntimeError);
      expect(String(r.error)).to.match(/being awaited already/);
      expect(r.started).to.equal(1); // asyncio makes its children one by one too: the first runs
    });
  });

  it("the same effect object passed twice runs once and its result appears twice", () => {
    const r = vrun(
      (function* () {
        const e = sleep(5, "x");
        const before = allTasks().size;
        const g = ensureFuture(gather(e, e));
        return { children: allTasks().size - before, results: yield* g };
      })(),
    );
    expect(r).to.deep.equal({ children: 1, results: ["x", "x"] });
  });
});
