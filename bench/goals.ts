// The performance goals as data, and their evaluation on one run's results: the goal
// table of docs/performance.md (`npm run perf-page`). On V8 (the Node that ran `npm run bench`)
// unless a goal names engines.
import { fmtRate, rateOf, scalingSizes, spawnWaitScaling, type EngineResult } from "./engines.js";
import type { ScalingData, ScalingRow } from "./scaling.js";
import { formatRatio, formatValue, type Row, type WorkloadResult } from "./harness.js";

/** The thresholds of the goals: what the goal table measures against. */
export const thresholds = {
  /** Typed switch (`yield* sleep(0)`) and the same compiled by the compile step: rates at least these multiples. */
  switchVsNative: 1.0,
  switchVsRaw: 0.5,
  /** Spawn + gather of 100 000 children. */
  gatherVsRaw: 0.5,
  gatherVsCo: 1.0,
  /** Cancelling 10 000 sleeping tasks. */
  cancelVsNative: 1.0,
  /** Heap per task suspended on a long sleep, in bytes, at most. */
  heapBytes: 350,
  /** CPU per task of 100 000 timers, at most this multiple of the raw loop's. */
  timersVsRaw: 1.2,
  /** In the restricted engines: switch and cancel at least this multiple of the engine's own async/await. */
  engineVsNative: 1.0,
  /** No O(n²) in the ES5 engines: the spawn + wait check's cost per task grows at most this much from 10³ to 10⁵ (n² would be 100×). */
  maxEngineScalingGrowth: 3,
  /** Flat cost per task: from 10³ to 10⁶ tasks, it grows at most this much. */
  maxFlatGrowth: 3,
} as const;

/** The engines whose switch and cancel are compared with their own async/await, and those checked for O(n²). */
export const nativeGoalEngines = ["jsc", "hermes", "quickjs"] as const;
export const scalingGoalEngines = ["duktape", "mujs"] as const;

/** The V8 workloads the goals read. */
export interface V8Results {
  switch: WorkloadResult;
  gather: WorkloadResult;
  heap: WorkloadResult;
  timers: WorkloadResult;
  cancel: WorkloadResult;
}
/** Everything the goals read: one run's results. */
export interface GoalResults extends V8Results {
  scaling: ScalingData;
  /** As bench/results/engines.json holds them. */
  engines: { engines: EngineResult[] };
}

/** One line of the goal table. */
export interface GoalOutcome {
  goal: string;
  /** The ratios measured, with the values they come from. */
  measured: string;
  met: boolean;
}

/** A result lacks what a goal reads: `file` is the result file's name (bench/results/<file>.json). */
export class MissingResult extends Error {
  constructor(
    readonly file: string,
    readonly what: string,
  ) {
    super(`bench/results/${file}.json has no ${what}: rerun \`npm run bench\` (every workload, in one run), then \`npm run perf-page\``);
    this.name = "MissingResult";
  }
}

/** A row of a V8 workload: its contender's name and, where the workload has several, its clock. */
interface RowRef {
  name: string;
  clock?: string;
  /** How the goal table names it. */
  label: string;
}

/** `of`'s median against `to`'s: at least `min` (rates), or at most `max` (costs). `counts: false` reports it beside the goal without deciding it. */
interface Comparison {
  of: RowRef;
  to: RowRef;
  min?: number;
  max?: number;
  counts?: boolean;
  /** Why a comparison that does not count is reported. */
  why?: string;
}

/** A goal on a V8 workload: comparisons between its rows, or a bound on one row's value. */
interface WorkloadGoal {
  workload: keyof V8Results;
  goal: string;
  comparisons: Comparison[];
  bound?: { of: RowRef; max: number };
}

/** A threshold as the goal table writes it: 1.0×, 0.5×. */
const x = (threshold: number): string => `${threshold.toFixed(1)}×`;
/** 10³ for 1000. */
const power = (n: number): string => `10${String(Math.round(Math.log10(n))).replace(/\d/g, (d) => "⁰¹²³⁴⁵⁶⁷⁸⁹"[Number(d)])}`;

const genloop: RowRef = { name: "genloop", label: "genloop" };
const native: RowRef = { name: "native async", label: "native" };
const raw: RowRef = { name: "raw generators", label: "raw" };

/** The V8 goals, as data. */
export const workloadGoals: readonly WorkloadGoal[] = [
  {
    workload: "switch",
    goal: `switch, the typed form \`yield* sleep(0)\`: ≥ ${x(thresholds.switchVsNative)} native \`await null\`, ≥ ${x(thresholds.switchVsRaw)} raw generators`,
    comparisons: [
      { of: genloop, to: native, min: thresholds.switchVsNative },
      { of: genloop, to: raw, min: thresholds.switchVsRaw },
    ],
  },
  {
    workload: "switch",
    goal: `switch, the typed form compiled by [the compile step](compile-step.md): ≥ ${x(thresholds.switchVsNative)} native, ≥ ${x(thresholds.switchVsRaw)} raw`,
    comparisons: [
      { of: { name: "genloop, compiled", label: "compiled" }, to: native, min: thresholds.switchVsNative },
      { of: { name: "genloop, compiled", label: "compiled" }, to: raw, min: thresholds.switchVsRaw },
    ],
  },
  {
    workload: "gather",
    goal: `spawn + gather of 100 000 children: ≥ ${x(thresholds.gatherVsRaw)} raw, ≥ ${x(thresholds.gatherVsCo)} co (decided by the default tasks; eager tasks reported)`,
    comparisons: [
      { of: genloop, to: raw, min: thresholds.gatherVsRaw },
      { of: genloop, to: { name: "co", label: "co" }, min: thresholds.gatherVsCo },
      { of: { name: "genloop, eager tasks", label: "eager tasks" }, to: raw, min: thresholds.gatherVsRaw, counts: false, why: "reported" },
      { of: { name: "genloop, eager tasks", label: "eager tasks" }, to: { name: "co", label: "co" }, min: thresholds.gatherVsCo, counts: false, why: "reported" },
    ],
  },
  {
    workload: "cancel",
    goal: `cancel 10 000 sleeping tasks: ≥ ${x(thresholds.cancelVsNative)} native (one \`AbortSignal\`)`,
    comparisons: [{ of: genloop, to: native, min: thresholds.cancelVsNative }],
  },
  {
    workload: "heap",
    goal: `heap per task suspended on a long sleep: ≤ ${thresholds.heapBytes} B`,
    comparisons: [],
    bound: { of: genloop, max: thresholds.heapBytes },
  },
  {
    workload: "timers",
    goal: `100 000 timers, CPU per task: ≤ ${x(thresholds.timersVsRaw)} raw (decided with both on the real clock; genloop's virtual clock against raw's real one reported)`,
    comparisons: [
      { of: { name: "genloop", clock: "real", label: "genloop, real clock" }, to: { name: "raw generators", clock: "real", label: "raw, real clock" }, max: thresholds.timersVsRaw },
      {
        of: { name: "genloop", clock: "virtual", label: "genloop, virtual clock" },
        to: { name: "raw generators", clock: "real", label: "raw, real clock" },
        max: thresholds.timersVsRaw,
        counts: false,
        why: "not counted: different clocks",
      },
    ],
  },
];

function findRow(results: V8Results, workload: keyof V8Results, ref: RowRef): Row {
  const row = results[workload].rows.find((r) => r.name === ref.name && (ref.clock === undefined || r.clock === ref.clock));
  if (row === undefined || Number.isNaN(row.median)) {
    throw new MissingResult(workload, `row "${ref.name}"${ref.clock === undefined ? "" : ` on the ${ref.clock} clock`} with a median`);
  }
  return row;
}

const holds = (value: number, c: { min?: number; max?: number }): boolean =>
  (c.min === undefined || value >= c.min) && (c.max === undefined || value <= c.max);

function evaluateWorkloadGoal(results: V8Results, g: WorkloadGoal): GoalOutcome {
  const unit = results[g.workload].unit;
  const parts: string[] = [];
  let met = true;
  if (g.bound !== undefined) {
    const value = findRow(results, g.workload, g.bound.of).median;
    parts.push(`${g.bound.of.label} ${formatValue(value, unit)}`);
    met &&= holds(value, g.bound);
  }
  for (const c of g.comparisons) {
    const of = findRow(results, g.workload, c.of).median;
    const to = findRow(results, g.workload, c.to).median;
    const ratio = of / to;
    const counted = c.counts ?? true;
    const text = `${c.of.label} ${formatRatio(ratio)} ${c.to.label} (${formatValue(of, unit)} against ${formatValue(to, unit)})`;
    parts.push(counted ? text : `${text}, ${c.why ?? "reported"}`);
    if (counted) met &&= holds(ratio, c);
  }
  return { goal: g.goal, measured: parts.join("; "), met };
}

function engine(results: GoalResults, name: string): EngineResult {
  const r = results.engines.engines.find((e) => e.engine === name);
  if (r === undefined || r.measurements.length === 0) {
    throw new MissingResult("engines", `result for the engine ${name}${r?.problem === undefined ? "" : ` (${r.problem})`}`);
  }
  return r;
}

function engineRate(r: EngineResult, work: string, contender: string): number {
  const rate = rateOf(r, work, contender);
  if (rate === undefined) throw new MissingResult("engines", `${work} measurement of "${contender}" in ${r.engine}`);
  return rate;
}

/** Growth of a scaling row's cost per task from the first size to the last, or undefined when the row stops earlier. */
function growth(row: ScalingRow): { growth: number; first: number; last: number } | undefined {
  const first = row.medians[0];
  const last = row.medians[row.medians.length - 1];
  return first === null || last === null || first === undefined || last === undefined ? undefined : { growth: last / first, first, last };
}

const seriesGoals = [
  { series: "tasks", label: "switch (tasks)" },
  { series: "gathers", label: "gather" },
  { series: "timers", label: "timers" },
] as const;

/**
 * The goal table's lines for one run's results.
 * @throws MissingResult when a result lacks a row or measurement a goal reads.
 */
export function evaluateGoals(results: GoalResults): GoalOutcome[] {
  const out = workloadGoals.map((g) => evaluateWorkloadGoal(results, g));
  for (const [work, contender] of [
    ["switch", "genloop yield*"],
    ["cancel", "genloop"],
  ] as const) {
    for (const name of nativeGoalEngines) {
      const r = engine(results, name);
      const g = engineRate(r, work, contender);
      const n = engineRate(r, work, "native async");
      out.push({
        goal: `${name}, ${work}${work === "switch" ? " (typed)" : ""}: ≥ ${x(thresholds.engineVsNative)} the engine's own async/await`,
        measured: `${formatRatio(g / n)} (${fmtRate(g)} against ${fmtRate(n)})`,
        met: g / n >= thresholds.engineVsNative,
      });
    }
  }
  for (const name of scalingGoalEngines) {
    const s = spawnWaitScaling(engine(results, name));
    if (s === undefined) throw new MissingResult("engines", `spawn + wait scaling check in ${name}`);
    out.push({
      goal: `${name}, no O(n²): cost per task of spawn + wait grows ≤ ${x(thresholds.maxEngineScalingGrowth)} from ${power(scalingSizes[0])} to ${power(scalingSizes[scalingSizes.length - 1])} tasks (n² would be ${(scalingSizes[scalingSizes.length - 1] / scalingSizes[0]).toLocaleString("en")}×)`,
      measured: `${formatRatio(s.growth)} growth (${s.perTask[0].toFixed(1)} → ${s.perTask[s.perTask.length - 1].toFixed(1)} µs per task)`,
      met: s.growth <= thresholds.maxEngineScalingGrowth,
    });
  }
  const sizes = results.scaling.sizes;
  const span = `${power(sizes[0])} → ${power(sizes[sizes.length - 1])}`;
  for (const { series, label } of seriesGoals) {
    const rows = results.scaling[series];
    const pick = (name: string) => rows.filter((r) => r.name === name);
    const genloopRows = pick("genloop");
    if (genloopRows.length === 0) throw new MissingResult("scaling", `genloop row in the ${series} series`);
    const describe = (r: ScalingRow): string => {
      const g = growth(r);
      const who = `${r.name}${r.clock === "-" ? "" : ` (${r.clock} clock)`}`;
      return g === undefined ? `${who} —` : `${who} ${formatRatio(g.growth)} (${formatValue(g.first, "ns/op")} → ${formatValue(g.last, "ns/op")})`;
    };
    const genloopGrowth = genloopRows.map((r) => {
      const g = growth(r);
      if (g === undefined) throw new MissingResult("scaling", `genloop ${series} median at every size`);
      return g.growth;
    });
    out.push({
      goal: `flat cost per task, ${label}: grows ≤ ${x(thresholds.maxFlatGrowth)} from ${span} (every genloop row)`,
      measured: [...genloopRows, ...pick("raw generators"), ...pick("native async")].map(describe).join("; "),
      met: genloopGrowth.every((g) => g <= thresholds.maxFlatGrowth),
    });
  }
  return out;
}

/** The goal table in markdown. */
export function goalTable(outcomes: readonly GoalOutcome[]): string {
  return [
    "| goal | genloop in this run | met |",
    "|---|---|---|",
    ...outcomes.map((o) => `| ${o.goal} | ${o.measured} | ${o.met ? "yes" : "no"} |`),
  ].join("\n");
}
