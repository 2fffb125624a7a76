import { describeValue } from "../describe.js";
import { Future, FutureState, STATE_BITS } from "../future.js";
import { GatheringFuture } from "../gather.js";
import type { EventLoop } from "../loop.js";
import { Task } from "../task.js";

/**
 * Records that `waiter` waits on `future` (asyncio 3.14's `future_add_to_awaited_by`): the call
 * graph then shows `waiter` under `future`'s "Awaited by". genloop's own operations record their
 * edges; use this for a custom operation that makes a task or future wait on another, and
 * `futureDiscardFromAwaitedBy` when the wait is over (edges of a task are dropped when it ends).
 * A task waiting on a future with `yield future` needs no call: that edge is always known.
 * @param future what is waited on.
 * @param waiter the task or future waiting on it.
 * @throws TypeError if either is not a Future (a Task is one); RangeError if they belong to different loops.
 * @example
 * ```ts
 * import { EventLoop, VirtualClock, futureAddToAwaitedBy, formatCallGraph } from "genloop";
 *
 * const loop = new EventLoop({ clock: new VirtualClock() });
 * const job = loop.createFuture<number>();
 * const watcher = loop.createFuture<void>();
 * futureAddToAwaitedBy(job, watcher);
 * console.log(formatCallGraph(job)); // * Future(id=1) … + Awaited by: … * Future(id=2)
 * ```
 */
export function futureAddToAwaitedBy(future: Future<any>, waiter: Future<any>): void {
  checkPair("futureAddToAwaitedBy", future, waiter);
  const edges = (future._loop._awaitedBy ??= new Map());
  const waiters = edges.get(future);
  if (waiters === undefined) edges.set(future, [waiter]);
  else if (waiters.indexOf(waiter) === -1) waiters.push(waiter);
}

/**
 * Forgets an edge recorded by `futureAddToAwaitedBy` (asyncio 3.14's
 * `future_discard_from_awaited_by`); nothing happens if there is none.
 * @throws TypeError if either is not a Future; RangeError if they belong to different loops.
 */
export function futureDiscardFromAwaitedBy(future: Future<any>, waiter: Future<any>): void {
  checkPair("futureDiscardFromAwaitedBy", future, waiter);
  discardEdge(future, waiter);
}

/** @internal `futureDiscardFromAwaitedBy` without the checks, for genloop's own operations. */
export function discardEdge(future: Future<any>, waiter: Future<any>): void {
  const edges = future._loop._awaitedBy;
  const waiters = edges === null ? undefined : edges.get(future);
  if (edges === null || waiters === undefined) return;
  const i = waiters.indexOf(waiter);
  if (i !== -1) waiters.splice(i, 1);
  if (waiters.length === 0) edges.delete(future);
}

function checkPair(method: string, future: unknown, waiter: unknown): void {
  if (!(future instanceof Future)) throw new TypeError(`${method}: future must be a Future or Task, got ${describeValue(future)}`);
  if (!(waiter instanceof Future)) throw new TypeError(`${method}: waiter must be a Future or Task, got ${describeValue(waiter)}`);
  if (future._loop !== waiter._loop) throw new RangeError(`${method}: the future and its waiter belong to different event loops`);
}

/**
 * @internal A live operation that knows edges of its own, registered with its loop while it is
 * live (a TaskGroup: its parent task awaits its children): the call graph asks it for them
 * instead of each being recorded and dropped one by one.
 */
export interface EdgeSource {
  /** Calls `add(future, waiter)` for each edge it knows now. */
  _addEdges(add: (future: Future<any>, waiter: Future<any>) => void): void;
}

/** @internal `source` is live on `loop`: its edges are part of the call graph until `removeEdgeSource`. */
export function addEdgeSource(loop: EventLoop, source: EdgeSource): void {
  (loop._edgeSources ??= new Set()).add(source);
}

/** @internal `source` is over. */
export function removeEdgeSource(loop: EventLoop, source: EdgeSource): void {
  if (loop._edgeSources !== null) loop._edgeSources.delete(source);
}

/**
 * @internal A future a task waits on that stands for several futures the task awaits through it
 * (wait()'s): the call graph derives those edges from it instead of recording them one by one.
 */
export interface AwaitsThrough {
  _awaitedFutures(): ReadonlySet<Future<any>>;
}

/**
 * @internal Who waits on whom on `loop` right now: for each future, its waiters. Built on
 * demand, in time linear in the pending tasks and edges, from what the loop knows anyway
 * (each task's `_waiter`, the children of the gather it waits on, the futures of the wait() it
 * is in), the live edge sources (task groups) and the recorded edges.
 */
export class AwaitedByIndex {
  private readonly _waiters = new Map<Future<any>, Future<any>[]>();
  /** The futures each node waits on: the reverse of `_waiters`. */
  private readonly _awaits = new Map<Future<any>, Future<any>[]>();

  constructor(loop: EventLoop) {
    for (const task of loop._tasks) {
      const waiter = task._waiter;
      if (!(waiter instanceof Future)) continue;
      if ((waiter._flags & STATE_BITS) === FutureState.Pending) {
        this._add(waiter, task);
        // As asyncio's gather: its children (and those of gathers among them) are awaited by the task.
        const gathers = waiter instanceof GatheringFuture ? [waiter] : [];
        for (let i = 0; i < gathers.length; i++) {
          for (const child of gathers[i]._distinctChildren()) {
            if (child.done()) continue;
            this._add(child, task);
            if (child instanceof GatheringFuture && gathers.indexOf(child) === -1) gathers.push(child);
          }
        }
      }
      // A future that stands for others (wait()'s): the task awaits those from the moment it
      // waits on it until its next step ends the operation, even once that future is done;
      // except tasks that are done, whose edges are dropped when they end (see _unregisterTask).
      const through = (waiter as Partial<AwaitsThrough>)._awaitedFutures;
      if (through !== undefined) {
        through.call(waiter).forEach((future) => {
          if ((future._flags & STATE_BITS) === FutureState.Pending || !(future instanceof Task)) this._add(future, task);
        });
      }
    }
    if (loop._edgeSources !== null) {
      const add = (future: Future<any>, waiter: Future<any>): void => {
        if (!waiter.done()) this._add(future, waiter);
      };
      loop._edgeSources.forEach((source) => source._addEdges(add));
    }
    if (loop._awaitedBy !== null) {
      loop._awaitedBy.forEach((waiters, future) => {
        for (const waiter of waiters) if (!waiter.done()) this._add(future, waiter);
      });
    }
  }

  /** The tasks and futures waiting on `future`, in the order the edges were found. */
  waitersOf(future: Future<any>): readonly Future<any>[] {
    return this._waiters.get(future) ?? [];
  }

  /** What `waiter` waits on. */
  awaitsOf(waiter: Future<any>): readonly Future<any>[] {
    return this._awaits.get(waiter) ?? [];
  }

  /** Every task or future that waits on something or is waited on. */
  nodes(): Future<any>[] {
    const all = new Set<Future<any>>();
    this._waiters.forEach((_w, f) => all.add(f));
    this._awaits.forEach((_a, w) => all.add(w));
    return Array.from(all);
  }

  private _add(future: Future<any>, waiter: Future<any>): void {
    const waiters = this._waiters.get(future);
    if (waiters === undefined) this._waiters.set(future, [waiter]);
    else if (waiters.indexOf(waiter) === -1) waiters.push(waiter);
    else return;
    const awaits = this._awaits.get(waiter);
    if (awaits === undefined) this._awaits.set(waiter, [future]);
    else awaits.push(future);
  }
}
