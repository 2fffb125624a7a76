// The seeded generator of random programs (the op table in ops.ts says how each op is made).
import { OPS } from "./ops.js";
import { COMPOSE_OPS } from "./ops-compose.js";
import { SYNC_OPS } from "./ops-sync.js";
import { Rng, programSeed, type Body, type Op, type Program } from "./program.js";

/** What the generator knows about the body it is filling. */
export interface Scope {
  /** The label of the task the body runs in. */
  label: string;
  /** Tasks this task spawned so far: the only ones it may await or gather (no wait cycles). */
  children: string[];
  /** Inside an exception handler: `reraise` is possible. */
  inHandler: boolean;
  /** Inside a taskGroup body or one of its tasks: `tgSpawn` is possible. */
  group?: boolean;
  /** Inside a timeout scope's body: `reschedule` and `expired` are possible. */
  inTimeout?: boolean;
  /**
   * Holding a lock, semaphore or condition: no op that waits without limit for another task
   * (that task may be waiting for what this one holds — a deadlock the oracle cannot survive).
   */
  holding?: boolean;
  /** Conditions held here: `condWait`, `condWaitFor`, `condNotify` are possible. */
  conds?: string[];
}

const MAX_DEPTH = 4;
const entries = Object.entries(OPS);

/**
 * What a program leans towards: every third program is "compose" (the lib/compose ops three
 * times as likely), every third "sync" (the lib/sync ops four times as likely, and main makes
 * a few primitives first, so that its tasks share them; spawn and cancel are boosted too). Mixed programs find the interactions;
 * leaning ones reach deep states of one area.
 */
export type Theme = "mixed" | "compose" | "sync";
const BOOST: Record<Theme, { ops: Record<string, unknown>; factor: number }> = {
  mixed: { ops: {}, factor: 1 },
  compose: { ops: COMPOSE_OPS, factor: 3 },
  // More tasks too: contention (several waiters, wake-ups racing cancellations) is the point.
  sync: { ops: { ...SYNC_OPS, spawn: OPS.spawn, cancel: OPS.cancel }, factor: 4 },
};

/** Generator state for one program: a budget of ops, the nesting depth, the task labels so far. */
export class Gen {
  /** Every task label made so far, "main" first: targets for cancel / inspect. */
  readonly names: string[] = ["main"];
  /** Every shared primitive made so far (`newSync`): targets for the sync ops. */
  readonly syncs: { name: string; kind: string; lock?: string }[] = [];
  /** Per primitive: the labels of the tasks with ops on it (likely waiters to cancel). */
  readonly syncUsers = new Map<string, string[]>();
  private depth = 0;
  private counter = 0;
  private readonly used = new Set<string>();

  readonly maxMs: number;
  private readonly weights: number[];
  private readonly totalWeight: number;

  constructor(
    readonly rng: Rng,
    private budget: number,
    theme: Theme = "mixed",
  ) {
    const { ops, factor } = BOOST[theme];
    this.maxMs = theme === "sync" ? 8 : 30;
    this.weights = entries.map(([name, def]) => def.weight * (name in ops ? factor : 1));
    this.totalWeight = this.weights.reduce((sum, w) => sum + w, 0);
  }

  /** A fresh name: t1, g2, m3, e4… (one counter, so names never clash). */
  fresh(prefix: string): string {
    return `${prefix}${++this.counter}`;
  }

  /** True the first time it is asked for `key` in this program: for ops allowed once. */
  once(key: string): boolean {
    if (this.used.has(key)) return false;
    this.used.add(key);
    return true;
  }

  /**
   * A delay in ms: often 0 (one loop turn), sometimes negative (same as 0), else 1..30 (1..8 in
   * "sync" programs: equal deadlines, where a wake-up and a time limit race, are frequent).
   */
  ms(): number {
    if (this.rng.chance(0.03)) return -1 - this.rng.int(5);
    return this.rng.chance(0.2) ? 0 : 1 + this.rng.int(this.maxMs);
  }

  canNest(): boolean {
    return this.depth < MAX_DEPTH && this.budget > 1;
  }

  /** A body of random ops for `scope`, using up part of the budget. */
  body(scope: Scope): Body {
    this.depth++;
    const length = 1 + this.rng.int(Math.max(1, Math.min(6, this.budget)));
    const body: Body = [];
    for (let i = 0; i < length && this.budget > 0; i++) {
      const op = this.op(scope);
      if (op !== null) body.push(op);
    }
    this.depth--;
    return body;
  }

  private op(scope: Scope): Op | null {
    for (let attempt = 0; attempt < 10; attempt++) {
      let r = this.rng.next() * this.totalWeight;
      let def = entries[0][1];
      for (let i = 0; i < entries.length; i++) {
        r -= this.weights[i];
        if (r < 0) {
          def = entries[i][1];
          break;
        }
      }
      this.budget--;
      const op = def.generate(this, scope);
      if (op !== null) return op;
      this.budget++;
    }
    return null;
  }
}

/** Program size (op budget) for the `index`-th program of a batch: grows from 3 to 40. */
export function sizeFor(index: number): number {
  return 3 + (index % 38);
}

/** The `index`-th program of the batch of `seed`: always the same program for the same pair. */
export function programFor(seed: number, index: number): Program {
  const theme = (["mixed", "compose", "sync"] as const)[index % 3];
  const gen = new Gen(new Rng(programSeed(seed, index)), sizeFor(index), theme);
  const scope: Scope = { label: "main", children: [], inHandler: false };
  const primitives: Body = [];
  if (theme === "sync") for (let i = 1 + gen.rng.int(3); i > 0; i--) primitives.push(SYNC_OPS.newSync.generate(gen, scope)!);
  const main = [...primitives, ...gen.body(scope)];
  // One program in four of each theme runs with eager tasks; chosen from the index alone, so
  // that the ops of every program stay what they were before eager programs existed.
  return Math.floor(index / 3) % 4 === 1 ? { seed, index, eager: true, main } : { seed, index, main };
}
