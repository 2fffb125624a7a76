import { describeValue, isOptionsBag } from "../describe.js";

/**
 * Checks a duration or deadline in milliseconds that may be `null`/`undefined` (no limit):
 * `TypeError` for a non-number, `RangeError` for NaN. Returns it with `undefined` as `null`.
 */
export function checkOptionalMs(where: string, what: string, value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "number") {
    throw new TypeError(`${where}: ${what} must be a number of milliseconds or null (no limit), got ${describeValue(value)}`);
  }
  if (value !== value) throw new RangeError(`${where}: ${what} is NaN; pass a number of milliseconds or null (no limit)`);
  return value;
}

/** Checks that `options` is undefined or a plain object holding only the `allowed` keys. */
export function checkOptions(where: string, options: unknown, allowed: readonly string[]): void {
  if (options === undefined) return;
  if (!isOptionsBag(options)) {
    throw new TypeError(`${where}: options must be an object like { ${allowed.join(", ")} }, got ${describeValue(options)}`);
  }
  const unknown = Object.keys(options).filter((k) => allowed.indexOf(k) < 0);
  if (unknown.length > 0) {
    throw new TypeError(`${where}: unknown option(s) ${unknown.join(", ")}; the options are { ${allowed.join(", ")} }`);
  }
}
