// The comparator: runs programs on both interpreters, finds the first divergence, shrinks it.
import { interpret } from "./interpret.js";
import { runOracle, type Python } from "./oracle.js";
import { replayable, type Body, type Op, type Program, type TraceEvent } from "./program.js";

export interface Divergence {
  program: Program;
  /** Index of the first event that differs (or where one trace ends). */
  at: number;
  expected: TraceEvent | string | undefined;
  actual: TraceEvent | string | undefined;
  /** Both traces, for the report. */
  python: TraceEvent[] | string;
  genloop: TraceEvent[] | string;
}

function runGenloop(program: Program): TraceEvent[] | string {
  try {
    return interpret(program).trace;
  } catch (error) {
    return `genloop interpreter crashed: ${error instanceof Error ? error.stack : String(error)}`;
  }
}

/** The first difference between the CPython trace and the genloop one, or null. */
export function firstDivergence(program: Program, python: TraceEvent[] | string, genloop: TraceEvent[] | string): Divergence | null {
  if (typeof python === "string" || typeof genloop === "string") {
    return { program, at: 0, expected: python as string, actual: genloop as string, python, genloop } as Divergence;
  }
  const n = Math.max(python.length, genloop.length);
  for (let i = 0; i < n; i++) {
    if (JSON.stringify(python[i]) !== JSON.stringify(genloop[i])) {
      return { program, at: i, expected: python[i], actual: genloop[i], python, genloop };
    }
  }
  return null;
}

/** Runs a batch on both sides; returns the divergences, in batch order. */
export function compareBatch(python: Python, programs: readonly Program[]): Divergence[] {
  const oracle = runOracle(python, programs);
  const out: Divergence[] = [];
  programs.forEach((program, i) => {
    const o = oracle[i];
    const expected = "trace" in o ? o.trace : `CPython interpreter crashed: ${o.crash}`;
    const d = firstDivergence(program, expected, runGenloop(program));
    if (d !== null) out.push(d);
  });
  return out;
}

// ---- shrinking -------------------------------------------------------------------------------

function isBody(value: unknown): value is Body {
  return Array.isArray(value) && value.every((x) => typeof x === "object" && x !== null && typeof (x as Op).op === "string");
}

/**
 * Smaller variants of `value` (a JSON value), one change each: an element of an array removed,
 * an op with nested bodies replaced by one of them (spliced), a delay made 0 or halved, an
 * optional field dropped. Removing ops can leave references to tasks that were never spawned;
 * both interpreters trace those as "missing", so every variant is still a valid program.
 */
function* variants(value: unknown): Generator<unknown> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield [...value.slice(0, i), ...value.slice(i + 1)];
    if (isBody(value)) {
      for (let i = 0; i < value.length; i++) {
        for (const nested of nestedBodies(value[i])) yield [...value.slice(0, i), ...nested, ...value.slice(i + 1)];
      }
    }
    for (let i = 0; i < value.length; i++) {
      for (const v of variants(value[i])) yield [...value.slice(0, i), v, ...value.slice(i + 1)];
    }
    return;
  }
  if (typeof value !== "object" || value === null) return;
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    const field = obj[key];
    if (key === "ms" && typeof field === "number" && field > 0) {
      yield { ...obj, ms: 0 };
      if (field > 1) yield { ...obj, ms: Math.floor(field / 2) };
    }
    // A cancel message may be dropped; a raised Boom's may not (Boom(None) is not Boom(null)).
    if ((key === "finally" || (key === "msg" && obj.op !== "raise")) && field !== null) {
      const { [key]: _dropped, ...rest } = obj;
      yield key === "msg" ? { ...rest, msg: null } : rest;
    }
    if (key === "returnExceptions" && field === true) yield { ...obj, returnExceptions: false };
    for (const v of variants(field)) yield { ...obj, [key]: v };
  }
}

function nestedBodies(op: Op): Body[] {
  const out: Body[] = [];
  for (const [key, field] of Object.entries(op)) {
    if (key !== "op" && isBody(field) && field.length > 0) out.push(field);
  }
  if (Array.isArray(op.items)) {
    for (const item of op.items as { body?: Body }[]) if (item.body && item.body.length > 0) out.push(item.body);
  }
  return out;
}

function size(value: unknown): number {
  return JSON.stringify(value).length;
}

/**
 * Shrinks a diverging program: repeatedly tries every one-change variant (one CPython process
 * per round, for all of them) and keeps the first that still diverges, until none does.
 */
export function shrink(python: Python, divergence: Divergence, maxRounds = 200): Divergence {
  let best = divergence;
  for (let round = 0; round < maxRounds; round++) {
    const candidates: Program[] = [];
    for (const main of variants(best.program.main)) {
      if (isBody(main)) candidates.push({ ...best.program, main });
    }
    candidates.sort((a, b) => size(a.main) - size(b.main));
    const found = compareBatch(python, candidates)[0];
    if (found === undefined) break;
    best = found;
  }
  return best;
}

/** A human-readable report of a divergence: the program, then the two traces side by side. */
export function formatDivergence(d: Divergence): string {
  const lines = [
    `divergence at event ${d.at}` + (d.program.seed !== undefined ? ` (seed ${d.program.seed}, program ${d.program.index})` : ""),
    `  CPython: ${JSON.stringify(d.expected)}`,
    `  genloop: ${JSON.stringify(d.actual)}`,
    `program:`,
    JSON.stringify(replayable(d.program), null, 1).replace(/\n\s*/g, " "),
  ];
  if (typeof d.python !== "string" && typeof d.genloop !== "string") {
    lines.push("traces (CPython | genloop):");
    const n = Math.max(d.python.length, d.genloop.length);
    for (let i = 0; i < n; i++) {
      const a = JSON.stringify(d.python[i] ?? "");
      const b = JSON.stringify(d.genloop[i] ?? "");
      lines.push(`${i === d.at ? ">" : " "} ${String(i).padStart(3)} ${a}${a === b ? "" : `  |  ${b}`}`);
    }
  } else {
    lines.push(`CPython: ${String(d.python).slice(0, 2000)}`, `genloop: ${String(d.genloop).slice(0, 2000)}`);
  }
  return lines.join("\n");
}
