// The benchmark program that runs inside each restricted engine (bench/engines.ts bundles it with
// bench/raw.ts, lowers it to the engine's level, and appends it to genloop's script bundle).
// It prints one `RESULT {json}` line per measurement and `DONE` at the end; where the engine has
// promises, its own async/await takes its samples in turn with genloop's, from its job queue.
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

/** A workload of the engine's own async/await: settles when every promise it started has. */
type Job = () => PromiseLike<void>;

/** Runs `job` again and again, one run after another through the job queue, until MIN_SAMPLE_MS have passed. */
function nativeSample(work: string, job: Job, done: (sample: Sample) => void): void {
  const t0 = now();
  let runs = 0;
  const again = (): void => {
    job().then(
      () => {
        runs++;
        const ms = now() - t0;
        if (ms < MIN_SAMPLE_MS) again();
        else done({ runs: runs, ms: ms });
      },
      (error) => print("ERROR native " + work + ": " + String(error)),
    );
  };
  again();
}

/**
 * `measureInTurn` with the engine's own async/await (`native`; none where the engine has no
 * promises) as one more contender, sampled in the same rounds, after genloop's samples of the
 * round, so that a load on the machine that comes and goes slows it alike too (measured after
 * all the rest, its ratio moved by up to ×2 between runs). `then` runs once every sample is
 * reported: from the job queue when there is a native contender, at once otherwise.
 */
function measureAgainstNative(work: string, count: number, contenders: [string, () => void][], native: Job | undefined, then: () => void): void {
  if (native === undefined) {
    measureInTurn(work, count, contenders);
    return then();
  }
  const samples: Sample[][] = contenders.map(() => []);
  const nativeSamples: Sample[] = [];
  // Round -1 is the warm-up: its samples are dropped.
  let round = -1;
  const nextRound = (): void => {
    if (round === benchConfig.rounds) {
      for (let c = 0; c < contenders.length; c++) report(work, contenders[c][0], count, samples[c]);
      report(work, "native async", count, nativeSamples);
      return then();
    }
    for (let c = 0; c < contenders.length; c++) {
      const taken = sample(contenders[c][1]);
      if (round >= 0) samples[c].push(taken);
    }
    nativeSample(work, native, (taken) => {
      if (round >= 0) nativeSamples.push(taken);
      round++;
      nextRound();
    });
  };
  nextRound();
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
// expressions, not arrows: Hermes 0.12 has async functions but no async arrows. Each job does the
// same count of work as genloop's workload of the same name.
function nativeJobs(): { switch: Job; gather: Job; cancel: Job } {
  const P = (globalThis as unknown as { Promise: PromiseConstructor }).Promise;
  const switcher = async function (k: number): Promise<void> {
    for (let i = 0; i < k; i++) await null;
  };
  return {
    switch: () => {
      const all = [];
      for (let i = 0; i < SWITCH_TASKS; i++) all.push(switcher(SWITCH_YIELDS));
      return P.all(all).then(() => undefined);
    },
    gather: () => {
      const all = [];
      for (let i = 0; i < GATHER_CHILDREN; i++) all.push((async function (v: number) { return v; })(i));
      return P.all(all).then(() => undefined);
    },
    cancel: () => {
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
  };
}

function main(): void {
  if (benchConfig.scaling) {
    // Cost per task of spawning n tasks and waiting for all, from 10^3 to 10^5: flat when nothing
    // is quadratic (the loop's registry, the waiters, the collections of an ES5 engine).
    for (const n of [1000, 10000, 100000]) measure("spawn-wait-scaling-" + n, "genloop", n, genloopSpawnWait(n));
    print("DONE");
    return;
  }
  const native = benchConfig.native ? nativeJobs() : undefined;
  const switchForms: [string, () => void][] = [
    ["genloop yield*", genloopSwitch(typedSwitcher)],
    ["genloop yield", genloopSwitch(bareSwitcher)],
    ["genloop yield*, compiled", genloopSwitch(compiledSwitcher)],
    ["raw generators", rawSwitch],
  ];
  // gather(...children) spreads its arguments: mujs cannot call a function with more than ~200.
  const gatherForms: [string, () => void][] =
    GATHER_CHILDREN <= benchConfig.maxArgs
      ? [["genloop", genloopGather(GATHER_CHILDREN, false)], ["genloop eager", genloopGather(GATHER_CHILDREN, true)]]
      : [];
  gatherForms.push(["raw generators", rawGather(GATHER_CHILDREN)]);
  measureAgainstNative("switch", SWITCH_TASKS * SWITCH_YIELDS, switchForms, native?.switch, () =>
    measureAgainstNative("gather", GATHER_CHILDREN, gatherForms, native?.gather, () =>
      measureAgainstNative("cancel", CANCEL_TASKS, [["genloop", genloopCancel], ["raw generators", rawCancel]], native?.cancel, () => {
        measureInTurn("timers", TIMER_TASKS, [["genloop", genloopTimers], ["raw generators", rawTimers]]);
        print("DONE");
      }),
    ),
  );
}

main();
