// Shared helpers for the sync primitive specs.
import { expect } from "chai";
import { Future, Task, getRunningLoop, ensureFuture, type Effect } from "../../lib/index.js";
import type { Co } from "../helpers.js";

/** How many waiter futures a primitive holds (CPython's `len(x._waiters)`). */
export function waiterCount(primitive: { _waiters: { length: number } | null }): number {
  return primitive._waiters?.length ?? 0;
}

/** `asyncio.create_task(prim.method())`: runs the effect as a task of its own. */
export function task<T>(effect: Effect<T>): Task<T> {
  const f = ensureFuture(effect);
  expect(f).to.be.an.instanceOf(Task);
  return f as Task<T>;
}


/** A fresh pending future on the running loop. */
export function future<T = void>(): Future<T> {
  return getRunningLoop().createFuture<T>();
}

/** Awaits `aw` and returns the error it throws (fails if it does not). */
export function* thrown(aw: Effect<unknown> | Future<unknown>): Co<unknown> {
  try {
    yield aw;
  } catch (error) {
    return error;
  }
  expect.fail("expected an error");
}
