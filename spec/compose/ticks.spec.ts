// Tick-for-tick comparisons with CPython 3.13: the logs below were produced by the same scenarios
// written in Python and run on a loop whose clock jumps (the TestLoop idea). A ticker callback that
// re-schedules itself with callSoon marks each loop iteration (t0, t1, …).
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
function ticker(n: number): void {
  log.push(`t${n}`);
  if (n < 12) getRunningLoop().callSoon(ticker, n + 1);
}
function* s0(name: string, n = 1): Co<string> {
  for (let i = 0; i < n; i++) yield* sleep(0);
  log.push(name);
  return name;
}

describe("compose: tick counts match CPython 3.13", () => {
  beforeEach(() => {
    log = [];
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
    ]);
  });
});
