// The lib/compose ops of the program language (issue 4): shield, waitFor, wait, asCompleted,
// timeout scopes, task groups. Same pattern as ops.ts; oracle.py has the CPython side.
import { CancelledError, Effect, asCompleted, shield, taskGroup, timeout, timeoutAt, wait, waitFor } from "../../lib/index.js";
import type { Future, Task, Timeout } from "../../lib/index.js";
import type { Gen, Scope } from "./generate.js";
import { emit, runBody, taskBody, type Ctx, type Frame } from "./interpret.js";
import { gatherAwaitables, gatherItems, type GatherItem, type OpDef } from "./ops.js";
import { errorString, outcome, type Body } from "./program.js";

/** A delay for a time limit: as `g.ms()`, or null (no limit) when `nullable` and one time in five. */
function limit(g: Gen, nullable: boolean): number | null {
  return nullable && g.rng.chance(0.2) ? null : g.ms();
}

/** One awaitable for shield / waitFor: a child, a sleep or a labelled coroutine (never empty). */
function oneItem(g: Gen, scope: Scope): GatherItem {
  for (;;) {
    const items = gatherItems(g, scope);
    if (items.length > 0) return items[0];
  }
}

/** The task's own children, at most 4, no repeats: what wait / asCompleted are given. */
function someChildren(g: Gen, scope: Scope): string[] {
  const picked = new Set<string>();
  for (let i = 1 + g.rng.int(4); i > 0; i--) picked.add(g.rng.pick(scope.children));
  return [...picked];
}

/** The named futures that exist (a missing one — never spawned — is left out on both sides). */
function futuresOf(ctx: Ctx, names: readonly string[]): Future<unknown>[] {
  const futures: Future<unknown>[] = [];
  for (const name of names) {
    const future = ctx.tasks.get(name);
    if (future !== undefined) futures.push(future);
  }
  return futures;
}

/** Traces `kind` with the outcome of `body` (its result or its error, which goes on). */
function* traced<T>(ctx: Ctx, frame: Frame, kind: string, body: () => Effect<T>, show: (value: T) => unknown) {
  let value: T;
  try {
    value = yield* body();
  } catch (error) {
    emit(ctx, frame.label, kind, { err: errorString(error) });
    throw error;
  }
  emit(ctx, frame.label, kind, { ok: show(value) });
  return value;
}

export const COMPOSE_OPS: Record<string, OpDef> = {
  /** `{op:"shield", item}`: await asyncio.shield(item) (a coroutine item becomes a task). */
  shield: {
    weight: 0.8,
    generate: (g, scope) => (g.canNest() && !scope.holding ? { op: "shield", item: oneItem(g, scope) } : null),
    *run(ctx, frame, op: { item: GatherItem }) {
      const [aw] = gatherAwaitables(ctx, [op.item]);
      yield* traced(ctx, frame, "shield", () => shield(aw), (v) => outcome(v));
      return undefined;
    },
  },

  /**
   * `{op:"waitFor", item, ms}`: await asyncio.wait_for(item, ms). A coroutine item is the
   * labelled body run inline (wait_for awaits a coroutine in the calling task); ms null waits
   * without limit. While holding a primitive only sleeps and coroutines (a task being cancelled
   * may be waiting for what this task holds).
   */
  waitFor: {
    weight: 1,
    generate(g, scope) {
      if (!g.canNest()) return null;
      let item = oneItem(g, scope);
      if (scope.holding && "task" in item) item = { sleep: g.ms() };
      return { op: "waitFor", item, ms: limit(g, !scope.holding) };
    },
    *run(ctx, frame, op: { item: GatherItem; ms: number | null }) {
      const [aw] = gatherAwaitables(ctx, [op.item]);
      yield* traced(ctx, frame, "waitFor", () => waitFor(aw, op.ms), (v) => outcome(v));
      return undefined;
    },
  },

  /**
   * `{op:"wait", tasks, timeout, returnWhen}`: done, pending = await asyncio.wait(tasks, ...);
   * traces both sets as sorted labels (sets have no order). No task at all: ValueError.
   */
  wait: {
    weight: 0.8,
    generate(g, scope) {
      if (scope.children.length === 0) return null;
      const returnWhen = g.rng.pick(["FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED"]);
      return { op: "wait", tasks: someChildren(g, scope), timeout: limit(g, !scope.holding), returnWhen };
    },
    *run(ctx, frame, op: { tasks: string[]; timeout: number | null; returnWhen: "FIRST_COMPLETED" | "FIRST_EXCEPTION" | "ALL_COMPLETED" }) {
      const present = op.tasks.filter((name) => ctx.tasks.has(name));
      yield* traced(
        ctx,
        frame,
        "wait",
        () => wait(futuresOf(ctx, op.tasks), { timeout: op.timeout, returnWhen: op.returnWhen }),
        ([done]) => {
          const isDone = (name: string) => done.has(ctx.tasks.get(name)!);
          return [present.filter(isDone).sort(), present.filter((n) => !isDone(n)).sort()];
        },
      );
      return undefined;
    },
  },

  /**
   * `{op:"asCompleted", items, timeout}`: `for aw in as_completed(items, timeout=...)`, each
   * `await aw` traced (an Exception is traced and the loop goes on; CancelledError ends it).
   * Items are as gather's (GatherItem). Futures already done at the call come out in the order
   * given, and coroutines become tasks in that order (the oracle pins CPython's set order to
   * that, README.md).
   */
  asCompleted: {
    weight: 0.8,
    generate(g, scope) {
      if (!g.canNest()) return null;
      const items: GatherItem[] = scope.children.length === 0 ? [] : someChildren(g, scope).map((task) => ({ task }));
      // Coroutines and sleeps too (as_completed makes them tasks), but not while holding a primitive.
      if (!scope.holding) items.push(...gatherItems(g, scope));
      return items.length === 0 ? null : { op: "asCompleted", items, timeout: limit(g, !scope.holding) };
    },
    *run(ctx, frame, op: { items: GatherItem[]; timeout: number | null }) {
      try {
        for (const next of asCompleted(gatherAwaitables(ctx, op.items), { timeout: op.timeout })) {
          try {
            emit(ctx, frame.label, "asCompleted", outcome(yield* next));
          } catch (error) {
            if (error instanceof CancelledError) throw error;
            emit(ctx, frame.label, "asCompleted", { err: errorString(error) });
          }
        }
      } catch (error) {
        emit(ctx, frame.label, "asCompleted", { err: errorString(error) });
        throw error;
      }
      emit(ctx, frame.label, "asCompleted", "end");
      return undefined;
    },
  },

  /**
   * `{op:"timeout", ms, at, body}`: `async with asyncio.timeout(ms) as scope: body` (with `at`,
   * `asyncio.timeout_at(loop.time() + ms)`); traces the
   * outcome and `scope.expired()` after it. Inside, `reschedule` and `expired` act on it.
   */
  timeout: {
    weight: 1.2,
    generate: (g, scope) =>
      g.canNest() ? { op: "timeout", ms: limit(g, true), at: g.rng.chance(0.3), body: g.body({ ...scope, inTimeout: true }) } : null,
    *run(ctx, frame, op: { ms: number | null; at?: boolean; body: Body }) {
      let expired = (): boolean => false;
      function* body(scope: Timeout) {
        expired = () => scope.expired();
        return yield* runBody(ctx, { ...frame, timeout: scope }, op.body);
      }
      try {
        const status = op.at
          ? yield* timeoutAt(op.ms === null ? null : ctx.loop.time() + op.ms, body)
          : yield* timeout(op.ms, body);
        emit(ctx, frame.label, "timeout", "ok", expired());
        return status;
      } catch (error) {
        emit(ctx, frame.label, "timeout", { err: errorString(error) }, expired());
        throw error;
      }
    },
  },

  /** `{op:"reschedule", ms}`: the innermost timeout scope's `reschedule(loop.time() + ms)` (or None). */
  reschedule: {
    weight: 1,
    generate: (g, scope) => (scope.inTimeout ? { op: "reschedule", ms: limit(g, true) } : null),
    *run(ctx, frame, op: { ms: number | null }) {
      emit(ctx, frame.label, "reschedule", op.ms, frame.timeout !== undefined);
      frame.timeout?.reschedule(op.ms === null ? null : ctx.loop.time() + op.ms);
      return undefined;
    },
  },

  /** `{op:"expired"}`: trace the innermost timeout scope's `expired()`. */
  expired: {
    weight: 0.5,
    generate: (_g, scope) => (scope.inTimeout ? { op: "expired" } : null),
    *run(ctx, frame) {
      emit(ctx, frame.label, "expired", frame.timeout?.expired() ?? "no scope");
      return undefined;
    },
  },

  /**
   * `{op:"taskGroup", body}`: `async with asyncio.TaskGroup() as tg: body`; traces the
   * outcome (an ExceptionGroup as its class and sorted contents). Not while holding a
   * primitive (the group waits for its tasks without limit).
   */
  taskGroup: {
    weight: 1,
    generate(g, scope) {
      if (!g.canNest() || scope.holding) return null;
      const inner: Scope = { ...scope, group: true };
      const body = g.body(inner);
      // A group is about its tasks: start most bodies with one or two.
      for (let i = g.rng.int(3); i > 0; i--) {
        const spawn = COMPOSE_OPS.tgSpawn.generate(g, inner);
        if (spawn !== null) body.splice(g.rng.int(body.length + 1), 0, spawn);
      }
      return { op: "taskGroup", body };
    },
    *run(ctx, frame, op: { body: Body }) {
      try {
        const status = yield* taskGroup(function* (tg) {
          return yield* runBody(ctx, { ...frame, group: tg }, op.body);
        });
        emit(ctx, frame.label, "taskGroup", "ok");
        return status;
      } catch (error) {
        emit(ctx, frame.label, "taskGroup", { err: errorString(error) });
        throw error;
      }
    },
  },

  /**
   * `{op:"tgSpawn", name, body}`: `tg.create_task(body, name=name)` in the group of the body or
   * task this runs in (its tasks may add more: after the group closed that is a RuntimeError).
   */
  tgSpawn: {
    weight: 2,
    generate(g, scope) {
      if (!scope.group || !g.canNest()) return null;
      const name = g.fresh("k");
      g.names.push(name);
      scope.children.push(name);
      return { op: "tgSpawn", name, body: g.body({ label: name, children: [], inHandler: false, group: true }) };
    },
    *run(ctx, frame, op: { name: string; body: Body }) {
      const group = frame.group;
      if (group === undefined) {
        // Only the shrinker makes this (it lifts ops out of their bodies): nothing to add to.
        emit(ctx, frame.label, "tgSpawn", op.name, "no group");
        return undefined;
      }
      let task: Task<unknown>;
      try {
        task = group.createTask(taskBody(ctx, op.name, op.body, group), { name: op.name });
      } catch (error) {
        emit(ctx, frame.label, "tgSpawn", op.name, { err: errorString(error) });
        throw error;
      }
      ctx.tasks.set(op.name, task);
      emit(ctx, frame.label, "tgSpawn", op.name, "ok");
      return undefined;
    },
  },
};
