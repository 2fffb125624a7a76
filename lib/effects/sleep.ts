import { describeValue } from "../describe.js";
import { Effect, SUSPENDED, performInline } from "../effect.js";
import type { EventLoop } from "../loop.js";
import type { Future } from "../future.js";
import type { Task } from "../task.js";

/** The descriptor `sleep(delayMs, result)` returns. */
export class SleepEffect<T> extends Effect<T> {
  /** Always `"sleep"`. */
  readonly kind = "sleep";
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
    // Not frozen, unlike the other effects: `yield* sleep(0)` is the hottest path of the loop
    // and Object.freeze costs a quarter of it. Its fields are readonly to TypeScript.
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
  return new SleepEffect(delayMs, result);
}
