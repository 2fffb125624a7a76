import { isThenable } from "../describe.js";

type Reaction = (ok: boolean, value: unknown) => void;

/**
 * A promise-like value that the test settles, whose reactions run synchronously when it settles
 * (not on a host job queue): the fake host stays deterministic and the core stays free of native
 * promises (it is a plain object). `then` chains as a promise's does (a reaction's thenable result is adopted).
 *
 * Invariant: `reactions` is non-null exactly while pending; it settles once.
 */
export class FakeThenable<T> implements PromiseLike<T> {
  private reactions: Reaction[] | null = [];
  private ok = false;
  private value: unknown = undefined;

  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: any) => R2 | PromiseLike<R2>) | null,
  ): FakeThenable<R1 | R2> {
    const next = new FakeThenable<R1 | R2>();
    const react: Reaction = (ok, value) => {
      const handler = ok ? onFulfilled : onRejected;
      if (typeof handler !== "function") {
        next.settle(ok, value);
        return;
      }
      let out: unknown;
      try {
        out = (handler as (v: unknown) => unknown)(value);
      } catch (error) {
        next.settle(false, error);
        return;
      }
      if (isThenable(out)) {
        (out as PromiseLike<unknown>).then(
          (v) => next.settle(true, v),
          (e) => next.settle(false, e),
        );
      } else next.settle(true, out);
    };
    if (this.reactions !== null) this.reactions.push(react);
    else react(this.ok, this.value);
    return next;
  }

  /** Settles it (fulfilled if `ok`) and runs the reactions; false if it was already settled. */
  settle(ok: boolean, value: unknown): boolean {
    const reactions = this.reactions;
    if (reactions === null) return false;
    this.reactions = null;
    this.ok = ok;
    this.value = value;
    for (let i = 0; i < reactions.length; i++) reactions[i](ok, value);
    return true;
  }
}
