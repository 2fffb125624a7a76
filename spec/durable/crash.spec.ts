// Crash tests with real processes and real files: a durable workflow of 50 host steps runs in a
// child process (spec/durable/crash/child.ts) that is SIGKILLed at seeded moments — by itself at
// a seeded point of its run (before/after a journal append, between a step's side effect and
// its journaling, in the middle of a journal line), or by this process after a seeded delay —
// and restarted from its journal until it finishes. 200 SIGKILLed runs in all.
import { expect } from "chai";
import { spawn } from "node:child_process";
import { buildSync } from "esbuild";
import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseJournal } from "../../lib/durable/index.js";
import { FileStore } from "../../lib/durable/index.js";
import { seededRandom } from "../../lib/schedules/index.js";

/** SIGKILLs in all: workflows run (each killed up to 4 times, then finishing) until this many. */
const KILLS = Number(process.env.CRASH_KILLS ?? 200);
const PARALLEL = 4;
// Journals on a tmpfs where there is one: a SIGKILL loses nothing the kernel has, so the runs
// exercise the same code paths, without a disk's fsync latency (~5 ms each, 100 per run).
const base = existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
// The child is bundled into one file first: a process then starts in a third of the time.
let child = "";


interface Exit {
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
}

function runChild(args: string[], killAfterMs: number | null): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    proc.stdout.on("data", (d) => (stdout += d));
    proc.stderr.on("data", (d) => (stderr += d));
    const timer = killAfterMs === null ? null : setTimeout(() => proc.kill("SIGKILL"), killAfterMs);
    proc.on("error", reject);
    proc.on("close", (code, signal) => {
      if (timer !== null) clearTimeout(timer);
      if (code !== 0 && signal === null) reject(new Error(`child failed (${code}): ${stderr}`));
      else resolve({ pid: proc.pid as number, code, signal, stdout });
    });
  });
}

/** The journal's complete lines as a restarting process would read them (a torn last line dropped), checked. */
function readJournal(path: string): string[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, "utf8");
  const lines = text.split("\n");
  lines.pop(); // "" after the last "\n", or the torn line
  parseJournal(lines); // throws if unreadable
  return lines;
}

/** The idempotency keys of the outcomes a journal holds. */
function journaledKeys(lines: string[]): Set<string> {
  if (lines.length === 0) return new Set();
  const run = JSON.parse(lines[0]).run as string;
  return new Set(lines.slice(1).map((l) => JSON.parse(l)).filter((e) => e.t === "done").map((e) => `${run}/${e.task}/${e.i}`));
}

const laneTotal = Array.from({ length: 25 }, (_, n) => (n * 7) % 13).reduce((a, b) => a + b, 0);
const expected = `RESULT ${laneTotal},${laneTotal}`;

interface RunReport {
  processes: number;
  kills: number;
  duplicates: number;
  torn: number;
}

/** One workflow from an empty journal to its end, killed up to `maxKills` times on the way. */
async function crashRun(seed: number, maxKills: number): Promise<RunReport> {
  const random = seededRandom(seed);
  const dir = mkdtempSync(join(base, "genloop-crash-"));
  const journal = join(dir, "journal.jsonl");
  const applied = join(dir, "applied.log");
  const attempts = join(dir, "attempts.log");
  const report: RunReport = { processes: 0, kills: 0, duplicates: 0, torn: 0 };
  try {
    for (;;) {
      const before = journaledKeys(readJournal(journal));
      report.processes++;
      const args = [journal, applied, attempts];
      let killAfterMs: number | null = null;
      if (report.kills < maxKills) {
        if (random() < 0.15) killAfterMs = Math.floor(random() * 150);
        else {
          args.push(String(1 + Math.floor(random() * 120)));
          if (random() < 0.25) args.push("torn");
        }
      }
      const exit = await runChild(args, killAfterMs);
      const after = readJournal(journal); // never unreadable
      const mine = existsSync(attempts)
        ? readFileSync(attempts, "utf8").split("\n").filter((l) => l.startsWith(`${exit.pid} `)).map((l) => l.split(" ")[1])
        : [];
      for (const key of mine) expect(before.has(key), `seed ${seed}: ${key} was journaled before process ${report.processes} ran it again`).to.equal(false);
      if (existsSync(journal) && !/(^|\n)$/.test(readFileSync(journal, "utf8"))) report.torn++;
      if (exit.code === 0) {
        expect(exit.stdout.trim(), `seed ${seed}`).to.equal(expected);
        expect(after.length).to.be.greaterThan(50);
        break;
      }
      expect(exit.signal, `seed ${seed}`).to.equal("SIGKILL");
      report.kills++;
    }
    // The external system holds every step exactly once, by key.
    const appliedLines = readFileSync(applied, "utf8").trim().split("\n");
    const keys = appliedLines.map((l) => l.split(" ")[0]);
    expect(new Set(keys).size, `seed ${seed}`).to.equal(keys.length);
    expect(appliedLines.map((l) => l.split(" ")[1]).sort()).to.deep.equal(
      ["left", "right"].flatMap((lane) => Array.from({ length: 25 }, (_, n) => `${lane}:${n}`)).sort(),
    );
    report.duplicates = readFileSync(attempts, "utf8").trim().split("\n").length - 50;
    return report;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("durable: crash tests (child processes SIGKILLed at seeded moments)", function () {
  this.timeout(300_000);
  let bundleDir = "";

  before(() => {
    bundleDir = mkdtempSync(join(base, "genloop-crash-child-"));
    child = join(bundleDir, "child.mjs");
    buildSync({ entryPoints: ["spec/durable/crash/child.ts"], bundle: true, platform: "node", format: "esm", target: "node20", outfile: child, logLevel: "warning" });
  });

  after(() => rmSync(bundleDir, { recursive: true, force: true }));

  it(`${KILLS} SIGKILLed runs, each restarted from its journal: the uninterrupted result, each side effect applied once`, async () => {
    const seed = Number(process.env.CRASH_SEED ?? 20261206);
    const reports: RunReport[] = [];
    const started = Date.now();
    let kills = 0;
    let workflows = 0;
    const worker = async () => {
      while (kills < KILLS) {
        const report = await crashRun(seed + workflows++, Math.min(4, KILLS - kills));
        kills += report.kills;
        reports.push(report);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    const sum = (key: keyof RunReport) => reports.reduce((a, r) => a + r[key], 0);
    if (process.env.CRASH_REPORT) {
      console.log(`${reports.length} workflows, ${sum("processes")} processes, ${sum("kills")} SIGKILLs, ${sum("duplicates")} repeated attempts, ${sum("torn")} torn journals, ${Date.now() - started} ms`);
    }
    expect(sum("kills")).to.be.at.least(KILLS);
    // Repeated attempts happen (a kill between a step's side effect and its journaling), deduped by key;
    // and torn journal lines happen, and are recovered from.
    expect(sum("duplicates")).to.be.greaterThan(0);
    expect(sum("torn")).to.be.greaterThan(0);
  });

  it("a journal torn in the middle of its last line is repaired on open and the run resumes", async () => {
    const dir = mkdtempSync(join(base, "genloop-torn-"));
    try {
      const journal = join(dir, "journal.jsonl");
      const applied = join(dir, "applied.log");
      const attempts = join(dir, "attempts.log");
      await runChild([journal, applied, attempts, "60"], null);
      const text = readFileSync(journal, "utf8");
      const cut = text.length - 7; // in the middle of the last line
      truncateSync(journal, cut);
      const store = new FileStore(journal);
      const lines = store.read();
      expect(store.recoveredBytes).to.be.greaterThan(0);
      expect(readFileSync(journal, "utf8")).to.equal(text.slice(0, text.lastIndexOf("\n", cut - 1) + 1));
      parseJournal(lines);
      const exit = await runChild([journal, applied, attempts], null);
      expect(exit.stdout.trim()).to.equal(expected);
      // A corrupted line that is not the last one is an error naming it, not a silent drop.
      const full = readFileSync(journal, "utf8").split("\n");
      full[3] = full[3].slice(0, 10);
      writeFileSync(journal, full.join("\n"));
      expect(() => parseJournal(new FileStore(journal).read())).to.throw(/journal line 4: not JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
