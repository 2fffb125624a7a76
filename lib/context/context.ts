import { describeValue } from "../describe.js";
import { RuntimeError } from "../errors.js";
import { realm } from "../running.js";
import { ABSENT } from "./absent.js";
import type { ContextData } from "./context-data.js";
import type { ContextVar } from "./context-var.js";
import type { Task } from "../task.js";

/**
 * Python's `contextvars.Context`: a mapping from context variables to values. Exactly one
 * context is current at any time; `ContextVar.get`/`set` read and write the current one.
 * Each task steps inside its own context (a copy of its creator's), each callback runs inside
 * a copy of the context current when it was scheduled, and `run()` enters a context for the
 * length of one call.
 *
 * Copying is O(1): contexts hold a persistent map (`ContextData`), shared until one of them is
 * changed; an empty context holds none (null), so a program that never creates a ContextVar
 * does not carry the map's code. Iterating gives `[variable, value]` pairs, in no particular order.
 *
 * A context is entered while it is current or lies below the current one on the stack of
 * entered contexts: `_entered` is true while a `run()` or a callback has it entered; a task's
 * context is entered during the task's steps, which is when it is `realm.currentTask` (tasks
 * don't set `_entered`, so a step costs nothing more). See `isEntered`.
 *
 * @example
 * ```ts
 * import { Context, ContextVar } from "genloop";
 *
 * const user = new ContextVar<string>("user");
 * const ctx = new Context();
 * ctx.run(() => user.set("ada"));
 * ctx.get(user);       // "ada"
 * user.get("nobody");  // "nobody": the value was set inside ctx only
 * ```
 */
export class Context implements Iterable<[ContextVar<unknown>, unknown]> {
  /** @internal The variables and their values; null while there are none (no variable was ever set here). */
  _data: ContextData | null = null;
  /** @internal */ _entered = false;

  /** An empty context (`copyContext()` copies the current one). */
  constructor() {
    if (arguments.length > 0) {
      throw new TypeError("Context: the constructor takes no arguments (an empty context); use copyContext() or context.copy() to copy one");
    }
  }

  /**
   * Calls `fn(...args)` with this context current, and returns what it returns (or throws what
   * it throws). Variables set during the call are set in this context, and stay set after it.
   * @throws RuntimeError if this context is already entered (current, or being run further up the stack).
   * @throws TypeError if `fn` is not a function.
   */
  run<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): R {
    if (typeof fn !== "function") {
      throw new TypeError(`Context.run: a function was expected, got ${describeValue(fn)}`);
    }
    return enterContext(this, fn, args);
  }

  /** A new context with the same variables and values. */
  copy(): Context {
    return contextWith(this._data);
  }

  /** How many variables have a value in this context. */
  get size(): number {
    return this._data === null ? 0 : this._data.size;
  }

  toString(): string {
    return `<Context size=${this.size}${isEntered(this) ? " entered" : ""}>`;
  }
}

// Its reading methods (get, has, keys, values, entries, iteration) are installed by
// ./mapping.ts, which ContextVar's module and the `genloop` entry import (genloop/core has neither).
export interface Context {
  /**
   * The value of `variable` in this context, or `fallback` (undefined when not given) when it
   * has none here. The variable's own default is not consulted, as in Python.
   * @throws TypeError if `variable` is not a ContextVar.
   */
  get<T>(variable: ContextVar<T>): T | undefined;
  /** `get` with the value returned when `variable` has none here. */
  get<T, D>(variable: ContextVar<T>, fallback: D): T | D;
  /**
   * True when `variable` has a value in this context.
   * @throws TypeError if `variable` is not a ContextVar.
   */
  has(variable: ContextVar<any>): boolean;
  /** The variables that have a value in this context. */
  keys(): IterableIterator<ContextVar<unknown>>;
  /** Their values, in the order of `keys()`. */
  values(): IterableIterator<unknown>;
  /** `[variable, value]` pairs, in the order of `keys()`. */
  entries(): IterableIterator<[ContextVar<unknown>, unknown]>;
  /** The variables set in this context with their values, as `[variable, value]` pairs (order unspecified). */
  [Symbol.iterator](): IterableIterator<[ContextVar<unknown>, unknown]>;
}

/** @internal A new context holding `data`. */
export function contextWith(data: ContextData | null): Context {
  const context = new Context();
  context._data = data;
  return context;
}

/**
 * @internal The current context: the one entered by the innermost run() or callback, else the
 * current task's, else the realm's root context (created on first use).
 */
export function currentContext(): Context {
  const entered = realm.context;
  if (entered !== null) return entered;
  const task = realm.currentTask;
  if (task !== null) return taskContext(task);
  return realm.rootContext ?? (realm.rootContext = new Context());
}

/**
 * @internal The task's Context, made now if the task holds only its mapping (see
 * `Task._context`): one object per task, from then on the same one.
 */
export function taskContext(task: Task<unknown>): Context {
  const held = task._context;
  if (held instanceof Context) return held;
  const context = contextWith(held);
  task._context = context;
  return context;
}

/** @internal The current context's map, null when empty (no root context is created for it). */
export function currentData(): ContextData | null {
  const entered = realm.context;
  if (entered !== null) return entered._data;
  const task = realm.currentTask;
  if (task !== null) {
    const held = task._context;
    return held instanceof Context ? held._data : held;
  }
  const root = realm.rootContext;
  return root === null ? null : root._data;
}

/** @internal True while `context` is current or lies below the current context on the stack. */
export function isEntered(context: Context): boolean {
  const task = realm.currentTask;
  return context._entered || (task !== null && task._context === context);
}

/**
 * A copy of the current context (Python's `contextvars.copy_context()`): inside a task, of the
 * task's context; inside a callback, of the callback's.
 * @returns a new Context with the same variables and values.
 * @example
 * ```ts
 * import { ContextVar, copyContext } from "genloop";
 *
 * const requestId = new ContextVar<number>("requestId");
 * requestId.set(7);
 * const snapshot = copyContext();
 * requestId.set(8);
 * snapshot.get(requestId); // 7
 * ```
 */
export function copyContext(): Context {
  return contextWith(currentData());
}

/** @internal Calls `fn(...args)` with `context` entered: how run(), handles and task steps enter one. */
export function enterContext<R>(context: Context, fn: (...args: any[]) => R, args: readonly unknown[]): R {
  if (isEntered(context)) throw alreadyEntered(context);
  const previous = realm.context;
  context._entered = true;
  realm.context = context;
  try {
    return fn.apply(undefined, args as unknown[]);
  } finally {
    realm.context = previous;
    context._entered = false;
  }
}

/** @internal The error for entering a context that is entered already. */
export function alreadyEntered(context: Context): RuntimeError {
  return new RuntimeError(
    `cannot enter context: ${context} is already entered (a context can be current only once at a time; ` +
      "run the code in a copy of it, context.copy(), instead)",
  );
}

/** @internal Validates a `{ context }` option: a Context or undefined. */
export function checkContextOption(where: string, context: unknown): Context | undefined {
  if (context === undefined || context instanceof Context) return context;
  throw new TypeError(`${where}: the context option must be a Context (e.g. copyContext()), got ${describeValue(context)}`);
}

/** @internal The value of `key` in `data` (null: an empty map), or ABSENT. */
export function lookup(data: ContextData | null, key: ContextVar<any>): unknown {
  return data === null ? ABSENT : data.lookup(key);
}
