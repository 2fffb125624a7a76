// Cancellation: N tasks sleeping, each with a `finally`; cancel them all and wait until every
// `finally` has run (cancellations per second, from the first cancel to the last finally).
import type { Coroutine } from "../lib/index.js";
import { setMaxListeners } from "node:events";
import { run as effectionRun, sleep as effectionSleep, spawn as effectionSpawn, suspend } from "effection";
import { runSaga, stdChannel, type Task as SagaTask } from "redux-saga";
import { call as sagaCall, cancel as sagaCancelEffect, delay as sagaDelay, fork } from "redux-saga/effects";
import { createTask, run, sleep, VirtualClock, type Task } from "../lib/index.js";
import { startTiming, type Contender, type Workload } from "./harness.js";
import { RawLoop, type RawTask } from "./raw.js";

const LONG = 1e9;
let finallies = 0;

function checked(n: number, ms: number): { value: number } {
  if (finallies !== n) throw new Error(`cancel: ${finallies} of ${n} finally blocks ran`);
  return { value: n / (ms / 1000) };
}

function* genloopSleeper(): Coroutine<void> {
  try {
    yield* sleep(LONG);
  } finally {
    finallies++;
  }
}

export function genloopCancel(n: number): number {
  return run(
    (function* () {
      const tasks: Task<void>[] = [];
      for (let i = 0; i < n; i++) tasks.push(createTask(genloopSleeper()));
      yield* sleep(0); // all are sleeping now
      const timing = startTiming();
      for (const t of tasks) t.cancel();
      yield* sleep(0); // the cancelled tasks run their finally blocks first
      return timing.end();
    })(),
    { clock: new VirtualClock() },
  );
}

function* rawSleeper(): Generator<unknown, void, unknown> {
  try {
    yield LONG;
  } finally {
    finallies++;
  }
}

export function rawCancel(n: number): number {
  const loop = new RawLoop(false);
  const tasks: RawTask[] = [];
  for (let i = 0; i < n; i++) tasks.push(loop.spawn(rawSleeper()));
  let ms = 0;
  loop.spawn(
    (function* () {
      yield 1; // all are sleeping now
      const timing = startTiming();
      for (const t of tasks) loop.cancel(t);
      ms = timing.end();
    })(),
  );
  loop.run(); // virtual time: the cancelled sleepers' heap entries are dropped without waiting

  return ms;
}

export async function nativeCancel(n: number): Promise<number> {
  const controller = new AbortController();
  const signal = controller.signal;
  setMaxListeners(0, signal);
  const all: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    all.push(
      (async () => {
        try {
          await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(resolve, LONG);
            signal.addEventListener(
              "abort",
              () => {
                clearTimeout(timer);
                reject(signal.reason);
              },
              { once: true },
            );
          });
        } catch {
          /* aborted */
        } finally {
          finallies++;
        }
      })(),
    );
  }
  await new Promise((resolve) => setTimeout(resolve, 1));
  const timing = startTiming();
  controller.abort();
  await Promise.all(all);
  return timing.end();
}

export async function effectionCancel(n: number): Promise<number> {
  let ready!: () => void;
  const started = new Promise<void>((resolve) => (ready = resolve));
  const parent = effectionRun(function* () {
    for (let i = 0; i < n; i++) {
      yield* effectionSpawn(function* () {
        try {
          yield* effectionSleep(LONG);
        } finally {
          finallies++;
        }
      });
    }
    ready();
    yield* suspend();
  });
  await started;
  await new Promise((resolve) => setTimeout(resolve, 1));
  const timing = startTiming();
  await parent.halt();
  return timing.end();
}

export function sagaCancel(n: number): Promise<number> {
  let ms = 0;
  return runSaga({ channel: stdChannel(), dispatch: () => {}, getState: () => ({}) }, function* () {
    const tasks: SagaTask[] = [];
    for (let i = 0; i < n; i++) {
      tasks.push(
        (yield fork(function* () {
          try {
            yield sagaDelay(LONG);
          } finally {
            finallies++;
          }
        })) as SagaTask,
      );
    }
    yield sagaDelay(1);
    const timing = startTiming();
    yield sagaCancelEffect(tasks);
    yield sagaCall(() => {
      ms = timing.end();
    });
  })
    .toPromise()
    .then(() => ms);
}

function contender(name: string, clock: string, n: number, note: string, body: (n: number) => number | Promise<number>): Contender {
  return {
    name,
    clock,
    note: `${n.toLocaleString("en")} tasks; ${note}`,
    async measure() {
      finallies = 0;
      return checked(n, await body(n));
    },
  };
}

export const cancelWorkload: Workload = {
  name: "cancel",
  title: "cancel N sleeping tasks, every finally runs (cancellations per second)",
  unit: "ops/s",
  better: "higher",
  warmup: 3,
  contenders: () => [
    contender("genloop", "virtual", 10_000, "task.cancel() each, then yield* sleep(0)", genloopCancel),
    contender("raw generators", "virtual", 10_000, "gen.return() each", rawCancel),
    contender("native async", "real", 10_000, "one AbortSignal, a listener per task", nativeCancel),
    contender("Effection 4", "real", 2_000, "halt the parent of N spawned tasks", effectionCancel),
    contender("redux-saga", "real", 10_000, "yield cancel(tasks)", sagaCancel),
    { name: "co", clock: "-", note: "co has no cancellation", measure: () => ({ value: NaN }) },
  ],
};
