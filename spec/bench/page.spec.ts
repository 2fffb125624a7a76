// The performance page's generator (`npm run perf-page`) on results made up here: it fills each
// generated section of the page, decides each goal at its threshold, and refuses results that are
// missing, from different runs or without a row it needs. No benchmark runs.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import type { EngineResult } from "../../bench/engines.js";
import { evaluateGoals, MissingResult, thresholds, type GoalOutcome } from "../../bench/goals.js";
import type { Row, Stamp, WorkloadResult } from "../../bench/harness.js";
import { loadResults, PageError, renderSections, resultNames, rewritePage, runOf, sectionNames, type RunResults } from "../../bench/page.js";
import type { ScalingRow } from "../../bench/scaling.js";

function stamp(id = "2026-12-07T06-00-00Z-abc1234", minute = 0): Stamp {
  return {
    run: { id, commit: "abc1234", started: "2026-12-07T06:00:00.000Z" },
    date: `2026-12-07T06:${String(minute + 1).padStart(2, "0")}:00.000Z`,
    machine: { node: "v20.20.2", v8: "11.3.244.8-node.38", platform: "linux", arch: "x64", cpus: 2, cpu: "AMD EPYC" },
    loadavg: { start: [1 + minute / 10, 1, 1], end: [1.05 + minute / 10, 1, 1] },
  };
}
const row = (name: string, clock: string, median: number): Row => ({ name, clock, samples: Number.isNaN(median) ? [] : [median], median, ratio: null });
function workload(name: string, unit: string, better: "higher" | "lower", rows: Row[], minute: number): Stamp & WorkloadResult {
  return { ...stamp(undefined, minute), name, title: `${name}: a workload (${unit})`, unit, better, rows };
}
const series = (name: string, clock: string, first: number, growth: number): ScalingRow => ({ name, clock, medians: [first, first * 1.5, first * 2, first * growth] });
const measure = (work: string, contender: string, rate: number) => ({ work, contender, count: rate, ms: 1000, rate });
const spawnWait = (perTaskUs: number[]) => [1000, 10000, 100000].map((n, i) => ({ work: `spawn-wait-scaling-${n}`, contender: "genloop", count: n, ms: (perTaskUs[i] * n) / 1000, rate: 0 }));

/** A run whose every goal sits exactly at its threshold (rates and costs chosen so the ratios are exact). */
function results(): RunResults {
  const engines: EngineResult[] = ["jsc", "hermes", "quickjs"].map((engine) => ({
    engine,
    ...(engine === "jsc" ? { version: "libjavascriptcoregtk-4.0-bin 2.50.6" } : {}),
    bundle: "genloop.iife.js",
    measurements: [measure("switch", "genloop yield*", 2e6), measure("switch", "native async", 2e6), measure("cancel", "genloop", 1e5), measure("cancel", "native async", 1e5)],
  }));
  engines.push({ engine: "duktape", bundle: "genloop.es5.js", measurements: spawnWait([50, 60, 150]) });
  engines.push({ engine: "mujs", bundle: "genloop.es5.js", measurements: spawnWait([100, 120, 200]) });
  return {
    switch: workload(
      "switch",
      "ops/s",
      "higher",
      [row("genloop", "-", 10e6), row("genloop, compiled", "-", 12e6), row("raw generators", "-", 20e6), row("native async", "-", 10e6), row("co", "-", 5e6)],
      0,
    ),
    gather: workload(
      "gather",
      "ops/s",
      "higher",
      [row("genloop", "-", 500e3), row("genloop, eager tasks", "-", 400e3), row("raw generators", "-", 1e6), row("native async", "-", 2e6), row("co", "-", 500e3)],
      1,
    ),
    heap: workload("heap", "B/task", "lower", [row("genloop", "virtual", 350), row("raw generators", "virtual", 235), row("native async", "real", 705)], 2),
    timers: workload(
      "timers",
      "µs/task",
      "lower",
      [row("genloop", "virtual", 9), row("genloop", "real", 6), row("raw generators", "real", 5), row("native async", "real", 12)],
      3,
    ),
    cancel: workload("cancel", "ops/s", "higher", [row("genloop", "virtual", 800e3), row("raw generators", "virtual", 20e6), row("native async", "real", 800e3), row("co", "-", NaN)], 4),
    scaling: {
      ...stamp(undefined, 5),
      sizes: [1e3, 1e4, 1e5, 1e6],
      switchesPerTask: 4,
      timerSpanMs: 200,
      tasks: [series("genloop", "-", 500, 3), series("raw generators", "-", 150, 8), series("native async", "-", 300, 14), { name: "co", clock: "-", medians: [600, 900, 1200, null] }],
      gathers: [series("genloop", "-", 600, 2), series("raw generators", "-", 300, 4), series("native async", "-", 100, 6)],
      timers: [series("genloop", "virtual", 1000, 3), series("genloop", "real", 7000, 1), series("raw generators", "virtual", 300, 16), series("native async", "real", 7000, 2)],
    },
    engines: { ...stamp(undefined, 6), engines },
  };
}

const outcome = (outcomes: GoalOutcome[], start: string): GoalOutcome => {
  const found = outcomes.filter((o) => o.goal.startsWith(start));
  expect(found, start).to.have.length(1);
  return found[0];
};

const emptyPage = (): string =>
  ["# Performance", "", "Text before.", "", ...sectionNames.flatMap((n) => [`<!-- generated:${n} (npm run perf-page) -->`, "(run npm run bench, then npm run perf-page)", `<!-- /generated:${n} -->`, "", `Text after ${n}.`, ""]), "## Where the time goes", "", "The end."].join("\n");

/** The page with every generated section's content taken out: what the generator must leave alone. */
const outsideSections = (page: string): string => page.replace(/(<!-- generated:([\w-]+)[^>]*-->\n)[\s\S]*?(<!-- \/generated:\2 -->)/g, "$1$3");

describe("the performance page generator", () => {
  it("fills each generated section from one run's results", async () => {
    const r = results();
    const page = await rewritePage(emptyPage(), renderSections(r));
    const section = (name: string): string => {
      const m = new RegExp(`<!-- generated:${name} [^>]*-->\\n([\\s\\S]*?)<!-- /generated:${name} -->`).exec(page);
      expect(m, name).to.not.equal(null);
      return (m as RegExpExecArray)[1];
    };
    const run = section("bench-run");
    expect(run).to.contain("run `2026-12-07T06-00-00Z-abc1234`").and.contain("commit `abc1234`").and.contain("Node v20.20.2 (V8 11.3.244.8-node.38)");
    expect(run).to.contain("2 × AMD EPYC").and.contain("from 2026-12-07 06:00 UTC to 2026-12-07 06:07 UTC");
    expect(run).to.contain("load average 1.00 at the start and 1.65 at the end (1.00–1.65 at the workloads' starts and ends)");
    expect(run).to.contain("Engines: jsc libjavascriptcoregtk-4.0-bin 2.50.6.").and.contain("`npm run bench`, then `npm run perf-page`");
    expect(section("bench-summary")).to.match(/^\| workload \| genloop \| raw generators \| native async \|/);
    expect(section("bench-summary")).to.contain("| switch: a workload (higher is better) | 10.00 M/s |");
    expect(section("bench-goals")).to.match(/^\| goal \| genloop in this run \| met \|\n\|---\|---\|---\|\n/);
    expect(section("bench-goals").trim().split("\n")).to.have.length(2 + 6 + 6 + 2 + 3);
    expect(section("bench-scaling")).to.contain("| genloop | - | 500 ns | 750 ns | 1000 ns | 1500 ns |");
    expect(section("bench-engines")).to.contain("| duktape | genloop.es5.js | spawn + wait scaling, µs per task at 10³ / 10⁴ / 10⁵ | 50.0 / 60.0 / 150.0 | | 3.00× growth |");
  });

  it("meets each goal at its threshold, with the values the ratios come from", () => {
    const outcomes = evaluateGoals(results());
    expect(outcomes.every((o) => o.met), JSON.stringify(outcomes.filter((o) => !o.met))).to.equal(true);
    const typed = outcome(outcomes, "switch, the typed form `yield* sleep(0)`");
    expect(typed.measured).to.equal("genloop 1.00× native (10.00 M/s against 10.00 M/s); genloop 0.50× raw (10.00 M/s against 20.00 M/s)");
    expect(outcome(outcomes, "heap per task").measured).to.equal("genloop 350 B");
    expect(outcome(outcomes, "duktape, no O(n²)").measured).to.equal("3.00× growth (50.0 → 150.0 µs per task)");
  });

  it("misses a goal just past its threshold", () => {
    const cases: [string, (r: RunResults) => void][] = [
      ["switch, the typed form `yield*", (r) => (r.switch.rows[0].median = 9.99e6)],
      ["switch, the typed form compiled", (r) => (r.switch.rows[1].median = 9.99e6)],
      ["spawn + gather", (r) => (r.gather.rows[0].median = 499e3)],
      ["cancel 10 000", (r) => (r.cancel.rows[0].median = 799e3)],
      ["heap per task", (r) => (r.heap.rows[0].median = 351)],
      ["100 000 timers", (r) => (r.timers.rows[1].median = 6.01)],
      ["hermes, switch", (r) => (r.engines.engines[1].measurements[0].rate = 1.99e6)],
      ["quickjs, cancel", (r) => (r.engines.engines[2].measurements[2].rate = 0.99e5)],
      ["mujs, no O(n²)", (r) => (r.engines.engines[4].measurements[2].ms = 301 * 100)],
      ["flat cost per task, switch", (r) => (r.scaling.tasks[0].medians[3] = 1501)],
      ["flat cost per task, timers", (r) => (r.scaling.timers[1].medians[3] = 21001)],
    ];
    for (const [goal, change] of cases) {
      const r = results();
      change(r);
      const outcomes = evaluateGoals(r);
      expect(outcome(outcomes, goal).met, goal).to.equal(false);
      expect(outcomes.filter((o) => !o.met), goal).to.have.length(1);
    }
  });

  it("decides the timers goal by the same-clock comparison and the gather goal by the default tasks", () => {
    const r = results();
    r.timers.rows[0].median = 100; // genloop on the virtual clock, 20× raw's real clock: reported, not counted
    r.gather.rows[1].median = 1; // eager tasks: reported, not counted
    const outcomes = evaluateGoals(r);
    const timers = outcome(outcomes, "100 000 timers");
    expect(timers.met).to.equal(true);
    expect(timers.measured).to.equal(
      "genloop, real clock 1.20× raw, real clock (6.00 µs against 5.00 µs); genloop, virtual clock 20.00× raw, real clock (100.00 µs against 5.00 µs), not counted: different clocks",
    );
    expect(outcome(outcomes, "spawn + gather").met).to.equal(true);
    expect(outcome(outcomes, "spawn + gather").measured).to.contain("eager tasks 0.0000010× raw");
    expect(thresholds.timersVsRaw).to.equal(1.2);
  });

  it("reports the growth of genloop, the raw loop and native async for the flat-cost goals", () => {
    const flat = outcome(evaluateGoals(results()), "flat cost per task, timers");
    expect(flat.goal).to.equal("flat cost per task, timers: grows ≤ 3.0× from 10³ → 10⁶ (every genloop row)");
    expect(flat.measured).to.equal(
      "genloop (virtual clock) 3.00× (1000 ns → 3000 ns); genloop (real clock) 1.00× (7000 ns → 7000 ns); raw generators (virtual clock) 16.00× (300 ns → 4800 ns); native async (real clock) 2.00× (7000 ns → 14000 ns)",
    );
  });

  it("refuses results from different runs, listing each run's files", () => {
    const r = results();
    r.heap.run = { ...r.heap.run, id: "2026-12-07T07-00-00Z-def5678" };
    (r.engines as Partial<Stamp>).run = undefined;
    expect(() => renderSections(r)).to.throw(PageError, "the results come from different runs:\n  2026-12-07T06-00-00Z-abc1234: switch, gather, timers, cancel, scaling\n  2026-12-07T07-00-00Z-def5678: heap\n  (no run id: written before results were stamped): engines\nrun `npm run bench` (every workload, in one run), then `npm run perf-page`");
    expect(runOf(results()).id).to.equal("2026-12-07T06-00-00Z-abc1234");
  });

  it("refuses a result without a row a table needs, naming the file and what to rerun", () => {
    const r = results();
    r.switch.rows = r.switch.rows.filter((row) => row.name !== "genloop, compiled");
    expect(() => renderSections(r)).to.throw(MissingResult, 'bench/results/switch.json has no row "genloop, compiled" with a median: rerun `npm run bench`');
    const noClock = results();
    noClock.timers.rows = noClock.timers.rows.filter((row) => row.clock !== "real" || row.name !== "genloop");
    expect(() => renderSections(noClock)).to.throw(MissingResult, 'bench/results/timers.json has no row "genloop" on the real clock');
    const noEngine = results();
    noEngine.engines.engines[0] = { engine: "jsc", measurements: [], problem: "not installed (sh scripts/install-engines.sh)" };
    expect(() => renderSections(noEngine)).to.throw(MissingResult, "bench/results/engines.json has no result for the engine jsc (not installed (sh scripts/install-engines.sh))");
    const noScaling = results();
    noScaling.engines.engines[3].measurements.pop();
    expect(() => renderSections(noScaling)).to.throw(MissingResult, "bench/results/engines.json has no spawn + wait scaling check in duktape");
  });

  it("reads the result files back, and refuses missing ones naming them and what to rerun", () => {
    const dir = mkdtempSync(join(tmpdir(), "genloop-results-"));
    try {
      const r = results();
      for (const name of resultNames.filter((n) => n !== "heap" && n !== "engines")) writeFileSync(join(dir, `${name}.json`), JSON.stringify(r[name]));
      expect(() => loadResults(dir)).to.throw(PageError, /^missing result file\(s\): \S*heap\.json, \S*engines\.json: run `npm run bench` \(every workload, in one run\), then `npm run perf-page`$/);
      writeFileSync(join(dir, "heap.json"), JSON.stringify(r.heap));
      writeFileSync(join(dir, "engines.json"), JSON.stringify(r.engines));
      const read = loadResults(dir);
      for (const name of resultNames) expect(read[name], name).to.deep.equal(r[name]);
      expect(read).to.deep.equal(r); // the cancel row of co, NaN, was written as null
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("leaves every line outside the generated sections unchanged, and gives the same page when run again", async () => {
    const before = emptyPage();
    const once = await rewritePage(before, renderSections(results()));
    expect(once).to.not.equal(before);
    expect(outsideSections(once)).to.equal(outsideSections(before));
    expect(once.endsWith("## Where the time goes\n\nThe end.")).to.equal(true);
    expect(await rewritePage(once, renderSections(results()))).to.equal(once);
  });

  it("refuses a page without a section's markers", async () => {
    const page = emptyPage().replace(/<!-- \/generated:bench-goals -->/, "");
    let error: unknown;
    await rewritePage(page, renderSections(results()), "docs/x.md").catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(PageError);
    expect((error as Error).message).to.equal("docs/x.md has no generated section bench-goals: add <!-- generated:bench-goals (npm run perf-page) --> and <!-- /generated:bench-goals --> where it goes");
  });

  it("finds every generated section in docs/performance.md, and changes nothing else there", async () => {
    const file = new URL("../../../docs/performance.md", import.meta.url);
    const before = readFileSync(file, "utf8");
    const after = await rewritePage(before, renderSections(results()));
    expect(outsideSections(after)).to.equal(outsideSections(before));
    for (const name of sectionNames) expect(after, name).to.contain(`<!-- generated:${name} (npm run perf-page) -->\n`);
  });
});
