import type { Effect } from "./effect.js";
import type { Future } from "./future.js";

/**
 * What calling a `function*` returns: a coroutine that a task can run. Its yield type is the set
 * of awaitables, so yielding anything else (`yield somePromise`, `yield 1`, a bare `yield`) is a
 * compile error where the coroutine is typed or handed to `run`, `createTask`, `gather`, ….
 */
export type Coroutine<T = unknown> = Generator<Yieldable, T, any>;

/** A coroutine of any result: what a coroutine may yield besides effects and futures. */
export interface AnyCoroutine extends Generator<Yieldable, unknown, any> {}

/** What a coroutine may yield: an effect, a future or task, or another coroutine (run inline). */
export type Yieldable = Effect<unknown> | Future<unknown> | AnyCoroutine;

/** Anything a coroutine may wait for with `yield` / `yield*`. */
export type Awaitable<T = unknown> = Coroutine<T> | Future<T> | Effect<T>;

/** The result type of an awaitable: what `yield*` on it returns. */
export type ResultOf<A> = A extends { [Symbol.iterator](): Iterator<any, infer T, any> } ? T : never;
