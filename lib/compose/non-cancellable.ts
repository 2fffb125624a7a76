import { describeValue } from "../describe.js";
import { isAwaitable } from "../ensure-future.js";
import { CancelledError, TimeoutError } from "../errors.js";
import type { TimerHandle } from "../handle.js";
import { realm } from "../running.js";
import { DEFERRED_CANCEL, MUST_CANCEL, NON_CANCELLABLE, type Task } from "../task.js";
import type { Awaitable, Coroutine, ResultOf } from "../types.js";
import { InlineEffect } from "./inline-effect.js";
import { checkOptionalMs, checkOptions } from "./validate.js";

/** Options of `nonCancellable`. */
export interface NonCancellableOptions {
  /**
   * A limit in ms on the block itself, so that cleanup cannot hang for ever: when it passes,
   * the block is cancelled (through its own protection) and, unless a deferred cancellation
   * is due, the scope raises `TimeoutError`. Default null: no limit.
   */
  timeLimitMs?: number | null;
}

/** The descriptor `nonCancellable(body, options)` returns. */
export class NonCancellableEffect<T> extends InlineEffect<T> {
  /** Always `"nonCancellable"`. */
  readonly kind = "nonCancellable";
  constructor(
    /** The block that runs with cancellation deferred. */
    readonly body: () => Awaitable<T>,
    /** The time limit of the block in ms, or null for none. */
    readonly timeLimit: number | null,
  ) {
    super();
    Object.freeze(this);
  }

  /** @internal */
  _coroutine(): Coroutine<T> {
    return nonCancellableScope(this.body, this.timeLimit);
  }
}

/**
 * Enters a non-cancellable scope in `task`: from now on requests are counted and deferred; one
 * requested but not delivered yet is deferred too. Returns what to give back to `leaveScope`
 * (non-zero when already inside one).
 */
function enterScope(task: Task<unknown>): number {
  const outer = task._flags & NON_CANCELLABLE;
  if ((task._flags & MUST_CANCEL) !== 0) task._flags = (task._flags & ~MUST_CANCEL) | DEFERRED_CANCEL;
  task._flags |= NON_CANCELLABLE;
  return outer;
}

/**
 * Leaves the scope `enterScope` returned `outer` for. Only the outermost scope hands over a
 * deferred request: it returns true, and with `rearm` the request is delivered at the task's
 * next suspension; without, the caller delivers it by throwing.
 */
function leaveScope(task: Task<unknown>, outer: number, rearm: boolean): boolean {
  if (outer !== 0) return false;
  const deferred = (task._flags & DEFERRED_CANCEL) !== 0;
  task._flags &= ~(NON_CANCELLABLE | DEFERRED_CANCEL);
  if (deferred && rearm) task._flags |= MUST_CANCEL;
  return deferred;
}

/**
 * A request that goes through a non-cancellable scope (the scope's own time limit): cancels what
 * the task waits on now; a deferred request and its message stay deferred.
 */
function cancelThroughScope(task: Task<unknown>, msg: string): void {
  const flags = task._flags & (NON_CANCELLABLE | DEFERRED_CANCEL);
  const deferredMessage = task._cancelMessage();
  task._flags &= ~flags;
  task.cancel(msg);
  task._flags |= flags;
  if ((flags & DEFERRED_CANCEL) !== 0) task._setCancelMessage(deferredMessage);
}

/**
 * Runs `body()` in the current task with cancellation deferred. Invariants: the task's
 * NON_CANCELLABLE bit is set for exactly the time the body runs (nested scopes leave it to the
 * outermost); every request that arrives meanwhile is counted in `cancelling()` and delivered
 * once, when the outermost scope ends; the time limit's own request is withdrawn (`uncancel`)
 * when the scope ends, as a timeout scope withdraws its own.
 */
function* nonCancellableScope<T>(body: () => Awaitable<T>, timeLimit: number | null): Coroutine<T> {
  const task = realm.currentTask as Task<unknown>;
  const outer = enterScope(task);
  let expired = false;
  let limit: TimerHandle | null = null;
  if (timeLimit !== null) {
    limit = task._loop.callLater(timeLimit, () => {
      expired = true;
      cancelThroughScope(task, `nonCancellable: the time limit of ${timeLimit} ms passed`);
    });
  }
  const withdrawLimit = (): void => {
    if (limit !== null) limit.cancel();
    if (expired) task.uncancel();
  };
  let result: T;
  try {
    const awaitable = body();
    if (!isAwaitable(awaitable)) {
      throw new TypeError(
        `nonCancellable: the body must return a coroutine (write it as function* () { ... }), got ${describeValue(awaitable)}`,
      );
    }
    result = (yield awaitable) as T;
  } catch (error) {
    withdrawLimit();
    const cancelled = error instanceof CancelledError;
    // A deferred request goes out as this CancelledError, or else at the next suspension
    // (an error propagating is never replaced).
    const due = leaveScope(task, outer, !cancelled);
    if (cancelled && due) throw task._makeCancelledError();
    if (cancelled && expired) {
      throw new TimeoutError(`nonCancellable: the block did not finish within its time limit of ${timeLimit} ms`, { cause: error });
    }
    throw error;
  }
  withdrawLimit();
  // A request deferred meanwhile is delivered at the task's next suspension (trio's next
  // checkpoint), not thrown here: in a finally block, throwing here would replace the error
  // that is propagating through it.
  leaveScope(task, outer, true);
  return result;
}

/**
 * Runs `body()` protected from cancellation (trio's shielded cancel scope, Kotlin's
 * `NonCancellable`): while it runs, `task.cancel()` — from a caller, an enclosing `timeout`
 * or a `taskGroup` that aborts — is counted (`cancelling()` goes up as usual) but not
 * delivered. When the block ends, the deferred request is delivered once, as trio does: the
 * task's next suspension (its next `yield` that waits) throws `CancelledError`, and a task
 * that returns first ends cancelled; an error propagating out of the block (or through the
 * `finally` it sits in) is never replaced by it. Use it for cleanup that must finish:
 * `finally { yield* nonCancellable(function* () { yield* release(); yield* log() }) }`.
 * `uncancel()` inside the block withdraws a deferred request as usual. Nested scopes defer to
 * the outermost one. `options.timeLimitMs` bounds the block itself: when it passes, the block
 * is cancelled and the scope raises `TimeoutError` (or the deferred `CancelledError`, if one
 * is due). Futures the block waits on are not cancelled by requests deferred meanwhile.
 *
 * @param body a generator function: `function* () { ... }`; its coroutine runs in the current task
 * @param options `{ timeLimitMs }`: a time limit in ms on the block, or null (default) for none
 * @returns an effect; `yield*` it for the body's result
 * @throws TypeError (at the call) when `body` is not a function or an option is not a number
 * @example
 * function* worker(conn: Connection) {
 *   try {
 *     yield* conn.serve();
 *   } finally {
 *     // both steps run even if the task is cancelled again (a timeout, a task group) meanwhile
 *     yield* nonCancellable(function* () {
 *       yield* conn.flush();
 *       yield* conn.close();
 *     }, { timeLimitMs: 5000 });
 *   }
 * }
 */
export function nonCancellable<A extends Awaitable<unknown>>(
  body: () => A,
  options?: NonCancellableOptions,
): NonCancellableEffect<ResultOf<A>> {
  if (typeof body !== "function") {
    throw new TypeError(
      `nonCancellable: the body must be a function like function* () { ... }, got ${describeValue(body)}` +
        (isAwaitable(body) ? " (pass the function itself, not the coroutine it returns)" : ""),
    );
  }
  checkOptions("nonCancellable", options, ["timeLimitMs"]);
  const timeLimit = checkOptionalMs("nonCancellable", "options.timeLimitMs", options?.timeLimitMs);
  return new NonCancellableEffect(body as () => Awaitable<ResultOf<A>>, timeLimit);
}
