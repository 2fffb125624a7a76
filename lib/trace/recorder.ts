import { describeValue } from "../describe.js";
import { CancelledError } from "../errors.js";
import { Effect } from "../effect.js";
import { RealClock } from "../hosts/real-clock.js";
import type { EffectOutcome, Instrument, Performed } from "../instrument.js";
import type { EventLoop } from "../loop.js";
import { realm } from "../running.js";
import type { Task } from "../task.js";

/** A task as the trace knows it: `id` numbers tasks in creation order, from 1. */
export interface TracedTask {
  /** The task's number, in creation order from 1. */
  readonly id: number;
  /** The task's name when it was created. */
  readonly name: string;
  /** The task running when it was created (its creator), if any. */
  readonly parentId: number | null;
  /** When it was created. */
  readonly createdAt: TraceTime;
  /** When it ended, once it has. */
  endedAt: TraceTime | null;
  /** How it ended, once it has. */
  outcome: "result" | "error" | "cancelled" | null;
}

/** A moment in both clocks: the loop's (virtual or real) and the wall clock, in ms. */
export interface TraceTime {
  /** The loop's time (`loop.time()`), virtual or real. */
  readonly loop: number;
  /** The wall clock. */
  readonly wall: number;
}

/**
 * One recorded event: a step of a task, a wait between two steps (what it waited on), a wake-up
 * (task `from` made task `to` ready), or a cancellation or error of a task. Tasks are `TracedTask` ids.
 */
export type TraceEvent =
  | {
      /** A step of a task. */
      readonly kind: "step";
      /** The task (its id). */
      readonly task: number;
      /** When the step began. */
      readonly start: TraceTime;
      /** When it ended. */
      readonly end: TraceTime;
    }
  | {
      /** A wait between two steps. */
      readonly kind: "wait";
      /** The task (its id). */
      readonly task: number;
      /** What it waited on, as a person would say it. */
      readonly what: string;
      /** When the wait began. */
      readonly start: TraceTime;
      /** When it ended. */
      readonly end: TraceTime;
      /** Whether it ended by a cancellation. */
      readonly cancelled: boolean;
    }
  | {
      /** A wake-up. */
      readonly kind: "wake";
      /** The task that woke the other (its id). */
      readonly from: number;
      /** The task woken (its id). */
      readonly to: number;
      /** When. */
      readonly at: TraceTime;
    }
  | {
      /** A cancellation or an error of a task. */
      readonly kind: "cancelled" | "error";
      /** The task (its id). */
      readonly task: number;
      /** When. */
      readonly at: TraceTime;
      /** What happened, in words. */
      readonly detail: string;
    };

/** Options of `new TraceRecorder(options)`. */
export interface TraceRecorderOptions {
  /** Wall-clock milliseconds; a monotonic real clock by default. Give a fixed function for reproducible traces. */
  wallClock?: () => number;
}

/**
 * An instrument that records a run for the trace exporters (`toChromeTrace`, `toSvgTimeline`):
 * tasks with their creator, each step, each wait between steps (what the task waited on), who
 * woke whom, and cancellations and errors — in loop time and wall time. Built only on the public
 * instrument hooks.
 * @example
 * ```ts
 * import { EventLoop, VirtualClock, sleep } from "genloop";
 * import { TraceRecorder, toChromeTrace } from "genloop/trace";
 *
 * const trace = new TraceRecorder();
 * const loop = new EventLoop({ clock: new VirtualClock(), instruments: [trace] });
 * loop.runUntilComplete(loop.createTask((function* () { yield* sleep(10); })(), { name: "main" }));
 * console.log(JSON.stringify(toChromeTrace(trace)).length > 0); // true
 * ```
 */
export class TraceRecorder implements Instrument {
  /** The tasks seen, in creation order (`tasks[id - 1]`). */
  readonly tasks: TracedTask[] = [];
  /** The events recorded, in the order they happened. */
  readonly events: TraceEvent[] = [];
  private readonly _ids = new Map<Task<unknown>, number>();
  private readonly _stepStart = new Map<number, TraceTime>();
  private readonly _waits = new Map<number, { what: string; start: TraceTime }>();
  private readonly _wall: () => number;
  /** The loop recorded: learned from the first task it sees. */
  private _loop: EventLoop | null = null;

  /**
   * A recorder to install as an instrument: `run(main(), { instruments: [recorder] })` or
   * `loop.addInstrument(recorder)`. It records one loop (the first whose task it sees).
   * @throws TypeError if `options.wallClock` is given and is not a function.
   */
  constructor(options: TraceRecorderOptions = {}) {
    const wall = options.wallClock;
    if (wall !== undefined && typeof wall !== "function") {
      throw new TypeError(`TraceRecorder: wallClock must be a function returning milliseconds, got ${describeValue(wall)}`);
    }
    const real = new RealClock();
    this._wall = wall ?? (() => real.now());
  }

  /** Instrument hook: numbers the new task and records its creator. */
  taskCreated(task: Task<unknown>): void {
    if (this._loop === null) this._loop = task.getLoop();
    if (task.getLoop() !== this._loop) return;
    const id = this.tasks.length + 1;
    this._ids.set(task, id);
    const parent = realm.currentTask;
    this.tasks.push({ id, name: task.getName(), parentId: parent === null ? null : (this._ids.get(parent) ?? null), createdAt: this._now(), endedAt: null, outcome: null });
  }

  /** Instrument hook: records who woke the task (a flow arrow in the exports). */
  taskScheduled(task: Task<unknown>, waker: Task<unknown> | null): void {
    const to = this._ids.get(task);
    const from = waker === null ? undefined : this._ids.get(waker);
    if (to !== undefined && from !== undefined && from !== to) this.events.push({ kind: "wake", from, to, at: this._now() });
  }

  /** Instrument hook: a step of the task begins. */
  beforeTaskStep(task: Task<unknown>): void {
    const id = this._ids.get(task);
    if (id !== undefined) this._stepStart.set(id, this._now());
  }

  /** Instrument hook: the step ends; records it as a slice. */
  afterTaskStep(task: Task<unknown>): void {
    const id = this._ids.get(task);
    const start = id === undefined ? undefined : this._stepStart.get(id);
    if (id === undefined || start === undefined) return;
    this._stepStart.delete(id);
    this.events.push({ kind: "step", task: id, start, end: this._now() });
  }

  /** Instrument hook: the task starts waiting on `effect`. */
  effectStarted(task: Task<unknown>, effect: Performed): void {
    const id = this._ids.get(task);
    if (id !== undefined) this._waits.set(id, { what: effectName(effect), start: this._now() });
  }

  /** Instrument hook: the wait ends; records it (and a cancellation) if it took time. */
  effectSettled(task: Task<unknown>, _effect: Performed, outcome: EffectOutcome): void {
    const id = this._ids.get(task);
    const wait = id === undefined ? undefined : this._waits.get(id);
    if (id === undefined || wait === undefined) return;
    this._waits.delete(id);
    const end = this._now();
    const cancelled = outcome.failed && outcome.error instanceof CancelledError;
    // Effects that complete within the step take no time: only real waits are kept.
    if (end.loop > wait.start.loop || end.wall - wait.start.wall > 1 || cancelled) {
      this.events.push({ kind: "wait", task: id, what: wait.what, start: wait.start, end, cancelled });
    }
    if (cancelled) this.events.push({ kind: "cancelled", task: id, at: end, detail: `${wait.what} cancelled` });
  }

  /** Instrument hook: records when and how the task ended. */
  taskFinished(task: Task<unknown>): void {
    const id = this._ids.get(task);
    if (id === undefined) return;
    const traced = this.tasks[id - 1];
    traced.endedAt = this._now();
    if (task.cancelled()) traced.outcome = "cancelled";
    else if (task.failed()) {
      traced.outcome = "error";
      // Read without retrieving it: the loop still reports an error nobody looked at.
      const error = task._value;
      this.events.push({ kind: "error", task: id, at: traced.endedAt, detail: error instanceof Error ? `${error.name}: ${error.message}` : describeValue(error) });
    } else traced.outcome = "result";
  }

  private _now(): TraceTime {
    return { loop: this._loop === null ? 0 : this._loop.time(), wall: this._wall() };
  }
}

/** What a task waits on, in a word or two: the effect's kind (`sleep`, `gather`, `lock.acquire`), or the task awaited. */
function effectName(effect: Performed): string {
  if (effect instanceof Effect) return effect.kind;
  const name = (effect as { getName?: () => string }).getName;
  return typeof name === "function" ? `task '${name.call(effect)}'` : "future";
}
