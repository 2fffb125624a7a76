// `npm run bench -- engines`: switch, gather, cancel and timers inside the engines of the conformance
// matrix that run a script file (the browser and workerd, driven through pages and fetch, are not here), each
// against the engine's own async/await (where it has promises: its async functions, not TypeScript's
// emulation of them on generators) and the raw generator loop, all in one engine instance, each
// engine on the bundle its conformance row uses (Hermes also on the ES5 one); plus a scaling check
// (10^3 to 10^5 tasks) in the ES5 engines (Duktape, mujs), whose Map/Set are the bundle's own fallbacks.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";
import type { QuickJSContext } from "quickjs-emscripten-core";

export type Level = "es2015" | "hermes" | "es5";
export interface EngineBench {
  name: string;
  level: Level;
  /** An external program run on one script file, or the in-process QuickJS (with its Promise). */
  command?: string[];
  quickjs?: string;
  /** Has promises and async functions: the native column is measured, on the engine's own async functions. */
  native: boolean;
  /** The level the benchmark program is lowered to, when not the bundle's. */
  programLevel?: Level;
  /** Size multiplier: slow interpreters run smaller workloads (rates stay comparable). */
  scale: number;
  prelude?: string;
  /** Also run the scaling check (engines whose collections are the bundle's own). */
  scaling?: boolean;
  /** The most arguments one call may take (mujs: about 200), which bounds gather(...children). */
  maxArgs?: number;
  /** The npm package that installs the engine, which gives its version (else the Debian package of its command). */
  npmPackage?: string;
}
interface Measurement {
  work: string;
  contender: string;
  count: number;
  ms: number;
  rate: number;
}
export interface EngineResult {
  engine: string;
  /** The engine's version, where the engine reports one. */
  version?: string;
  /** The genloop bundle the engine ran (dist/ file name, readable variant). */
  bundle?: string;
  measurements: Measurement[];
  problem?: string;
}

const hermes = resolve("node_modules/hermes-engine-cli/linux64-bin/hermes");
const npmBin = (name: string): string => resolve("node_modules/.bin", name);
// Bun and Deno have console.log rather than print.
const consolePrint = `var print = function (line) { console.log(line); };
`;
const mujsPrelude = `var globalThis = this;
if (typeof Symbol === "undefined") { var Symbol = function Symbol() {}; Symbol.iterator = "@@iterator"; }
`;
export const ENGINES: readonly EngineBench[] = [
  { name: "quickjs", level: "es2015", quickjs: "@jitl/quickjs-wasmfile-release-sync", npmPackage: "@jitl/quickjs-wasmfile-release-sync", native: true, scale: 1 },
  { name: "quickjs-ng", level: "es2015", quickjs: "@jitl/quickjs-ng-wasmfile-release-sync", npmPackage: "@jitl/quickjs-ng-wasmfile-release-sync", native: true, scale: 1 },
  { name: "jsc", level: "es2015", command: ["jsc"], native: true, scale: 10 },
  { name: "spidermonkey", level: "es2015", command: ["js102"], native: true, scale: 10 },
  { name: "bun", level: "es2015", command: [npmBin("bun")], native: true, scale: 10, prelude: consolePrint, npmPackage: "bun" },
  { name: "deno", level: "es2015", command: [npmBin("deno"), "run", "--quiet", "--no-config", "--no-lock"], native: true, scale: 10, prelude: consolePrint, npmPackage: "deno" },
  { name: "hermes", level: "hermes", command: [hermes, "-Xes6-promise"], native: true, scale: 1, npmPackage: "hermes-engine-cli" },
  // Hermes on the ES5 bundle, the one it ran before it had its own: with the same program as the
  // row above (its coroutines native generators), what the bundle alone changes; then with the
  // program compiled to ES5 too, as before (no native column: its async functions would be
  // TypeScript's emulation).
  { name: "hermes-es5-bundle", level: "es5", programLevel: "hermes", command: [hermes, "-Xes6-promise"], native: true, scale: 1, npmPackage: "hermes-engine-cli" },
  { name: "hermes-es5", level: "es5", command: [hermes, "-Xes6-promise"], native: false, scale: 1, npmPackage: "hermes-engine-cli" },
  { name: "duktape", level: "es5", command: ["duk"], native: false, scale: 0.2, scaling: true },
  { name: "rhino", level: "es5", command: ["rhino", "-version", "200"], native: false, scale: 0.2 },
  { name: "mujs", level: "es5", command: ["mujs"], native: false, scale: 0.1, prelude: mujsPrelude, scaling: true, maxArgs: 200 },
];

/** The engines `npm run bench -- engines:<name,...>` accepts. */
export const engineNames: readonly string[] = ENGINES.map((e) => e.name);

/** bench/engines/compiled-switcher.ts compiled by the compile step, once for both levels. */
let compiledSwitcher: string | undefined;

type Lower = (code: string, level: Level, file: string, options: { nativeAsync: boolean }) => string;

/** scripts/bundle/bundles.mjs's lowering, the one the bundles are made with. */
async function lowering(): Promise<{ bundleFile(level: Level): string; lowerScript: Lower }> {
  return (await import(pathToFileURL(resolve("scripts/bundle/bundles.mjs")).href)) as { bundleFile(level: Level): string; lowerScript: Lower };
}

/**
 * The program `entry` bundled into one script (its imports inlined, `plugins` given the chance to
 * replace a source) and lowered to `level`, its async functions native where the engine runs them.
 */
export async function lowerProgram(entry: string, level: Level, nativeAsync: boolean, plugins: Plugin[] = []): Promise<string> {
  const bundled = await build({ entryPoints: [entry], bundle: true, format: "iife", target: "esnext", platform: "neutral", write: false, logLevel: "warning", plugins });
  return (await lowering()).lowerScript(bundled.outputFiles[0].text, level, "bench-program.ts", { nativeAsync });
}

/** The benchmark program lowered to `level`, its async functions native where the engine runs them (`nativeAsync`). */
async function programText(level: Level, nativeAsync: boolean): Promise<string> {
  const { compileTyped } = await import("./compile-step.js");
  compiledSwitcher ??= compileTyped("bench/engines/compiled-switcher.ts").js;
  const compiled = compiledSwitcher;
  // The worker compiled by the compile step replaces its source.
  return lowerProgram("bench/engines/program.ts", level, nativeAsync, [
    { name: "compiled-switcher", setup: (b) => b.onLoad({ filter: /compiled-switcher\.ts$/ }, () => ({ contents: compiled, loader: "js" })) },
  ]);
}

/** Whether the engine's program is installed (the in-process QuickJS always is). */
export function installed(engine: EngineBench): boolean {
  return engine.command === undefined || found(engine.command);
}

function found(command: string[]): boolean {
  if (command[0].includes("/")) return existsSync(command[0]);
  return spawnSync("sh", ["-c", `command -v ${command[0]}`]).status === 0;
}

/** The package and version the engine comes from ("duktape 2.7.0-2"), or undefined when neither npm nor dpkg knows it. */
export function engineVersion(engine: EngineBench): string | undefined {
  if (engine.npmPackage !== undefined) {
    const file = resolve("node_modules", engine.npmPackage, "package.json");
    return existsSync(file) ? `${engine.npmPackage} ${(JSON.parse(readFileSync(file, "utf8")) as { version: string }).version}` : undefined;
  }
  if (engine.command === undefined) return undefined;
  const sh = (script: string): string => spawnSync("sh", ["-c", script], { encoding: "utf8" }).stdout?.trim() ?? "";
  const debianPackage = sh(`dpkg -S "$(readlink -f "$(command -v ${engine.command[0]})")" 2>/dev/null | cut -d: -f1`);
  const version = debianPackage === "" ? "" : sh(`dpkg-query -W -f '\${Version}' ${debianPackage} 2>/dev/null`);
  return version === "" ? undefined : `${debianPackage} ${version}`;
}

/**
 * A benchmark program's printed lines read back: its `RESULT {json}` records, and its problem when
 * it failed (`error`), printed `ERROR` lines or did not print `DONE`.
 */
export function readProgramOutput<T>(output: string, error: string | null): { records: T[]; problem?: string } {
  const lines = output.split(/\r?\n/);
  const records = lines.filter((l) => l.startsWith("RESULT ")).map((l) => JSON.parse(l.slice(7)) as T);
  const errors = lines.filter((l) => l.startsWith("ERROR "));
  const done = lines.includes("DONE");
  const problem = error ?? (errors.length > 0 ? errors.join("; ") : done ? undefined : "the program did not finish");
  return problem === undefined ? { records } : { records, problem };
}

function parse(engine: string, output: string, error: string | null): EngineResult {
  const { records: measurements, problem } = readProgramOutput<Measurement>(output, error);
  return problem === undefined ? { engine, measurements } : { engine, measurements, problem };
}

async function runQuickJS(variantPackage: string, code: string): Promise<{ output: string; error: string | null }> {
  const { newQuickJSWASMModuleFromVariant } = await import("quickjs-emscripten-core");
  const variant = (await import(variantPackage)).default;
  // A module of this run's own, never freed: freeing its runtime makes QuickJS and QuickJS-ng
  // assert that no object is left, and objects the workloads leave behind (abandoned generators
  // in cycles, run from the job queue) are. Its WebAssembly memory goes with the module.
  const module = await newQuickJSWASMModuleFromVariant(variant);
  const runtime = module.newRuntime();
  const context = runtime.newContext();
  const { evalWithPrint } = (await import(pathToFileURL(resolve("scripts/engines/harness.mjs")).href)) as {
    evalWithPrint(context: QuickJSContext, code: string, fileName: string): { lines: string[]; error: string | null };
  };
  const { lines, error } = evalWithPrint(context, code, "bench.js");
  if (error !== null) return { output: lines.join("\n"), error };
  // Most of the program runs from the job queue (genloop's samples in turn with the native ones): drain it until it says DONE.
  for (let i = 0; i < 1_000_000 && !lines.includes("DONE"); i++) {
    const jobs = runtime.executePendingJobs();
    if (jobs.error) {
      const error = JSON.stringify(context.dump(jobs.error));
      jobs.error.dispose();
      return { output: lines.join("\n"), error };
    }
    if (jobs.value === 0) break;
  }
  return { output: lines.join("\n"), error: null };
}

/** Runs the script `code` in `engine` (after the engine's prelude); returns what it printed and its failure, if any. */
export async function runScript(engine: EngineBench, code: string): Promise<{ output: string; error: string | null }> {
  const script = (engine.prelude ?? "") + code;
  return engine.quickjs ? runQuickJS(engine.quickjs, script) : runCommand(engine.command as string[], script);
}

function runCommand(command: string[], code: string): { output: string; error: string | null } {
  const dir = mkdtempSync(join(tmpdir(), "genloop-bench-"));
  try {
    const file = join(dir, "bench.js");
    writeFileSync(file, code);
    const r = spawnSync(command[0], [...command.slice(1), file], { encoding: "utf8", timeout: 600_000, maxBuffer: 16 << 20 });
    const error = r.error ? r.error.message : r.status !== 0 ? `exit status ${r.status}: ${(r.stderr || r.stdout).trim().split("\n").slice(-3).join(" | ")}` : null;
    return { output: r.stdout ?? "", error };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs the engine benchmarks, in every engine or in those named by `only`; `log` gets progress
 * lines. Returns the table and the raw results.
 */
export async function runEngineBenchmarks(log: (line: string) => void, only?: readonly string[]): Promise<{ text: string; data: EngineResult[] }> {
  const harness = (await import(pathToFileURL(resolve("scripts/engines/harness.mjs")).href)) as {
    bundleText(level: Level): Promise<string>;
  };
  const { bundleFile } = await lowering();
  const programs = new Map<string, string>();
  const results: EngineResult[] = [];
  for (const engine of ENGINES) {
    if (only !== undefined && !only.includes(engine.name)) continue;
    if (!installed(engine)) {
      results.push({ engine: engine.name, measurements: [], problem: "not installed (sh scripts/install-engines.sh)" });
      continue;
    }
    const runs = engine.scaling ? [false, true] : [false];
    const measurements: Measurement[] = [];
    let problem: string | undefined;
    for (const scaling of runs) {
      log(`  ${engine.name}${scaling ? " (scaling)" : ""}…`);
      const config = { scale: engine.scale, native: engine.native, rounds: scaling ? 1 : 5, scaling, maxArgs: engine.maxArgs ?? 1e9 };
      const programLevel = engine.programLevel ?? engine.level;
      const key = `${programLevel}${engine.native ? ", native async" : ""}`;
      if (!programs.has(key)) programs.set(key, await programText(programLevel, engine.native));
      const code = `var benchConfig = ${JSON.stringify(config)};\n${await harness.bundleText(engine.level)}\n${programs.get(key)}`;
      const { output, error } = await runScript(engine, code);
      const result = parse(engine.name, output, error);
      measurements.push(...result.measurements);
      problem ??= result.problem;
    }
    const bundle = bundleFile(engine.level).slice("dist/".length);
    const version = engineVersion(engine);
    results.push({ engine: engine.name, ...(version === undefined ? {} : { version }), bundle, measurements, ...(problem === undefined ? {} : { problem }) });
  }
  return { text: formatEngineTable(results), data: results };
}

/** The rate of `contender` on `work` in one engine's results, or undefined when it was not measured. */
export const rateOf = (r: EngineResult, work: string, contender: string): number | undefined =>
  r.measurements.find((m) => m.work === work && m.contender === contender)?.rate;

export function fmtRate(v: number | undefined): string {
  if (v === undefined) return "—";
  return v >= 1e6 ? `${(v / 1e6).toFixed(2)} M/s` : `${(v / 1e3).toFixed(1)} k/s`;
}
const ratio = (a: number | undefined, b: number | undefined): string => (a === undefined || b === undefined ? "—" : `${(a / b).toFixed(2)}×`);

/** The sizes of the spawn + wait scaling check (ES5 engines). */
export const scalingSizes = [1000, 10000, 100000];

/**
 * The spawn + wait scaling check's µs per task at each of `scalingSizes`, and its growth from the
 * first to the last, or undefined when the engine did not run it.
 */
export function spawnWaitScaling(r: EngineResult): { perTask: number[]; growth: number } | undefined {
  const runs = scalingSizes.map((n) => r.measurements.find((m) => m.work === `spawn-wait-scaling-${n}`));
  if (!runs.every((m) => m !== undefined)) return undefined;
  const perTask = runs.map((m) => ((m as Measurement).ms * 1000) / (m as Measurement).count);
  return { perTask, growth: perTask[perTask.length - 1] / perTask[0] };
}

/**
 * A markdown table: per engine and workload, genloop's rate and its ratio to the engine's own
 * async/await and to the raw generator loop (above 1× means genloop is faster).
 */
export function formatEngineTable(results: EngineResult[]): string {
  const rows: string[] = [
    "| engine | bundle | workload | genloop | vs native async | vs raw generators |",
    "|---|---|---|---|---|---|",
  ];
  const works: [string, string][] = [
    ["switch", "genloop yield*"],
    ["switch (bare yield)", "genloop yield"],
    ["switch (compiled)", "genloop yield*, compiled"],
    ["gather", "genloop"],
    ["gather (eager tasks)", "genloop eager"],
    ["cancel", "genloop"],
    ["timers", "genloop"],
  ];
  for (const r of results) {
    if (r.measurements.length === 0) {
      rows.push(`| ${r.engine} | | ${r.problem ?? "no result"} | | | |`);
      continue;
    }
    for (const [label, contender] of works) {
      const work = label.split(" ")[0];
      const g = rateOf(r, work, contender);
      rows.push(`| ${r.engine} | ${r.bundle ?? ""} | ${label} | ${fmtRate(g)} | ${ratio(g, rateOf(r, work, "native async"))} | ${ratio(g, rateOf(r, work, "raw generators"))} |`);
    }
    const scaling = spawnWaitScaling(r);
    if (scaling !== undefined) {
      // Whether it is flat enough is the goal table's to say (bench/goals.ts).
      rows.push(
        `| ${r.engine} | ${r.bundle ?? ""} | spawn + wait scaling, µs per task at 10³ / 10⁴ / 10⁵ | ${scaling.perTask.map((v) => v.toFixed(1)).join(" / ")} | | ${scaling.growth.toFixed(2)}× growth |`,
      );
    }
    if (r.problem !== undefined) rows.push(`| ${r.engine} | ${r.bundle ?? ""} | problem: ${r.problem} | | | |`);
  }
  return rows.join("\n");
}
