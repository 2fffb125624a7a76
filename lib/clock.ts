/**
 * A loop's source of time, in milliseconds. `sleep(ms)` blocks the thread for that long;
 * a clock without it makes the loop poll `now()`. `sleepUntil(when)` is an optional exact
 * form a clock may offer (a virtual clock jumps to exactly `when`).
 */
export interface Clock {
  /** The current time in milliseconds (any origin; only differences matter). */
  now(): number;
  /** Blocks the thread for `ms` milliseconds (a virtual clock advances instead). */
  sleep?(ms: number): void;
  /** Blocks until `now()` reaches `when` (a virtual clock jumps to exactly `when`). */
  sleepUntil?(when: number): void;
}

function checkTime(what: string, ms: unknown): number {
  if (typeof ms !== "number") {
    throw new TypeError(`VirtualClock.${what}: expected a number of milliseconds, got ${typeof ms}`);
  }
  if (ms !== ms || ms === Infinity || ms === -Infinity) {
    throw new RangeError(`VirtualClock.${what}: expected a finite number of milliseconds, got ${ms}`);
  }
  return ms;
}

/**
 * Time that moves only when told to. A loop on a virtual clock never waits in real time:
 * when it is idle it jumps the clock to its next deadline (trio's autojump), so a workflow
 * that sleeps for hours runs in milliseconds, in exactly the same order.
 *
 * @example
 * ```ts
 * import { run, sleep, getRunningLoop, VirtualClock, type Coroutine } from "genloop";
 *
 * function* main(): Coroutine<number> {
 *   yield* sleep(60 * 60 * 1000);   // an hour…
 *   return getRunningLoop().time();
 * }
 * run(main(), { clock: new VirtualClock() });  // …at once: 3600000
 * ```
 */
export class VirtualClock implements Clock {
  private current: number;

  constructor(start = 0) {
    this.current = checkTime("constructor", start);
  }

  /** @returns the virtual time in milliseconds. */
  now(): number {
    return this.current;
  }

  /** Moves time forward by `ms` (negative values are refused: time never goes backwards). */
  advance(ms: number): void {
    if (checkTime("advance", ms) < 0) {
      throw new RangeError(`VirtualClock.advance: time cannot go backwards (got ${ms} ms)`);
    }
    this.current += ms;
  }

  /** Advances time by `ms` at once (what the loop calls when it would wait). */
  sleep(ms: number): void {
    if (ms > 0) this.current += ms;
  }

  /** Jumps time to `when` if it is in the future. */
  sleepUntil(when: number): void {
    if (when > this.current) this.current = when;
  }
}
