// A durable workflow run as a child process by spec/durable/crash.spec.ts, which SIGKILLs it at
// seeded moments and restarts it from its journal until it finishes:
//   node child.js <journal> <applied-log> <attempts-log> [killAt [torn]]
// Two tasks perform 25 host steps each; a step's handler is idempotent by effect key: it applies
// the step to the "external system" (applied-log) only if that key is not there yet. With
// `killAt`, the process SIGKILLs itself at that point of its run (counting journal appends and
// handler calls, before and after each), or with `torn`, writes half a journal line first.
import { appendFileSync, existsSync, readFileSync, writeSync, openSync } from "node:fs";
import { defineEffect, gather, sleep, spawn } from "../../../lib/index.js";
import { FileStore, effectKey, runDurable } from "../../../lib/durable/index.js";
import type { Co } from "../../helpers.js";

const [journal, appliedLog, attemptsLog, killAtArg, tornArg] = process.argv.slice(2);
const killAt = killAtArg === undefined ? Infinity : Number(killAtArg);
const torn = tornArg === "torn";
let ticks = 0;

/** Counts one point of the run; at `killAt`, dies there (after tearing a journal line if asked). */
function tick(line?: string): void {
  if (++ticks !== killAt) return;
  if (torn && line !== undefined) {
    const fd = openSync(journal, "a");
    writeSync(fd, line.slice(0, Math.max(1, line.length >> 1)));
  }
  process.kill(process.pid, "SIGKILL");
}

class CrashingStore extends FileStore {
  override append(line: string): void {
    tick(line);
    super.append(line);
    tick();
  }
}

const step = defineEffect<{ lane: string; n: number }, number>("crash.step");

function* lane(name: string, steps: number): Co<number> {
  let total = 0;
  for (let n = 0; n < steps; n++) {
    total += yield* step({ lane: name, n });
    yield* sleep(n % 3); // real time: the clock readings are journaled too
  }
  return total;
}

function* main(): Co<string> {
  const left = yield* spawn(lane("left", 25), { name: "left" });
  const right = yield* spawn(lane("right", 25), { name: "right" });
  const totals = yield* gather(left, right);
  return totals.join(",");
}

const result = runDurable(main(), {
  store: new CrashingStore(journal),
  effects: {
    "crash.step": (effect, ctx) => {
      const { lane: name, n } = effect as unknown as { lane: string; n: number };
      const key = effectKey();
      appendFileSync(attemptsLog, `${process.pid} ${key}\n`);
      const applied = existsSync(appliedLog) ? readFileSync(appliedLog, "utf8") : "";
      if (!applied.split("\n").some((line) => line.startsWith(`${key} `))) appendFileSync(appliedLog, `${key} ${name}:${n}\n`);
      tick(); // the step is done outside but not journaled yet: the at-least-once window
      ctx.resolve((n * 7) % 13);
    },
  },
});
process.stdout.write(`RESULT ${result}\n`);
