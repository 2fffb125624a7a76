// The run every benchmark result is stamped with: made once by `npm run bench`, inherited by the
// processes it starts, so that the performance page can tell results of one run from a mix.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { benchRun, readJson } from "../../bench/harness.js";

const RUN_ENV = "GENLOOP_BENCH_RUN";

describe("benchmark runs", () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env[RUN_ENV];
    delete process.env[RUN_ENV];
  });
  afterEach(() => {
    if (saved === undefined) delete process.env[RUN_ENV];
    else process.env[RUN_ENV] = saved;
  });

  it("a process with no run handed down makes one from the time and the commit, and keeps it", () => {
    const run = benchRun();
    const head = spawnSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).stdout.trim();
    expect(run.commit).to.match(new RegExp(`^${head}(-dirty)?$`));
    expect(run.id).to.equal(`${run.started.slice(0, 19).replace(/:/g, "-")}Z-${run.commit}`);
    expect(benchRun()).to.deep.equal(run);
  });

  it("a process started by npm run bench takes its parent's run", () => {
    const script = `import { benchRun } from ${JSON.stringify(new URL("../../bench/harness.js", import.meta.url).href)}; console.log(JSON.stringify(benchRun()));`;
    const parent = benchRun();
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(child.status, child.stderr).to.equal(0);
    expect(JSON.parse(child.stdout)).to.deep.equal(parent);
  });

  it("a result file reads back with a missing median as NaN", () => {
    const dir = mkdtempSync(join(tmpdir(), "genloop-results-"));
    try {
      writeFileSync(join(dir, "cancel.json"), JSON.stringify({ rows: [{ name: "co", median: null }] }));
      expect(readJson("cancel", dir)).to.deep.equal({ rows: [{ name: "co", median: NaN }] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
