import { describeValue } from "../describe.js";

/**
 * A user's extension of the journal codec, for values JSON cannot hold (class instances, `Map`,
 * your own error classes). `encode` is asked first for every object that is not a plain object
 * or array; it returns `{ type, data }` (data must itself be encodable) or `undefined` to leave
 * the value to the built-in rules. `decode(type, data)` turns it back. A journal is untrusted
 * input: `decode` is called only with the `type` strings your `encode` produces and should refuse
 * anything else by throwing.
 *
 * @example
 * ```ts fragment
 * const mapCodec: CodecHook = {
 *   encode: (v) => (v instanceof Map ? { type: "Map", data: [...v] } : undefined),
 *   decode: (type, data) => {
 *     if (type !== "Map") throw new Error(`unknown type ${type}`);
 *     return new Map(data as [unknown, unknown][]);
 *   },
 * };
 * ```
 */
export interface CodecHook {
  /** Encodes a value the built-in rules do not know as `{ type, data }`, or returns undefined to leave it to them. */
  encode(value: object): { type: string; data: unknown } | undefined;
  /** Turns `{ type, data }` back into the value. */
  decode(type: string, data: unknown): unknown;
}

/** A value that cannot be encoded (a function, a symbol, a class instance without a codec hook, a cycle). */
export class CodecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CodecError";
  }
}

/**
 * An error read back from a journal: it carries the recorded `name`, `message` and `stack`, its
 * `cause`, and the other own properties the original had (such as `code`), but it is never an
 * instance of the original class: decoding a journal constructs no class by name. Map your own
 * error classes with a `CodecHook` to get them back.
 */
export class RecordedError extends Error {
  /** @param name the recorded `name` (e.g. "TypeError"); `message` and `stack` likewise. */
  constructor(name: string, message: string, stack: string | undefined) {
    super(message);
    Object.defineProperty(this, "name", { value: name, writable: true, configurable: true, enumerable: false });
    Object.defineProperty(this, "stack", { value: stack ?? `${name}: ${message}`, writable: true, configurable: true, enumerable: false });
  }
}

/** Bounds on what decoding reads (a journal is untrusted input). */
export interface DecodeLimits {
  /** Deepest nesting of arrays/objects in one value (default 64). */
  maxDepth?: number;
}

const TAG = "$";
const errorKeys = new Set(["name", "message", "stack", "cause"]);

/**
 * Encodes one value to JSON-compatible data, losslessly for: JSON's own values, `undefined`,
 * `NaN`, `±Infinity`, `-0`, `bigint`, `Date`, errors (name, message, stack, cause, own
 * properties) and whatever the user's hook maps. Objects with a `"$"` key are escaped.
 *
 * @throws CodecError naming the path of a value it cannot encode.
 */
export function encodeValue(value: unknown, hook?: CodecHook): unknown {
  return encodeAt(value, hook, "value", []);
}

function encodeAt(value: unknown, hook: CodecHook | undefined, path: string, stack: object[]): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      if (value !== value) return { [TAG]: "number", v: "NaN" };
      if (value === Infinity || value === -Infinity) return { [TAG]: "number", v: String(value) };
      if (value === 0 && 1 / value < 0) return { [TAG]: "number", v: "-0" };
      return value;
    case "undefined":
      return { [TAG]: "undefined" };
    case "bigint":
      return { [TAG]: "bigint", v: value.toString() };
    case "object":
      break;
    default:
      throw new CodecError(`${path}: cannot encode ${describeValue(value)} (${typeof value}) in a journal; return data, or give a codec hook`);
  }
  if (value === null) return null;
  if (stack.indexOf(value) !== -1) throw new CodecError(`${path}: cannot encode a cycle (the value contains itself)`);
  stack.push(value);
  try {
    return encodeObject(value, hook, path, stack);
  } finally {
    stack.pop();
  }
}

function encodeObject(value: object, hook: CodecHook | undefined, path: string, stack: object[]): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) out.push(encodeAt(value[i], hook, `${path}[${i}]`, stack));
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  const plain = proto === Object.prototype || proto === null;
  if (!plain && hook !== undefined) {
    const mapped = hook.encode(value);
    if (mapped !== undefined) {
      if (mapped === null || typeof mapped !== "object" || typeof mapped.type !== "string") {
        throw new CodecError(`${path}: the codec hook's encode must return { type: string, data } or undefined, got ${describeValue(mapped)}`);
      }
      return { [TAG]: "custom", type: mapped.type, v: encodeAt(mapped.data, hook, `${path}<${mapped.type}>`, stack) };
    }
  }
  if (value instanceof Error) return encodeError(value, hook, path, stack);
  if (value instanceof Date) {
    const time = value.getTime();
    return { [TAG]: "date", v: time === time ? value.toISOString() : null };
  }
  if (!plain) {
    const what = (proto && typeof proto.constructor === "function" && proto.constructor.name) || "object";
    throw new CodecError(`${path}: cannot encode an instance of ${what} in a journal; convert it to plain data, or give a codec hook (durable option codec)`);
  }
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    fields[key] = encodeAt((value as Record<string, unknown>)[key], hook, `${path}.${key}`, stack);
  }
  return Object.prototype.hasOwnProperty.call(value, TAG) ? { [TAG]: "object", v: fields } : fields;
}

function encodeError(error: Error, hook: CodecHook | undefined, path: string, stack: object[]): unknown {
  const out: Record<string, unknown> = { [TAG]: "error", name: String(error.name), message: String(error.message) };
  if (typeof error.stack === "string") out.stack = error.stack;
  if ("cause" in error) out.cause = encodeAt((error as { cause?: unknown }).cause, hook, `${path}.cause`, stack);
  const props: Record<string, unknown> = {};
  let any = false;
  for (const key of Object.keys(error)) {
    if (errorKeys.has(key)) continue;
    props[key] = encodeAt((error as unknown as Record<string, unknown>)[key], hook, `${path}.${key}`, stack);
    any = true;
  }
  if (any) out.props = props;
  return out;
}

/**
 * Decodes what `encodeValue` produced, treating it as untrusted: it evaluates nothing, constructs
 * no class by name (errors come back as `RecordedError`), refuses `__proto__` keys (so nothing
 * ever writes an object's prototype) and bounds the nesting depth.
 *
 * @throws CodecError naming the path of anything malformed.
 */
export function decodeValue(data: unknown, hook?: CodecHook, limits: DecodeLimits = {}): unknown {
  return decodeAt(data, hook, "value", limits.maxDepth ?? 64);
}

function decodeAt(data: unknown, hook: CodecHook | undefined, path: string, depth: number): unknown {
  if (data === null || typeof data !== "object") {
    if (typeof data === "number" || typeof data === "string" || typeof data === "boolean" || data === null) return data;
    throw new CodecError(`${path}: ${typeof data} is not journal data`);
  }
  if (depth <= 0) throw new CodecError(`${path}: nested too deeply`);
  if (Array.isArray(data)) {
    const out: unknown[] = [];
    for (let i = 0; i < data.length; i++) out.push(decodeAt(data[i], hook, `${path}[${i}]`, depth - 1));
    return out;
  }
  const fields = data as Record<string, unknown>;
  if (!Object.prototype.hasOwnProperty.call(fields, TAG)) return decodeFields(fields, hook, path, depth);
  const tag = fields[TAG];
  switch (tag) {
    case "undefined":
      return undefined;
    case "number":
      if (fields.v === "NaN") return NaN;
      if (fields.v === "Infinity") return Infinity;
      if (fields.v === "-Infinity") return -Infinity;
      if (fields.v === "-0") return -0;
      break;
    case "bigint":
      if (typeof fields.v === "string" && /^-?\d{1,4096}$/.test(fields.v)) return BigInt(fields.v);
      break;
    case "date":
      if (fields.v === null) return new Date(NaN);
      if (typeof fields.v === "string" && fields.v.length <= 40) return new Date(fields.v);
      break;
    case "object":
      if (fields.v !== null && typeof fields.v === "object" && !Array.isArray(fields.v)) {
        return decodeFields(fields.v as Record<string, unknown>, hook, `${path}.v`, depth - 1);
      }
      break;
    case "error":
      return decodeError(fields, hook, path, depth);
    case "custom":
      if (typeof fields.type === "string" && "v" in fields) {
        if (hook === undefined) {
          throw new CodecError(`${path}: a value of custom type "${fields.type.slice(0, 100)}" needs the codec hook it was recorded with (durable option codec)`);
        }
        return hook.decode(fields.type, decodeAt(fields.v, hook, `${path}.v`, depth - 1));
      }
      break;
  }
  throw new CodecError(`${path}: malformed tagged value ${truncate(JSON.stringify(data))}`);
}

function decodeFields(fields: Record<string, unknown>, hook: CodecHook | undefined, path: string, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(fields)) {
    if (key === "__proto__") throw new CodecError(`${path}: the key "__proto__" is refused (it would set the object's prototype)`);
    out[key] = decodeAt(fields[key], hook, `${path}.${key}`, depth - 1);
  }
  return out;
}

function decodeError(fields: Record<string, unknown>, hook: CodecHook | undefined, path: string, depth: number): RecordedError {
  const { name, message, stack } = fields;
  if (typeof name !== "string" || typeof message !== "string" || (stack !== undefined && typeof stack !== "string")) {
    throw new CodecError(`${path}: a recorded error needs string name and message (and stack), got ${truncate(JSON.stringify(fields))}`);
  }
  const error = new RecordedError(name, message, stack);
  if ("cause" in fields) {
    Object.defineProperty(error, "cause", { value: decodeAt(fields.cause, hook, `${path}.cause`, depth - 1), writable: true, configurable: true, enumerable: false });
  }
  const props = fields.props;
  if (props !== undefined) {
    if (props === null || typeof props !== "object" || Array.isArray(props)) throw new CodecError(`${path}.props: expected an object`);
    const decoded = decodeFields(props as Record<string, unknown>, hook, `${path}.props`, depth - 1);
    for (const key of Object.keys(decoded)) {
      if (errorKeys.has(key)) continue;
      Object.defineProperty(error, key, { value: decoded[key], writable: true, configurable: true, enumerable: true });
    }
  }
  return error;
}

/** At most 200 characters of `text`, for messages about untrusted input. */
export function truncate(text: string): string {
  return text.length <= 200 ? text : `${text.slice(0, 200)}…`;
}
