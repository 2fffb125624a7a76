import type { Effect } from "../effect.js";
import { CoroutineEffect } from "../sync/coroutine-effect.js";
import type { Coroutine } from "../types.js";
import { checkPolicy, type BufferPolicy } from "./buffers.js";
import { Channel } from "./channel.js";

/**
 * One publisher, many subscribers: every subscriber's channel gets every item published
 * after it subscribed, in publishing order. Each subscriber chooses its own buffer policy;
 * `publish` waits for room in each one in turn, so the slowest `fixed` subscriber sets the pace.
 *
 * Invariant: `subscribers` holds the open channels; a channel closed by its subscriber is
 * dropped at the next publish (that is how a subscriber unsubscribes).
 */
export class Broadcast<T> {
  private subscribers: Channel<T>[] = [];
  private closedFlag = false;

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.closedFlag;
  }

  /** How many subscribers are open. */
  get subscriberCount(): number {
    let n = 0;
    for (const ch of this.subscribers) if (!ch.closed) n++;
    return n;
  }

  /**
   * A new subscriber: a channel with `policy` that gets every item published from now on.
   * Close the channel to unsubscribe. After `close()`, the channel is closed already.
   * @throws TypeError when `policy` is not one of `buffers`' policies
   */
  subscribe(policy: BufferPolicy): Channel<T> {
    const ch = new Channel<T>(checkPolicy("Broadcast.subscribe", policy));
    if (this.closedFlag) ch.close();
    else this.subscribers.push(ch);
    return ch;
  }

  /**
   * Publishes `item` to every open subscriber: `yield* b.publish(x)`; returns how many
   * subscribers got it (a full `dropping` buffer drops it). Waits for room in `fixed` ones.
   * A subscriber closed meanwhile is skipped.
   */
  publish(item: T): Effect<number> {
    return new BroadcastPublish<T>("broadcast.publish", this, [item]);
  }

  /** Closes every subscriber's channel (each drains what it has, then ends); later publishes deliver nothing. */
  close(): void {
    this.closedFlag = true;
    const subscribers = this.subscribers;
    this.subscribers = [];
    for (const ch of subscribers) ch.close();
  }

  /** @internal The coroutine of `publish`. */
  *_publish(item: T): Coroutine<number> {
    this.subscribers = this.subscribers.filter((ch) => !ch.closed);
    const targets = this.subscribers.slice();
    let delivered = 0;
    for (const ch of targets) {
      if (ch.closed) continue;
      if (yield* ch._put(item)) delivered++;
    }
    return delivered;
  }
}

class BroadcastPublish<T> extends CoroutineEffect<number, Broadcast<T>> {
  _body(): Coroutine<number> {
    return this.target._publish(this.args[0] as T);
  }
}
