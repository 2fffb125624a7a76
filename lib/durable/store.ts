import { describeValue } from "../describe.js";

/**
 * Where a journal lives: an append-only sequence of text lines (each one JSON object, see
 * journal.ts). A durable run reads the whole journal once when it opens, then appends.
 *
 * Contract: `append` returns only once the line is stored durably (for a file: written and
 * fsync'd), because the task waiting on that outcome resumes right after; it throws if it
 * cannot (the run then stops: nothing resumes on an outcome that was not stored). `read`
 * returns the complete lines in order; a store that can be torn by a crash (a file) drops an
 * incomplete last line there (see `FileStore`).
 */
export interface JournalStore {
  /** The lines stored so far, without their line breaks. */
  read(): string[];
  /** Stores one more line (without a line break) durably before returning. */
  append(line: string): void;
}

/** @internal Validates a `store` option. */
export function checkStore(where: string, store: unknown): JournalStore {
  const s = store as JournalStore | null;
  if (s === null || typeof s !== "object" || typeof s.read !== "function" || typeof s.append !== "function") {
    throw new TypeError(`${where}: store must be a JournalStore (read() and append(line)), such as new MemoryStore() or new FileStore(path), got ${describeValue(store)}`);
  }
  return s;
}

/**
 * A journal kept in memory: for tests, for saving a run's state as text (`toString()`, e.g. a
 * game's save file) and for restoring it in another process or engine (`MemoryStore.from(text)`).
 *
 * @example
 * ```ts fragment
 * const saved = new MemoryStore();
 * // … a durable run records into `saved` …
 * const text = saved.toString();          // write it anywhere
 * const restored = MemoryStore.from(text); // replay from it later
 * ```
 */
export class MemoryStore implements JournalStore {
  private readonly lines: string[] = [];

  /**
   * A store holding the journal `text` (lines separated by "\n", as `toString()` writes them).
   * @throws TypeError if `text` is not a string.
   */
  static from(text: string): MemoryStore {
    if (typeof text !== "string") throw new TypeError(`MemoryStore.from: expected the journal's text, got ${describeValue(text)}`);
    const store = new MemoryStore();
    for (const line of text.split("\n")) if (line !== "") store.lines.push(line);
    return store;
  }

  read(): string[] {
    return this.lines.slice();
  }

  append(line: string): void {
    if (typeof line !== "string" || line.indexOf("\n") !== -1) {
      throw new TypeError(`MemoryStore.append: expected one line of text, got ${describeValue(line)}`);
    }
    this.lines.push(line);
  }

  /** How many lines it holds (the header included). */
  get length(): number {
    return this.lines.length;
  }

  /** The journal as text: its lines, each ending with "\n". */
  toString(): string {
    return this.lines.map((line) => `${line}\n`).join("");
  }
}
