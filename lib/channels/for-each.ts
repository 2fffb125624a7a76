import { describeValue, isGenerator } from "../describe.js";
import type { Coroutine } from "../types.js";
import { Channel } from "./channel.js";
import { EventChannel } from "./event-channel.js";

/**
 * Consumes a channel in a loop: runs `body(item)` for each item, in order, until the channel
 * is closed and empty, then returns how many items it handled. `body` may be a plain function
 * or a generator function (its coroutine runs inline, so it may wait). When the loop ends
 * early — the task is cancelled, or `body` throws — an `EventChannel` is closed (its host
 * subscription stops); any other channel is left open for other consumers.
 *
 * @param channel the channel to consume
 * @param body what to do with each item
 * @returns a coroutine: `const n = yield* forEach(ch, function* (item) { ... })`
 * @throws TypeError when `channel` is not a Channel or `body` is not a function
 * @example
 * const ch = new Channel<number>(buffers.fixed(16));
 * // in a consumer task:
 * yield* forEach(ch, function* (n) {
 *   yield* sleep(1);
 *   console.log(n);
 * });
 */
export function forEach<T>(channel: Channel<T>, body: (item: T) => Coroutine<unknown> | void): Coroutine<number> {
  if (!(channel instanceof Channel)) {
    throw new TypeError(`forEach: a Channel was expected, got ${describeValue(channel)}`);
  }
  if (typeof body !== "function") {
    throw new TypeError(`forEach: body must be a function (item) => void or a generator function, got ${describeValue(body)}`);
  }
  return consume(channel, body);
}

function* consume<T>(channel: Channel<T>, body: (item: T) => Coroutine<unknown> | void): Coroutine<number> {
  let count = 0;
  let finished = false;
  try {
    for (let r = yield* channel._next(); !r.done; r = yield* channel._next()) {
      const step = body(r.value);
      if (isGenerator(step)) yield step;
      count++;
    }
    finished = true;
  } finally {
    if (!finished && channel instanceof EventChannel) channel.close();
  }
  return count;
}
