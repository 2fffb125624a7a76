import { describeValue, isGenerator, isOptionsBag } from "./describe.js";
import { Effect } from "./effect.js";
import { CancelledError } from "./errors.js";
import { ensureFuture, isAwaitable, notAwaitableHint, otherLoop } from "./ensure-future.js";
import { Future, FutureState, STATE_BITS } from "./future.js";
import type { EventLoop } from "./loop.js";
import type { Runnable } from "./ready-queue.js";
import { Task, isUnstartedCoroutine } from "./task.js";
import type { Awaitable, ResultOf } from "./types.js";

/** The options of `gather`, given as its last argument. */
export interface GatherOptions {
  /** Put errors (and cancellations) among the results instead of failing at the first one. */
  returnExceptions?: boolean;
}

/**
 * asyncio's `_GatheringFuture`: cancelling it cancels the children that are not done yet,
 * and once any child has actually been cancelled that way, the gather ends with
 * CancelledError whatever `returnExceptions` says.
 */
export class GatheringFuture<T> extends Future<T> {
  /** @internal */ _cancelRequested = false;
  /** @internal How many distinct children there are, and how many have finished. */ _total = 0;
  /** @internal */ _finished = 0;

  /** Made by `gather()` when the gather starts (`ensureFuture(gather(...))` returns one). */
  constructor(
    loop: EventLoop,
    private readonly children: readonly Future<unknown>[],
    private readonly returnExceptions = false,
  ) {
    super(loop);
    if (!Array.isArray(children)) throw new TypeError("GatheringFuture: made by gather(); use ensureFuture(gather(...aws))");
  }

  override cancel(msg?: string): boolean {
    if (this.done()) return false;
    let cancelledAny = false;
    for (const child of this.children) {
      if (child.cancel(msg)) cancelledAny = true;
    }
    if (cancelledAny) this._cancelRequested = true;
    return cancelledAny;
  }

  /** @internal Each child once (the same awaitable given twice is one child). */
  _distinctChildren(): Future<unknown>[] {
    const seen = new Set<Future<unknown>>();
    const distinct: Future<unknown>[] = [];
    for (const child of this.children) {
      if (!seen.has(child)) {
        seen.add(child);
        distinct.push(child);
      }
    }
    return distinct;
  }

  /** @internal How many children there are, and how many are done: for descriptions. */
  _progress(): { total: number; done: number } {
    return { total: this._total, done: this._finished };
  }

  /** @internal A child is done: fail at its error, or resolve once every child is done. */
  _onChildDone(child: Future<unknown>): void {
    this._finished++;
    if (this.done()) {
      // Too late to matter: mark the error as seen so it is not reported as never retrieved.
      if (!child.cancelled()) child.exception();
      return;
    }
    if (!this.returnExceptions) {
      if (child.cancelled()) {
        this._reject(child._makeCancelledError());
        return;
      }
      if (child.failed()) {
        this._reject(child.exception());
        return;
      }
    }
    if (this._finished === this._total) {
      const children = this.children;
      const results = children.map(resultOrError);
      if (this._cancelRequested) {
        // The gather was cancelled: propagate that, even with returnExceptions (issue 32684).
        // The error is made from the LAST child, as asyncio's `fut._make_cancelled_error()`
        // after its `for fut in children` loop: its message, "" if that child was not cancelled.
        this._reject(children[children.length - 1]._makeCancelledError());
      } else {
        this._resolve(results as T);
      }
    }
  }
}

/** Starts a gather on `loop`: schedules the children and returns the gathering future. */
function startGather(loop: EventLoop, awaitables: readonly Awaitable<unknown>[], returnExceptions: boolean): Future<unknown[]> {
  if (awaitables.length === 0) {
    const empty = loop.createFuture<unknown[]>();
    empty.setResult([]);
    return empty;
  }
  // Refused before any child starts, so no task is left running unwatched (asyncio's ValueError).
  for (const arg of awaitables) if (arg instanceof Future && arg._loop !== loop) throw otherLoop("gather", arg);
  const children: Future<unknown>[] = [];
  const alreadyDone: Future<unknown>[] = [];
  const outer = new GatheringFuture<unknown[]>(loop, children, returnExceptions);
  // The same awaitable given twice is one child. A coroutine that no task has started cannot be
  // a repeat of an earlier argument (the task made for that one would own it, unless it is in
  // the table): it skips the table of arguments, kept for the others. Only a started coroutine can repeat one that
  // skipped it: the first time one comes, the table takes every argument before it, and then
  // every argument (a rare case: the same coroutine twice, or a coroutine a task owns already).
  let byArg: Map<unknown, Future<unknown>> | null = null;
  let complete = false; // byArg holds every argument so far
  let distinct = 0;
  for (let i = 0; i < awaitables.length; i++) {
    const arg = awaitables[i];
    let child: Future<unknown> | undefined;
    if (!complete && isUnstartedCoroutine(arg) && (byArg === null || !byArg.has(arg))) {
      child = ensureFuture(arg, loop);
      // A task that owns `arg` keeps it marked started, so a repeat takes the other branch; an
      // eager task done already, or a task a task factory made on another coroutine, does not:
      // those go in the table, where a repeat finds them.
      if (!(child instanceof Task && !child.done() && child.getCoro() === arg)) (byArg ??= new Map()).set(arg, child);
    } else {
      byArg ??= new Map();
      if (!complete && isGenerator(arg)) {
        for (let j = 0; j < i; j++) byArg.set(awaitables[j], children[j]);
        complete = true;
      }
      child = byArg.get(arg);
      if (child !== undefined) {
        children.push(child);
        continue;
      }
      child = ensureFuture(arg, loop);
      byArg.set(arg, child);
    }
    distinct++;
    if (child.done()) alreadyDone.push(child);
    else if (child.addDoneCallback === Future.prototype.addDoneCallback) child._addWaiter(new ChildDone(outer, child));
    else child.addDoneCallback((done) => outer._onChildDone(done)); // a subclass's override is told, as asyncio does
    children.push(child);
  }
  outer._total = distinct;
  // Children that finished before the gather started complete it now (asyncio 3.12+).
  for (const child of alreadyDone) outer._onChildDone(child);
  return outer;
}

/**
 * A child's done callback, queued as it is: what `addDoneCallback(onChildDone)` would queue
 * (a Handle calling it with the child), at the same place in the ready queue, without the
 * Handle, its arguments array and a closure per gather.
 */
class ChildDone implements Runnable {
  constructor(
    private readonly outer: GatheringFuture<unknown[]>,
    private readonly child: Future<unknown>,
  ) {}

  _run(): void {
    this.outer._onChildDone(this.child);
  }

  toString(): string {
    return "<gather child done callback>";
  }
}

function resultOrError(child: Future<unknown>): unknown {
  // A cancelled child becomes a fresh CancelledError carrying the child's own cancel message.
  if ((child._flags & STATE_BITS) === FutureState.Cancelled) return new CancelledError(child._cancelMessageText() ?? "");
  return child.failed() ? child.exception() : child.result();
}

/** The descriptor `gather(...)` returns. */
export class GatherEffect<T> extends Effect<T> {
  /** Always `"gather"`. */
  readonly kind = "gather";
  /**
   * Prefer `gather(...awaitables)`; the constructor validates the same way.
   * @throws TypeError if `awaitables` is not an array of awaitables or `returnExceptions` not a boolean.
   */
  constructor(
    /** What is gathered, in argument order. */
    readonly awaitables: readonly Awaitable<unknown>[],
    /** Whether errors are returned among the results. */
    readonly returnExceptions: boolean,
  ) {
    super();
    checkAwaitables(awaitables);
    if (typeof returnExceptions !== "boolean") {
      throw new TypeError(`GatherEffect: returnExceptions must be a boolean, got ${describeValue(returnExceptions)}`);
    }
    Object.freeze(this);
  }

  /** @internal */
  _start(loop: EventLoop): Future<T> {
    return startGather(loop, this.awaitables, this.returnExceptions) as Future<T>;
  }
}

type Results<A extends readonly unknown[]> = { -readonly [K in keyof A]: ResultOf<A[K]> };
type Settled<A extends readonly unknown[]> = { -readonly [K in keyof A]: ResultOf<A[K]> | Error };

/**
 * Runs awaitables concurrently and returns their results in order (asyncio.gather).
 * Coroutines and effects become tasks when the gather starts; the same awaitable given
 * twice runs once. The first error propagates at once and the others keep running; with
 * `{ returnExceptions: true }` errors are placed among the results. Cancelling the gather
 * cancels every child not yet done.
 *
 * @example
 * ```ts
 * import { run, sleep, gather, type Coroutine } from "genloop";
 *
 * function* double(n: number): Coroutine<number> {
 *   yield* sleep(10 * n);
 *   return 2 * n;
 * }
 * function* main(): Coroutine<[number, number, string]> {
 *   return yield* gather(double(1), double(2), sleep(5, "five"));  // run concurrently; typed tuple
 * }
 * console.log(run(main()));  // [ 2, 4, 'five' ]
 * ```
 */
export function gather<A extends readonly Awaitable<unknown>[]>(...awaitables: A): GatherEffect<Results<A>>;
export function gather<A extends readonly Awaitable<unknown>[]>(
  ...args: [...A, GatherOptions & { returnExceptions: true }]
): GatherEffect<Settled<A>>;
export function gather<A extends readonly Awaitable<unknown>[]>(
  ...args: [...A, GatherOptions]
): GatherEffect<Results<A> | Settled<A>>;
export function gather(...args: unknown[]): GatherEffect<unknown[]> {
  let returnExceptions = false;
  // Only a plain object is the options bag: a promise, an Error or a Map in the last place is
  // an argument like the others (and refused as not awaitable), never silently dropped.
  // (An ES5 build's coroutines are plain objects too: they are awaitables, not options.)
  if (args.length > 0 && isOptionsBag(args[args.length - 1]) && !isAwaitable(args[args.length - 1])) {
    const options = args[args.length - 1] as GatherOptions;
    const unknownKeys = Object.keys(options).filter((k) => k !== "returnExceptions");
    if (unknownKeys.length > 0) {
      throw new TypeError(`gather: unknown option(s) ${unknownKeys.join(", ")}; the only option is { returnExceptions }`);
    }
    returnExceptions = Boolean(options.returnExceptions);
    args = args.slice(0, -1);
  }
  return new GatherEffect(args as Awaitable<unknown>[], returnExceptions);
}

/** @throws TypeError naming the first argument of a gather that is not an awaitable. */
function checkAwaitables(awaitables: unknown): void {
  if (!Array.isArray(awaitables)) {
    throw new TypeError(`GatherEffect: the awaitables must be an array, got ${describeValue(awaitables)}; use gather(...awaitables)`);
  }
  for (let i = 0; i < awaitables.length; i++) {
    const arg: unknown = awaitables[i];
    if (!isAwaitable(arg)) {
      throw new TypeError(
        `gather: argument ${i + 1} is ${describeValue(arg)}, not an awaitable: pass coroutines, futures, tasks or effects${notAwaitableHint(arg)}`,
      );
    }
  }
}
