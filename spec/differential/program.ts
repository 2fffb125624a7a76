// The differential program language: plain JSON, run by two interpreters (interpret.ts on
// genloop, oracle.py on CPython asyncio) that must write identical traces. See README.md.

/** One operation of a task body: `{ op: "sleep", ms: 5 }`. Fields depend on the op (ops.ts). */
export interface Op {
  op: string;
  [field: string]: unknown;
}
export type Body = Op[];

/** A program: the body of the main task. `seed`/`index` say where a generated one came from. */
export interface Program {
  main: Body;
  /** Tasks the main task creates start eagerly (asyncio's eager_task_factory, set as main starts). */
  eager?: boolean;
  seed?: number;
  index?: number;
  note?: string;
}

/** What replays a program: its body and its run options, without where it came from. */
export function replayable(program: Program): Program {
  return program.eager === true ? { eager: true, main: program.main } : { main: program.main };
}

/** `[loopTimeMs, label, kind, ...details]`; after the run, `["end", label, finalState]`. */
export type TraceEvent = unknown[];

/** The error programs raise with the `raise` op (Python: `class Boom(Exception)`). */
export class Boom extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Boom";
  }
}

/** JavaScript's names for the errors Python raises under another name (ValueError). */
const PYTHON_NAMES: Record<string, string> = { RangeError: "ValueError" };

/**
 * How an error appears in a trace: `Class:message` for the errors a program controls
 * (Boom, CancelledError), only the class for the runtime's own errors (whose wording
 * differs between CPython and genloop). An exception group is its class and the sorted
 * list of what it holds: `ExceptionGroup[Boom:e1,Boom:e2]` (the order of a task group's
 * errors is the order its children failed in, which both runtimes agree on, but sorting
 * keeps the comparison about what was raised, as the brief asks).
 */
export function errorString(error: unknown): string {
  if (error instanceof Error) {
    const name = error.name;
    if (name === "Boom" || name === "CancelledError") return `${name}:${error.message}`;
    const inner = (error as { exceptions?: unknown }).exceptions;
    if (Array.isArray(inner)) return `${name}[${inner.map(errorString).sort().join(",")}]`;
    return PYTHON_NAMES[name] ?? name;
  }
  return `non-error:${typeof error}`;
}

/** A result or an error, as gather's `returnExceptions` results and awaits are traced. */
export function outcome(value: unknown): { ok: unknown } | { err: string } {
  return value instanceof Error ? { err: errorString(value) } : { ok: plain(value) };
}

/** A result as JSON can say it: errors among a gather's results as `{err}`. */
export function plain(value: unknown): unknown {
  return Array.isArray(value) ? value.map((v) => (v instanceof Error ? { err: errorString(v) } : plain(v))) : value;
}

/** mulberry32: a small, fast, seedable PRNG (same sequence on every engine). */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

/** The seed of program `index` in the batch of `seed` (so one program can be replayed alone). */
export function programSeed(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  return (h ^ (h >>> 13)) >>> 0;
}
