import type { Clock } from "./clock.js";
import { describeValue } from "./describe.js";
import { RuntimeError } from "./errors.js";
import { ensureFuture } from "./ensure-future.js";
import { Future } from "./future.js";
import { Handle, TimerHandle, type Callback, type TimerOwner } from "./handle.js";
import { RealClock } from "./hosts/real-clock.js";
import { hostLogger, type Logger } from "./log.js";
import { ReadyQueue, type Runnable } from "./ready-queue.js";
import { realm } from "./running.js";
import type { SleepTimer } from "./sleep-timer.js";
import { Task, type TaskOptions } from "./task.js";
import { TaskRegistry } from "./task-registry.js";
import { TimerHeap } from "./timer-heap.js";
import type { Awaitable, Coroutine } from "./types.js";

export interface ExceptionContext {
  message: string;
  exception?: unknown;
  task?: Task<unknown>;
  future?: Future<unknown>;
  handle?: Handle;
  [key: string]: unknown;
}
export type ExceptionHandler = (loop: EventLoop, context: ExceptionContext) => void;

export interface EventLoopOptions {
  /** Where time comes from; a `RealClock` by default. */
  clock?: Clock;
  /** Debug mode: slow steps are reported and tasks remember where they were created. */
  debug?: boolean;
  /** Where warnings and default error reports go; the host console by default. */
  logger?: Logger;
}

type Timer = TimerHandle | SleepTimer;

/** Raised when the loop must wait but nothing can ever wake it. */
export class DeadlockError extends RuntimeError {}

/**
 * The event loop: a FIFO ready queue and a heap of timers, run one iteration at a time
 * exactly as asyncio's `_run_once` does:
 *   1. drop cancelled timers from the top of the heap;
 *   2. if nothing is ready, wait until the earliest timer (a virtual clock jumps to it);
 *   3. move every due timer to the back of the ready queue;
 *   4. run exactly the callbacks that are in the queue now; those they schedule wait for
 *      the next iteration.
 */
export class EventLoop implements TimerOwner {
  /** Steps and callbacks slower than this (ms of loop time) are reported in debug mode. */
  slowCallbackDuration = 100;
  /** Where the loop writes warnings and the default exception handler's reports. */
  logger: Logger;

  /** @internal */ readonly _clock: Clock;
  /** @internal */ _debug: boolean;
  /** @internal */ readonly _ready = new ReadyQueue();
  /** @internal */ readonly _timers = new TimerHeap<Timer>();
  /** @internal Tasks not done yet, in creation order. */ readonly _tasks = new TaskRegistry();
  /** @internal Failed futures whose error nobody has looked at yet. */
  _unretrieved: Set<Future<any>> | null = null;
  private _stopping = false;
  private _running = false;
  private _closed = false;
  private _exceptionHandler: ExceptionHandler | null = null;

  constructor(options: EventLoopOptions = {}) {
    if (options === null || typeof options !== "object") {
      throw new TypeError(`EventLoop: options must be an object, got ${describeValue(options)}`);
    }
    const { clock, debug, logger } = options;
    if (clock !== undefined && (clock === null || typeof clock.now !== "function")) {
      throw new TypeError(`EventLoop: clock must have a now() method (e.g. new VirtualClock()), got ${describeValue(clock)}`);
    }
    if (logger !== undefined && (logger === null || typeof logger.warn !== "function" || typeof logger.error !== "function")) {
      throw new TypeError("EventLoop: logger must have warn(message) and error(message) methods");
    }
    this._clock = clock ?? new RealClock();
    this._debug = Boolean(debug);
    this.logger = logger ?? hostLogger;
  }

  /** The loop's current time in milliseconds, from its clock. */
  time(): number {
    return this._clock.now();
  }

  /** Schedules `callback(...args)` for the next iteration, after those already scheduled. */
  callSoon<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): Handle {
    checkCallback("callSoon", callback);
    const handle = new Handle(callback as Callback, args);
    this._enqueue(handle);
    return handle;
  }

  /** Schedules `callback(...args)` to run `delayMs` from now. */
  callLater<A extends unknown[]>(delayMs: number, callback: (...args: A) => unknown, ...args: A): TimerHandle {
    return this.callAt(this.time() + checkTime("callLater", "delay", delayMs), callback, ...args);
  }

  /** Schedules `callback(...args)` at loop time `whenMs`; equal deadlines run in scheduling order. */
  callAt<A extends unknown[]>(whenMs: number, callback: (...args: A) => unknown, ...args: A): TimerHandle {
    checkTime("callAt", "time", whenMs);
    checkCallback("callAt", callback);
    this._checkClosed();
    const handle = new TimerHandle(whenMs, callback as Callback, args, this);
    this._timers.push(handle);
    return handle;
  }

  /** Wraps `coro` in a task scheduled to start on the next iteration. */
  createTask<T>(coro: Coroutine<T>, options?: TaskOptions): Task<T> {
    this._checkClosed();
    return new Task(coro, this, options);
  }

  createFuture<T>(): Future<T> {
    return new Future<T>(this);
  }

  /**
   * Runs the loop until `awaitable` is done and returns its result (or throws its error).
   * A coroutine or effect is first wrapped as `ensureFuture` does.
   */
  runUntilComplete<T>(awaitable: Awaitable<T>): T {
    this._checkClosed();
    this._checkNotRunning();
    const isNew = !(awaitable instanceof Future);
    const future = ensureFuture(awaitable, this);
    const stop = () => this.stop();
    future.addDoneCallback(stop);
    try {
      this.runForever();
    } catch (error) {
      // The loop itself failed; don't also report the new task's error as never retrieved.
      if (isNew && future.done() && !future.cancelled()) future.exception();
      throw error;
    } finally {
      future.removeDoneCallback(stop);
    }
    if (!future.done()) throw new RuntimeError("Event loop stopped before Future completed.");
    return future.result();
  }

  /** Runs iterations until `stop()` is called. */
  runForever(): void {
    this._checkClosed();
    this._checkNotRunning();
    this._enter();
    try {
      for (;;) {
        this._runOnce(true);
        if (this._stopping) break;
      }
    } finally {
      this._stopping = false;
      this._leave();
    }
  }

  /** Makes `runForever` return after the current iteration. */
  stop(): void {
    this._stopping = true;
  }

  isRunning(): boolean {
    return this._running;
  }

  /**
   * Runs one iteration without ever waiting: for hosts that own the thread (a game loop,
   * a host event loop). Due timers run; if none are due and nothing is ready, it does nothing.
   */
  step(): void {
    this._checkClosed();
    this._checkNotRunning();
    this._enter();
    try {
      this._runOnce(false);
    } finally {
      this._stopping = false;
      this._leave();
    }
  }

  /** The loop time at which work is next due: now if callbacks are ready, else the earliest timer, else null. */
  nextDeadline(): number | null {
    if (this._ready.length > 0) return this.time();
    this._timers.dropCancelled();
    const next = this._timers.peek();
    return next === undefined || next._when === Infinity ? null : next._when;
  }

  /**
   * Closes the loop: pending tasks are reported as destroyed, errors nobody retrieved are
   * reported, and everything still scheduled is dropped. A closed loop can't be reused.
   */
  close(): void {
    if (this._running) throw new RuntimeError("Cannot close a running event loop");
    if (this._closed) return;
    for (const task of this._tasks) {
      this.callExceptionHandler({ message: "Task was destroyed but it is pending!", task });
    }
    if (this._unretrieved !== null) {
      for (const future of this._unretrieved) this._reportUnretrieved(future);
    }
    this._closed = true;
    this._tasks.clear();
    this._unretrieved = null;
    this._ready.clear();
    this._timers.clear();
  }

  isClosed(): boolean {
    return this._closed;
  }

  getDebug(): boolean {
    return this._debug;
  }

  setDebug(enabled: boolean): void {
    this._debug = Boolean(enabled);
  }

  setExceptionHandler(handler: ExceptionHandler | null): void {
    if (handler !== null && typeof handler !== "function") {
      throw new TypeError(`setExceptionHandler: expected a function or null, got ${describeValue(handler)}`);
    }
    this._exceptionHandler = handler;
  }

  getExceptionHandler(): ExceptionHandler | null {
    return this._exceptionHandler;
  }

  /** Reports an error the loop caught; the custom handler if set, else the default one. */
  callExceptionHandler(context: ExceptionContext): void {
    const handler = this._exceptionHandler;
    if (handler === null) {
      try {
        this.defaultExceptionHandler(context);
      } catch (error) {
        this.logger.error(`Exception in default exception handler: ${formatError(error)}`);
      }
      return;
    }
    try {
      handler(this, context);
    } catch (error) {
      try {
        this.defaultExceptionHandler({ message: "Unhandled error in exception handler", exception: error, context });
      } catch (inner) {
        this.logger.error(`Exception in default exception handler: ${formatError(inner)}`);
      }
    }
  }

  /** Writes the report to the loop's logger: the message, then each context entry. */
  defaultExceptionHandler(context: ExceptionContext): void {
    const lines = [context.message || "Unhandled exception in event loop"];
    for (const key of Object.keys(context)) {
      if (key === "message" || key === "exception") continue;
      const value = context[key];
      lines.push(`${key}: ${key === "context" ? JSON.stringify((value as ExceptionContext).message) : String(value)}`);
      const created = (value as Task<unknown> | undefined)?._sourceTraceback;
      if (value instanceof Task && created) lines.push(`${key} created at:\n${created}`);
    }
    if ("exception" in context) lines.push(formatError(context.exception));
    this.logger.error(lines.join("\n"));
  }

  toString(): string {
    const state = this._closed ? "closed" : this._running ? "running" : "idle";
    return `<EventLoop ${state} debug=${this._debug}>`;
  }

  /** @internal Appends to the ready queue. */
  _enqueue(item: Runnable): void {
    if (this._closed) this._checkClosed();
    this._ready.push(item);
  }

  /** @internal */
  _addTimer(timer: SleepTimer): void {
    this._checkClosed();
    this._timers.push(timer);
  }

  /** @internal A scheduled timer was cancelled. */
  _timerCancelled(): void {
    this._timers.noteCancelled();
  }

  /** @internal */
  _registerTask(task: Task<any>): void {
    this._enqueue(task);
    this._tasks.add(task);
  }

  /** @internal */
  _unregisterTask(task: Task<any>): void {
    this._tasks.delete(task);
  }

  /** @internal A copy of the pending tasks, in creation order. */
  _pendingTasks(): Set<Task<unknown>> {
    return new Set(this._tasks);
  }

  /** @internal */
  _noteUnretrieved(future: Future<any>): void {
    (this._unretrieved ??= new Set()).add(future);
  }

  /** @internal */
  _noteRetrieved(future: Future<any>): void {
    if (this._unretrieved !== null) this._unretrieved.delete(future);
  }

  /** One iteration (see the class comment). `mayWait` is false for host-driven stepping. */
  private _runOnce(mayWait: boolean): void {
    const ready = this._ready;
    const timers = this._timers;
    timers.dropCancelled();
    if (ready.length === 0 && !this._stopping && mayWait) {
      const next = timers.peek();
      if (next === undefined || next._when === Infinity) throw this._deadlock();
      this._waitUntil(next._when);
    }
    const now = this.time();
    for (let next = timers.peek(); next !== undefined && next._when <= now; next = timers.peek()) {
      timers.pop();
      if (!next._cancelled) ready.push(next);
    }
    // Run only what is ready now; callbacks scheduled meanwhile wait for the next iteration.
    for (let n = ready.length; n > 0; n--) {
      const item = ready.shift();
      if (this._debug) this._runTimed(item);
      else this._runItem(item);
    }
  }

  private _runItem(item: Runnable): void {
    try {
      item._run();
    } catch (error) {
      const context: ExceptionContext = { message: `Exception in callback ${String(item)}`, exception: error };
      if (item instanceof Task) context.task = item;
      else if (item instanceof Handle) context.handle = item;
      this.callExceptionHandler(context);
    }
  }

  private _runTimed(item: Runnable): void {
    const start = this.time();
    this._runItem(item);
    const took = this.time() - start;
    if (took >= this.slowCallbackDuration) {
      this.logger.warn(`Executing ${String(item)} took ${(took / 1000).toFixed(3)} seconds`);
    }
  }

  private _waitUntil(when: number): void {
    const clock = this._clock;
    if (clock.sleepUntil) {
      clock.sleepUntil(when);
      return;
    }
    const ms = when - clock.now();
    if (ms <= 0) return;
    if (clock.sleep) clock.sleep(ms);
    else while (clock.now() < when); // the host offers no way to block: poll, as a last resort
  }

  private _deadlock(): DeadlockError {
    const waiting = Array.from(this._tasks, (task) => {
      const waiter = task._waiter;
      return waiter ? `${task.getName()} (waiting on ${String(waiter)})` : task.getName();
    });
    return new DeadlockError(
      `deadlock: the loop has nothing scheduled (no ready callback, no timer) and nothing can wake it, ` +
        `but ${waiting.length} task(s) are waiting: ${waiting.join(", ") || "none"}. ` +
        `Some future is never resolved or some task is never woken.`,
    );
  }

  private _reportUnretrieved(future: Future<any>): void {
    const isTask = future instanceof Task;
    const context: ExceptionContext = {
      message: `${isTask ? "Task" : "Future"} exception was never retrieved`,
      exception: future._value,
      future,
    };
    if (isTask) context.task = future;
    this.callExceptionHandler(context);
  }

  private _enter(): void {
    this._running = true;
    realm.runningLoop = this;
  }

  private _leave(): void {
    this._running = false;
    realm.runningLoop = null;
  }

  private _checkClosed(): void {
    if (this._closed) throw new RuntimeError("Event loop is closed");
  }

  private _checkNotRunning(): void {
    if (this._running) throw new RuntimeError("This event loop is already running");
    if (realm.runningLoop !== null) {
      throw new RuntimeError("Cannot run the event loop while another loop is running");
    }
  }
}

function checkCallback(method: string, callback: unknown): void {
  if (typeof callback !== "function") {
    throw new TypeError(`${method}: a function was expected as the callback, got ${describeValue(callback)}`);
  }
}

function checkTime(method: string, what: string, ms: unknown): number {
  if (typeof ms !== "number") {
    throw new TypeError(`${method}: the ${what} must be a number of milliseconds, got ${describeValue(ms)}`);
  }
  if (ms !== ms) throw new RangeError(`${method}: the ${what} is NaN`);
  return ms;
}

function formatError(error: unknown): string {
  if (error instanceof Error) return error.stack || `${error.name}: ${error.message}`;
  return describeValue(error);
}
