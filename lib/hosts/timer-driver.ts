import { VirtualClock } from "../clock.js";
import { describeValue, isOptionsBag } from "../describe.js";
import { RuntimeError } from "../errors.js";
import { EventLoop } from "../loop.js";
import { setLoopWakeup } from "../wakeup-handler.js";
import { checkLimit, runDue } from "./run-due.js";

/**
 * The host timer functions the driver uses (Node, browsers, Deno, jsc, Hermes, Rhino have them).
 * Without `clearTimeout` (jsc's shell) a timer armed too late simply fires for nothing.
 */
export interface HostTimers {
  /** Calls `callback` after `ms` milliseconds; returns an id for `clearTimeout`. */
  setTimeout(callback: () => void, ms: number): unknown;
  /** Cancels a timer armed with `setTimeout`. */
  clearTimeout?(id: any): void;
}

/** Options of `startTimerDriver` and `new TimerDriver`. */
export interface TimerDriverOptions {
  /** The host's timers; by default the global `setTimeout` / `clearTimeout`. */
  timers?: HostTimers;
  /** Loop time to spend per host turn before yielding back to the host (default 20 ms). */
  budgetMs?: number;
  /** Iterations per host turn at most (default 10000; bounds a virtual clock, whose time stands still). */
  maxIterations?: number;
}

function hostTimers(): HostTimers | undefined {
  const g = (typeof globalThis !== "undefined" ? globalThis : {}) as Partial<HostTimers>;
  const { setTimeout: set, clearTimeout: clear } = g;
  if (typeof set !== "function") return undefined;
  const timers: HostTimers = { setTimeout: (cb, ms) => set(cb, ms) };
  if (typeof clear === "function") timers.clearTimeout = (id) => clear(id);
  return timers;
}

/**
 * Runs a loop on the host's own event loop, never blocking it: after each turn it arms one host
 * timer for `loop.nextDeadline()`, and whatever is scheduled on the loop from outside (a host
 * callback resolving a `callback` effect, `loop.callSoon` from an event handler) wakes it at
 * once. When the loop has nothing to do no host timer is pending, so a Node process can exit.
 * On a `VirtualClock` it arms zero-delay host timers and jumps time to each deadline instead of
 * waiting (like `run()` on a virtual clock), while host callbacks still interleave between turns.
 *
 * Invariant: while active, at most one host timer is live (`_timerSeq` names it; a timer that
 * could not be cleared fires for nothing), armed for the earliest deadline (`_armedFor`) the
 * loop had when it was last checked.
 */
export class TimerDriver {
  private readonly _timers: HostTimers;
  private readonly _budgetMs: number;
  private readonly _maxIterations: number;
  /** On a VirtualClock the driver never waits: each host turn jumps time to the next deadline. */
  private readonly _virtual: boolean;
  private _active = false;
  private _timer: unknown = undefined;
  private _armed = false;
  private _timerSeq = 0;
  private _armedFor = Infinity;
  private readonly _wakeup = () => this._arm();

  constructor(
    /** The loop the driver runs. */
    readonly loop: EventLoop,
    options: TimerDriverOptions = {},
  ) {
    if (!(loop instanceof EventLoop)) {
      throw new TypeError(`TimerDriver: an EventLoop was expected, got ${describeValue(loop)}`);
    }
    if (!isOptionsBag(options)) {
      throw new TypeError(`TimerDriver: options must be an object like { timers, budgetMs }, got ${describeValue(options)}`);
    }
    const timers = options.timers ?? hostTimers();
    if (timers === undefined) {
      throw new RuntimeError(
        "TimerDriver: this host has no setTimeout; pass { timers: { setTimeout, clearTimeout } } " +
          "or drive the loop yourself with runDue(loop) / loop.step() and loop.nextDeadline()",
      );
    }
    if (typeof timers.setTimeout !== "function" || (timers.clearTimeout !== undefined && typeof timers.clearTimeout !== "function")) {
      throw new TypeError("TimerDriver: timers must have a setTimeout(callback, ms) function and optionally clearTimeout(id)");
    }
    this._timers = timers;
    this._virtual = loop._clock instanceof VirtualClock;
    this._budgetMs = checkLimit("TimerDriver", "budgetMs", options.budgetMs ?? 20);
    this._maxIterations = checkLimit("TimerDriver", "maxIterations", options.maxIterations ?? 10000);
  }

  /** Starts driving the loop (a no-op if already started). */
  start(): this {
    if (this._active) return this;
    if (this.loop.isClosed()) throw new RuntimeError("TimerDriver: the event loop is closed");
    setLoopWakeup(this.loop, this._wakeup);
    this._active = true;
    this._arm();
    return this;
  }

  /** Stops driving: the pending host timer is cleared; the loop keeps its state. */
  stop(): void {
    if (!this._active) return;
    this._active = false;
    this._disarm();
    setLoopWakeup(this.loop, null);
  }

  /** @returns whether the driver is running (started and not stopped). */
  isActive(): boolean {
    return this._active;
  }

  private _arm(): void {
    if (!this._active) return;
    const loop = this.loop;
    if (loop.isClosed()) return this.stop();
    const next = loop.nextDeadline();
    if (next === null) return this._disarm();
    if (this._armed) {
      if (this._armedFor <= next) return;
      this._disarm();
    }
    const seq = ++this._timerSeq;
    const delay = this._virtual ? 0 : Math.max(0, Math.ceil(next - loop.time()));
    this._armed = true;
    this._armedFor = next;
    this._timer = this._timers.setTimeout(() => {
      if (seq === this._timerSeq) this._turn();
    }, delay);
  }

  private _disarm(): void {
    if (!this._armed) return;
    this._timerSeq++;
    if (this._timers.clearTimeout) this._timers.clearTimeout(this._timer);
    this._armed = false;
    this._timer = undefined;
    this._armedFor = Infinity;
  }

  private _turn(): void {
    this._armed = false;
    this._timer = undefined;
    this._armedFor = Infinity;
    if (!this._active) return;
    try {
      const loop = this.loop;
      if (!loop.isClosed() && !loop.isRunning()) {
        if (this._virtual) {
          // Virtual time stands still by itself: jump to the next deadline (trio's autojump).
          const next = loop.nextDeadline();
          if (next !== null) (loop._clock as VirtualClock).sleepUntil(next);
        }
        runDue(loop, { budgetMs: this._budgetMs, maxIterations: this._maxIterations });
      }
    } finally {
      this._arm();
    }
  }
}

/**
 * Creates a `TimerDriver` for `loop` and starts it.
 *
 * @example
 * ```ts
 * import { EventLoop, startTimerDriver, sleep } from "genloop";
 *
 * const loop = new EventLoop();
 * const driver = startTimerDriver(loop);   // runs the loop from host timers: never blocks
 * const task = loop.createTask((function* () { yield* sleep(10); return "done"; })());
 * task.addDoneCallback(() => { console.log(task.result()); driver.stop(); loop.close(); });
 * ```
 */
export function startTimerDriver(loop: EventLoop, options?: TimerDriverOptions): TimerDriver {
  return new TimerDriver(loop, options).start();
}
