// Scaling: how the cost per task grows from 10^3 to 10^6 tasks, gathered children and timers. Slow peers stop
// at the size where one run would take too long (shown as —).
import type { Coroutine } from "../lib/index.js";
import co from "co";
import { run as effectionRun, sleep as effectionSleep, spawn as effectionSpawn, type Task as EffectionTask } from "effection";
import { runSaga, stdChannel } from "redux-saga";
import { fork, join } from "redux-saga/effects";
import { isMainThread, parentPort, Worker } from "node:worker_threads";
import { createTask, gather, run, sleep, VirtualClock, type Task } from "../lib/index.js";
import { cpuMicros, formatValue, median, randomDelays, settle, wallMs } from "./harness.js";
import { RawLoop } from "./raw.js";
import { coTimers, effectionTimers, genloopTimers, nativeTimers, rawTimers, sagaTimers } from "./timers.js";

const SIZES = [1e3, 1e4, 1e5, 1e6];
const SWITCHES = 4;
const TIMER_SPAN_MS = 200;

interface Series {
  name: string;
  clock: string;
  maxN: number;
  /** Cost of one run with n tasks, in ns per task. */
  measure(n: number): Promise<number>;
}

function* genloopWorker(): Coroutine<void> {
  for (let i = 0; i < SWITCHES; i++) yield* sleep(0);
}
function* rawWorker(): Generator<unknown, void, unknown> {
  for (let i = 0; i < SWITCHES; i++) yield;
}
async function nativeWorker(): Promise<void> {
  for (let i = 0; i < SWITCHES; i++) await null;
}
function* promiseWorker(): Generator<unknown, void, unknown> {
  for (let i = 0; i < SWITCHES; i++) yield Promise.resolve();
}

const perTask = (n: number, body: () => unknown) => async () => ((await wallMs(body)) * 1e6) / n;

const taskSeries: Series[] = [
  {
    name: "genloop",
    clock: "-",
    maxN: 1e6,
    measure: (n) =>
      perTask(n, () =>
        run(
          (function* () {
            const tasks: Task<void>[] = [];
            for (let i = 0; i < n; i++) tasks.push(createTask(genloopWorker()));
            for (const t of tasks) yield* t;
          })(),
        ),
      )(),
  },
  {
    name: "raw generators",
    clock: "-",
    maxN: 1e6,
    measure: (n) =>
      perTask(n, () => {
        const loop = new RawLoop(false);
        for (let i = 0; i < n; i++) loop.spawn(rawWorker());
        loop.run();
      })(),
  },
  {
    name: "native async",
    clock: "-",
    maxN: 1e6,
    measure: (n) => perTask(n, () => Promise.all(Array.from({ length: n }, nativeWorker)))(),
  },
  {
    name: "Effection 4",
    clock: "real",
    maxN: 1e3,
    measure: (n) =>
      perTask(n, () =>
        effectionRun(function* () {
          const tasks: EffectionTask<void>[] = [];
          for (let i = 0; i < n; i++) {
            tasks.push(
              yield* effectionSpawn(function* () {
                for (let j = 0; j < SWITCHES; j++) yield* effectionSleep(0);
              }),
            );
          }
          for (const t of tasks) yield* t;
        }),
      )(),
  },
  {
    name: "redux-saga",
    clock: "-",
    maxN: 1e4,
    measure: (n) =>
      perTask(n, () =>
        runSaga({ channel: stdChannel(), dispatch: () => {}, getState: () => ({}) }, function* () {
          const tasks = [];
          for (let i = 0; i < n; i++) tasks.push(yield fork(promiseWorker));
          yield join(tasks as never[]);
        }).toPromise(),
      )(),
  },
  {
    name: "co",
    clock: "-",
    maxN: 1e5,
    measure: (n) => perTask(n, () => Promise.all(Array.from({ length: n }, () => co(promiseWorker))))(),
  },
];

// Spawn + gather of N children returning at once. gather(...children) passes every child as an
// argument: a call with 10^6 arguments needs about 8 MB of stack, more than V8's default, so the
// scaling benchmark runs in a worker thread with a larger stack (see runScaling).
function* gatherChild(i: number): Generator<never, number, unknown> {
  return i;
}
function checkGathered(results: readonly unknown[], n: number): void {
  if (results.length !== n || results[n - 1] !== n - 1) throw new Error("scaling gather: wrong results");
}

const gatherSeries: Series[] = [
  {
    name: "genloop",
    clock: "-",
    maxN: 1e6,
    measure: (n) =>
      perTask(n, () =>
        checkGathered(
          run(
            (function* () {
              const children = [];
              for (let i = 0; i < n; i++) children.push(gatherChild(i));
              return yield* gather(...children);
            })(),
          ),
          n,
        ),
      )(),
  },
  {
    name: "raw generators",
    clock: "-",
    maxN: 1e6,
    measure: (n) =>
      perTask(n, () => {
        const loop = new RawLoop(false);
        loop.spawn(
          (function* () {
            const children = [];
            for (let i = 0; i < n; i++) children.push(gatherChild(i));
            yield children;
          })(),
        );
        loop.run();
      })(),
  },
  {
    name: "native async",
    clock: "-",
    maxN: 1e6,
    measure: (n) => perTask(n, async () => checkGathered(await Promise.all(Array.from({ length: n }, async (_, i) => i)), n))(),
  },
  {
    name: "co",
    clock: "-",
    maxN: 1e6,
    measure: (n) =>
      perTask(n, () =>
        co(function* () {
          const children = [];
          for (let i = 0; i < n; i++) children.push(gatherChild(i));
          checkGathered((yield children) as unknown[], n);
        }),
      )(),
  },
];

const cpuPerTimer = (n: number, body: (d: Float64Array) => unknown) => {
  const delays = randomDelays(n, TIMER_SPAN_MS);
  return async () => ((await cpuMicros(() => body(delays))) * 1e3) / n;
};

const timerSeries: Series[] = [
  { name: "genloop", clock: "virtual", maxN: 1e6, measure: (n) => cpuPerTimer(n, (d) => run(genloopTimers(d), { clock: new VirtualClock() }))() },
  { name: "genloop", clock: "real", maxN: 1e6, measure: (n) => cpuPerTimer(n, (d) => run(genloopTimers(d)))() },
  { name: "raw generators", clock: "virtual", maxN: 1e6, measure: (n) => cpuPerTimer(n, (d) => rawTimers(d, false))() },
  { name: "native async", clock: "real", maxN: 1e6, measure: (n) => cpuPerTimer(n, nativeTimers)() },
  { name: "Effection 4", clock: "real", maxN: 1e3, measure: (n) => cpuPerTimer(n, effectionTimers)() },
  { name: "redux-saga", clock: "real", maxN: 1e4, measure: (n) => cpuPerTimer(n, sagaTimers)() },
  { name: "co", clock: "real", maxN: 1e5, measure: (n) => cpuPerTimer(n, coTimers)() },
];

export interface ScalingRow {
  name: string;
  clock: string;
  /** Median ns per task at each size of SIZES (null: not run at that size). */
  medians: (number | null)[];
}

async function runSeries(series: Series[], reps: number, repeatSmall: boolean, log: (s: string) => void): Promise<ScalingRow[]> {
  const rows: ScalingRow[] = series.map((s) => ({ name: s.name, clock: s.clock, medians: [] }));
  // Warm the JIT up at a middle size first, so the smallest size is not measured cold.
  for (let round = 0; round < 2; round++) {
    for (const s of series) await s.measure(Math.min(s.maxN, 1e4));
  }
  for (const n of SIZES) {
    const samples = series.map(() => [] as number[]);
    // One warm-up round, then `reps` measured ones; the largest size is measured once, cold.
    const warm = n >= 1e6 ? 0 : 1;
    const rounds = n >= 1e6 ? 1 : reps + 1;
    // Small sizes repeat the run so one measurement lasts long enough to time.
    const inner = repeatSmall ? Math.max(1, Math.floor(1e5 / n)) : 1;
    for (let round = 0; round < rounds; round++) {
      for (let j = 0; j < series.length; j++) {
        const i = (j + round) % series.length;
        if (n > series[i].maxN) continue;
        await settle(); // no forced gc(): see runWorkload
        // Repeat small runs until they add up to ~100 ms, so each sample is long enough to time.
        const t0 = performance.now();
        let v = 0;
        let k = 0;
        do {
          v += await series[i].measure(n);
          k++;
        } while (k < inner && performance.now() - t0 < 100);
        if (round >= warm) samples[i].push(v / k);
      }
    }
    series.forEach((_, i) => rows[i].medians.push(samples[i].length > 0 ? median(samples[i]) : null));
    log(`  scaling: ${n.toExponential(0)} done`);
  }
  return rows;
}

/** The three series' titles, as the tables print them. */
const seriesTitles = {
  tasks: `tasks: N tasks × ${SWITCHES} switches, wall ns per task (medians; the 10^6 column is one cold run)`,
  gathers: "gather: spawn + gather of N children returning at once, wall ns per child (the 10^6 column is one cold run)",
  timers: `timers: N tasks sleeping a random 0–${TIMER_SPAN_MS} ms, CPU ns per task`,
};

/** What the scaling benchmark writes to bench/results/scaling.json. */
export interface ScalingData {
  sizes: number[];
  switchesPerTask: number;
  timerSpanMs: number;
  tasks: ScalingRow[];
  gathers: ScalingRow[];
  timers: ScalingRow[];
}

/** A series' table as rows of cells: its header, then one row per contender. */
function gridCells(sizes: readonly number[], rows: readonly ScalingRow[]): string[][] {
  const head = ["contender", "clock", ...sizes.map((n) => `N = ${n.toLocaleString("en")}`)];
  return [head, ...rows.map((r) => [r.name, r.clock, ...r.medians.map((m) => (m === null ? "—" : formatValue(m, "ns/op")))])];
}

function grid(title: string, sizes: readonly number[], rows: readonly ScalingRow[]): string {
  const [head, ...lines] = gridCells(sizes, rows);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [title, fmt(head), widths.map((w) => "-".repeat(w)).join("  "), ...lines.map(fmt)].join("\n");
}

/** The scaling tables as the benchmark prints them, in plain text. */
export function formatScaling(data: ScalingData): string {
  return (["tasks", "gathers", "timers"] as const).map((s) => grid(`scaling, ${seriesTitles[s]}`, data.sizes, data[s])).join("\n\n");
}

/** The same tables in markdown: each series' title in bold, then its table. */
export function formatScalingMarkdown(data: ScalingData): string {
  return (["tasks", "gathers", "timers"] as const)
    .map((s) => {
      const [head, ...lines] = gridCells(data.sizes, data[s]);
      const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
      return [`**${seriesTitles[s]}**`, "", line(head), line(head.map(() => "---")), ...lines.map(line)].join("\n");
    })
    .join("\n\n");
}

/** Stack of the worker thread the scaling benchmark runs in: room for a call with 10^6 arguments. */
const WORKER_STACK_MB = 64;

/**
 * Runs the scaling benchmark in a worker thread with a stack of WORKER_STACK_MB (what the gather
 * rows need at 10^6), relaying its progress lines to `log`.
 */
export function runScaling(log: (s: string) => void): Promise<{ text: string; data: ScalingData }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { resourceLimits: { stackSizeMb: WORKER_STACK_MB } });
    let result: { text: string; data: ScalingData } | undefined;
    worker.on("message", (message: { log: string } | { result: { text: string; data: ScalingData } }) => {
      if ("log" in message) log(message.log);
      else result = message.result;
    });
    worker.on("error", reject);
    worker.on("exit", (code) => (result ? resolve(result) : reject(new Error(`scaling: the worker exited with code ${code} and no result`))));
  });
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  measureScaling((line) => port.postMessage({ log: line })).then((result) => port.postMessage({ result }));
}

async function measureScaling(log: (s: string) => void): Promise<{ text: string; data: ScalingData }> {
  const tasks = await runSeries(taskSeries, 3, true, log);
  const gathers = await runSeries(gatherSeries, 3, true, log);
  const timers = await runSeries(timerSeries, 2, false, log);
  const data: ScalingData = { sizes: SIZES, switchesPerTask: SWITCHES, timerSpanMs: TIMER_SPAN_MS, tasks, gathers, timers };
  return { text: formatScaling(data), data };
}
