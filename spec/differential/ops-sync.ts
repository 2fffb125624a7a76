// The lib/sync ops of the program language (issue 5): locks, events, semaphores, conditions
// and queues shared between the tasks of a program. Same pattern as ops.ts; oracle.py has the
// CPython side.
//
// No deadlocks: every blocking wait has a time limit (asyncio.wait_for / a timeout scope), and
// a task holding a lock, semaphore or condition never waits without limit for another task
// (Scope.holding), so whatever waits for what it holds is woken or times out. An Exception
// from a sync op (TimeoutError, QueueEmpty, QueueShutDown, ValueError…) is traced and the
// body goes on, as a program with `except Exception` around each call would; CancelledError
// goes on up.
import {
  Barrier,
  BoundedSemaphore,
  CancelledError,
  Condition,
  Event,
  LifoQueue,
  Lock,
  PriorityQueue,
  Queue,
  Semaphore,
  timeout,
  waitFor,
} from "../../lib/index.js";
import { Effect } from "../../lib/index.js";
import type { Gen, Scope } from "./generate.js";
import { emit, runBody, type Ctx, type Frame, type Status } from "./interpret.js";
import { cancelTarget, cancelTargetName, type OpDef } from "./ops.js";
import { errorString, type Body, type Op } from "./program.js";

type Kind = "lock" | "event" | "semaphore" | "boundedSemaphore" | "condition" | "queue" | "lifoQueue" | "priorityQueue" | "barrier";
const HOLDABLE: readonly Kind[] = ["lock", "semaphore", "boundedSemaphore", "condition"];
const QUEUES: readonly Kind[] = ["queue", "lifoQueue", "priorityQueue"];

type Holdable = Lock | Semaphore | Condition;

/**
 * A time limit for a blocking wait: never none (no deadlocks); 1..30 ms (Gen.maxMs), or sometimes 0 or
 * less (wait_for's "time out at once" path: the wait is wrapped in a task cancelled before it starts).
 */
function bound(g: Gen): number {
  return g.rng.chance(0.1) ? -g.rng.int(2) : 1 + g.rng.int(g.maxMs);
}

/** The name of a primitive made so far of one of `kinds`, or null; notes `scope` as its user. */
function pickSync(g: Gen, scope: Scope, kinds: readonly Kind[]): string | null {
  const fitting = g.syncs.filter((s) => kinds.includes(s.kind as Kind));
  if (fitting.length === 0) return null;
  const name = g.rng.pick(fitting).name;
  const users = g.syncUsers.get(name) ?? [];
  if (!users.includes(scope.label)) users.push(scope.label);
  g.syncUsers.set(name, users);
  return name;
}

function make(ctx: Ctx, kind: Kind, arg: number | string | null): unknown {
  if (typeof arg === "string") return new Condition(ctx.syncs.get(arg) as Lock | undefined);
  return makeOwn(kind, arg as number);
}

function makeOwn(kind: Kind, arg: number): unknown {
  switch (kind) {
    case "lock":
      return new Lock();
    case "event":
      return new Event();
    case "semaphore":
      return new Semaphore(arg);
    case "boundedSemaphore":
      return new BoundedSemaphore(arg);
    case "condition":
      return new Condition();
    case "queue":
      return new Queue(arg);
    case "lifoQueue":
      return new LifoQueue(arg);
    case "priorityQueue":
      return new PriorityQueue(arg);
    case "barrier":
      return new Barrier(arg);
  }
}

/** JSON for a result: undefined (Python's None) as null. */
function shown(value: unknown): unknown {
  return value === undefined ? null : value;
}

/**
 * Runs one sync operation on the primitive `name` and traces `[kind, name, {ok}|{err}]`
 * ("missing" if the op that makes it never ran). Exceptions are traced and swallowed.
 */
function* syncOp<S>(ctx: Ctx, frame: Frame, kind: string, name: string, act: (sync: S) => Effect<unknown> | { now: unknown }) {
  const sync = ctx.syncs.get(name) as S | undefined;
  if (sync === undefined) {
    emit(ctx, frame.label, kind, name, "missing");
    return undefined;
  }
  try {
    const action = act(sync);
    const value: unknown = action instanceof Effect ? yield* action : action.now;
    emit(ctx, frame.label, kind, name, { ok: shown(value) });
  } catch (error) {
    emit(ctx, frame.label, kind, name, { err: errorString(error) });
    if (error instanceof CancelledError) throw error;
  }
  return undefined;
}

/**
 * `thenCancel`: a task to cancel right after the op (null: none). Releasing, putting or
 * notifying wakes a waiter; cancelling one in the same iteration is where asyncio 3.13 passes
 * the wake-up on to the next waiter — a race random programs would otherwise rarely reach.
 */
function thenCancel(g: Gen, scope: Scope, sync: string): string | null {
  if (g.maxMs >= 30 || !g.rng.chance(0.3)) return null;
  // Most often another task using the same primitive: likely the waiter just woken.
  const others = (g.syncUsers.get(sync) ?? []).filter((label) => label !== scope.label);
  return others.length > 0 && g.rng.chance(0.8) ? g.rng.pick(others) : cancelTargetName(g);
}

function cancelAfter(ctx: Ctx, frame: Frame, target: string | null | undefined): void {
  if (target !== null && target !== undefined) emit(ctx, frame.label, "cancel", target, cancelTarget(ctx.tasks.get(target), null));
}

/** `{ now: f() }`: a non-blocking call, its result or its error, as `syncOp` takes it. */
function now(f: () => unknown): { now: unknown } {
  return { now: f() };
}

export const SYNC_OPS: Record<string, OpDef> = {
  /**
   * `{op:"newSync", name, kind, arg}`: `name = asyncio.<Kind>(arg)` (value / maxsize / parties;
   * for a condition, the name of its lock or null).
   */
  newSync: {
    weight: 0.8,
    generate(g) {
      const kind = g.rng.pick(["lock", "lock", "event", "event", "semaphore", "boundedSemaphore", "condition", "condition", "queue", "queue", "lifoQueue", "priorityQueue", "barrier"] as const);
      const name = g.fresh(kind === "lock" ? "L" : kind === "event" ? "E" : kind === "condition" ? "C" : kind === "barrier" ? "B" : QUEUES.includes(kind) ? "Q" : "S");
      const locks = g.syncs.filter((s) => s.kind === "lock");
      // A condition on a lock made before (asyncio.Condition(lock)): half of them, when there is one.
      const lock = kind === "condition" && locks.length > 0 && g.rng.chance(0.5) ? g.rng.pick(locks).name : undefined;
      g.syncs.push({ name, kind, lock });
      if (lock !== undefined) return { op: "newSync", name, kind, arg: lock };
      const arg = kind === "semaphore" ? g.rng.int(3) : kind === "boundedSemaphore" ? 1 + g.rng.int(2) : QUEUES.includes(kind) ? g.rng.int(4) : kind === "barrier" ? 1 + g.rng.int(3) : null;
      return { op: "newSync", name, kind, arg };
    },
    *run(ctx, frame, op: { name: string; kind: Kind; arg: number | string | null }) {
      ctx.syncs.set(op.name, make(ctx, op.kind, op.arg));
      emit(ctx, frame.label, "newSync", op.name);
      return undefined;
    },
  },

  /**
   * `{op:"hold", sync, form, ms, body}` on a lock, semaphore or condition. form "with":
   * `async with asyncio.timeout(ms): async with sync: body` (the time limit covers the body);
   * form "acquire": `await wait_for(sync.acquire(), ms)`, then `try: body finally: release()`.
   * Released without error, it cancels `thenCancel` (if not null) right away.
   */
  hold: {
    weight: 4,
    generate(g, scope) {
      const sync = pickSync(g, scope, HOLDABLE);
      if (sync === null || !g.canNest()) return null;
      // Held now: the conditions on the same lock (the condition itself, those sharing its lock).
      const held = g.syncs.find((s) => s.name === sync)!;
      const lock = held.kind === "lock" ? held.name : held.lock;
      const conds = g.syncs.filter((s) => s.kind === "condition" && (s.name === sync || (lock !== undefined && s.lock === lock)));
      const isCondition = conds.length > 0;
      const inner: Scope = { ...scope, holding: true, conds: [...(scope.conds ?? []), ...conds.map((c) => c.name)] };
      const body = g.body(inner);
      // Holding a condition is for waiting on it and notifying it: put one such op in most bodies.
      if (isCondition && g.rng.chance(0.8)) {
        const extra = SYNC_OPS[g.rng.pick(["condWait", "condWaitFor", "condNotify", "condNotify"])].generate(g, inner);
        if (extra !== null) body.splice(g.rng.int(body.length + 1), 0, extra);
      }
      return { op: "hold", sync, form: g.rng.pick(["with", "acquire"]), ms: bound(g), body, thenCancel: thenCancel(g, scope, sync) };
    },
    *run(ctx, frame, op: { sync: string; form: "with" | "acquire"; ms: number; body: Body; thenCancel?: string | null }) {
      const sync = ctx.syncs.get(op.sync) as Holdable | undefined;
      if (sync === undefined) {
        emit(ctx, frame.label, "hold", op.sync, "missing");
        return undefined;
      }
      let status: Status;
      try {
        if (op.form === "with") {
          status = yield* timeout(op.ms, function* () {
            return yield* sync.with(function* () {
              emit(ctx, frame.label, "acquired", op.sync);
              return yield* runBody(ctx, frame, op.body);
            });
          });
        } else {
          yield* waitFor(sync.acquire(), op.ms);
          emit(ctx, frame.label, "acquired", op.sync);
          try {
            status = yield* runBody(ctx, frame, op.body);
          } finally {
            sync.release();
          }
        }
      } catch (error) {
        emit(ctx, frame.label, "hold", op.sync, { err: errorString(error) });
        if (error instanceof CancelledError) throw error;
        return undefined;
      }
      emit(ctx, frame.label, "hold", op.sync, "released");
      cancelAfter(ctx, frame, op.thenCancel);
      return status;
    },
  },

  /** `{op:"eventWait", sync, ms}`: `await wait_for(event.wait(), ms)`. */
  eventWait: {
    weight: 1.5,
    generate(g, scope) {
      const sync = pickSync(g, scope, ["event"]);
      return sync === null ? null : { op: "eventWait", sync, ms: bound(g) };
    },
    *run(ctx, frame, op: { sync: string; ms: number }) {
      return yield* syncOp<Event>(ctx, frame, "eventWait", op.sync, (e) => waitFor(e.wait(), op.ms));
    },
  },

  /** `{op:"eventSet", sync, clear}`: `event.set()` (or `event.clear()`); traces `is_set()` after. */
  eventSet: {
    weight: 1.5,
    generate(g, scope) {
      const sync = pickSync(g, scope, ["event"]);
      return sync === null ? null : { op: "eventSet", sync, clear: g.rng.chance(0.3) };
    },
    *run(ctx, frame, op: { sync: string; clear: boolean }) {
      return yield* syncOp<Event>(ctx, frame, op.clear ? "eventClear" : "eventSet", op.sync, (e) =>
        now(() => {
          if (op.clear) e.clear();
          else e.set();
          return e.isSet();
        }),
      );
    },
  },

  /** `{op:"condWait", sync, ms}`: `await wait_for(cond.wait(), ms)`, holding the condition. */
  condWait: {
    weight: 2,
    generate(g, scope) {
      if (scope.conds === undefined || scope.conds.length === 0) return null;
      return { op: "condWait", sync: g.rng.pick(scope.conds), ms: bound(g) };
    },
    *run(ctx, frame, op: { sync: string; ms: number }) {
      return yield* syncOp<Condition>(ctx, frame, "condWait", op.sync, (c) => waitFor(c.wait(), op.ms));
    },
  },

  /**
   * `{op:"condWaitFor", sync, ms, target}`: `await wait_for(cond.wait_for(lambda: notified >=
   * target), ms)`, where `notified` counts the condNotify ops on this condition.
   */
  condWaitFor: {
    weight: 1,
    generate(g, scope) {
      if (scope.conds === undefined || scope.conds.length === 0) return null;
      return { op: "condWaitFor", sync: g.rng.pick(scope.conds), ms: bound(g), target: g.rng.int(4) };
    },
    *run(ctx, frame, op: { sync: string; ms: number; target: number }) {
      const reached = () => (ctx.notified.get(op.sync) ?? 0) >= op.target;
      return yield* syncOp<Condition>(ctx, frame, "condWaitFor", op.sync, (c) => waitFor(c.waitFor(reached), op.ms));
    },
  },

  /** `{op:"condNotify", sync, n}`: count one notification, then `cond.notify(n)` (`notify_all()` for null). */
  condNotify: {
    weight: 2,
    generate(g, scope) {
      if (scope.conds === undefined || scope.conds.length === 0) return null;
      return { op: "condNotify", sync: g.rng.pick(scope.conds), n: g.rng.chance(0.3) ? null : g.rng.int(3) };
    },
    *run(ctx, frame, op: { sync: string; n: number | null }) {
      return yield* syncOp<Condition>(ctx, frame, "condNotify", op.sync, (c) =>
        now(() => {
          ctx.notified.set(op.sync, (ctx.notified.get(op.sync) ?? 0) + 1);
          if (op.n === null) c.notifyAll();
          else c.notify(op.n);
          return null;
        }),
      );
    },
  },

  /**
   * `{op:"queueOp", sync, action, item, ms, immediate}` on a queue: action "put" / "get" /
   * "join" wait at most `ms`; "putNowait", "getNowait", "taskDone", "shutdown" do not wait.
   * Then (unless it was cancelled) it cancels `thenCancel` if not null.
   */
  queueOp: {
    weight: 4,
    generate(g, scope) {
      const sync = pickSync(g, scope, QUEUES);
      if (sync === null) return null;
      const action = g.rng.pick(["put", "put", "get", "get", "putNowait", "getNowait", "taskDone", "taskDone", "join", "shutdown"]);
      const op: Record<string, unknown> = { op: "queueOp", sync, action };
      if (action === "put" || action === "putNowait") op.item = g.rng.int(10);
      if (action === "put" || action === "get" || action === "join") op.ms = bound(g);
      if (action === "shutdown") op.immediate = g.rng.chance(0.5);
      // shutdown ends a queue for good: keep it rare.
      if (action === "shutdown" && g.rng.chance(0.5)) return null;
      if (action === "put" || action === "putNowait" || action === "get" || action === "getNowait") op.thenCancel = thenCancel(g, scope, sync);
      return op as Op;
    },
    *run(ctx, frame, op: { sync: string; action: string; item?: number; ms?: number; immediate?: boolean; thenCancel?: string | null }) {
      yield* syncOp<Queue<number>>(ctx, frame, `queue.${op.action}`, op.sync, (q) => {
        switch (op.action) {
          case "put":
            return waitFor(q.put(op.item!), op.ms!);
          case "get":
            return waitFor(q.get(), op.ms!);
          case "join":
            return waitFor(q.join(), op.ms!);
          case "putNowait":
            return now(() => q.putNowait(op.item!));
          case "getNowait":
            return now(() => q.getNowait());
          case "taskDone":
            return now(() => q.taskDone());
          default:
            return now(() => q.shutdown(op.immediate));
        }
      });
      cancelAfter(ctx, frame, op.thenCancel);
      return undefined;
    },
  },

  /**
   * `{op:"barrierOp", sync, action, ms}`: `await wait_for(barrier.wait(), ms)` (its index),
   * `await barrier.reset()` or `await barrier.abort()`.
   */
  barrierOp: {
    weight: 2,
    generate(g, scope) {
      const sync = pickSync(g, scope, ["barrier"]);
      if (sync === null) return null;
      const action = g.rng.pick(["wait", "wait", "wait", "wait", "reset", "abort"]);
      return action === "wait" ? { op: "barrierOp", sync, action, ms: bound(g) } : { op: "barrierOp", sync, action };
    },
    *run(ctx, frame, op: { sync: string; action: "wait" | "reset" | "abort"; ms?: number }) {
      return yield* syncOp<Barrier>(ctx, frame, `barrier.${op.action}`, op.sync, (b) =>
        op.action === "wait" ? waitFor(b.wait(), op.ms!) : op.action === "reset" ? b.reset() : b.abort(),
      );
    },
  },

  /** `{op:"syncState", sync}`: trace `locked()` / `is_set()` / `[qsize(), empty(), full()]` / `[n_waiting, broken]`. */
  syncState: {
    weight: 1,
    generate(g, scope) {
      const sync = pickSync(g, scope, ["lock", "event", "semaphore", "boundedSemaphore", "condition", "barrier", ...QUEUES]);
      return sync === null ? null : { op: "syncState", sync };
    },
    *run(ctx, frame, op: { sync: string }) {
      return yield* syncOp<unknown>(ctx, frame, "syncState", op.sync, (s) =>
        now(() => {
          if (s instanceof Queue) return [s.qsize(), s.empty(), s.full()];
          if (s instanceof Event) return s.isSet();
          if (s instanceof Barrier) return [s.nWaiting, s.broken];
          return (s as Holdable).locked();
        }),
      );
    },
  },
};
