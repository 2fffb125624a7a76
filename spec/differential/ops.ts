// The op registry: for each op of the program language, how the generator makes a random one
// and how the genloop interpreter runs it. oracle.py has the same table (OPS) for CPython.
// Adding an op is local: one entry here, one `@op("name")` function in oracle.py (README.md).
import { CancelledError, Task, call, currentTask, ensureFuture, gather, getRunningLoop, sleep, spawn } from "../../lib/index.js";
import type { Awaitable, Coroutine, Future } from "../../lib/index.js";
import type { Gen, Scope } from "./generate.js";
import { emit, futureState, runBody, taskBody, type Ctx, type Frame, type Status } from "./interpret.js";
import { COMPOSE_OPS } from "./ops-compose.js";
import { SYNC_OPS } from "./ops-sync.js";
import { Boom, errorString, outcome, type Body, type Op } from "./program.js";

export interface OpDef {
  /** Relative frequency in generated programs. */
  weight: number;
  /** A random instance of the op fitting `scope`, or null when none fits here. */
  generate(g: Gen, scope: Scope): Op | null;
  /** Runs the op inside the current task; a `Status` ends the body early. */
  run(ctx: Ctx, frame: Frame, op: any): Coroutine<Status>;
}

type CatchKind = "Boom" | "CancelledError" | "Exception" | "any";

function matches(error: unknown, kind: CatchKind): boolean {
  switch (kind) {
    case "Boom":
      return error instanceof Boom;
    case "CancelledError":
      return error instanceof CancelledError;
    case "Exception":
      return !(error instanceof CancelledError);
    case "any":
      return true;
  }
}

function self(): Task<unknown> {
  return currentTask() as Task<unknown>;
}

/**
 * What gather is given: `{task}` (one of the task's own children or gather futures; a missing
 * one becomes `sleep(0, "missing")`), `{label, body}` (a coroutine, which gather turns into a
 * task) or `{sleep: ms}` (asyncio.sleep(ms, "slept"), which gather also runs as a task).
 */
export type GatherItem = { task: string } | { label: string; body: Body } | { sleep: number };

export function gatherItems(g: Gen, scope: Scope): GatherItem[] {
  const items: GatherItem[] = [];
  for (let i = g.rng.int(4); i > 0; i--) {
    if (scope.children.length > 0 && g.rng.chance(0.4)) {
      items.push({ task: g.rng.pick(scope.children) });
    } else if (g.rng.chance(0.15)) {
      items.push({ sleep: g.ms() });
    } else {
      const label = g.fresh("g");
      g.names.push(label);
      items.push({ label, body: g.body({ label, children: [], inHandler: false }) });
    }
  }
  return items;
}

export function gatherAwaitables(ctx: Ctx, items: readonly GatherItem[]): Awaitable<unknown>[] {
  return items.map((item) => {
    if ("task" in item) return ctx.tasks.get(item.task) ?? sleep(0, "missing");
    if ("sleep" in item) return sleep(item.sleep, "slept");
    return taskBody(ctx, item.label, item.body);
  });
}

export function cancelTarget(task: Future<unknown> | undefined, msg: string | null): boolean | string {
  if (task === undefined) return "missing";
  return msg === null ? task.cancel() : task.cancel(msg);
}

/** A cancel target: any task of the program, main less often (cancelling it ends the program). */
export function cancelTargetName(g: Gen): string {
  return g.names.length > 1 && g.rng.chance(0.85) ? g.rng.pick(g.names.slice(1)) : "main";
}

export function cancelMessage(g: Gen): string | null {
  return g.rng.chance(0.5) ? null : g.fresh("m");
}

export const OPS: Record<string, OpDef> = {
  /** `{op:"sleep", ms}`: asyncio.sleep(ms); ms 0 yields once to the loop. */
  sleep: {
    weight: 6,
    generate: (g) => ({ op: "sleep", ms: g.ms() }),
    *run(ctx, frame, op: { ms: number }) {
      const start = ctx.loop.time();
      yield* sleep(op.ms);
      ctx.observer?.slept?.(ctx, start, op.ms);
      emit(ctx, frame.label, "slept", op.ms);
      return undefined;
    },
  },

  /** `{op:"spawn", name, body}`: create_task(body, name=name); the task's label is its name. */
  spawn: {
    weight: 3,
    generate(g, scope) {
      if (!g.canNest()) return null;
      const name = g.fresh("t");
      g.names.push(name);
      scope.children.push(name);
      return { op: "spawn", name, body: g.body({ label: name, children: [], inHandler: false }) };
    },
    *run(ctx, frame, op: { name: string; body: Body }) {
      const task = yield* spawn(taskBody(ctx, op.name, op.body), { name: op.name });
      ctx.tasks.set(op.name, task);
      emit(ctx, frame.label, "spawn", op.name);
      return undefined;
    },
  },

  /** `{op:"await", task}`: await one of the task's own children (so there are no cycles). */
  await: {
    weight: 3,
    generate: (g, scope) => (scope.children.length === 0 || scope.holding ? null : { op: "await", task: g.rng.pick(scope.children) }),
    *run(ctx, frame, op: { task: string }) {
      const task = ctx.tasks.get(op.task);
      if (task === undefined) {
        emit(ctx, frame.label, "await", op.task, "missing");
        return undefined;
      }
      try {
        const value: unknown = yield* task;
        emit(ctx, frame.label, "await", op.task, outcome(value));
      } catch (error) {
        emit(ctx, frame.label, "await", op.task, { err: errorString(error) });
        throw error;
      }
      return undefined;
    },
  },

  /**
   * `{op:"gather", items, returnExceptions}`: await asyncio.gather(*items); see GatherItem.
   */
  gather: {
    weight: 2,
    generate: (g, scope) => (g.canNest() && !scope.holding ? { op: "gather", items: gatherItems(g, scope), returnExceptions: g.rng.chance(0.5) } : null),
    *run(ctx, frame, op: { items: GatherItem[]; returnExceptions: boolean }) {
      const awaitables = gatherAwaitables(ctx, op.items);
      try {
        const results: unknown[] = yield* gather(...awaitables, { returnExceptions: op.returnExceptions });
        emit(ctx, frame.label, "gather", results.map(outcome));
      } catch (error) {
        emit(ctx, frame.label, "gather", { err: errorString(error) });
        throw error;
      }
      return undefined;
    },
  },

  /** `{op:"cancel", task, msg}`: task.cancel(msg) on any task of the program (itself and main too). */
  cancel: {
    weight: 2,
    generate: (g) => ({ op: "cancel", task: cancelTargetName(g), msg: cancelMessage(g) }),
    *run(ctx, frame, op: { task: string; msg: string | null }) {
      emit(ctx, frame.label, "cancel", op.task, cancelTarget(ctx.tasks.get(op.task), op.msg));
      return undefined;
    },
  },

  /** `{op:"cancelLater", task, ms, msg}`: loop.call_later(ms, cancel) — a cancel from a plain callback. */
  cancelLater: {
    weight: 1,
    generate: (g) => ({ op: "cancelLater", task: cancelTargetName(g), ms: g.ms(), msg: cancelMessage(g) }),
    *run(ctx, frame, op: { task: string; ms: number; msg: string | null }) {
      const when = ctx.loop.time() + Math.max(0, op.ms); // a timer in the past is due now
      ctx.loop.callLater(op.ms, () => {
        ctx.observer?.callbackRan?.(ctx, when);
        emit(ctx, "cb", "cancel", op.task, cancelTarget(ctx.tasks.get(op.task), op.msg));
      });
      emit(ctx, frame.label, "cancelLater", op.task, op.ms);
      return undefined;
    },
  },

  /**
   * `{op:"gatherFuture", name, items, returnExceptions}`: `name = asyncio.gather(*items)` without
   * awaiting it: the gathering future becomes a child that can be awaited, gathered, cancelled.
   */
  gatherFuture: {
    weight: 1,
    generate(g, scope) {
      if (!g.canNest()) return null;
      const name = g.fresh("f");
      const items = gatherItems(g, scope);
      g.names.push(name);
      scope.children.push(name);
      return { op: "gatherFuture", name, items, returnExceptions: g.rng.chance(0.5) };
    },
    *run(ctx, frame, op: { name: string; items: GatherItem[]; returnExceptions: boolean }) {
      ctx.tasks.set(op.name, ensureFuture(gather(...gatherAwaitables(ctx, op.items), { returnExceptions: op.returnExceptions })));
      emit(ctx, frame.label, "gatherFuture", op.name);
      return undefined;
    },
  },

  /**
   * `{op:"callSoon", tag, fail}`: loop.call_soon(cb); the callback traces its tag, and raises
   * Boom(tag) if `fail` (the loop reports it to the exception handler and goes on).
   */
  callSoon: {
    weight: 0.7,
    generate: (g) => ({ op: "callSoon", tag: g.fresh("c"), fail: g.rng.chance(0.2) }),
    *run(ctx, frame, op: { tag: string; fail: boolean }) {
      getRunningLoop().callSoon(() => {
        emit(ctx, "cb", "soon", op.tag);
        if (op.fail) throw new Boom(op.tag);
      });
      emit(ctx, frame.label, "callSoon", op.tag);
      return undefined;
    },
  },

  /** `{op:"doneCallback", task}`: task.add_done_callback(cb); the callback traces the outcome. */
  doneCallback: {
    weight: 0.7,
    generate: (g) => ({ op: "doneCallback", task: g.rng.pick(g.names) }),
    *run(ctx, frame, op: { task: string }) {
      const task = ctx.tasks.get(op.task);
      task?.addDoneCallback((f) => emit(ctx, "cb", "done", op.task, futureState(f)));
      emit(ctx, frame.label, "doneCallback", op.task, task !== undefined);
      return undefined;
    },
  },

  /**
   * `{op:"future", name, ms, how, msg}`: `name = loop.create_future()`, settled by a callback
   * `ms` later — `how` is "result" (the name), "error" (Boom(name)) or "cancel" (with msg) — so
   * whoever awaits it never waits forever. The future becomes a child to await, gather, cancel.
   */
  future: {
    weight: 1,
    generate(g, scope) {
      const name = g.fresh("p");
      g.names.push(name);
      scope.children.push(name);
      const how = g.rng.pick(["result", "result", "error", "cancel"]);
      return { op: "future", name, ms: g.ms(), how, msg: how === "cancel" ? cancelMessage(g) : null };
    },
    *run(ctx, frame, op: { name: string; ms: number; how: "result" | "error" | "cancel"; msg: string | null }) {
      const future = getRunningLoop().createFuture<unknown>();
      ctx.tasks.set(op.name, future);
      getRunningLoop().callLater(op.ms, () => {
        if (future.done()) {
          emit(ctx, "cb", "settle", op.name, "done already");
          return;
        }
        if (op.how === "result") future.setResult(op.name);
        else if (op.how === "error") future.setException(new Boom(op.name));
        else if (op.msg === null) future.cancel();
        else future.cancel(op.msg);
        emit(ctx, "cb", "settle", op.name, op.how);
      });
      emit(ctx, frame.label, "future", op.name);
      return undefined;
    },
  },

  /**
   * `{op:"awaitSelf"}`: `await current_task()`: a RuntimeError is thrown in (through the loop).
   * Once per program, in main only: after a task has awaited itself, CPython's C Future keeps
   * its "blocking" flag set, so every later `await` of that task — by itself or by another —
   * fails at once with "await wasn't used with future" (a CPython quirk, not emulated).
   */
  awaitSelf: {
    weight: 0.3,
    generate: (g, scope) => (scope.label === "main" && g.once("awaitSelf") ? { op: "awaitSelf" } : null),
    *run(ctx, frame) {
      try {
        yield self();
        emit(ctx, frame.label, "awaitSelf", "no error");
      } catch (error) {
        emit(ctx, frame.label, "awaitSelf", errorString(error));
        throw error;
      }
      return undefined;
    },
  },

  /** `{op:"raise", msg}`: raise Boom(msg). */
  raise: {
    weight: 1,
    generate: (g) => ({ op: "raise", msg: g.fresh("e") }),
    *run(_ctx, _frame, op: { msg: string }): Coroutine<Status> {
      throw new Boom(op.msg);
    },
  },

  /**
   * `{op:"try", body, catch?, handler?, finally?}`: try/except <catch>/finally. `catch` is
   * "Boom", "CancelledError", "Exception" (all but CancelledError) or "any" (BaseException).
   */
  try: {
    weight: 3,
    generate(g, scope) {
      if (!g.canNest()) return null;
      const op: Op = { op: "try", body: g.body(scope) };
      const hasCatch = g.rng.chance(0.7);
      if (hasCatch) {
        op.catch = g.rng.pick(["Boom", "CancelledError", "CancelledError", "Exception", "any"]);
        const handler = g.body({ ...scope, inHandler: true });
        // Handlers of CancelledError are where cancelling()/uncancel() matter: use them often.
        if (op.catch !== "Boom" && g.rng.chance(0.4)) handler.unshift({ op: g.rng.chance(0.5) ? "uncancel" : "cancelling" });
        op.handler = handler;
      }
      if (!hasCatch || g.rng.chance(0.5)) op.finally = g.body(scope);
      return op;
    },
    *run(ctx, frame, op: { body: Body; catch?: CatchKind; handler?: Body; finally?: Body }) {
      ctx.observer?.tryEntered?.(op as unknown as Op);
      try {
        try {
          return yield* runBody(ctx, frame, op.body);
        } catch (error) {
          if (op.catch === undefined || !matches(error, op.catch)) throw error;
          emit(ctx, frame.label, "caught", errorString(error));
          return yield* runBody(ctx, { ...frame, caught: { error } }, op.handler ?? []);
        }
      } finally {
        if (op.finally !== undefined) {
          ctx.observer?.finallyRan?.(op as unknown as Op);
          emit(ctx, frame.label, "finally");
          const status = yield* runBody(ctx, frame, op.finally);
          // A `return` in a finally block wins over the exception or the result (both languages).
          // eslint-disable-next-line no-unsafe-finally
          if (status !== undefined) return status;
        }
      }
    },
  },

  /** `{op:"reraise"}`: inside an exception handler, raise the caught error again. */
  reraise: {
    weight: 2,
    generate: (_g, scope) => (scope.inHandler ? { op: "reraise" } : null),
    *run(ctx, frame): Coroutine<Status> {
      emit(ctx, frame.label, "reraise");
      if (frame.caught !== null) throw frame.caught.error;
      return undefined;
    },
  },

  /** `{op:"cancelling"}`: trace current_task().cancelling(). */
  cancelling: {
    weight: 1,
    generate: () => ({ op: "cancelling" }),
    *run(ctx, frame) {
      emit(ctx, frame.label, "cancelling", self().cancelling());
      return undefined;
    },
  },

  /** `{op:"uncancel"}`: trace current_task().uncancel(). */
  uncancel: {
    weight: 0.7,
    generate: () => ({ op: "uncancel" }),
    *run(ctx, frame) {
      emit(ctx, frame.label, "uncancel", self().uncancel());
      return undefined;
    },
  },

  /** `{op:"inspect", task}`: trace another task's done()/cancelled()/cancelling() without waiting. */
  inspect: {
    weight: 1,
    generate: (g) => ({ op: "inspect", task: g.rng.pick(g.names) }),
    *run(ctx, frame, op: { task: string }) {
      const task = ctx.tasks.get(op.task);
      const state =
        task === undefined ? "missing" : [task.done(), task.cancelled(), task instanceof Task ? task.cancelling() : null];
      emit(ctx, frame.label, "inspect", op.task, state);
      return undefined;
    },
  },

  /** `{op:"return", value}`: end the body; the task's result is `value`. */
  return: {
    weight: 0.3,
    generate: (g) => ({ op: "return", value: g.rng.int(100) }),
    *run(_ctx, _frame, op: { value: unknown }) {
      return { ret: op.value };
    },
  },

  /** `{op:"call", body}`: await a coroutine inline (`await f()` / `yield* call(f())`); traces its result. */
  call: {
    weight: 1,
    generate: (g, scope) => (g.canNest() ? { op: "call", body: g.body(scope) } : null),
    *run(ctx, frame, op: { body: Body }) {
      const status = yield* call(runBody(ctx, frame, op.body));
      emit(ctx, frame.label, "called", status === undefined ? null : status.ret);
      return undefined;
    },
  },
  ...COMPOSE_OPS,
  ...SYNC_OPS,
};
