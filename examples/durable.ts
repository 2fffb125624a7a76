// `npm run durable`: a durable workflow is started in a child process, SIGKILLed half-way, and
// started again: the second process replays what the journal holds (no step is repeated) and
// goes on from there. The journal is a file (FileStore): one JSON line per outcome, fsync'd.
//   npm run build:dev && node build/examples/durable.js
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineEffect, sleep, type Coroutine } from "../lib/index.js";
import { DurableRun, FileStore, effectKey } from "../lib/durable/index.js";

/** One step of the order's fulfilment, done by the host (a payment API, a warehouse…). */
const step = defineEffect<{ name: string }, string>("shop.step");

function* fulfil(order: string): Coroutine<string> {
  const receipts: string[] = [];
  for (const name of ["reserve stock", "charge card", "ship parcel", "email customer"]) {
    receipts.push(yield* step({ name }));
    yield* sleep(300); // real time, journaled: a resumed run does not wait for what already passed
  }
  return `${order}: ${receipts.join(", ")}`;
}

/** The child: runs the workflow durably on the journal file, printing what the host does. */
function child(journal: string): void {
  const durable = new DurableRun({ store: new FileStore(journal), runId: "order-42" });
  const say = (text: string) => process.stdout.write(`  [pid ${process.pid}] ${text}\n`);
  say(durable.replaying() ? "journal found: replaying it, then going on live" : "no journal: starting afresh");
  const result = durable.run(fulfil("order 42"), {
    effects: {
      "shop.step": (effect, ctx) => {
        const { name } = effect as unknown as { name: string };
        say(`${name} (idempotency key ${effectKey()})`);
        ctx.resolve(`${name.split(" ")[0]} ok`);
      },
    },
  });
  say(`done after replaying ${durable.replayed} step(s): ${result}`);
}

/** Runs the child until it prints `killAfter` (then SIGKILLs it) or ends. */
function runChild(journal: string, killAfter: string | null): Promise<string> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), "--child", journal], { stdio: ["ignore", "pipe", "inherit"] });
    proc.stdout.on("data", (chunk: Buffer) => {
      process.stdout.write(chunk);
      if (killAfter !== null && chunk.toString().includes(killAfter)) {
        console.log(`parent: SIGKILL pid ${proc.pid} (it has just started "${killAfter}")`);
        proc.kill("SIGKILL");
      }
    });
    proc.on("close", (code, signal) => resolve(signal ?? `exit ${code}`));
  });
}

async function main(): Promise<void> {
  if (process.argv[2] === "--child") return child(process.argv[3]);
  const dir = mkdtempSync(join(tmpdir(), "genloop-durable-"));
  const journal = join(dir, "order-42.jsonl");
  try {
    console.log("run 1: start the workflow, kill it during the third step");
    console.log(`parent: run 1 ended with ${await runChild(journal, "ship parcel")}`);
    const lines = readFileSync(journal, "utf8").trimEnd().split("\n");
    console.log(`parent: the journal holds ${lines.length} lines (${lines.filter((l) => l.includes('"t":"done"')).length} step outcomes)`);
    console.log("run 2: start it again on the same journal");
    console.log(`parent: run 2 ended with ${await runChild(journal, null)}`);
    console.log("the steps the journal held were not done again; a step whose outcome was not journaled");
    console.log("when the process died runs again with the same idempotency key (at-least-once).");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
