import { describeValue } from "../describe.js";
import { GenloopError } from "../errors.js";
import { RealClock } from "../hosts/real-clock.js";
import { checkScheduleSeed } from "../schedule-shuffle.js";
import { checkOptions, describeError, runTest, type TestBody, type TestOptions } from "./run-test.js";

/** Where an exploration stands, given to `progress`. */
export interface ExploreProgress {
  /** Seeds run so far (all passed). */
  readonly tried: number;
  /** Seeds to run in all. */
  readonly total: number;
  /** The last seed run. */
  readonly seed: number;
  /** Real time spent so far, in ms. */
  readonly elapsedMs: number;
}

/** Options of `explore`: a test's options, and which seeds to try. */
export interface ExploreOptions extends Omit<TestOptions, "scheduleSeed"> {
  /** How many seeds to try (0, 1, … n-1), or the list of seeds to run. Default 100. */
  seeds?: number | readonly number[];
  /** Called at most once per `progressInterval` of real time, and once at the end when all pass. */
  progress?: (report: ExploreProgress) => void;
  /** Real ms between two `progress` calls. Default 1 000. */
  progressInterval?: number;
}

/** The outcome of an exploration that found no failure. */
export interface ExploreReport {
  /** The seeds run, in order. */
  readonly seeds: readonly number[];
}

/** A test failed under one schedule seed; replay it with `{ seeds: [seed] }` or `{ scheduleSeed: seed }`. */
export class ScheduleFailure extends GenloopError {
  /**
   * @param seed the seed whose schedule failed.
   * @param tried how many seeds ran, this one included.
   * @param error what the test threw under that schedule (also the `cause`).
   * @param message the whole message.
   */
  constructor(
    readonly seed: number,
    readonly tried: number,
    readonly error: unknown,
    message: string,
  ) {
    super(message, { cause: error });
  }
}

/**
 * Runs the test body once per schedule seed (`runTest` with `scheduleSeed`), stopping at the
 * first failure: under each seed, timers due at the same time and the tasks they wake run in a
 * different order that asyncio could also produce. A seed always replays the same schedule.
 *
 * @param body the test, a generator function (as for `runTest`).
 * @param options `seeds` (a count or a list), `progress`, and the options of `runTest`.
 * @returns the seeds run, when every one passed.
 * @throws ScheduleFailure at the first failing seed; its message gives the seed, the error, and
 *   a one-line replay (`explore(body, { seeds: [17] })`).
 * @example
 * ```ts
 * import { createTask, gather, sleep } from "genloop";
 * import { explore } from "genloop/testing";
 *
 * explore(function* () {
 *   const order: string[] = [];
 *   const log = (name: string) => function* () { yield* sleep(10); order.push(name); };
 *   yield* gather(createTask(log("a")()), createTask(log("b")()));
 *   if (order.length !== 2) throw new Error("a task did not run");
 * }, { seeds: 20 });
 * ```
 */
export function explore(body: TestBody<unknown>, options: ExploreOptions = {}): ExploreReport {
  if (typeof body !== "function") {
    throw new TypeError(`explore: the test body must be a generator function (function* (t) { … }), got ${describeValue(body)}`);
  }
  checkOptions("explore", options);
  const { seeds: seedsOption, progress, progressInterval, ...testOptions } = options as ExploreOptions & { scheduleSeed?: unknown };
  if ("scheduleSeed" in testOptions) {
    throw new TypeError("explore: give the seeds as { seeds: n } or { seeds: [a, b] }, not scheduleSeed");
  }
  const seeds = seedList(seedsOption);
  if (progress !== undefined && typeof progress !== "function") {
    throw new TypeError(`explore: progress must be a function ({ tried, total, seed, elapsedMs }) => void, got ${describeValue(progress)}`);
  }
  const interval = progressInterval ?? 1_000;
  if (typeof interval !== "number" || !(interval >= 0)) {
    throw new RangeError(`explore: progressInterval must be a number of ms >= 0, got ${describeValue(interval)}`);
  }
  const wall = new RealClock();
  const start = wall.now();
  let lastReport = start;
  for (let i = 0; i < seeds.length; i++) {
    const seed = seeds[i];
    try {
      runTest(body, { ...testOptions, scheduleSeed: seed });
    } catch (error) {
      throw new ScheduleFailure(
        seed,
        i + 1,
        error,
        `failed under schedule seed ${seed} (seed ${i + 1} of ${seeds.length} tried): ${describeError(error)}\n` +
          `replay exactly this schedule with explore(test, { seeds: [${seed}] }) or runTest(test, { scheduleSeed: ${seed} })`,
      );
    }
    const now = wall.now();
    if (progress !== undefined && (now - lastReport >= interval || i === seeds.length - 1)) {
      lastReport = now;
      progress({ tried: i + 1, total: seeds.length, seed, elapsedMs: now - start });
    }
  }
  return { seeds };
}

function seedList(seeds: number | readonly number[] | undefined): readonly number[] {
  if (seeds === undefined) seeds = 100;
  if (typeof seeds === "number") {
    if (!(seeds >= 1) || Math.floor(seeds) !== seeds) {
      throw new RangeError(`explore: seeds must be a whole number of seeds to try (>= 1) or a list of seeds, got ${describeValue(seeds)}`);
    }
    const list: number[] = [];
    for (let i = 0; i < seeds; i++) list.push(i);
    return list;
  }
  if (!Array.isArray(seeds) || seeds.length === 0) {
    throw new TypeError(`explore: seeds must be a count or a non-empty list of seeds, got ${describeValue(seeds)}`);
  }
  for (const seed of seeds) checkScheduleSeed("explore", seed);
  return seeds.slice();
}
