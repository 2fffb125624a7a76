// Golden journals: journals recorded by this version of genloop are committed under
// spec/durable/golden/ and replayed here, with handlers that fail if called. A later change that
// breaks the replay of existing journals (task ids, effect positions, the codec, the format,
// the scheduling order they rely on) fails this spec.
//   Re-record (only for an intended format change, with a new JOURNAL_VERSION):
//   npm run build:dev && GOLDEN_RECORD=1 npx mocha build/spec/durable/golden.spec.js
import { expect } from "chai";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  EventLoop,
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
import { DurableRun, MemoryStore, patched, random } from "../../lib/durable/index.js";
import type { Co } from "../helpers.js";
import { handlers as workflowHandlers, workflow } from "./workflow.js";

const dir = join(process.cwd(), "spec/durable/golden");
const recording = process.env.GOLDEN_RECORD === "1";
const lookup = defineEffect<{ key: string }, unknown>("golden.lookup");

/** A stack that names no machine path, so the journal is the same wherever it is recorded. */
function portable<E extends Error>(error: E): E {
  error.stack = `${error.name}: ${error.message}\n    at golden`;
  return error;
}

function* values(log: string[]): Co<void> {
  const zoo = (yield* lookup({ key: "zoo" })) as Record<string, unknown>;
  const show = (v: unknown): string =>
    typeof v === "bigint" ? `${v}n` : typeof v === "number" ? (Object.is(v, -0) ? "-0" : String(v)) : v instanceof Date ? `Date(${v.toISOString()})` : v === undefined ? "undefined" : JSON.stringify(v) ?? String(v);
  for (const key of Object.keys(zoo)) log.push(`${key}: ${show(zoo[key])}`);
  try {
    yield* lookup({ key: "error" });
  } catch (error) {
    const e = error as Error & { cause: Error; status: number };
    log.push(`error ${e.name}: ${e.message} status=${e.status} cause=${e.cause.name}: ${e.cause.message} stack=${JSON.stringify(e.stack)}`);
  }
}
const valueHandlers: EffectHandlers = {
  "golden.lookup": (effect, ctx) => {
    if ((effect as { key: string }).key === "zoo") {
      ctx.resolve({ nothing: undefined, nan: NaN, inf: -Infinity, negZero: -0, big: 2n ** 70n, when: new Date(Date.UTC(2026, 11, 6)), dollar: { $: "x" }, list: [1, undefined] });
    } else {
      ctx.reject(Object.assign(portable(new RangeError("out of stock")), { status: 409, cause: portable(new TypeError("inner")) }));
    }
  },
};

function* versioned(log: string[]): Co<void> {
  if (yield* patched("greet-twice")) log.push(`patched: ${yield* lookup({ key: "a" })} ${yield* lookup({ key: "b" })}`);
  else log.push("old");
  log.push(`rolled ${yield* random()}`);
  const job = defineEffect<{ n: number }, string>("golden.job");
  log.push(`job ${yield* job({ n: 2 })}`);
  try {
    yield* waitFor(callback(() => undefined), 25);
  } catch (error) {
    log.push(`${(error as Error).name} at ${getRunningLoop().time()}`);
  }
}
const versionedHandlers: EffectHandlers = {
  "golden.lookup": (effect, ctx) => ctx.resolve(`<${(effect as { key: string }).key}>`),
  "golden.job": function* (effect): Co<string> {
    const part = yield* lookup({ key: `part-${(effect as { n: number }).n}` });
    yield* sleep(5);
    return `${part} at ${getRunningLoop().time()}`;
  },
};

function* timed(log: string[]): Co<void> {
  const loop = getRunningLoop();
  log.push(`start ${loop.time()}`);
  yield* sleep(40);
  log.push(`${yield* lookup({ key: "x" })} at ${loop.time()}`);
  yield* sleep(15);
  log.push(`end ${loop.time()}`);
}
/** A real-time source that moves on by itself (7 ms a reading), as a wall clock does. */
function movingClock(): Clock {
  let time = 1_765_000_000_000;
  return { now: () => (time += 7), sleep: (ms) => void (time += ms) };
}

interface GoldenCase {
  name: string;
  /** Runs the program on `store`; handlers are the live ones when recording, and must not be called otherwise. */
  play(store: MemoryStore, live: boolean): { log: string[]; durable: DurableRun };
}

/** Handlers that fail the test if a golden replay ever calls one. */
function forbidden(kinds: string[]): EffectHandlers {
  const out: EffectHandlers = {};
  for (const kind of kinds) out[kind] = () => expect.fail(`the handler of ${kind} was called during a golden replay`);
  return out;
}

/** A blocking run; handlers that return coroutines (`coroutineKinds`) run again on replay, by design. */
const blocking = (
  name: string,
  program: (log: string[]) => Co<unknown>,
  live: EffectHandlers,
  clock: () => Clock | undefined,
  coroutineKinds: string[] = [],
): GoldenCase => ({
  name,
  play(store, isLive) {
    const log: string[] = [];
    const durable = new DurableRun({ store, clock: clock(), runId: name });
    const replayHandlers = forbidden(Object.keys(live).filter((kind) => !coroutineKinds.includes(kind)));
    for (const kind of coroutineKinds) replayHandlers[kind] = live[kind];
    const result = durable.run(program(log), { effects: isLive ? live : replayHandlers });
    log.push(`result ${JSON.stringify(result)}`);
    return { log, durable };
  },
});

const cases: GoldenCase[] = [
  blocking("workflow", workflow, workflowHandlers(), () => new VirtualClock()),
  blocking("values", values, valueHandlers, () => new VirtualClock()),
  blocking("versioned", versioned, versionedHandlers, () => new VirtualClock(), ["golden.job"]),
  blocking("real-clock", timed, { "golden.lookup": (e, ctx) => ctx.resolve((e as { key: string }).key) }, movingClock),
  {
    name: "host-driven",
    play(store, live) {
      const log: string[] = [];
      const durable = new DurableRun({ store, clock: new VirtualClock(), runId: "host-driven" });
      const loop = new EventLoop({ clock: durable.clock });
      durable.attach(loop);
      const arrivals: ((value: string) => void)[] = [];
      loop.createTask(
        (function* (): Co<void> {
          yield* spawn(
            (function* () {
              const value = yield* callback<string>((resolve) => {
                if (!live) expect.fail("a callback setup ran during a golden replay");
                arrivals.push(resolve);
              });
              log.push(`got ${value} at ${getRunningLoop().time()}`);
            })(),
          );
          for (let i = 0; i < 4; i++) {
            yield* sleep(10);
            log.push(`tick at ${getRunningLoop().time()}`);
          }
        })(),
      );
      for (let frame = 0; frame < 10; frame++) {
        if (frame === 3) for (const arrive of arrivals) arrive("late");
        runDue(loop);
        (durable.clock as VirtualClock).advance(5);
      }
      return { log, durable };
    },
  },
];

describe("durable: golden journals (recorded by this version, replayed by every later one)", () => {
  for (const golden of cases) {
    const journalFile = join(dir, `${golden.name}.jsonl`);
    const traceFile = join(dir, `${golden.name}.trace.json`);
    it(`${golden.name}: replays to the recorded trace without calling the host or appending`, function () {
      if (recording) {
        const store = new MemoryStore();
        const { log } = golden.play(store, true);
        writeFileSync(journalFile, store.toString());
        writeFileSync(traceFile, JSON.stringify(log, null, 2) + "\n");
      }
      if (!existsSync(journalFile)) this.skip();
      const text = readFileSync(journalFile, "utf8");
      const store = MemoryStore.from(text);
      const { log, durable } = golden.play(store, false);
      expect(log).to.deep.equal(JSON.parse(readFileSync(traceFile, "utf8")));
      expect(store.toString()).to.equal(text);
      expect(durable.replaying()).to.equal(false);
      expect(durable.replayed).to.be.greaterThan(0);
    });
  }
});
