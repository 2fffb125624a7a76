import { describeValue, isOptionsBag } from "../describe.js";
import { EventLoop } from "../loop.js";

/** Options of `runDue`. */
export interface RunDueOptions {
  /** Stop starting new iterations once this much loop time has passed (default: no limit). */
  budgetMs?: number;
  /** Run at most this many iterations (default: no limit). */
  maxIterations?: number;
}

/** What `runDue` did, and when to call it again. */
export interface RunDueResult {
  /** How many loop iterations ran. */
  iterations: number;
  /** `loop.nextDeadline()` afterwards: when to call again (null: only an outside event can wake it). */
  nextDeadline: number | null;
}

/** @internal A limit of runDue's options: a non-negative number, Infinity when not given. */
export function checkLimit(where: string, what: string, value: unknown): number {
  if (value === undefined) return Infinity;
  if (typeof value !== "number" || value !== value || value < 0) {
    throw new RangeError(`${where}: ${what} must be a non-negative number, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * Runs the loop's iterations (`loop.step()`) while work is due now, never waiting: for a host
 * that owns the thread and calls genloop once per frame or per host event. It stops when
 * nothing is due, after `maxIterations`, or once `budgetMs` of loop time has passed (checked
 * between iterations, so one iteration may overrun it). A task that never stops yielding
 * (`while (true) yield* sleep(0)`) is always due: give a budget or an iteration limit.
 *
 * @example
 * ```ts
 * import { EventLoop, VirtualClock, runDue, sleep } from "genloop";
 *
 * const clock = new VirtualClock();
 * const loop = new EventLoop({ clock });
 * loop.createTask((function* () { yield* sleep(30); console.log(`at ${loop.time()} ms`); })());
 * for (let frame = 0; frame < 4; frame++) {   // the host's frames
 *   runDue(loop, { budgetMs: 4 });            // runs what is due, never waits
 *   clock.advance(16);
 * }
 * loop.close();                               // printed "at 32 ms"
 * ```
 */
export function runDue(loop: EventLoop, options: RunDueOptions = {}): RunDueResult {
  if (!(loop instanceof EventLoop)) {
    throw new TypeError(`runDue: an EventLoop was expected, got ${describeValue(loop)}`);
  }
  if (!isOptionsBag(options)) {
    throw new TypeError(`runDue: options must be an object like { budgetMs, maxIterations }, got ${describeValue(options)}`);
  }
  const budget = checkLimit("runDue", "budgetMs", options.budgetMs);
  const maxIterations = checkLimit("runDue", "maxIterations", options.maxIterations);
  const start = loop.time();
  let iterations = 0;
  while (iterations < maxIterations) {
    const next = loop.nextDeadline();
    if (next === null || next > loop.time()) break;
    loop.step();
    iterations++;
    if (loop.time() - start >= budget) break;
  }
  return { iterations, nextDeadline: loop.isClosed() ? null : loop.nextDeadline() };
}
