// `npm run perf-page`: rewrites the generated sections of docs/performance.md from the results of
// one `npm run bench` (bench/results/*.json): the run's facts, the summary table, the goal table,
// the scaling tables and the engine table, each between
//   <!-- generated:NAME (npm run perf-page) -->   and   <!-- /generated:NAME -->
// (the convention of scripts/docs/generated-region.mjs). Every other line of the page stays as it is.
// It refuses results that are missing, come from different runs or lack a row a table needs.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { formatEngineTable, type EngineResult } from "./engines.js";
import { evaluateGoals, goalTable } from "./goals.js";
import { readJson, resultsDir, type Stamp, type WorkloadResult } from "./harness.js";
import { formatScalingMarkdown, type ScalingData } from "./scaling.js";
import { summaryTable } from "./summary.js";

/** The V8 workloads, in the summary table's order. */
export const workloadNames = ["switch", "gather", "heap", "timers", "cancel"] as const;
/** Every result file the page reads (bench/results/<name>.json). */
export const resultNames = [...workloadNames, "scaling", "engines"] as const;
export type ResultName = (typeof resultNames)[number];

/** One run's results, each file with its stamp (see `writeJson`). */
export type RunResults = { [K in (typeof workloadNames)[number]]: Stamp & WorkloadResult } & {
  scaling: Stamp & ScalingData;
  engines: Stamp & { engines: EngineResult[] };
};

/** The generated sections of the page, in the page's order. */
export const sectionNames = ["bench-run", "bench-summary", "bench-goals", "bench-scaling", "bench-engines"] as const;
export type SectionName = (typeof sectionNames)[number];

const rerun = "run `npm run bench` (every workload, in one run), then `npm run perf-page`";

/** The results cannot make the page: missing, from several runs, or without a section's markers. */
export class PageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PageError";
  }
}

/**
 * Reads every result file the page needs from `dir`.
 * @throws PageError naming the missing files and what to rerun.
 */
export function loadResults(dir = resultsDir): RunResults {
  const missing = resultNames.filter((name) => !existsSync(join(dir, `${name}.json`)));
  if (missing.length > 0) {
    throw new PageError(`missing result file(s): ${missing.map((name) => join(relative(process.cwd(), dir) || ".", `${name}.json`)).join(", ")}: ${rerun}`);
  }
  return Object.fromEntries(resultNames.map((name) => [name, readJson(name, dir)])) as RunResults;
}

/** The run every result file belongs to. @throws PageError listing the runs when they differ. */
export function runOf(results: RunResults): Stamp["run"] {
  const byRun = new Map<string, ResultName[]>();
  for (const name of resultNames) {
    const id = results[name].run?.id ?? "(no run id: written before results were stamped)";
    byRun.set(id, [...(byRun.get(id) ?? []), name]);
  }
  if (byRun.size > 1) {
    const runs = [...byRun].map(([id, names]) => `  ${id}: ${names.join(", ")}`).join("\n");
    throw new PageError(`the results come from different runs:\n${runs}\n${rerun}`);
  }
  return results[resultNames[0]].run;
}

const utc = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
const load = (x: number): string => x.toFixed(2);

/** The paragraph of the run's facts: commit, dates, machine, load, engine versions, and how to reproduce it. */
function runFacts(results: RunResults): string {
  const run = runOf(results);
  const files = resultNames.map((name) => results[name]).sort((a, b) => a.date.localeCompare(b.date));
  const first = files[0];
  const last = files[files.length - 1];
  const m = first.machine as { node?: string; v8?: string; platform?: string; arch?: string; cpus?: number; cpu?: string };
  const loads = files.flatMap((f) => [f.loadavg.start[0], f.loadavg.end[0]]);
  const commit =
    run.commit === null ? "an unknown commit (no git)" : run.commit.endsWith("-dirty") ? `\`${run.commit.slice(0, -"-dirty".length)}\` with uncommitted changes` : `\`${run.commit}\``;
  const versions = new Map<string, string[]>();
  for (const e of results.engines.engines) {
    if (e.version !== undefined) versions.set(e.version, [...(versions.get(e.version) ?? []), e.engine]);
  }
  const engines = versions.size === 0 ? "" : ` Engines: ${[...versions].map(([version, names]) => `${names.join(", ")} ${version}`).join("; ")}.`;
  return (
    `One run of \`npm run bench\` (run \`${run.id}\`), each workload in a Node process of its own, at commit ${commit}, ` +
    `from ${utc(run.started)} to ${utc(last.date)}, on Node ${m.node} (V8 ${m.v8}), ${m.platform} ${m.arch}, ${m.cpus} × ${m.cpu}. ` +
    `One-minute load average ${load(first.loadavg.start[0])} at the start and ${load(last.loadavg.end[0])} at the end ` +
    `(${load(Math.min(...loads))}–${load(Math.max(...loads))} at the workloads' starts and ends).${engines} ` +
    `To reproduce it: \`npm run bench\`, then \`npm run perf-page\`, which rewrites these generated sections from \`bench/results/\`.\n`
  );
}

/**
 * The text of every generated section, from one run's results.
 * @throws PageError when the results come from different runs
 * @throws MissingResult when a result lacks a row a table needs
 */
export function renderSections(results: RunResults): Record<SectionName, string> {
  return {
    "bench-run": runFacts(results),
    "bench-summary": summaryTable(workloadNames.map((name) => results[name])) + "\n",
    "bench-goals": goalTable(evaluateGoals(results)) + "\n",
    "bench-scaling": formatScalingMarkdown(results.scaling) + "\n",
    "bench-engines": formatEngineTable(results.engines.engines) + "\n",
  };
}

interface RegionTools {
  replaceRegion(text: string, name: string, body: string): string | null;
}

/**
 * `page` (the text of a markdown file named `file`) with each generated section replaced by its
 * text; everything outside the markers unchanged.
 * @throws PageError when the page lacks a section's markers
 */
export async function rewritePage(page: string, sections: Record<SectionName, string>, file = "docs/performance.md"): Promise<string> {
  const { replaceRegion } = (await import(new URL("../../scripts/docs/generated-region.mjs", import.meta.url).href)) as RegionTools;
  let text = page;
  for (const name of sectionNames) {
    const next = replaceRegion(text, name, sections[name]);
    if (next === null) throw new PageError(`${file} has no generated section ${name}: add <!-- generated:${name} (npm run perf-page) --> and <!-- /generated:${name} --> where it goes`);
    text = next;
  }
  return text;
}

const usage = "usage: npm run perf-page [-- --results <dir>] [--page <file.md>]   (defaults: bench/results, docs/performance.md)";

async function main(args: string[]): Promise<void> {
  const option = (flag: string, fallback: string): string => {
    const i = args.indexOf(flag);
    return i < 0 ? fallback : (args[i + 1] ?? "");
  };
  const known = args.every((a, i) => a === "--results" || a === "--page" || args[i - 1] === "--results" || args[i - 1] === "--page");
  const dir = option("--results", resultsDir);
  const file = option("--page", fileURLToPath(new URL("../../docs/performance.md", import.meta.url)));
  if (!known || dir === "" || file === "") {
    console.error(usage);
    process.exit(2);
  }
  try {
    const results = loadResults(dir);
    const before = readFileSync(file, "utf8");
    const after = await rewritePage(before, renderSections(results), relative(process.cwd(), file));
    if (after !== before) writeFileSync(file, after);
    console.log(`${relative(process.cwd(), file)}: ${sectionNames.join(", ")} ${after === before ? "unchanged" : "rewritten"} from run ${runOf(results).id}`);
  } catch (error) {
    if (!(error instanceof Error) || (error.name !== "PageError" && error.name !== "MissingResult")) throw error;
    console.error(`perf-page: ${error.message}`);
    process.exit(1);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
