import { describeValue } from "../describe.js";
import { isAwaitable } from "../ensure-future.js";
import { CancelledError, RuntimeError, TimeoutError } from "../errors.js";
import type { Handle } from "../handle.js";
import { realm } from "../running.js";
import { Task } from "../task.js";
import type { Awaitable, Coroutine, ResultOf } from "../types.js";
import { InlineEffect } from "./inline-effect.js";
import { checkOptionalMs } from "./validate.js";

/** asyncio's `_State` values, as `repr(timeout)` shows them. */
type ScopeState = "active" | "expiring" | "expired" | "finished";

/**
 * The scope object of `timeout()` / `timeoutAt()` (asyncio.Timeout), handed to the body.
 * It exists only once the scope has been entered: its deadline is armed from the start.
 *
 * Invariants: `_handle` is the pending timer (or call-soon) that will cancel `_task`, or
 * null when there is none; the state moves active → (expiring → expired | finished).
 */
export class Timeout {
  /** @internal */ _state: ScopeState = "active";
  /** @internal */ _handle: Handle | null = null;
  /** @internal */ readonly _task: Task<unknown>;
  /** @internal */ _when: number | null;
  /** @internal The task's `cancelling()` count when the scope was entered. */ readonly _cancelling: number;
  /** @internal Names the operation in the TimeoutError message. */ readonly _label: string;

  /** @internal Enters the scope in `task`; use `timeout()` / `timeoutAt()`. */
  constructor(task: Task<unknown>, when: number | null, label: string) {
    if (!(task instanceof Task)) {
      throw new TypeError("Timeout: a scope is made by timeout() / timeoutAt() when a task enters it; use those");
    }
    this._task = task;
    this._when = when;
    this._label = label;
    this._cancelling = task.cancelling();
    this.reschedule(when);
  }

  /** The deadline in loop time (ms), or null when there is none. */
  when(): number | null {
    return this._when;
  }

  /**
   * Moves the deadline to loop time `when` (ms), or removes it with null. A deadline that has
   * already passed fires on the next loop iteration. Only while the scope is active.
   */
  reschedule(when: number | null): void {
    if (this._state !== "active") {
      throw new RuntimeError(
        `Cannot change state of ${this._state} Timeout: reschedule() works only while the body is running ` +
          `and the deadline has not fired`,
      );
    }
    const checked = checkOptionalMs("Timeout.reschedule", "the new deadline", when);
    this._when = checked;
    if (this._handle !== null) this._handle.cancel();
    if (checked === null) {
      this._handle = null;
      return;
    }
    const loop = this._task._loop;
    this._handle =
      checked <= loop.time() ? loop.callSoon(() => this._onTimeout()) : loop.callAt(checked, () => this._onTimeout());
  }

  /** True once the deadline has fired (the body was cancelled because of it). */
  expired(): boolean {
    return this._state === "expiring" || this._state === "expired";
  }

  /** A description like asyncio's repr: `<Timeout [active] when=5000>`. */
  toString(): string {
    const when = this._state === "active" ? ` when=${this._when === null ? "None" : Math.round(this._when * 1000) / 1000}` : "";
    return `<Timeout [${this._state}]${when}>`;
  }

  private _onTimeout(): void {
    this._task.cancel();
    this._state = "expiring";
    this._handle = null;
  }

  /**
   * @internal asyncio's `__aexit__`: disarms the deadline and, when it fired and no other
   * cancellation is pending, returns the TimeoutError to raise in place of `error`.
   */
  _exit(failed: boolean, error: unknown): TimeoutError | null {
    if (this._handle !== null) {
      this._handle.cancel();
      this._handle = null;
    }
    if (this._state === "expiring") {
      this._state = "expired";
      // Always uncancel our own request; convert only if nobody else asked for cancellation.
      if (this._task.uncancel() <= this._cancelling && failed && error instanceof CancelledError) {
        return new TimeoutError(this._timeoutMessage(), { cause: error });
      }
    } else if (this._state === "active") {
      this._state = "finished";
    }
    return null;
  }

  private _timeoutMessage(): string {
    return `${this._label}: the deadline passed (loop time ${this._when})`;
  }
}

/**
 * Runs `body` inside a timeout scope entered now in the current task: asyncio's
 * `async with Timeout(when) as scope: return await body(scope)`.
 */
export function* timeoutScope<T>(when: number | null, label: string, body: (scope: Timeout) => Awaitable<T>): Coroutine<T> {
  const scope = new Timeout(realm.currentTask as Task<unknown>, when, label);
  let result: T;
  try {
    const awaitable = body(scope);
    if (!isAwaitable(awaitable)) {
      throw new TypeError(
        `${label}: the body must return a coroutine (write it as function* (scope) { ... }), got ${describeValue(awaitable)}`,
      );
    }
    result = yield awaitable;
  } catch (error) {
    throw scope._exit(true, error) ?? error;
  }
  scope._exit(false, undefined);
  return result;
}

/** The body of a timeout scope: usually `function* (scope) { ... }`. */
export type TimeoutBody<A extends Awaitable<unknown>> = (scope: Timeout) => A;

/** The descriptor `timeout(delayMs, body)` returns. */
export class TimeoutEffect<T> extends InlineEffect<T> {
  /** Always `"timeout"`. */
  readonly kind = "timeout";
  /**
   * Prefer `timeout(delayMs, body)`; the constructor validates the same way.
   * @throws TypeError for a delay that is neither a number nor null, or a body that is not a function; RangeError for NaN.
   */
  constructor(
    /** The delay in ms from when the scope is entered, or null for no deadline. */
    readonly delay: number | null,
    /** The body run under the deadline, given the scope. */
    readonly body: (scope: Timeout) => Awaitable<T>,
  ) {
    super();
    checkOptionalMs("timeout", "the delay", delay);
    checkBody("timeout", body);
    Object.freeze(this);
  }

  /** @internal The deadline is computed when the scope is entered. */
  _coroutine(): Coroutine<T> {
    return enterAfter(this.delay, this.body);
  }
}

function* enterAfter<T>(delay: number | null, body: (scope: Timeout) => Awaitable<T>): Coroutine<T> {
  const when = delay === null ? null : (realm.currentTask as Task<unknown>)._loop.time() + delay;
  return (yield timeoutScope(when, "timeout", body)) as T;
}

/** The descriptor `timeoutAt(whenMs, body)` returns. */
export class TimeoutAtEffect<T> extends InlineEffect<T> {
  /** Always `"timeoutAt"`. */
  readonly kind = "timeoutAt";
  /**
   * Prefer `timeoutAt(whenMs, body)`; the constructor validates the same way.
   * @throws TypeError for a deadline that is neither a number nor null, or a body that is not a function; RangeError for NaN.
   */
  constructor(
    /** The deadline in loop time (ms), or null for none. */
    readonly when: number | null,
    /** The body run under the deadline, given the scope. */
    readonly body: (scope: Timeout) => Awaitable<T>,
  ) {
    super();
    checkOptionalMs("timeoutAt", "the deadline", when);
    checkBody("timeoutAt", body);
    Object.freeze(this);
  }

  /** @internal */
  _coroutine(): Coroutine<T> {
    return timeoutScope(this.when, "timeoutAt", this.body);
  }
}

function checkBody(where: string, body: unknown): void {
  if (typeof body !== "function") {
    throw new TypeError(
      `${where}: the body must be a function like function* (scope) { ... }, got ${describeValue(body)}` +
        (isAwaitable(body) ? " (pass the function itself, not the coroutine it returns)" : ""),
    );
  }
}

/**
 * Runs `body(scope)` with a deadline `delayMs` after the scope is entered (asyncio.timeout):
 * `const v = yield* timeout(5000, function* (scope) { ...; return v })`. When the deadline
 * passes, the body is cancelled at its current `yield` and, once it has unwound, the scope
 * raises `TimeoutError` (whose `cause` is the CancelledError). `null` means no deadline
 * (it can be set later with `scope.reschedule()`); 0 or less fires on the next iteration.
 *
 * @example
 * ```ts
 * import { run, sleep, timeout, TimeoutError, VirtualClock, type Coroutine } from "genloop";
 *
 * function* main(): Coroutine<string> {
 *   try {
 *     return yield* timeout(1000, function* () {
 *       yield* sleep(5000);          // cancelled after 1 s
 *       return "finished";
 *     });
 *   } catch (e) {
 *     if (e instanceof TimeoutError) return "timed out";
 *     throw e;
 *   }
 * }
 * run(main(), { clock: new VirtualClock() });  // "timed out"
 * ```
 */
export function timeout<A extends Awaitable<unknown>>(delayMs: number | null, body: TimeoutBody<A>): TimeoutEffect<ResultOf<A>> {
  return new TimeoutEffect(delayMs ?? null, body as (scope: Timeout) => Awaitable<ResultOf<A>>);
}

/** Like `timeout()`, with an absolute deadline in loop time (ms, as `loop.time()`), or null. */
export function timeoutAt<A extends Awaitable<unknown>>(whenMs: number | null, body: TimeoutBody<A>): TimeoutAtEffect<ResultOf<A>> {
  return new TimeoutAtEffect(whenMs ?? null, body as (scope: Timeout) => Awaitable<ResultOf<A>>);
}
