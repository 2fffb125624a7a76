import { describeValue } from "../describe.js";
import { RuntimeError } from "../errors.js";
import { ABSENT } from "./absent.js";
import { ContextData } from "./context-data.js";
import { currentContext, currentData, lookup, type Context } from "./context.js";
import { LookupError } from "./lookup-error.js";
import { registerContextVarClass } from "./mapping.js";

/** Ids of context variables: their keys in contexts' maps. */
let nextVarId = 0;

/** What `Token.MISSING` is: a symbol, or a frozen object in engines without Symbol (mujs). */
const MISSING_VALUE: object | symbol =
  typeof Symbol === "function" ? Symbol("Token.MISSING") : Object.freeze({ toString: () => "<Token.MISSING>" });

/** Lets only `ContextVar.set` create tokens. */
const TOKEN_KEY = {};

/**
 * Python's `contextvars.ContextVar`: a variable whose value depends on the current context, so
 * each task (and each callback) sees its own. Create variables once, at module level: each one
 * is a distinct key, however it is named.
 *
 * @example
 * ```ts
 * import { ContextVar, createTask, run, sleep, type Coroutine } from "genloop";
 *
 * const requestId = new ContextVar<string>("requestId", { default: "-" });
 * function* log(msg: string): Coroutine<void> { console.log(`[${requestId.get()}] ${msg}`); }
 * function* handle(id: string): Coroutine<void> {
 *   requestId.set(id);                 // seen by this task and the tasks it creates, nowhere else
 *   yield* sleep(10);
 *   yield* log("done");                // [r1] done, [r2] done
 * }
 * run((function* () {
 *   const a = createTask(handle("r1")), b = createTask(handle("r2"));
 *   yield* a; yield* b;
 *   yield* log("main");                // [-] main
 * })());
 * ```
 */
export class ContextVar<T> {
  /** The name given at creation (for messages; two variables of the same name are still distinct). */
  readonly name: string;
  /** @internal Its key in contexts' maps. */ readonly _id: number;
  /** @internal The default, or ABSENT. */ readonly _default: unknown;

  /**
   * @param name what the variable is called in messages.
   * @param options `default`: what `get()` returns where the variable has no value (when the
   *   option is absent, `get()` throws `LookupError` there instead; `{ default: undefined }` is a default).
   * @throws TypeError if `name` is not a string or `options` not an object.
   */
  constructor(name: string, options?: { default?: T }) {
    if (typeof name !== "string") {
      throw new TypeError(`ContextVar: the name must be a string, got ${describeValue(name)}`);
    }
    if (options !== undefined && (options === null || typeof options !== "object")) {
      throw new TypeError(`ContextVar: options must be an object like { default: 0 }, got ${describeValue(options)}`);
    }
    this.name = name;
    this._id = nextVarId++;
    this._default = options !== undefined && "default" in options ? options.default : ABSENT;
  }

  /**
   * The variable's value in the current context; where it has none, `fallback` if given, else
   * the variable's default.
   * @throws LookupError when it has no value, no fallback is given and the variable has no default.
   */
  get(): T;
  get<D>(fallback: D): T | D;
  get<D>(fallback?: D): T | D {
    const value = lookup(currentData(), this);
    if (value !== ABSENT) return value as T;
    if (arguments.length > 0) return fallback as D;
    if (this._default !== ABSENT) return this._default as T;
    throw new LookupError(
      `${this} has no value in the current context and no default: set() it first, or pass a fallback to get()`,
    );
  }

  /**
   * Gives the variable `value` in the current context.
   * @returns a Token with which `reset()` restores the previous value.
   */
  set(value: T): Token<T> {
    const context = currentContext();
    const data = context._data ?? ContextData.EMPTY;
    const old = data.lookup(this);
    context._data = data.set(this, value);
    return new Token<T>(TOKEN_KEY, this, context, old === ABSENT ? Token.MISSING : (old as T));
  }

  /**
   * Restores the value the variable had before the `set()` that returned `token` (or removes
   * it from the current context, if it had none there).
   * @throws RuntimeError if the token was used already.
   * @throws RangeError if the token comes from another variable, or was made in another context.
   * @throws TypeError if `token` is not a Token.
   */
  reset(token: Token<T>): void {
    if (!(token instanceof Token)) {
      throw new TypeError(`ContextVar.reset: a Token (what set() returns) was expected, got ${describeValue(token)}`);
    }
    if (token._used) throw new RuntimeError(`${token} has already been used once`);
    if (token.var !== this) throw new RangeError(`${token} was created by a different ContextVar than ${this}`);
    const context = currentContext();
    if (token._context !== context) {
      throw new RangeError(`${token} was created in a different Context: reset() must run in the context where set() ran`);
    }
    token._used = true;
    const old = token.oldValue;
    const data = context._data ?? ContextData.EMPTY;
    context._data = old === Token.MISSING ? data.delete(this) : data.set(this, old);
  }

  /** A description: `<ContextVar name="user" default="-">`. */
  toString(): string {
    const value = this._default === ABSENT ? "" : ` default=${describeValue(this._default)}`;
    return `<ContextVar name=${JSON.stringify(this.name)}${value}>`;
  }
}

/**
 * What `ContextVar.set()` returns: hand it to `reset()` to restore the previous value.
 * Only `set()` creates tokens.
 */
export class Token<T> {
  /** Marks an `oldValue` where the variable had no value before the `set()`. */
  declare static readonly MISSING: unique symbol;

  /** The variable that was set. */
  readonly var: ContextVar<T>;
  /** Its value before the `set()`, or `Token.MISSING` if it had none in that context. */
  readonly oldValue: T | typeof Token.MISSING;
  /** @internal The context the `set()` changed. */ readonly _context: Context;
  /** @internal */ _used = false;

  /** @internal Tokens come from `ContextVar.set()` only. */
  constructor(key: unknown, variable: ContextVar<T>, context: Context, oldValue: T | typeof Token.MISSING) {
    if (key !== TOKEN_KEY) throw new RuntimeError("Tokens can only be created by ContextVar.set()");
    this.var = variable;
    this._context = context;
    this.oldValue = oldValue;
  }

  /** A description: `<Token used var=<ContextVar name="user">>`. */
  toString(): string {
    return `<Token${this._used ? " used" : ""} var=${this.var}>`;
  }
}
// Assigned here, not as a static initializer: that compiles to a helper that redefines the
// class's `name`, which Rhino refuses.
(Token as { MISSING: unknown }).MISSING = MISSING_VALUE;

registerContextVarClass(ContextVar);
