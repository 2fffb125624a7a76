import { describeValue, isGenerator, isOptionsBag } from "../describe.js";
import { CancelledError } from "../errors.js";
import { Future } from "../future.js";
import { getRunningLoop } from "../running.js";
import { WaiterList, type WaiterNode } from "../sync/waiter-list.js";
import { isWholeNumber } from "../sync/whole-number.js";
import type { EventLoop } from "../loop.js";
import type { Task } from "../task.js";
import type { Coroutine } from "../types.js";

/**
 * What happens when `perform()` is called while `maxConcurrency` instances already run:
 * - `restartable`: the oldest running instance is cancelled and the new one starts at once;
 * - `drop`: the new instance is cancelled before it starts (its body never runs);
 * - `enqueue`: the new instance waits in a FIFO queue for a free slot;
 * - `keepLatest`: the new instance waits for a free slot, and replaces (cancels) any
 *   instance already waiting, so at most one waits.
 */
export type PolicyMode = "restartable" | "drop" | "enqueue" | "keepLatest";

/** Options of `restartable`, `drop`, `enqueue` and `keepLatest`. */
export interface PolicyOptions {
  /** How many instances may run at once: a whole number >= 1, or Infinity (default 1). */
  maxConcurrency?: number;
  /** Base name of the instance tasks, `name#n` (default: the function's name, or "task"). */
  name?: string;
  /**
   * The loop instances run on. Default: the loop running when `perform` is called. Give it
   * to call `perform` from host code outside the loop (a UI event handler); a loop driven
   * by host timers must then be woken as the embedding section describes.
   */
  loop?: EventLoop;
}

/** Told that a policy's state changed (an instance was performed, started, queued or ended). */
export type PolicyListener<A extends unknown[], R> = (policy: TaskPolicy<A, R>) => void;

/** A coroutine function whose calls a policy manages. */
export type CoroutineFunction<A extends unknown[], R> = (...args: A) => Coroutine<R>;

interface Instance<R> {
  task: Task<R>;
  /** Resolved when the instance gets a slot; null once it has one. */
  gate: Future<void> | null;
  /** Its place in `running` or `waiting` (`node.list` says which); null once it left both. */
  node: WaiterNode<Instance<R>> | null;
}

/**
 * A coroutine function wrapped with a concurrency policy (ember-concurrency's task
 * modifiers): each `perform(...args)` starts an instance — a genloop `Task` running
 * `fn(...args)` — and the policy decides what happens to calls that arrive while
 * `maxConcurrency` instances are running. Derived state (`isRunning`, `performCount`,
 * `last`, `lastSuccessful`, …) is always up to date, for a UI to show.
 *
 * Invariants: `running` holds the instances that own a slot (at most `maxConcurrency`);
 * `waiting` holds those queued for one (enqueue, keepLatest), in FIFO order. An instance
 * leaves both when it ends, or at once when a policy or `cancelAll` cancels it; its
 * `finally` blocks may then still be running while a newer instance has its slot.
 */
export class TaskPolicy<A extends unknown[], R> {
  /** Which policy this is. */
  readonly mode: PolicyMode;
  /** How many instances may run at once. */
  readonly maxConcurrency: number;
  /** The name instance tasks are named after (`name#1`, `name#2`, …). */
  readonly name: string;
  private readonly loop: EventLoop | undefined;
  private readonly fn: CoroutineFunction<A, R>;
  private readonly running = new WaiterList<Instance<R>>();
  private readonly waiting = new WaiterList<Instance<R>>();
  private count = 0;
  private lastStarted: Task<R> | null = null;
  private lastPerformedTask: Task<R> | null = null;
  private lastOk: Task<R> | null = null;
  private lastFailed: Task<R> | null = null;
  private lastCancelledTask: Task<R> | null = null;
  private lastEnded: Task<R> | null = null;
  /** Change listeners (`subscribe`); null while there are none, so an unobserved policy pays nothing. */
  private listeners: PolicyListener<A, R>[] | null = null;

  constructor(mode: PolicyMode, fn: CoroutineFunction<A, R>, options: PolicyOptions = {}) {
    if (mode !== "restartable" && mode !== "drop" && mode !== "enqueue" && mode !== "keepLatest") {
      throw new TypeError(`TaskPolicy: unknown mode ${describeValue(mode)} (restartable, drop, enqueue or keepLatest)`);
    }
    if (typeof fn !== "function") {
      throw new TypeError(`${mode}: expected a generator function, e.g. ${mode}(function* (q) { … }), got ${describeValue(fn)}`);
    }
    if (!isOptionsBag(options)) {
      throw new TypeError(`${mode}: options must be an object like { maxConcurrency: 2 }`);
    }
    const max = options.maxConcurrency ?? 1;
    if (typeof max !== "number" || !(max === Infinity || (isWholeNumber(max) && max >= 1))) {
      throw new RangeError(`${mode}: maxConcurrency must be a whole number >= 1 or Infinity, got ${describeValue(max)}`);
    }
    this.mode = mode;
    this.fn = fn;
    this.maxConcurrency = max;
    this.name = options.name !== undefined ? String(options.name) : fn.name || "task";
    if (options.loop !== undefined && (options.loop === null || typeof options.loop.createTask !== "function")) {
      throw new TypeError(`${mode}: options.loop must be an EventLoop, got ${describeValue(options.loop)}`);
    }
    this.loop = options.loop;
  }

  /** True while at least one instance runs. */
  get isRunning(): boolean {
    return this.running.length > 0;
  }

  /** True while at least one instance waits for a slot. */
  get isQueued(): boolean {
    return this.waiting.length > 0;
  }

  /** True when nothing runs or waits. */
  get isIdle(): boolean {
    return !this.isRunning && !this.isQueued;
  }

  /** How many instances run now. */
  get numRunning(): number {
    return this.running.length;
  }

  /** How many instances wait for a slot. */
  get numQueued(): number {
    return this.waiting.length;
  }

  /** How many times `perform` was called (dropped calls included). */
  get performCount(): number {
    return this.count;
  }

  /** The instance that most recently started running (got a slot). */
  get last(): Task<R> | null {
    return this.lastStarted;
  }

  /** The instance of the latest `perform` call, whatever became of it. */
  get lastPerformed(): Task<R> | null {
    return this.lastPerformedTask;
  }

  /** The instance that most recently returned normally; its `result()` is the value. */
  get lastSuccessful(): Task<R> | null {
    return this.lastOk;
  }

  /** The instance that most recently ended with an error (not a cancellation). */
  get lastErrored(): Task<R> | null {
    return this.lastFailed;
  }

  /** The instance most recently cancelled (restarted, dropped, replaced or cancelled). */
  get lastCancelled(): Task<R> | null {
    return this.lastCancelledTask;
  }

  /** The instance that most recently ended, in any way. */
  get lastComplete(): Task<R> | null {
    return this.lastEnded;
  }

  /**
   * Starts an instance running `fn(...args)` as a task (on `options.loop`, or else the
   * running loop: `RuntimeError` when there is none) and returns it
   * (`yield* policy.perform(x)` waits for its result). What happens when `maxConcurrency`
   * instances already run depends on the mode (see `PolicyMode`). A task awaiting the
   * instance that is cancelled cancels the instance too, as awaiting any task does.
   */
  perform(...args: A): Task<R> {
    const loop = this.loop ?? getRunningLoop();
    this.count++;
    const full = this.running.length >= this.maxConcurrency;
    // Cancel what the new call replaces first, so its cleanup is queued before the new start.
    if (full && this.mode === "restartable") {
      const oldest = (this.running.head as WaiterNode<Instance<R>>).value;
      this.cancelInstance(oldest, `restarted: a newer perform of '${this.name}' replaced it (restartable)`);
    }
    if (full && this.mode === "keepLatest") {
      for (let waiter = this.waiting.shift(); waiter !== undefined; waiter = this.waiting.shift()) {
        this.cancelInstance(waiter, `replaced: a newer perform of '${this.name}' took its place in the queue (keepLatest)`);
      }
    }
    const inst: Instance<R> = { task: null as unknown as Task<R>, gate: null, node: null };
    const queued = full && (this.mode === "enqueue" || this.mode === "keepLatest");
    if (queued) inst.gate = this.gate(loop, inst);
    inst.task = loop.createTask(this.body(inst, args), { name: `${this.name}#${this.count}` });
    // A task cancelled before its first step never runs its body (nor its finally): this
    // frees its slot or queue place then, one iteration later.
    // Listeners hear of an instance's end here, once it is done: its result() is readable.
    inst.task.addDoneCallback(() => {
      this.release(inst);
      this.notify(loop);
    });
    this.lastPerformedTask = inst.task;
    if (full && this.mode === "drop") {
      inst.task.cancel(`dropped: '${this.name}' already runs ${this.running.length} instance(s) (drop, maxConcurrency ${this.maxConcurrency})`);
      this.lastCancelledTask = inst.task;
    } else if (queued) {
      inst.node = this.waiting.push(inst);
    } else {
      this.start(inst);
    }
    this.notify(loop);
    return inst.task;
  }

  /** Cancels every running and waiting instance; returns how many were cancelled. */
  cancelAll(msg?: string): number {
    const all: Instance<R>[] = [];
    for (let node = this.running.head; node !== null; node = node.next) all.push(node.value);
    for (let node = this.waiting.head; node !== null; node = node.next) all.push(node.value);
    for (const inst of all) this.cancelInstance(inst, msg ?? `cancelAll() on '${this.name}'`);
    if (all.length > 0) this.notify(all[0].task._loop);
    return all.length;
  }

  /**
   * Calls `listener(policy)` after each change of the derived state (`isRunning`, `last`, …):
   * when an instance is performed, gets a slot, or ends. What a UI framework needs to
   * re-render (see docs/ui-policies.md). A listener that throws is reported to the loop's
   * exception handler; the others are still called. Listeners run synchronously, inside
   * the loop's iteration: keep them short (schedule a render).
   *
   * @param listener called with the policy after each change
   * @returns a function that unsubscribes it (calling it twice does nothing)
   * @throws TypeError when `listener` is not a function
   */
  subscribe(listener: PolicyListener<A, R>): () => void {
    if (typeof listener !== "function") {
      throw new TypeError(`${this.mode} '${this.name}'.subscribe: a listener function was expected, got ${describeValue(listener)}`);
    }
    // Copy on write: a listener that unsubscribes during a notification does not disturb it.
    this.listeners = this.listeners === null ? [listener] : this.listeners.concat([listener]);
    let subscribed = true;
    return () => {
      if (!subscribed || this.listeners === null) return;
      subscribed = false;
      const rest = this.listeners.filter((l) => l !== listener);
      this.listeners = rest.length === 0 ? null : rest;
    };
  }

  /** A description: `<TaskPolicy restartable 'search' running:1/1 queued:0 performed:4>`. */
  toString(): string {
    return `<TaskPolicy ${this.mode} '${this.name}' running:${this.running.length}/${this.maxConcurrency} queued:${this.waiting.length} performed:${this.count}>`;
  }

  /**
   * The future a queued instance waits on for its slot. Its `_waitLabel` is what `describeWait`
   * and the task tree say of it: the policy and the instance's place in the queue.
   */
  private gate(loop: EventLoop, inst: Instance<R>): Future<void> {
    const gate = new Future<void>(loop) as Future<void> & { _waitLabel?: () => string };
    gate._waitLabel = () => {
      let place = 1;
      for (let node = this.waiting.head; node !== null && node.value !== inst; node = node.next) place++;
      return `queued in ${this.mode} '${this.name}' (place ${place} of ${this.waiting.length}; ${this.running.length}/${this.maxConcurrency} running)`;
    };
    return gate;
  }

  /** Gives `inst` a slot. */
  private start(inst: Instance<R>): void {
    inst.node = this.running.push(inst);
    this.lastStarted = inst.task;
  }

  /** Takes `inst` out of the books (freeing its slot) and cancels its task. */
  private cancelInstance(inst: Instance<R>, msg: string): void {
    this.release(inst);
    // Set here too: an instance cancelled before its first step never runs its body.
    this.lastCancelledTask = inst.task;
    inst.task.cancel(msg);
  }

  /** Removes `inst` from `running`/`waiting`; a freed slot goes to the first waiter. */
  private release(inst: Instance<R>): void {
    const node = inst.node;
    if (node === null) return;
    inst.node = null;
    if (this.waiting.remove(node)) return;
    this.running.remove(node);
    while (this.running.length < this.maxConcurrency) {
      const next = this.waiting.shift();
      if (next === undefined) break;
      const gate = next.gate as Future<void>;
      next.gate = null;
      this.start(next);
      gate._resolve(undefined);
    }
  }

  /** Tells the listeners that the state changed; `loop` reports a listener's error. */
  private notify(loop: EventLoop): void {
    const listeners = this.listeners;
    if (listeners === null) return;
    for (const listener of listeners) {
      try {
        listener(this);
      } catch (error) {
        loop.callExceptionHandler({ message: `Exception in a listener of ${this}`, exception: error });
      }
    }
  }

  /** The coroutine of one instance: wait for a slot if queued, run the body, keep the books. */
  private *body(inst: Instance<R>, args: A): Coroutine<R> {
    try {
      if (inst.gate !== null) yield inst.gate;
      const coro = this.fn(...args);
      if (!isGenerator(coro)) {
        throw new TypeError(`${this.mode} '${this.name}': the function must be a function* (it returned ${describeValue(coro)})`);
      }
      const result = (yield coro) as R;
      this.lastOk = inst.task;
      return result;
    } catch (error) {
      if (error instanceof CancelledError) this.lastCancelledTask = inst.task;
      else this.lastFailed = inst.task;
      throw error;
    } finally {
      this.lastEnded = inst.task;
      this.release(inst);
    }
  }
}
