// Shared helpers for the catalogue specs (spec/catalogue/*.spec.ts).
import { expect } from "chai";
import {
  run,
  EventLoop,
  VirtualClock,
  getRunningLoop,
} from "../lib/index.js";
import type { Coroutine, ExceptionContext } from "../lib/index.js";

/** A coroutine: what a `function*` returns. */
export type Co<T = unknown> = Coroutine<T>;

/**
 * Exactly one loop iteration, as CPython's `test_utils.run_once` / the
 * `loop.call_soon(loop.stop); loop.run_forever()` idiom: every callback that
 * was ready when the iteration began runs (the stop callback is queued last).
 */
export function runBriefly(loop: EventLoop): void {
  loop.callSoon(() => loop.stop());
  loop.runForever();
}

/** Iterate until the ready queue is empty (CPython GatherTestsBase._run_loop). */
export function runReady(loop: EventLoop, max = 1000): void {
  for (let i = 0; i < max; i++) {
    const next = loop.nextDeadline();
    if (next === null || next > loop.time()) return;
    runBriefly(loop);
  }
  throw new Error("runReady: the ready queue never drained");
}

/** A loop on a virtual clock whose exception-handler calls are recorded in `ctxs`. */
export interface TestLoop {
  loop: EventLoop;
  ctxs: ExceptionContext[];
}
export function newLoop(): TestLoop {
  const loop = new EventLoop({ clock: new VirtualClock() });
  const ctxs: ExceptionContext[] = [];
  loop.setExceptionHandler((_l, ctx) => {
    ctxs.push(ctx);
  });
  return { loop, ctxs };
}

/** run() on a fresh virtual clock. */
export function vrun<T>(main: Co<T>, debug?: boolean): T {
  return debug === undefined
    ? run(main, { clock: new VirtualClock() })
    : run(main, { clock: new VirtualClock(), debug });
}

/** Inside a running loop: record every exception-handler call of that loop. */
export function captureHandler(): ExceptionContext[] {
  const ctxs: ExceptionContext[] = [];
  getRunningLoop().setExceptionHandler((_l, ctx) => {
    ctxs.push(ctx);
  });
  return ctxs;
}

/** Calls fn, asserts it throws an instance of `cls`, and returns the error. */
export function catchError<E>(fn: () => unknown, cls: abstract new (...a: any[]) => E): E {
  let thrown: unknown = undefined;
  let didThrow = false;
  try {
    fn();
  } catch (e) {
    didThrow = true;
    thrown = e;
  }
  expect(didThrow, "expected the call to throw").to.equal(true);
  expect(thrown).to.be.an.instanceOf(cls as any);
  return thrown as E;
}

/** Loop time of the running loop. */
export function now(): number {
  return getRunningLoop().time();
}

/** A coroutine that never yields and returns v (a plain `async def` without await). */
export function* value<T>(v: T): Co<T> {
  return v;
}

/** The standard `cause` of an error (ES2022; the compile target's lib predates it). */
export function causeOf(e: unknown): unknown {
  return (e as { cause?: unknown }).cause;
}

/** The generator that `YieldOnce` and a sleep descriptor's own iteration stand in for. */
export function* yieldOnceReference(awaited: unknown): Generator<unknown, unknown, any> {
  return yield awaited;
}

/** A sequence of calls on an iterator: the method and its argument. */
export type IteratorOp = ["next", unknown] | ["return", unknown] | ["throw", unknown];

/** Applies `ops` to an iterator and records every result (copied: `{ value, done }`) or thrown value. */
export function traceIterator(it: Iterator<unknown, unknown, any>, ops: IteratorOp[]): unknown[] {
  return ops.map(([method, arg]) => {
    try {
      const r = (it as Generator<unknown, unknown, any>)[method](arg as never);
      return { ok: { value: r.value, done: r.done } };
    } catch (error) {
      return { threw: error };
    }
  });
}

/** Call sequences that exercise every state of a once-yielding iterator. */
export const ONCE_SEQUENCES: IteratorOp[][] = [
  [["next", 1], ["next", 2], ["next", 3]],
  [["next", undefined], ["throw", "boom"], ["next", 4]],
  [["throw", "boom"], ["next", 1]],
  [["return", 7], ["next", 1], ["throw", "boom"]],
  [["next", 1], ["return", 9], ["next", 2], ["return", 3]],
  [["next", 1], ["next", 2], ["throw", "boom"], ["return", 5]],
  [["next", 1], ["throw", null], ["throw", undefined]],
];
