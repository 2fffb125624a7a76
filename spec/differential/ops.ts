// The op registry: for each op of the program language, how the generator makes a random one
// and how the genloop interpreter runs it. oracle.py has the same table (OPS) for CPython.
// Adding an op is local: one entry here, one `@op("name")` function in oracle.py (README.md).
import { CancelledError, call, currentTask, gather, sleep, spawn } from "../../lib/index.js";
import type { Task } from "../../lib/index.js";
import type { Gen, Scope } from "./generate.js";
import { emit, runBody, taskBody, type Ctx, type Frame, type Status } from "./interpret.js";
import { Boom, errorString, outcome, type Body, type Op } from "./program.js";

export interface OpDef {
  /** Relative frequency in generated programs. */
  weight: number;
  /** A random instance of the op fitting `scope`, or null when none fits here. */
  generate(g: Gen, scope: Scope): Op | null;
  /** Runs the op inside the current task; a `Status` ends the body early. */
  run(ctx: Ctx, frame: Frame, op: any): Generator<unknown, Status, any>;
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

function cancelMessage(g: Gen): string | null {
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
    weight: 2,
    generate: (g, scope) => (scope.children.length === 0 ? null : { op: "await", task: g.rng.pick(scope.children) }),
    *run(ctx, frame, op: { task: string }) {
      const task = ctx.tasks.get(op.task);
      if (task === undefined) {
        emit(ctx, frame.label, "await", op.task, "missing");
        return undefined;
      }
      try {
        const value: unknown = yield* task;
        emit(ctx, frame.label, "await", op.task, { ok: value });
      } catch (error) {
        emit(ctx, frame.label, "await", op.task, { err: errorString(error) });
        throw error;
      }
      return undefined;
    },
  },

  /**
   * `{op:"gather", items, returnExceptions}`: each item is `{task}` (one of the task's own
   * children; a missing one becomes `sleep(0, "missing")`) or `{label, body}` (a coroutine,
   * which gather turns into a task).
   */
  gather: {
    weight: 2,
    generate(g, scope) {
      if (!g.canNest()) return null;
      const n = g.rng.int(4);
      const items: unknown[] = [];
      for (let i = 0; i < n; i++) {
        if (scope.children.length > 0 && g.rng.chance(0.4)) {
          items.push({ task: g.rng.pick(scope.children) });
        } else {
          const label = g.fresh("g");
          g.names.push(label);
          items.push({ label, body: g.body({ label, children: [], inHandler: false }) });
        }
      }
      return { op: "gather", items, returnExceptions: g.rng.chance(0.5) };
    },
    *run(ctx, frame, op: { items: ({ task: string } | { label: string; body: Body })[]; returnExceptions: boolean }) {
      const awaitables = op.items.map((item) =>
        "task" in item ? (ctx.tasks.get(item.task) ?? sleep(0, "missing")) : taskBody(ctx, item.label, item.body),
      );
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
    generate: (g) => ({ op: "cancel", task: g.rng.pick(g.names), msg: cancelMessage(g) }),
    *run(ctx, frame, op: { task: string; msg: string | null }) {
      const task = ctx.tasks.get(op.task);
      const done = task === undefined ? "missing" : op.msg === null ? task.cancel() : task.cancel(op.msg);
      emit(ctx, frame.label, "cancel", op.task, done);
      return undefined;
    },
  },

  /** `{op:"cancelLater", task, ms, msg}`: loop.call_later(ms, cancel) — a cancel from a plain callback. */
  cancelLater: {
    weight: 1,
    generate: (g) => ({ op: "cancelLater", task: g.rng.pick(g.names), ms: g.ms(), msg: cancelMessage(g) }),
    *run(ctx, frame, op: { task: string; ms: number; msg: string | null }) {
      const when = ctx.loop.time() + op.ms;
      ctx.loop.callLater(op.ms, () => {
        ctx.observer?.callbackRan?.(ctx, when);
        const task = ctx.tasks.get(op.task);
        const done = task === undefined ? "missing" : op.msg === null ? task.cancel() : task.cancel(op.msg);
        emit(ctx, "cb", "cancel", op.task, done);
      });
      emit(ctx, frame.label, "cancelLater", op.task, op.ms);
      return undefined;
    },
  },

  /** `{op:"raise", msg}`: raise Boom(msg). */
  raise: {
    weight: 1,
    generate: (g) => ({ op: "raise", msg: g.fresh("e") }),
    *run(_ctx, _frame, op: { msg: string }): Generator<unknown, Status, any> {
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
        op.handler = g.body({ ...scope, inHandler: true });
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
          return yield* runBody(ctx, { label: frame.label, caught: { error } }, op.handler ?? []);
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
    *run(ctx, frame): Generator<unknown, Status, any> {
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
      const state = task === undefined ? "missing" : [task.done(), task.cancelled(), task.cancelling()];
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
};
