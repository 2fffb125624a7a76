// `npm run bench -- micro` (or `micro:<engine,...>`): the cost of single operations a task switch and
// a cancellation are made of (a call, a `try`, an allocated iterator result, a `yield*`, a FIFO, a
// throw into a generator), timed by bench/engines/micro-program.ts in Node (in this process) and in
// the engines of bench/engines.ts (QuickJS, JSC and Hermes unless named otherwise).
import { ENGINES, engineVersion, installed, lowerProgram, readProgramOutput, runScript, type Level } from "./engines.js";

/** One operation's cost in nanoseconds, less the cost of the operation named by `over` when given. */
export interface MicroMeasurement {
  op: string;
  ns: number;
  over?: string;
}
export interface MicroResult {
  engine: string;
  version?: string;
  measurements: MicroMeasurement[];
  problem?: string;
}

const PROGRAM = "bench/engines/micro-program.ts";
/** The engines `micro:<name,...>` accepts: Node and the engines that run generators natively. */
export const microEngineNames: readonly string[] = ["node", ...ENGINES.filter((e) => e.level !== "es5").map((e) => e.name)];
/** The engines `micro` runs when none is named: V8 and the engines of the performance goals. */
export const defaultMicroEngines: readonly string[] = ["node", "quickjs", "jsc", "hermes"];
const ROUNDS = 5;

/** Runs the program in Node, in this process, on its own `print`. */
function runInNode(code: string): { output: string; error: string | null } {
  const lines: string[] = [];
  try {
    new Function("print", code)((line: string) => lines.push(line));
    return { output: lines.join("\n"), error: null };
  } catch (error) {
    return { output: lines.join("\n"), error: String(error) };
  }
}

/** Runs the micro-benchmarks in `engines`; `log` gets progress lines. Returns the table and the raw results. */
export async function runMicroBenchmarks(log: (line: string) => void, engines: readonly string[] = defaultMicroEngines): Promise<{ text: string; data: MicroResult[] }> {
  const programs = new Map<Level, string>();
  const results: MicroResult[] = [];
  const config = `var microConfig = ${JSON.stringify({ rounds: ROUNDS })};\n`;
  for (const name of engines) {
    log(`  ${name}…`);
    const engine = ENGINES.find((e) => e.name === name);
    if (engine !== undefined && !installed(engine)) {
      results.push({ engine: name, measurements: [], problem: "not installed (sh scripts/install-engines.sh)" });
      continue;
    }
    const level: Level = engine?.level ?? "es2015";
    if (!programs.has(level)) programs.set(level, await lowerProgram(PROGRAM, level, false));
    const code = config + (programs.get(level) as string);
    const { output, error } = engine === undefined ? runInNode(code) : await runScript(engine, code);
    const { records, problem } = readProgramOutput<MicroMeasurement>(output, error);
    const version = engine === undefined ? `node ${process.version}` : engineVersion(engine);
    results.push({ engine: name, ...(version === undefined ? {} : { version }), measurements: records, ...(problem === undefined ? {} : { problem }) });
  }
  return { text: formatMicroTable(results), data: results };
}

/** A cost in ns with the precision it has: one decimal below 10 ns, whole ns above. */
function fmtNs(ns: number): string {
  return ns.toFixed(Math.abs(ns) < 10 ? 1 : 0);
}

/**
 * A markdown table: one row per operation (in the order measured), one column per engine, in ns
 * per operation; a row with an `over` gives its extra cost over that row ("+"), an engine that
 * failed its problem below the table.
 */
export function formatMicroTable(results: MicroResult[]): string {
  const ops: MicroMeasurement[] = [];
  for (const r of results) for (const m of r.measurements) if (!ops.some((o) => o.op === m.op)) ops.push(m);
  const rows = [`| operation, ns | over | ${results.map((r) => r.engine).join(" | ")} |`, `|---|---|${results.map(() => "---:|").join("")}`];
  for (const { op, over } of ops) {
    const cells = results.map((r) => {
      const m = r.measurements.find((x) => x.op === op);
      return m === undefined ? "—" : over === undefined ? fmtNs(m.ns) : `${m.ns < 0 ? "" : "+"}${fmtNs(m.ns)}`;
    });
    rows.push(`| ${op} | ${over ?? ""} | ${cells.join(" | ")} |`);
  }
  const problems = results.filter((r) => r.problem !== undefined).map((r) => `${r.engine}: ${r.problem}`);
  return [rows.join("\n"), ...problems.map((p) => `\nproblem: ${p}`)].join("\n");
}
