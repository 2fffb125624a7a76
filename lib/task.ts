import { alreadyEntered, checkContextOption, currentData, isEntered, taskContext, Context } from "./context/context.js";
import type { ContextData } from "./context/context-data.js";
import { brand, secondCopyHint } from "./brand.js";
import { describeValue, generatorPrototype, isGenerator, isGeneratorFunction, isThenable, isOptionsBag } from "./describe.js";
import { Effect, SUSPENDED } from "./effect.js";
import { sleepZero } from "./effects/sleep.js";
import { CancelledError, InvalidStateError, RuntimeError } from "./errors.js";
import { Future, FutureState, STATE_BITS, cancelMessage } from "./future.js";
import type { EventLoop } from "./loop.js";
import type { Runnable } from "./ready-queue.js";
import { getRunningLoop, realm } from "./running.js";
import { runtimeCancelledError } from "./cancelled-error.js";
import { featureLeftOut } from "./feature-left-out.js";
import { NOTE_YIELDS } from "./note-yields.js";
import type { Coroutine } from "./types.js";

/** A task's name (a number n for `Task-n`) followed by its callers, innermost last: see `Task._nameAndCallers`. */
type NameAndCallers = [string | number, ...Coroutine<any>[]];

/** What `coroutineStates` knows of a coroutine genloop has run. */
const enum CoroutineState {
  /** The coroutine of a task that has not finished. */
  TaskRunning = 1,
  /** Ended by an error or a cancellation (in a task, or awaited inline), or closed by genloop. */
  Failed = 2,
}

/**
 * The coroutines genloop is running as tasks, and those that ended by an error or were
 * cancelled: a generator runs once, so starting one of these again (a task, an inline await)
 * would drive it from two places, or "succeed" with undefined, as a retry loop that passes the
 * same coroutine again after a failure or a timeout would. A coroutine that returned normally
 * leaves the table: keeping every finished coroutine in it makes the table as large as the
 * number of coroutines the collector has not yet freed, which the engine then scans at every
 * minor collection (it made gather 4 times and `yield* call(c)` 40 times slower). One lookup
 * per task creation and per inline await, as before. Coroutines driven elsewhere (stepped by
 * hand, or a native `yield* c`), and those that returned normally, are not seen.
 */
const coroutineStates = newWeakMap<CoroutineState>();

/**
 * The cancel messages on record (see `Task._setCancelMessage`), of the tasks whose CANCEL_MESSAGE
 * bit is set: off the task objects, since few tasks ever get one. Weak where the engine has a
 * WeakMap: a message stays with its task, done or not, as asyncio's does; elsewhere a Map that
 * a task leaves when it ends.
 */
const weakCancelMessages = newWeakMap<string>();
const cancelMessagesAreWeak = weakCancelMessages !== null;
const cancelMessages: {
  get(task: Task<any>): string | undefined;
  set(task: Task<any>, message: string): unknown;
  delete(task: Task<any>): boolean;
} = weakCancelMessages ?? new Map<Task<any>, string>();

// Native generators are resumed through %GeneratorPrototype%'s own methods: `coro.next(v)` is a
// megamorphic property lookup once an app has more than a few generator functions (~10x slower).
// Coroutines that are not native generators (an ES5 build's state machines) use their own methods.
const generatorNext = generatorPrototype?.next;
const generatorThrow = generatorPrototype?.throw;

/**
 * @internal Bits of `Task._flags`, above the future's state (`STATE_BITS`, see Future's
 * `_flags`): a CancelledError is to be thrown in at the next step.
 */
export const MUST_CANCEL = 4;
/** The next step throws its resume value in (when `_waiter` is null). */
const RESUME_THROW = 8;
/** @internal The task is inside a non-cancellable scope: cancellation requests are counted, not delivered. */
export const NON_CANCELLABLE = 16;
/** @internal A request arrived inside a non-cancellable scope; it is delivered when the outermost scope ends. */
export const DEFERRED_CANCEL = 32;
// 64 is NOTE_YIELDS (note-yields.ts, beside the iterators that read it): the running
// coroutine's `yield* effect` must be noted for the call graph.
/**
 * The task is in the ready queue as its sleep's timer firing, not for a step: `_run` then wakes
 * it as the sleep's future would, queueing its step for the next iteration (see `_sleepUntil`).
 */
const SLEEP_FIRING = 128;
/**
 * The task is the iterator of a `yield* sleep(ms)` (ms > 0, or the shared `sleep(0)`) of its coroutine, claimed by
 * `_iterateSleep`: `_value` holds the descriptor until the first `next()`. A claim still
 * pending when the task suspends is dropped (see `_run`).
 */
const SLEEP_CLAIMED = 256;
/** The task's coroutine waits in the `yield* sleep(...)` the task iterates: the next `next(v)` ends it. */
const SLEEP_YIELDED = 512;
/**
 * The task has a cancel message on record, in `cancelMessages` (a pending task's `_value` holds
 * its resume value). Invariant: set exactly while the table holds an entry for the task. A
 * request without a message, the common case, touches no table.
 */
const CANCEL_MESSAGE = 1024;
/** @internal The task is in its loop's registry of pending tasks (see TaskRegistry). */
export const REGISTERED = 2048;
/**
 * The running coroutine (`_coro`) is not a native generator (an ES5 build's state machine): it
 * is resumed through its own methods. Set with NOTE_YIELDS, once per coroutine switch, so that a
 * step tests a bit rather than the prototype chain at each resumption.
 */
const FOREIGN_COROUTINE = 4096;
/** The bits above hold the number of pending cancellation requests (`cancelling()`). */
const CANCEL_COUNT_SHIFT = 13;

/**
 * What `_waiter` holds while the task sleeps (it is its own timer: no Future, no timer object):
 * its index in the loop's TimerHeap (0 or more) while there, then SLEEP_DUE once the sleep is
 * due (the task is queued as SLEEP_FIRING), then SLEEP_OVER once its step is queued.
 */
const SLEEP_DUE = -1;
const SLEEP_OVER = -2;
const ONE_CANCEL_REQUEST = 1 << CANCEL_COUNT_SHIFT;

/**
 * @internal Hooks that optional parts of genloop install when they are part of the program, so a
 * program without them does not carry their code; each is one null check where it is called.
 */
export const taskHooks = {
  /**
   * Installed by graph/coroutine-frames.ts: whether `coro`'s yields must be noted (NOTE_YIELDS).
   * Unset, no coroutine is named, and nothing in the program asks for names.
   */
  mustNoteYields: null as ((coro: Coroutine<any>, debug: boolean) => boolean) | null,
  /**
   * Installed by graph/coroutine-frames.ts, called when the loop records sites (debug mode or
   * async stack traces): an error is about to be thrown into the task's running coroutine by
   * another coroutine or a failed future (see graph/async-stack.ts).
   */
  errorReceived: null as ((task: Task<any>, error: unknown) => void) | null,
  /** Installed with `errorReceived`: the task ends with an error. */
  taskFailed: null as ((task: Task<any>, error: unknown) => void) | null,
  /**
   * Installed by graph/coroutine-frames.ts, called in debug mode: a CancelledError is about to be
   * thrown into the task (see graph/swallowed-cancellation.ts).
   */
  cancellationDelivered: null as ((task: Task<any>) => void) | null,
  /** Installed with `cancellationDelivered`: the task returns while a cancellation request is counted. */
  cancelledTaskReturning: null as ((task: Task<any>) => void) | null,
  /**
   * Installed by lib/features/debug.ts, with the only way to make a loop record sites: the stack
   * where a task is created, without genloop's own frames.
   */
  captureStack: null as (() => string) | null,
  /**
   * Installed by lib/features/eager-start.ts: runs an eager task's first step inside `createTask`.
   * Unset (genloop/core without `genloop`), the `eagerStart` option is refused.
   */
  eagerStep: null as ((task: Task<any>) => void) | null,
};

/** Options of `createTask`, `spawn` and `TaskGroup.createTask`. */
export interface TaskOptions {
  /** The task's name; `Task-<n>` when unset. */
  name?: string;
  /** The context the task runs in; a copy of the current context by default (see Context). */
  context?: Context;
  /**
   * Runs the task's first step at once, inside `createTask`, when its loop is running (asyncio
   * 3.12's `eager_start`): a coroutine that finishes without suspending never goes through the
   * ready queue. While that step runs, `currentTask()` is the new task. Off by default; see
   * `eagerTaskFactory` to make every task of a loop eager.
   */
  eagerStart?: boolean;
}

/**
 * asyncio's Task: runs a coroutine on the loop, one step per scheduling, until it returns.
 *
 * Invariants:
 * - At most one step of a task is queued at any time; `_waiter` is what will queue it
 *   (a future, or the task's own sleep: a number) or null when the step is already
 *   queued/running. A sleeping task is its own entry in the loop's TimerHeap; when its sleep
 *   is due it is queued once more, flagged SLEEP_FIRING, which only queues the step.
 * - Coroutines awaited inline (`yield coro()`, `yield* call(coro())`) run on the task's own
 *   stack of generators, the callers in `_nameAndCallers` below `_coro`, so a deep chain never
 *   grows the JS stack.
 * - `MUST_CANCEL` in `_flags` means a CancelledError is to be thrown in at the next step.
 * - Inside a non-cancellable scope (`NON_CANCELLABLE`), `MUST_CANCEL` is never set and the
 *   waiter is never cancelled by a request: `DEFERRED_CANCEL` records it instead.
 */
export class Task<T = unknown> extends Future<T> implements Runnable {
  /** @internal The running generator: the top of the task's coroutine stack. */ _coro: Coroutine<any>;
  /** @internal What will queue the next step: a future, a sleep (a number, see SLEEP_DUE), or null. */
  _waiter: Future<any> | number | null = null;
  /**
   * @internal The task's name and, once it has awaited a coroutine inline, its stack of callers,
   * in one field (the name is read rarely, the stack only by inline calls; a task that makes
   * none, the common case, carries no array): the name (a number n stands for the default name
   * `Task-n`), or the array `[name, ...callers]`, the callers being the generators suspended
   * while a coroutine they called runs inline, innermost last. Invariant: once an array, it
   * stays one until the task's coroutines are closed (a later name goes in slot 0), so a step
   * that pops the last caller and pushes again allocates nothing.
   */
  _nameAndCallers: string | number | NameAndCallers;
  /** @internal Where the task was created: set in debug mode only (tasks stay one field smaller). */
  _sourceTraceback?: string;
  /** @internal The next task in its loop's registry of pending tasks (see TaskRegistry). */
  _nextTask: Task<any> | null = null;
  /**
   * @internal The context every step runs in. asyncio gives each task a copy of its creator's
   * context; a copy's mapping is the creator's own (immutable) mapping, so until something needs
   * the Context object itself (`getContext()`, or `ContextVar.set`/`reset` and `copyContext`'s
   * callers going through `currentContext()` in a step), the task holds that mapping alone (null
   * when empty). `taskContext` makes the Context on first use, once: a task that only reads
   * variables, or none, never pays for one.
   */
  _context: Context | ContextData | null;

  constructor(coro: Coroutine<T>, loop?: EventLoop, options?: TaskOptions) {
    if (!isGenerator(coro)) throw coroutineExpected("createTask", coro);
    if (options !== undefined && !isOptionsBag(options)) {
      throw new TypeError(`createTask: options must be an object like { name: 'worker' }, got ${describeValue(options)}`);
    }
    const name = options?.name;
    const context = checkContextOption("createTask", options?.context);
    const eagerStart = options?.eagerStart;
    if (eagerStart !== undefined && typeof eagerStart !== "boolean") {
      throw new TypeError(`createTask: options.eagerStart must be true or false, got ${describeValue(eagerStart)}`);
    }
    if (eagerStart === true && taskHooks.eagerStep === null) throw featureLeftOut("createTask: options.eagerStart");
    const state = coroutineStates === null ? undefined : coroutineStates.get(coro);
    if (state !== undefined) throw reuseError("createTask", state);
    super(loop ?? getRunningLoop());
    const eager = eagerStart === true && this._loop.isRunning();
    this._coro = coro;
    // asyncio copies the current context here; the copy's mapping is the creator's (immutable).
    this._context = context ?? currentData();
    // An eager first step enters the task's context inside createTask: refused, as asyncio does,
    // when that context is entered already (the creating task's own, for instance).
    if (eager && context !== undefined && isEntered(context)) throw alreadyEntered(context);
    this._nameAndCallers = name === undefined || name === null ? ++realm.taskCounter : String(name);
    if (this._loop._recordSites && taskHooks.captureStack !== null) this._sourceTraceback = taskHooks.captureStack();
    this._watchCoroutine();
    this._loop._registerTask(this);
    coroutineStates?.set(coro, CoroutineState.TaskRunning);
    // An eager task runs its first step now, as the current task, and is queued only if that
    // step suspends; the loop must be running, as asyncio requires (else it starts lazily).
    if (eager) (taskHooks.eagerStep as (task: Task<T>) => void)(this);
    else this._loop._enqueue(this);
  }

  /** @returns the task's name: the one given, or `Task-<n>`. */
  getName(): string {
    const held = this._nameAndCallers;
    const name = typeof held === "object" ? held[0] : held;
    return typeof name === "number" ? `Task-${name}` : name;
  }

  /**
   * Renames the task.
   * @param name converted with `String()`.
   */
  setName(name: unknown): void {
    const held = this._nameAndCallers;
    if (typeof held === "object") held[0] = String(name);
    else this._nameAndCallers = String(name);
  }

  /** The context the task runs in (asyncio's `get_context()`). */
  getContext(): Context {
    return taskContext(this);
  }

  /** The coroutine the task was created with. */
  getCoro(): Coroutine<T> {
    const held = this._nameAndCallers;
    return typeof held === "object" && held.length > 1 ? (held[1] as Coroutine<T>) : this._coro;
  }

  /** @internal The task's coroutines, outermost first: the callers awaiting inline, then the running one. */
  _coroutineStack(): Coroutine<any>[] {
    const held = this._nameAndCallers;
    return typeof held === "object" ? (held.slice(1) as Coroutine<any>[]).concat([this._coro]) : [this._coro];
  }

  /** How many cancellation requests are pending (asyncio 3.11+). */
  cancelling(): number {
    return this._flags >> CANCEL_COUNT_SHIFT;
  }

  /** Withdraws one cancellation request; at 0 a cancellation not yet delivered is dropped too. */
  uncancel(): number {
    if (this._flags >> CANCEL_COUNT_SHIFT > 0) {
      this._flags -= ONE_CANCEL_REQUEST;
      if (this._flags >> CANCEL_COUNT_SHIFT === 0) this._flags &= ~(MUST_CANCEL | DEFERRED_CANCEL);
    }
    return this._flags >> CANCEL_COUNT_SHIFT;
  }

  /**
   * Requests cancellation: the awaited future or effect is cancelled, or else a
   * `CancelledError(msg)` is thrown into the coroutine at its next step. False if done.
   */
  override cancel(msg?: string): boolean {
    this._markRetrieved();
    if ((this._flags & STATE_BITS) !== FutureState.Pending) return false;
    const message = cancelMessage(msg);
    // A chain of tasks each awaiting the next is walked in a loop, not by recursion, so
    // cancelling a deep chain cannot overflow the stack. Same effect as `waiter.cancel(msg)`.
    let task: Task<unknown> = this;
    for (;;) {
      task._flags += ONE_CANCEL_REQUEST;
      if ((task._flags & NON_CANCELLABLE) !== 0) {
        task._flags |= DEFERRED_CANCEL;
        task._setCancelMessage(message);
        return true;
      }
      const waiter = task._waiter;
      if (waiter instanceof Task && waiter.cancel === Task.prototype.cancel && (waiter._flags & STATE_BITS) === FutureState.Pending) {
        waiter._markRetrieved();
        task = waiter;
        continue;
      }
      // The waiter wakes the task with its CancelledError; keep it: if it is a task that
      // swallows the cancellation, we may have to cancel it again.
      if (waiter !== null && (typeof waiter === "number" ? task._cancelSleep(message) : waiter.cancel(message))) return true;
      task._flags |= MUST_CANCEL;
      task._setCancelMessage(message);
      return true;
    }
  }

  /**
   * @internal Records the message of the request MUST_CANCEL or DEFERRED_CANCEL now holds (or
   * none): asyncio's `_cancel_message`, which each such request replaces, and which stays after
   * the request is delivered (a gather cancelled meanwhile makes its CancelledError from it).
   */
  _setCancelMessage(message: string | undefined): void {
    if (message !== undefined) {
      cancelMessages.set(this, message);
      this._flags |= CANCEL_MESSAGE;
    } else if ((this._flags & CANCEL_MESSAGE) !== 0) {
      cancelMessages.delete(this);
      this._flags &= ~CANCEL_MESSAGE;
    }
  }

  /** @internal The cancel message on record (see `_setCancelMessage`), if any. */
  _cancelMessage(): string | undefined {
    return (this._flags & CANCEL_MESSAGE) === 0 ? undefined : cancelMessages.get(this);
  }

  /** @internal */
  override _lastCancelMessage(): string | undefined {
    return this._cancelMessage();
  }

  /**
   * Refused: a task's result is what its coroutine returns.
   * @throws RuntimeError always.
   */
  override setResult(_value: T): void {
    throw new RuntimeError("Task does not support set_result operation: a task's result is what its coroutine returns");
  }

  override setException(_error: unknown): void {
    throw new RuntimeError("Task does not support set_exception operation: throw from the coroutine instead");
  }

  /** A description like asyncio's repr: `<Task pending name='Task-3' coro=<main()>>`. */
  override toString(): string {
    const pending = (this._flags & STATE_BITS) === FutureState.Pending;
    const state = pending && this._flags >> CANCEL_COUNT_SHIFT > 0 ? "cancelling" : this._describeState();
    const where = this._sourceTraceback ? ` created at ${firstFrame(this._sourceTraceback)}` : "";
    return `<Task ${state.replace(/ .*/, "")} name='${this.getName()}'${state.replace(/^\S+/, "")}${where}>`;
  }

  /** @internal Runs the next step: called from the ready queue. */
  _run(): void {
    if ((this._flags & SLEEP_FIRING) !== 0) return this._sleepFired();
    if ((this._flags & STATE_BITS) !== FutureState.Pending) {
      throw new InvalidStateError(`_step(): already done: ${this}`);
    }
    // The task's context may be entered already only by a run() around the loop (asyncio's step
    // handle fails the same way then). Tested only in that case: reading the context on every
    // step costs a cache miss per task switch.
    // A context not made yet (see `_context`) cannot be entered.
    if (this._loop._outerContext !== null) {
      const context = this._context;
      if (context instanceof Context && context._entered) throw alreadyEntered(context);
    }
    const waiter = this._waiter;
    let isThrow = (this._flags & RESUME_THROW) !== 0;
    let value = this._value; // the resume value, while pending (see _resumeWith)
    this._flags &= ~(RESUME_THROW | SLEEP_CLAIMED);
    this._value = undefined;
    if (waiter !== null) {
      this._waiter = null;
      if (waiter instanceof Future) {
        isThrow = (waiter._flags & STATE_BITS) !== FutureState.Finished;
        value = isThrow ? futureError(waiter) : waiter._value;
        if (isThrow && this._loop._recordSites) errorReceived(this, value);
      } // else the sleep is over (SLEEP_OVER): `value` is its result (see _sleepUntil)
    }
    this._step(isThrow, value);
  }

  /** @internal Queues the next step, resuming the coroutine with a value or an error. */
  _resumeWith(isThrow: boolean, value: unknown): void {
    this._waiter = null;
    this._flags = isThrow ? this._flags | RESUME_THROW : this._flags & ~RESUME_THROW;
    // While the task is pending, Future's `_value` (its result once done) is free: it holds
    // the value the queued step resumes with, so tasks need no field of their own for it.
    this._value = value;
    this._loop._enqueue(this);
  }

  /**
   * @internal `yield* sleep(ms)` with ms > 0, or of the shared `sleep(0)`, in this task's step:
   * the task itself is the iterator (a sleeping task keeps no `YieldOnce`, a switch makes no
   * object), as `YieldOnce` would be for `sleep`, with its state in two flag bits. False when the task iterates a sleep already (a descriptor
   * iterated by hand): the caller hands out a `YieldOnce` then.
   */
  _iterateSleep(sleep: Effect<unknown>): boolean {
    if ((this._flags & (SLEEP_CLAIMED | SLEEP_YIELDED)) !== 0) return false;
    this._flags |= SLEEP_CLAIMED;
    this._value = sleep; // free while the task runs its step (see _resumeWith)
    return true;
  }

  /** @internal Ends the sleep's iteration (see `_iterateSleep`), as `YieldOnce.return` and `throw` do. */
  _endSleepIteration(): void {
    if ((this._flags & SLEEP_CLAIMED) !== 0) this._value = undefined;
    this._flags &= ~(SLEEP_CLAIMED | SLEEP_YIELDED);
  }

  /** @internal `sleep(0)`: go to the back of the ready queue. */
  _yieldOnce(result: unknown): void {
    this._resumeWith(false, result);
  }

  /**
   * @internal `sleep(delay)`: wait for a timer, with no Future in between. The result waits in
   * `_value`, as a resume value does (the timer stays smaller): a cancellation replaces it.
   */
  _sleepUntil(when: number, result: unknown): void {
    this._value = result; // RESUME_THROW is clear: the task is running its step
    this._loop._addSleep(this, when); // sets `_waiter` to the task's index in the loop's TimerHeap
    if ((this._flags & MUST_CANCEL) !== 0 && this._cancelSleep(this._cancelMessage())) this._flags &= ~MUST_CANCEL;
  }

  /**
   * @internal The task's sleep is due (the TimerHeap took it out, or the loop is closing): the loop queues the task as
   * SLEEP_FIRING, and that run queues its step for the next iteration, exactly as asyncio's
   * sleep, a timer that resolves a future the task awaits.
   */
  _timerDue(): void {
    this._waiter = SLEEP_DUE;
    this._flags |= SLEEP_FIRING;
  }

  /** The run of a SLEEP_FIRING task: queues its step, unless its sleep was cancelled meanwhile (the step is queued then). */
  private _sleepFired(): void {
    this._flags &= ~SLEEP_FIRING;
    if (this._waiter !== SLEEP_DUE) return;
    this._waiter = SLEEP_OVER;
    this._loop._enqueue(this);
  }

  /**
   * Cancels the sleep the task waits on: the TimerHeap lets it go at once (nothing keeps a
   * cancelled task) and it resumes with CancelledError. False once the timer has fired and the
   * step is queued (the task then resumes normally; a request is delivered at its next step).
   */
  private _cancelSleep(msg: string | undefined): boolean {
    const waiter = this._waiter as number;
    if (waiter === SLEEP_OVER) return false;
    if (waiter >= 0) this._loop._timers.cancel(waiter);
    this._resumeWith(true, runtimeCancelledError(this._loop, msg ?? ""));
    return true;
  }

  /** @internal Waits for `future`: its outcome now if done (no trip through the loop), else SUSPENDED. */
  _awaitFuture(future: Future<any>): unknown {
    if ((future._flags & STATE_BITS) !== FutureState.Pending) {
      if ((future._flags & STATE_BITS) === FutureState.Failed && this._loop._recordSites) errorReceived(this, future._value);
      return future.result();
    }
    if (future === this) {
      this._resumeWith(true, new RuntimeError(`Task cannot await on itself: ${this}`));
      return SUSPENDED;
    }
    if (future._loop !== this._loop) {
      throw new RuntimeError(`Task ${this} got Future ${future} attached to a different loop`);
    }
    // A subclass that overrides addDoneCallback is told, as asyncio's Task tells it.
    if (future.addDoneCallback === Future.prototype.addDoneCallback) future._addWaiter(this);
    else future.addDoneCallback(wakeUpOn(this, future));
    this._suspend(future);
    return SUSPENDED;
  }

  /** @internal Runs `coro` inline, as asyncio's awaiting of a coroutine does: it becomes the top of this task's stack. */
  _pushCoroutine(coro: Coroutine<any>): void {
    if (coro === this._coro || (coroutineStates !== null && coroutineStates.get(coro) !== undefined)) {
      throw this._awaitingActive(coro);
    }
    const held = this._nameAndCallers;
    if (typeof held === "object") held.push(this._coro);
    else this._nameAndCallers = [held, this._coro];
    this._coro = coro;
    this._watchCoroutine();
  }

  private _suspend(waiter: Future<any>): void {
    this._waiter = waiter;
    if ((this._flags & MUST_CANCEL) !== 0 && waiter.cancel(this._cancelMessage())) this._flags &= ~MUST_CANCEL;
  }

  /**
   * @internal Runs one step, as the current task: resumes the coroutine stack with `value`
   * (thrown in when `isThrow`) until it suspends on something or the task ends. One frame with
   * one exception boundary around the coroutine's resumptions: in an interpreter (QuickJS,
   * Hermes) every call and `try` of a switch costs, so the common case (a native generator, no
   * instrument, the shared `sleep(0)` or an inline `yield*`) runs here without further calls but
   * the coroutine's own; what is rarer (instruments, debug hooks, effects, futures, a coroutine
   * that is not a native generator) is one check on the way, then its own method. Its name is
   * how stack traces find genloop's driver below the coroutines (see graph/async-stack.ts).
   */
  _step(isThrow: boolean, value: unknown): void {
    const loop = this._loop;
    if ((this._flags & MUST_CANCEL) !== 0) {
      if (!(isThrow && value instanceof CancelledError)) value = this._makeCancelledError();
      isThrow = true;
      this._flags &= ~MUST_CANCEL;
    }
    if (isThrow && loop._debug && value instanceof CancelledError && taskHooks.cancellationDelivered !== null) {
      taskHooks.cancellationDelivered(this);
    }
    // Setting the current task also enters its context (see currentContext): a step costs
    // nothing more for context variables, as asyncio's `self._context.run(self.__step)`.
    const previous = realm.currentTask;
    realm.currentTask = this;
    // Read once per step: an instrument added during the step is first told of the next one.
    const instrumentation = loop._instrumentation;
    try {
      if (instrumentation !== null) {
        instrumentation.taskEvent("beforeTaskStep", this);
        instrumentation.settleEffect(this, isThrow, value);
      }
      for (;;) {
        const coro = this._coro;
        let r: IteratorResult<unknown, unknown>;
        try {
          if ((this._flags & FOREIGN_COROUTINE) === 0) {
            r = isThrow ? (generatorThrow as Generator["throw"]).call(coro, value) : (generatorNext as Generator["next"]).call(coro, value);
          } else {
            r = isThrow ? coro.throw(value) : coro.next(value);
          }
        } catch (error) {
          if (!this._popCaller()) return this._endWithError(error);
          // An inline coroutine that failed is marked, so a retry that awaits it again is refused.
          coroutineStates?.set(coro, CoroutineState.Failed);
          if (loop._recordSites) errorReceived(this, error);
          isThrow = true;
          value = error;
          continue;
        }
        if (r.done === true) {
          if (!this._popCaller()) return this._endWithResult(r.value as T);
          isThrow = false;
          value = r.value;
          continue;
        }
        // `sleep(0)` (the shared descriptor), the commonest yield: what its `_perform` does
        // (`_yieldOnce`), without the four calls through `_dispatch` that an interpreter pays
        // for (QuickJS: a switch ×1.1 faster). Instruments see every effect: they take `_dispatch`.
        if (r.value === sleepZero && loop._instrumentation === null) return this._resumeWith(false, undefined);
        try {
          const outcome = this._dispatch(r.value);
          if (outcome === SUSPENDED) return;
          isThrow = false;
          value = outcome;
        } catch (error) {
          isThrow = true;
          value = error;
        }
        const settled = loop._instrumentation;
        if (settled !== null) settled.settleEffect(this, isThrow, value);
      }
    } finally {
      realm.currentTask = previous;
      if (instrumentation !== null) instrumentation.taskEvent("afterTaskStep", this);
    }
  }

  /** What a yielded value means: its result now, or SUSPENDED. Throws to reject the yield. */
  private _dispatch(yielded: unknown): unknown {
    if (this._loop._instrumentation !== null && (yielded instanceof Effect || yielded instanceof Future)) {
      yielded = this._loop._instrumentation.startEffect(this, yielded);
    }
    if (yielded instanceof Effect) return yielded._perform(this);
    if (yielded instanceof Future) return this._awaitFuture(yielded);
    if (isGenerator(yielded)) {
      this._pushCoroutine(yielded as Coroutine<unknown>);
      return undefined;
    }
    this._resumeWith(true, badYield(this, yielded));
    return SUSPENDED;
  }

  /** The error for awaiting a generator that is running already or done (asyncio's ValueError / RuntimeError). */
  private _awaitingActive(coro: Coroutine<any>): Error {
    const held = this._nameAndCallers;
    const onOwnStack = coro === this._coro || (typeof held === "object" && held.indexOf(coro, 1) !== -1);
    if (!onOwnStack) return reuseError(`Task '${this.getName()}'`, coroutineStates?.get(coro) ?? CoroutineState.TaskRunning);
    return new RangeError(
      `Task '${this.getName()}' awaited a coroutine that is already executing: it is on this task's own ` +
        "stack (a coroutine awaiting itself or one of its callers), which could never finish.",
    );
  }

  /** Sets NOTE_YIELDS and FOREIGN_COROUTINE for the coroutine now running: once per coroutine switch, never per yield. */
  private _watchCoroutine(): void {
    const coro = this._coro;
    const mustNoteYields = taskHooks.mustNoteYields;
    let flags = this._flags & ~(NOTE_YIELDS | FOREIGN_COROUTINE);
    if (mustNoteYields !== null && mustNoteYields(coro, this._loop._recordSites)) flags |= NOTE_YIELDS;
    if (generatorPrototype === null || !generatorPrototype.isPrototypeOf(coro)) flags |= FOREIGN_COROUTINE;
    this._flags = flags;
  }

  private _popCaller(): boolean {
    const held = this._nameAndCallers;
    if (typeof held !== "object" || held.length === 1) return false;
    this._coro = held.pop() as Coroutine<any>;
    this._watchCoroutine();
    return true;
  }

  private _endWithResult(value: T): void {
    if ((this._flags & MUST_CANCEL) !== 0) {
      // Cancelled right before the coroutine returned: the result is discarded.
      this._flags &= ~MUST_CANCEL;
      this._finish(FutureState.Cancelled, this._cancelMessage());
    } else {
      // A request still counted: the task caught the CancelledError and returned (debug mode reports it).
      if (this._flags >= ONE_CANCEL_REQUEST && this._loop._debug && taskHooks.cancelledTaskReturning !== null) {
        taskHooks.cancelledTaskReturning(this);
      }
      this._resolve(value);
    }
  }

  private _endWithError(error: unknown): void {
    if (error instanceof CancelledError) {
      // As asyncio: the coroutine's own CancelledError goes to the first one who asks
      // (result(), exception(), an awaiting task); the message is not kept for later ones.
      this._setCancelMessage(undefined);
      this._finish(FutureState.Cancelled, error);
    } else {
      if (this._loop._recordSites && taskHooks.taskFailed !== null) taskHooks.taskFailed(this, error);
      this._reject(error);
    }
  }

  /**
   * @internal The loop is closing while this task is pending: close its coroutines, innermost
   * first, so their `finally` blocks run, as Python does when it collects a pending coroutine.
   * Nothing can resume a finally block that yields now: it is cut short there, and that is
   * returned as an error, with whatever the blocks threw.
   */
  _closeCoroutines(): unknown[] {
    const errors: unknown[] = [];
    const stack = this._coroutineStack();
    const held = this._nameAndCallers;
    if (typeof held === "object") this._nameAndCallers = held[0] as string | number;
    for (let i = stack.length - 1; i >= 0; i--) {
      const coro = stack[i];
      markCoroutineClosed(coro);
      try {
        let attempts = 0;
        for (let r = coro.return(undefined); r.done !== true; r = coro.return(undefined)) {
          if (++attempts === 1) {
            errors.push(new RuntimeError(
              `Task '${this.getName()}' yielded in a finally block while its loop was closing; the rest of that block did not run`,
            ));
          }
          if (attempts === 1000) break; // a finally block that keeps yielding: give up on it
        }
      } catch (error) {
        errors.push(error);
      }
    }
    return errors;
  }

  /** @internal */
  override _finish(state: FutureState, value: unknown): void {
    // Without a WeakMap the table must forget the task (a gather cancelled later then makes its
    // CancelledError without this task's message: the only loss, on Duktape and mujs).
    if ((this._flags & CANCEL_MESSAGE) !== 0 && !cancelMessagesAreWeak) this._setCancelMessage(undefined);
    if (coroutineStates !== null) {
      if (state === FutureState.Finished) coroutineStates.delete(this.getCoro());
      else coroutineStates.set(this.getCoro(), CoroutineState.Failed);
    }
    this._loop._unregisterTask(this);
    const instrumentation = this._loop._instrumentation;
    if (instrumentation !== null) {
      // Instruments see the task done (its state and outcome set), before its waiters are woken.
      this._flags = (this._flags & ~STATE_BITS) | state;
      this._value = value;
      instrumentation.taskEvent("taskFinished", this);
    }
    super._finish(state, value);
  }
}

brand(Task.prototype, "Task");

// The iterator methods of a sleep the task iterates (see `Task._iterateSleep`), as `YieldOnce`'s.
// On the prototype only, not enumerable, and unknown to TypeScript: to it (and to `isGenerator`,
// which never takes a branded object for a coroutine) a task never looks like a generator.
/** The last result of most iterations (`sleep(0)`, `sleep(ms)`: resumed with undefined), made once. */
const DONE_UNDEFINED: IteratorResult<unknown, unknown> = Object.freeze({ value: undefined, done: true });
const sleepIteration = {
  /** The descriptor (its own iterator result), then the value resumed with; then done. */
  next(this: Task<unknown>, resumed?: unknown): IteratorResult<unknown, unknown> {
    const flags = this._flags;
    if ((flags & SLEEP_CLAIMED) !== 0) {
      // The descriptor is its own first iterator result, "yielded this descriptor" (its `value`
      // is itself, `done` false, for good: see SleepEffect), read at once by the task.
      const sleep = this._value as IteratorResult<unknown, unknown>;
      this._value = undefined;
      this._flags = (flags & ~SLEEP_CLAIMED) | SLEEP_YIELDED;
      return sleep;
    }
    this._flags = flags & ~SLEEP_YIELDED;
    return (flags & SLEEP_YIELDED) === 0 || resumed === undefined ? DONE_UNDEFINED : { value: resumed, done: true };
  },
  return(this: Task<unknown>, value: unknown): IteratorResult<unknown, unknown> {
    this._endSleepIteration();
    return { value, done: true };
  },
  /** How a cancellation reaches a coroutine waiting in `yield* sleep(ms)`. */
  throw(this: Task<unknown>, error: unknown): IteratorResult<unknown, unknown> {
    this._endSleepIteration();
    throw error;
  },
};
const iteratorMethods = ["next", "return", "throw"] as const;
for (let i = 0; i < iteratorMethods.length; i++) {
  Object.defineProperty(Task.prototype, iteratorMethods[i], { value: sleepIteration[iteratorMethods[i]], writable: true, configurable: true });
}

/** Tells async stack traces (when installed) that `error` is about to be thrown into `task`'s running coroutine. */
function errorReceived(task: Task<unknown>, error: unknown): void {
  if (taskHooks.errorReceived !== null) taskHooks.errorReceived(task, error);
}

/** The error a task resumes with when the future it awaited did not succeed. */
function futureError(future: Future<any>): unknown {
  if ((future._flags & STATE_BITS) === FutureState.Cancelled) return future._makeCancelledError();
  future._markRetrieved();
  return future._value;
}

export function coroutineExpected(where: string, value: unknown): TypeError {
  const hint = isGeneratorFunction(value)
    ? " (you passed the generator function itself: call it, e.g. main() rather than main)"
    : value instanceof Effect
      ? ` (an effect is not a coroutine: start it with ensureFuture(effect), or wrap it in a function* that yields it)`
      : " (a generator object, what calling a function* returns)";
  return new TypeError(`${where}: a coroutine was expected, got ${describeValue(value)}${hint}`);
}

/** The error for starting a coroutine genloop has already started: asyncio's RuntimeError. */
function reuseError(who: string, state: CoroutineState): RuntimeError {
  const advice =
    "A coroutine runs once; to wait for it from several places, wrap it once with createTask(coro) and wait for the task; " +
    "to run the work again (a retry), call the generator function again for a fresh coroutine.";
  if (state === CoroutineState.TaskRunning) {
    return new RuntimeError(`${who}: this coroutine is being awaited already (a task is running it). ${advice}`);
  }
  const what = "it has already run, and ended with an error or was cancelled (or was closed)";
  return new RuntimeError(`${who}: cannot reuse already awaited coroutine: ${what}. ${advice}`);
}


/**
 * Whether `value` is a coroutine no task has started, so that a task made on it now owns it:
 * false for anything else, and where the engine has no WeakMap (nothing is known there).
 */
export function isUnstartedCoroutine(value: unknown): boolean {
  return coroutineStates !== null && isGenerator(value) && coroutineStates.get(value as object) === undefined;
}

/** Marks `coro` as closed by genloop before it ran (a refused task group child): it cannot be started later. */
export function markCoroutineClosed(coro: Coroutine<any>): void {
  coroutineStates?.set(coro, CoroutineState.Failed);
}

/**
 * The done callback of a task awaiting a future whose class overrides `addDoneCallback`:
 * runs the task's step there, as asyncio's `Task.__wakeup` does.
 */
function wakeUpOn(task: Task<unknown>, future: Future<any>): (done: Future<any>) => void {
  return () => {
    if (task._waiter === future && future.done()) task._run();
  };
}

function badYield(task: Task<unknown>, value: unknown): TypeError {
  const secondCopy = secondCopyHint(value);
  if (secondCopy !== "") {
    return new TypeError(`Task '${task.getName()}' yielded ${describeValue(value)} that this copy of genloop cannot run${secondCopy}`);
  }
  let hint =
    "A coroutine may yield an Effect (sleep, spawn, gather, …), a Future or Task, or a coroutine; " +
    "use yield* to get a typed result, e.g. `const x = yield* sleep(10, 'v')`.";
  if (isThenable(value)) {
    hint =
      "Promises and thenables cannot be awaited by the loop itself: on a loop driven by the host " +
      "(startTimerDriver), use `yield* fromPromise(p)` from 'genloop/promise'; or wrap the callback API " +
      "with the callback effect.";
  } else if (Array.isArray(value)) {
    hint = "To wait for several awaitables, yield* gather(...items).";
  } else if (isGeneratorFunction(value)) {
    hint = "You yielded a generator function: call it, e.g. `yield* call(child())`.";
  } else if (value === undefined) {
    hint = "A bare `yield` does not wait for anything; to give other tasks a turn, use `yield* sleep(0)`.";
  }
  return new TypeError(`Task '${task.getName()}' yielded ${describeValue(value)}, which cannot be awaited. ${hint}`);
}

function firstFrame(stack: string): string {
  return (stack.split("\n")[0] ?? "").trim().replace(/^at /, "");
}

/** A WeakMap where the engine has one (Duktape and mujs do not): the checks it serves are then skipped. */
function newWeakMap<V>(): WeakMap<object, V> | null {
  const ctor = typeof globalThis !== "undefined" ? (globalThis as { WeakMap?: WeakMapConstructor }).WeakMap : undefined;
  return typeof ctor === "function" ? new ctor<object, V>() : null;
}
