import { describeValue } from "./describe.js";
import { Effect } from "./effect.js";
import { CancelledError } from "./errors.js";
import { ensureFuture, isAwaitable } from "./ensure-future.js";
import { Future, FutureState } from "./future.js";
import type { EventLoop } from "./loop.js";
import type { Runnable } from "./ready-queue.js";
import type { Awaitable, ResultOf } from "./types.js";

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

  constructor(
    loop: EventLoop,
    private readonly children: readonly Future<unknown>[],
    private readonly returnExceptions = false,
  ) {
    super(loop);
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
  const byArg = new Map<unknown, Future<unknown>>();
  const children: Future<unknown>[] = [];
  const alreadyDone: Future<unknown>[] = [];
  const outer = new GatheringFuture<unknown[]>(loop, children, returnExceptions);
  for (const arg of awaitables) {
    let child = byArg.get(arg);
    if (child === undefined) {
      child = ensureFuture(arg, loop);
      if (child._loop !== loop) {
        throw new RangeError("gather: all futures must belong to the same event loop as the gather");
      }
      byArg.set(arg, child);
      if (child.done()) alreadyDone.push(child);
      else child._addWaiter(new ChildDone(outer, child));
    }
    children.push(child);
  }
  outer._total = byArg.size;
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
  if (child._state === FutureState.Cancelled) return new CancelledError(child._cancelMessageText() ?? "");
  return child.failed() ? child.exception() : child.result();
}

/** The descriptor `gather(...)` returns. */
export class GatherEffect<T> extends Effect<T> {
  readonly kind = "gather";
  constructor(
    readonly awaitables: readonly Awaitable<unknown>[],
    readonly returnExceptions: boolean,
  ) {
    super();
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
  const last = args[args.length - 1];
  if (args.length > 0 && !isAwaitable(last) && typeof last === "object" && last !== null && !Array.isArray(last)) {
    const unknownKeys = Object.keys(last).filter((k) => k !== "returnExceptions");
    if (unknownKeys.length > 0) {
      throw new TypeError(`gather: unknown option(s) ${unknownKeys.join(", ")}; the only option is { returnExceptions }`);
    }
    returnExceptions = Boolean((last as GatherOptions).returnExceptions);
    args = args.slice(0, -1);
  }
  args.forEach((arg, i) => {
    if (!isAwaitable(arg)) {
      const hint = Array.isArray(arg) ? " (spread an array: gather(...items))" : "";
      throw new TypeError(
        `gather: argument ${i + 1} is ${describeValue(arg)}, not an awaitable: pass coroutines, futures, tasks or effects${hint}`,
      );
    }
  });
  return new GatherEffect(args as Awaitable<unknown>[], returnExceptions);
}
