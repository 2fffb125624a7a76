import { BRAND, brand, brandOf } from "./brand.js";

/**
 * The errors genloop throws. Each is an `Error` subclass whose `name` is its class name.
 * The prototype is fixed up explicitly so `instanceof` also holds when the code is
 * compiled down to ES5, where `Error.call(this)` would otherwise return a plain Error.
 */
export class GenloopError extends Error {
  constructor(message = "", options?: { cause?: unknown }) {
    super(message);
    const proto = new.target.prototype;
    let self = this;
    if (Object.getPrototypeOf(this) !== proto) {
      if (typeof Object.setPrototypeOf === "function") {
        Object.setPrototypeOf(this, proto);
      } else {
        // ES5 engines without setPrototypeOf or __proto__ (mujs): the error super() gave us
        // can't be fixed, so the constructor returns an object of the right prototype instead.
        self = Object.create(proto) as this;
        self.message = String(message);
        if (this.stack !== undefined) self.stack = this.stack;
      }
    }
    // genloop's own classes carry their name on the prototype (below), which survives minifiers
    // that rename classes; a user's subclass is named after its constructor.
    const className = (proto.constructor as { name?: unknown }).name;
    if (Object.prototype.hasOwnProperty.call(proto, "name")) self.name = proto.name;
    else self.name = typeof className === "string" && className !== "" ? className : proto.name;
    if (options && "cause" in options) (self as { cause?: unknown }).cause = options.cause;
    return self;
  }
}

/**
 * Thrown into a coroutine whose task was cancelled; `message` is the `cancel(msg)` text or "".
 * @example
 * ```ts
 * import { CancelledError, createTask, run, sleep, VirtualClock, type Coroutine } from "genloop";
 *
 * function* worker(log: string[]): Coroutine<void> {
 *   try {
 *     yield* sleep(1000);
 *   } catch (e) {
 *     if (e instanceof CancelledError) log.push(`cancelled: ${e.message}`);
 *     throw e; // let the cancellation end the task
 *   } finally {
 *     log.push("cleaned up");
 *   }
 * }
 * function* main(): Coroutine<string[]> {
 *   const log: string[] = [];
 *   const task = createTask(worker(log));
 *   yield* sleep(10);
 *   task.cancel("shutting down");
 *   try {
 *     yield* task;
 *   } catch (e) {
 *     if (!(e instanceof CancelledError)) throw e;
 *   }
 *   return log; // [ 'cancelled: shutting down', 'cleaned up' ]
 * }
 * console.log(run(main(), { clock: new VirtualClock() }));
 * ```
 */
export class CancelledError extends GenloopError {}
/** An operation was attempted on a future in the wrong state (e.g. `result()` while pending). */
export class InvalidStateError extends GenloopError {}
/** A deadline passed (`timeout`, `waitFor`). */
export class TimeoutError extends GenloopError {}
/** Misuse of the runtime: no running loop, nested `run()`, a closed loop, a deadlock. */
export class RuntimeError extends GenloopError {}
/**
 * @internal Names and brands genloop's error classes, by name: `name` on the prototype (some ES5
 * engines have no Function.prototype.name, mujs; minifiers rename classes) and the brand that
 * `instanceof` across copies matches. Each area names its own errors (the queue's in sync, …).
 */
export function nameErrorClasses(classes: Record<string, { prototype: Error }>): void {
  for (const name of Object.keys(classes)) {
    Object.defineProperty(classes[name].prototype, "name", { value: name, writable: true, configurable: true });
    brand(classes[name].prototype, name);
  }
}
/**
 * Several errors raised together (by a task group); `exceptions` holds them in order. In the
 * core, although only task groups raise it: async stack traces (graph/async-stack.ts), which every
 * part with operations carries, look into groups.
 */
export class ExceptionGroup extends GenloopError {
  /** The errors, in the order they were raised. */
  readonly exceptions: unknown[];
  constructor(message: string, exceptions: readonly unknown[], options?: { cause?: unknown }) {
    if (typeof message !== "string") {
      throw new TypeError(`ExceptionGroup: the message must be a string, got ${typeof message}`);
    }
    if (!Array.isArray(exceptions) || exceptions.length === 0) {
      throw new TypeError("ExceptionGroup: the second argument must be a non-empty array of errors");
    }
    super(message, options);
    this.exceptions = exceptions.slice();
  }
}

nameErrorClasses({ GenloopError, CancelledError, InvalidStateError, TimeoutError, RuntimeError, ExceptionGroup });

/**
 * `instanceof` across copies of genloop (an ESM and a CommonJS build, two bundles): an error
 * made by another copy is an instance of this copy's class of the same name, or of one of its
 * bases. Objects of this copy take the ordinary prototype test first.
 */
const hasInstance = typeof Symbol === "function" ? (Symbol as { hasInstance?: symbol }).hasInstance : undefined;
if (hasInstance !== undefined) {
  Object.defineProperty(GenloopError, hasInstance, {
    value: function (this: { prototype: object }, value: unknown): boolean {
      if (value === null || typeof value !== "object") return false;
      const proto = this.prototype;
      if (proto.isPrototypeOf(value)) return true;
      // Only genloop's own classes are matched by name (not a user's subclass of them).
      if (!Object.prototype.hasOwnProperty.call(proto, BRAND) || brandOf(value) === undefined) return false;
      const wanted = brandOf(proto);
      // Walk the other copy's prototype chain for the same class name.
      for (let p = Object.getPrototypeOf(value); p !== null; p = Object.getPrototypeOf(p)) {
        if (Object.prototype.hasOwnProperty.call(p, BRAND) && (p as Record<string | symbol, unknown>)[BRAND as symbol] === wanted) return true;
      }
      return false;
    },
    configurable: true,
    writable: true,
  });
}
