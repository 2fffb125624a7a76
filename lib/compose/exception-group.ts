import { describeValue, isOptionsBag } from "../describe.js";
import { ExceptionGroup } from "../errors.js";

/** An error class to match (`instanceof`), as `except* ValueError` names one. */
export type ErrorClass = abstract new (...args: any[]) => unknown;
/** What `splitExceptionGroup` matches: a class, several classes, or a predicate. */
export type ErrorMatcher = ErrorClass | readonly ErrorClass[] | ((error: unknown) => boolean);

/** How many sub-errors a group message lists before it says "and N more". */
const LISTED = 10;

/** A group made here remembers the message it was given, before the list of its errors. */
interface ListedGroup extends ExceptionGroup {
  readonly _baseMessage?: string;
}

/** "Name: message" for an error, a short description for anything else thrown. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    // A subclass that does not set `name` still shows its class, as Python would.
    const ctor = (error as { constructor?: { name?: string } }).constructor;
    const name = error.name === "Error" && ctor && ctor.name ? ctor.name : error.name;
    return error.message ? `${name}: ${error.message}` : name;
  }
  return `${describeValue(error)} (thrown as is)`;
}

/**
 * An `ExceptionGroup` whose message lists what it holds, e.g. `unhandled errors in a
 * TaskGroup (2 sub-exceptions): TypeError: bad input; RangeError: out of range`.
 */
export function makeExceptionGroup(message: string, errors: readonly unknown[], options?: { cause?: unknown }): ExceptionGroup {
  if (typeof message !== "string") {
    throw new TypeError(`makeExceptionGroup: the message must be a string, got ${describeValue(message)}`);
  }
  if (!Array.isArray(errors) || errors.length === 0) {
    throw new TypeError(`makeExceptionGroup: the errors must be a non-empty array, got ${describeValue(errors)}`);
  }
  if (options !== undefined && !isOptionsBag(options)) {
    throw new TypeError(`makeExceptionGroup: options must be an object like { cause }, got ${describeValue(options)}`);
  }
  const n = errors.length;
  let list = errors.slice(0, LISTED).map(describeError).join("; ");
  if (n > LISTED) list += `; … and ${n - LISTED} more`;
  const group = new ExceptionGroup(`${message} (${n} sub-exception${n === 1 ? "" : "s"}): ${list}`, errors, options);
  Object.defineProperty(group, "_baseMessage", { value: message, enumerable: false });
  return group;
}

function isErrorClass(value: unknown): value is ErrorClass {
  if (typeof value !== "function") return false;
  const proto = (value as { prototype?: unknown }).prototype;
  return value === Error || proto instanceof Error || /^class\b/.test(Function.prototype.toString.call(value));
}

function toPredicate(match: ErrorMatcher): (error: unknown) => boolean {
  if (Array.isArray(match)) {
    const classes = match as readonly unknown[];
    classes.forEach((c, i) => {
      if (!isErrorClass(c)) {
        throw new TypeError(`splitExceptionGroup: item ${i + 1} of the class list is ${describeValue(c)}, not an error class`);
      }
    });
    return (error) => (classes as ErrorClass[]).some((c) => error instanceof c);
  }
  if (isErrorClass(match)) return (error) => error instanceof match;
  if (typeof match === "function") return match as (error: unknown) => boolean;
  throw new TypeError(
    `splitExceptionGroup: the second argument must be an error class, an array of classes or a predicate, got ${describeValue(match)}`,
  );
}

/**
 * Splits a group the way Python's `eg.split(cls)` (and `except*`) does: returns `[matching,
 * rest]`, two groups with the same message and `cause` as `group` (or null when empty).
 * Nested groups are split recursively and keep their nesting; a group that matches as a
 * whole is returned whole.
 *
 * ```ts
 * const [timeouts, others] = splitExceptionGroup(eg, TimeoutError);
 * if (others) throw others;
 * ```
 */
export function splitExceptionGroup(
  group: ExceptionGroup,
  match: ErrorMatcher,
): [matching: ExceptionGroup | null, rest: ExceptionGroup | null] {
  if (!(group instanceof ExceptionGroup)) {
    throw new TypeError(`splitExceptionGroup: the first argument must be an ExceptionGroup, got ${describeValue(group)}`);
  }
  return split(group, toPredicate(match));
}

function split(group: ExceptionGroup, matches: (error: unknown) => boolean): [ExceptionGroup | null, ExceptionGroup | null] {
  if (matches(group)) return [group, null];
  const matching: unknown[] = [];
  const rest: unknown[] = [];
  for (const error of group.exceptions) {
    if (error instanceof ExceptionGroup) {
      const [m, r] = split(error, matches);
      if (m !== null) matching.push(m);
      if (r !== null) rest.push(r);
    } else {
      (matches(error) ? matching : rest).push(error);
    }
  }
  return [derive(group, matching), derive(group, rest)];
}

/** A new group like `group` (same message and cause) holding `errors`, or null for none. */
function derive(group: ExceptionGroup, errors: unknown[]): ExceptionGroup | null {
  if (errors.length === 0) return null;
  const cause = (group as { cause?: unknown }).cause;
  return makeExceptionGroup((group as ListedGroup)._baseMessage ?? group.message, errors, "cause" in group ? { cause } : undefined);
}
