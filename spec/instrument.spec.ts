import { expect } from "chai";
import {
  CancelledError,
  Effect,
  EventLoop,
  Future,
  VirtualClock,
  callback,
  gather,
  run,
  sleep,
  spawn,
  type EffectOutcome,
  type ExceptionContext,
  type Instrument,
  type Performed,
  type Task,
  type Coroutine,
} from "../lib/index.js";

function newLoop(instruments: Instrument[] = []): { loop: EventLoop; reports: ExceptionContext[] } {
  const loop = new EventLoop({ clock: new VirtualClock(), instruments });
  const reports: ExceptionContext[] = [];
  loop.setExceptionHandler((_l, ctx) => reports.push(ctx));
  return { loop, reports };
}

/** An instrument logging every call as one line. */
function recorder(log: string[], tag = ""): Instrument {
  const name = (t: Task<unknown>) => t.getName();
  const what = (e: Performed) => (e instanceof Effect ? e.kind : `future`);
  const out = (o: EffectOutcome) => (o.failed ? `threw ${o.error instanceof Error ? o.error.name : String(o.error)}` : `-> ${String(o.value)}`);
  return {
    taskCreated: (t) => log.push(`${tag}created ${name(t)}`),
    taskScheduled: (t, waker) => log.push(`${tag}scheduled ${name(t)} by ${waker?.getName() ?? "loop"}`),
    beforeTaskStep: (t) => log.push(`${tag}before ${name(t)}`),
    afterTaskStep: (t) => log.push(`${tag}after ${name(t)}`),
    taskFinished: (t) => log.push(`${tag}finished ${name(t)}`),
    beforeIdle: (ms) => log.push(`${tag}idle ${ms}`),
    afterIdle: (ms) => log.push(`${tag}awake ${ms}`),
    effectStarted: (t, e) => log.push(`${tag}effect ${name(t)} ${what(e)}`),
    effectSettled: (t, e, o) => log.push(`${tag}settled ${name(t)} ${what(e)} ${out(o)}`),
  };
}

describe("Instruments", () => {
  it("calls every hook in order: creation, scheduling, steps, effects, idle waits, finish", () => {
    const log: string[] = [];
    const { loop } = newLoop([recorder(log)]);
    function* child(): Coroutine<string> {
      return (yield* sleep(5, "slept")) as string;
    }
    function* main(): Coroutine<string> {
      const t = yield* spawn(child(), { name: "child" });
      log.push("main resumed");
      return (yield t) as string;
    }
    expect(loop.runUntilComplete(loop.createTask(main(), { name: "main" }))).to.equal("slept");
    expect(log).to.deep.equal([
      "created main",
      "scheduled main by loop",
      "before main",
      "effect main spawn",
      "created child",
      "scheduled child by main",
      "settled main spawn -> <Task pending name='child'>",
      "main resumed",
      "effect main future",
      "after main",
      "before child",
      "effect child sleep",
      "after child",
      "idle 5",
      "awake 5",
      "scheduled child by loop",
      "before child",
      "settled child sleep -> slept",
      "finished child",
      "scheduled main by child",
      "after child",
      "before main",
      "settled main future -> slept",
      "finished main",
      "after main",
    ]);
  });

  it("reports the CancelledError a waiting task is resumed with as the effect's outcome", () => {
    const log: string[] = [];
    const { loop } = newLoop([recorder(log)]);
    function* sleeper(): Coroutine<void> {
      try {
        yield* sleep(100);
      } catch (e) {
        log.push(`caught ${(e as Error).name}`);
        throw e;
      }
    }
    const task = loop.createTask(sleeper(), { name: "s" });
    loop.callLater(1, () => task.cancel());
    expect(() => loop.runUntilComplete(task)).to.throw(CancelledError);
    const i = log.indexOf("settled s sleep threw CancelledError");
    expect(i).to.be.greaterThan(-1);
    expect(log[i + 1]).to.equal("caught CancelledError");
    expect(log.indexOf("finished s")).to.be.greaterThan(i);
  });

  it("settles an effect that fails when performed in the same step, with any thrown value", () => {
    const log: string[] = [];
    const { loop } = newLoop([recorder(log)]);
    const Bad = class extends Effect<void> {
      readonly kind = "bad";
      _start(): Future<void> {
        throw undefined;
      }
    };
    function* main(): Coroutine<string> {
      try {
        yield new Bad();
      } catch (e) {
        return `caught ${String(e)}`;
      }
      return "no";
    }
    expect(loop.runUntilComplete(loop.createTask(main(), { name: "m" }))).to.equal("caught undefined");
    expect(log.slice(3, 6)).to.deep.equal(["effect m bad", "settled m bad threw undefined", "finished m"]);
  });

  it("reports the outcome of an effect completing at once before the coroutine goes on", () => {
    const seen: string[] = [];
    const { loop } = newLoop([
      { effectSettled: (_t, e, o) => seen.push(`${(e as Effect).kind}:${o.failed ? "x" : String(o.value)}`) },
    ]);
    function* main(): Coroutine<void> {
      const results = yield* gather();
      seen.push(`got ${results.length}`);
    }
    loop.runUntilComplete(loop.createTask(main()));
    expect(seen).to.deep.equal(["gather:", "got 0"]);
  });

  it("lets an instrument replace an effect: the original is never performed, hooks still see it", () => {
    const performed: string[] = [];
    const seen: string[] = [];
    const replay: Instrument = {
      interceptEffect(_task, effect) {
        if (effect instanceof Effect && effect.kind === "callback") {
          const f = new Future<string>(loop);
          loop.callSoon(() => f.setResult("recorded"));
          return f;
        }
        return undefined;
      },
      effectSettled: (_t, e, o) => seen.push(`${e instanceof Effect ? e.kind : "future"} ${o.failed ? "failed" : String(o.value)}`),
    };
    const { loop } = newLoop([replay]);
    function* main(): Coroutine<string> {
      return yield* callback<string>((resolve) => {
        performed.push("host call");
        resolve("live");
      });
    }
    expect(loop.runUntilComplete(loop.createTask(main()))).to.equal("recorded");
    expect(performed).to.deep.equal([]);
    expect(seen).to.deep.equal(["callback recorded"]);
  });

  it("removes an instrument that throws, reports it, and loses no wake-up", () => {
    const log: string[] = [];
    const thrower: Instrument = {
      taskScheduled(task) {
        if (task.getName() === "b") throw null;
      },
    };
    const { loop, reports } = newLoop([thrower, recorder(log)]);
    function* b(): Coroutine<string> {
      yield* sleep(1);
      return "b done";
    }
    function* main(): Coroutine<string> {
      const task = yield* spawn(b(), { name: "b" });
      return (yield task) as string;
    }
    expect(loop.runUntilComplete(loop.createTask(main(), { name: "main" }))).to.equal("b done");
    expect(reports).to.have.length(1);
    expect(reports[0].message).to.equal("Instrument taskScheduled() raised an error; the instrument was removed");
    expect(reports[0].exception).to.equal(null);
    expect(reports[0].instrument).to.equal(thrower);
    expect(loop.instruments()).to.have.length(1);
    // The other instrument still saw the scheduling the thrower failed on.
    expect(log).to.include("scheduled b by main");
  });

  it("keeps the loop running when each hook throws, in turn", () => {
    const hooks: (keyof Instrument)[] = [
      "taskCreated", "taskScheduled", "beforeTaskStep", "afterTaskStep", "taskFinished",
      "beforeIdle", "afterIdle", "effectStarted", "effectSettled", "interceptEffect",
    ];
    for (const hook of hooks) {
      const instrument: Instrument = { [hook]: () => { throw new Error(hook); } };
      const { loop, reports } = newLoop([instrument]);
      function* main(): Coroutine<string> {
        yield* sleep(3);
        return "ok";
      }
      expect(loop.runUntilComplete(loop.createTask(main())), hook).to.equal("ok");
      expect(reports.map((r) => (r.exception as Error).message), hook).to.deep.equal([hook]);
      expect(loop.instruments(), hook).to.deep.equal([]);
    }
  });

  it("reports an interceptEffect that returns something not performable, and performs the original", () => {
    const { loop, reports } = newLoop([{ interceptEffect: () => 42 as never }]);
    function* main(): Coroutine<string> {
      return (yield* sleep(1, "real")) as string;
    }
    expect(loop.runUntilComplete(loop.createTask(main()))).to.equal("real");
    expect(String(reports[0].exception)).to.match(/interceptEffect must return an Effect, a Future or undefined, got 42/);
  });

  it("calls instruments in the order added; removeInstrument stops the calls", () => {
    const log: string[] = [];
    const first = recorder(log, "1:");
    const second = recorder(log, "2:");
    const { loop } = newLoop();
    loop.addInstrument(first);
    loop.addInstrument(second);
    loop.addInstrument(first); // no-op
    expect(loop.instruments()).to.deep.equal([first, second]);
    loop.runUntilComplete(loop.createTask((function* () {})(), { name: "t" }));
    expect(log.slice(0, 4)).to.deep.equal(["1:created t", "2:created t", "1:scheduled t by loop", "2:scheduled t by loop"]);
    loop.removeInstrument(first);
    loop.removeInstrument(second);
    log.length = 0;
    loop.runUntilComplete(loop.createTask((function* () {})()));
    expect(log).to.deep.equal([]);
    expect(() => loop.removeInstrument(first)).to.throw(RangeError, /removeInstrument: .* is not installed on this loop/);
  });

  it("validates instruments at the boundary", () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    expect(() => loop.addInstrument(null as never)).to.throw(TypeError, /addInstrument: an instrument must be an object/);
    expect(() => loop.addInstrument({ beforeTaskStep: 1 } as never)).to.throw(TypeError, /beforeTaskStep must be a function or absent, got 1/);
    expect(() => new EventLoop({ instruments: {} as never })).to.throw(TypeError, /instruments must be an array/);
  });

  it("is accepted by run(), and sees host callbacks settle", () => {
    const settled: EffectOutcome[] = [];
    function* main(): Coroutine<number> {
      const v = yield* callback<number>((resolve) => {
        getLoop().callSoon(() => resolve(7));
      });
      return v * 2;
    }
    let captured: EventLoop | null = null;
    const getLoop = () => captured as EventLoop;
    const result = run(main(), {
      clock: new VirtualClock(),
      instruments: [
        {
          taskCreated(task) {
            captured ??= task.getLoop();
          },
          effectSettled: (_t, _e, o) => settled.push(o),
        },
      ],
    });
    expect(result).to.equal(14);
    expect(settled).to.deep.equal([{ failed: false, value: 7 }]);
  });
});
