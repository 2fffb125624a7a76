// The embedding examples run and print what they promise (they are compiled with the specs).
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const runExample = (name: string): string => execFileSync(process.execPath, [`build/examples/${name}.js`], { encoding: "utf8", timeout: 20000 });

describe("examples", () => {
  it("task-stats: per-task CPU time, indented under each task's creator, from the public instrument hooks", () => {
    expect(runExample("task-stats").trim().split("\n")).to.deep.equal(["world: 1.0 ms cpu", "  goblin: 6.0 ms cpu", "  dragon: 15.0 ms cpu"]);
  });

  it("node-callbacks: reads files through the callback effect on Node's event loop, cancels a slow host timer", () => {
    expect(runExample("node-callbacks").trim().split("\n")).to.deep.equal([
      "package.json: genloop, tsconfig.json: " + execFileSync("wc", ["-c", "tsconfig.json"], { encoding: "utf8" }).trim().split(" ")[0] + " bytes",
      "missing file: ENOENT",
      "slow task: cancelled (took too long)",
    ]);
  });

  it("workflow: retries on a seeded schedule (transient errors and timeouts only), deadlines, a task group", () => {
    const out = runExample("workflow");
    expect(out).to.match(/inventory: inventory: 503; retrying in \d+ ms/);
    expect(out).to.contain("batch done: users#1, prices#1, inventory#3, orders#2");
    expect(out).to.contain("fatal: billing: 403 forbidden");
    expect(out).to.not.match(/billing: .*retrying/); // a fatal error is not retried
    expect(out).to.contain("batch deadline passed after 1500 ms");
    expect(out).to.equal(runExample("workflow")); // the seeded jitter replays exactly
  });

  it("game-loop: frame-driven tasks at exact frames; cancellation cleanup on quit", () => {
    const out = runExample("game-loop");
    expect(out).to.contain("[frame   0] power-up on");
    expect(out).to.contain("[frame  32] wave 1");
    expect(out).to.contain("[frame  50] power-up expired");
    expect(out.trim().split("\n").slice(-4)).to.deep.equal([
      "[frame  75] player quits",
      "[frame  75] goblin-1 despawns",
      "[frame  75] goblin-2 despawns",
      "genloop had work on 5 of 75 frames",
    ]);
  });

  it("quickjs-embed: the IIFE bundle runs a workflow inside QuickJS with Promise off (needs npm run build)", function () {
    if (!existsSync("dist/genloop.iife.js")) this.skip();
    expect(runExample("quickjs-embed").trim().split("\n")).to.deep.equal([
      "inside QuickJS, typeof Promise is undefined",
      "workflow result: Barbara (loaded at 300 ms); Ada (loaded at 100 ms); Grace (loaded at 200 ms)",
      "host-driven guest received: tick 1, tick 2, tick 3",
    ]);
  });
});
