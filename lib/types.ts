import type { Effect } from "./effect.js";
import type { Future } from "./future.js";

/** What calling a `function*` returns: a coroutine that a task can run. */
export type Coroutine<T = unknown> = Generator<unknown, T, any>;

/** Anything a coroutine may wait for with `yield` / `yield*`. */
export type Awaitable<T = unknown> = Coroutine<T> | Future<T> | Effect<T>;

/** The result type of an awaitable: what `yield*` on it returns. */
export type ResultOf<A> = A extends { [Symbol.iterator](): Iterator<any, infer T, any> } ? T : never;
