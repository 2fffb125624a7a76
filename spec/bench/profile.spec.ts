// The profiler's pure part (bench/profile.ts): a hand-built V8 CPU profile turned into self and
// total times, categories and the table; and the `profile:` command line's validation.
import { expect } from "chai";
import type { Contender, Workload } from "../../bench/harness.js";
import {
  categorize,
  formatSummary,
  parseProfileArgs,
  shortenPath,
  summarizeProfile,
  type CallFrame,
  type CpuProfile,
  type ProfileNode,
} from "../../bench/profile.js";

const root = "/repo";
const frame = (functionName: string, url = "", lineNumber = -1): CallFrame => ({ functionName, url, lineNumber, columnNumber: 0 });
const lib = (file: string) => `file:///repo/build/lib/${file}`;
const stepFrame = frame("_step", lib("task.js"), 519);
const realClock = lib("hosts/real-clock.js");

// (root) ─┬─ (garbage collector), (idle), (program)
//         ├─ runForever ─┬─ _step ── genloopSleeper ── _step (the same function again, deeper)
//         │              ├─ (anonymous) in real-clock.js: 3 of its 4 ticks on an Atomics.wait line
//         │              └─ now (a builtin: no url)
//         ├─ spawn in node_modules/effection
//         └─ listOnTimeout in node:internal/timers
const nodes: ProfileNode[] = [
  { id: 1, callFrame: frame("(root)"), children: [2, 3, 7, 4, 11, 12] },
  { id: 2, callFrame: frame("(garbage collector)") },
  { id: 3, callFrame: frame("(idle)") },
  { id: 4, callFrame: frame("runForever", lib("loop.js"), 416), children: [5, 8, 10] },
  { id: 5, callFrame: stepFrame, children: [6] },
  { id: 6, callFrame: frame("genloopSleeper", "file:///repo/build/bench/cancel.js", 19), children: [9] },
  { id: 7, callFrame: frame("(program)") },
  { id: 8, callFrame: frame("", realClock, 16), positionTicks: [{ line: 19, ticks: 3 }, { line: 18, ticks: 1 }] },
  { id: 9, callFrame: stepFrame },
  { id: 10, callFrame: frame("now") },
  { id: 11, callFrame: frame("spawn", "file:///repo/node_modules/effection/dist/spawn.js", 3) },
  { id: 12, callFrame: frame("listOnTimeout", "node:internal/timers", 500) },
];
// Every sample lasts 1 ms (up to the next), except genloopSleeper's, 4 ms.
const samples = [5, 5, 6, 9, 2, 3, 3, 7, 8, 8, 8, 8, 10, 11, 12];
const profile: CpuProfile = {
  nodes,
  startTime: 0,
  endTime: 18_000,
  samples,
  timeDeltas: [0, 1000, 1000, 4000, ...samples.slice(4).map(() => 1000)],
};
const isWaitLine = (url: string, line: number) => url === realClock && line === 19;

describe("bench profile: summarizing a CPU profile", () => {
  it("weighs each sample by the time up to the next and adds up a function's nodes", () => {
    const s = summarizeProfile(profile, { root, isWaitLine, top: 2 });
    expect(s.wallMs).to.equal(18);
    expect(s.samples).to.equal(15);
    // 18 ms less 2 idle and 3 blocked.
    expect(s.busyMs).to.equal(13);
    expect(s.top.map((f) => [f.name, f.location, f.selfMs])).to.deep.equal([
      ["genloopSleeper", "build/bench/cancel.js:20", 4],
      ["_step", "build/lib/task.js:520", 3],
    ]);
  });

  it("counts a function's total once per sample, however often it is on the stack", () => {
    const s = summarizeProfile(profile, { root, isWaitLine });
    const step = s.top.find((f) => f.name === "_step")!;
    // Its own 3 ms and genloopSleeper's 4 ms below it; the recursive _step's ms once.
    expect(step.selfPercent).to.be.closeTo((100 * 3) / 13, 1e-9);
    expect(step.totalPercent).to.be.closeTo((100 * 7) / 13, 1e-9);
    const sleeper = s.top.find((f) => f.name === "genloopSleeper")!;
    expect(sleeper.totalPercent).to.be.closeTo((100 * 5) / 13, 1e-9);
    // runForever has no self time: it is not among the top functions.
    expect(s.top.map((f) => f.name)).not.to.include("runForever");
    expect(s.top.map((f) => f.name)).not.to.include("(idle)");
    expect(s.top).to.have.length(8);
  });

  it("splits the ticks on a waiting line off as blocked, the rest of the node stays busy", () => {
    const s = summarizeProfile(profile, { root, isWaitLine });
    const sleep = s.top.find((f) => f.location === "build/lib/hosts/real-clock.js:17")!;
    expect(sleep.name).to.equal("(anonymous)");
    expect(sleep.selfMs).to.equal(1);
    const blocked = s.categories.find((c) => c.category === "blocked in Atomics.wait")!;
    expect(blocked).to.deep.equal({ category: "blocked in Atomics.wait", ms: 3, percentOfBusy: null, percentOfWall: (100 * 3) / 18 });
    // Without a waiting line, the node's 4 ms are busy.
    expect(summarizeProfile(profile, { root }).busyMs).to.equal(16);
  });

  it("groups self time by category, with V8's pseudo-frames on their own", () => {
    const s = summarizeProfile(profile, { root, isWaitLine });
    const ms = Object.fromEntries(s.categories.map((c) => [c.category, c.ms]));
    expect(ms).to.deep.equal({
      "genloop (lib/)": 4,
      "benchmark (bench/)": 4,
      "engine builtins and native code": 1,
      "Node internals": 1,
      "dependencies (node_modules/)": 1,
      other: 0,
      "(garbage collector)": 1,
      "(program)": 1,
      "(idle)": 2,
      "blocked in Atomics.wait": 3,
    });
    const gc = s.categories.find((c) => c.category === "(garbage collector)")!;
    expect(gc.percentOfBusy).to.be.closeTo(100 / 13, 1e-9);
    expect(gc.percentOfWall).to.be.closeTo(100 / 18, 1e-9);
    expect(s.categories.find((c) => c.category === "(idle)")!.percentOfBusy).to.equal(null);
    const busyPercents = s.categories.reduce((sum, c) => sum + (c.percentOfBusy ?? 0), 0);
    expect(busyPercents).to.be.closeTo(100, 1e-9);
  });

  it("names frames through the given locator; builtins and V8's frames have no location", () => {
    const s = summarizeProfile(profile, { root, locate: (f) => `${f.functionName}@${f.lineNumber}` });
    expect(s.top.find((f) => f.name === "_step")!.location).to.equal("_step@519");
    expect(s.top.find((f) => f.name === "now")!.location).to.equal("");
    expect(s.top.find((f) => f.name === "(garbage collector)")!.location).to.equal("");
  });

  it("keeps only the samples taken inside the windows, and counts the windows' length as the wall time", () => {
    // Samples at 0, 1, 2 (genloopSleeper, 4 ms), 6 (_step), 7, … 17 ms; the second window ends after the profile.
    const s = summarizeProfile(profile, { root, isWaitLine, windows: [[1500, 7000], [16_000, 30_000]] });
    expect(s.wallMs).to.equal(5.5 + 2);
    expect(s.samples).to.equal(4);
    expect(s.busyMs).to.equal(7);
    expect(s.top.map((f) => [f.name, f.selfMs])).to.deep.equal([
      ["genloopSleeper", 4],
      ["_step", 1],
      ["spawn", 1],
      ["listOnTimeout", 1],
    ]);
    expect(s.categories.find((c) => c.category === "(idle)")!.ms).to.equal(0);
  });

  it("refuses a sample of a node the profile does not have", () => {
    expect(() => summarizeProfile({ ...profile, samples: [5, 99] })).to.throw("sample 1 names node 99");
  });

  it("an empty profile has no busy time and no functions, and no percentage is NaN", () => {
    const s = summarizeProfile({ nodes: [nodes[0]], startTime: 5, endTime: 5, samples: [], timeDeltas: [] });
    expect(s.busyMs).to.equal(0);
    expect(s.top).to.deep.equal([]);
    for (const c of s.categories) expect(c.percentOfWall).to.equal(0);
  });

  it("prints the categories and the functions as markdown tables", () => {
    const text = formatSummary(summarizeProfile(profile, { root, isWaitLine }));
    expect(text).to.contain("| genloop (lib/) | 4.0 | 30.8 % | 22.2 % |");
    expect(text).to.contain("| (idle) | 2.0 |  | 11.1 % |");
    expect(text).to.contain("| _step | build/lib/task.js:520 | 23.1 % | 53.8 % |");
    expect(text).to.contain("| (garbage collector) | V8 | 7.7 % | 7.7 % |");
  });
});

describe("bench profile: paths and categories", () => {
  it("shortens a script's url to the repository, a dependency to its node_modules/", () => {
    expect(shortenPath("file:///repo/build/lib/task.js", "/repo")).to.equal("build/lib/task.js");
    expect(shortenPath("file:///repo/build/lib/task.js", "/repo/")).to.equal("build/lib/task.js");
    expect(shortenPath("/repo/lib/task.ts", "/repo")).to.equal("lib/task.ts");
    expect(shortenPath("file:///repo/node_modules/.pnpm/x/node_modules/co/index.js", "/repo")).to.equal("node_modules/co/index.js");
    expect(shortenPath("file:///elsewhere/x.js", "/repo")).to.equal("/elsewhere/x.js");
    expect(shortenPath("file:///repository/x.js", "/repo")).to.equal("/repository/x.js");
    expect(shortenPath("node:internal/timers", "/repo")).to.equal("node:internal/timers");
    expect(shortenPath("", "/repo")).to.equal("");
  });

  it("puts each frame in its category", () => {
    expect(categorize(frame("(garbage collector)"), root)).to.equal("(garbage collector)");
    expect(categorize(frame("(program)"), root)).to.equal("(program)");
    expect(categorize(frame("(idle)"), root)).to.equal("(idle)");
    expect(categorize(frame("next"), root)).to.equal("engine builtins and native code");
    expect(categorize(frame("f", "node:internal/timers"), root)).to.equal("Node internals");
    expect(categorize(frame("f", "file:///repo/node_modules/co/index.js"), root)).to.equal("dependencies (node_modules/)");
    expect(categorize(frame("f", lib("task.js")), root)).to.equal("genloop (lib/)");
    expect(categorize(frame("f", "file:///repo/lib/task.ts"), root)).to.equal("genloop (lib/)");
    expect(categorize(frame("f", "file:///repo/build/bench/raw.js"), root)).to.equal("benchmark (bench/)");
    expect(categorize(frame("f", "file:///repo/build/spec/helpers.js"), root)).to.equal("other");
  });
});

describe("bench profile: the profile: command line", () => {
  const contender = (name: string, clock = "-"): Contender => ({ name, clock, measure: () => ({ value: 1 }) });
  const workload = (name: string, ...contenders: Contender[]): Workload => ({
    name,
    title: name,
    unit: "ops/s",
    better: "higher",
    contenders: () => contenders,
  });
  const cancel = workload("cancel", contender("genloop", "virtual"), contender("raw generators", "virtual"));
  const timers = workload("timers", contender("genloop", "virtual"), contender("genloop", "real"), contender("native async", "real"));
  const profilable = [cancel, timers];

  it("defaults to genloop's contenders, 100 µs samples, 20 rounds, 15 functions", () => {
    const parsed = parseProfileArgs(["profile:cancel,timers"], profilable);
    expect(parsed).to.deep.equal({
      options: { workloads: [cancel, timers], contenders: ["genloop"], intervalUs: 100, rounds: 20, top: 15, save: false, flags: [] },
    });
  });

  it("reads the flags and keeps them, in order, for each workload's own process", () => {
    const args = ["--contender", "raw generators", "profile:cancel", "--interval", "50", "--rounds", "3", "--top", "5", "--save", "profile:cancel"];
    const parsed = parseProfileArgs(args, profilable);
    expect(parsed).to.deep.equal({
      options: {
        workloads: [cancel],
        contenders: ["raw generators"],
        intervalUs: 50,
        rounds: 3,
        top: 5,
        save: true,
        flags: ["--contender", "raw generators", "--interval", "50", "--rounds", "3", "--top", "5", "--save"],
      },
    });
  });

  it("refuses a workload it cannot profile and names those it can", () => {
    expect(parseProfileArgs(["profile:cancel,heap"], profilable)).to.deep.equal({
      errors: ['profile: unknown workload "heap"; it profiles cancel, timers'],
    });
    expect(parseProfileArgs(["profile:"], profilable)).to.deep.equal({ errors: ['profile: unknown workload ""; it profiles cancel, timers'] });
  });

  it("refuses a contender that a named workload does not have, listing its contenders", () => {
    expect(parseProfileArgs(["profile:cancel,timers", "--contender", "raw generators"], profilable)).to.deep.equal({
      errors: ['profile: timers has no contender "raw generators"; its contenders: "genloop", "genloop", "native async"'],
    });
  });

  it("refuses a flag it does not know, a plain benchmark name, and flags without a valid value", () => {
    const parsed = parseProfileArgs(["profile:cancel", "switch", "--fast", "--interval", "0", "--rounds", "1.5", "--top"], profilable);
    expect(parsed).to.have.property("errors").that.deep.equals([
      'unknown argument "switch" (profile: takes profile:<workload,...> [--contender <name>]... [--interval <µs>] [--rounds <n>] [--top <n>] [--save])',
      'unknown argument "--fast" (profile: takes profile:<workload,...> [--contender <name>]... [--interval <µs>] [--rounds <n>] [--top <n>] [--save])',
      '--interval needs a whole number ≥ 1, got "0"',
      '--rounds needs a whole number ≥ 1, got "1.5"',
      "--top needs a whole number ≥ 1, got nothing",
    ]);
    expect(parseProfileArgs(["profile:cancel", "--contender"], profilable)).to.deep.equal({ errors: ["--contender needs a contender's name"] });
  });
});
