// Spawn + gather: one parent starts N children that return at once and waits for all results.
import co from "co";
import { all as effectionAll, run as effectionRun, type Operation } from "effection";
import { runSaga, stdChannel } from "redux-saga";
import { all as sagaAll, call as sagaCall } from "redux-saga/effects";
import { eagerTaskFactory, gather, run } from "../lib/index.js";
import { wallMs, type Contender, type Workload } from "./harness.js";
import { RawLoop } from "./raw.js";

function* child(i: number): Generator<never, number, unknown> {
  return i;
}

function check(results: unknown, n: number): void {
  if (!Array.isArray(results) || results.length !== n || results[n - 1] !== n - 1) throw new Error("gather: wrong results");
}

/** A contender that gathers n children and reports children per second. */
function rate(name: string, n: number, note: string, body: (n: number) => unknown): Contender {
  return {
    name,
    clock: "-",
    note: `${n.toLocaleString("en")} children; ${note}`,
    async measure() {
      let results: unknown;
      const ms = await wallMs(async () => {
        results = await body(n);
      });
      check(results, n);
      return { value: n / (ms / 1000) };
    },
  };
}

export const gatherWorkload: Workload = {
  name: "gather",
  title: "spawn + gather: N children returning at once (children per second)",
  unit: "ops/s",
  better: "higher",
  warmup: 3,
  contenders: () => [
    rate("genloop", 100_000, "yield* gather(...coroutines)", (n) =>
      run(
        (function* () {
          return yield* gather(...Array.from({ length: n }, (_, i) => child(i)));
        })(),
      ),
    ),
    rate("genloop, eager tasks", 100_000, "yield* gather(...coroutines), taskFactory: eagerTaskFactory", (n) =>
      run(
        (function* () {
          return yield* gather(...Array.from({ length: n }, (_, i) => child(i)));
        })(),
        { taskFactory: eagerTaskFactory },
      ),
    ),
    rate("raw generators", 100_000, "yield [children]", (n) => {
      const loop = new RawLoop(false);
      let out: unknown;
      loop.spawn(
        (function* () {
          out = yield Array.from({ length: n }, (_, i) => child(i));
        })(),
      );
      loop.run();
      return out;
    }),
    rate("native async", 100_000, "Promise.all(async fns)", (n) =>
      Promise.all(Array.from({ length: n }, (_, i) => (async () => i)())),
    ),
    rate("Effection 4", 1_000, "yield* all(operations)", (n) =>
      effectionRun(function* () {
        const ops: Operation<number>[] = Array.from({ length: n }, (_, i) => ({ *[Symbol.iterator]() { return i; } }));
        return yield* effectionAll(ops);
      }),
    ),
    rate("redux-saga", 20_000, "yield all(calls)", (n) =>
      runSaga({ channel: stdChannel(), dispatch: () => {}, getState: () => ({}) }, function* () {
        return yield sagaAll(Array.from({ length: n }, (_, i) => sagaCall(child, i)));
      }).toPromise(),
    ),
    rate("co", 100_000, "yield [generators]", (n) =>
      co(function* () {
        return yield Array.from({ length: n }, (_, i) => child(i));
      }),
    ),
  ],
};
