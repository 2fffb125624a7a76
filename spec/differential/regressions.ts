// The fixed regression programs under spec/differential/regressions/: every divergence the
// fuzzer found, shrunk, with the trace CPython gave for it (so they run without Python too).
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { replayable, type Program, type TraceEvent } from "./program.js";

export const REGRESSIONS_DIR = fileURLToPath(new URL("../../../spec/differential/regressions/", import.meta.url));

export interface Regression {
  name: string;
  /** What diverged and what was fixed. */
  note: string;
  program: Program;
  /** The CPython 3.13 trace. */
  expected: TraceEvent[];
}

export function loadRegressions(): Regression[] {
  return readdirSync(REGRESSIONS_DIR)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => {
      const data = JSON.parse(readFileSync(REGRESSIONS_DIR + file, "utf8")) as { note: string; eager?: boolean; main: Program["main"]; expected: TraceEvent[] };
      return { name: file.replace(/\.json$/, ""), note: data.note, program: replayable(data), expected: data.expected };
    });
}

/** Writes a regression file: one line per event of the expected trace, so diffs stay readable. */
export function saveRegression(name: string, note: string, program: Program, expected: TraceEvent[]): string {
  const file = `${REGRESSIONS_DIR}${name}.json`;
  const events = expected.map((e) => "    " + JSON.stringify(e)).join(",\n");
  writeFileSync(file, `{\n  "note": ${JSON.stringify(note)},\n${program.eager === true ? '  "eager": true,\n' : ""}  "main": ${JSON.stringify(program.main)},\n  "expected": [\n${events}\n  ]\n}\n`);
  return file;
}
