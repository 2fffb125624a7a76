// Heap per suspended task: N tasks waiting on a long sleep. Each measurement runs in a fresh
// child process started with --expose-gc (bench/heap-child.ts), which reports the growth of
// process.memoryUsage().heapUsed after full collections, divided by N.
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Contender, Workload } from "./harness.js";

const childScript = join(dirname(fileURLToPath(import.meta.url)), "heap-child.js");

/** Runs `contender` with `n` tasks in a child process; bytes per suspended task. */
export function heapPerTask(contender: string, n: number): number {
  const out = execFileSync(process.execPath, ["--expose-gc", childScript, contender, String(n)], { encoding: "utf8" });
  const lines = out.trim().split("\n");
  return (JSON.parse(lines[lines.length - 1]) as { bytesPerTask: number }).bytesPerTask;
}

function contender(name: string, id: string, clock: string, n: number, note: string): Contender {
  return { name, clock, note: `${n.toLocaleString("en")} tasks; ${note}`, measure: () => ({ value: heapPerTask(id, n) }) };
}

export const heapWorkload: Workload = {
  name: "heap",
  title: "heap per task suspended on a long sleep (bytes, heapUsed delta after gc, child process)",
  unit: "B/task",
  better: "lower",
  warmup: 0,
  reps: 3,
  contenders: () => [
    contender("genloop", "genloop", "virtual", 100_000, "createTask(coro) + yield* sleep(1e9)"),
    contender("raw generators", "raw", "virtual", 100_000, "generator + heap entry"),
    contender("native async", "native", "real", 100_000, "async fn awaiting a setTimeout promise"),
    contender("Effection 4", "effection", "real", 5_000, "spawn + sleep"),
    contender("redux-saga", "saga", "real", 10_000, "fork + delay"),
    contender("co", "co", "real", 20_000, "co(gen) awaiting a setTimeout promise"),
  ],
};
