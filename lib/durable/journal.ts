import { truncate } from "./codec.js";

/**
 * The journal format, version 1: one JSON object per line (see docs/durable.md, "Journal format").
 *
 *   {"journal":"genloop","version":1,"run":"<run id>"}                                  header, line 1
 *   {"t":"done","task":"1.2","i":0,"kind":"app.fetch","fp":"…","ok":true,"v":<value>}  an outcome
 *   {"t":"done",…,"at":12}            … that arrived after its setup returned, during iteration 12
 *   {"t":"done",…,"at":12,"time":250} … or between iterations: after iteration 12, at loop time 250
 *   {"t":"cancelled","task":"1","i":3,"kind":"callback","fp":"","at":40}  cancelled before any outcome
 *   {"t":"coroutine","task":"1","i":5,"kind":"app.job","fp":"…"}  a handler returned a coroutine: its
 *                                     result comes from the loop, its own host effects are journaled
 *   {"t":"patch","task":"1","i":4,"id":"fix-retry"}                       a `patched(id)` marker
 *   {"t":"clock","r":[12.5,13.1]}                                         real-clock readings, in order
 *
 * `task` is the task's stable id (its place in the tree of task creations: "1" is the first task
 * created on the loop, "1.2" the second child of "1"; "-" for effects started outside tasks) and
 * `i` the index of the host effect within that task: together, the effect's position.
 */
export const JOURNAL_VERSION = 1;

/** A journal's first line: what it is, its format version and the run's id. */
export interface JournalHeader {
  /** Always `"genloop"`. */
  journal: "genloop";
  /** The format version (`JOURNAL_VERSION`). */
  version: number;
  /** The run's id. */
  run: string;
}

interface Positioned {
  /** The task's stable id. */
  task: string;
  /** Which host effect of the task (0 for its first). */
  i: number;
}

/** The effect a position held: its kind and a fingerprint of its payload. */
interface Described extends Positioned {
  /** The effect's kind. */
  kind: string;
  /** A fingerprint of the effect's payload. */
  fp: string;
}

/** A host effect's outcome: its value or its error. */
export interface OutcomeEntry extends Described {
  /** Always `"done"`. */
  t: "done";
  /** True for a value, false for an error. */
  ok: boolean;
  /** The encoded value (ok) or error (not ok). */
  v: unknown;
  /** The iteration (counting from 1) during or after which it arrived; absent when it arrived while its setup ran. */
  at?: number;
  /** The loop time when it arrived between iterations (absent when it arrived during one). */
  time?: number;
}

/** A user-defined effect whose handler returned a coroutine: replay runs the handler again. */
export interface CoroutineEntry extends Described {
  t: "coroutine";
}

/** A host effect cancelled before its outcome arrived. */
export interface CancelledEntry extends Described {
  /** Always `"cancelled"`. */
  t: "cancelled";
  /** The iteration (counting from 1) in which it was cancelled. */
  at: number;
}

/** A `patched(id)` check that returned true: the run took the new code path. */
export interface PatchEntry extends Positioned {
  /** Always `"patch"`. */
  t: "patch";
  /** The id given to `patched`. */
  id: string;
}

/** Real-clock readings, in order. */
export interface ClockEntry {
  /** Always `"clock"`. */
  t: "clock";
  /** The readings, in ms. */
  r: number[];
}

/** One line of a journal after its header. */
export type JournalEntry = OutcomeEntry | CancelledEntry | CoroutineEntry | PatchEntry | ClockEntry;
/** An entry as read back, with the line it came from (1-based), for error messages. */
export type ReadEntry = JournalEntry & { line: number };

/** Bounds on what reading a journal accepts (a journal is untrusted input). */
export interface JournalLimits {
  /** Longest line, in UTF-16 code units (default 1 MiB). */
  maxLineLength?: number;
  /** Most entries (default 1 000 000). */
  maxEntries?: number;
  /** Deepest nesting of a recorded value (default 64). */
  maxDepth?: number;
}

/** A journal that cannot be read: truncated in the middle, corrupted, hostile, or over a limit. */
export class JournalError extends Error {
  /**
   * @param line the 1-based line number at fault (0 when it is the journal as a whole).
   */
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(line > 0 ? `journal line ${line}: ${message}` : `journal: ${message}`);
    this.name = "JournalError";
  }
}

/** The key of a position in maps: "task:i". */
export function positionKey(task: string, i: number): string {
  return `${task}:${i}`;
}

/** One line of the journal for `value` (a header or an entry), without its newline. */
export function formatLine(value: JournalHeader | JournalEntry): string {
  return JSON.stringify(value);
}

/** A parsed journal: its header (null when empty) and its entries, in order. */
export interface ParsedJournal {
  /** The header, or null for an empty journal. */
  header: JournalHeader | null;
  /** The entries, in order. */
  entries: ReadEntry[];
}

/**
 * Parses journal lines (as a store returns them) and checks every field: nothing is evaluated,
 * values stay encoded (they are decoded when replayed), and any fault is a `JournalError` naming
 * its line. Two entries for one position are refused.
 *
 * @throws JournalError
 */
export function parseJournal(lines: readonly string[], limits: JournalLimits = {}): ParsedJournal {
  const maxLine = limits.maxLineLength ?? 1 << 20;
  const maxEntries = limits.maxEntries ?? 1_000_000;
  if (lines.length === 0) return { header: null, entries: [] };
  if (lines.length - 1 > maxEntries) throw new JournalError(`more than ${maxEntries} entries (limit maxEntries)`, 0);
  const header = parseHeader(parseLine(lines[0], 1, maxLine));
  const entries: ReadEntry[] = [];
  const seen = new Set<string>();
  for (let n = 1; n < lines.length; n++) {
    const entry = parseEntry(parseLine(lines[n], n + 1, maxLine), n + 1);
    if (entry.t !== "clock") {
      const key = positionKey(entry.task, entry.i);
      if (seen.has(key)) throw new JournalError(`a second entry for the position ${key}`, n + 1);
      seen.add(key);
    }
    entries.push(entry);
  }
  return { header, entries };
}

function parseLine(text: string, line: number, maxLine: number): Record<string, unknown> {
  if (typeof text !== "string") throw new JournalError("not text", line);
  if (text.length > maxLine) throw new JournalError(`longer than ${maxLine} characters (limit maxLineLength)`, line);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new JournalError(`not JSON (${error instanceof Error ? error.message : String(error)}): ${truncate(text)}`, line);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new JournalError(`expected an object, got ${truncate(text)}`, line);
  }
  return value as Record<string, unknown>;
}

function parseHeader(fields: Record<string, unknown>): JournalHeader {
  if (fields.journal !== "genloop") throw new JournalError('not a genloop journal (line 1 must be its header {"journal":"genloop",…})', 1);
  if (fields.version !== JOURNAL_VERSION) {
    throw new JournalError(`journal format version ${shown(fields.version)}; this genloop reads version ${JOURNAL_VERSION}`, 1);
  }
  if (!isShortString(fields.run) || fields.run === "") throw new JournalError("the header's run id must be a non-empty string of at most 200 characters", 1);
  return { journal: "genloop", version: JOURNAL_VERSION, run: fields.run };
}

function parseEntry(fields: Record<string, unknown>, line: number): ReadEntry {
  const fail = (what: string): never => {
    throw new JournalError(`${what} in ${shown(fields)}`, line);
  };
  switch (fields.t) {
    case "clock": {
      const r = fields.r;
      if (!Array.isArray(r) || r.some((x) => typeof x !== "number" || !isFinite(x))) fail("clock readings must be an array of finite numbers");
      return { t: "clock", r: (r as number[]).slice(), line };
    }
    case "patch":
      if (!isShortString(fields.id)) fail("a patch id must be a string of at most 200 characters");
      return { t: "patch", ...position(fields, fail), id: fields.id as string, line };
    case "done": {
      if (typeof fields.ok !== "boolean") fail('"ok" must be true or false');
      if (!("v" in fields)) fail('an outcome needs its value "v"');
      const entry: ReadEntry = { t: "done", ...described(fields, fail), ok: fields.ok as boolean, v: fields.v, line };
      if (fields.at !== undefined) entry.at = iteration(fields.at, fail);
      if (fields.time !== undefined) {
        if (typeof fields.time !== "number" || !isFinite(fields.time) || entry.at === undefined) fail('"time" must be a finite number, given with "at"');
        entry.time = fields.time as number;
      }
      return entry;
    }
    case "coroutine":
      return { t: "coroutine", ...described(fields, fail), line };
    case "cancelled":
      return { t: "cancelled", ...described(fields, fail), at: iteration(fields.at, fail), line };
    default:
      return fail('unknown entry type "t"');
  }
}

function position(fields: Record<string, unknown>, fail: (what: string) => never): Positioned {
  if (!isShortString(fields.task) || !/^[-.0-9a-z]+$/.test(fields.task)) fail("the task id is malformed");
  const i = fields.i;
  if (typeof i !== "number" || !(i >= 0) || i % 1 !== 0 || i > 2 ** 40) fail("the effect index must be a whole number");
  return { task: fields.task as string, i: i as number };
}

function described(fields: Record<string, unknown>, fail: (what: string) => never): Described {
  const where = position(fields, fail);
  if (!isShortString(fields.kind) || fields.kind === "") fail("the effect kind must be a non-empty string of at most 200 characters");
  if (typeof fields.fp !== "string" || fields.fp.length > 10_000) fail("the effect fingerprint must be a string of at most 10000 characters");
  return { ...where, kind: fields.kind as string, fp: fields.fp as string };
}

function iteration(at: unknown, fail: (what: string) => never): number {
  if (typeof at !== "number" || !(at >= 0) || at % 1 !== 0 || at > 2 ** 52) fail('"at" must be a whole number of iterations');
  return at as number;
}

/** A short rendering of a value read from a journal, for messages. */
function shown(value: unknown): string {
  return truncate(JSON.stringify(value) ?? String(value));
}

function isShortString(value: unknown): value is string {
  return typeof value === "string" && value.length <= 200;
}
