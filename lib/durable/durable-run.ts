import { VirtualClock, type Clock } from "../clock.js";
import { describeValue } from "../describe.js";
import type { Effect } from "../effect.js";
import type { CallbackSetup, Disposer, HostCallbackFuture } from "../effects/callback.js";
import { UserEffect } from "../effects/custom.js";
import type { HostSeam } from "../effects/host-seam.js";
import { RuntimeError } from "../errors.js";
import type { Instrument } from "../instrument.js";
import { EventLoop } from "../loop.js";
import { run, type RunOptions } from "../run.js";
import { realm } from "../running.js";
import type { Task } from "../task.js";
import type { Coroutine } from "../types.js";
import { CodecError, decodeValue, encodeValue, type CodecHook } from "./codec.js";
import { DivergenceError } from "./divergence-error.js";
import { durableHandlers, patchedEffect } from "./effects.js";
import { JournalClock, wallClock } from "./journal-clock.js";
import {
  JOURNAL_VERSION,
  JournalError,
  formatLine,
  parseJournal,
  positionKey,
  type CancelledEntry,
  type CoroutineEntry,
  type JournalEntry,
  type JournalLimits,
  type OutcomeEntry,
  type PatchEntry,
} from "./journal.js";
import { checkStore, type JournalStore } from "./store.js";

/** Options of `runDurable` and `DurableRun`. */
export interface DurableOptions {
  /** Where the journal is read from and appended to (`MemoryStore`, `FileStore`, your own). */
  store: JournalStore;
  /**
   * The loop's clock. Omitted or a real clock: real time, journaled (wall-clock milliseconds, so
   * a sleep spans a restart). A `VirtualClock`: used as it is and not journaled (virtual time is
   * decided by the program and its host, which replay the same way).
   */
  clock?: Clock;
  /** The codec hook for values JSON cannot hold (see `CodecHook`). */
  codec?: CodecHook;
  /** Bounds on the journal read back (see `JournalLimits`). */
  limits?: JournalLimits;
  /** The run id for a new journal (default: generated); a journal that exists keeps its own. */
  runId?: string;
}

/** How one task appears in the journal: its stable id, and counters for what it starts. */
interface Place {
  /** Null for a task the run cannot place (created before it was attached): its host effects fail. */
  readonly id: string | null;
  /** Index of its next host effect. */
  next: number;
  /** Tasks it has created so far. */
  children: number;
}

/** A live host setup running now: what `effectKey()` answers, and where its handler's tasks go. */
interface ActiveSetup {
  readonly run: DurableRun;
  readonly place: Place;
  readonly index: number;
  handlerTasks: number;
}

/** A replayed outcome that arrived after its setup: delivered at the start of the first iteration after `at`, once the time is `time`. */
interface Delivery {
  readonly at: number;
  readonly time: number | undefined;
  readonly line: number;
  readonly deliver: () => void;
}

/** The callback of the timers that make a loop due when a replayed outcome arrives. */
function wake(): void {}

/** A recorded entry with a position, as read back (with its line), an outcome with its value decoded. */
type Recorded = (OutcomeEntry | CancelledEntry | CoroutineEntry | PatchEntry) & { line: number; decoded?: unknown };

/** The setup of a live host effect, being run now (at most one at a time in a realm). */
let activeSetup: ActiveSetup | null = null;

/**
 * The idempotency key of the host effect whose setup (or user-defined effect handler) is running
 * now: `<run id>/<task id>/<effect index>`, the same on every attempt of that effect, across
 * crashes and restarts. Pass it to external systems so they can drop a repeated request: an
 * effect whose outcome was not journaled before a crash runs again on resume (at least once).
 *
 * @returns the key.
 * @throws RuntimeError when no host effect's setup is running under a durable run (call it
 *   synchronously, at the start of the handler).
 * @example
 * ```ts fragment
 * const charge = defineEffect<{ cents: number }, string>("pay.charge");
 * const handlers = {
 *   "pay.charge": (effect, ctx) => {
 *     const key = effectKey();  // e.g. "r1a2/1/0"
 *     paymentApi.charge(effect.cents, { idempotencyKey: key }, ctx.resolve, ctx.reject);
 *   },
 * };
 * ```
 */
export function effectKey(): string {
  const active = activeSetup;
  if (active === null) {
    throw new RuntimeError(
      "effectKey(): no host effect is starting under a durable run; call it synchronously at the start of the " +
        "effect's handler or callback setup (it is not available later, in its callbacks)",
    );
  }
  return `${active.run.runId}/${active.place.id}/${active.index}`;
}

/**
 * A durable run: records every outcome that comes from outside the loop (each host effect's
 * result or error, and real-clock readings) into a journal, and replays a journal so that a run
 * resumes where it stopped — after a crash, in another process, in another engine.
 *
 * - Record: each host effect (`callback`, `fromPromise`, user-defined effects) is journaled with
 *   its position (the task's stable id and the effect's index in it), kind and payload
 *   fingerprint. The outcome is appended to the store before the waiting task resumes, and the
 *   task resumes with the outcome as decoded from the journal, exactly what a replay gives it.
 * - Replay: a journaled effect settles with its recorded outcome without calling the host, at the
 *   same point of the loop (at once, or at the end of the iteration where it arrived); when the
 *   journal runs out, the run goes on live and appends.
 * - A position where the program asks for a different effect fails with `DivergenceError`.
 *
 * Use `runDurable(main, options)` for a blocking run; on a loop the host drives, build the loop
 * with `clock: durable.clock` and call `durable.attach(loop)` before creating tasks.
 *
 * @example
 * ```ts fragment
 * const durable = new DurableRun({ store: new MemoryStore(), clock: new VirtualClock() });
 * const result = durable.run(main(), { effects: handlers });
 * ```
 */
export class DurableRun implements HostSeam, Instrument {
  /** The journal's run id: the prefix of every idempotency key. */
  readonly runId: string;
  /** The clock to give the loop (the journaling clock, or the virtual clock as it is). */
  readonly clock: Clock;
  /** Host effects settled from the journal so far. */
  replayed = 0;
  /** Entries appended to the journal so far. */
  recorded = 0;
  private readonly store: JournalStore;
  private readonly codec: CodecHook | undefined;
  private readonly journalClock: JournalClock | null;
  /** Recorded entries not yet replayed, by position. */
  private readonly pending = new Map<string, Recorded>();
  /** The places of the tasks not done yet (a task's place is dropped when it finishes). */
  private readonly places = new Map<Task<unknown>, Place>();
  /** Host effects started outside any task. */
  private readonly outside: Place = { id: "-", next: 0, children: 0 };
  private rootTasks = 0;
  private loop: EventLoop | null = null;
  private iterations = 0;
  private deliveries: Delivery[] = [];
  private headerWritten: boolean;
  private unflushedReadings: number[] = [];
  /** What stopped the run (a divergence, a store that failed); every later host effect fails with it. */
  private failure: { error: unknown } | null = null;

  /**
   * Opens the journal: reads and checks all of it (a `JournalError` naming the line if any of it
   * is malformed, hostile or over the limits; nothing of it runs then), ready to replay it.
   * @throws TypeError for a bad option; JournalError for a bad journal; RangeError if `runId`
   *   is given and differs from the journal's.
   */
  constructor(options: DurableOptions) {
    if (options === null || typeof options !== "object") {
      throw new TypeError(`DurableRun: options must be an object like { store }, got ${describeValue(options)}`);
    }
    this.store = checkStore("DurableRun", options.store);
    const codec = options.codec;
    if (codec !== undefined && (codec === null || typeof codec.encode !== "function" || typeof codec.decode !== "function")) {
      throw new TypeError(`DurableRun: codec must have encode(value) and decode(type, data) methods, got ${describeValue(codec)}`);
    }
    this.codec = codec;
    const clock = options.clock;
    if (clock !== undefined && (clock === null || typeof clock.now !== "function")) {
      throw new TypeError(`DurableRun: clock must have a now() method, got ${describeValue(clock)}`);
    }
    const limits = checkLimits(options.limits);
    const { header, entries } = parseJournal(this.store.read(), limits);
    if (options.runId !== undefined && (typeof options.runId !== "string" || !/^[-.0-9a-zA-Z_]{1,200}$/.test(options.runId))) {
      throw new TypeError(`DurableRun: runId must be 1 to 200 letters, digits, '-', '_' or '.', got ${describeValue(options.runId)}`);
    }
    if (header !== null && options.runId !== undefined && options.runId !== header.run) {
      throw new RangeError(`DurableRun: the journal belongs to run "${header.run}", not "${options.runId}"`);
    }
    this.runId = header?.run ?? options.runId ?? newRunId();
    this.headerWritten = header !== null;
    const readings: number[] = [];
    for (const entry of entries) {
      if (entry.t === "clock") {
        for (const reading of entry.r) readings.push(reading);
        continue;
      }
      const recorded: Recorded = entry;
      if (recorded.t === "done") recorded.decoded = this.decodeEntry(recorded, limits?.maxDepth);
      this.pending.set(positionKey(entry.task, entry.i), recorded);
    }
    if (clock instanceof VirtualClock) {
      this.clock = clock;
      this.journalClock = null;
    } else {
      this.journalClock = new JournalClock(clock ?? wallClock(), readings, (reading) => this.unflushedReadings.push(reading));
      this.clock = this.journalClock;
    }
  }

  /** True while journaled outcomes or clock readings remain to be replayed. */
  replaying(): boolean {
    return this.pending.size > 0 || (this.journalClock !== null && this.journalClock.replaying());
  }

  /**
   * Makes `loop` durable: installs the run as its host seam and instrument, and the handlers of
   * `random` and `now` (unless the loop has its own). Call it before the loop creates tasks
   * (`runDurable` and `run` do). The loop must use `durable.clock`.
   * @throws RuntimeError if the run is attached to another loop, or the loop uses another clock.
   */
  attach(loop: EventLoop): void {
    if (!(loop instanceof EventLoop)) throw new TypeError(`DurableRun.attach: an EventLoop was expected, got ${describeValue(loop)}`);
    if (this.loop === loop) return;
    if (this.loop !== null) throw new RuntimeError("DurableRun.attach: this run is attached to another loop already; open a new DurableRun per loop");
    if (loop._clock !== this.clock) {
      throw new RuntimeError("DurableRun.attach: the loop must use the durable run's clock: new EventLoop({ clock: durable.clock, … })");
    }
    loop.setHostSeam(this);
    this.loop = loop;
    if (this.journalClock !== null) this.journalClock.loop = loop;
    if (loop.instruments().indexOf(this) === -1) loop.addInstrument(this);
    for (const kind of Object.keys(durableHandlers)) {
      if (loop.getEffectHandler(kind) === null) loop.setEffectHandler(kind, durableHandlers[kind]);
    }
  }

  /**
   * Runs `main` as `run(main, options)` does, durably: replays the journal, then goes on live.
   * Appends the clock readings still unsaved when it ends.
   * @returns main's result.
   * @throws main's error; or the `DivergenceError` / store error that stopped the run, even if
   *   main caught it.
   */
  run<T>(main: Coroutine<T>, options: Omit<RunOptions, "clock"> = {}): T {
    if (options === null || typeof options !== "object") {
      throw new TypeError(`DurableRun.run: options must be an object like { effects }, got ${describeValue(options)}`);
    }
    const instruments = [this as Instrument].concat(options.instruments ?? []);
    let result: T;
    try {
      result = run(main, { ...options, clock: this.clock, instruments });
    } catch (error) {
      this.finish();
      throw this.failure === null ? error : this.failure.error;
    }
    this.finish();
    if (this.failure !== null) throw this.failure.error;
    return result;
  }

  /** Appends the clock readings not yet saved (a host-driven run calls it when it stops). */
  finish(): void {
    if (this.failure === null && this.unflushedReadings.length > 0) this.write(null);
  }

  /** @internal Instrument: gives each task its stable id, from the tree of task creations. */
  taskCreated(task: Task<unknown>): void {
    if (this.loop === null) this.attach(task._loop);
    const active = activeSetup;
    let id: string | null;
    if (active !== null && active.run === this && active.place.id !== null) {
      // A task a live handler started (a coroutine handler): it exists only when the handler runs.
      id = `${active.place.id}.e${active.index}.${++active.handlerTasks}`;
    } else {
      const creator = realm.currentTask;
      if (creator === null) id = String(++this.rootTasks);
      else {
        const parent = this.places.get(creator);
        id = parent === undefined || parent.id === null ? null : `${parent.id}.${++parent.children}`;
      }
    }
    this.places.set(task, { id, next: 0, children: 0 });
  }

  /** @internal Instrument: a finished task starts nothing more. */
  taskFinished(task: Task<unknown>): void {
    this.places.delete(task);
  }

  /** @internal HostSeam: every host effect starts here. */
  hostEffect<T>(effect: Effect<T>, setup: CallbackSetup<T>, future: HostCallbackFuture<T>): CallbackSetup<T> {
    const failure = this.failure;
    if (failure !== null) return failWith(failure.error);
    const task = realm.currentTask;
    const place = task === null ? this.outside : this.places.get(task);
    if (place === undefined || place.id === null) {
      return failWith(new RuntimeError(
        `durable run: task '${task?.getName()}' was created before the durable run was attached to its loop, so it has no ` +
          "stable position for its host effects; attach first (durable.attach(loop)) or use runDurable",
      ));
    }
    if (effect instanceof UserEffect && effect.kind === patchedEffect.kind) return this.patch(place, effect as unknown as { id: unknown }) as CallbackSetup<T>;
    const index = place.next++;
    const fingerprint = fingerprintOf(effect, this.codec);
    const entry = this.pending.get(positionKey(place.id, index));
    if (entry === undefined) return this.live(place, index, effect.kind, fingerprint, setup, future);
    this.pending.delete(positionKey(place.id, index));
    if (entry.t === "patch" || entry.kind !== effect.kind || entry.fp !== fingerprint) {
      const recorded = entry.t === "patch" ? `the patch marker patched("${entry.id}")` : describeEffect(entry.kind, entry.fp);
      return this.diverge(new DivergenceError(task?.getName() ?? "(no task)", place.id, index, recorded, describeEffect(effect.kind, fingerprint), entry.line));
    }
    this.replayed++;
    if (entry.t === "cancelled") return () => undefined; // the loop cancels it again, where it did before
    if (entry.t === "coroutine") return this.live(place, index, effect.kind, fingerprint, setup, future, true);
    const settle = (resolve: (value: T) => void, reject: (error: unknown) => void) => {
      if (entry.ok) resolve(entry.decoded as T);
      else reject(entry.decoded);
    };
    const at = entry.at;
    if (at === undefined) return settle;
    const time = entry.time;
    const loop = this.loop as EventLoop;
    return (resolve, reject) => {
      this.deliveries.push({ at, time, line: entry.line, deliver: () => settle(resolve, reject) });
      // The loop must be due when the outcome arrives, as the arrival made it due originally.
      if (time !== undefined) loop.callAt(time, wake);
    };
  }

  /** @internal HostSeam: delivers the replayed outcomes that arrived before this iteration, ahead of its timers. */
  iterationStarting(now: number): void {
    const iteration = ++this.iterations;
    if (this.deliveries.length === 0) return;
    const isDue = (d: Delivery) => d.at < iteration && (d.time === undefined || d.time <= now);
    const due = this.deliveries.filter(isDue).sort((a, b) => a.line - b.line);
    if (due.length > 0) this.deliveries = this.deliveries.filter((d) => !isDue(d));
    for (const delivery of due) delivery.deliver();
    // An outcome that arrived during this iteration made the next one happen: so must its replay.
    if (this.deliveries.some((d) => d.at === iteration && d.time === undefined)) (this.loop as EventLoop).callSoon(wake);
  }

  /**
   * A live host effect: runs the host's setup, journals its outcome before the task sees it. A
   * handler that returns a coroutine is journaled as such (`replayingCoroutine` when replaying
   * that marker): its result comes from the loop, so it is not journaled, and replay runs it again.
   */
  private live<T>(
    place: Place,
    index: number,
    kind: string,
    fp: string,
    setup: CallbackSetup<T>,
    future: HostCallbackFuture<T>,
    replayingCoroutine = false,
  ): CallbackSetup<T> {
    const task = place.id as string;
    return (resolve, reject) => {
      // Readings that led here are saved before the host is called: a resume reaches this same effect.
      if (this.unflushedReadings.length > 0 && !this.write(null)) return failWith(this.stopReason())(resolve, reject);
      let settled = false;
      let inSetup = true;
      let coroutine = replayingCoroutine;
      const record = (ok: boolean, value: unknown): void => {
        if (settled) return;
        settled = true;
        if (coroutine) return ok ? resolve(value as T) : reject(value);
        if (this.failure !== null) return reject(this.stopReason());
        let encoded: unknown;
        try {
          encoded = encodeValue(value, this.codec);
        } catch (error) {
          // Not journalable: the effect fails with that, which is journaled instead.
          ok = false;
          encoded = encodeValue(error);
        }
        const entry: JournalEntry = { t: "done", task, i: index, kind, fp, ok, v: encoded };
        if (!inSetup) {
          const loop = this.loop as EventLoop;
          entry.at = this.iterations;
          if (!loop.isRunning()) entry.time = loop.time();
        }
        if (!this.write(entry)) return reject(this.stopReason());
        const decoded = decodeValue(encoded, this.codec);
        if (ok) resolve(decoded as T);
        else reject(decoded);
      };
      const previous = activeSetup;
      const active: ActiveSetup = { run: this, place, index, handlerTasks: 0 };
      activeSetup = active;
      let disposer: unknown;
      try {
        disposer = setup((value) => record(true, value), (error) => record(false, error));
      } catch (error) {
        if (settled) throw error; // the outcome stands; the loop reports the late error
        record(false, error);
      } finally {
        activeSetup = previous;
        inSetup = false;
      }
      if (!settled && !coroutine && active.handlerTasks > 0) {
        // A handler that returned a coroutine (it started a task to run it): the loop decides its outcome.
        coroutine = true;
        if (!this.write({ t: "coroutine", task, i: index, kind, fp })) return failWith(this.stopReason())(resolve, reject);
      }
      if (disposer !== undefined && typeof disposer !== "function") return disposer as Disposer; // not a disposer: the loop reports it
      return () => {
        if (!settled && !coroutine && future.cancelled() && this.failure === null) {
          settled = true;
          this.write({ t: "cancelled", task, i: index, kind, fp, at: this.iterations });
        }
        if (typeof disposer === "function") disposer();
      };
    };
  }

  /** `patched(id)`: true (and a marker) for new code; false, using up nothing, where the journal has old code's effect. */
  private patch(place: Place, effect: { id: unknown }): CallbackSetup<boolean> {
    const id = effect.id;
    if (typeof id !== "string") return failWith(new TypeError(`patched: the id must be a string, got ${describeValue(id)}`));
    const key = positionKey(place.id as string, place.next);
    const entry = this.pending.get(key);
    if (entry !== undefined && entry.t !== "patch") return (resolve) => resolve(false);
    if (entry !== undefined && entry.id !== id) {
      const task = realm.currentTask;
      return this.diverge(new DivergenceError(task?.getName() ?? "(no task)", place.id as string, place.next, `the patch marker patched("${entry.id}")`, `patched("${id}")`, entry.line));
    }
    const index = place.next++;
    if (entry !== undefined) {
      this.pending.delete(key);
      this.replayed++;
    } else if (!this.write({ t: "patch", task: place.id as string, i: index, id })) {
      return failWith(this.stopReason());
    }
    return (resolve) => resolve(true);
  }

  /** What stopped the run (it has stopped). */
  private stopReason(): unknown {
    return this.failure === null ? new RuntimeError("durable run: stopped") : this.failure.error;
  }

  private diverge(error: DivergenceError): CallbackSetup<never> {
    this.failure = { error };
    return failWith(error);
  }

  /** Appends `entry` (after the header and the unsaved clock readings); false, with the run stopped, if the store failed. */
  private write(entry: JournalEntry | null): boolean {
    try {
      if (!this.headerWritten) {
        this.store.append(formatLine({ journal: "genloop", version: JOURNAL_VERSION, run: this.runId }));
        this.headerWritten = true;
      }
      if (this.unflushedReadings.length > 0) {
        this.store.append(formatLine({ t: "clock", r: this.unflushedReadings }));
        this.unflushedReadings = [];
        this.recorded++;
      }
      if (entry !== null) {
        this.store.append(formatLine(entry));
        this.recorded++;
      }
      return true;
    } catch (error) {
      this.failure = { error };
      return false;
    }
  }

  private decodeEntry(entry: OutcomeEntry & { line: number }, maxDepth: number | undefined): unknown {
    try {
      return decodeValue(entry.v, this.codec, { maxDepth });
    } catch (error) {
      const why = error instanceof CodecError ? error.message : `the codec hook failed: ${error instanceof Error ? error.message : String(error)}`;
      throw new JournalError(why, entry.line);
    }
  }
}

/**
 * Runs `main` durably on a new loop: `new DurableRun(options).run(main, options)`. See `DurableRun`.
 * @param main the coroutine to run.
 * @param options the journal's `store` (and `codec`, `limits`, `runId`, `clock`), and `run`'s options.
 * @returns main's result.
 * @throws what `DurableRun` and `DurableRun.run` throw.
 * @example
 * ```ts fragment
 * import { runDurable, FileStore } from "genloop/durable";
 * const total = runDurable(checkout(order), { store: new FileStore("order-42.jsonl"), effects: handlers });
 * ```
 */
export function runDurable<T>(main: Coroutine<T>, options: DurableOptions & Omit<RunOptions, "clock">): T {
  const durable = new DurableRun(options);
  const { store: _store, codec: _codec, limits: _limits, runId: _runId, clock: _clock, ...runOptions } = options;
  return durable.run(main, runOptions);
}

/** Validates the `limits` option: an object of positive whole numbers. */
function checkLimits(limits: unknown): JournalLimits | undefined {
  if (limits === undefined) return undefined;
  if (limits === null || typeof limits !== "object") {
    throw new TypeError(`DurableRun: limits must be an object like { maxLineLength, maxEntries, maxDepth }, got ${describeValue(limits)}`);
  }
  for (const key of ["maxLineLength", "maxEntries", "maxDepth"]) {
    const value = (limits as Record<string, unknown>)[key];
    if (value !== undefined && (typeof value !== "number" || !(value >= 1) || value % 1 !== 0)) {
      throw new TypeError(`DurableRun: limits.${key} must be a positive whole number, got ${describeValue(value)}`);
    }
  }
  return limits as JournalLimits;
}

/** A setup that fails the effect with `error`. */
function failWith(error: unknown): CallbackSetup<never> {
  return (_resolve, reject) => reject(error);
}

/**
 * What identifies an effect beyond its kind, for divergence checks: its payload fields (a
 * user-defined effect's), encoded; a field that cannot be encoded (a function, a promise)
 * counts by its name only.
 */
function fingerprintOf(effect: Effect<unknown>, codec: CodecHook | undefined): string {
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(effect)) {
    if (key === "kind") continue;
    try {
      fields[key] = encodeValue((effect as unknown as Record<string, unknown>)[key], codec);
    } catch {
      fields[key] = "?";
    }
  }
  const text = JSON.stringify(fields);
  return text.length <= 1000 ? text : `#${hash(text)}`;
}

/** FNV-1a, 32 bits, as 8 hex digits: fingerprints of large payloads. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `00000000${h.toString(16)}`.slice(-8);
}

function describeEffect(kind: string, fingerprint: string): string {
  return `${kind} ${fingerprint.length > 200 ? `${fingerprint.slice(0, 200)}…` : fingerprint}`;
}

function newRunId(): string {
  return `${Date.now().toString(36)}-${Math.floor(Math.random() * 2 ** 32).toString(36)}`;
}
