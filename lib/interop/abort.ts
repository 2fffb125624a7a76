// AbortSignal interop, both ways (part of genloop/promise; the core never imports it):
// a task's cancellation aborts host operations, and an AbortSignal cancels a task.
import { describeValue } from "../describe.js";
import { isAwaitable } from "../ensure-future.js";
import { CancelledError, RuntimeError } from "../errors.js";
import { Future } from "../future.js";

import type { Awaitable, Coroutine, ResultOf } from "../types.js";

/** The parts of an AbortSignal that genloop uses. */
export interface AbortSignalLike {
  /** True once the signal has aborted. */
  readonly aborted: boolean;
  /** Why it aborted (for genloop's signals, the task's CancelledError). */
  readonly reason: unknown;
  /** Calls `listener` when the signal aborts. */
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  /** Stops calling `listener`. */
  removeEventListener(type: "abort", listener: () => void): void;
}

/**
 * The host's `AbortSignal` type where the program has one (DOM or Node types), so a signal
 * genloop hands out goes straight to `fetch`; `AbortSignalLike` where it has none.
 */
export type HostAbortSignal = typeof globalThis extends { AbortSignal: { prototype: infer S } } ? S : AbortSignalLike;

interface AbortControllerLike {
  readonly signal: AbortSignalLike;
  abort(reason?: unknown): void;
}

/** A signal genloop made, as the host's type. */
export function asHost(signal: AbortSignalLike): HostAbortSignal {
  return signal as unknown as HostAbortSignal;
}

/** The host's AbortController, or a RuntimeError naming `where` when the host has none. */
export function abortControllerOf(where: string): AbortControllerLike {
  const Ctor = typeof globalThis !== "undefined" ? (globalThis as { AbortController?: new () => AbortControllerLike }).AbortController : undefined;
  if (typeof Ctor !== "function") {
    throw new RuntimeError(
      `${where}: this host has no AbortController, so there is no AbortSignal to give; ` +
        "cancel the task instead (its wait stops), or install an AbortController polyfill",
    );
  }
  return new Ctor();
}

/** The abort reason for a cancellation: a CancelledError carrying the cancel message. */
export function abortReason(message: string | undefined): CancelledError {
  return new CancelledError(message ?? "");
}

/**
 * Runs `body(signal)` in the current task with an AbortSignal tied to the task's cancellation:
 * when the task is cancelled (by `cancel()`, an enclosing `timeout`/`waitFor`, a `taskGroup`),
 * the signal aborts as the `CancelledError` leaves the body, with that error as its reason, so
 * every host operation handed the signal (`fetch`, `addEventListener`, streams) is aborted.
 * An error leaving the body aborts it too (with that error); a body that returns leaves it as is.
 *
 * @param body a generator function given the signal: `function* (signal) { ... }`
 * @returns a coroutine: `const v = yield* withAbortSignal(function* (signal) { ... })`
 * @throws TypeError when `body` is not a function; RuntimeError (when run) if the host has no AbortController
 * @example
 * yield* withAbortSignal(function* (signal) {
 *   const socket = new WebSocket(url);
 *   signal.addEventListener("abort", () => socket.close());
 *   yield* forEach(messagesOf(socket), handle);
 * });
 */
export function withAbortSignal<A extends Awaitable<unknown>>(body: (signal: HostAbortSignal) => A): Coroutine<ResultOf<A>> {
  if (typeof body !== "function") {
    throw new TypeError(`withAbortSignal: the body must be a function like function* (signal) { ... }, got ${describeValue(body)}`);
  }
  return abortScope(body as (signal: HostAbortSignal) => Awaitable<ResultOf<A>>);
}

function* abortScope<T>(body: (signal: HostAbortSignal) => Awaitable<T>): Coroutine<T> {
  const controller = abortControllerOf("withAbortSignal");
  try {
    const awaitable = body(asHost(controller.signal));
    if (!isAwaitable(awaitable)) {
      throw new TypeError(`withAbortSignal: the body must return a coroutine (write it as function* (signal) { ... }), got ${describeValue(awaitable)}`);
    }
    return (yield awaitable) as T;
  } catch (error) {
    controller.abort(error);
    throw error;
  }
}

/**
 * Cancels `task` when `signal` aborts (a request handler whose client went away), with the
 * abort reason's message as the cancel message; at once if it is aborted already. The
 * listener is removed when the task is done, or by calling the returned function.
 *
 * @param task the task to cancel
 * @param hostSignal the signal to follow
 * @returns a function that stops following the signal
 * @throws TypeError when `task` is not a Task/Future or `signal` is not an AbortSignal
 */
export function cancelOnAbort(task: Future<unknown>, hostSignal: HostAbortSignal): () => void {
  if (!(task instanceof Future)) {
    throw new TypeError(`cancelOnAbort: a Task or Future was expected, got ${describeValue(task)}`);
  }
  const signal = checkSignal("cancelOnAbort", hostSignal);
  if (signal.aborted) {
    task.cancel(reasonMessage(signal.reason));
    return () => {};
  }
  const onAbort = (): void => {
    task.cancel(reasonMessage(signal.reason));
  };
  const stop = (): void => {
    signal.removeEventListener("abort", onAbort);
    task.removeDoneCallback(stop);
  };
  signal.addEventListener("abort", onAbort, { once: true });
  task.addDoneCallback(stop);
  return stop;
}

/** Checks that `signal` looks like an AbortSignal; returns it. */
export function checkSignal(where: string, signal: unknown): AbortSignalLike {
  const s = signal as AbortSignalLike | null;
  if (s === null || typeof s !== "object" || typeof s.aborted !== "boolean" || typeof s.addEventListener !== "function") {
    throw new TypeError(`${where}: an AbortSignal was expected (controller.signal), got ${describeValue(signal)}`);
  }
  return s;
}

/** The cancel message for an abort reason: an error's message, or the reason as text. */
function reasonMessage(reason: unknown): string {
  if (reason instanceof Error) return reason.message === "" ? `aborted: ${reason.name}` : reason.message;
  return reason === undefined ? "aborted" : String(reason);
}


/**
 * Gives each call of a coroutine function its own AbortSignal, aborted when that call's task
 * is cancelled (see `withAbortSignal`): `abortable(function* (signal, query) { ... })` is called
 * as `(query) => coroutine`. With a task policy, each instance gets its own signal:
 * `restartable(abortable(function* (signal, q) { return yield* fromPromise(() => fetch(url(q), { signal })) }))`,
 * and a restarted instance aborts its request.
 *
 * @param fn a generator function taking the signal first, then its own arguments
 * @returns a coroutine function of the remaining arguments (with `fn`'s name)
 * @throws TypeError when `fn` is not a function
 */
export function abortable<A extends unknown[], R>(fn: (signal: HostAbortSignal, ...args: A) => Coroutine<R>): (...args: A) => Coroutine<R> {
  if (typeof fn !== "function") {
    throw new TypeError(`abortable: a generator function (signal, ...args) => coroutine was expected, got ${describeValue(fn)}`);
  }
  const wrapped = (...args: A): Coroutine<R> => abortScope((signal) => fn(signal, ...args));
  Object.defineProperty(wrapped, "name", { value: fn.name });
  return wrapped;
}
