import { brandOf } from "./brand.js";

/** Short, safe descriptions of arbitrary values for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "undefined":
      return "undefined";
    case "string":
      return JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value);
    case "number":
    case "boolean":
    case "bigint":
      return `${String(value)} (a ${typeof value})`;
    case "symbol":
      return value.toString();
    case "function":
      return `function ${(value as { name?: string }).name || "(anonymous)"}`;
  }
  if (Array.isArray(value)) return `an array of ${value.length}`;
  const ctor = (value as { constructor?: { name?: string } }).constructor;
  const name = ctor && typeof ctor.name === "string" && ctor.name !== "Object" ? ctor.name : "";
  if (name) return `a ${name}`;
  let keys = "";
  try {
    keys = Object.keys(value as object).slice(0, 4).join(", ");
  } catch {
    /* exotic object: leave the keys out */
  }
  return keys ? `an object { ${keys} }` : "an object";
}

export function isThenable(value: unknown): boolean {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

/**
 * %GeneratorPrototype%, which every native generator object inherits from; null in an ES5
 * build, where generators are compiled to plain objects with their own next/throw/return.
 */
export const generatorPrototype: Generator | null = (() => {
  const proto = Object.getPrototypeOf(Object.getPrototypeOf((function* () {})()));
  return proto !== null && proto !== Object.prototype && typeof proto.next === "function" ? proto : null;
})();

/** A generator object (what calling a `function*` returns), as opposed to a generator function. */
export function isGenerator(value: unknown): value is Generator {
  if (value === null || typeof value !== "object") return false;
  // Fast path: generators made by different closures have different hidden classes, so the
  // duck-typed property reads below are megamorphic (~10x slower); the prototype test is not.
  if (generatorPrototype !== null && generatorPrototype.isPrototypeOf(value)) return true;
  // A sleep descriptor has next/throw/return too (it is its own iterator): genloop's effects
  // and futures, of any copy of genloop, are never coroutines.
  return (
    typeof (value as Generator).next === "function" &&
    typeof (value as Generator).throw === "function" &&
    typeof (value as Generator).return === "function" &&
    brandOf(value) === undefined
  );
}

export function isGeneratorFunction(value: unknown): boolean {
  return typeof value === "function" && (value as { constructor?: { name?: string } }).constructor?.name === "GeneratorFunction";
}

/**
 * An options bag: an object literal or `Object.create(null)`. Not null, an array, a promise, a
 * Map or another class's instance, which are mistakes when options are expected.
 */
export function isOptionsBag(value: unknown): value is object {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
