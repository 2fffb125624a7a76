// genloop/schedules: schedules, retry and repeat on a virtual clock.
import { expect } from "chai";
import { createTask, sleep, waitFor, CancelledError, TimeoutError } from "../../lib/index.js";
import { Schedule, retry, repeat, seededRandom, type RetryEvent } from "../../lib/schedules/index.js";
import { type Co, vrun, now } from "../helpers.js";

class Transient extends Error {}
class Fatal extends Error {}

/** An attempt that records its start time and fails with `errors[n - 1]` (succeeds past the list). */
function attempts(errors: unknown[], latency = 0, starts: number[] = []) {
  return {
    starts,
    make: (n: number): Co<string> =>
      (function* () {
        starts.push(now());
        yield* sleep(latency);
        if (n <= errors.length) throw errors[n - 1];
        return `ok on attempt ${n}`;
      })(),
  };
}

describe("schedules: Schedule", () => {
  it("fixed, exponential, cappedAt, maxAttempts", () => {
    expect(Schedule.fixed(50).preview(4)).to.deep.equal([50, 50, 50, 50]);
    expect(Schedule.exponential(100).preview(5)).to.deep.equal([100, 200, 400, 800, 1600]);
    expect(Schedule.exponential(10, 3).cappedAt(200).preview(5)).to.deep.equal([10, 30, 90, 200, 200]);
    expect(Schedule.exponential(100).maxAttempts(3).preview(10)).to.deep.equal([100, 200]);
    expect(Schedule.fixed(1).maxAttempts(1).preview(10)).to.deep.equal([]);
  });

  it("maxElapsed: no attempt starts more than the limit after the first", () => {
    expect(Schedule.exponential(100).maxElapsed(700).preview(10)).to.deep.equal([100, 200, 400]);
    expect(Schedule.exponential(100).maxElapsed(699).preview(10)).to.deep.equal([100, 200]);
  });

  it("jittered: delays shortened by a factor in (1 - ratio, 1] from the seeded generator; same seed, same delays", () => {
    const base = Schedule.exponential(100).cappedAt(1000);
    const jittered = base.jittered(42, 0.5);
    const random = seededRandom(42);
    const expected = base.preview(6).map((d) => d * (1 - 0.5 * random()));
    expect(jittered.preview(6)).to.deep.equal(expected);
    expect(jittered.preview(6)).to.deep.equal(expected); // each use starts the generator anew
    expect(base.jittered(43, 0.5).preview(6)).to.not.deep.equal(expected);
    for (const [d, full] of jittered.preview(6).map((d, i) => [d, base.preview(6)[i]])) {
      expect(d).to.be.greaterThan(full * 0.5).and.at.most(full);
    }
    expect(base.jittered(1, 0).preview(3)).to.deep.equal([100, 200, 400]);
    // A shared generator: successive uses differ, and the whole sequence replays from its seed.
    const shared = seededRandom(42);
    const sharing = base.jittered(shared, 0.5);
    const first = sharing.preview(3);
    const second = sharing.preview(3);
    expect(first).to.deep.equal(jittered.preview(3));
    expect(second).to.not.deep.equal(first);
    const replay = seededRandom(42);
    expect(second).to.deep.equal([0, 1, 2, 3, 4, 5].map((i) => base.preview(6)[i % 3] * (1 - 0.5 * replay())).slice(3));
  });

  it("seededRandom gives the same sequence for a seed, in [0, 1)", () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).to.deep.equal(Array.from({ length: 1000 }, () => b()));
    expect(Math.min(...xs)).to.be.at.least(0);
    expect(Math.max(...xs)).to.be.below(1);
    expect(seededRandom(1)()).to.equal(0.6270739405881613); // mulberry32's first output for seed 1
  });

  it("is immutable: each method returns a new schedule", () => {
    const s = Schedule.fixed(10);
    const limited = s.maxAttempts(2);
    expect(s.preview(3)).to.deep.equal([10, 10, 10]);
    expect(limited.preview(3)).to.deep.equal([10]);
    expect(Object.isFrozen(s)).to.equal(true);
  });

  it("rejects bad arguments with errors naming them", () => {
    expect(() => Schedule.fixed(-1)).to.throw(RangeError, /Schedule.fixed: delayMs must be >= 0 ms, got -1/);
    expect(() => Schedule.fixed("1" as never)).to.throw(TypeError, /delayMs must be a number/);
    expect(() => Schedule.exponential(NaN)).to.throw(RangeError, /baseMs must be >= 0/);
    expect(() => Schedule.exponential(1, 0.5)).to.throw(RangeError, /factor must be a finite number >= 1/);
    expect(() => Schedule.fixed(1).maxAttempts(0)).to.throw(RangeError, /count must be a whole number >= 1/);
    expect(() => Schedule.fixed(1).jittered(Infinity)).to.throw(TypeError, /random must be a finite seed or a function/);
    expect(() => Schedule.fixed(1).jittered(1, 2)).to.throw(RangeError, /ratio must be a number from 0 to 1/);
    expect(() => Schedule.fixed(1).retryIf(true as never)).to.throw(TypeError, /predicate must be a function/);
    expect(() => seededRandom(NaN)).to.throw(TypeError, /seed must be a finite number/);
  });
});

describe("schedules: retry", () => {
  it("exact attempt times on a virtual clock for a seed (exponential, cap, jitter, max attempts)", () => {
    const schedule = Schedule.exponential(100).cappedAt(1000).jittered(2024, 0.5).maxAttempts(6);
    const a = attempts([1, 2, 3, 4, 5, 6].map((n) => new Transient(`#${n}`)), 10);
    const events: RetryEvent[] = [];
    const out = vrun(
      (function* () {
        yield* sleep(1000); // the retry starts at 1000
        try {
          return yield* retry(a.make, schedule, { onRetry: (e) => void events.push(e) });
        } catch (e) {
          return `gave up at ${now()} with ${(e as Error).message}`;
        }
      })(),
    );
    // Each start = previous start + 10 ms of attempt + that delay: 100, 200, 400, 800, then the
    // cap (1000), each times (1 - 0.5 r) with r the seeded generator's next number.
    const random = seededRandom(2024);
    const delays = [100, 200, 400, 800, 1000].map((d) => d * (1 - 0.5 * random()));
    expect(schedule.preview(5)).to.deep.equal(delays);
    const expected = [1000];
    for (const d of delays) expected.push(expected[expected.length - 1] + 10 + d);
    expect(a.starts).to.deep.equal(expected);
    expect(a.starts.map((t) => Math.round(t * 1000) / 1000)).to.deep.equal([1000, 1069.412, 1208.33, 1488.225, 2024.094, 2774.624]);
    expect(out).to.equal(`gave up at ${expected[5] + 10} with #6`);
    expect(events.map((e) => [e.attempt, (e.error as Error).message, e.delay])).to.deep.equal(delays.map((d, i) => [i + 1, `#${i + 1}`, d]));
  });

  it("returns the first success", () => {
    const a = attempts([new Transient("a"), new Transient("b")]);
    const out = vrun(retry(a.make, Schedule.fixed(100)));
    expect([out, a.starts]).to.deep.equal(["ok on attempt 3", [0, 100, 200]]);
  });

  it("a non-retryable error stops at once, thrown as it is", () => {
    const a = attempts([new Transient("t"), new Fatal("403")]);
    const fatal = new Fatal("403");
    const b = attempts([fatal]);
    const isTransient = (e: unknown) => e instanceof Transient;
    const out = vrun(
      (function* () {
        const errors: unknown[] = [];
        for (const x of [a, b]) {
          try {
            yield* retry(x.make, Schedule.fixed(100).retryIf(isTransient));
          } catch (e) {
            errors.push(e);
          }
        }
        return errors;
      })(),
    );
    expect(a.starts).to.deep.equal([0, 100]);
    expect(b.starts).to.deep.equal([100]); // a's fatal error at 100 stopped it at once
    expect(out[1]).to.equal(fatal);
    expect(out[0]).to.be.instanceOf(Fatal);
  });

  it("maxElapsed: stops when the next attempt would start too late", () => {
    const a = attempts(Array.from({ length: 10 }, () => new Transient("t")), 50);
    vrun(
      (function* () {
        try {
          yield* retry(a.make, Schedule.fixed(100).maxElapsed(400));
        } catch {
          // gave up
        }
      })(),
    );
    expect(a.starts).to.deep.equal([0, 150, 300]);
  });

  it("any thrown value counts as a failure, null and undefined included", () => {
    const a = attempts([null, undefined, 0]);
    expect(vrun(retry(a.make, Schedule.fixed(1)))).to.equal("ok on attempt 4");
  });

  it("retries a per-attempt timeout (waitFor) like any error", () => {
    let n = 0;
    const out = vrun(
      retry(
        () =>
          waitFor(
            (function* () {
              n++;
              yield* sleep(n === 1 ? 5000 : 10);
              return `attempt ${n} at ${now()}`;
            })(),
            1000,
          ),
        Schedule.fixed(100).retryIf((e) => e instanceof TimeoutError),
      ),
    );
    expect(out).to.equal("attempt 2 at 1110");
  });

  it("cancelling during a backoff sleep ends the retry at once; finally blocks run; no more attempts", () => {
    const a = attempts(Array.from({ length: 10 }, () => new Transient("t")));
    const out = vrun(
      (function* () {
        const log: string[] = [];
        const task = createTask(
          (function* () {
            try {
              return yield* retry(a.make, Schedule.fixed(1000));
            } finally {
              log.push(`finally at ${now()}`);
            }
          })(),
        );
        yield* sleep(1500); // attempts at 0 and 1000; now in the second backoff
        task.cancel("user left");
        let error: unknown = null;
        try {
          yield task;
        } catch (e) {
          error = e;
        }
        yield* sleep(5000);
        return [log, error instanceof CancelledError && (error as Error).message, a.starts];
      })(),
    );
    expect(out).to.deep.equal([["finally at 1500"], "user left", [0, 1000]]);
  });

  it("a CancelledError from an attempt is never retried", () => {
    const a = attempts([new CancelledError("inner")]);
    const out = vrun(
      (function* () {
        try {
          yield* retry(a.make, Schedule.fixed(1));
          return "no error";
        } catch (e) {
          return e instanceof CancelledError ? "cancelled" : String(e);
        }
      })(),
    );
    expect([out, a.starts]).to.deep.equal(["cancelled", [0]]);
  });

  it("rejects bad arguments; a function that returns nothing awaitable is an error, not retried", () => {
    const s = Schedule.fixed(1);
    expect(() => retry(42 as never, s)).to.throw(TypeError, /retry: the first argument must be a function/);
    expect(() => retry((function* () {})() as never, s)).to.throw(TypeError, /a coroutine runs once/);
    expect(() => retry(() => sleep(1), { next: () => 1 } as never)).to.throw(TypeError, /retry: a Schedule was expected/);
    expect(() => retry(() => sleep(1), s, { onRetry: 1 as never })).to.throw(TypeError, /onRetry must be a function/);
    let calls = 0;
    expect(() =>
      vrun(
        retry(() => {
          calls++;
          return 5 as never;
        }, s),
      ),
    ).to.throw(TypeError, /retry: the function must return a coroutine, an effect or a future/);
    expect(calls).to.equal(1);
  });
});

describe("schedules: repeat", () => {
  it("runs on a schedule until it stops, returning the last value", () => {
    const starts: number[] = [];
    const out = vrun(
      repeat(
        (n) =>
          (function* () {
            starts.push(now());
            yield* sleep(5);
            return n;
          })(),
        Schedule.fixed(100).maxAttempts(4),
      ),
    );
    expect([out, starts]).to.deep.equal([4, [0, 105, 210, 315]]);
  });

  it("until: stops after the run whose value satisfies it (polling)", () => {
    const out = vrun(
      repeat((n) => sleep(0, { done: n === 3, n }), Schedule.exponential(10), { until: (v) => v.done }),
    );
    expect(out).to.deep.equal({ done: true, n: 3 });
  });

  it("an error from a run ends it at once", () => {
    let runs = 0;
    expect(() =>
      vrun(
        repeat(
          () =>
            (function* () {
              runs++;
              yield* sleep(1);
              if (runs === 2) throw new Fatal("stop");
            })(),
          Schedule.fixed(10),
        ),
      ),
    ).to.throw(Fatal, "stop");
    expect(runs).to.equal(2);
    expect(() => repeat(() => sleep(1), Schedule.fixed(1), { until: 3 as never })).to.throw(TypeError, /until must be a function/);
  });
});
