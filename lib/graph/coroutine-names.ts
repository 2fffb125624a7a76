// What the call graph knows of coroutines without taking stacks: their learned names and the
// operations they are bodies of. Free of side effects, so describeWait (the deadlock error, the
// "destroyed but pending" report) reads them without bringing in the stack-taking machinery of
// coroutine-frames.ts, which learns the names and is part of a program only when that program
// uses the call graph, the task tree, or an operation (compose, sync).
import { generatorPrototype } from "../describe.js";
import type { Effect } from "../effect.js";
import type { Coroutine } from "../types.js";

/**
 * Names of suspended coroutines. JavaScript cannot name a suspended generator from the object,
 * but every generator function has its own prototype object, which its generators inherit: the
 * name is learned once per generator function, the first time one of its coroutines does
 * `yield* effect` inside a task (the only moment a stack shows it), and kept on that prototype.
 * What is kept first is a function that reads the stack taken then: formatting and parsing it
 * costs tens of microseconds, paid only if the name is ever asked for (a function expression
 * evaluated per task has a prototype per task). ES5 builds' state machines share one prototype:
 * there they stay unnamed.
 */
export const NAME = "__genloopName";
/** On a generator object: the operation (an Effect) whose body it is, e.g. `lock.acquire()`. */
export const OPERATION = "__genloopOperation";
/** Learned for coroutines whose frames are all genloop's own. */
export const INTERNAL = "\u0000internal";

/** @internal The prototype of `coro`'s generator function: its own for native generators only (ES5 state machines share one). */
export function prototypeOf(coro: object): Record<string, unknown> | null {
  const proto = Object.getPrototypeOf(coro) as Record<string, unknown> | null;
  if (proto === null || generatorPrototype === null) return null;
  return Object.getPrototypeOf(proto) === generatorPrototype ? proto : null;
}

/** @internal The operation whose body `coro` is, if any. */
export function operationOf(coro: Coroutine<any>): Effect<unknown> | undefined {
  return (coro as unknown as Record<string, Effect<unknown> | undefined>)[OPERATION];
}

/** @internal The name learned for `coro`'s generator function, if any (INTERNAL for genloop's own). */
export function learnedName(coro: Coroutine<any>): string | undefined {
  const proto = prototypeOf(coro);
  if (proto === null) return undefined;
  const learned = proto[NAME] as string | (() => string) | undefined;
  if (typeof learned !== "function") return learned;
  const name = learned();
  Object.defineProperty(proto, NAME, { value: name, configurable: true });
  return name;
}

/** @internal Whether `coro` is known to be the user's (its name was learned from a user frame). */
export function isUserCoroutine(coro: Coroutine<any>): boolean {
  const learned = learnedName(coro);
  return learned !== undefined && learned !== INTERNAL;
}

/** How an operation is named in a call stack: `taskGroup`, `Lock.acquire`, … */
export function operationName(operation: Effect<unknown>): string {
  const kind = operation.kind;
  const dot = kind.indexOf(".");
  if (dot === -1) return kind;
  return kind.charAt(0).toUpperCase() + kind.slice(1, dot) + kind.slice(dot);
}
