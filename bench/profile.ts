// `npm run bench -- profile:<workload>[,<workload>...]`: runs a workload's genloop contender(s), or the
// contender named by --contender, under V8's sampling CPU profiler (node:inspector), after the
// workload's warm-up, and prints where the time goes: the functions with the most self time and the
// shares of genloop's code, the benchmark's, the engine's builtins, garbage collection and idling.
// Each workload runs in a fresh process of its own, as `npm run bench` runs them. The summary goes to
// bench/results/profile-<workload>.json; --save also writes the whole .cpuprofile (Chrome DevTools).
//
// The summarizing is pure (a profile object in, numbers out) and unit-tested; the rest drives
// the profiler and reads the built files' source maps to name TypeScript lines.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { SourceMap } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  benchRun,
  formatValue,
  resultsDir,
  runWorkload,
  timedStretches,
  withLoadAverages,
  writeJson,
  type Contender,
  type LoadAverages,
  type Workload,
} from "./harness.js";

// ---------------------------------------------------------------------------------------------
// The profile's shape (the parts of V8's `Profiler.Profile` read here, as in a .cpuprofile file).

export interface CallFrame {
  functionName: string;
  url: string;
  /** 0-based, the function's start in the script. */
  lineNumber: number;
  columnNumber: number;
}

export interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
  /** Samples per source line of the script (1-based lines) taken in this node's own code. */
  positionTicks?: { line: number; ticks: number }[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  /** Microseconds. */
  startTime: number;
  endTime: number;
  /** The node (leaf of the stack) each sample hit. */
  samples: number[];
  /** Microseconds from the previous sample (the first: from `startTime`). */
  timeDeltas: number[];
}

// ---------------------------------------------------------------------------------------------
// The summary.

/** Where a function's self time is counted. The names in parentheses are V8's own pseudo-frames. */
export const categoryOrder = [
  "genloop (lib/)",
  "benchmark (bench/)",
  "engine builtins and native code",
  "Node internals",
  "dependencies (node_modules/)",
  "other",
  "(garbage collector)",
  "(program)",
  "(idle)",
  "blocked in Atomics.wait",
] as const;
export type Category = (typeof categoryOrder)[number];

/** Time the thread did not run: waiting in the event loop, or blocked by the real clock's sleep. */
const notBusy: ReadonlySet<Category> = new Set<Category>(["(idle)", "blocked in Atomics.wait"]);

export interface CategoryCost {
  category: Category;
  ms: number;
  /** Of the busy time (the profile less idling and blocking); null for idling and blocking themselves. */
  percentOfBusy: number | null;
  percentOfWall: number;
}

export interface FunctionCost {
  /** The function's name, "(anonymous)" when it has none. */
  name: string;
  /** "lib/task.ts:123" (1-based), shortened to the repository. */
  location: string;
  category: Category;
  selfMs: number;
  /** Self and total (self and callees) busy time, as percentages of the busy time. */
  selfPercent: number;
  totalPercent: number;
}

export interface ProfileSummary {
  /** The profile's whole span (or its windows'), and the part of it the thread ran (not idle, not blocked). */
  wallMs: number;
  busyMs: number;
  samples: number;
  categories: CategoryCost[];
  /** Functions by busy self time, most first. */
  top: FunctionCost[];
}

export interface SummaryOptions {
  /** How many functions `top` keeps (default 15). */
  top?: number;
  /** The repository's root directory, stripped from paths (default: none). */
  root?: string;
  /** Names the source of a frame, "lib/task.ts:123"; by default the script's own path and line. */
  locate?: (frame: CallFrame) => string;
  /** Whether a (1-based) line of a script blocks the thread (`Atomics.wait`); by default none does. */
  isWaitLine?: (url: string, line: number) => boolean;
  /**
   * The stretches that count, in the profile's clock (microseconds, in order, not overlapping): only
   * the samples taken inside them; by default the whole profile.
   */
  windows?: ReadonlyArray<readonly [number, number]>;
}

/**
 * `url` as a path relative to the repository: `file://` and `root` stripped, a dependency from its
 * `node_modules/` on; Node's own modules (`node:…`) and V8's frames (no url) as they are.
 */
export function shortenPath(url: string, root = ""): string {
  let path = url.startsWith("file://") ? fileURLToPath(url) : url;
  const base = root.endsWith("/") ? root : `${root}/`;
  if (root !== "" && path.startsWith(base)) path = path.slice(base.length);
  const deps = path.lastIndexOf("node_modules/");
  return deps > 0 ? path.slice(deps) : path;
}

/** The category of a frame, from V8's pseudo-frame names and the script's path (shortened). */
export function categorize(frame: CallFrame, root = ""): Category {
  if (frame.url === "") {
    const name = frame.functionName;
    return name === "(garbage collector)" || name === "(program)" || name === "(idle)" ? name : "engine builtins and native code";
  }
  const path = shortenPath(frame.url, root);
  if (path.startsWith("node:")) return "Node internals";
  if (path.startsWith("node_modules/")) return "dependencies (node_modules/)";
  if (path.startsWith("lib/") || path.startsWith("build/lib/")) return "genloop (lib/)";
  if (path.startsWith("bench/") || path.startsWith("build/bench/")) return "benchmark (bench/)";
  return "other";
}

/**
 * Milliseconds of each sample: up to the next sample, the last one up to the profile's end (DevTools'
 * rule); 0 for a sample outside `windows`.
 */
function sampleDurations(profile: CpuProfile, windows: ReadonlyArray<readonly [number, number]> | undefined): Float64Array {
  const { samples, timeDeltas } = profile;
  const at = new Float64Array(samples.length);
  let t = profile.startTime;
  for (let i = 0; i < samples.length; i++) at[i] = t += timeDeltas[i];
  const ms = new Float64Array(samples.length);
  let w = 0;
  for (let i = 0; i < samples.length; i++) {
    if (windows !== undefined) {
      while (w < windows.length && windows[w][1] <= at[i]) w++;
      if (w === windows.length || at[i] < windows[w][0]) continue;
    }
    ms[i] = Math.max(0, (i + 1 < samples.length ? at[i + 1] : profile.endTime) - at[i]) / 1000;
  }
  return ms;
}

/**
 * Where a profile's time goes: the self time of every function (a function's nodes added up across
 * the call tree), its total time (each sample counted once however often the function is on its
 * stack), and the self time of each category. The self time a node spent on lines that block the
 * thread (see `isWaitLine`, read from its `positionTicks`) counts as blocked, not busy.
 *
 * @param profile A V8 CPU profile (`Profiler.stop`'s result, or a .cpuprofile file).
 * @param options How many functions to keep and how to name their sources.
 * @returns The summary; percentages are of the busy time except the categories' `percentOfWall`.
 * @throws {Error} when a sample names a node the profile does not have.
 */
export function summarizeProfile(profile: CpuProfile, options: SummaryOptions = {}): ProfileSummary {
  const root = options.root ?? "";
  const locate = options.locate ?? ((f: CallFrame) => `${shortenPath(f.url, root)}:${f.lineNumber + 1}`);
  const isWaitLine = options.isWaitLine ?? (() => false);
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  // Self time per node, split into busy and blocked by the node's ticks on waiting lines.
  const self = new Map<number, number>();
  const durations = sampleDurations(profile, options.windows);
  let counted = 0;
  profile.samples.forEach((id, i) => {
    if (!nodes.has(id)) throw new Error(`profile: sample ${i} names node ${id}, which the profile does not have`);
    if (durations[i] === 0) return;
    counted++;
    self.set(id, (self.get(id) ?? 0) + durations[i]);
  });
  const byCategory = new Map<Category, number>(categoryOrder.map((c) => [c, 0]));
  const functions = new Map<string, { frame: CallFrame; category: Category; self: number; total: number }>();
  const keyOf = (f: CallFrame) => `${f.functionName}\n${f.url}\n${f.lineNumber}\n${f.columnNumber}`;
  for (const [id, ms] of self) {
    const node = nodes.get(id)!;
    const ticks = node.positionTicks ?? [];
    const allTicks = ticks.reduce((sum, t) => sum + t.ticks, 0);
    const waitTicks = ticks.reduce((sum, t) => sum + (isWaitLine(node.callFrame.url, t.line) ? t.ticks : 0), 0);
    const blocked = allTicks === 0 ? 0 : (ms * waitTicks) / allTicks;
    const busy = ms - blocked;
    const category = categorize(node.callFrame, root);
    byCategory.set("blocked in Atomics.wait", byCategory.get("blocked in Atomics.wait")! + blocked);
    byCategory.set(category, byCategory.get(category)! + busy);
    if (notBusy.has(category)) continue;
    // The node's busy time counts once toward the total of every distinct function on its stack.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = nodes.get(at)!.callFrame;
      const key = keyOf(frame);
      if (seen.has(key) || frame.functionName === "(root)") continue;
      seen.add(key);
      let f = functions.get(key);
      if (f === undefined) functions.set(key, (f = { frame, category: categorize(frame, root), self: 0, total: 0 }));
      f.total += busy;
      if (at === id) f.self += busy;
    }
  }

  const span = (from: number, to: number) => Math.max(0, Math.min(to, profile.endTime) - Math.max(from, profile.startTime)) / 1000;
  const wallMs = options.windows === undefined ? span(profile.startTime, profile.endTime) : options.windows.reduce((sum, [a, b]) => sum + span(a, b), 0);
  const busyMs = categoryOrder.reduce((sum, c) => sum + (notBusy.has(c) ? 0 : byCategory.get(c)!), 0);
  const ofBusy = (ms: number) => (busyMs === 0 ? 0 : (100 * ms) / busyMs);
  const top = [...functions.values()]
    .filter((f) => f.self > 0)
    .sort((a, b) => b.self - a.self)
    .slice(0, options.top ?? 15)
    .map((f) => ({
      name: f.frame.functionName === "" ? "(anonymous)" : f.frame.functionName,
      location: f.frame.url === "" ? "" : locate(f.frame),
      category: f.category,
      selfMs: f.self,
      selfPercent: ofBusy(f.self),
      totalPercent: ofBusy(f.total),
    }));
  return {
    wallMs,
    busyMs,
    samples: counted,
    categories: categoryOrder.map((category) => {
      const ms = byCategory.get(category)!;
      return { category, ms, percentOfBusy: notBusy.has(category) ? null : ofBusy(ms), percentOfWall: wallMs === 0 ? 0 : (100 * ms) / wallMs };
    }),
    top,
  };
}

const percent = (p: number | null) => (p === null ? "" : `${p.toFixed(1)} %`);

/** The summary as two markdown tables: the categories, then the functions by self time. */
export function formatSummary(summary: ProfileSummary): string {
  const lines = [
    `| where the time went | ms | % of busy | % of wall |`,
    `|---|---:|---:|---:|`,
    ...summary.categories.map((c) => `| ${c.category} | ${c.ms.toFixed(1)} | ${percent(c.percentOfBusy)} | ${percent(c.percentOfWall)} |`),
    "",
    `| function | where | self | total |`,
    `|---|---|---:|---:|`,
    ...summary.top.map((f) => `| ${f.name} | ${f.location === "" ? "V8" : f.location} | ${percent(f.selfPercent)} | ${percent(f.totalPercent)} |`),
  ];
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// The command line.

export const profileUsage =
  "profile:<workload,...> [--contender <name>]... [--interval <µs>] [--rounds <n>] [--top <n>] [--save]";

export interface ProfileOptions {
  workloads: Workload[];
  /** Contender names to profile (each matching row on its own); default "genloop". */
  contenders: string[];
  intervalUs: number;
  rounds: number;
  top: number;
  save: boolean;
  /** The flags as given, passed on to the process of each workload. */
  flags: string[];
}

/**
 * Reads `profile:` command lines: `args` is the whole of `npm run bench`'s arguments, one of them
 * `profile:<workload,...>`; `profilable` the workloads it may name.
 *
 * @returns the options, or the errors (each naming the argument and what it accepts).
 */
export function parseProfileArgs(args: readonly string[], profilable: readonly Workload[]): { options: ProfileOptions } | { errors: string[] } {
  const errors: string[] = [];
  const names: string[] = [];
  const flags: string[] = [];
  const options = { contenders: [] as string[], intervalUs: 100, rounds: 20, top: 15, save: false };
  const count = (flag: string, value: string | undefined, min: number): number => {
    const n = Number(value);
    if (value === undefined || !Number.isInteger(n) || n < min) {
      errors.push(`${flag} needs a whole number ≥ ${min}, got ${value === undefined ? "nothing" : JSON.stringify(value)}`);
      return min;
    }
    return n;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg.startsWith("profile:")) {
      names.push(...arg.slice("profile:".length).split(","));
      continue;
    }
    flags.push(arg);
    if (arg === "--save") options.save = true;
    else if (arg === "--contender" || arg === "--interval" || arg === "--rounds" || arg === "--top") {
      const value = args[++i];
      if (value !== undefined) flags.push(value);
      if (arg === "--contender") {
        if (value === undefined) errors.push("--contender needs a contender's name");
        else options.contenders.push(value);
      } else if (arg === "--interval") options.intervalUs = count(arg, value, 1);
      else if (arg === "--rounds") options.rounds = count(arg, value, 1);
      else options.top = count(arg, value, 1);
    } else errors.push(`unknown argument ${JSON.stringify(arg)} (profile: takes ${profileUsage})`);
  }
  const workloads: Workload[] = [];
  for (const name of names) {
    const w = profilable.find((p) => p.name === name);
    if (w === undefined) errors.push(`profile: unknown workload ${JSON.stringify(name)}; it profiles ${profilable.map((p) => p.name).join(", ")}`);
    else if (!workloads.includes(w)) workloads.push(w);
  }
  if (options.contenders.length === 0) options.contenders.push("genloop");
  for (const w of workloads) {
    const has = w.contenders().map((c) => c.name);
    for (const c of options.contenders) {
      if (!has.includes(c)) errors.push(`profile: ${w.name} has no contender ${JSON.stringify(c)}; its contenders: ${has.map((h) => JSON.stringify(h)).join(", ")}`);
    }
  }
  return errors.length > 0 ? { errors } : { options: { workloads, ...options, flags } };
}

// ---------------------------------------------------------------------------------------------
// Running the profiler.

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Sends an inspector command and waits for its result. */
function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((done, fail) => session.post(method, params, (error, result) => (error ? fail(error) : done(result as T))));
}

/** Reads the built scripts' source maps and lines, once each, to name frames by their TypeScript source. */
class Sources {
  private readonly scripts = new Map<string, { lines: string[]; map: SourceMap | undefined } | undefined>();

  private script(url: string) {
    if (!this.scripts.has(url)) {
      const path = url.startsWith("file://") ? fileURLToPath(url) : undefined;
      const exists = path !== undefined && existsSync(path);
      this.scripts.set(
        url,
        exists
          ? {
              lines: readFileSync(path, "utf8").split("\n"),
              map: existsSync(`${path}.map`) ? new SourceMap(JSON.parse(readFileSync(`${path}.map`, "utf8"))) : undefined,
            }
          : undefined,
      );
    }
    return this.scripts.get(url);
  }

  /** "lib/task.ts:123" through the script's source map, else its own path and line. */
  locate = (frame: CallFrame): string => {
    const entry = this.script(frame.url)?.map?.findEntry(frame.lineNumber, frame.columnNumber);
    if (entry !== undefined && "originalSource" in entry) {
      const source = resolve(dirname(fileURLToPath(frame.url)), entry.originalSource);
      return `${shortenPath(source, repoRoot)}:${entry.originalLine + 1}`;
    }
    return `${shortenPath(frame.url, repoRoot)}:${frame.lineNumber + 1}`;
  };

  /** Whether the script's line (1-based) calls `Atomics.wait`: the real clock's blocking sleep. */
  isWaitLine = (url: string, line: number): boolean => /\b[Aa]tomics\.wait\(/.test(this.script(url)?.lines[line - 1] ?? "");
}

/** Runs `contender` through the harness (its warm-up, then `rounds` rounds) with the profiler on after the warm-up. */
async function profileContender(
  workload: Workload,
  contender: Contender,
  options: ProfileOptions,
): Promise<{ median: number; profile: CpuProfile; windows: Array<[number, number]>; load: LoadAverages; cpu: { userMs: number; systemMs: number } }> {
  const session = new Session();
  session.connect();
  try {
    await post(session, "Profiler.enable");
    await post(session, "Profiler.setSamplingInterval", { interval: options.intervalUs });
    const warmup = workload.warmup ?? 1;
    let runs = 0;
    let cpuAtStart = process.cpuUsage();
    const profiled: Contender = {
      ...contender,
      async measure() {
        if (runs++ === warmup) {
          await post(session, "Profiler.start");
          cpuAtStart = process.cpuUsage();
          timedStretches.list = [];
        }
        return contender.measure();
      },
    };
    const { result, loadavg } = await withLoadAverages(() => runWorkload({ ...workload, warmup, reps: options.rounds, contenders: () => [profiled] }));
    // The process's CPU time over the profile, all threads: beside the main thread's busy time it
    // shows the work done elsewhere (V8's concurrent GC threads, the kernel's share of waking up).
    const cpu = process.cpuUsage(cpuAtStart);
    const { profile } = await post<{ profile: CpuProfile }>(session, "Profiler.stop");
    const windows = timedStretches.list ?? [];
    return { median: result.rows[0].median, profile, windows, load: loadavg, cpu: { userMs: cpu.user / 1000, systemMs: cpu.system / 1000 } };
  } finally {
    timedStretches.list = null;
    session.disconnect();
  }
}

/**
 * Profiles each of `options.workloads`, each in a process of its own (`runChild` starts `npm run
 * bench` with the arguments given), or the one workload here; prints the tables and writes
 * bench/results/profile-<workload>.json (and .cpuprofile files with --save).
 */
export async function runProfiles(options: ProfileOptions, runChild: (args: string[]) => void): Promise<void> {
  // Made before any child process starts: every child inherits it (see benchRun).
  const run = benchRun();
  if (options.workloads.length > 1) {
    console.log(`run ${run.id}`);
    for (const w of options.workloads) runChild([`profile:${w.name}`, ...options.flags]);
    return;
  }
  const workload = options.workloads[0];
  const sources = new Sources();
  const chosen = workload.contenders().filter((c) => options.contenders.includes(c.name));
  const { result: profiles, loadavg } = await withLoadAverages(async () => {
    const profiles = [];
    for (const contender of chosen) {
      const label = contender.clock === "-" ? contender.name : `${contender.name} (${contender.clock} clock)`;
      console.log(`\n== profile ${workload.name}: ${label} (run ${run.id})`);
      const { median, profile, windows, load, cpu } = await profileContender(workload, contender, options);
      // A contender that times only part of its sample (startTiming) is profiled over that part.
      const timed = windows.length === 0 ? undefined : windows;
      const summary = summarizeProfile(profile, { top: options.top, root: repoRoot, locate: sources.locate, isWaitLine: sources.isWaitLine, windows: timed });
      const whole = timed === undefined ? "" : ` (the timed part of each sample; the whole profile: ${summarizeProfile(profile).wallMs.toFixed(0)} ms)`;
      let saved: string | undefined;
      if (options.save) {
        const slug = `${contender.name}${contender.clock === "-" ? "" : `-${contender.clock}`}`.replace(/[^A-Za-z0-9]+/g, "-");
        saved = join(resultsDir, `profile-${workload.name}-${slug}.cpuprofile`);
        writeFileSync(saved, JSON.stringify(profile));
      }
      console.log(
        `\n${label}, ${contender.note ?? ""}: ${options.rounds} rounds after ${workload.warmup ?? 1} of warm-up, ` +
          `median ${formatValue(median, workload.unit)} under the profiler; ${summary.samples} samples (asked every ${options.intervalUs} µs, ` +
          `one per ${((1000 * summary.wallMs) / Math.max(1, summary.samples)).toFixed(0)} µs) over ${summary.wallMs.toFixed(0)} ms${whole}, ` +
          `${summary.busyMs.toFixed(0)} ms busy; process CPU over the whole profile (all threads) ${cpu.userMs.toFixed(0)} ms user + ${cpu.systemMs.toFixed(0)} ms system; load average ${load.start.map((l) => l.toFixed(2)).join(" ")} → ${load.end.map((l) => l.toFixed(2)).join(" ")}\n`,
      );
      console.log(formatSummary(summary));
      if (saved !== undefined) console.log(`→ ${saved}`);
      profiles.push({ contender: contender.name, clock: contender.clock, note: contender.note, median, unit: workload.unit, loadavg: load, cpu, timedWindows: timed?.length ?? 0, cpuprofile: saved, ...summary });
    }
    return profiles;
  });
  const data = { workload: workload.name, title: workload.title, intervalUs: options.intervalUs, rounds: options.rounds, warmup: workload.warmup ?? 1, profiles };
  console.log(`→ ${writeJson(`profile-${workload.name}`, data, loadavg)}`);
}
