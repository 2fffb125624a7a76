// Context switches: N tasks each yielding K times to the scheduler (asyncio's `await sleep(0)`).
import type { Coroutine } from "../lib/index.js";
import co from "co";
import { run as effectionRun, sleep as effectionSleep, spawn as effectionSpawn, type Task as EffectionTask } from "effection";
import { runSaga, stdChannel } from "redux-saga";
import { fork, join } from "redux-saga/effects";
import { createTask, run, sleep } from "../lib/index.js";
import { wallMs, type Contender, type Workload } from "./harness.js";
import { RawLoop } from "./raw.js";
import { loadCompiled } from "./compile-step.js";

const TASKS = 1000;

export function* genloopWorker(k: number): Coroutine<void> {
  for (let i = 0; i < k; i++) yield* sleep(0);
}

/** The same with a bare `yield` (untyped result): no `yield*` delegation per switch. */
function* genloopUntypedWorker(k: number): Coroutine<void> {
  for (let i = 0; i < k; i++) yield sleep(0);
}

function* genloopMain(n: number, k: number, worker = genloopWorker): Coroutine<void> {
  const tasks = [];
  for (let i = 0; i < n; i++) tasks.push(createTask(worker(k)));
  for (const t of tasks) yield* t;
}

function* rawWorker(k: number): Generator<unknown, void, unknown> {
  for (let i = 0; i < k; i++) yield;
}

/**
 * The floor of `yield*` for the raw loop: each task delegates to an iterator of its own that
 * yields once per delegation and makes no object, the protocol genloop's `yield* sleep(0)`
 * goes through (the task is its iterator), without any scheduler work. Its cost over
 * `rawWorker` is what `yield*` itself costs the engine.
 */
class RawTick implements Iterator<undefined, undefined, unknown> {
  private yielded = false;
  [Symbol.iterator](): this {
    return this;
  }
  next(): IteratorResult<undefined, undefined> {
    this.yielded = !this.yielded;
    return this.yielded ? RAW_YIELDED : RAW_DONE;
  }
}
const RAW_YIELDED: IteratorResult<undefined, undefined> = { value: undefined, done: false };
const RAW_DONE: IteratorResult<undefined, undefined> = { value: undefined, done: true };

function* rawDelegatingWorker(k: number): Generator<unknown, void, unknown> {
  const tick = new RawTick();
  for (let i = 0; i < k; i++) yield* tick;
}

async function nativeWorker(k: number): Promise<void> {
  for (let i = 0; i < k; i++) await null;
}

function* sagaWorker(k: number): Generator<unknown, void, unknown> {
  for (let i = 0; i < k; i++) yield Promise.resolve();
}

function* coWorker(k: number): Generator<unknown, void, unknown> {
  for (let i = 0; i < k; i++) yield Promise.resolve();
}

/** The typed worker compiled with genloop/transform (its `yield* sleep(0)` becomes a bare `yield`), compiled on first use (a warm-up round). */
let compiled: Promise<{ module: { compiledWorker: typeof genloopWorker } }> | null = null;
const compiledWorker = async (): Promise<typeof genloopWorker> => (await (compiled ??= loadCompiled("switch-worker"))).module.compiledWorker;

/** A contender that runs TASKS tasks × k switches and reports switches per second. */
function rate(name: string, clock: string, k: number, note: string, body: (n: number, k: number) => unknown): Contender {
  return {
    name,
    clock,
    note: `${TASKS} tasks × ${k}; ${note}`,
    async measure() {
      const ms = await wallMs(() => body(TASKS, k));
      return { value: (TASKS * k) / (ms / 1000) };
    },
  };
}

export const switchWorkload: Workload = {
  name: "switch",
  title: "switch: 1 000 tasks each yielding to the scheduler K times (switches per second)",
  unit: "ops/s",
  better: "higher",
  warmup: 3,
  contenders: () => [
    rate("genloop", "-", 1000, "yield* sleep(0)", (n, k) => run(genloopMain(n, k))),
    rate("genloop, bare yield", "-", 1000, "yield sleep(0): untyped, no yield* delegation", (n, k) =>
      run(genloopMain(n, k, genloopUntypedWorker)),
    ),
    rate("genloop, compiled", "-", 1000, "yield* sleep(0) compiled by genloop/transform (typedYields)", async (n, k) =>
      run(genloopMain(n, k, await compiledWorker())),
    ),
    rate("raw generators", "-", 1000, "bare yield, array FIFO", (n, k) => {
      const loop = new RawLoop(false);
      for (let i = 0; i < n; i++) loop.spawn(rawWorker(k));
      loop.run();
    }),
    rate("raw generators, yield*", "-", 1000, "yield* of a per-task iterator that yields once: yield*'s own cost, no scheduler", (n, k) => {
      const loop = new RawLoop(false);
      for (let i = 0; i < n; i++) loop.spawn(rawDelegatingWorker(k));
      loop.run();
    }),
    rate("native async", "-", 1000, "await null", (n, k) => Promise.all(Array.from({ length: n }, () => nativeWorker(k)))),
    rate("Effection 4", "real", 5, "yield* sleep(0) (a host setTimeout)", (n, k) =>
      effectionRun(function* () {
        const tasks: EffectionTask<void>[] = [];
        for (let i = 0; i < n; i++) {
          tasks.push(
            yield* effectionSpawn(function* () {
              for (let j = 0; j < k; j++) yield* effectionSleep(0);
            }),
          );
        }
        for (const t of tasks) yield* t;
      }),
    ),
    rate("redux-saga", "-", 200, "yield Promise.resolve() (a microtask)", (n, k) =>
      runSaga({ channel: stdChannel(), dispatch: () => {}, getState: () => ({}) }, function* () {
        const tasks = [];
        for (let i = 0; i < n; i++) tasks.push(yield fork(sagaWorker, k));
        yield join(tasks as never[]);
      }).toPromise(),
    ),
    rate("co", "-", 200, "yield Promise.resolve() (a microtask)", (n, k) =>
      Promise.all(Array.from({ length: n }, () => co(coWorker, k))),
    ),
  ],
};
