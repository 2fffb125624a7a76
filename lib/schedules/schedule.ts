import { describeValue } from "../describe.js";
import { isWholeNumber } from "../sync/whole-number.js";
import { seededRandom } from "./seeded-random.js";

/** What a schedule decides on after each attempt. */
export interface ScheduleInput {
  /** The attempt that just ended: 1 for the first. */
  readonly attempt: number;
  /** Loop time (ms) from the start of the first attempt to now. */
  readonly elapsed: number;
  /** Whether the attempt failed (for `retry`; `repeat` only asks after successes). */
  readonly failed: boolean;
  /** Its error, when it failed. */
  readonly error?: unknown;
}

/** One use of a schedule (a `retry` or `repeat` call): holds the state of its own jitter generator. */
export interface ScheduleRun {
  /** The delay (ms) before the next attempt, or null to stop. */
  next(input: ScheduleInput): number | null;
}

/** How a delay grows with the number of the attempt that just ended (1, 2, …). */
type Growth = (attempt: number) => number;

interface Jitter {
  /** A seed (a fresh generator per use) or a generator shared by every use. */
  readonly source: number | (() => number);
  readonly ratio: number;
}

/**
 * A retry/repeat schedule: how long to wait before each next attempt, and when to stop.
 * Immutable: each method returns a new schedule, so they compose by chaining:
 * `Schedule.exponential(100).cappedAt(5000).jittered(42).maxAttempts(5).retryIf(isTransient)`.
 *
 * The delay after attempt n is `growth(n)`, capped at `cap`, then shortened by the jitter
 * (a factor in (1 − ratio, 1] from a seeded generator, so a schedule replays exactly); the
 * schedule stops when the error fails the predicate, after `maxAttempts`
 * attempts, or when the next attempt would start more than `maxElapsed` ms after the first.
 */
export class Schedule {
  private constructor(
    private readonly growth: Growth,
    private readonly cap: number,
    private readonly jitter: Jitter | null,
    private readonly attempts: number,
    private readonly elapsed: number,
    private readonly predicate: ((error: unknown) => boolean) | null,
  ) {
    Object.freeze(this);
  }

  /**
   * The same delay before every next attempt, with no limit until one is added.
   * @param delayMs the delay in ms (>= 0)
   * @throws RangeError / TypeError for a negative, NaN or non-number delay
   */
  static fixed(delayMs: number): Schedule {
    const delay = checkMs("Schedule.fixed", "delayMs", delayMs);
    return new Schedule(() => delay, Infinity, null, Infinity, Infinity, null);
  }

  /**
   * Delays that grow exponentially: `baseMs`, `baseMs × factor`, `baseMs × factor²`, …
   * @param baseMs the first delay in ms (>= 0)
   * @param factor the growth factor (>= 1, default 2)
   * @throws RangeError / TypeError for bad numbers
   * @example
   * Schedule.exponential(100).cappedAt(2000).maxAttempts(6) // waits 100, 200, 400, 800, 1600
   */
  static exponential(baseMs: number, factor = 2): Schedule {
    const base = checkMs("Schedule.exponential", "baseMs", baseMs);
    if (typeof factor !== "number" || !(factor >= 1) || factor === Infinity) {
      throw new RangeError(`Schedule.exponential: factor must be a finite number >= 1, got ${describeValue(factor)}`);
    }
    return new Schedule((n) => base * Math.pow(factor, n - 1), Infinity, null, Infinity, Infinity, null);
  }

  /**
   * No delay longer than `maxDelayMs`.
   * @throws RangeError / TypeError for a negative, NaN or non-number value
   */
  cappedAt(maxDelayMs: number): Schedule {
    const cap = checkMs("Schedule.cappedAt", "maxDelayMs", maxDelayMs);
    return new Schedule(this.growth, cap, this.jitter, this.attempts, this.elapsed, this.predicate);
  }

  /**
   * Shortens each delay by a random factor in (1 − ratio, 1]. `ratio` 1 is "full jitter"
   * (uniform up to the delay); 0 changes nothing. The random numbers come from `random`:
   * - a seed: each use (each `retry` call) draws from its own `seededRandom(seed)`, so every
   *   use waits exactly the same delays;
   * - a function giving numbers in [0, 1), shared by every use: `seededRandom(seed)` makes
   *   concurrent retries differ (no thundering herd) while a whole run on a `VirtualClock`
   *   still replays exactly; `Math.random` for real randomness.
   * @param random a seed, or a function giving numbers in [0, 1)
   * @param ratio how much of each delay may be cut (0 to 1, default 1)
   * @throws TypeError / RangeError for a non-finite seed, a non-function, or a ratio outside [0, 1]
   */
  jittered(random: number | (() => number), ratio = 1): Schedule {
    if (typeof random !== "function" && (typeof random !== "number" || !isFinite(random))) {
      throw new TypeError(`Schedule.jittered: random must be a finite seed or a function giving numbers in [0, 1), got ${describeValue(random)}`);
    }
    if (typeof ratio !== "number" || !(ratio >= 0 && ratio <= 1)) {
      throw new RangeError(`Schedule.jittered: ratio must be a number from 0 to 1, got ${describeValue(ratio)}`);
    }
    return new Schedule(this.growth, this.cap, { source: random, ratio }, this.attempts, this.elapsed, this.predicate);
  }

  /**
   * At most `count` attempts in all (the first included).
   * @throws RangeError unless `count` is a whole number >= 1
   */
  maxAttempts(count: number): Schedule {
    if (typeof count !== "number" || !isWholeNumber(count) || count < 1) {
      throw new RangeError(`Schedule.maxAttempts: count must be a whole number >= 1, got ${describeValue(count)}`);
    }
    return new Schedule(this.growth, this.cap, this.jitter, count, this.elapsed, this.predicate);
  }

  /**
   * No attempt starts more than `ms` after the first one started (loop time).
   * @throws RangeError / TypeError for a negative, NaN or non-number value
   */
  maxElapsed(ms: number): Schedule {
    const limit = checkMs("Schedule.maxElapsed", "ms", ms);
    return new Schedule(this.growth, this.cap, this.jitter, this.attempts, limit, this.predicate);
  }

  /**
   * Retries only errors for which `predicate(error)` is true: any other stops at once (a
   * non-retryable error). Replaces a predicate set before.
   * @throws TypeError when `predicate` is not a function
   */
  retryIf(predicate: (error: unknown) => boolean): Schedule {
    if (typeof predicate !== "function") {
      throw new TypeError(`Schedule.retryIf: predicate must be a function (error) => boolean, got ${describeValue(predicate)}`);
    }
    return new Schedule(this.growth, this.cap, this.jitter, this.attempts, this.elapsed, predicate);
  }

  /** Starts one use of the schedule (what `retry` and `repeat` do at each call). */
  start(): ScheduleRun {
    const source = this.jitter === null ? null : this.jitter.source;
    const random = source === null ? null : typeof source === "function" ? source : seededRandom(source);
    return {
      next: (input: ScheduleInput): number | null => {
        if (input.failed && this.predicate !== null && !this.predicate(input.error)) return null;
        if (input.attempt >= this.attempts) return null;
        let delay = Math.min(this.growth(input.attempt), this.cap);
        if (random !== null && this.jitter !== null) delay *= 1 - this.jitter.ratio * random();
        if (input.elapsed + delay > this.elapsed) return null;
        return delay;
      },
    };
  }

  /**
   * The delays a fresh use would wait after `count` attempts in a row that take no
   * time and whose errors pass `retryIf` (fewer if the schedule stops first): to read a schedule.
   */
  preview(count: number): number[] {
    const run = this.start();
    const delays: number[] = [];
    let elapsed = 0;
    for (let attempt = 1; attempt <= count; attempt++) {
      const delay = run.next({ attempt, elapsed, failed: false });
      if (delay === null) break;
      delays.push(delay);
      elapsed += delay;
    }
    return delays;
  }
}

function checkMs(where: string, name: string, value: unknown): number {
  if (typeof value !== "number") throw new TypeError(`${where}: ${name} must be a number of milliseconds, got ${describeValue(value)}`);
  if (!(value >= 0)) throw new RangeError(`${where}: ${name} must be >= 0 ms, got ${describeValue(value)}`);
  return value;
}
