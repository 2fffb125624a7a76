import { describeValue } from "../describe.js";
import { isWholeNumber } from "../sync/whole-number.js";

/**
 * What a channel does with an item when it holds `size` items already:
 * - `none` (size 0, a rendezvous): `put` waits until a taker takes the item;
 * - `fixed`: `put` waits for room (backpressure);
 * - `dropping`: the new item is dropped (`put` returns false);
 * - `sliding`: the oldest item is dropped to make room;
 * - `expanding`: never full (memory grows with the backlog).
 */
export type BufferKind = "none" | "fixed" | "dropping" | "sliding" | "expanding";

/** A channel's buffer policy, made by one of the `buffers` functions. */
export interface BufferPolicy {
  /** Which policy: `none`, `fixed`, `dropping`, `sliding` or `expanding`. */
  readonly kind: BufferKind;
  /** How many items the channel holds (0 for `none`, Infinity for `expanding`). */
  readonly size: number;
}

function policy(kind: BufferKind, size: number): BufferPolicy {
  return Object.freeze({ kind, size });
}

function checkSize(kind: BufferKind, size: unknown): number {
  if (typeof size !== "number" || !isWholeNumber(size) || size < 1) {
    throw new RangeError(`buffers.${kind}(size): size must be a whole number >= 1, got ${describeValue(size)}`);
  }
  return size;
}

/** The buffer policies a channel can have; each says what happens when the buffer is full. */
export const buffers = Object.freeze({
  /** No buffer (a rendezvous): each `put` waits until a taker has the item. */
  none(): BufferPolicy {
    return policy("none", 0);
  },
  /**
   * Holds up to `size` items; `put` on a full channel waits for room (backpressure).
   * @throws RangeError unless `size` is a whole number >= 1
   */
  fixed(size: number): BufferPolicy {
    return policy("fixed", checkSize("fixed", size));
  },
  /**
   * Holds up to `size` items; a put on a full channel drops the new item and returns false.
   * @throws RangeError unless `size` is a whole number >= 1
   */
  dropping(size: number): BufferPolicy {
    return policy("dropping", checkSize("dropping", size));
  },
  /**
   * Holds the latest `size` items; a put on a full channel drops the oldest item.
   * @throws RangeError unless `size` is a whole number >= 1
   */
  sliding(size: number): BufferPolicy {
    return policy("sliding", checkSize("sliding", size));
  },
  /** Holds any number of items: `put` never waits and never drops (memory grows instead). */
  expanding(): BufferPolicy {
    return policy("expanding", Infinity);
  },
});

/** Checks a buffer policy argument. */
export function checkPolicy(where: string, value: unknown): BufferPolicy {
  const p = value as BufferPolicy | null;
  const known = ["none", "fixed", "dropping", "sliding", "expanding"];
  if (p === null || typeof p !== "object" || known.indexOf(p.kind) < 0 || typeof p.size !== "number") {
    throw new TypeError(
      `${where}: a buffer policy was expected (buffers.none(), buffers.fixed(n), buffers.dropping(n), buffers.sliding(n) or buffers.expanding()), got ${describeValue(value)}`,
    );
  }
  return p;
}
