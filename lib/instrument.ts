import { describeValue } from "./describe.js";
import { Effect } from "./effect.js";
import type { EventLoop } from "./loop.js";
import { Future } from "./future.js";
import type { Task } from "./task.js";

/** What a task performs when its coroutine yields: an effect, or a future (a task) it awaits. */
export type Performed = Effect<unknown> | Future<unknown>;

/**
 * How an effect ended, as the coroutine receives it: a value, or the error thrown into it
 * (any value can be thrown, `null` and `undefined` included: test `failed`, not `error`).
 */
export type EffectOutcome =
  | {
      /** False: the effect gave a result. */
      readonly failed: false;
      /** The effect's result. */
      readonly value: unknown;
    }
  | {
      /** True: the effect threw (any value can be thrown, so this flag, not `error`, says so). */
      readonly failed: true;
      /** What the effect threw. */
      readonly error: unknown;
    };

/**
 * An observer of a loop, in the spirit of trio's `Instrument`: every method is optional and
 * is called, for each installed instrument in the order they were added, when the event it
 * names happens. An instrument whose method throws is removed and the error reported through
 * the loop's exception handler; the loop and its tasks go on as if it had not been there.
 *
 * @example
 * ```ts
 * import { EventLoop, VirtualClock, sleep, type Instrument } from "genloop";
 *
 * const steps = new Map<string, number>();
 * const counter: Instrument = {
 *   beforeTaskStep(task) {
 *     steps.set(task.getName(), (steps.get(task.getName()) ?? 0) + 1);
 *   },
 * };
 * const loop = new EventLoop({ clock: new VirtualClock(), instruments: [counter] });
 * loop.runUntilComplete(loop.createTask((function* () { yield* sleep(10); })(), { name: "main" }));
 * console.log(steps.get("main")); // 2
 * ```
 */
export interface Instrument {
  /** A task was created; its first step is scheduled right after. */
  taskCreated?(task: Task<unknown>): void;
  /**
   * A step of `task` was put on the ready queue (its first step, and each wake-up).
   * `waker` is the task whose step woke it (spawned it, resolved what it waited on), or null
   * when a callback, a timer or host code did.
   */
  taskScheduled?(task: Task<unknown>, waker: Task<unknown> | null): void;
  /** A step of `task` is about to run (`currentTask()` is `task`). */
  beforeTaskStep?(task: Task<unknown>): void;
  /** A step of `task` has run; the task may be done by now. */
  afterTaskStep?(task: Task<unknown>): void;
  /** `task` is done (result, error or cancelled); called before its done callbacks are scheduled. */
  taskFinished?(task: Task<unknown>): void;
  /** The loop has nothing ready and is about to wait `waitMs` (loop time) for its next timer. */
  beforeIdle?(waitMs: number): void;
  /** The wait announced by `beforeIdle(waitMs)` is over (a virtual clock jumps: no real time passed). */
  afterIdle?(waitMs: number): void;
  /**
   * Before `task` performs `effect`: return an effect or future to perform instead (the task
   * then waits on it, and `effect` itself is never performed), or undefined to let it be.
   * The first instrument that returns one wins. `effectStarted`/`effectSettled` still see `effect`.
   */
  interceptEffect?(task: Task<unknown>, effect: Performed): Performed | undefined;
  /** `task` yielded `effect` (an Effect, or a Future or Task it awaits) and is about to perform it. */
  effectStarted?(task: Task<unknown>, effect: Performed): void;
  /**
   * `effect` ended with `outcome`, exactly what `task`'s coroutine is about to be resumed with.
   * Called synchronously before the coroutine resumes: at once for an effect that completes
   * in the same step, at the start of the resuming step (after `beforeTaskStep`) otherwise.
   */
  effectSettled?(task: Task<unknown>, effect: Performed, outcome: EffectOutcome): void;
}

type Method = keyof Instrument;

/**
 * @internal The instruments of one loop and the dispatch to them. The loop holds one only
 * while an instrument is installed: with none, every hook site costs one null check.
 */
export class Instrumentation {
  /** Installed instruments, in the order added. Replaced, never mutated, so a dispatch in progress is unaffected. */
  list: readonly Instrument[] = [];
  /** The effect each suspended task waits on, until it settles. */
  private readonly _pendingEffects = new Map<Task<unknown>, Performed>();

  constructor(private readonly _loop: EventLoop) {}

  add(instrument: Instrument): void {
    if (this.list.indexOf(instrument) === -1) this.list = this.list.concat([instrument]);
  }

  /** Removes `instrument`; false if it was not installed. */
  remove(instrument: Instrument): boolean {
    const i = this.list.indexOf(instrument);
    if (i === -1) return false;
    this.list = this.list.slice(0, i).concat(this.list.slice(i + 1));
    if (this.list.length === 0) this._loop._instrumentation = null;
    return true;
  }

  taskEvent(method: "taskCreated" | "beforeTaskStep" | "afterTaskStep" | "taskFinished", task: Task<unknown>): void {
    if (method === "taskFinished") this._pendingEffects.delete(task);
    const list = this.list;
    for (let i = 0; i < list.length; i++) {
      const fn = list[i][method];
      if (fn !== undefined) this._call(list[i], method, fn, [task]);
    }
  }

  taskScheduled(task: Task<unknown>, waker: Task<unknown> | null): void {
    const list = this.list;
    for (let i = 0; i < list.length; i++) {
      const fn = list[i].taskScheduled;
      if (fn !== undefined) this._call(list[i], "taskScheduled", fn, [task, waker]);
    }
  }

  idle(method: "beforeIdle" | "afterIdle", waitMs: number): void {
    const list = this.list;
    for (let i = 0; i < list.length; i++) {
      const fn = list[i][method];
      if (fn !== undefined) this._call(list[i], method, fn, [waitMs]);
    }
  }

  /** What `task` performs instead of `effect` (itself when no instrument intercepts); then `effectStarted`. */
  startEffect(task: Task<unknown>, effect: Performed): Performed {
    let performed = effect;
    const list = this.list;
    for (let i = 0; i < list.length && performed === effect; i++) {
      const fn = list[i].interceptEffect;
      if (fn === undefined) continue;
      const replacement = this._call(list[i], "interceptEffect", fn, [task, effect]);
      if (replacement !== undefined) {
        if (replacement instanceof Effect || replacement instanceof Future) performed = replacement;
        else this._fail(list[i], "interceptEffect", new TypeError(`interceptEffect must return an Effect, a Future or undefined, got ${describeValue(replacement)}`));
      }
    }
    this._pendingEffects.set(task, effect);
    for (let i = 0; i < list.length; i++) {
      const fn = list[i].effectStarted;
      if (fn !== undefined) this._call(list[i], "effectStarted", fn, [task, effect]);
    }
    return performed;
  }

  /** The effect `task` started last has ended: `task` is about to be resumed with this outcome. */
  settleEffect(task: Task<unknown>, isThrow: boolean, value: unknown): void {
    const effect = this._pendingEffects.get(task);
    if (effect === undefined) return;
    this._pendingEffects.delete(task);
    const outcome: EffectOutcome = isThrow ? { failed: true, error: value } : { failed: false, value };
    const list = this.list;
    for (let i = 0; i < list.length; i++) {
      const fn = list[i].effectSettled;
      if (fn !== undefined) this._call(list[i], "effectSettled", fn, [task, effect, outcome]);
    }
  }

  /** Calls one method; a throw removes the instrument and is reported, never propagated. */
  private _call(instrument: Instrument, method: Method, fn: (...args: any[]) => unknown, args: unknown[]): unknown {
    try {
      return fn.apply(instrument, args);
    } catch (error) {
      this._fail(instrument, method, error);
      return undefined;
    }
  }

  private _fail(instrument: Instrument, method: Method, error: unknown): void {
    const loop = this._loop;
    this.remove(instrument);
    loop.callExceptionHandler({
      message: `Instrument ${method}() raised an error; the instrument was removed`,
      exception: error,
      instrument,
    });
  }
}

/** Checks a value passed as an instrument at the public boundary. */
export function checkInstrument(method: string, instrument: unknown): asserts instrument is Instrument {
  if (instrument === null || (typeof instrument !== "object" && typeof instrument !== "function")) {
    throw new TypeError(`${method}: an instrument must be an object with optional hook methods (taskCreated, beforeTaskStep, …), got ${describeValue(instrument)}`);
  }
  const methods: Method[] = [
    "taskCreated", "taskScheduled", "beforeTaskStep", "afterTaskStep", "taskFinished",
    "beforeIdle", "afterIdle", "interceptEffect", "effectStarted", "effectSettled",
  ];
  for (const name of methods) {
    const fn = (instrument as Record<string, unknown>)[name];
    if (fn !== undefined && typeof fn !== "function") {
      throw new TypeError(`${method}: the instrument's ${name} must be a function or absent, got ${describeValue(fn)}`);
    }
  }
}
