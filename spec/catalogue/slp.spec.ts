// Catalogue area SLP — sleep (asyncio-semantics.md §E).
import { expect } from "chai";
import {
  sleep,
  createTask,
  ensureFuture,
  getRunningLoop,
  CancelledError,
} from "../../lib/index.js";
import { type Co, vrun, newLoop, runBriefly, catchError, now } from "../helpers.js";

describe("catalogue SLP — sleep", () => {
  // src: test_tasks.py test_sleep
  it("SLP-01 sleep(delay, result) returns result after the delay", () => {
    const [res, t] = vrun(
      (function* () {
        yield* sleep(50);
        const r = yield* sleep(50, "yeah");
        return [r, now()] as const;
      })(),
    );
    expect(res).to.equal("yeah");
    expect(t).to.equal(100);
  });

  // src: test_tasks.py SleepTests.test_sleep_zero
  it("SLP-02 sleep(0, result) yields once (a pending callSoon runs) and returns result", () => {
    let result = 0;
    const inc = (n: number) => {
      result += n;
    };
    vrun(
      (function* () {
        getRunningLoop().callSoon(inc, 1);
        expect(result).to.equal(0);
        const num = yield* sleep(0, 10);
        expect(result).to.equal(1);
        inc(num);
      })(),
    );
    expect(result).to.equal(11);
  });

  // Held back. CPython tasks.py sleep: `if delay <= 0: await __sleep0(); return result` —
  // a negative delay is a sleep(0): one bare yield, no timer, result returned.
  // Verified on CPython 3.13: ['cs', ('after','neg',0.0), 'cs2', 'after2']
  it("SLP-03 a negative delay behaves as sleep(0): one tick, no time passes, result returned", () => {
    const log: unknown[] = [];
    vrun(
      (function* () {
        const loop = getRunningLoop();
        loop.callSoon(() => log.push("cs"));
        const r = yield* sleep(-1000, "neg");
        log.push(["after", r, loop.time()]);
        loop.callSoon(() => log.push("cs2"));
        yield* sleep(-5);
        log.push("after2");
      })(),
    );
    expect(log).to.deep.equal(["cs", ["after", "neg", 0], "cs2", "after2"]);
  });

  it("SLP-03 a negative-delay sleep does not wait behind a pending timer", () => {
    const log: string[] = [];
    vrun(
      (function* () {
        const loop = getRunningLoop();
        loop.callLater(1, () => log.push("timer@1"));
        yield* sleep(-100);
        log.push(`after sleep(-100) at ${loop.time()}`);
        yield* sleep(5);
      })(),
    );
    expect(log).to.deep.equal(["after sleep(-100) at 0", "timer@1"]);
  });

  // verified on CPython 3.11–3.13
  it("SLP-04 the default result is undefined (asyncio: None)", () => {
    const rs = vrun(
      (function* () {
        const a = yield* sleep(0);
        const b = yield* sleep(100);
        return [a, b];
      })(),
    );
    expect(rs).to.deep.equal([undefined, undefined]);
  });

  // src: test_sleep_when_delay_is_nan (3.13): ValueError('Invalid delay: NaN (not a number)');
  // api.md §1: NaN throws RangeError at the call, a non-number throws TypeError.
  it("SLP-05 sleep(NaN) throws RangeError at the call", () => {
    const e = catchError(() => sleep(NaN), RangeError);
    expect(e.message).to.match(/NaN/);
  });

  it("SLP-05 sleep(NaN) inside a task: the RangeError is catchable there and no time passes", () => {
    const r = vrun(
      (function* () {
        try {
          yield* sleep(NaN);
          return "no error";
        } catch (e) {
          return [e instanceof RangeError, now()];
        }
      })(),
    );
    expect(r).to.deep.equal([true, 0]);
  });

  it("SLP-05 sleep with a non-number delay throws TypeError at the call", () => {
    catchError(() => sleep("10" as any), TypeError);
    catchError(() => sleep(undefined as any), TypeError);
  });

  // api.md §1: effect constructors are pure; descriptors can be inspected.
  it("SLP-05 (genloop) sleep() is an inert descriptor: nothing is scheduled until a task yields it", () => {
    const eff = sleep(10, "x");
    expect(eff).to.deep.include({ kind: "sleep", delay: 10 });
    function* saga(): Co<void> {
      yield* sleep(10);
      yield* sleep(20);
    }
    const g = saga();
    const first = g.next();
    expect(first.done).to.equal(false);
    expect(first.value).to.deep.include({ kind: "sleep", delay: 10 });
    const second = g.next(undefined);
    expect(second.value).to.deep.include({ kind: "sleep", delay: 20 });
    // the same descriptor can be yielded twice (it is immutable)
    const r = vrun(
      (function* () {
        const a = yield* eff;
        const b = yield* eff;
        return [a, b, now()];
      })(),
    );
    expect(r).to.deep.equal(["x", "x", 20]);
  });

  // SLP-06 → TASK-25 (cancelled sleep cancels its timer) and TASK-08 (no time passes)
  it("SLP-06 cancelling a sleeping task raises CancelledError there and no virtual time passes", () => {
    const { loop } = newLoop();
    const log: unknown[] = [];
    const t = loop.createTask(
      (function* () {
        try {
          yield* sleep(10_000);
        } catch (e) {
          log.push(e instanceof CancelledError);
          throw e;
        }
      })(),
    );
    runBriefly(loop);
    expect(t.cancel()).to.equal(true);
    catchError(() => loop.runUntilComplete(t), CancelledError);
    expect(log).to.deep.equal([true]);
    expect(t.cancelled()).to.equal(true);
    expect(loop.time()).to.equal(0);
    expect(loop.nextDeadline()).to.equal(null);
    loop.close();
  });

  it("SLP-06 cancelling the future ensureFuture(sleep(..)) returns cancels the sleep's timer", () => {
    const r = vrun(
      (function* () {
        const f = ensureFuture(sleep(1000, "late"));
        yield* sleep(10);
        expect(f.cancel()).to.equal(true);
        // As CPython: ensureFuture(sleep()) is a Task, cancelled only once it has run.
        expect(f.cancelled()).to.equal(false);
        yield* sleep(0);
        expect(f.cancelled()).to.equal(true);
        const other = createTask(
          (function* () {
            yield* sleep(2000);
            return f.cancelled();
          })(),
        );
        return yield* other;
      })(),
    );
    expect(r).to.equal(true);
  });
});
