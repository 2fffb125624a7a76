import { VirtualClock, type Clock } from "../clock.js";
import { formatTaskTree } from "../graph/task-tree.js";
import { describeValue, isGenerator } from "../describe.js";
import type { EffectHandlers } from "../effects/custom.js";
import { RuntimeError } from "../errors.js";
import { RealClock } from "../hosts/real-clock.js";
import type { Logger } from "../log.js";
import { EventLoop, type ExceptionContext } from "../loop.js";
import { realm } from "../running.js";
import { checkScheduleSeed } from "../schedule-shuffle.js";
import type { Task } from "../task.js";
import type { Coroutine } from "../types.js";
import { FakeHost } from "./fake-host.js";

/** What a test body is given. */
export interface TestContext {
  /** The test's own loop (fresh for each run). */
  readonly loop: EventLoop;
  /** Its clock: a `VirtualClock` unless the options gave another. */
  readonly clock: Clock;
  /** Fake host operations for this test (see `FakeHost`). */
  readonly host: FakeHost;
  /** The schedule seed of this run, or null for asyncio's order. */
  readonly seed: number | null;
}

/** A test written as a generator function. */
export type TestBody<T = unknown> = (t: TestContext) => Coroutine<T>;

/** Options of `runTest` and of the tests `withGenerators` declares. */
export interface TestOptions {
  /** Where time comes from; a fresh `VirtualClock` by default (sleeps take no real time). */
  clock?: Clock;
  /** Loop time (ms) the test may use; it fails as soon as its next wake-up is later. Default 3 600 000 (an hour). */
  timeLimit?: number;
  /** Real time (ms) the test may take, checked at every loop step. Default 1 500 (under mocha's 2 s timeout). */
  wallLimit?: number;
  /** Loop iterations the test may take (catches busy loops that never let time pass). Default 1 000 000. */
  stepLimit?: number;
  /**
   * What happens to tasks still pending when the body has returned: "fail" (the default) fails
   * the test naming them; "cancel" cancels them quietly, as `run()` does. Either way they are
   * cancelled and their cleanup runs before the test ends.
   */
  leaks?: "fail" | "cancel";
  /** Seeded order of equal-deadline timers (see `explore`); unset: asyncio's order. */
  scheduleSeed?: number;
  /** Debug mode on the test's loop (tasks remember where they were created). */
  debug?: boolean;
  /** Handlers for user-defined effect kinds (see `defineEffect`); `t.host.handle(kind)` fakes one. */
  effects?: EffectHandlers;
  /** Where the loop writes warnings; errors it reports always fail the test. */
  logger?: Logger;
}

/** Why a test kit run failed, besides the body's own error. */
export type TestFailureReason = "deadlock" | "time-limit" | "wall-limit" | "step-limit" | "leak" | "reported-error";

/**
 * A test that could not finish or left something behind. The message names every pending task
 * and what it waits on (`tasks` holds that tree alone).
 */
export class TestFailure extends RuntimeError {
  /**
   * @param reason why it failed.
   * @param tasks the task tree: one line per pending task and what it waits on ("" for none).
   * @param message the whole message, tree included.
   * @param cause the error behind it, for "reported-error".
   */
  constructor(
    readonly reason: TestFailureReason,
    readonly tasks: string,
    message: string,
    cause?: unknown,
  ) {
    super(message, arguments.length > 3 ? { cause } : undefined);
  }
}

const defaults = { timeLimit: 3_600_000, wallLimit: 1_500, stepLimit: 1_000_000 };

/**
 * Runs a test body on a fresh loop (a `VirtualClock` by default) until it returns, and returns
 * its result or throws its error. The test fails at once, never at the runner's timeout, with a
 * `TestFailure` naming every pending task and what it waits on when: nothing can ever wake the
 * loop (deadlock), its next wake-up is past `timeLimit` of loop time, it took `wallLimit` ms of
 * real time or `stepLimit` iterations, tasks are still pending when the body returns (unless
 * `leaks: "cancel"`), or the loop reported an error (an exception nobody retrieved, a failing
 * callback). Pending tasks are always cancelled and cleaned up, and the loop closed.
 *
 * @param body a generator function, called with the test's context (`loop`, `clock`, `host`, `seed`).
 * @param options limits, clock, leak policy, schedule seed.
 * @returns what the body returns.
 * @throws TestFailure as above; TypeError/RangeError for bad arguments; RuntimeError if a loop is running.
 * @example
 * ```ts
 * import { sleep } from "genloop";
 * import { runTest } from "genloop/testing";
 *
 * runTest(function* (t) {
 *   yield* sleep(60_000); // a minute of virtual time, no real time
 *   if (t.loop.time() !== 60_000) throw new Error("the clock did not jump");
 * });
 * ```
 */
export function runTest<T>(body: TestBody<T>, options: TestOptions = {}): T {
  if (typeof body !== "function") {
    throw new TypeError(`runTest: the test body must be a generator function (function* (t) { … }), got ${describeValue(body)}`);
  }
  const limits = checkOptions("runTest", options);
  if (realm.runningLoop !== null) {
    throw new RuntimeError("runTest: cannot run a test from inside a running event loop");
  }
  const clock = options.clock ?? new VirtualClock();
  const seed = options.scheduleSeed === undefined ? null : options.scheduleSeed;
  const loop = new EventLoop({
    clock,
    debug: options.debug,
    logger: options.logger,
    effects: options.effects,
    scheduleSeed: options.scheduleSeed,
  });
  const reports: ExceptionContext[] = [];
  loop.setExceptionHandler((_loop, context) => {
    reports.push(context);
  });
  const host = new FakeHost(loop);
  const run = new TestRun(loop, clock, host, limits);
  let failed = false;
  let failure: unknown;
  let result: T | undefined;
  try {
    const coro = body({ loop, clock, host, seed });
    if (!isGenerator(coro)) {
      throw new TypeError(`runTest: the test body must be a generator function (function* (t) { … }); it returned ${describeValue(coro)}`);
    }
    const main = loop.createTask(coro, { name: "test body" });
    run.until(() => main.done(), "the test body to finish");
    result = main.result(); // throws the body's error (any value) or CancelledError
    // The body passed: tasks it left running (not already being cancelled) are a failure.
    const leftovers = Array.from(loop._tasks).filter((task) => task.cancelling() === 0);
    if (leftovers.length > 0 && limits.leaks === "fail") {
      const tree = run.tree();
      throw new TestFailure(
        "leak",
        tree,
        `the test body returned at ${loop.time()} ms but left ${leftovers.length} task(s) running ` +
          `(await them, cancel them, or use a task group; leaks: "cancel" allows this):\n${tree}`,
      );
    }
  } catch (error) {
    failed = true;
    failure = error;
  } finally {
    try {
      run.cleanUp();
    } catch (error) {
      if (!failed) {
        failed = true;
        failure = error;
      }
    }
    loop.close();
  }
  if (failed) throw failure;
  if (reports.length > 0) throw reportedFailure(reports);
  return result as T;
}

interface Limits {
  timeLimit: number;
  wallLimit: number;
  stepLimit: number;
  leaks: "fail" | "cancel";
}

/** Drives one test's loop step by step, checking the limits between steps. */
class TestRun {
  private readonly startTime: number;
  private readonly wall = new RealClock();
  private readonly wallStart: number;
  private steps = 0;

  constructor(
    private readonly loop: EventLoop,
    private readonly clock: Clock,
    private readonly host: FakeHost,
    private readonly limits: Limits,
  ) {
    this.startTime = loop.time();
    this.wallStart = this.wall.now();
  }

  /** Runs loop iterations until `done()`; throws a `TestFailure` when stuck or over a limit. */
  until(done: () => boolean, what: string): void {
    const { loop, limits } = this;
    while (!done()) {
      const next = loop.nextDeadline();
      if (next === null) {
        throw this.stuck("deadlock", `deadlock at ${loop.time()} ms while waiting for ${what}: nothing is scheduled and nothing can wake the loop`);
      }
      if (next - this.startTime > limits.timeLimit) {
        throw this.stuck(
          "time-limit",
          `the test exceeded its time limit of ${limits.timeLimit} ms of loop time while waiting for ${what} ` +
            `(next wake-up at ${next} ms; raise timeLimit if that is expected)`,
        );
      }
      this.waitUntil(next);
      loop.step();
      if (++this.steps > limits.stepLimit) {
        throw this.stuck("step-limit", `the test exceeded its step limit of ${limits.stepLimit} loop iterations at ${loop.time()} ms while waiting for ${what}`);
      }
      const took = this.wall.now() - this.wallStart;
      if (took > limits.wallLimit) {
        throw this.stuck("wall-limit", `the test exceeded its wall-clock limit of ${limits.wallLimit} ms (took ${Math.round(took)} ms) while waiting for ${what}`);
      }
    }
  }

  /** Cancels every pending task and runs their cleanup, within the same limits. */
  cleanUp(): void {
    const loop = this.loop;
    const leftovers: Task<unknown>[] = Array.from(loop._tasks);
    if (leftovers.length === 0) return;
    for (const task of leftovers) task.cancel();
    this.until(() => loop._tasks.size === 0, "the cancelled tasks' cleanup");
  }

  /** The loop's task tree, then the fake host operations its tasks still wait for. */
  tree(): string {
    const tree = formatTaskTree(this.loop);
    const calls = this.host._describePending();
    return calls === "" ? tree : `${tree}\nfake host operations never completed:\n${calls}`;
  }

  private stuck(reason: TestFailureReason, headline: string): TestFailure {
    const tree = this.tree();
    const count = this.loop._tasks.size;
    return new TestFailure(reason, tree, `${headline}; ${count} pending task(s):\n${tree}`);
  }

  private waitUntil(when: number): void {
    const clock = this.clock;
    if (when <= clock.now()) return;
    if (clock.sleepUntil) clock.sleepUntil(when);
    else if (clock.sleep) clock.sleep(when - clock.now());
  }
}

function reportedFailure(reports: readonly ExceptionContext[]): TestFailure {
  const lines = reports.map((context) => {
    const where = context.task ? ` (task "${context.task.getName()}")` : "";
    return "exception" in context ? `${context.message}${where}: ${describeError(context.exception)}` : `${context.message}${where}`;
  });
  const first = reports[0];
  return new TestFailure(
    "reported-error",
    "",
    `the loop reported ${reports.length} error(s) during the test:\n${lines.map((l) => `  - ${l}`).join("\n")}`,
    "exception" in first ? first.exception : undefined,
  );
}

/** @internal "Name: message" of an error, or a description of any other thrown value. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : `${describeValue(error)} was thrown`;
}

/** @internal Validates the options of `runTest` / `explore` / adapters and fills in the defaults. */
export function checkOptions(where: string, options: TestOptions): Limits {
  if (options === null || typeof options !== "object") {
    throw new TypeError(`${where}: options must be an object like { timeLimit, wallLimit }, got ${describeValue(options)}`);
  }
  const limit = (name: "timeLimit" | "wallLimit" | "stepLimit"): number => {
    const value = options[name];
    if (value === undefined) return defaults[name];
    if (typeof value !== "number" || !(value > 0)) {
      throw new RangeError(`${where}: ${name} must be a positive number (or Infinity), got ${describeValue(value)}`);
    }
    return value;
  };
  const leaks = options.leaks ?? "fail";
  if (leaks !== "fail" && leaks !== "cancel") {
    throw new RangeError(`${where}: leaks must be "fail" or "cancel", got ${describeValue(leaks)}`);
  }
  const clock = options.clock;
  if (clock !== undefined && (clock === null || typeof clock.now !== "function" || (typeof clock.sleepUntil !== "function" && typeof clock.sleep !== "function"))) {
    throw new TypeError(`${where}: clock must have now() and sleepUntil(when) or sleep(ms), like a VirtualClock, got ${describeValue(clock)}`);
  }
  if (options.scheduleSeed !== undefined) checkScheduleSeed(where, options.scheduleSeed);
  return { timeLimit: limit("timeLimit"), wallLimit: limit("wallLimit"), stepLimit: limit("stepLimit"), leaks };
}
