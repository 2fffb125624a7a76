// Child process of the heap workload: `node --expose-gc heap-child.js <contender> <n>`.
// Starts n tasks that suspend on a long sleep, then prints {"bytesPerTask": …} and exits
// without cleaning up (cleanup is not what is measured).
import type { Coroutine } from "../lib/index.js";
import co from "co";
import { run as effectionRun, sleep as effectionSleep, spawn as effectionSpawn } from "effection";
import { runSaga, stdChannel } from "redux-saga";
import { call as sagaCall, delay as sagaDelay, fork } from "redux-saga/effects";
import { createTask, run, sleep, VirtualClock } from "../lib/index.js";
import { RawLoop } from "./raw.js";

const LONG = 1e9;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("heap-child must run with --expose-gc");

function heapUsed(): number {
  for (let i = 0; i < 4; i++) gc!();
  return process.memoryUsage().heapUsed;
}

let before = 0;
function start(): void {
  before = heapUsed();
}
function report(n: number): never {
  const bytesPerTask = (heapUsed() - before) / n;
  console.log(JSON.stringify({ bytesPerTask }));
  process.exit(0);
}

function* genloopSleeper(): Coroutine<void> {
  yield* sleep(LONG);
}
function* rawSleeper(): Generator<unknown, void, unknown> {
  yield LONG;
}
async function nativeSleeper(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, LONG));
}

const [which, count] = process.argv.slice(2);
const n = Number(count);

switch (which) {
  case "genloop":
    run(
      (function* () {
        start();
        for (let i = 0; i < n; i++) createTask(genloopSleeper());
        yield* sleep(0); // every task runs its first step and suspends on its timer
        report(n);
      })(),
      { clock: new VirtualClock() },
    );
    break;
  case "raw": {
    const loop = new RawLoop(false);
    start();
    for (let i = 0; i < n; i++) loop.spawn(rawSleeper());
    loop.spawn(
      (function* () {
        yield 1; // wakes before the sleepers
        report(n);
      })(),
    );
    loop.run();
    break;
  }
  case "native":
    start();
    for (let i = 0; i < n; i++) void nativeSleeper();
    setTimeout(() => report(n), 10);
    break;
  case "effection":
    void effectionRun(function* () {
      start();
      for (let i = 0; i < n; i++) {
        yield* effectionSpawn(function* () {
          yield* effectionSleep(LONG);
        });
      }
      yield* effectionSleep(10);
      report(n);
    });
    break;
  case "saga":
    void runSaga({ channel: stdChannel(), dispatch: () => {}, getState: () => ({}) }, function* () {
      start();
      for (let i = 0; i < n; i++) {
        yield fork(function* () {
          yield sagaDelay(LONG);
        });
      }
      yield sagaDelay(10);
      yield sagaCall(report, n);
    });
    break;
  case "co":
    start();
    for (let i = 0; i < n; i++) {
      void co(function* () {
        yield new Promise((resolve) => setTimeout(resolve, LONG));
      });
    }
    setTimeout(() => report(n), 10);
    break;
  default:
    throw new Error(`heap-child: unknown contender ${which}`);
}
