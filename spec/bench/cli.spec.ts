// The command lines of `npm run bench`, `npm run perf-page`, `npm run fuzz` and the side-by-side comparison: a name or flag they do not know is an
// error with a usage line, before anything runs (a typo must not start a ten-minute run).
import { spawnSync } from "node:child_process";
import { expect } from "chai";

function runBuilt(script: string, args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [script, ...args], { encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stderr: r.stderr };
}

describe("bench and fuzz command lines", () => {
  it("npm run bench refuses an unknown benchmark or flag and prints the names it knows", () => {
    const r = runBuilt("build/bench/index.js", ["switch", "--fast"]);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.contain("unknown benchmark(s), engine(s) or flag(s): --fast");
    expect(r.stderr).to.match(/usage: npm run bench \[-- name \.\.\.\] +names: switch, gather, heap, timers, cancel, scaling, engines, micro;/);
  });

  it("npm run bench -- engines:<names> refuses an engine it does not know and lists the engines", () => {
    const r = runBuilt("build/bench/index.js", ["engines:jsc,v8"]);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.contain('engine "v8"');
    expect(r.stderr).to.contain("engines: quickjs, quickjs-ng, jsc, spidermonkey, bun, deno, hermes, hermes-es5-bundle, hermes-es5, duktape, rhino, mujs");
  });

  it("npm run bench -- micro:<names> refuses an engine it does not know and lists the engines it runs", () => {
    const r = runBuilt("build/bench/index.js", ["micro:node,duktape"]);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.contain('micro engine "duktape"');
    expect(r.stderr).to.contain("micro:<engine,...> with engines: node, quickjs, quickjs-ng, jsc, spidermonkey, bun, deno, hermes (micro alone: node, quickjs, jsc, hermes)");
    const bare = runBuilt("build/bench/index.js", ["micro:"]);
    expect(bare.status).to.equal(2);
    expect(bare.stderr).to.contain('micro engine ""');
  });

  it("npm run bench -- profile:<workloads> refuses a workload it cannot profile or a contender the workload lacks", () => {
    const heap = runBuilt("build/bench/index.js", ["profile:cancel,heap"]);
    expect(heap.status).to.equal(2);
    expect(heap.stderr).to.contain('profile: unknown workload "heap"; it profiles switch, gather, timers, cancel');
    expect(heap.stderr).to.contain("npm run bench -- profile:<workload,...> [--contender <name>]...");
    const contender = runBuilt("build/bench/index.js", ["profile:gather", "--contender", "raw"]);
    expect(contender.status).to.equal(2);
    expect(contender.stderr).to.contain('profile: gather has no contender "raw"; its contenders: "genloop", "genloop, eager tasks", "raw generators"');
    expect(contender.stderr).to.contain("usage: npm run bench [-- name ...]");
  });

  it("the side-by-side comparison refuses a wrong command line with its usage line", () => {
    const usage = "usage: node bench/side-by-side/run.mjs <A> <B> [--engine node|jsc|quickjs|hermes] [--only cancel,gather] [--rounds 21] [--scale 1] [--both-orders]";
    for (const args of [["main"], ["main", ".", "--both-order"], ["main", ".", "--rounds", "0"], ["main", ".", "--engine", "v8"]]) {
      const r = runBuilt("bench/side-by-side/run.mjs", args);
      expect(r.status, args.join(" ")).to.equal(2);
      expect(r.stderr).to.contain(usage);
    }
  });

  it("npm run perf-page refuses an unknown flag with its usage line, and a results directory without the run's files", () => {
    const wrong = runBuilt("build/bench/page.js", ["--result", "x"]);
    expect(wrong.status).to.equal(2);
    expect(wrong.stderr).to.contain("usage: npm run perf-page [-- --results <dir>] [--page <file.md>]");
    const empty = runBuilt("build/bench/page.js", ["--results", "build/no-such-results"]);
    expect(empty.status).to.equal(1);
    expect(empty.stderr).to.contain("perf-page: missing result file(s): build/no-such-results/switch.json, build/no-such-results/gather.json");
    expect(empty.stderr).to.contain("run `npm run bench` (every workload, in one run), then `npm run perf-page`");
  });

  it("npm run fuzz refuses an unknown flag with its usage line", () => {
    const r = runBuilt("build/spec/differential/fuzz.js", ["--count", "1", "--fast"]);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.contain("usage: npm run fuzz -- [--count N] [--seed S] [--program I] [--batch B] [--keep-going]");
  });
});
