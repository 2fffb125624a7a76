// Any thrown value is an error: `throw null`, `throw undefined`, `throw 0`, `throw ""` fail a task
// exactly as an Error does, everywhere a failure is observed (failure is a state, not a non-null error).
import { expect } from "chai";
import {
  ExceptionGroup,
  FIRST_EXCEPTION,
  Future,
  TimeoutError,
  asCompleted,
  createTask,
  ensureFuture,
  gather,
  restartable,
  shield,
  sleep,
  taskGroup,
  timeout,
  wait,
  waitFor,
} from "../lib/index.js";
import { runAsync } from "../lib/interop/promise.js";
import { type Co, newLoop, vrun } from "./helpers.js";

/** The odd values JavaScript can throw; each must be caught as itself. */
const oddValues: unknown[] = [null, undefined, 0, "", false, NaN];

function* nap(ms: number): Co<void> {
  yield* sleep(ms);
}

function* throwing(value: unknown, delay = 1): Co<string> {
  yield* sleep(delay);
  throw value;
}

/** Runs `body` and returns what it threw (failing the test if it returned). */
function* caught(body: () => Co<unknown>): Co<{ value: unknown }> {
  try {
    const result = yield* body();
    throw new Error(`expected a throw, got the result ${String(result)}`);
  } catch (error) {
    return { value: error };
  }
}

describe("thrown values: failure is a state, whatever was thrown", () => {
  for (const odd of oddValues) {
    const label = Object.is(odd, NaN) ? "NaN" : JSON.stringify(odd) ?? "undefined";

    describe(`throw ${label}`, () => {
      it("a task that throws it has failed: failed() is true and exception() returns the value itself", () => {
        const { loop } = newLoop();
        const task = loop.createTask(throwing(odd));
        loop.runUntilComplete(
          (function* () {
            yield* sleep(5);
          })(),
        );
        expect(task.done()).to.equal(true);
        expect(task.cancelled()).to.equal(false);
        expect(task.failed()).to.equal(true);
        expect(Object.is(task.exception(), odd)).to.equal(true);
        let thrown: unknown = "nothing";
        try {
          task.result();
        } catch (e) {
          thrown = e;
        }
        expect(Object.is(thrown, odd)).to.equal(true);
        loop.close();
      });

      it("an awaiting task catches exactly the value", () => {
        const out = vrun(caught(() => createTask(throwing(odd))[Symbol.iterator]()));
        expect(Object.is(out.value, odd)).to.equal(true);
      });

      it("gather fails with it at once (it does not wait for ever)", () => {
        const out = vrun(
          (function* () {
            const slow = createTask(nap(1000));
            const r = yield* caught(function* () {
              return yield* gather(throwing(odd), slow);
            });
            slow.cancel();
            return r;
          })(),
        );
        expect(Object.is(out.value, odd)).to.equal(true);
      });

      it("gather with returnExceptions puts it among the results", () => {
        const results = vrun(
          (function* () {
            return yield* gather(throwing(odd), sleep(2, "ok"), { returnExceptions: true });
          })(),
        );
        expect(Object.is(results[0], odd)).to.equal(true);
        expect(results[1]).to.equal("ok");
      });

      it("shield passes it through (it does not stay pending for ever)", () => {
        const out = vrun(caught(() => shield(throwing(odd))[Symbol.iterator]()));
        expect(Object.is(out.value, odd)).to.equal(true);
      });

      it("a task group counts the child as failed: the ExceptionGroup holds the value", () => {
        const out = vrun(
          caught(() =>
            taskGroup(function* (tg) {
              tg.createTask(throwing(odd));
              tg.createTask(nap(100));
              yield* sleep(1000);
            })[Symbol.iterator](),
          ),
        );
        expect(out.value).to.be.instanceOf(ExceptionGroup);
        const group = out.value as ExceptionGroup;
        expect(group.exceptions).to.have.length(1);
        expect(Object.is(group.exceptions[0], odd)).to.equal(true);
      });

      it("wait(FIRST_EXCEPTION) returns at the failure", () => {
        const [doneCount, pendingCount, at] = vrun(
          (function* () {
            const bad = createTask(throwing(odd, 1));
            const slow = createTask(nap(1000));
            const [done, pending] = yield* wait([bad, slow], { returnWhen: FIRST_EXCEPTION });
            const time = yield* sleep(0, 0);
            slow.cancel();
            return [done.size, pending.size, time] as const;
          })(),
        );
        expect([doneCount, pendingCount, at]).to.deep.equal([1, 1, 0]);
      });

      it("waitFor, timeout and asCompleted let it through", () => {
        const [a, b, c] = vrun(
          (function* () {
            const a = yield* caught(() => waitFor(throwing(odd), 100)[Symbol.iterator]());
            const b = yield* caught(() =>
              timeout(100, function* () {
                return yield* throwing(odd);
              })[Symbol.iterator](),
            );
            const c = yield* caught(function* () {
              for (const next of asCompleted([throwing(odd)])) return yield* next;
              return "none";
            });
            return [a.value, b.value, c.value];
          })(),
        );
        expect(Object.is(a, odd) && Object.is(b, odd) && Object.is(c, odd)).to.equal(true);
      });

      it("a policy instance that throws it is lastErrored, not lastSuccessful", () => {
        const policy = vrun(
          (function* () {
            const p = restartable(function* () {
              yield* sleep(1);
              throw odd;
            });
            const task = p.perform();
            yield* caught(() => task[Symbol.iterator]());
            return p;
          })(),
        );
        expect(policy.lastErrored).to.not.equal(null);
        expect(policy.lastSuccessful).to.equal(null);
      });

      it("run() throws it", () => {
        let thrown: unknown = "nothing";
        try {
          vrun(throwing(odd));
        } catch (e) {
          thrown = e;
        }
        expect(Object.is(thrown, odd)).to.equal(true);
      });

      it("runAsync() rejects with it", async () => {
        let thrown: unknown = "nothing";
        try {
          await runAsync(throwing(odd, 0));
        } catch (e) {
          thrown = e;
        }
        expect(Object.is(thrown, odd)).to.equal(true);
      });

      it("a task that threw it and that nobody looked at is reported as never retrieved", () => {
        const { loop, ctxs } = newLoop();
        loop.createTask(throwing(odd, 0));
        loop.runUntilComplete(sleep(1));
        loop.close();
        const report = ctxs.find((c) => /exception was never retrieved/.test(c.message));
        expect(report, "never-retrieved report").to.not.equal(undefined);
        expect(Object.is(report?.exception, odd)).to.equal(true);
      });
    });
  }

  it("Future.setException refuses null and undefined with a TypeError naming setResult", () => {
    const { loop } = newLoop();
    const f = new Future<number>(loop);
    expect(() => f.setException(null)).to.throw(TypeError, /setException.*setResult/);
    expect(() => f.setException(undefined)).to.throw(TypeError, /setException/);
    expect(f.done()).to.equal(false);
    f.setException(0);
    expect(f.failed()).to.equal(true);
    expect(f.exception()).to.equal(0);
    loop.close();
  });

  it("failed() is false while pending, after a result and after a cancellation", () => {
    const { loop } = newLoop();
    const a = new Future<number>(loop);
    const b = new Future<number>(loop);
    expect(a.failed()).to.equal(false);
    a.setResult(1);
    b.cancel();
    expect(a.failed()).to.equal(false);
    expect(b.failed()).to.equal(false);
    loop.close();
  });

  it("ensureFuture(gather(...)) of a child throwing null completes the gathering future", () => {
    const { loop } = newLoop();
    const outer = loop.runUntilComplete(
      (function* () {
        return ensureFuture(gather(throwing(null)));
      })(),
    );
    loop.runUntilComplete(sleep(10));
    expect(outer.failed()).to.equal(true);
    expect(outer.exception()).to.equal(null);
    loop.close();
  });

  it("a TimeoutError is still a TimeoutError next to odd values (sanity)", () => {
    const out = vrun(caught(() => waitFor(sleep(100), 1)[Symbol.iterator]()));
    expect(out.value).to.be.instanceOf(TimeoutError);
  });
});
