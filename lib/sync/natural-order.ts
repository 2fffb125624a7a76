import { describeValue } from "../describe.js";

/**
 * `PriorityQueue`'s default comparator: numbers, bigints and strings in their natural
 * order, and arrays compared element by element like Python tuples (`[priority, data]`).
 * Values that have no natural order between them throw `TypeError`, as Python's `<` does.
 */
export function naturalOrder(a: unknown, b: unknown): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const c = naturalOrder(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  const ta = typeof a;
  const tb = typeof b;
  const comparable =
    (ta === tb && (ta === "number" || ta === "string" || ta === "bigint" || ta === "boolean")) ||
    ((ta === "number" || ta === "bigint") && (tb === "number" || tb === "bigint"));
  if (!comparable) {
    throw new TypeError(
      `PriorityQueue: cannot order ${describeValue(a)} and ${describeValue(b)}; ` +
        "pass a comparator: new PriorityQueue(maxsize, (a, b) => a.priority - b.priority)",
    );
  }
  if ((ta === "number" && a !== a) || (tb === "number" && b !== b)) {
    throw new TypeError("PriorityQueue: NaN has no order; pass a comparator that handles it");
  }
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}
