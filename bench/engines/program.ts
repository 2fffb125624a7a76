// The benchmark program that runs inside each restricted engine (bench/engines.ts bundles it with
// bench/raw.ts, lowers it to the engine's level, and appends it to genloop's script bundle).
// It prints one `RESULT {json}` line per measurement and `DONE` at the end; the engine's own
// async/await runs last, from its job queue, where the engine has promises.
import type { Coroutine } from "../../lib/index.js";
import { RawLoop } from "../raw.js";
import { compiledSwitcher } from "./compiled-switcher.js";

type Genloop = typeof import("../../lib/index.js");
declare const genloop: Genloop;
declare function print(line: string): void;
/** Set by the driver before this script: sizes are multiplied by `scale`; `native` runs async/await. */
declare const benchConfig: { scale: number; native: boolean; rounds: number; scaling: boolean; maxArgs: number };

const G = genloop;
const now = (): number => Date.now();

/** Reports the median of the samples' rates (units per second) and the median sample's time. */
function report(work: string, contender: string, count: number, samples: Sample[]): void {
  samples.sort((x, y) => y.runs / y.ms - x.runs / x.ms);
  const median = samples[samples.length >> 1];
  const ms = Math.max(median.ms, 0.5);
  print("RESULT " + JSON.stringify({ work: work, contender: contender, count: count * median.runs, ms: ms, rate: ((count * median.runs) / ms) * 1000 }));
}

/**
 * The shortest sample: `Date.now()` counts whole milliseconds (the one clock every engine here
 * has), so a body that takes a few milliseconds, as the fast engines' do, would be measured
 * mostly as rounding. A sample runs the body again and again until it has lasted this long
 * (a count fixed in advance would not do: JSC's optimizing tiers make a body up to 10× faster
 * after some runs).
 */
const MIN_SAMPLE_MS = 50;

interface Sample {
  runs: number;
  ms: number;
}

/** Runs `body` until MIN_SAMPLE_MS have passed (once only in the scaling check, which measures it cold). */
function sample(body: () => void): Sample {
  const t0 = now();
  let runs = 0;
  let ms = 0;
  do {
    body();
    runs++;
    ms = now() - t0;
  } while (ms < MIN_SAMPLE_MS && !benchConfig.scaling);
  return { runs: runs, ms: ms };
}

/** Runs `body` in `rounds` samples, after a warm-up sample (none in the scaling check), and reports the median. */
function measure(work: string, contender: string, count: number, body: () => void): void {
  measureInTurn(work, count, [[contender, body]]);
}

/**
 * Like `measure` for several contenders of one workload, taking their samples in turn, so that a
 * load on the machine that comes and goes slows each alike (the switch forms differ by 10–40 %).
 */
function measureInTurn(work: string, count: number, contenders: [string, () => void][]): void {
  if (!benchConfig.scaling) for (const [, body] of contenders) sample(body);
  const samples: Sample[][] = contenders.map(() => []);
  for (let r = 0; r < benchConfig.rounds; r++) {
    for (let c = 0; c < contenders.length; c++) samples[c].push(sample(contenders[c][1]));
  }
  for (let c = 0; c < contenders.length; c++) report(work, contenders[c][0], count, samples[c]);
}

const sized = (n: number): number => Math.max(10, Math.round(n * benchConfig.scale));
const SWITCH_TASKS = 100;
const SWITCH_YIELDS = sized(100);
const GATHER_CHILDREN = sized(10000);
const CANCEL_TASKS = sized(2000);
const TIMER_TASKS = sized(10000);

/** Park-Miller (exact in doubles, no Math.imul for mujs), so every engine sleeps the same delays. */
function delays(n: number): number[] {
  let state = 20261206;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    state = (state * 16807) % 2147483647;
    out.push(state % 1000);
  }
  return out;
}

const virtual = () => ({ clock: new G.VirtualClock() });

// ---- switch: tasks × yields of sleep(0) --------------------------------------------------------
function* typedSwitcher(k: number): Coroutine<void> {
  for (let i = 0; i < k; i++) yield* G.sleep(0);
}
function* bareSwitcher(k: number): Coroutine<void> {
  for (let i = 0; i < k; i++) yield G.sleep(0);
}
function genloopSwitch(worker: (k: number) => Coroutine<void>): () => void {
  return () =>
    G.run(
      (function* () {
        const tasks = [];
        for (let i = 0; i < SWITCH_TASKS; i++) tasks.push(G.createTask(worker(SWITCH_YIELDS)));
        yield* G.wait(tasks);
      })(),
      virtual(),
    );
}
function* rawSwitcher(k: number): Generator<unknown, void, unknown> {
  for (let i = 0; i < k; i++) yield;
}
function rawSwitch(): void {
  const loop = new RawLoop(false);
  for (let i = 0; i < SWITCH_TASKS; i++) loop.spawn(rawSwitcher(SWITCH_YIELDS));
  loop.run();
}

// ---- gather: children returning at once ---------------------------------------------------------
function* child(i: number): Generator<never, number, unknown> {
  return i;
}
function genloopGather(n: number, eager: boolean): () => void {
  return () => {
    const results = G.run(
      (function* () {
        const children = [];
        for (let i = 0; i < n; i++) children.push(child(i));
        return yield* G.gather(...children);
      })(),
      eager ? { clock: new G.VirtualClock(), taskFactory: G.eagerTaskFactory } : virtual(),
    );
    if (results.length !== n || results[n - 1] !== n - 1) throw new Error("gather: wrong results");
  };
}
function genloopSpawnWait(n: number): () => void {
  return () =>
    G.run(
      (function* () {
        const tasks = [];
        for (let i = 0; i < n; i++) tasks.push(G.createTask(child(i)));
        const [done] = yield* G.wait(tasks);
        if (done.size !== n) throw new Error("wait: wrong count");
      })(),
      virtual(),
    );
}
function rawGather(n: number): () => void {
  return () => {
    const loop = new RawLoop(false);
    loop.spawn(
      (function* () {
        const children = [];
        for (let i = 0; i < n; i++) children.push(child(i));
        yield children;
      })(),
    );
    loop.run();
  };
}

// ---- cancel: sleeping tasks cancelled, every finally runs ----------------------------------------
// One generator function for every task, as in bench/cancel.ts: a new function per task (a
// closure) also pays for the call graph learning each function's name (see docs/performance.md).
let cleaned = 0;
function* cancelledSleeper(): Coroutine<void> {
  try {
    yield* G.sleep(1e9);
  } finally {
    cleaned++;
  }
}
function genloopCancel(): void {
  cleaned = 0;
  G.run(
    (function* () {
      const tasks = [];
      for (let i = 0; i < CANCEL_TASKS; i++) tasks.push(G.createTask(cancelledSleeper()));
      yield* G.sleep(0);
      for (const t of tasks) t.cancel();
      yield* G.wait(tasks);
    })(),
    virtual(),
  );
  if (cleaned !== CANCEL_TASKS) throw new Error("cancel: a finally block did not run");
}
function rawCancel(): void {
  let cleaned = 0;
  const loop = new RawLoop(false);
  const tasks = [];
  for (let i = 0; i < CANCEL_TASKS; i++) {
    tasks.push(
      loop.spawn(
        (function* () {
          try {
            yield 1e9;
          } finally {
            cleaned++;
          }
        })(),
      ),
    );
  }
  const canceller = loop.spawn(
    (function* () {
      yield;
      for (const t of tasks) loop.cancel(t);
    })(),
  );
  loop.run();
  if (cleaned !== CANCEL_TASKS || !canceller.done) throw new Error("raw cancel: a finally block did not run");
}

// ---- timers: tasks sleeping a random 0-1 s on a virtual clock --------------------------------------
const timerDelays = delays(TIMER_TASKS);
function* sleeper(ms: number): Coroutine<void> {
  yield* G.sleep(ms);
}
function genloopTimers(): void {
  G.run(
    (function* () {
      const sleepers = [];
      for (let i = 0; i < TIMER_TASKS; i++) sleepers.push(G.createTask(sleeper(timerDelays[i])));
      yield* G.wait(sleepers);
    })(),
    virtual(),
  );
}
function rawTimers(): void {
  const loop = new RawLoop(false);
  for (let i = 0; i < TIMER_TASKS; i++) {
    const ms = timerDelays[i];
    loop.spawn(
      (function* () {
        yield ms;
      })(),
    );
  }
  loop.run();
}

// ---- the engine's own async/await -----------------------------------------------------------------
// The driver keeps these async functions native (not lowered to generators). They are function
// expressions, not arrows: Hermes 0.12 has async functions but no async arrows.
type Job = () => PromiseLike<void>;
function nativeJobs(): { work: string; count: number; job: Job }[] {
  const P = (globalThis as unknown as { Promise: PromiseConstructor }).Promise;
  const switcher = async function (k: number): Promise<void> {
    for (let i = 0; i < k; i++) await null;
  };
  return [
    {
      work: "switch",
      count: SWITCH_TASKS * SWITCH_YIELDS,
      job: () => {
        const all = [];
        for (let i = 0; i < SWITCH_TASKS; i++) all.push(switcher(SWITCH_YIELDS));
        return P.all(all).then(() => undefined);
      },
    },
    {
      work: "gather",
      count: GATHER_CHILDREN,
      job: () => {
        const all = [];
        for (let i = 0; i < GATHER_CHILDREN; i++) all.push((async function (v: number) { return v; })(i));
        return P.all(all).then(() => undefined);
      },
    },
    {
      work: "cancel",
      count: CANCEL_TASKS,
      job: () => {
        let cleaned = 0;
        const rejects: ((e: unknown) => void)[] = [];
        const all = [];
        for (let i = 0; i < CANCEL_TASKS; i++) {
          all.push(
            (async function () {
              try {
                await new P<void>((_resolve, reject) => rejects.push(reject));
              } catch (e) {
                // cancelled
              } finally {
                cleaned++;
              }
            })(),
          );
        }
        for (const reject of rejects) reject(new Error("cancelled"));
        return P.all(all).then(() => {
          if (cleaned !== CANCEL_TASKS) throw new Error("native cancel: a finally block did not run");
        });
      },
    },
  ];
}

/**
 * Runs each native job as `measure` runs a body, one job after another through the job queue:
 * a warm-up sample, then `rounds` samples, each repeating the job until MIN_SAMPLE_MS have passed.
 */
function runNative(jobs: { work: string; count: number; job: Job }[], done: () => void): void {
  let index = 0;
  let samples: Sample[] = [];
  let warm = false;
  let t0 = 0;
  let runs = 0;
  const next = (): void => {
    if (index === jobs.length) return done();
    const { work, count, job } = jobs[index];
    if (samples.length === benchConfig.rounds) {
      report(work, "native async", count, samples);
      index++;
      samples = [];
      warm = false;
      return next();
    }
    if (runs === 0) t0 = now();
    job().then(
      () => {
        runs++;
        const ms = now() - t0;
        if (ms < MIN_SAMPLE_MS) return next();
        if (warm) samples.push({ runs: runs, ms: ms });
        warm = true;
        runs = 0;
        next();
      },
      (error) => print("ERROR native " + work + ": " + String(error)),
    );
  };
  next();
}

function main(): void {
  if (benchConfig.scaling) {
    // Cost per task of spawning n tasks and waiting for all, from 10^3 to 10^5: flat when nothing
    // is quadratic (the loop's registry, the waiters, the collections of an ES5 engine).
    for (const n of [1000, 10000, 100000]) measure("spawn-wait-scaling-" + n, "genloop", n, genloopSpawnWait(n));
    print("DONE");
    return;
  }
  measureInTurn("switch", SWITCH_TASKS * SWITCH_YIELDS, [
    ["genloop yield*", genloopSwitch(typedSwitcher)],
    ["genloop yield", genloopSwitch(bareSwitcher)],
    ["genloop yield*, compiled", genloopSwitch(compiledSwitcher)],
    ["raw generators", rawSwitch],
  ]);
  // gather(...children) spreads its arguments: mujs cannot call a function with more than ~200.
  if (GATHER_CHILDREN <= benchConfig.maxArgs) {
    measure("gather", "genloop", GATHER_CHILDREN, genloopGather(GATHER_CHILDREN, false));
    measure("gather", "genloop eager", GATHER_CHILDREN, genloopGather(GATHER_CHILDREN, true));
  }
  measure("gather", "raw generators", GATHER_CHILDREN, rawGather(GATHER_CHILDREN));
  measure("cancel", "genloop", CANCEL_TASKS, genloopCancel);
  measure("cancel", "raw generators", CANCEL_TASKS, rawCancel);
  measure("timers", "genloop", TIMER_TASKS, genloopTimers);
  measure("timers", "raw generators", TIMER_TASKS, rawTimers);
  if (benchConfig.native) runNative(nativeJobs(), () => print("DONE"));
  else print("DONE");
}

main();
