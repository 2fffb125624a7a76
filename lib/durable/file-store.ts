/// <reference types="node" />
// The file store uses Node's fs module: import it from "genloop/durable" on Node (the rest of
// genloop/durable is engine-neutral, see lib/durable/portable.ts).
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, readSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { describeValue } from "../describe.js";
import type { JournalStore } from "./store.js";

/**
 * An append-only journal file, one JSON object per line: the embedded default store.
 *
 * - Every `append` writes the line and its "\n" in one write, then fsyncs the file, before it
 *   returns (and the directory is fsync'd once when the file is created, so the file itself
 *   survives a crash).
 * - A crash can tear only the last line (a write cut short): `read` detects a last line without
 *   its "\n", drops it and truncates the file back to the last complete line, so appends go on
 *   from there. `recoveredBytes` says how many bytes were dropped.
 * - One writer at a time: two processes appending to one file interleave their runs.
 *
 * @example
 * ```ts
 * import { FileStore, runDurable } from "genloop/durable";
 * const store = new FileStore("orders-42.jsonl");
 * ```
 */
export class FileStore implements JournalStore {
  /** The number of bytes of a torn last line that `read` dropped (0 when the file was intact). */
  recoveredBytes = 0;
  private fd: number | null = null;

  /** @param path the journal file; created on the first append if it does not exist. */
  constructor(readonly path: string) {
    if (typeof path !== "string" || path === "") throw new TypeError(`FileStore: expected a file path, got ${describeValue(path)}`);
  }

  read(): string[] {
    if (!existsSync(this.path)) return [];
    const bytes = readFileSync(this.path);
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] !== 0x0a) {
      // Torn: the last write was cut short. Drop it, on disk too.
      const lastBreak = bytes.lastIndexOf(0x0a);
      end = lastBreak + 1;
      this.recoveredBytes = bytes.length - end;
      const fd = openSync(this.path, "r+");
      try {
        ftruncateSync(fd, end);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    const text = bytes.subarray(0, end).toString("utf8");
    return text === "" ? [] : text.slice(0, -1).split("\n");
  }

  append(line: string): void {
    if (typeof line !== "string" || line.indexOf("\n") !== -1) {
      throw new TypeError(`FileStore.append: expected one line of text, got ${describeValue(line)}`);
    }
    const fd = this.open();
    writeSync(fd, `${line}\n`);
    fsyncSync(fd);
  }

  /** Closes the file (the next append reopens it). */
  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }

  private open(): number {
    if (this.fd !== null) return this.fd;
    const created = !existsSync(this.path);
    const fd = openSync(this.path, "a+");
    if (created) syncDirectory(dirname(this.path));
    else if (!endsWithNewline(fd)) {
      closeSync(fd);
      throw new Error(`FileStore: ${this.path} ends with a torn line; read() it first (a durable run does) so that it is repaired`);
    }
    this.fd = fd;
    return fd;
  }
}

/** Makes a new file's directory entry durable (where the platform allows fsync on a directory). */
function syncDirectory(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Not supported here (e.g. Windows): the file's own fsyncs still hold its contents.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** Appending after a torn line would glue two entries together: `read` must repair it first. */
function endsWithNewline(fd: number): boolean {
  const size = fstatSync(fd).size;
  if (size === 0) return true;
  const last = new Uint8Array(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] === 0x0a;
}
