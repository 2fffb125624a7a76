import { discardEdge, futureAddToAwaitedBy } from "../graph/awaited-by.js";
import { describeValue, isGenerator } from "../describe.js";
import { Effect } from "../effect.js";
import { Future } from "../future.js";
import { realm } from "../running.js";
import type { Task } from "../task.js";
import type { Coroutine } from "../types.js";
import { notAwaitableHint } from "../ensure-future.js";
import { InlineEffect } from "./inline-effect.js";
import { checkOptionalMs, checkOptions } from "./validate.js";

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
  const waiter = loop.createFuture<void>();
  const release = (): void => {
    if (!waiter.done()) waiter.setResult(undefined);
  };
  const timeoutHandle = timeout === null ? null : loop.callLater(timeout, release);
  let counter = futures.size;
  const onCompletion = (f: Future<unknown>): void => {
    counter--;
    // Failure is a state, whatever was thrown (even null); looking marks the error as seen, as asyncio's check does.
    const failed = returnWhen === FIRST_EXCEPTION && f.failed();
    if (failed) f.exception();
    if (counter <= 0 || returnWhen === FIRST_COMPLETED || failed) {
      if (timeoutHandle !== null) timeoutHandle.cancel();
      release();
    }
  };
  for (const f of futures) {
    f.addDoneCallback(onCompletion);
    futureAddToAwaitedBy(f, task);
  }
  try {
    yield waiter;
  } finally {
    if (timeoutHandle !== null) timeoutHandle.cancel();
    for (const f of futures) {
      f.removeDoneCallback(onCompletion);
      discardEdge(f, task);
    }
  }
  const done = new Set<F>();
  const pending = new Set<F>();
  for (const f of futures) (f.done() ? done : pending).add(f);
  return [done, pending];
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
  if (aws === null || aws === undefined || typeof (aws as Iterable<F>)[Symbol.iterator] !== "function") {
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
