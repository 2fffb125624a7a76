import { brand } from "./brand.js";
import type { Clock } from "./clock.js";
import type { AnyEffectHandler, EffectConstructor, EffectHandler, EffectHandlers } from "./effects/custom.js";
import type { HostSeam } from "./effects/host-seam.js";
import { describeValue, isOptionsBag } from "./describe.js";
import { RuntimeError } from "./errors.js";
import { ensureFuture } from "./ensure-future.js";
import { featureLeftOut } from "./feature-left-out.js";
import { checkContextOption, copyContext, type Context } from "./context/context.js";
import { Future, type CallOptions } from "./future.js";
import { Handle, TimerHandle, type Callback, type TimerOwner } from "./handle.js";
import { RealClock } from "./hosts/real-clock.js";
import type { EdgeSource } from "./graph/awaited-by.js";
import { describeWait } from "./graph/describe-wait.js";
import type { Instrument, Instrumentation } from "./instrument.js";
import { hostLogger, type Logger } from "./log.js";
import { ReadyQueue, type Runnable } from "./ready-queue.js";
import { realm } from "./running.js";
import type { ScheduleShuffle } from "./schedule-shuffle.js";
import { Task, type TaskOptions } from "./task.js";
import { TaskRegistry } from "./task-registry.js";
import { TimerHeap } from "./timer-heap.js";
import type { Awaitable, Coroutine } from "./types.js";

/** What the loop tells an exception handler (asyncio's context dict). */
export interface ExceptionContext {
  /** What went wrong, e.g. `Task exception was never retrieved`. */
  message: string;
  /** The error, when there is one. */
  exception?: unknown;
  /** The task concerned, if any. */
  task?: Task<unknown>;
  /** The future concerned, if any. */
  future?: Future<unknown>;
  /** The callback handle concerned, if any. */
  handle?: Handle;
  [key: string]: unknown;
}
/** A function that receives the errors nothing else handled: set with `EventLoop.setExceptionHandler`. */
export type ExceptionHandler = (loop: EventLoop, context: ExceptionContext) => void;

/** Options of `new EventLoop(options)`. */
export interface EventLoopOptions {
  /** Where time comes from; a `RealClock` by default. */
  clock?: Clock;
  /** Debug mode: slow steps are reported and tasks remember where they were created. */
  debug?: boolean;
  /**
   * Async stack traces without the rest of debug mode (debug mode has them too): an error that
   * crosses a task boundary gets the awaiting chain appended to its `stack` (see
   * docs/async-stack-traces.md). Off by default; costs nothing when off.
   */
  asyncStackTraces?: boolean;
  /** Where warnings and default error reports go; the host console by default. */
  logger?: Logger;
  /** Handlers for user-defined effect kinds (see `defineEffect`), by kind. */
  effects?: EffectHandlers;
  /**
   * Opt-in, for tests: timers due at the same time (and the tasks they wake) run in an order
   * chosen by this seed instead of scheduling order, an order asyncio may also produce (see
   * `ScheduleShuffle`). The same seed gives the same order. Unset: asyncio's order.
   */
  scheduleSeed?: number;
  /** Instruments installed from the start, as by `addInstrument` (see docs/instruments.md). */
  instruments?: readonly Instrument[];
  /** What `createTask` builds tasks with, as set by `setTaskFactory` (e.g. `eagerTaskFactory`). */
  taskFactory?: TaskFactory | null;
}

/**
 * Builds the tasks of a loop (asyncio's task factory): called by `loop.createTask`, and so by
 * `createTask`, `spawn`, `ensureFuture`, `gather` and task groups, with the loop, the coroutine
 * and the options given (`{}` when none). It must return a `Task` of that loop.
 */
export type TaskFactory = <T>(loop: EventLoop, coro: Coroutine<T>, options: TaskOptions) => Task<T>;

/**
 * The `EventLoop` options that optional features handle (lib/features/), in the order they are
 * applied: the `genloop` entry installs every feature, genloop/core none of them.
 */
const featureOptions = ["debug", "asyncStackTraces", "scheduleSeed", "effects", "instruments", "taskFactory"] as const;
type FeatureOption = (typeof featureOptions)[number];

/** @internal How each feature's module applies its `EventLoop` option; a missing one is not installed. */
export const loopOptionHandlers: { [K in FeatureOption]?: (loop: EventLoop, value: Exclude<EventLoopOptions[K], undefined>) => void } = {};

/**
 * The loop's methods that belong to optional features: each is installed on `EventLoop.prototype`
 * by its module in lib/features/ (debug mode, instruments, task factory, custom-effect handlers,
 * host seam, host driver, exception handler). The `genloop` entry imports them all; genloop/core
 * leaves them out, and its `EventLoop` type does not have them.
 */
export interface LoopFeatures {
  /**
   * Sets what `createTask` builds tasks with (asyncio's `loop.set_task_factory`); null restores
   * plain lazy tasks. `eagerTaskFactory` starts every task eagerly.
   * @param factory `(loop, coro, options) => Task`, or null.
   * @throws TypeError if `factory` is neither a function nor null.
   * @example
   * ```ts
   * import { EventLoop, VirtualClock, eagerTaskFactory } from "genloop";
   *
   * const loop = new EventLoop({ clock: new VirtualClock() });
   * loop.setTaskFactory(eagerTaskFactory); // tasks that finish without waiting skip the ready queue
   * ```
   */
  setTaskFactory(factory: TaskFactory | null): void;

  /** The task factory set by `setTaskFactory`, or null when tasks are built as plain lazy tasks. */
  getTaskFactory(): TaskFactory | null;

  /**
   * Installs `instrument`: from now on its methods are called as the loop runs (see
   * `Instrument`). Installing one already installed does nothing.
   * @param instrument an object with any of the `Instrument` methods.
   * @throws TypeError if `instrument` is not an object or one of its hook properties is not a function.
   * @example
   * ```ts
   * import { EventLoop, VirtualClock } from "genloop";
   *
   * const loop = new EventLoop({ clock: new VirtualClock() });
   * loop.addInstrument({ taskFinished: (task) => console.log(`${task.getName()} done`) });
   * loop.runUntilComplete(loop.createTask((function* () {})(), { name: "job" })); // job done
   * ```
   */
  addInstrument(instrument: Instrument): void;

  /**
   * Uninstalls `instrument`; its methods are not called any more, starting with the next event.
   * @throws RangeError if `instrument` is not installed on this loop.
   */
  removeInstrument(instrument: Instrument): void;

  /** @returns the installed instruments, in the order they were added (a copy). */
  instruments(): Instrument[];

  /**
   * asyncio's `call_soon_threadsafe`, for host code outside the loop (an event handler, an
   * I/O callback): the same as `callSoon`, since JS runs one thread per realm and whatever
   * is scheduled while the loop is not running wakes its host driver (`setWakeupHandler`).
   */
  callSoonThreadsafe<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): Handle;
  /** `callSoonThreadsafe` with options first, as `callSoon({ context }, callback, ...args)`. */
  callSoonThreadsafe<A extends unknown[]>(options: CallOptions, callback: (...args: A) => unknown, ...args: A): Handle;

  /**
   * For host drivers: `wakeup()` is called, synchronously, whenever work is scheduled on the
   * loop while it is not running (a host callback resolved a future, host code called
   * `callSoon`/`callLater`), so the driver can re-arm for `nextDeadline()`. One per loop.
   */
  setWakeupHandler(wakeup: (() => void) | null): void;

  /**
   * For record/replay layers (genloop/durable): installs (or with null removes) the loop's
   * `HostSeam`, which sees every host effect before the host is called and the start of every
   * iteration. One per loop: a second one is refused with a `RuntimeError` until the first is removed.
   */
  setHostSeam(seam: HostSeam | null): void;

  /**
   * Sets (or with null removes) the handler of the user-defined effect kind `kind` on this
   * loop; see `defineEffect`. Built-in kinds (`sleep`, `gather`, …) cannot be overridden.
   */
  setEffectHandler<P extends object, T>(kind: string | EffectConstructor<P, T>, handler: EffectHandler<P, T> | null): void;

  /** The handler of the user-defined effect kind `kind` on this loop, or null. */
  getEffectHandler(kind: string): AnyEffectHandler | null;

  /** @returns whether debug mode is on. */
  getDebug(): boolean;

  /**
   * Turns debug mode on or off: slow steps reported, task creation sites recorded.
   * @param enabled true to turn it on.
   */
  setDebug(enabled: boolean): void;

  /** @returns whether errors crossing a task boundary get async frames: the option is set, or debug mode is on. */
  getAsyncStackTraces(): boolean;

  /**
   * Turns async stack traces on or off without the rest of debug mode (in debug mode they stay
   * on): an error that crosses a task boundary (`yield* task`, gather, taskGroup, waitFor,
   * shield, a policy, `yield* call(coro)`) keeps its identity and gets the awaiting chain
   * appended to its `stack`, one `    at async name (file:line:col)` line per hop, genloop's
   * own frames left out. Tasks created and `yield*` sites reached from then on are recorded,
   * which makes each `yield*` several times slower: for development and tests.
   * @param enabled true to turn them on.
   * @throws TypeError if `enabled` is not a boolean.
   * @example
   * ```ts
   * import { EventLoop, VirtualClock, call, sleep } from "genloop";
   *
   * const loop = new EventLoop({ clock: new VirtualClock() });
   * loop.setAsyncStackTraces(true);
   * function* child() { yield* sleep(10); throw new Error("boom"); }
   * function* main() { try { yield* loop.createTask(child(), { name: "child" }); } catch (e) { return (e as Error).stack; } }
   * console.log(loop.runUntilComplete(loop.createTask(main()))); // … at async Task 'child' (…) … at async main (…)
   * ```
   */
  setAsyncStackTraces(enabled: boolean): void;

  /**
   * Sets the handler for errors nothing else handled; null restores the default (it logs them).
   * @param handler called as `handler(loop, context)`.
   * @throws TypeError if `handler` is neither a function nor null.
   */
  setExceptionHandler(handler: ExceptionHandler | null): void;

  /** @returns the handler set with `setExceptionHandler`, or null for the default. */
  getExceptionHandler(): ExceptionHandler | null;

  /** @internal Runs one ready item in debug mode, reporting it when slow (lib/features/debug.ts). */
  _runTimed(item: Runnable): void;
  /** @internal Records sites or not (debug mode or async stack traces; lib/features/debug.ts). */
  _setRecordSites(on: boolean): void;
}

/**
 * The public methods of `LoopFeatures`: until a feature's module installs the real ones, each
 * throws `featureLeftOut`, so a program without the feature (genloop/core's) is told what to import.
 */
const featureMethods: Record<Exclude<keyof LoopFeatures, `_${string}`>, 0> = {
  setTaskFactory: 0, getTaskFactory: 0, addInstrument: 0, removeInstrument: 0, instruments: 0, callSoonThreadsafe: 0,
  setWakeupHandler: 0, setHostSeam: 0, setEffectHandler: 0, getEffectHandler: 0, getDebug: 0, setDebug: 0,
  getAsyncStackTraces: 0, setAsyncStackTraces: 0, setExceptionHandler: 0, getExceptionHandler: 0,
};

// The class below has the features' methods too (installed on its prototype by lib/features/).
export interface EventLoop extends LoopFeatures {}


/** Raised when the loop must wait but nothing can ever wake it. */
export class DeadlockError extends RuntimeError {}
brand(DeadlockError.prototype, "DeadlockError");
Object.defineProperty(DeadlockError.prototype, "name", { value: "DeadlockError", writable: true, configurable: true });

/**
 * The event loop: a FIFO ready queue and a heap of timers, run one iteration at a time
 * exactly as asyncio's `_run_once` does:
 *   1. drop cancelled timers from the top of the heap;
 *   2. if nothing is ready, wait until the earliest timer (a virtual clock jumps to it);
 *   3. move every due timer to the back of the ready queue;
 *   4. run exactly the callbacks that are in the queue now; those they schedule wait for
 *      the next iteration.
 * @example
 * ```ts
 * import { EventLoop, sleep, VirtualClock } from "genloop";
 *
 * const loop = new EventLoop({ clock: new VirtualClock() });
 * const task = loop.createTask((function* () {
 *   yield* sleep(1000);
 *   return "done";
 * })());
 * loop.callLater(500, () => console.log(`half-way, at ${loop.time()} ms`));
 * console.log(loop.runUntilComplete(task), `at ${loop.time()} ms`); // done at 1000 ms
 * loop.close();
 * ```
 */
export class EventLoop implements TimerOwner {
  /** Steps and callbacks slower than this (ms of loop time) are reported in debug mode. */
  slowCallbackDuration = 100;
  /** Where the loop writes warnings and the default exception handler's reports. */
  logger: Logger;

  /** @internal */ readonly _clock: Clock;
  /** @internal */ _debug: boolean;
  /** @internal The `asyncStackTraces` option, as set. */ _asyncStackTraces: boolean;
  /**
   * @internal Debug mode or async stack traces: tasks record where they were created and where
   * they are suspended, and an error crossing a task boundary gets async frames (see graph/async-stack.ts).
   */
  _recordSites: boolean;
  /** @internal Whether the loop said the call graph's module is missing (see `_setRecordSites`). */
  _warnedNoCallGraph = false;
  /** @internal */ readonly _ready = new ReadyQueue();
  /** @internal The timer handles and the tasks sleeping on `sleep(ms)`, each its own timer (see TimerHeap). */
  readonly _timers = new TimerHeap();
  /** @internal Tasks not done yet, in creation order. */ readonly _tasks = new TaskRegistry();
  /** @internal Failed futures whose error nobody has looked at yet. */
  _unretrieved: Set<Future<any>> | null = null;
  private _stopping = false;
  private _running = false;
  private _closed = false;
  /** @internal Set by `setExceptionHandler` (lib/features/exception-handler.ts); null: the default handler. */
  _exceptionHandler: ExceptionHandler | null = null;
  /** @internal Handlers of user-defined effect kinds; null until one is set. */
  _effectHandlers: Map<string, AnyEffectHandler> | null = null;
  /** @internal Operations on this loop that only host code can complete (`HostCallbackFuture`s pending). */
  _pendingHostCallbacks = 0;
  /** @internal Edges recorded by `futureAddToAwaitedBy`: each future's waiters; null until one is. */
  _awaitedBy: Map<Future<any>, Future<any>[]> | null = null;
  /** @internal Live operations that know edges of their own (task groups): see graph/awaited-by.ts; null until one is. */
  _edgeSources: Set<EdgeSource> | null = null;
  /** @internal The installed instruments; null while there are none (each hook site is one null check). */
  _instrumentation: Instrumentation | null = null;
  /** @internal Told when work is scheduled while the loop is not running (a host driver re-arms; see `setWakeupHandler`). */
  _wakeup: (() => void) | null = null;
  /**
   * @internal The context entered around the loop while it runs (restored when it stops); null
   * when none is, and then no context at all is entered when a task's step starts.
   */
  _outerContext: Context | null = null;
  /** @internal Orders equal-deadline timers by a seed; null (asyncio's order) unless `scheduleSeed` is given. */
  _shuffle: ScheduleShuffle | null = null;
  /** @internal Set by `setTaskFactory` (lib/features/task-factory.ts); null: plain lazy tasks. */
  _taskFactory: TaskFactory | null = null;
  /** @internal Sees every host effect and the start of every iteration (see HostSeam); null when unused. */
  _hostSeam: HostSeam | null = null;

  constructor(options: EventLoopOptions = {}) {
    if (!isOptionsBag(options)) {
      throw new TypeError(`EventLoop: options must be an object, got ${describeValue(options)}`);
    }
    const { clock, logger } = options;
    if (clock !== undefined && (clock === null || typeof clock.now !== "function")) {
      throw new TypeError(`EventLoop: clock must have a now() method (e.g. new VirtualClock()), got ${describeValue(clock)}`);
    }
    if (logger !== undefined && (logger === null || typeof logger.warn !== "function" || typeof logger.error !== "function")) {
      throw new TypeError("EventLoop: logger must have warn(message) and error(message) methods");
    }
    this._clock = clock ?? new RealClock();
    this.logger = logger ?? hostLogger;
    this._debug = false;
    this._asyncStackTraces = false;
    this._recordSites = false;
    // The other options belong to features installed by their own modules (lib/features/), which
    // the `genloop` entry imports and genloop/core leaves out: each is applied by its handler.
    for (const name of featureOptions) {
      const value = options[name];
      if (value === undefined) continue;
      const apply = loopOptionHandlers[name] as ((loop: EventLoop, value: unknown) => void) | undefined;
      if (apply !== undefined) apply(this, value);
      else if (value !== null && value !== false) throw featureLeftOut(`EventLoop: the ${name} option`);
    }
  }

  /** The loop's current time in milliseconds, from its clock. */
  time(): number {
    return this._clock.now();
  }

  /**
   * Schedules `callback(...args)` for the next iteration, after those already scheduled. It runs
   * in a copy of the current context, or in the context given first: `callSoon({ context }, callback, ...args)`
   * (asyncio's `context=` keyword; the same form for `callLater`, `callAt`, `callSoonThreadsafe`).
   */
  callSoon<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): Handle;
  callSoon<A extends unknown[]>(options: CallOptions, callback: (...args: A) => unknown, ...args: A): Handle;
  callSoon(first: unknown, ...rest: unknown[]): Handle {
    const call = splitCall("callSoon", first, rest);
    const handle = new Handle(call.callback, call.args, call.context);
    this._enqueue(handle);
    return handle;
  }

  /** Schedules `callback(...args)` to run `delayMs` from now (options as `callSoon`). */
  callLater<A extends unknown[]>(delayMs: number, callback: (...args: A) => unknown, ...args: A): TimerHandle;
  callLater<A extends unknown[]>(delayMs: number, options: CallOptions, callback: (...args: A) => unknown, ...args: A): TimerHandle;
  callLater(delayMs: number, first: unknown, ...rest: unknown[]): TimerHandle {
    return this._callAt("callLater", this.time() + checkTime("callLater", "delay", delayMs), first, rest);
  }

  /** Schedules `callback(...args)` at loop time `whenMs`; equal deadlines run in scheduling order (options as `callSoon`). */
  callAt<A extends unknown[]>(whenMs: number, callback: (...args: A) => unknown, ...args: A): TimerHandle;
  callAt<A extends unknown[]>(whenMs: number, options: CallOptions, callback: (...args: A) => unknown, ...args: A): TimerHandle;
  callAt(whenMs: number, first: unknown, ...rest: unknown[]): TimerHandle {
    return this._callAt("callAt", checkTime("callAt", "time", whenMs), first, rest);
  }

  /**
   * Wraps `coro` in a task scheduled to start on the next iteration, or as the task factory
   * builds it (`setTaskFactory`).
   * @throws TypeError if the task factory returns something other than a task of this loop.
   */
  createTask<T>(coro: Coroutine<T>, options?: TaskOptions): Task<T> {
    this._checkClosed();
    const factory = this._taskFactory;
    if (factory === null) return new Task(coro, this, options);
    const task: unknown = factory(this, coro, options ?? {});
    if (!(task instanceof Task) || task._loop !== this) {
      throw new TypeError(`createTask: the task factory returned ${describeValue(task)}, not a Task of this loop`);
    }
    return task as Task<T>;
  }

  /** @returns a new pending future on this loop (for a value that a callback will set later). */
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

  /** @returns whether the loop is inside `runForever`/`runUntilComplete`. */
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
    const when = this._nextDue();
    return when === Infinity ? null : when;
  }

  /**
   * Closes the loop: pending tasks are reported as destroyed and their coroutines closed (their
   * `finally` blocks run), errors nobody retrieved are reported, and everything still scheduled
   * is dropped. A closed loop can't be reused.
   */
  close(): void {
    if (this._running) throw new RuntimeError("Cannot close a running event loop");
    if (this._closed) return;
    this._closed = true;
    // Pending tasks are destroyed: reported, then their coroutines closed so `finally` blocks run.
    const pending = Array.from(this._tasks);
    this._tasks.clear();
    for (const task of pending) {
      this.callExceptionHandler({ message: "Task was destroyed but it is pending!", task, waitingOn: describeWait(task) });
      for (const error of task._closeCoroutines()) {
        this.callExceptionHandler({ message: "Exception while closing a destroyed task's coroutine", exception: error, task });
      }
    }
    if (this._unretrieved !== null) {
      for (const future of this._unretrieved) this._reportUnretrieved(future);
    }
    this._unretrieved = null;
    this._ready.clear();
    this._timers.clear();
  }

  /** @returns whether `close()` was called. */
  isClosed(): boolean {
    return this._closed;
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
      const value = context[key];
      if (key === "message" || key === "exception" || (key === "future" && value === context.task)) continue;
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

  private _callAt(method: string, whenMs: number, first: unknown, rest: unknown[]): TimerHandle {
    const call = splitCall(method, first, rest);
    this._checkClosed();
    const handle = new TimerHandle(whenMs, call.callback, call.args, this, call.context);
    this._timers.push(handle, whenMs);
    if (this._wakeup !== null && !this._running) this._wakeHost();
    return handle;
  }

  /** @internal Appends to the ready queue. */
  _enqueue(item: Runnable): void {
    if (this._closed) this._checkClosed();
    this._ready.push(item);
    if (this._instrumentation !== null && item instanceof Task) this._instrumentation.taskScheduled(item, realm.currentTask);
    if (this._wakeup !== null && !this._running) this._wakeHost();
  }

  /** @internal `task` sleeps until `when`: it joins the TimerHeap (which sets its `_waiter`). */
  _addSleep(task: Task<any>, when: number): void {
    this._checkClosed();
    this._timers.push(task, when);
    if (this._wakeup !== null && !this._running) this._wakeHost();
  }

  /** @internal The earliest deadline of a timer handle or a sleep, Infinity when there is none. */
  _nextDue(): number {
    return this._timers.nextWhen();
  }

  /**
   * @internal Takes the earliest timer handle or sleeping task due at `now`, in (deadline,
   * sequence) order: the handle, or the task (queued as its sleep firing); undefined when nothing is due.
   */
  _takeDue(now: number): Runnable | undefined {
    const timers = this._timers;
    return timers.nextWhen() <= now ? timers.popDue() : undefined;
  }

  /**
   * Tells the host driver that work was scheduled. Its error goes to the exception handler,
   * never into the code that scheduled: a future finishing goes on to schedule its other
   * waiters (as asyncio's self-pipe write never raises into `call_soon_threadsafe`).
   */
  private _wakeHost(): void {
    try {
      (this._wakeup as () => void)();
    } catch (error) {
      this.callExceptionHandler({ message: "Exception in the loop's wake-up handler (setWakeupHandler)", exception: error });
    }
  }

  /** @internal A scheduled timer handle was cancelled: its slot in the heap is left empty. */
  _timerCancelled(handle: TimerHandle): void {
    this._timers.cancel(handle._waiter);
    handle._waiter = -1;
  }

  /** @internal Adds a new task to the registry; the task then queues (or eagerly runs) its first step. */
  _registerTask(task: Task<any>): void {
    this._checkClosed();
    this._tasks.add(task);
    if (this._instrumentation !== null) this._instrumentation.taskEvent("taskCreated", task);
  }

  /** @internal */
  _unregisterTask(task: Task<any>): void {
    this._tasks.delete(task);
    const edges = this._awaitedBy;
    if (edges !== null && edges.size !== 0) edges.delete(task);
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
  _isUnretrieved(future: Future<any>): boolean {
    return this._unretrieved !== null && this._unretrieved.has(future);
  }

  /** @internal */
  _noteRetrieved(future: Future<any>): void {
    if (this._unretrieved !== null) this._unretrieved.delete(future);
  }

  /** One iteration (see the class comment). `mayWait` is false for host-driven stepping. */
  private _runOnce(mayWait: boolean): void {
    const ready = this._ready;
    if (ready.length === 0 && !this._stopping && mayWait) {
      const next = this._nextDue();
      if (next === Infinity) throw this._deadlock();
      const instrumentation = this._instrumentation;
      if (instrumentation === null) this._waitUntil(next);
      else {
        const waitMs = Math.max(0, next - this.time());
        instrumentation.idle("beforeIdle", waitMs);
        this._waitUntil(next);
        instrumentation.idle("afterIdle", waitMs);
      }
    }
    const now = this.time();
    const seam = this._hostSeam;
    if (seam !== null) seam.iterationStarting(now);
    if (this._shuffle !== null) this._shuffle.moveDue(this, now, ready);
    else {
      for (let due = this._takeDue(now); due !== undefined; due = this._takeDue(now)) ready.push(due);
    }
    // Run only what is ready now; callbacks scheduled meanwhile wait for the next iteration.
    for (let n = ready.length; n > 0; n--) {
      const item = ready.shift();
      if (this._debug) this._runTimed(item); // installed with debug mode (lib/features/debug.ts)
      else this._runItem(item);
    }
    ready.shrinkIfSparse(); // after a burst, give the buffer back
  }

  /** @internal Runs one ready item; what it throws goes to the exception handler. */
  _runItem(item: Runnable): void {
    try {
      item._run();
    } catch (error) {
      const context: ExceptionContext = { message: `Exception in callback ${String(item)}`, exception: error };
      if (item instanceof Task) context.task = item;
      else if (item instanceof Handle) context.handle = item;
      this.callExceptionHandler(context);
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
      return `${task.getName()} (waiting on ${describeWait(task)})`;
    });
    const onHost = this._pendingHostCallbacks;
    const hint =
      onHost === 0
        ? "Some future is never resolved or some task is never woken."
        : `${onHost} host callback(s) are pending (callback effect, fromPromise, user-defined effect), which can ` +
          "never arrive while run() blocks the thread: drive the loop from the host instead " +
          "(runAsync or startTimerDriver(loop), or loop.step()/nextDeadline() from your own event loop).";
    return new DeadlockError(
      `deadlock: the loop has nothing scheduled (no ready callback, no timer) and nothing can wake it, ` +
        `but ${waiting.length} task(s) are waiting: ${waiting.join(", ") || "none"}. ${hint}`,
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
    // Tasks and callbacks run in their own contexts, not in one entered around the loop.
    this._outerContext = realm.context;
    realm.context = null;
  }

  private _leave(): void {
    this._running = false;
    realm.runningLoop = null;
    realm.context = this._outerContext;
    this._outerContext = null;
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

for (const name of Object.keys(featureMethods)) {
  Object.defineProperty(EventLoop.prototype, name, {
    value: function (): never {
      throw featureLeftOut(`EventLoop.${name}()`);
    },
    writable: true,
    configurable: true,
  });
}

/**
 * The parts of `callSoon(callback, ...args)` or `callSoon({ context }, callback, ...args)`:
 * the callback, its arguments and the context it runs in (a copy of the current one by default).
 */
function splitCall(method: string, first: unknown, rest: unknown[]): { callback: Callback; args: unknown[]; context: Context } {
  if (typeof first === "function") return { callback: first as Callback, args: rest, context: copyContext() };
  if (first === null || typeof first !== "object") {
    throw new TypeError(`${method}: a function was expected as the callback, got ${describeValue(first)}`);
  }
  const context = checkContextOption(method, (first as CallOptions).context);
  const callback = rest[0];
  if (typeof callback !== "function") {
    throw new TypeError(`${method}: a function was expected as the callback after the options, got ${describeValue(callback)}`);
  }
  return { callback: callback as Callback, args: rest.slice(1), context: context ?? copyContext() };
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
