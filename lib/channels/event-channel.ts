import { describeValue } from "../describe.js";
import type { BufferPolicy } from "./buffers.js";
import { checkPolicy } from "./buffers.js";
import { Channel } from "./channel.js";

/** Stops a host subscription. */
export type Unsubscribe = () => void;
/**
 * Subscribes to a host event source: calls `emit(item)` for each event, may call `end()` when
 * the source has no more events, and returns the function that unsubscribes.
 */
export type Subscribe<T> = (emit: (item: T) => void, end: () => void) => Unsubscribe;

/**
 * A channel fed by a host subscription (`eventChannel`). Closing it — `close()`, the source's
 * `end()`, or a `forEach` loop over it that is cancelled or fails — unsubscribes, exactly once.
 */
export class EventChannel<T> extends Channel<T> {
  /** @internal Null once it has run (or while the subscription is being set up). */
  private _unsubscribe: Unsubscribe | null = null;

  /** @internal Use `eventChannel(subscribe, policy)`. */
  constructor(policy: BufferPolicy) {
    super(policy);
  }

  /** @internal Subscribes; an event emitted synchronously during `subscribe` is buffered as any other. */
  _subscribe(subscribe: Subscribe<T>): this {
    const unsubscribe = subscribe(
      (item) => {
        this.offer(item);
      },
      () => this.close(),
    );
    if (typeof unsubscribe !== "function") {
      this.close();
      throw new TypeError(`eventChannel: subscribe must return the function that unsubscribes, got ${describeValue(unsubscribe)}`);
    }
    if (this._closed) unsubscribe(); // the source ended during subscribe
    else this._unsubscribe = unsubscribe;
    return this;
  }

  /** Closes the channel (see `Channel.close`) and unsubscribes from the source, once. */
  override close(): void {
    super.close();
    const unsubscribe = this._unsubscribe;
    if (unsubscribe === null) return;
    this._unsubscribe = null;
    unsubscribe();
  }
}

/**
 * A channel fed by a host event source, like redux-saga's `eventChannel`: `subscribe(emit, end)`
 * runs now; each `emit(item)` offers the item to the channel (a host callback cannot wait, so
 * the policy must be `dropping(n)`, `sliding(n)` or `expanding()`: say what happens to events
 * that arrive faster than they are taken); `end()` closes the channel. Closing it unsubscribes,
 * exactly once; so does a `forEach` loop over it that ends early (cancelled, or its body threw).
 * Events emitted after the close are ignored.
 *
 * @param subscribe starts the subscription and returns the function that stops it
 * @param policy what to do when events come faster than they are taken
 * @returns the channel
 * @throws TypeError when `subscribe` is not a function or does not return one, or for a
 *   `none`/`fixed` policy; whatever `subscribe` throws (the channel is then closed)
 * @example
 * const clicks = eventChannel<MouseEvent>((emit) => {
 *   button.addEventListener("click", emit);
 *   return () => button.removeEventListener("click", emit);
 * }, buffers.sliding(10));
 * yield* forEach(clicks, function* (event) { ... });
 */
export function eventChannel<T>(subscribe: Subscribe<T>, policy: BufferPolicy): EventChannel<T> {
  if (typeof subscribe !== "function") {
    throw new TypeError(`eventChannel: subscribe must be a function (emit, end) => unsubscribe, got ${describeValue(subscribe)}`);
  }
  const checked = checkPolicy("eventChannel", policy);
  if (checked.kind === "none" || checked.kind === "fixed") {
    throw new TypeError(
      `eventChannel: a host callback cannot wait, so a ${checked.kind} buffer cannot apply backpressure to it; ` +
        "choose what happens to events that come faster than they are taken: buffers.dropping(n), buffers.sliding(n) or buffers.expanding()",
    );
  }
  return new EventChannel<T>(checked)._subscribe(subscribe);
}
