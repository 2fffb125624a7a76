// The command lines of `npm run bench`, `npm run perf-page`, `npm run fuzz` and the side-by-side comparison: a name or flag they do not know is an
// error with a usage line, before anything runs (a typo must not start a ten-minute run).
import { spawnSync } from "node:child_process";
import { expect } from "chai";

/** Runs `script` with `args` and checks that it exits with `status` and says every one of `said` on its standard error. */
function expectRefusal(script: string, args: string[], status: number, ...said: (string | RegExp)[]): void {
  const r = spawnSync(process.execPath, [script, ...args], { encoding: "utf8", timeout: 60_000 });
  expect(r.status, `${script} ${args.join(" ")}`).to.equal(status);
  for (const text of said) {
    if (typeof text === "string") expect(r.stderr).to.contain(text);
    else expect(r.stderr).to.match(text);
  }
}

describe("bench and fuzz command lines", () => {
  it("npm run bench refuses an unknown benchmark or flag and prints the names it knows", () => {
    expectRefusal(
      "build/bench/index.js",
      ["switch", "--fast"],
      2,
      "unknown benchmark(s), engine(s) or flag(s): --fast",
      /usage: npm run bench \[-- name \.\.\.\] +names: switch, gather, heap, timers, cancel, scaling, engines, micro;/,
    );
  });

  it("npm run bench -- engines:<names> refuses an engine it does not know and lists the engines", () => {
    expectRefusal(
      "build/bench/index.js",
      ["engines:jsc,v8"],
      2,
      'engine "v8"',
      "engines: quickjs, quickjs-ng, jsc, spidermonkey, bun, deno, hermes, hermes-es5-bundle, hermes-es5, duktape, rhino, mujs",
    );
  });

  it("npm run bench -- micro:<names> refuses an engine it does not know and lists the engines it runs", () => {
    expectRefusal(
      "build/bench/index.js",
      ["micro:node,duktape"],
      2,
      'micro engine "duktape"',
      "micro:<engine,...> with engines: node, quickjs, quickjs-ng, jsc, spidermonkey, bun, deno, hermes (micro alone: node, quickjs, jsc, hermes)",
    );
    expectRefusal("build/bench/index.js", ["micro:"], 2, 'micro engine ""');
  });

  it("npm run bench -- profile:<workloads> refuses a workload it cannot profile or a contender the workload lacks", () => {
    expectRefusal(
      "build/bench/index.js",
      ["profile:cancel,heap"],
      2,
      'profile: unknown workload "heap"; it profiles switch, gather, timers, cancel',
      "npm run bench -- profile:<workload,...> [--contender <name>]...",
    );
    expectRefusal(
      "build/bench/index.js",
      ["profile:gather", "--contender", "raw"],
      2,
      'profile: gather has no contender "raw"; its contenders: "genloop", "genloop, eager tasks", "raw generators"',
      "usage: npm run bench [-- name ...]",
    );
  });

  it("the side-by-side comparison refuses a wrong command line with its usage line", () => {
    const usage = "usage: node bench/side-by-side/run.mjs <A> <B> [--engine node|jsc|quickjs|hermes] [--only cancel,gather] [--rounds 21] [--scale 1] [--both-orders]";
    for (const args of [["main"], ["main", ".", "--both-order"], ["main", ".", "--rounds", "0"], ["main", ".", "--engine", "v8"]]) {
      expectRefusal("bench/side-by-side/run.mjs", args, 2, usage);
    }
  });

  it("npm run perf-page refuses an unknown flag with its usage line, and a results directory without the run's files", () => {
    expectRefusal("build/bench/page.js", ["--result", "x"], 2, "usage: npm run perf-page [-- --results <dir>] [--page <file.md>]");
    expectRefusal(
      "build/bench/page.js",
      ["--results", "build/no-such-results"],
      1,
      "perf-page: missing result file(s): build/no-such-results/switch.json, build/no-such-results/gather.json",
      "run `npm run bench` (every workload, in one run), then `npm run perf-page`",
    );
  });

  it("npm run fuzz refuses an unknown flag with its usage line", () => {
    expectRefusal("build/spec/differential/fuzz.js", ["--count", "1", "--fast"], 2, "usage: npm run fuzz -- [--count N] [--seed S] [--program I] [--batch B] [--keep-going]");
  });
});
