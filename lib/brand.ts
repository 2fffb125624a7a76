/**
 * Genloop's brand: a registered symbol (`Symbol.for`), the same in every copy of genloop loaded
 * in a realm (an ESM and a CommonJS build, two bundles in one page, two versions). Effects,
 * futures and errors carry it on their prototypes with their class name, so that an object from
 * another copy is recognised: errors pass `instanceof` across copies (see `GenloopError`), and
 * an effect or future that this copy cannot run is refused with an error naming the real cause.
 */
export const BRAND: symbol | string =
  typeof Symbol === "function" && typeof Symbol.for === "function" ? Symbol.for("genloop.brand") : "@@genloop.brand";

/** Brands `proto` (a class's prototype) with `name`. */
export function brand(proto: object, name: string): void {
  Object.defineProperty(proto, BRAND, { value: name, configurable: true, writable: true });
}

/** The brand of `value` (the class name of a genloop object, from any copy), or undefined. */
export function brandOf(value: unknown): string | undefined {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return undefined;
  const name = (value as Record<string | symbol, unknown>)[BRAND as symbol];
  return typeof name === "string" ? name : undefined;
}

/** For an error message about `value`: why it comes from a second copy of genloop, or "". */
export function secondCopyHint(value: unknown): string {
  const name = brandOf(value);
  if (name === undefined) return "";
  return (
    ` (this ${name} comes from a second copy of genloop loaded in the same program, e.g. a bundle and the ` +
    "npm package, or two versions: each copy runs only its own effects and futures. Load one copy: " +
    "import genloop from one place, dedupe it (npm ls genloop), or mark it external in your bundler)"
  );
}
