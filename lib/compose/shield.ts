import { describeValue } from "../describe.js";
import { Effect } from "../effect.js";
import { realm } from "../running.js";
import { discardEdge, futureAddToAwaitedBy } from "../graph/awaited-by.js";
import { ensureFuture, isAwaitable, notAwaitableHint } from "../ensure-future.js";
import type { Future } from "../future.js";
import type { EventLoop } from "../loop.js";
import type { Awaitable, ResultOf } from "../types.js";

/** The descriptor `shield(aw)` returns. */
export class ShieldEffect<T> extends Effect<T> {
  /** Always `"shield"`. */
  readonly kind = "shield";
  /**
   * Prefer `shield(aw)`; the constructor validates the same way.
   * @throws TypeError if `awaitable` is not a coroutine, future/task or effect.
   */
  constructor(/** The work protected from the waiting task's cancellation. */ readonly awaitable: Awaitable<T>) {
    super();
    if (!isAwaitable(awaitable)) {
      throw new TypeError(`shield: a coroutine, a future/task or an effect is required, got ${describeValue(awaitable)}${notAwaitableHint(awaitable)}`);
    }
    Object.freeze(this);
  }

  /**
   * @internal asyncio's `shield()`: starts the inner awaitable and returns an outer future
   * that follows it; cancelling the outer leaves the inner running. An inner that is already
   * done is returned as it is.
   */
  _start(loop: EventLoop): Future<T> {
    const inner = ensureFuture(this.awaitable, loop);
    if (inner.done()) return inner;
    const outer = inner._loop.createFuture<T>();
    // As asyncio: the inner work is awaited by the task that performs the shield.
    const waiting = realm.currentTask;
    if (waiting !== null && waiting._loop === inner._loop) futureAddToAwaitedBy(inner, waiting);
    const onInnerDone = (): void => {
      if (waiting !== null) discardEdge(inner, waiting);
      if (outer.cancelled()) {
        // Nobody will look at the inner's error: mark it retrieved.
        if (!inner.cancelled()) inner.exception();
        return;
      }
      if (inner.cancelled()) {
        outer.cancel();
        return;
      }
      // Failure is a state: the error may be any value, even null.
      if (inner.failed()) outer._reject(inner.exception());
      else outer.setResult(inner.result());
    };
    const onOuterDone = (): void => {
      if (waiting !== null) discardEdge(inner, waiting);
      if (!inner.done()) inner.removeDoneCallback(onInnerDone);
    };
    inner.addDoneCallback(onInnerDone);
    outer.addDoneCallback(onOuterDone);
    return outer;
  }
}

/**
 * Waits for `aw` while protecting it from cancellation (asyncio.shield): if the waiting task
 * is cancelled, it gets `CancelledError` but the inner work goes on. A coroutine or effect is
 * started as a task when the shield is yielded (or given to `ensureFuture`/`gather`); keep a
 * reference to a task you shield if you want its result later. Cancelling the inner work
 * itself still cancels the shield.
 * @example
 * ```ts
 * import { createTask, run, shield, sleep, TimeoutError, VirtualClock, waitFor, type Coroutine } from "genloop";
 *
 * function* save(): Coroutine<string> {
 *   yield* sleep(500);
 *   return "saved";
 * }
 * function* main(): Coroutine<string> {
 *   const saving = createTask(save());
 *   try {
 *     yield* waitFor(shield(saving), 100); // stops waiting after 100 ms…
 *   } catch (e) {
 *     if (!(e instanceof TimeoutError)) throw e;
 *   }
 *   return yield* saving; // …but the save was not cancelled: "saved"
 * }
 * console.log(run(main(), { clock: new VirtualClock() }));
 * ```
 */
export function shield<A extends Awaitable<unknown>>(aw: A): ShieldEffect<ResultOf<A>> {
  return new ShieldEffect(aw as Awaitable<ResultOf<A>>);
}
