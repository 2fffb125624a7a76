// The genloop interpreter of the program language (the CPython one is oracle.py).
import { VirtualClock, currentTask, eagerTaskFactory, getRunningLoop, run } from "../../lib/index.js";
import type { Coroutine, EventLoop, ExceptionContext, Future, Logger, Task, TaskGroup, Timeout } from "../../lib/index.js";
import { OPS } from "./ops.js";
import { errorString, outcome, plain, type Body, type Op, type Program, type TraceEvent } from "./program.js";

/** Hooks for the property tests (no oracle): told about what the interpreter does. */
export interface Observer {
  event?(ctx: Ctx, event: TraceEvent): void;
  tryEntered?(op: Op): void;
  finallyRan?(op: Op): void;
  slept?(ctx: Ctx, startedAt: number, ms: number): void;
  callbackRan?(ctx: Ctx, scheduledFor: number): void;
  /** Every call of the loop's exception handler, traced or not. */
  report?(context: ExceptionContext): void;
}

/** The state of one program run. */
export interface Ctx {
  loop: EventLoop;
  trace: TraceEvent[];
  /** Tasks by label (spawned ones from their spawn, gather children from their first step) and gather futures. */
  tasks: Map<string, Future<unknown>>;
  labels: Map<Task<unknown>, string>;
  /** Locks, events, semaphores, conditions and queues by name (the `newSync` op). */
  syncs: Map<string, unknown>;
  /** Per condition: how many `condNotify` ops ran (what `condWaitFor` predicates test). */
  notified: Map<string, number>;
  observer: Observer | undefined;
}

/** Where an op runs: the label of its task and, inside an exception handler, the caught error. */
export interface Frame {
  label: string;
  caught: { error: unknown } | null;
  /** Inside a `taskGroup` body or one of its tasks: the group `tgSpawn` adds to. */
  group?: TaskGroup;
  /** Inside a `timeout` body: the scope `reschedule` and `expired` act on. */
  timeout?: Timeout;
}

/** Set by an op to end the body early: the `return` op (the value is the task's result). */
export type Status = { ret: unknown } | undefined;

export function emit(ctx: Ctx, label: string, kind: string, ...details: unknown[]): void {
  const event: TraceEvent = [ctx.loop.time(), label, kind, ...details];
  // What a destroyed task's coroutine does once the loop is closed (genloop's close() closes it,
  // so its `finally` blocks run) is not traced, as its "destroyed but pending" report is not:
  // CPython closes it when the garbage collector frees the task, and the oracle, which keeps
  // every task for the trace's last lines, holds it past the trace.
  if (!ctx.loop.isClosed()) ctx.trace.push(event);
  ctx.observer?.event?.(ctx, event);
}

export function* runBody(ctx: Ctx, frame: Frame, body: Body): Coroutine<Status> {
  for (const op of body) {
    const def = OPS[op.op];
    if (def === undefined) throw new Error(`differential: unknown op ${JSON.stringify(op.op)}`);
    const status = yield* def.run(ctx, frame, op);
    if (status !== undefined) return status;
  }
  return undefined;
}

/** The coroutine of every task of a program: traces its start and how it ends. */
export function* taskBody(ctx: Ctx, label: string, body: Body, group?: TaskGroup): Coroutine<unknown> {
  const task = currentTask() as Task<unknown>;
  if (!ctx.tasks.has(label)) ctx.tasks.set(label, task);
  ctx.labels.set(task, label);
  emit(ctx, label, "start");
  try {
    const status = yield* runBody(ctx, { label, caught: null, group }, body);
    const value = status === undefined ? label : status.ret;
    emit(ctx, label, "return", value);
    return value;
  } catch (error) {
    emit(ctx, label, "raise", errorString(error));
    throw error;
  }
}

export const silent: Logger = { warn() {}, error() {} };

/** How a task or future ended (as the final lines of a trace and done callbacks say it). */
export function futureState(future: Future<unknown>): string {
  if (!future.done()) return "pending";
  if (future.cancelled()) return "cancelled";
  const error = future.exception();
  return error !== null ? `err:${errorString(error)}` : `ok:${JSON.stringify(plain(future.result()))}`;
}

/** How a program's main coroutine is run: `run()` with a virtual clock unless told otherwise. */
export type Runner = (main: Coroutine<unknown>) => unknown;

const runVirtual: Runner = (main) => run(main, { clock: new VirtualClock(), logger: silent });

/** Runs a program on genloop (by default with run() and a virtual clock) and returns its trace. */
export function interpret(program: Program, observer?: Observer, runner: Runner = runVirtual): { trace: TraceEvent[]; ctx: Ctx } {
  const ctx: Ctx = { loop: null as unknown as EventLoop, trace: [], tasks: new Map(), labels: new Map(), syncs: new Map(), notified: new Map(), observer };
  function* main(): Coroutine<unknown> {
    ctx.loop = getRunningLoop();
    if (program.eager === true) ctx.loop.setTaskFactory(eagerTaskFactory);
    ctx.loop.setExceptionHandler((_loop, context) => {
      ctx.observer?.report?.(context);
      const kind = reportKind(context.message);
      if (kind === null) return;
      const task = context.task;
      emit(ctx, "loop", "report", kind, task ? (ctx.labels.get(task) ?? "?") : null, errorString(context.exception));
    });
    return yield* taskBody(ctx, "main", program.main);
  }
  let result: unknown;
  try {
    result = outcome(runner(main()));
  } catch (error) {
    result = { err: errorString(error) };
  }
  ctx.trace.push(["end", "run", result]);
  for (const [label, task] of ctx.tasks) ctx.trace.push(["end", label, futureState(task)]);
  return { trace: ctx.trace, ctx };
}

/**
 * Which loop reports are traced. "Never retrieved" and "destroyed but pending" are left out:
 * CPython makes them from the garbage collector, at moments that are not part of the semantics.
 */
function reportKind(message: string): string | null {
  if (/shutdown/.test(message)) return "shutdown";
  // Diagnostics, not semantics: CPython has no swallowed-cancellation report (genloop's debug mode has).
  if (/never retrieved|destroyed but it is pending|swallowed a cancellation/.test(message)) return null;
  return "other";
}
