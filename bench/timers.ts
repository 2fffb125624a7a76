// Timers: N tasks each sleeping a random 0–1000 ms (the same delays for everyone), then
// returning; CPU time (user + system, not idle waiting) per task, from creation to the end.
import type { Coroutine } from "../lib/index.js";
import co from "co";
import { run as effectionRun, sleep as effectionSleep, spawn as effectionSpawn, type Task as EffectionTask } from "effection";
import { runSaga, stdChannel } from "redux-saga";
import { delay as sagaDelay, fork, join } from "redux-saga/effects";
import { createTask, run, sleep, VirtualClock, type Task } from "../lib/index.js";
import { cpuMicros, randomDelays, type Contender, type Workload } from "./harness.js";
import { RawLoop } from "./raw.js";

export const SPAN_MS = 1000;

function* genloopSleeper(ms: number): Coroutine<void> {
  yield* sleep(ms);
}

export function* genloopTimers(delays: Float64Array): Coroutine<void> {
  const tasks: Task<void>[] = [];
  for (let i = 0; i < delays.length; i++) tasks.push(createTask(genloopSleeper(delays[i])));
  for (const t of tasks) yield* t;
}

function* rawSleeper(ms: number): Generator<unknown, void, unknown> {
  yield ms;
}

export function rawTimers(delays: Float64Array, real: boolean): void {
  const loop = new RawLoop(real);
  for (let i = 0; i < delays.length; i++) loop.spawn(rawSleeper(delays[i]));
  loop.run();
}

export function nativeTimers(delays: Float64Array): Promise<unknown> {
  const all: Promise<void>[] = [];
  for (let i = 0; i < delays.length; i++) {
    const ms = delays[i];
    all.push((async () => void (await new Promise((resolve) => setTimeout(resolve, ms))))());
  }
  return Promise.all(all);
}

export function effectionTimers(delays: Float64Array): PromiseLike<void> {
  return effectionRun(function* () {
    const tasks: EffectionTask<void>[] = [];
    for (let i = 0; i < delays.length; i++) {
      const ms = delays[i];
      tasks.push(yield* effectionSpawn(() => effectionSleep(ms)));
    }
    for (const t of tasks) yield* t;
  });
}

export function sagaTimers(delays: Float64Array): Promise<unknown> {
  return runSaga({ channel: stdChannel(), dispatch: () => {}, getState: () => ({}) }, function* () {
    const tasks = [];
    for (let i = 0; i < delays.length; i++) {
      tasks.push(
        yield fork(function* (ms: number) {
          yield sagaDelay(ms);
        }, delays[i]),
      );
    }
    yield join(tasks as never[]);
  }).toPromise();
}

export function coTimers(delays: Float64Array): Promise<unknown> {
  const all: Promise<void>[] = [];
  for (let i = 0; i < delays.length; i++) {
    const ms = delays[i];
    all.push(
      co(function* () {
        yield new Promise((resolve) => setTimeout(resolve, ms));
      }),
    );
  }
  return Promise.all(all);
}

function contender(name: string, clock: string, n: number, note: string, body: (delays: Float64Array) => unknown): Contender {
  const delays = randomDelays(n, SPAN_MS);
  return {
    name,
    clock,
    note: `${n.toLocaleString("en")} tasks; ${note}`,
    async measure() {
      return { value: (await cpuMicros(() => body(delays))) / n };
    },
  };
}

export const timersWorkload: Workload = {
  name: "timers",
  title: "timers: N tasks sleeping a random 0–1 s each (CPU µs per task; real-clock rows take 1 s of wall time)",
  unit: "µs/task",
  better: "lower",
  warmup: 1,
  reps: 3,
  contenders: () => [
    contender("genloop", "virtual", 100_000, "createTask + yield* sleep(ms); time jumps", (d) => run(genloopTimers(d), { clock: new VirtualClock() })),
    contender("genloop", "real", 100_000, "same on the real clock (Atomics.wait when idle)", (d) => run(genloopTimers(d))),
    contender("raw generators", "real", 100_000, "binary heap, Atomics.wait when idle", (d) => rawTimers(d, true)),
    contender("native async", "real", 100_000, "await a setTimeout promise", nativeTimers),
    contender("Effection 4", "real", 2_000, "spawn + sleep", effectionTimers),
    contender("redux-saga", "real", 10_000, "fork + delay", sagaTimers),
    contender("co", "real", 50_000, "yield a setTimeout promise", coTimers),
  ],
};
