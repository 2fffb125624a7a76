import { describeValue, isGenerator } from "../describe.js";
import { Effect } from "../effect.js";
import { RuntimeError } from "../errors.js";
import type { Future } from "../future.js";
import type { EventLoop } from "../loop.js";
import type { Task } from "../task.js";
import type { Coroutine } from "../types.js";
import { HostCallbackFuture, type Disposer } from "./callback.js";

/** What a handler of a user-defined effect is given besides the effect itself. */
export interface EffectContext<T> {
  /** Completes the effect: the waiting task resumes with `value`. Later calls are ignored. */
  resolve(value: T): void;
  /** Fails the effect: `error` is thrown into the waiting task. Later calls are ignored. */
  reject(error: unknown): void;
  /** The loop the effect runs on. */
  readonly loop: EventLoop;
  /** The task that yielded the effect; null when it was started by `ensureFuture`. */
  readonly task: Task<unknown> | null;
}

/**
 * Performs a user-defined effect on one loop. Either call `ctx.resolve` / `ctx.reject` (now
 * or later) and optionally return a disposer, run once when the effect ends or is cancelled;
 * or return a coroutine (`function*`), whose result or error becomes the effect's, and which
 * is cancelled with the waiting task.
 */
export type EffectHandler<P extends object = {}, T = unknown> = (
  effect: CustomEffect<P, T>,
  ctx: EffectContext<T>,
) => Disposer | Coroutine<T> | void;

/** A handler of any user-defined effect kind, as a loop stores it. */
export type AnyEffectHandler = (effect: any, ctx: EffectContext<any>) => Disposer | Coroutine<any> | void;

/** Handlers by effect kind, as given to `new EventLoop({ effects })` or `run(main, { effects })`. */
export type EffectHandlers = { [kind: string]: AnyEffectHandler };

/** A user-defined effect: an inert, frozen `{ kind, ...payload }` that `yield*` types as `T`. */
export type CustomEffect<P extends object = {}, T = unknown> = Effect<T> & { readonly kind: string } & { readonly [K in keyof P]: P[K] };

/** What `defineEffect` returns: builds descriptors of one kind. */
export interface EffectConstructor<P extends object, T> {
  (...payload: {} extends P ? [payload?: P] : [payload: P]): CustomEffect<P, T>;
  /** The kind of the descriptors it builds. */
  readonly kind: string;
  /** True for descriptors of this kind. */
  is(value: unknown): value is CustomEffect<P, T>;
}

/**
 * The kinds of genloop's own effects (the effect constructors the API names). A built-in effect
 * performs itself, so a handler for its kind would never run, and a user effect of the same kind
 * would be mistaken for it by whoever inspects descriptors: both are refused.
 */
const builtinKinds = new Set([
  "sleep", "spawn", "call", "gather", "callback", "promise", "shield", "waitFor", "wait", "asCompleted",
  "timeout", "timeoutAt", "taskGroup",
]);

function checkKind(where: string, kind: unknown): string {
  if (typeof kind !== "string" || kind === "") {
    throw new TypeError(`${where}: the effect kind must be a non-empty string such as "fs.readFile", got ${describeValue(kind)}`);
  }
  if (builtinKinds.has(kind)) {
    throw new RangeError(`${where}: "${kind}" is the kind of a built-in genloop effect and cannot be redefined or handled; choose another name (e.g. "app.${kind}")`);
  }
  return kind;
}

/** @internal Validates a `setEffectHandler` call (the loop stores the handler). */
export function checkEffectHandler(where: string, kind: unknown, handler: unknown): void {
  checkKind(where, kind);
  if (handler !== null && typeof handler !== "function") {
    throw new TypeError(`${where}: the handler of "${String(kind)}" must be a function (effect, { resolve, reject, loop, task }) => dispose? or null, got ${describeValue(handler)}`);
  }
}

/** The class of every user-defined effect's descriptor. */
export class UserEffect<T> extends Effect<T> {
  /** The kind given to `defineEffect`. */
  readonly kind: string;
  /**
   * Prefer the function `defineEffect(kind)` returns; the constructor validates the same way.
   * @throws TypeError for a kind that is not a non-empty string or a payload that is not a plain object; RangeError for a built-in kind.
   */
  constructor(kind: string, payload: object | undefined) {
    super();
    checkKind("UserEffect", kind);
    if (payload !== undefined) {
      checkPayload(kind, payload);
      // Not Object.assign: the ES5 build runs in engines without it (mujs).
      const fields = payload as Record<string, unknown>;
      for (const key of Object.keys(fields)) (this as unknown as Record<string, unknown>)[key] = fields[key];
    }
    this.kind = kind;
    Object.freeze(this);
  }

  /** @internal */
  _start(loop: EventLoop): Future<T> {
    return this._begin(loop, null);
  }

  /** @internal */
  override _perform(task: Task<unknown>): unknown {
    return task._awaitFuture(this._begin(task._loop, task));
  }

  private _begin(loop: EventLoop, task: Task<unknown> | null): Future<T> {
    const kind = this.kind;
    const future = new HostCallbackFuture<T>(loop, kind);
    const handler = loop._effectHandlers?.get(kind);
    return future._begin((resolve, reject) => {
      if (handler === undefined) {
        throw new RuntimeError(
          `No handler for the effect kind "${kind}" on this loop: give one with new EventLoop({ effects: { "${kind}": handler } }), ` +
            `run(main, { effects: { "${kind}": handler } }) or loop.setEffectHandler("${kind}", handler)`,
        );
      }
      const out = handler(this as unknown as CustomEffect<{}, T>, { resolve, reject, loop, task });
      if (!isGenerator(out)) return out;
      future._uncount();
      const child = loop.createTask(out as Coroutine<T>, { name: `${kind} handler` });
      child.addDoneCallback((done) => {
        try {
          resolve(done.result());
        } catch (error) {
          reject(error);
        }
      });
      return () => {
        child.cancel();
      };
    }, this);
  }
}

/**
 * Defines a user-defined effect kind: returns a function building inert, inspectable
 * descriptors `{ kind, ...payload }` that a coroutine yields (`const s = yield* readFile({ path })`
 * is typed `T`). What they do is given per loop: `new EventLoop({ effects: { [kind]: handler } })`,
 * `run(main, { effects })` or `loop.setEffectHandler(kind, handler)`, so tests swap the handlers.
 * A loop without a handler for the kind throws a `RuntimeError` naming it into the coroutine.
 *
 * @example
 * ```ts
 * import { run, defineEffect, type Coroutine } from "genloop";
 *
 * const lookup = defineEffect<{ key: string }, string>("app.lookup");
 * function* main(): Coroutine<string> {
 *   return yield* lookup({ key: "user:1" });     // typed string
 * }
 * const names: Record<string, string> = { "user:1": "Ada" };
 * run(main(), { effects: { "app.lookup": (effect, { resolve }) => resolve(names[effect.key] ?? "?") } });  // "Ada"
 * ```
 */
export function defineEffect<P extends object = {}, T = void>(kind: string): EffectConstructor<P, T> {
  checkKind("defineEffect", kind);
  const build = (payload?: P): CustomEffect<P, T> => {
    return new UserEffect<T>(kind, payload) as unknown as CustomEffect<P, T>;
  };
  const ctor = build as unknown as EffectConstructor<P, T>;
  Object.defineProperty(ctor, "kind", { value: kind, enumerable: true });
  (ctor as { is: EffectConstructor<P, T>["is"] }).is = (value): value is CustomEffect<P, T> =>
    value instanceof UserEffect && value.kind === kind;
  return ctor;
}

function checkPayload(kind: string, payload: unknown): void {
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
    throw new TypeError(`${kind}: the payload must be a plain object of fields, got ${describeValue(payload)}`);
  }
  for (const key of Object.keys(payload)) {
    if (key === "kind" || key in UserEffect.prototype) {
      throw new TypeError(`${kind}: the payload field "${key}" is reserved by the effect descriptor; rename it`);
    }
  }
}
