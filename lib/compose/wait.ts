import { describeValue, isGenerator } from "../describe.js";
import { Effect } from "../effect.js";
import { Future } from "../future.js";
import { realm } from "../running.js";
import type { Task } from "../task.js";
import type { EventLoop } from "../loop.js";
import type { TimerHandle } from "../handle.js";
import type { Runnable } from "../ready-queue.js";
import type { Coroutine } from "../types.js";
import { notAwaitableHint } from "../ensure-future.js";
import { InlineEffect } from "./inline-effect.js";
import { checkOptionalMs, checkOptions, isIterable } from "./validate.js";

/** `wait()` returns as soon as any future is done (or cancelled). */
export const FIRST_COMPLETED = "FIRST_COMPLETED";
/** `wait()` returns as soon as any future fails (cancellation is not failure), else when all are done. */
export const FIRST_EXCEPTION = "FIRST_EXCEPTION";
/** `wait()` returns when every future is done (the default). */
export const ALL_COMPLETED = "ALL_COMPLETED";

/** When `wait` returns: `FIRST_COMPLETED`, `FIRST_EXCEPTION` or `ALL_COMPLETED`. */
export type ReturnWhen = typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | typeof ALL_COMPLETED;

/** Options of `wait`. */
export interface WaitOptions {
  /** Milliseconds to wait at most; null/undefined: no limit. On timeout nothing is cancelled. */
  timeout?: number | null;
  /** When to return: `ALL_COMPLETED` (default), `FIRST_COMPLETED` or `FIRST_EXCEPTION`. */
  returnWhen?: ReturnWhen;
}

/** The descriptor `wait(aws, options)` returns: `[done, pending]`. */
export class WaitEffect<F extends Future<unknown>> extends InlineEffect<[done: Set<F>, pending: Set<F>]> {
  /** Always `"wait"`. */
  readonly kind = "wait";
  /**
   * Prefer `wait(aws, options)`; the constructor validates the same way.
   * @throws TypeError unless `futures` is a non-empty Set of futures; RangeError for a bad timeout or returnWhen.
   */
  constructor(
    /** The futures and tasks waited on. */
    readonly futures: ReadonlySet<F>,
    /** The time limit in ms, or null for none. */
    readonly timeout: number | null,
    /** When to return. */
    readonly returnWhen: ReturnWhen,
  ) {
    super();
    if (!(futures instanceof Set)) throw new TypeError(`WaitEffect: futures must be a Set of futures, got ${describeValue(futures)}; use wait(aws)`);
    checkFutures(futures);
    checkOptionalMs("wait", "the timeout", timeout);
    checkReturnWhen(returnWhen);
    Object.freeze(this);
  }

  /** @internal */
  _coroutine(): Coroutine<[Set<F>, Set<F>]> {
    return waitCoroutine(this.futures, this.timeout, this.returnWhen);
  }
}

/** asyncio's `_wait`: a waiter future released by the futures' done callbacks or the timeout. */
function* waitCoroutine<F extends Future<unknown>>(
  futures: ReadonlySet<F>,
  timeout: number | null,
  returnWhen: ReturnWhen,
): Coroutine<[Set<F>, Set<F>]> {
  const task = realm.currentTask as Task<unknown>;
  const loop = task._loop;
  for (const f of futures) {
    if (f._loop !== loop) throw new RangeError("wait: every future must belong to the loop of the waiting task");
  }
  const waiter = new WaitFuture<F>(loop, futures, returnWhen);
  if (timeout !== null) waiter._timeoutHandle = loop.callLater(timeout, releaseWait, waiter);
  for (const f of futures) waiter._watch(f);
  try {
    yield waiter;
  } finally {
    waiter._unwatch();
  }
  const done = new Set<F>();
  const pending = new Set<F>();
  for (const f of futures) (f.done() ? done : pending).add(f);
  return [done, pending];
}

/**
 * The future a task waits on inside `wait()`: asyncio's `waiter`, released by the futures'
 * completions (asyncio's `_on_completion` done callbacks) or the timeout.
 *
 * It is its own done callback: queued by a future that is done, its run counts that future, at
 * the place in the ready queue where asyncio's callback runs, without a Handle, an arguments
 * array and a context per future (FIRST_EXCEPTION, which must look at the future, and a future
 * whose class overrides `addDoneCallback`, which must be told, get a function). And since it
 * knows the futures, the call graph reads the waiting task's awaited-by edges from it
 * (`_awaitedFutures`) while the task waits on it: none is recorded or dropped per future.
 */
class WaitFuture<F extends Future<unknown>> extends Future<void> implements Runnable {
  /** @internal The timeout's timer, or null. */
  _timeoutHandle: TimerHandle | null = null;
  /** How many futures are not done yet (counted as their callbacks run). */
  private _counter: number;
  /** The done callback given to `addDoneCallback`, when one is needed (see above); made on first use. */
  private _onCompletion: ((f: Future<unknown>) => void) | null = null;

  constructor(
    loop: EventLoop,
    private readonly _futures: ReadonlySet<F>,
    private readonly _returnWhen: ReturnWhen,
  ) {
    super(loop);
    this._counter = _futures.size;
  }

  /** Registers the completion of `f`. */
  _watch(f: F): void {
    if (this._returnWhen !== FIRST_EXCEPTION && f.addDoneCallback === Future.prototype.addDoneCallback) f._addWaiter(this);
    else f.addDoneCallback((this._onCompletion ??= (done) => this._completed(done)));
  }

  /** The wait is over: the timeout and the completions not run yet are dropped. */
  _unwatch(): void {
    if (this._timeoutHandle !== null) this._timeoutHandle.cancel();
    const onCompletion = this._onCompletion;
    for (const f of this._futures) {
      if (onCompletion !== null) f.removeDoneCallback(onCompletion);
      f._removeWaiters((cb) => cb === this);
    }
  }

  /** @internal One of the futures is done. */
  _run(): void {
    this._completed(null);
  }

  /** asyncio's `_on_completion(f)`; `f` is needed by FIRST_EXCEPTION only. */
  private _completed(f: Future<unknown> | null): void {
    this._counter--;
    // Failure is a state, whatever was thrown (even null); looking marks the error as seen, as asyncio's check does.
    const failed = this._returnWhen === FIRST_EXCEPTION && (f as Future<unknown>).failed();
    if (failed) (f as Future<unknown>).exception();
    if (this._counter <= 0 || this._returnWhen === FIRST_COMPLETED || failed) {
      if (this._timeoutHandle !== null) this._timeoutHandle.cancel();
      releaseWait(this);
    }
  }

  /** @internal The futures the waiting task awaits through this one: all of them, while it waits (see AwaitedByIndex). */
  _awaitedFutures(): ReadonlySet<F> {
    return this._futures;
  }

  /** Described as the plain future asyncio's `_wait` waits on. */
  override toString(): string {
    return `<Future ${this._describeState()}>`;
  }
}

function releaseWait(waiter: Future<void>): void {
  if (!waiter.done()) waiter._resolve(undefined);
}

/**
 * Waits for futures/tasks (asyncio.wait) and returns `[done, pending]` sets. It never
 * raises the futures' errors and never cancels anything, not even on timeout. `aws` is any
 * iterable of futures or tasks (duplicates collapse); coroutines and effects are refused:
 * wrap them with `createTask()` / `ensureFuture()` first so you hold the tasks you wait on.
 *
 * @example
 * ```ts
 * import { run, sleep, createTask, wait, FIRST_COMPLETED, VirtualClock, type Coroutine } from "genloop";
 *
 * function* main(): Coroutine<number> {
 *   const tasks = [300, 100, 200].map((ms) => createTask((function* () { yield* sleep(ms); return ms; })()));
 *   const [done, pending] = yield* wait(tasks, { returnWhen: FIRST_COMPLETED });
 *   for (const t of pending) t.cancel();
 *   return [...done][0]!.result();  // 100
 * }
 * run(main(), { clock: new VirtualClock() });
 * ```
 */
export function wait<F extends Future<unknown>>(aws: Iterable<F>, options?: WaitOptions): WaitEffect<F> {
  if (aws instanceof Future || aws instanceof Effect || isGenerator(aws)) {
    const hint = isGenerator(aws)
      ? " (a generator object is taken for a coroutine: to pass a generator of tasks, spread it: wait([...tasks]))"
      : " (put it in an array: wait([task]))";
    throw new TypeError(`wait: expected an iterable of futures or tasks, not ${describeValue(aws)}${hint}`);
  }
  if (!isIterable(aws)) {
    throw new TypeError(`wait: expected an iterable of futures or tasks (an array or a Set), got ${describeValue(aws)}`);
  }
  checkOptions("wait", options, ["timeout", "returnWhen"]);
  const timeout = checkOptionalMs("wait", "the timeout", options?.timeout);
  const returnWhen = options?.returnWhen ?? ALL_COMPLETED;
  checkReturnWhen(returnWhen);
  return new WaitEffect(new Set<F>(aws), timeout, returnWhen);
}

function checkReturnWhen(returnWhen: unknown): void {
  if (returnWhen !== FIRST_COMPLETED && returnWhen !== FIRST_EXCEPTION && returnWhen !== ALL_COMPLETED) {
    throw new RangeError(
      `wait: invalid returnWhen value: ${describeValue(returnWhen)}; use FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED`,
    );
  }
}

function checkFutures(futures: ReadonlySet<unknown>): void {
  if (futures.size === 0) throw new RangeError("wait: the set of tasks/futures is empty: pass at least one");
  let loop: unknown = undefined;
  for (const f of futures) {
    if (!(f instanceof Future)) {
      const hint =
        isGenerator(f) || f instanceof Effect
          ? "passing coroutines or effects is forbidden: wrap them in tasks explicitly (createTask(coro) / ensureFuture(effect))"
          : `pass futures or tasks${notAwaitableHint(f)}`;
      throw new TypeError(`wait: got ${describeValue(f)} among the awaitables; ${hint}`);
    }
    if (loop === undefined) loop = f._loop;
    else if (f._loop !== loop) throw new RangeError("wait: every future must belong to the same event loop (that of the waiting task)");
  }
}
