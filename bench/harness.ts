// Measurement harness shared by the workloads: alternating runs, warm-up, medians, tables, JSON.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** One measurement: `value` in the workload's unit (ops/s, bytes per task, µs of CPU per task). */
export interface Sample {
  value: number;
}

/** One implementation of a workload: genloop, the raw generator loop, a peer library. */
export interface Contender {
  /** Row label: "genloop", "raw generators", "native async", "Effection 4", "redux-saga", "co". */
  name: string;
  /** Whose timers it uses: "virtual", "real" or "-" when the workload uses no timers. */
  clock: string;
  /** What this contender does per operation, when it is not obvious. */
  note?: string;
  /** Runs the workload once and returns what it measured. */
  measure(): Sample | Promise<Sample>;
}

export interface Workload {
  /** The name used on the command line (`npm run bench -- switch`). */
  name: string;
  title: string;
  unit: string;
  /** "higher" for rates, "lower" for costs. */
  better: "higher" | "lower";
  /** Warm-up rounds and measured rounds (each round runs every contender once). */
  warmup?: number;
  reps?: number;
  contenders(): Contender[];
}

export interface Row {
  name: string;
  clock: string;
  note?: string;
  samples: number[];
  median: number;
  /** This row's median divided by genloop's (on the same clock when genloop ran on it). */
  ratio: number | null;
}

export interface WorkloadResult {
  name: string;
  title: string;
  unit: string;
  better: "higher" | "lower";
  rows: Row[];
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Wall time of `fn` in milliseconds. */
export async function wallMs(fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/**
 * The stretches that `startTiming` timed while the profiler (bench/profile.ts) listens, in the CPU
 * profile's clock (monotonic microseconds); null when nobody listens.
 */
export const timedStretches: { list: Array<[number, number]> | null } = { list: null };

/**
 * Starts timing the part of a sample that a contender measures when that is not the whole of its
 * `measure()` (cancel times from the first cancel to the last `finally`, not the making of the
 * tasks), so that a profile of the workload can keep only that part.
 * @returns `end()`, which gives the milliseconds since the start.
 */
export function startTiming(): { end(): number } {
  const t0 = process.hrtime.bigint();
  return {
    end() {
      const t1 = process.hrtime.bigint();
      timedStretches.list?.push([Number(t0 / 1000n), Number(t1 / 1000n)]);
      return Number(t1 - t0) / 1e6;
    },
  };
}

/** CPU time (user + system) of `fn` in microseconds; idle waiting for timers is not counted. */
export async function cpuMicros(fn: () => unknown): Promise<number> {
  const c0 = process.cpuUsage();
  await fn();
  const c = process.cpuUsage(c0);
  return c.user + c.system;
}

/** Gives pending host timers and I/O a turn between measurements. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 5));
}

/**
 * Runs every contender `warmup` times, then `reps` rounds in which each runs once; the order
 * rotates every round so no contender always runs right after the same one.
 */
export async function runWorkload(workload: Workload, log: (line: string) => void = console.log): Promise<WorkloadResult> {
  const contenders = workload.contenders();
  const warmup = workload.warmup ?? 1;
  const reps = workload.reps ?? 5;
  const samples = contenders.map(() => [] as number[]);
  for (let round = 0; round < warmup + reps; round++) {
    for (let j = 0; j < contenders.length; j++) {
      const i = (j + round) % contenders.length;
      // No forced full collection between samples: it shrinks V8's young generation, which a
      // running program has grown, and then charges the next sample for growing it again
      // (about -35% for the allocation-heavy contenders in the switch workload).
      await settle();
      const s = await contenders[i].measure();
      if (round >= warmup) samples[i].push(s.value);
    }
    log(`  ${workload.name}: ${round < warmup ? "warm-up" : "round"} ${round < warmup ? round + 1 : round - warmup + 1} done`);
  }
  const rows: Row[] = contenders.map((c, i) => ({
    name: c.name,
    clock: c.clock,
    note: c.note,
    samples: samples[i],
    median: median(samples[i]),
    ratio: null,
  }));
  // Each row is compared with genloop on the same clock when genloop ran on it, else with
  // genloop's first row (its virtual clock, where the peers can only use real timers).
  const genloop = rows.filter((r) => r.name === "genloop");
  for (const r of rows) {
    const base = genloop.find((g) => g.clock === r.clock) ?? genloop[0];
    if (base !== undefined && !Number.isNaN(r.median)) r.ratio = r.median / base.median;
  }
  return { name: workload.name, title: workload.title, unit: workload.unit, better: workload.better, rows };
}

export function formatValue(v: number, unit: string): string {
  if (Number.isNaN(v)) return "—";
  if (unit === "ops/s") {
    if (v >= 1e6) return `${(v / 1e6).toFixed(2)} M/s`;
    if (v >= 1e3) return `${(v / 1e3).toFixed(1)} k/s`;
    return `${v.toFixed(0)} /s`;
  }
  if (unit === "B/task") return v >= 10240 ? `${(v / 1024).toFixed(1)} KB` : `${v.toFixed(0)} B`;
  if (unit === "µs/task") return `${v.toFixed(2)} µs`;
  if (unit === "ns/op") return `${v.toFixed(0)} ns`;
  return `${v.toPrecision(4)} ${unit}`;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

/** A plain-text table of one workload's medians and ratios to genloop. */
export function formatTable(r: WorkloadResult): string {
  const head = ["contender", "clock", `median (${r.better} is better)`, "× genloop", "note"];
  const lines = r.rows.map((row) => [
    row.name,
    row.clock,
    formatValue(row.median, r.unit),
    row.ratio === null ? "" : formatRatio(row.ratio),
    row.note ?? "",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => pad(c, widths[i])).join("  ").trimEnd();
  return [`${r.title}`, fmt(head), widths.map((w) => "-".repeat(w)).join("  "), ...lines.map(fmt)].join("\n");
}

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const resultsDir = join(repoRoot, "bench", "results");

export function machine(): Record<string, unknown> {
  const c = cpus();
  return { node: process.version, v8: process.versions.v8, platform: process.platform, arch: process.arch, cpus: c.length, cpu: c[0]?.model };
}

/**
 * The run a result belongs to: one `npm run bench`, whose workloads, each in a process of its
 * own, all share it; or one workload run alone. `id` is the start time and the commit.
 */
export interface BenchRun {
  id: string;
  /** `git rev-parse --short HEAD`, with "-dirty" when the tree has changes; null without git. */
  commit: string | null;
  /** When the run started (ISO 8601). */
  started: string;
}

/** The environment variable through which `npm run bench` hands its run to the processes it starts. */
const RUN_ENV = "GENLOOP_BENCH_RUN";

/** The commit of the tree the benchmarks run from, or null when git is not there. */
function currentCommit(): string | null {
  const git = (...args: string[]) => spawnSync("git", args, { cwd: repoRoot, encoding: "utf8" });
  const head = git("rev-parse", "--short", "HEAD");
  if (head.error !== undefined || head.status !== 0) return null;
  const status = git("status", "--porcelain");
  const dirty = status.status === 0 && status.stdout.trim() !== "";
  return head.stdout.trim() + (dirty ? "-dirty" : "");
}

/**
 * This process's run: the one its parent `npm run bench` handed down, else a new one, which the
 * processes it starts then inherit (through the environment).
 */
export function benchRun(): BenchRun {
  const inherited = process.env[RUN_ENV];
  if (inherited !== undefined) return JSON.parse(inherited) as BenchRun;
  const started = new Date().toISOString();
  const commit = currentCommit();
  const run: BenchRun = { id: `${started.slice(0, 19).replace(/:/g, "-")}Z-${commit ?? "no-git"}`, commit, started };
  process.env[RUN_ENV] = JSON.stringify(run);
  return run;
}

/** The machine's load averages over 1, 5 and 15 minutes at the start and at the end of a workload. */
export interface LoadAverages {
  start: number[];
  end: number[];
}

/** What every result file records beside its data: its run, when it was written, the machine and its load. */
export interface Stamp {
  run: BenchRun;
  date: string;
  machine: Record<string, unknown>;
  loadavg: LoadAverages;
}

/** Runs `fn` and returns its result with the load averages before and after it. */
export async function withLoadAverages<T>(fn: () => T | Promise<T>): Promise<{ result: T; loadavg: LoadAverages }> {
  const start = loadavg();
  const result = await fn();
  return { result, loadavg: { start, end: loadavg() } };
}

/** Writes `data` as bench/results/<name>.json (the latest run of that name), stamped with its run, the machine and its load. */
export function writeJson(name: string, data: object, load: LoadAverages): string {
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${name}.json`);
  const stamp: Stamp = { run: benchRun(), date: new Date().toISOString(), machine: machine(), loadavg: load };
  writeFileSync(file, JSON.stringify({ ...stamp, ...data }, null, 2) + "\n");
  return file;
}

/**
 * Reads bench/results/<name>.json (or `dir`/<name>.json) as written by `writeJson`; a contender's
 * missing median, which JSON wrote as null, reads back as NaN.
 */
export function readJson(name: string, dir = resultsDir): unknown {
  const text = readFileSync(join(dir, `${name}.json`), "utf8");
  return JSON.parse(text, (key, value: unknown) => (key === "median" && value === null ? NaN : value));
}

/** A deterministic pseudo-random sequence (mulberry32), so every contender sleeps the same delays. */
export function randomDelays(n: number, maxMs: number, seed = 12345): Float64Array {
  const out = new Float64Array(n);
  let a = seed >>> 0;
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * maxMs);
  }
  return out;
}

export function formatRatio(r: number): string {
  return `${r >= 0.1 ? r.toFixed(2) : r.toPrecision(2)}×`;
}
