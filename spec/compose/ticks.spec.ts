// Tick-for-tick comparisons with CPython 3.13: the logs below were produced by the same scenarios
// written in Python and run on a loop whose clock jumps (the TestLoop idea). A ticker callback that
// re-schedules itself with callSoon marks each loop iteration (t0, t1, …). Like asyncio.run,
// run() keeps iterating a few times after main returns (cancelling leftovers, then asyncio's two
// shutdown steps), so the ticker goes on to lastTick.
import { expect } from "chai";
import {
  wait,
  waitFor,
  shield,
  taskGroup,
  timeout,
  asCompleted,
  createTask,
  ensureFuture,
  getRunningLoop,
  sleep,
  CancelledError,
  ExceptionGroup,
  TimeoutError,
  FIRST_COMPLETED,
} from "../../lib/index.js";
import { type Co, vrun, now } from "../helpers.js";

let log: unknown[] = [];
let lastTick = 12;
function ticker(n: number): void {
  log.push(`t${n}`);
  if (n < lastTick) getRunningLoop().callSoon(ticker, n + 1);
}
function* slowCancel(name: string): Co<void> {
  try {
    yield* sleep(10_000);
  } catch (e) {
    yield* sleep(0);
    log.push(`${name}-cleanup`);
    throw e;
  }
}
function* s0(name: string, n = 1): Co<string> {
  for (let i = 0; i < n; i++) yield* sleep(0);
  log.push(name);
  return name;
}

describe("compose: tick counts match CPython 3.13", () => {
  beforeEach(() => {
    log = [];
    lastTick = 12;
  });

  it("wait, waitFor (inline and as a task), shield of a coroutine", () => {
    vrun(
      (function* () {
        const a = createTask(s0("a"));
        const b = createTask(s0("b", 3));
        ticker(0);
        const [d, p] = yield* wait([a, b], { returnWhen: FIRST_COMPLETED });
        log.push(["wait", d.size, p.size]);
        log.push(["wf", yield* waitFor(s0("c", 2), 10_000)]);
        const f = ensureFuture(waitFor(s0("d", 1), 10_000));
        log.push(["wf-task", yield* f]);
        log.push(["sh", yield* shield(s0("e", 1))]);
      })(),
    );
    expect(log).to.deep.equal([
      "t0", "t1", "a", "t2", "t3", ["wait", 1, 1], "b", "t4", "t5", "c", ["wf", "c"], "t6", "t7", "d", "t8",
      ["wf-task", "d"], "t9", "t10", "e", "t11", "t12", ["sh", "e"],
    ]);
  });

  it("taskGroup, timeout(0), asCompleted", () => {
    vrun(
      (function* () {
        ticker(0);
        yield* taskGroup(function* (tg) {
          tg.createTask(s0("x", 2));
          tg.createTask(s0("y", 1));
          log.push("body");
        });
        log.push("after-tg");
        try {
          yield* timeout(0, function* () { yield* sleep(0); });
        } catch (e) {
          if (e instanceof TimeoutError) log.push("TO");
        }
        for (const next of asCompleted([s0("p", 2), s0("q", 1)])) log.push(["ac", yield* next]);
      })(),
    );
    expect(log).to.deep.equal([
      "t0", "body", "t1", "t2", "y", "t3", "x", "t4", "t5", "after-tg", "t6", "TO", "t7", "t8", "q", "t9", "p", "t10",
      ["ac", "q"], ["ac", "p"], "t11",
      "t12", // asyncio.run's shutdown steps still run the loop after main returns
    ]);
  });

  it("a cancelled shield waiter, then a task group aborted by a child error", () => {
    vrun(
      (function* () {
        ticker(0);
        const t = createTask(s0("inner", 3));
        const o = createTask(
          (function* () {
            try {
              yield* shield(t);
            } catch (e) {
              if (e instanceof CancelledError) log.push("outer-cancelled");
              throw e;
            }
          })(),
        );
        yield* sleep(0);
        o.cancel();
        try {
          yield* o;
        } catch {
          log.push("o-done");
        }
        yield* t;
        log.push("t-done");
        try {
          yield* taskGroup(function* (tg) {
            tg.createTask(s0("k1", 1));
            tg.createTask((function* () { yield* sleep(0); throw new RangeError(); })());
            tg.createTask(s0("k2", 5));
            yield* sleep(1000);
          });
        } catch (e) {
          if (e instanceof ExceptionGroup) log.push(["eg", now()]);
        }
      })(),
    );
    expect(log).to.deep.equal([
      "t0", "t1", "t2", "outer-cancelled", "t3", "o-done", "t4", "inner", "t5", "t-done", "t6", "t7", "k1", "t8", "t9",
      "t10", ["eg", 0], "t11",
      "t12", // asyncio.run's shutdown steps still run the loop after main returns
    ]);
  });

  it("waitFor(task, 0) and waitFor(task, t) waiting for a slow cleanup, wait with timeout 0, asCompleted timing out", () => {
    lastTick = 14;
    vrun(
      (function* () {
        ticker(0);
        const t = createTask(slowCancel("w0"));
        yield* sleep(0);
        try {
          yield* waitFor(t, 0);
        } catch (e) {
          if (e instanceof TimeoutError) log.push("wf0");
        }
        const t2 = createTask(slowCancel("w1"));
        try {
          yield* waitFor(t2, 500);
        } catch (e) {
          if (e instanceof TimeoutError) log.push(["wf1", now()]);
        }
        const [d, p] = yield* wait([createTask(s0("z", 3))], { timeout: 0 });
        log.push(["w", d.size, p.size]);
        for (const next of asCompleted([s0("m", 1), sleep(5000)], { timeout: 1000 })) {
          try {
            log.push(["ac", yield* next]);
          } catch (e) {
            if (e instanceof TimeoutError) log.push(["acT", now()]);
          }
        }
      })(),
    );
    expect(log).to.deep.equal([
      "t0", "t1", "t2", "t3", "w0-cleanup", "t4", "t5", "wf0", "t6", "t7", "t8", "t9", "t10", "t11", "t12", "t13", "t14",
      "w1-cleanup", ["wf1", 500], ["w", 0, 1], "z", "m", ["ac", "m"], ["acT", 1500],
    ]);
  });

  it("an externally cancelled task group waiting for slow cleanups; a timeout around a task group", () => {
    lastTick = 14;
    vrun(
      (function* () {
        ticker(0);
        const r = createTask(
          (function* () {
            yield* taskGroup(function* (tg) {
              tg.createTask(slowCancel("c1"));
              tg.createTask(slowCancel("c2"));
              yield* sleep(10_000);
            });
          })(),
        );
        yield* sleep(0);
        yield* sleep(0);
        r.cancel();
        try {
          yield* r;
        } catch (e) {
          if (e instanceof CancelledError) log.push("r-cancelled");
        }
        try {
          yield* timeout(1000, function* () {
            yield* taskGroup(function* (tg) {
              tg.createTask(slowCancel("c3"));
              yield* sleep(5000);
            });
          });
        } catch (e) {
          if (e instanceof TimeoutError) log.push(["TO", now()]);
        }
      })(),
    );
    expect(log).to.deep.equal([
      "t0", "t1", "t2", "t3", "t4", "t5", "c1-cleanup", "c2-cleanup", "t6", "t7", "t8", "r-cancelled", "t9", "t10", "t11",
      "t12", "t13", "t14", "c3-cleanup", ["TO", 1000],
    ]);
  });
});
