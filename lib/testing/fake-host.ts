import { describeValue } from "../describe.js";
import type { CallbackSetup } from "../effects/callback.js";
import type { EffectConstructor } from "../effects/custom.js";
import type { Future } from "../future.js";
import type { TimerHandle } from "../handle.js";
import type { EventLoop } from "../loop.js";
import { realm } from "../running.js";
import type { Task } from "../task.js";
import { FakeThenable } from "./thenable.js";

/** Where a fake operation stands: cancelled means the caller gave up (its cleanup ran) before it completed. */
export type FakeCallState = "pending" | "resolved" | "rejected" | "cancelled";

/** What a fake `fetch` reads of an `AbortSignal` (a real one fits). */
export interface AbortSignalLike {
  /** True once the signal fired. */
  readonly aborted: boolean;
  /** Why it fired. */
  readonly reason?: unknown;
  /** Calls `listener` when the signal fires. */
  addEventListener(type: "abort", listener: () => void): void;
  /** Removes a listener added with `addEventListener`. */
  removeEventListener(type: "abort", listener: () => void): void;
}

/** Decides how a fake operation ends when it starts (see `FakeHost.respond`); doing nothing leaves it pending. */
export type Responder = (call: FakeCall<any>) => void;

/**
 * One host operation started through a `FakeHost`: the test completes it (`resolve`, `reject`,
 * now or after some loop time), or leaves it pending, and checks how the code under test ended it.
 *
 * Invariant: it settles at most once; `state` leaves "pending" exactly once.
 */
export class FakeCall<T = unknown> {
  private _state: FakeCallState = "pending";
  private _disposed = false;
  private _aborted = false;
  /** How the operation reports its outcome to the code that started it; set when it starts. */
  private _sink: ((ok: boolean, value: unknown) => void) | null = null;
  private _timer: TimerHandle | null = null;

  /** @internal Made by a `FakeHost`. */
  constructor(
    private readonly loop: EventLoop,
    /** The operation's name (`"fetch"`, an effect kind, or the name given to `setup`/`promise`). */
    readonly name: string,
    /** The arguments it was started with (a custom effect's descriptor, fetch's url and init). */
    readonly args: readonly unknown[],
    /** The task that started it, or null when host code did. */
    readonly task: Task<unknown> | null,
  ) {
    this.startedAt = loop.time();
  }

  /** Loop time at which it started. */
  readonly startedAt: number;

  /** Where the operation stands: pending, resolved, rejected or cancelled. */
  get state(): FakeCallState {
    return this._state;
  }

  /** True once the code under test ran its cleanup (a disposer, or the AbortSignal fired). */
  get disposed(): boolean {
    return this._disposed;
  }

  /** True if it was ended through the `AbortSignal` it was given. */
  get aborted(): boolean {
    return this._aborted;
  }

  /**
   * Completes the operation with `value` (the waiting task resumes with it).
   * @returns false, doing nothing, if it had already ended (a late reply, as real hosts send).
   */
  resolve(value: T): boolean {
    return this.finish("resolved", true, value);
  }

  /**
   * Fails the operation: `error` (any value) is thrown into the waiting task.
   * @returns false, doing nothing, if it had already ended.
   */
  reject(error: unknown): boolean {
    return this.finish("rejected", false, error);
  }

  /**
   * Completes it after `delayMs` of loop time (virtual time in tests).
   * @throws TypeError if the delay is not a number of milliseconds.
   */
  resolveAfter(delayMs: number, value: T): void {
    this.later("resolveAfter", delayMs, () => this.resolve(value));
  }

  /** Fails it with `error` after `delayMs` of loop time. */
  rejectAfter(delayMs: number, error: unknown): void {
    this.later("rejectAfter", delayMs, () => this.reject(error));
  }

  /** A description: `fake fetch("/a")`. */
  toString(): string {
    return describeCall(this.name, this.args);
  }

  /** @internal The operation started: its outcome goes to `sink`. */
  _start(sink: (ok: boolean, value: unknown) => void): void {
    this._sink = sink;
  }

  /** @internal The caller's cleanup ran: a pending operation is thereby cancelled. */
  _dispose(): void {
    this._disposed = true;
    this.stop("cancelled");
  }

  /** @internal Aborted through its signal: it ends as cancelled and the caller sees `reason`. */
  _abort(reason: unknown): void {
    if (this._state !== "pending") return;
    this._aborted = true;
    this._disposed = true;
    const sink = this._sink;
    this.stop("cancelled");
    if (sink !== null) sink(false, reason);
  }

  private finish(state: FakeCallState, ok: boolean, value: unknown): boolean {
    if (this._state !== "pending") return false;
    const sink = this._sink;
    this.stop(state);
    if (sink !== null) sink(ok, value);
    return true;
  }

  private stop(state: FakeCallState): void {
    if (this._state !== "pending") return;
    this._state = state;
    this._sink = null;
    if (this._timer !== null) this._timer.cancel();
    this._timer = null;
  }

  private later(method: string, delayMs: number, complete: () => void): void {
    if (typeof delayMs !== "number" || delayMs !== delayMs) {
      throw new TypeError(`FakeCall.${method}: the delay must be a number of milliseconds, got ${describeValue(delayMs)}`);
    }
    if (this._state !== "pending") return;
    if (this._timer !== null) this._timer.cancel();
    this._timer = this.loop.callLater(delayMs, complete);
  }
}

/**
 * Deterministic stand-ins for host operations, so a test decides when each one completes, fails
 * or hangs, and can check that cancellation cleaned it up. Operations reach the code under test
 * as a `callback` setup (`setup`), a thenable for `fromPromise` or `await` (`promise`, `fetch`),
 * or the handler of a user-defined effect (`handle`). Every operation started is a `FakeCall` in
 * `calls`; a responder (`respond`) can decide its outcome as it starts, otherwise it stays pending
 * until the test completes it. `runTest` gives each test a fresh one (`t.host`) and names its
 * pending operations when a test is stuck.
 *
 * @example
 * ```ts
 * import { callback, sleep, spawn } from "genloop";
 * import { runTest } from "genloop/testing";
 *
 * runTest(function* (t) {
 *   const load = yield* spawn((function* () { return yield* callback<string>(t.host.setup("readFile", "a.txt")); })());
 *   const call = yield* t.host.started("readFile");
 *   call.resolveAfter(10, "contents");
 *   if ((yield* load) !== "contents") throw new Error("wrong contents");
 * });
 * ```
 */
export class FakeHost {
  /** Every operation started, in start order. */
  readonly calls: FakeCall<any>[] = [];
  private readonly responders = new Map<string, Responder>();
  /** Futures of `started(name)` waiting for an operation of that name; calls nobody has taken yet. */
  private readonly waiting: { name: string | null; future: Future<FakeCall<any>> }[] = [];
  private readonly unclaimed: FakeCall<any>[] = [];

  /**
   * @param loop the loop the operations run on (their tasks, timers and `resolveAfter`).
   * @throws TypeError if `loop` is not an event loop.
   */
  constructor(readonly loop: EventLoop) {
    if (loop === null || typeof loop !== "object" || typeof (loop as EventLoop).createFuture !== "function") {
      throw new TypeError(`FakeHost: expected the EventLoop the operations run on, got ${describeValue(loop)}`);
    }
  }

  /** The operations not completed yet. */
  pending(): FakeCall<any>[] {
    return this.calls.filter((call) => call.state === "pending");
  }

  /**
   * Decides how each operation named `name` ends, as it starts: `responder(call)` may call
   * `call.resolve`, `resolveAfter`, `reject`… or nothing (it hangs). Replaces an earlier responder.
   * @throws TypeError if `responder` is not a function.
   */
  respond(name: string, responder: Responder): void {
    checkName("respond", name);
    if (typeof responder !== "function") {
      throw new TypeError(`FakeHost.respond: the responder must be a function (call) => void, got ${describeValue(responder)}`);
    }
    this.responders.set(name, responder);
  }

  /**
   * Waits (`yield*` it) for the next operation named `name` (any name if omitted) that no earlier
   * `started` returned, and returns it: the test then completes it.
   */
  started<T = any>(name?: string): Future<FakeCall<T>> {
    if (name !== undefined) checkName("started", name);
    const future = this.loop.createFuture<FakeCall<T>>();
    this.waiting.push({ name: name ?? null, future: future as Future<FakeCall<any>> });
    this.handOut();
    return future;
  }

  /**
   * A setup for `callback(setup)`: each time a task yields that effect, an operation named
   * `name` starts; if the task is cancelled meanwhile it ends as cancelled (`disposed`).
   */
  setup<T = unknown>(name: string, ...args: unknown[]): CallbackSetup<T> {
    checkName("setup", name);
    const setup: CallbackSetup<T> = (resolve, reject) => {
      const call = this.begin<T>(name, args, (ok, value) => (ok ? resolve(value as T) : reject(value)));
      return () => call._dispose();
    };
    // The task tree names a callback wait by its setup's name: `host callback 'fake readFile("a.txt")'`.
    Object.defineProperty(setup, "name", { value: describeCall(name, args) });
    return setup;
  }

  /**
   * A thenable for `fromPromise` or `await`, settled when the test completes the operation
   * named `name` (started now). A promise cannot be cancelled: if the caller gives up, the
   * operation stays pending, which a test can check.
   */
  promise<T = unknown>(name: string, ...args: unknown[]): PromiseLike<T> {
    checkName("promise", name);
    const thenable = new FakeThenable<T>();
    this.begin<T>(name, args, (ok, value) => thenable.settle(ok, value));
    return thenable;
  }

  /**
   * A fake `fetch(input, init)`: an operation named "fetch" whose thenable the test settles.
   * If `init.signal` is an `AbortSignal`, aborting it ends the operation as cancelled (`aborted`)
   * and rejects the thenable with the signal's reason, as a real fetch does.
   */
  readonly fetch = (input: unknown, init?: { signal?: AbortSignalLike | null; [key: string]: unknown }): PromiseLike<any> => {
    const thenable = new FakeThenable<any>();
    const signal = init?.signal ?? null;
    const call = this.begin<any>("fetch", init === undefined ? [input] : [input, init], (ok, value) => thenable.settle(ok, value));
    if (signal === null) return thenable;
    if (typeof signal.addEventListener !== "function") {
      throw new TypeError(`fetch: init.signal must be an AbortSignal, got ${describeValue(signal)}`);
    }
    const onAbort = () => call._abort(abortReason(signal));
    if (signal.aborted) onAbort();
    else if (call.state === "pending") {
      signal.addEventListener("abort", onAbort);
      // The listener goes once the fetch ends, however it ends.
      thenable.then(
        () => signal.removeEventListener("abort", onAbort),
        () => signal.removeEventListener("abort", onAbort),
      );
    }
    return thenable;
  };

  /**
   * Handles the user-defined effect kind `kind` on the loop with fake operations named `kind`,
   * whose single argument is the effect descriptor.
   */
  handle(kind: string | EffectConstructor<any, any>): void {
    const name = typeof kind === "function" ? kind.kind : kind;
    checkName("handle", name);
    this.loop.setEffectHandler(name, (effect, ctx) => {
      const call = this.begin(name, [effect], (ok, value) => (ok ? ctx.resolve(value) : ctx.reject(value)));
      return () => call._dispose();
    });
  }

  /** @internal The pending operations started by pending tasks (or by host code), one line each, for stuck-test reports. */
  _describePending(): string {
    const lines: string[] = [];
    for (const call of this.calls) {
      if (call.state !== "pending" || (call.task !== null && call.task.done())) continue;
      const by = call.task === null ? "host code" : `task '${call.task.getName()}'`;
      lines.push(`- ${String(call)}, started at ${call.startedAt} ms by ${by}`);
    }
    return lines.join("\n");
  }

  /** Starts an operation: recorded, offered to its responder, then to `started` waiters. */
  private begin<T>(name: string, args: readonly unknown[], sink: (ok: boolean, value: unknown) => void): FakeCall<T> {
    const call = new FakeCall<T>(this.loop, name, args, realm.currentTask);
    call._start(sink);
    this.calls.push(call);
    this.unclaimed.push(call);
    const responder = this.responders.get(name);
    if (responder !== undefined) responder(call);
    this.handOut();
    return call;
  }

  /** Gives each waiting `started` future the first unclaimed call of its name, in start order. */
  private handOut(): void {
    for (let i = 0; i < this.waiting.length; ) {
      const { name, future } = this.waiting[i];
      let found = -1;
      if (!future.done()) {
        for (let j = 0; j < this.unclaimed.length && found < 0; j++) {
          if (name === null || this.unclaimed[j].name === name) found = j;
        }
        if (found < 0) {
          i++;
          continue;
        }
      }
      this.waiting.splice(i, 1);
      // A cancelled waiter (its task gave up) claims nothing.
      if (found >= 0) future.setResult(this.unclaimed.splice(found, 1)[0]);
    }
  }
}

function describeCall(name: string, args: readonly unknown[]): string {
  return `fake ${name}(${args.map((a) => (typeof a === "string" ? JSON.stringify(a) : describeValue(a))).join(", ")})`;
}

function checkName(method: string, name: unknown): void {
  if (typeof name !== "string" || name === "") {
    throw new TypeError(`FakeHost.${method}: the operation name must be a non-empty string such as "fetch", got ${describeValue(name)}`);
  }
}

function abortReason(signal: AbortSignalLike): unknown {
  if (signal.reason !== undefined) return signal.reason;
  const error = new Error("This operation was aborted");
  error.name = "AbortError";
  return error;
}
