import { CancelledError } from "./errors.js";
import type { EventLoop } from "./loop.js";

/**
 * The CancelledErrors the runtime makes outside debug mode: objects of `CancelledError`'s
 * prototype chain made without the Error constructor, which captures the stack (about 1 µs in
 * V8 even with `Error.stackTraceLimit = 0`, more in QuickJS: most of a cancellation). The stack
 * would only name loop internals anyway. They are CancelledErrors in every way code looks at an
 * error (`instanceof CancelledError` and `Error`, across copies too, `name`, `message`,
 * `String(e)`, `Object.prototype.toString`); their `stack` is the header alone, `CancelledError: <message>`, computed when
 * read (assigning one keeps it). Debug mode makes real errors, with the stack where they were
 * made.
 *
 * Invariant: `message` is an own property only when it is not empty (Error.prototype's is "").
 */
interface LightCancelledError extends CancelledError {}
interface LightCancelledErrorConstructor {
  new (message: string): LightCancelledError;
  prototype: LightCancelledError;
}

const LightCancelledError = function LightCancelledError(this: { message: string }, message: string): void {
  if (message !== "") this.message = message;
} as unknown as LightCancelledErrorConstructor;

LightCancelledError.prototype = Object.create(CancelledError.prototype, {
  constructor: { value: CancelledError, writable: true, configurable: true },
  stack: {
    get(this: CancelledError): string {
      return this.message === "" ? this.name : `${this.name}: ${this.message}`;
    },
    set(this: CancelledError, stack: unknown): void {
      Object.defineProperty(this, "stack", { value: stack, writable: true, configurable: true });
    },
    configurable: true,
  },
}) as LightCancelledError;
// `Object.prototype.toString` says "[object Error]", as for errors made by the constructor.
if (typeof Symbol === "function" && typeof Symbol.toStringTag === "symbol") {
  Object.defineProperty(LightCancelledError.prototype, Symbol.toStringTag, { value: "Error", configurable: true });
}

/**
 * A `CancelledError` made by the runtime when it cancels a task or a future: a light one (see
 * above), or in debug mode a plain `new CancelledError(message)` with its stack.
 */
export function runtimeCancelledError(loop: EventLoop, message: string): CancelledError {
  return loop._debug ? new CancelledError(message) : new LightCancelledError(message);
}
