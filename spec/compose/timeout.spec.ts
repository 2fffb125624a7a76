// Catalogue area TOUT — timeout() / timeoutAt() scopes (asyncio-semantics.md §D5), plus argument errors.
import { expect } from "chai";
import {
  timeout,
  timeoutAt,
  taskGroup,
  sleep,
  createTask,
  currentTask,
  getRunningLoop,
  run,
  ensureFuture,
  VirtualClock,
  Future,
  Timeout,
  CancelledError,
  RuntimeError,
  TimeoutError,
  ExceptionGroup,
} from "../../lib/index.js";
import type { Awaitable } from "../../lib/index.js";
import { type Co, vrun, catchError, now, causeOf } from "../helpers.js";

class FooError extends Error {}

/** The error `body` throws (or "no error"), with the loop time at that point. */
function* errorOf(body: Awaitable<unknown>): Co<[unknown, number]> {
  try {
    yield* body;
    return ["no error", now()];
  } catch (e) {
    return [e, now()];
  }
}

describe("compose: timeout scopes (TOUT)", () => {
  // src: test_timeout_basic, test_timeout_exception_cause
  it("TOUT-01 the deadline raises TimeoutError caused by the CancelledError; expired(); cancelling() back to 0", () => {
    const out = vrun(
      (function* () {
        let scope: Timeout | null = null;
        const [e, t] = yield* errorOf(timeout(10, function* (cm) { scope = cm; yield* sleep(10_000); }));
        return [e instanceof TimeoutError, causeOf(e) instanceof CancelledError, t, scope!.expired(), currentTask()!.cancelling()];
      })(),
    );
    expect(out).to.deep.equal([true, true, 10, true, 0]);
  });

  // src: test_timeout_at_basic
  it("TOUT-02 timeoutAt: an absolute deadline", () => {
    const out = vrun(
      (function* () {
        yield* sleep(5);
        const deadline = now() + 10;
        let scope: Timeout | null = null;
        const [e, t] = yield* errorOf(timeoutAt(deadline, function* (cm) { scope = cm; yield* sleep(10_000); }));
        return [e instanceof TimeoutError, t, scope!.expired(), scope!.when() === deadline];
      })(),
    );
    expect(out).to.deep.equal([true, 15, true, true]);
  });

  // src: test_nested_timeouts
  it("TOUT-03 nested scopes with the same deadline: the inner lets CancelledError out, the outer raises TimeoutError", () => {
    const out = vrun(
      (function* () {
        let cancelled = false;
        let cm1: Timeout | null = null;
        let cm2: Timeout | null = null;
        const d = now() + 10;
        const [e] = yield* errorOf(
          timeoutAt(d, function* (s1) {
            cm1 = s1;
            try {
              yield* timeoutAt(d, function* (s2) {
                cm2 = s2;
                yield* sleep(10_000);
              });
            } catch (err) {
              if (err instanceof CancelledError) cancelled = true;
              throw err;
            }
          }),
        );
        return [e instanceof TimeoutError, cancelled, cm1!.expired(), cm2!.expired()];
      })(),
    );
    expect(out).to.deep.equal([true, true, true, true]);
  });

  // src: test_waiter_cancelled
  it("TOUT-04 the body sees CancelledError", () => {
    const out = vrun(
      (function* () {
        let cancelled = false;
        const [e] = yield* errorOf(
          timeout(10, function* () {
            try {
              yield* sleep(10_000);
            } catch (err) {
              cancelled = err instanceof CancelledError;
              throw err;
            }
          }),
        );
        return [e instanceof TimeoutError, cancelled];
      })(),
    );
    expect(out).to.deep.equal([true, true]);
  });

  // src: test_timeout_not_called
  it("TOUT-05 not triggered: the body's result comes back, expired() is false, when() is in the future", () => {
    const out = vrun(
      (function* () {
        let scope: Timeout | null = null;
        const r = yield* timeout(10_000, function* (cm) {
          scope = cm;
          yield* sleep(10);
          return "body result";
        });
        return [r, scope!.expired(), scope!.when()! > now(), getRunningLoop().nextDeadline()];
      })(),
    );
    expect(out).to.deep.equal(["body result", false, true, null]);
  });

  // src: test_timeout_disabled, test_timeout_at_disabled, test_repr_disabled
  it("TOUT-06 null disables the deadline", () => {
    const out = vrun(
      (function* () {
        const seen: unknown[] = [];
        for (const eff of [timeout(null, body), timeoutAt(null, body)]) {
          yield* eff;
        }
        function* body(cm: Timeout): Co<void> {
          yield* sleep(10);
          seen.push([cm.expired(), cm.when(), String(cm)]);
        }
        return seen;
      })(),
    );
    const one = [false, null, "<Timeout [active] when=None>"];
    expect(out).to.deep.equal([one, one]);
  });

  // src: test_timeout_zero, test_timeout_zero_sleep_zero, test_timeout_in_the_past_sleep_zero
  it("TOUT-07 zero and past deadlines fire on the next tick: one sleep(0) is enough", () => {
    const out = vrun(
      (function* () {
        const res: unknown[] = [];
        for (const [delay, inner] of [[0, 10_000], [0, 0], [-11, 0]] as const) {
          yield* sleep(7);
          const t0 = now();
          let scope: Timeout | null = null;
          const [e] = yield* errorOf(timeout(delay, function* (cm) { scope = cm; yield* sleep(inner); }));
          res.push([e instanceof TimeoutError, scope!.expired(), scope!.when()! <= t0, now() === t0]);
        }
        return res;
      })(),
    );
    expect(out).to.deep.equal([[true, true, true, true], [true, true, true, true], [true, true, true, true]]);
  });

  it("TOUT-08 a zero/past deadline with no suspension inside: nothing happens", () => {
    const out = vrun(
      (function* () {
        let cm1: Timeout | null = null;
        let cm2: Timeout | null = null;
        const a = yield* timeout(0, function* (cm) { cm1 = cm; return 1; });
        const b = yield* timeout(-5, function* (cm) { cm2 = cm; return 2; });
        yield* sleep(0);
        return [a, b, cm1!.expired(), cm2!.expired(), currentTask()!.cancelling()];
      })(),
    );
    expect(out).to.deep.equal([1, 2, false, false, 0]);
  });

  // src: test_foreign_exception_passed
  it("TOUT-09 a foreign error passes through untouched when the deadline did not fire", () => {
    const out = vrun(
      (function* () {
        let scope: Timeout | null = null;
        const err = new FooError("key");
        const [e] = yield* errorOf(timeout(10, function* (cm) { scope = cm; throw err; }));
        return [e === err, scope!.expired(), causeOf(err)];
      })(),
    );
    expect(out).to.deep.equal([true, false, undefined]);
  });

  // src: test_timeout_exception_context (held back in the catalogue; CPython 3.13: the deadline passes while
  // a finally that yields is handling a ZeroDivisionError → TimeoutError caused by the CancelledError)
  it("TOUT-10 the deadline passing in a finally that yields (after a foreign error) → TimeoutError", () => {
    const out = vrun(
      (function* () {
        const [e, t] = yield* errorOf(
          timeout(10, function* () {
            try {
              throw new FooError("division by zero");
            } finally {
              yield* sleep(1000);
            }
          }),
        );
        return [e instanceof TimeoutError, causeOf(e) instanceof CancelledError, t];
      })(),
    );
    expect(out).to.deep.equal([true, true, 10]);
  });

  // src: test_foreign_exception_on_timeout
  it("TOUT-11 a foreign error raised while being timed out propagates (no TimeoutError)", () => {
    const out = vrun(
      (function* () {
        let scope: Timeout | null = null;
        function* crash(): Co<void> {
          try {
            yield* sleep(1000);
          } finally {
            throw new FooError("division by zero");
          }
        }
        const [e, t] = yield* errorOf(timeout(10, function* (cm) { scope = cm; yield* crash(); }));
        return [e instanceof FooError, t, scope!.expired(), currentTask()!.cancelling()];
      })(),
    );
    expect(out).to.deep.equal([true, 10, true, 0]);
  });

  // src: test_foreign_cancel_doesnt_timeout_if_not_expired (held back in the catalogue; CPython 3.13:
  // CancelledError, expired() false)
  it("TOUT-12 a foreign cancel inside the scope is a CancelledError, not a timeout", () => {
    const out = vrun(
      (function* () {
        let scope: Timeout | null = null;
        const t = createTask(
          (function* () {
            yield* timeout(10_000, function* (cm) {
              scope = cm;
              currentTask()!.cancel();
              yield* sleep(10_000);
            });
          })(),
        );
        const [e, at] = yield* errorOf(t);
        return [e instanceof CancelledError, at, scope!.expired(), t.cancelled()];
      })(),
    );
    expect(out).to.deep.equal([true, 0, false, true]);
  });

  // Held back in the catalogue; checked on CPython 3.13 with a virtual clock: an external cancel() that
  // fires in the same tick as the deadline wins (CancelledError), whichever of the two comes first.
  it("TOUT-13 an external cancel coinciding with the deadline gives CancelledError", () => {
    const out = vrun(
      (function* () {
        const res: unknown[] = [];
        // (a) the external cancel's timer is armed before the scope's
        const t1 = createTask((function* () { yield* timeout(100, function* () { yield* sleep(1000); }); })());
        getRunningLoop().callAt(100, () => t1.cancel());
        res.push(yield* errorOf(t1), t1.cancelled());
        // (b) the scope's timer is armed first
        let scope: Timeout | null = null;
        const t2 = createTask((function* () { yield* timeout(100, function* (cm) { scope = cm; yield* sleep(1000); }); })());
        yield* sleep(0);
        getRunningLoop().callAt(200, () => t2.cancel());
        const [e2, at2] = yield* errorOf(t2);
        res.push([e2 instanceof CancelledError, at2], t2.cancelled(), scope!.expired());
        return res.map((x) => (Array.isArray(x) ? [(x[0] as Error).name ?? x[0], x[1]] : x));
      })(),
    );
    expect(out).to.deep.equal([["CancelledError", 100], true, [true, 200], true, true]);
  });

  // src: test_outer_task_is_not_cancelled
  it("TOUT-14 the task is not cancelled after a handled timeout", () => {
    const out = vrun(
      (function* () {
        const task = createTask(
          (function* () {
            try {
              yield* timeout(1, function* () { yield* sleep(10_000); });
            } catch (e) {
              if (!(e instanceof TimeoutError)) throw e;
            }
          })(),
        );
        yield* task;
        return [task.done(), task.cancelled()];
      })(),
    );
    expect(out).to.deep.equal([true, false]);
  });

  // src: test_repr_active, test_repr_expired, test_repr_finished (held back in the catalogue; CPython 3.13:
  // '<Timeout [active] when=10.2>' inside, '<Timeout [finished]>' after, '<Timeout [expired]>' after firing)
  it("TOUT-15 the scope's string form shows its state", () => {
    const out = vrun(
      (function* () {
        yield* sleep(200);
        const seen: string[] = [];
        let cm1: Timeout | null = null;
        yield* timeout(10_000, function* (cm) { cm1 = cm; seen.push(String(cm)); });
        seen.push(String(cm1));
        let cm2: Timeout | null = null;
        yield* errorOf(timeout(10, function* (cm) { cm2 = cm; yield* sleep(1000); }));
        seen.push(String(cm2));
        return seen;
      })(),
    );
    expect(out).to.deep.equal(["<Timeout [active] when=10200>", "<Timeout [finished]>", "<Timeout [expired]>"]);
  });

  // src: test_nested_timeouts_loop_busy, test_nested_timeouts_concurrent
  it("TOUT-16 both deadlines pass while the loop is blocked: the inner lets CancelledError out, the outer raises TimeoutError", () => {
    const clock = new VirtualClock();
    const out = run(
      (function* () {
        const res: unknown[] = [];
        for (const [outer, inner, block] of [[100, 10, 100], [2, 100, 10]]) {
          const t0 = now();
          let innerError: unknown = null;
          const [e] = yield* errorOf(
            timeout(outer, function* () {
              try {
                yield* timeout(inner, function* () {
                  clock.advance(block); // a blocking call: both timers are due at the next tick
                  yield* sleep(1000);
                });
              } catch (err) {
                innerError = err;
                throw err;
              }
            }),
          );
          res.push([(innerError as Error).name, (e as Error).name, now() - t0 <= 1000, currentTask()!.cancelling()]);
        }
        return res;
      })(),
      { clock },
    );
    expect(out).to.deep.equal([
      ["CancelledError", "TimeoutError", true, 0],
      ["CancelledError", "TimeoutError", true, 0],
    ]);
  });

  // src: test_reschedule
  it("TOUT-17 reschedule: when() follows; cancelling gives CancelledError; moves fire at the new time", () => {
    const out = vrun(
      (function* () {
        const res: unknown[] = [];
        let scope: Timeout | null = null;
        const d1 = now() + 10_000;
        const t = createTask((function* () { yield* timeoutAt(d1, function* (cm) { scope = cm; yield* sleep(100_000); }); })());
        yield* sleep(0);
        res.push(scope!.when() === d1);
        scope!.reschedule(d1 + 5000);
        res.push(scope!.when() === d1 + 5000);
        scope!.reschedule(null);
        res.push(scope!.when());
        t.cancel();
        const [e] = yield* errorOf(t);
        res.push(e instanceof CancelledError, scope!.expired());
        // moving the deadline to now+3000 fires at that time; to the past, on the next tick
        const t2 = now();
        const [e2, at2] = yield* errorOf(timeout(null, function* (cm) { cm.reschedule(now() + 3000); yield* sleep(100_000); }));
        const t3 = now();
        const [e3, at3] = yield* errorOf(timeout(null, function* (cm) { cm.reschedule(now() - 5); yield* sleep(0); }));
        res.push((e2 as Error).name, at2 - t2, (e3 as Error).name, at3 - t3);
        return res;
      })(),
    );
    expect(out).to.deep.equal([true, true, null, true, false, "TimeoutError", 3000, "TimeoutError", 0]);
  });

  // src: test_timeout_finished, test_timeout_expired, test_timeout_expiring (+ the entry-time checks that
  // the body API makes impossible: the scope exists only once entered, in a task)
  it("TOUT-18 reschedule after exit, after expiry, while expiring → RuntimeError naming the state", () => {
    const out = vrun(
      (function* () {
        const msgs: string[] = [];
        let finished: Timeout | null = null;
        yield* timeout(10, function* (cm) { finished = cm; });
        msgs.push(catchError(() => finished!.reschedule(0), RuntimeError).message);
        let expired: Timeout | null = null;
        yield* errorOf(
          timeout(0, function* (cm) {
            expired = cm;
            try {
              yield* sleep(10);
            } finally {
              msgs.push(catchError(() => cm.reschedule(100), RuntimeError).message);
            }
          }),
        );
        msgs.push(catchError(() => expired!.reschedule(0), RuntimeError).message);
        return msgs.map((m) => m.split(":")[0]);
      })(),
    );
    expect(out).to.deep.equal([
      "Cannot change state of finished Timeout",
      "Cannot change state of expiring Timeout",
      "Cannot change state of expired Timeout",
    ]);
  });

  it("TOUT-18 every performance of a scope effect enters a fresh scope (no 'already entered')", () => {
    const out = vrun(
      (function* () {
        const scopes: Timeout[] = [];
        const eff = timeout(100, function* (cm) { scopes.push(cm); yield* sleep(1); return scopes.length; });
        return [yield* eff, yield* eff, scopes[0] !== scopes[1], scopes[1].when()];
      })(),
    );
    expect(out).to.deep.equal([1, 2, true, 101]);
  });

  // Held back in the catalogue; from timeouts.py (CPython 3.13): a scope given to ensureFuture runs in a
  // task of its own; its deadline counts from when that task enters it, and its TimeoutError is that task's.
  it("TOUT-19 a scope run as a task (ensureFuture) raises TimeoutError from that task; the caller is not cancelled", () => {
    const out = vrun(
      (function* () {
        yield* sleep(5);
        const f = ensureFuture(timeout(10, function* (cm) { yield* sleep(1000); return cm; }));
        const [e, t] = yield* errorOf(f);
        return [e instanceof TimeoutError, t, currentTask()!.cancelling(), f.done() && !f.cancelled()];
      })(),
    );
    expect(out).to.deep.equal([true, 15, 0, true]);
  });

  // src: test_nested_timeout_in_finally
  it("TOUT-20 a timeout in the finally of a timed-out block: both raise TimeoutError", () => {
    const out = vrun(
      (function* () {
        let inner: unknown = null;
        const [e1, t] = yield* errorOf(
          timeout(10, function* () {
            try {
              yield* sleep(1000);
            } finally {
              try {
                yield* timeout(10, function* () { yield* sleep(10_000); });
              } catch (e) {
                inner = e;
              }
            }
          }),
        );
        return [
          (inner as Error).name,
          causeOf(inner) instanceof CancelledError,
          (e1 as Error).name,
          causeOf(e1) instanceof CancelledError,
          causeOf(e1) !== causeOf(inner),
          t,
        ];
      })(),
    );
    expect(out).to.deep.equal(["TimeoutError", true, "TimeoutError", true, true, 20]);
  });

  // src: test_timeout_after_cancellation, test_cancel_in_timeout_after_cancellation
  it("TOUT-21 a timeout still works in a task that swallowed a cancellation; an explicit cancel inside is not a timeout", () => {
    const out = vrun(
      (function* () {
        const res: unknown[] = [];
        for (const delay of [0, 500]) {
          const t = createTask(
            (function* () {
              currentTask()!.cancel();
              try {
                yield* sleep(1000);
              } catch (e) {
                if (!(e instanceof CancelledError)) throw e;
              }
              const before = currentTask()!.cancelling();
              const [e] = yield* errorOf(timeout(delay, function* () { yield* sleep(1000); }));
              return [before, (e as Error).name, currentTask()!.cancelling()];
            })(),
          );
          res.push(yield* t);
        }
        const t2 = createTask(
          (function* () {
            currentTask()!.cancel();
            try {
              yield* sleep(1000);
            } catch {
              /* swallowed */
            }
            yield* timeout(1000, function* () {
              currentTask()!.cancel();
              yield* sleep(2000);
            });
          })(),
        );
        const [e2] = yield* errorOf(t2);
        res.push((e2 as Error).name);
        return res;
      })(),
    );
    expect(out).to.deep.equal([[1, "TimeoutError", 1], [1, "TimeoutError", 1], "CancelledError"]);
  });

  // src: test_timeout_taskgroup
  it("TOUT-22 a timeout around a task group whose child fails during cancellation: an ExceptionGroup of that error", () => {
    const out = vrun(
      (function* () {
        function* child(): Co<void> {
          try {
            yield* sleep(2000);
          } finally {
            throw new FooError("division by zero");
          }
        }
        const [e] = yield* errorOf(
          timeout(10, function* () {
            yield* taskGroup(function* (tg) {
              tg.createTask(child());
              try {
                throw new RangeError("value error");
              } finally {
                yield* sleep(1000);
              }
            });
          }),
        );
        const eg = e as ExceptionGroup;
        return [eg instanceof ExceptionGroup, eg.exceptions.length, eg.exceptions[0] instanceof FooError, now()];
      })(),
    );
    expect(out).to.deep.equal([true, 1, true, 10]);
  });

  it("argument errors: a non-function body, a coroutine instead of the function, bad delays", () => {
    function* body(): Co<number> {
      return 1;
    }
    expect(catchError(() => timeout(10, 5 as any), TypeError).message).to.match(/the body must be a function/);
    expect(catchError(() => timeout(10, body() as any), TypeError).message).to.match(/pass the function itself/);
    expect(catchError(() => timeout("10" as any, body), TypeError).message).to.match(/timeout: the delay must be a number/);
    catchError(() => timeout(NaN, body), RangeError);
    catchError(() => timeoutAt({} as any, body), TypeError);
    catchError(() => timeoutAt(NaN, body), RangeError);
    const out = vrun(
      (function* () {
        const [e] = yield* errorOf(timeout(10, (() => 42) as any));
        let bad: unknown = null;
        yield* timeout(10, function* (cm) {
          bad = catchError(() => cm.reschedule("soon" as any), TypeError);
        });
        return [(e as Error).message, bad instanceof TypeError];
      })(),
    );
    expect(out[0]).to.match(/timeout: the body must return a coroutine/);
    expect(out[1]).to.equal(true);
    expect(timeout(10, body)).to.deep.include({ kind: "timeout", delay: 10 });
    expect(timeoutAt(null, body)).to.deep.include({ kind: "timeoutAt", when: null });
  });

  it("the body may return any awaitable, e.g. an effect", () => {
    const out = vrun(
      (function* () {
        const a = yield* timeout(100, () => sleep(10, "v"));
        const [e] = yield* errorOf(timeout(100, () => new Future<void>()));
        return [a, (e as Error).name, now()];
      })(),
    );
    expect(out).to.deep.equal(["v", "TimeoutError", 110]);
  });
});
