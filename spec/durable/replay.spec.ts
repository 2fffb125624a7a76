import { expect } from "chai";
import {
  EventLoop,
  TimeoutError,
  VirtualClock,
  callback,
  defineEffect,
  getRunningLoop,
  runDue,
  sleep,
  spawn,
  waitFor,
  type Clock,
  type EffectHandlers,
} from "../../lib/index.js";
import {
  DivergenceError,
  DurableRun,
  MemoryStore,
  effectKey,
  now,
  patched,
  random,
  runDurable,
  type JournalStore,
} from "../../lib/durable/index.js";
import type { Co } from "../helpers.js";

const fetchText = defineEffect<{ url: string }, string>("test.fetch");
const virtual = () => new VirtualClock();

function counting(calls: string[]): EffectHandlers {
  return {
    "test.fetch": (effect, ctx) => {
      const url = (effect as { url: string }).url;
      calls.push(url);
      ctx.resolve(`<${url}>`);
    },
  };
}

describe("durable: replay details", () => {
  it("outcomes that arrive later (host-driven loop) replay at the same point: the same interleaving with timers", () => {
    function* program(log: string[]): Co<void> {
      yield* spawn(
        (function* () {
          const value = yield* callback<string>((resolve) => {
            pending.push(resolve);
          });
          log.push(`got ${value} at ${getRunningLoop().time()}`);
        })(),
      );
      for (let i = 0; i < 5; i++) {
        yield* sleep(10);
        log.push(`tick at ${getRunningLoop().time()}`);
      }
    }
    let pending: ((value: string) => void)[] = [];
    /** The host: 12 frames of 5 ms; at frame 5 it delivers the callback's value (if someone waits). */
    function host(store: MemoryStore): string[] {
      const log: string[] = [];
      pending = [];
      const durable = new DurableRun({ store, clock: new VirtualClock() });
      const loop = new EventLoop({ clock: durable.clock });
      durable.attach(loop);
      const main = loop.createTask(program(log));
      for (let frame = 0; frame < 12 && !main.done(); frame++) {
        if (frame === 5) for (const resolve of pending) resolve("hello");
        runDue(loop);
        (durable.clock as VirtualClock).advance(5);
      }
      expect(main.done()).to.equal(true);
      loop.close();
      return log;
    }
    const store = new MemoryStore();
    const recorded = host(store);
    expect(recorded).to.deep.equal(["tick at 10", "tick at 20", "got hello at 25", "tick at 30", "tick at 40", "tick at 50"]);
    const entry = JSON.parse(store.read()[1]);
    expect(entry).to.deep.include({ t: "done", kind: "callback", ok: true, v: "hello" });
    expect(entry.at).to.be.a("number");
    // Replay: the host delivers nothing (no setup runs), yet the value arrives where it did.
    const original = pending;
    expect(host(store)).to.deep.equal(recorded);
    expect(pending).to.deep.equal([]);
    expect(original.length).to.equal(1);
  });

  it("an effect cancelled before its outcome is journaled as cancelled and replayed without calling the host", () => {
    let setups = 0;
    function* program(log: string[]): Co<void> {
      try {
        yield* waitFor(callback(() => { setups++; }), 50);
      } catch (error) {
        log.push(`${(error as Error).name} at ${getRunningLoop().time()}`);
      }
    }
    const store = new MemoryStore();
    const first: string[] = [];
    runDurable(program(first), { store, clock: virtual() });
    expect(first).to.deep.equal(["TimeoutError at 50"]);
    expect(JSON.parse(store.read()[1])).to.deep.include({ t: "cancelled", kind: "callback" });
    const again: string[] = [];
    runDurable(program(again), { store, clock: virtual() });
    expect(again).to.deep.equal(first);
    expect(setups).to.equal(1);
    expect(TimeoutError.name).to.equal("TimeoutError");
  });

  it("real-clock readings are journaled and replayed: the same times, and a replay never waits", () => {
    let time = 1000;
    const slept: number[] = [];
    const source: Clock = { now: () => time, sleep: (ms) => { slept.push(ms); time += ms; } };
    function* program(log: string[]): Co<void> {
      const loop = getRunningLoop();
      log.push(`start ${loop.time()}`);
      yield* sleep(30);
      log.push(`after sleep ${loop.time()}`);
      log.push(`fetched ${yield* fetchText({ url: "x" })} at ${loop.time()}`);
      yield* sleep(20);
      log.push(`end ${loop.time()}`);
    }
    const store = new MemoryStore();
    const first: string[] = [];
    runDurable(program(first), { store, clock: source, effects: counting([]) });
    expect(first).to.deep.equal(["start 1000", "after sleep 1030", "fetched <x> at 1030", "end 1050"]);
    expect(slept).to.deep.equal([30, 20]);
    expect(store.read().some((l) => l.startsWith('{"t":"clock"'))).to.equal(true);
    time = 5_000_000; // another day
    slept.length = 0;
    const again: string[] = [];
    runDurable(program(again), { store, clock: source, effects: counting([]) });
    expect(again).to.deep.equal(first);
    expect(slept).to.deep.equal([]);
  });

  it("after the journal ends a real-clock run goes on live, never back in time", () => {
    let time = 100;
    const source: Clock = { now: () => time, sleep: (ms) => { time += ms; } };
    function* program(log: string[]): Co<void> {
      log.push(`a ${yield* fetchText({ url: "a" })} ${getRunningLoop().time()}`);
      yield* sleep(10);
      log.push(`b ${yield* fetchText({ url: "b" })} ${getRunningLoop().time()}`);
    }
    const store = new MemoryStore();
    runDurable(program([]), { store, clock: source, effects: counting([]) });
    const cut = MemoryStore.from(store.read().slice(0, 3).join("\n")); // header, clock, fetch a
    time = 50; // this host's clock is behind the recorded one
    const log: string[] = [];
    runDurable(program(log), { store: cut, clock: source, effects: counting([]) });
    expect(log[0]).to.equal("a <a> 100");
    expect(log[1]).to.equal("b <b> 110");
  });

  it("random() and now() are journaled: a replay gets the same values", () => {
    function* program(): Co<[number, number]> {
      return [yield* random(), yield* now()];
    }
    const store = new MemoryStore();
    const first = runDurable(program(), { store, clock: virtual() });
    expect(first[0]).to.be.within(0, 1);
    expect(Math.abs(first[1] - Date.now())).to.be.lessThan(60_000);
    expect(runDurable(program(), { store, clock: virtual() })).to.deep.equal(first);
  });

  it("patched(id): new runs take the new branch, replays of older journals the old one; a different patch diverges", () => {
    const v1 = function* (): Co<string[]> {
      return [yield* fetchText({ url: "a" }), yield* fetchText({ url: "b" })];
    };
    const v2 = function* (id = "b-to-c"): Co<string[]> {
      const first = yield* fetchText({ url: "a" });
      if (yield* patched(id)) return [first, yield* fetchText({ url: "c" })];
      return [first, yield* fetchText({ url: "b" })];
    };
    const oldJournal = new MemoryStore();
    runDurable(v1(), { store: oldJournal, clock: virtual(), effects: counting([]) });
    const calls: string[] = [];
    expect(runDurable(v2(), { store: oldJournal, clock: virtual(), effects: counting(calls) })).to.deep.equal(["<a>", "<b>"]);
    expect(calls).to.deep.equal([]);
    const newJournal = new MemoryStore();
    expect(runDurable(v2(), { store: newJournal, clock: virtual(), effects: counting(calls) })).to.deep.equal(["<a>", "<c>"]);
    expect(newJournal.read().some((l) => l.includes('"t":"patch"') && l.includes('"id":"b-to-c"'))).to.equal(true);
    calls.length = 0;
    expect(runDurable(v2(), { store: newJournal, clock: virtual(), effects: counting(calls) })).to.deep.equal(["<a>", "<c>"]);
    expect(calls).to.deep.equal([]);
    expect(() => runDurable(v2("other"), { store: newJournal, clock: virtual(), effects: counting(calls) })).to.throw(DivergenceError, /patched\("b-to-c"\).*asked for patched\("other"\)/);
    expect(() => patched("")).to.throw(TypeError, /non-empty string/);
  });

  it("effectKey(): run id, task id and effect index, the same on every attempt; unavailable outside a setup", () => {
    const keys: string[] = [];
    const effects: EffectHandlers = {
      "test.fetch": (_e, ctx) => {
        keys.push(effectKey());
        ctx.resolve("ok");
      },
    };
    function* program(): Co<void> {
      yield* fetchText({ url: "1" });
      const child = yield* spawn((function* () { yield* fetchText({ url: "2" }); })());
      yield* child;
      yield* callback<void>((resolve) => {
        keys.push(effectKey());
        resolve();
      });
    }
    const store = new MemoryStore();
    runDurable(program(), { store, clock: virtual(), effects, runId: "order-7" });
    expect(keys).to.deep.equal(["order-7/1/0", "order-7/1.1/0", "order-7/1/1"]);
    // A resume that lost the last two outcomes asks again with the same keys.
    keys.length = 0;
    runDurable(program(), { store: MemoryStore.from(store.read().slice(0, 2).join("\n")), clock: virtual(), effects });
    expect(keys).to.deep.equal(["order-7/1.1/0", "order-7/1/1"]);
    expect(() => effectKey()).to.throw(/no host effect is starting under a durable run/);
  });

  it("a handler returning a coroutine runs again on replay (the loop decides its result); its own host effects replay", () => {
    const calls: string[] = [];
    const compound = defineEffect<{ n: number }, string>("test.compound");
    const effects: EffectHandlers = {
      ...counting(calls),
      "test.compound": function* (effect) {
        calls.push("compound");
        const a = yield* fetchText({ url: `in-${(effect as { n: number }).n}` });
        yield* sleep(5);
        return `${a}+`;
      },
    };
    function* program(): Co<string[]> {
      return [yield* compound({ n: 1 }), yield* fetchText({ url: "after" })];
    }
    const store = new MemoryStore();
    const first = runDurable(program(), { store, clock: virtual(), effects });
    expect(first).to.deep.equal(["<in-1>+", "<after>"]);
    expect(calls).to.deep.equal(["compound", "in-1", "after"]);
    expect(store.read().some((l) => l.includes('"t":"coroutine"'))).to.equal(true);
    calls.length = 0;
    expect(runDurable(program(), { store, clock: virtual(), effects })).to.deep.equal(first);
    expect(calls).to.deep.equal(["compound"]);
    // Cut after the handler's inner fetch: the handler runs again, its fetch replays, the rest goes live.
    const lines = store.read();
    const inner = lines.findIndex((l) => l.includes("in-1"));
    calls.length = 0;
    expect(runDurable(program(), { store: MemoryStore.from(lines.slice(0, inner + 1).join("\n")), clock: virtual(), effects })).to.deep.equal(first);
    expect(calls).to.deep.equal(["compound", "after"]);
  });

  it("a store that fails stops the run: no task resumes on an outcome that was not stored", () => {
    const lines: string[] = [];
    const store: JournalStore = {
      read: () => [],
      append: (line) => {
        if (lines.length === 2) throw new Error("disk full");
        lines.push(line);
      },
    };
    const log: string[] = [];
    function* program(): Co<void> {
      for (const url of ["a", "b", "c"]) {
        try {
          log.push(yield* fetchText({ url }));
        } catch (error) {
          log.push(`caught ${(error as Error).message}`);
        }
      }
    }
    expect(() => runDurable(program(), { store, clock: virtual(), effects: counting([]) })).to.throw("disk full");
    expect(log).to.deep.equal(["<a>", "caught disk full", "caught disk full"]);
  });

  it("after a divergence every host effect fails with it and nothing more is journaled", () => {
    const store = new MemoryStore();
    runDurable((function* () { yield* fetchText({ url: "a" }); })(), { store, clock: virtual(), effects: counting([]) });
    const before = store.read();
    const seen: unknown[] = [];
    function* changed(): Co<void> {
      for (const url of ["z", "y"]) {
        try {
          yield* fetchText({ url });
        } catch (error) {
          seen.push(error);
        }
      }
    }
    expect(() => runDurable(changed(), { store, clock: virtual(), effects: counting([]) })).to.throw(DivergenceError);
    expect(seen.length).to.equal(2);
    expect(seen[0]).to.equal(seen[1]);
    expect(store.read()).to.deep.equal(before);
  });

  it("validates its options, and refuses a loop that does not use its clock", () => {
    expect(() => new DurableRun(null as never)).to.throw(TypeError, /options must be an object/);
    expect(() => new DurableRun({ store: {} as never })).to.throw(TypeError, /store must be a JournalStore/);
    expect(() => new DurableRun({ store: new MemoryStore(), codec: {} as never })).to.throw(TypeError, /codec must have encode/);
    expect(() => new DurableRun({ store: new MemoryStore(), runId: "a b" })).to.throw(TypeError, /runId/);
    expect(() => new DurableRun({ store: new MemoryStore(), limits: null as never })).to.throw(TypeError, /limits must be an object/);
    expect(() => new DurableRun({ store: new MemoryStore(), limits: { maxEntries: 0 } })).to.throw(TypeError, /limits\.maxEntries must be a positive whole number/);
    expect(() => new DurableRun({ store: new MemoryStore(), clock: virtual() }).attach({} as never)).to.throw(TypeError, /an EventLoop was expected/);
    const store = MemoryStore.from('{"journal":"genloop","version":1,"run":"r1"}');
    expect(() => new DurableRun({ store, runId: "r2" })).to.throw(RangeError, /belongs to run "r1"/);
    const durable = new DurableRun({ store: new MemoryStore(), clock: virtual() });
    const loop = new EventLoop({ clock: virtual() });
    expect(() => durable.attach(loop)).to.throw(/must use the durable run's clock/);
    loop.close();
  });
});
