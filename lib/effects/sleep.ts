import { describeValue } from "../describe.js";
import { Effect, SUSPENDED, performInline } from "../effect.js";
import type { EventLoop } from "../loop.js";
import type { Future } from "../future.js";
import { NOTE_YIELDS, yieldNotes } from "../note-yields.js";
import type { Task } from "../task.js";
import { YieldOnce } from "../yield-once.js";
import { realm } from "../running.js";

/** What a sleep descriptor's `value` holds between `[Symbol.iterator]()` and its first `next()`. */
const CLAIMED: object = {};

/**
 * The descriptor `sleep(delayMs, result)` returns.
 *
 * `yield* sleep(0)` is the hottest path of the loop. `sleep(0)` with no result is one shared
 * descriptor (see `sleepZero`), so a switch makes no descriptor; in a task's step the task
 * itself is its iterator (`Task._iterateSleep`), as for a delay, and its first iterator result
 * is the descriptor itself, whose `value` and `done` never change (as a delayed descriptor's):
 * a switch makes no object.
 *
 * A descriptor of no delay with a result (`sleep(0, x)`) is its own iterator and its own
 * iterator result: a generator's `yield*` passes the result of the inner `next()` to the task
 * unchanged, and the task reads only its `done` and `value`. The first `next()` sets `value`
 * to the descriptor and returns it (the task sees "yielded this descriptor"); the second,
 * `next(resumed)`, sets `done` and `value = resumed` and returns it again (the coroutine's
 * `yield*` evaluates to `resumed`). It behaves as `YieldOnce` does (as the generator
 * `function* () { return yield this; }`) for every sequence of calls.
 *
 * A descriptor with a delay, and the shared `sleep(0)`, iterated in a task's step have the task
 * as iterator; elsewhere (a coroutine stepped by hand outside any task) a `YieldOnce`: the
 * generator keeps its iterator while it waits, a 32-byte YieldOnce (which drops the descriptor
 * once yielded) rather than the 64-byte descriptor.
 *
 * The iteration state lives in `value` and `done`, which therefore are own fields of every
 * descriptor; they and the iterator methods are private or protected, so that to TypeScript a
 * descriptor stays an effect and never looks like a coroutine (a generator):
 * - idle: fresh (`done` false, `value` undefined) or finished (`done` true);
 * - claimed: `[Symbol.iterator]()` returned the descriptor, its first `next()` has not run
 *   (`value` is CLAIMED);
 * - yielded: a coroutine waits in `yield*` on it (`value` is the descriptor, `done` false).
 * Only an idle descriptor hands itself out: one that is claimed or yielded (a descriptor
 * shared by tasks, `const tick = sleep(0, "t")`, that another task waits on) gives a
 * `YieldOnce` instead, so two iterations never share state. The shared `sleep(0)` always
 * looks yielded (its `value` is itself) and never hands itself out.
 */
export class SleepEffect<T> extends Effect<T> {
  /** Always `"sleep"`. */
  readonly kind = "sleep";
  /** @internal The iteration state (see above), and the iterator result's value. */
  private value: unknown = undefined;
  /** @internal The iteration state (see above), and whether the iteration is over. */
  private done = false;
  /**
   * Prefer `sleep(delayMs, result)`; the constructor validates the same way.
   * @throws TypeError for a non-number delay; RangeError for NaN.
   */
  constructor(
    /** How long to sleep, in ms of loop time (0 or more). */
    readonly delay: number,
    /** What `yield* sleep(ms, result)` returns. */
    readonly result: T,
  ) {
    super();
    if (typeof delay !== "number") {
      throw new TypeError(`sleep: the delay must be a number of milliseconds, got ${describeValue(delay)}`);
    }
    if (delay !== delay) throw new RangeError("sleep: invalid delay: NaN (not a number)");
    // A delayed descriptor never iterates itself (its task, or a YieldOnce, does): its `value`
    // and `done` only make it the first result of every iteration by a task ("yielded this
    // descriptor"), set once here rather than at each iteration.
    if (delay > 0) this.value = this;
    // Not frozen, unlike the other effects: `yield* sleep(0, x)` is a hot path, Object.freeze
    // costs a quarter of it, and the descriptor holds its iteration state (see above). Its
    // public fields are readonly to TypeScript.
  }

  /**
   * `yield* sleep(...)`: the descriptor itself for no delay (but a result) when idle; for a
   * delay or the shared `sleep(0)`, in a task's step, the task (see `Task._iterateSleep`);
   * otherwise a fresh `YieldOnce` of it.
   */
  override [Symbol.iterator](): Generator<Effect<T>, T, any> {
    const task = realm.currentTask;
    // The call graph learns the coroutine's name here, in its own frame (see yieldNotes).
    if (task !== null && (task._flags & NOTE_YIELDS) !== 0) (yieldNotes.note as (task: Task<unknown>) => void)(task);
    if (this.delay <= 0 && this !== sleepZero) {
      if (this.done || this.value === undefined) {
        this.done = false;
        this.value = CLAIMED;
        return this as unknown as Generator<Effect<T>, T, any>;
      }
    } else if (task !== null && task._iterateSleep(this)) {
      return task as unknown as Generator<Effect<T>, T, any>;
    }
    return new YieldOnce<Effect<T>, T>(this);
  }

  /** @internal Yields the descriptor, then returns the value it is resumed with, as `YieldOnce.next`. */
  protected next(resumed?: unknown): IteratorResult<Effect<T>, T> {
    if (this.done) {
      this.value = undefined; // a finished iteration gives `{ value: undefined, done: true }`
    } else if (this.value === this) {
      this.done = true;
      this.value = resumed;
    } else {
      this.value = this; // claimed (or fresh, stepped without `[Symbol.iterator]()`): yield it
    }
    return this as unknown as IteratorResult<Effect<T>, T>;
  }

  /** @internal Ends the iteration with `value`, as `YieldOnce.return`. */
  protected return(value: T): IteratorResult<Effect<T>, T> {
    this.done = true;
    this.value = value;
    return this as unknown as IteratorResult<Effect<T>, T>;
  }

  /**
   * @internal Ends the iteration and rethrows `error`, as `YieldOnce.throw`: how a cancellation
   * thrown into a task waiting in `yield* sleep(ms)` reaches the coroutine.
   */
  protected throw(error: unknown): IteratorResult<Effect<T>, T> {
    this.done = true;
    this.value = undefined;
    throw error;
  }

  /**
   * @internal What `JSON.stringify` shows: the public fields, as for the other effects, not the
   * iteration state (which refers to the descriptor itself while a task waits on it).
   */
  toJSON(): { kind: "sleep"; delay: number; result: T } {
    return { kind: this.kind, delay: this.delay, result: this.result };
  }

  /** @internal A task running the sleep, as asyncio's `ensure_future(sleep(...))` makes one. */
  _start(loop: EventLoop): Future<T> {
    return loop.createTask(performInline(this));
  }

  /** @internal */
  override _perform(task: Task<unknown>): unknown {
    if (this.delay <= 0) task._yieldOnce(this.result);
    else task._sleepUntil(task._loop.time() + this.delay, this.result);
    return SUSPENDED;
  }
}

/**
 * Suspends the task for `delayMs` of loop time and returns `result`. `sleep(0)` yields to
 * the loop exactly once (the task goes to the back of the ready queue). Negative delays
 * count as 0. Throws at the call: `TypeError` for a non-number, `RangeError` for NaN.
 *
 * @example
 * ```ts
 * import { run, sleep, type Coroutine } from "genloop";
 *
 * function* main(): Coroutine<string> {
 *   yield* sleep(100);                // 100 ms of loop time
 *   return yield* sleep(50, "value"); // sleeps, then returns its second argument, typed
 * }
 * console.log(run(main()));           // value
 * ```
 */
export function sleep(delayMs: number): SleepEffect<void>;
export function sleep<T>(delayMs: number, result: T): SleepEffect<T>;
export function sleep<T>(delayMs: number, result?: T): SleepEffect<T | undefined> {
  return delayMs === 0 && result === undefined ? (sleepZero as SleepEffect<undefined>) : new SleepEffect(delayMs, result);
}

/**
 * @internal What every `sleep(0)` with no result returns: an effect is an inert description, so one
 * serves every switch. Its iteration state says "yielded" for good (`value` is itself, `done`
 * false), so that it is the first iterator result of each iteration by a task and never hands
 * itself out as an iterator. Not frozen: a frozen descriptor has a map of its own, which made
 * the hot path's property reads polymorphic (V8: switch ×0.93 against ×1.15 unfrozen). A task
 * that yields it goes to the back of the ready queue without dispatching it (see `Task._step`).
 */
export const sleepZero = new SleepEffect<void>(0, undefined);
(sleepZero as unknown as { value: unknown }).value = sleepZero;
