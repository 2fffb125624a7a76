// The size budgets (scripts/size/size.mjs): the minimal program, the whole API and every minified
// bundle, measured from the built package (`npm test` builds dist/ first), may not grow more than
// 3 % past their recorded sizes, nor past their limits.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

interface Row {
  name: string;
  bytes: number;
  gzip: number;
}
type Budgets = Record<string, { gzip: number; limit?: number }>;
interface Metafile {
  outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
}
interface SizeScript {
  bundleProgram(file: string): Promise<{ code: Uint8Array; metafile: Metafile }>;
  measureAll(): Promise<Row[]>;
  readBudgets(): Budgets;
  checkBudgets(rows: Row[], budgets: Budgets): string[];
  bytesPerArea(inputs: Record<string, { bytesInOutput: number }>): { area: string; bytes: number }[];
}

const load = (): Promise<SizeScript> => import(pathToFileURL(resolve("scripts/size/size.mjs")).href) as Promise<SizeScript>;

describe("size budgets", function () {
  this.timeout(60000);

  it("every budgeted entry is within 3 % of its recorded size and under its limit", async function () {
    if (!existsSync("dist/esm/index.js") || !existsSync("dist/genloop.core.es5.min.js")) this.skip(); // npm test builds dist/ first
    const size = await load();
    const rows = await size.measureAll();
    expect(rows.map((r) => r.name)).to.include.members(["minimal program", "whole API", "genloop.iife.min.js", "genloop.core.es5.min.js"]);
    expect(size.checkBudgets(rows, size.readBudgets())).to.deep.equal([]);
  });

  it("a program bundled from the main entry carries only the modules it uses, and those that install themselves work", async function () {
    if (!existsSync("dist/esm/index.js")) this.skip(); // npm test builds dist/ first
    const size = await load();
    const inputsOf = (metafile: Metafile): string[] => Object.keys(Object.values(metafile.outputs)[0].inputs);
    // The minimal program: no call graph machinery, no context variables, no eager task factory, no area.
    const minimal = inputsOf((await size.bundleProgram("minimal.js")).metafile);
    expect(minimal).to.include("dist/esm/task.js");
    for (const unused of ["graph/coroutine-frames.js", "graph/coroutine-names.js", "context/context-var.js", "context/context-data.js", "context/lookup-error.js", "eager-task-factory.js", "compose/", "sync/"]) {
      expect(minimal.filter((file) => file.indexOf(unused) !== -1), unused).to.deep.equal([]);
    }
    // A program that uses the call graph gets the part that learns coroutine names, installed;
    // one that uses context variables gets them, and contexts recognise them; one that uses an
    // operation (an Event) gets describeWait's operation part.
    const dir = mkdtempSync(join(tmpdir(), "genloop-size-"));
    try {
      const program = join(dir, "graph.mjs");
      writeFileSync(
        program,
        'import { ContextVar, Event, captureCallGraph, copyContext, createTask, describeWait, run, sleep } from "genloop";\n' +
          'const user = new ContextVar("user");\n' +
          'user.set("ada");\n' +
          "export const seen = copyContext().get(user);\n" +
          // A method keeps its name through minification; a suspended task's coroutine is named
          // only if its name was learned while it ran.
          "const jobs = { *worker() { yield* sleep(10); } };\n" +
          "function* main() { const task = createTask(jobs.worker()); yield* sleep(0); return captureCallGraph(task).callStack.map((e) => e.name); }\n" +
          "export const names = run(main());\n" +
          "function* waitForEvent() { const event = new Event(); const task = createTask((function* () { yield* event.wait(); })()); yield* sleep(0); const said = describeWait(task); event.set(); return said; }\n" +
          "export const waits = run(waitForEvent());\n",
      );
      const { code, metafile } = await size.bundleProgram(program);
      expect(inputsOf(metafile)).to.include("dist/esm/graph/coroutine-frames.js");
      const bundled = join(dir, "graph.bundled.mjs");
      writeFileSync(bundled, code);
      const { names, seen, waits } = (await import(pathToFileURL(bundled).href)) as { names: string[]; seen: unknown; waits: string };
      expect(names).to.deep.equal(["worker"]);
      expect(seen).to.equal("ada");
      // describeWait names the operation a task waits in (an Event's wait here).
      expect(waits).to.match(/^<Event .*>\.wait\(\)$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a bundle without the call graph says once that debug mode and async stack traces get no frames there, and what to do", async function () {
    if (!existsSync("dist/esm/index.js")) this.skip();
    const size = await load();
    const dir = mkdtempSync(join(tmpdir(), "genloop-size-"));
    try {
      const write = (name: string, keepGraph: boolean): string => {
        const program = join(dir, name);
        writeFileSync(
          program,
          `import { EventLoop, VirtualClock, captureCallGraph } from "genloop";\n` +
            "export const warnings = [];\n" +
            "const logger = { warn: (m) => warnings.push(m), error: () => {} };\n" +
            `const loop = new EventLoop({ clock: new VirtualClock(), logger, debug: ${keepGraph ? "Boolean(captureCallGraph)" : "true"} });\n` +
            "loop.setAsyncStackTraces(true);\nloop.setDebug(false);\nloop.setDebug(true);\n",
        );
        return program;
      };
      const results: string[][] = [];
      for (const [name, keepGraph] of [["without.mjs", false], ["with.mjs", true]] as const) {
        const { code } = await size.bundleProgram(write(name, keepGraph));
        const bundled = join(dir, "bundled-" + name);
        writeFileSync(bundled, code);
        results.push(((await import(pathToFileURL(bundled).href)) as { warnings: string[] }).warnings);
      }
      expect(results[0]).to.have.length(1);
      expect(results[0][0]).to.contain("left out genloop's call-graph module").and.to.contain("captureCallGraph");
      expect(results[1]).to.deep.equal([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the check fails an entry that grew more than 3 %, or one over its limit, and names it", async () => {
    const size = await load();
    const budgets: Budgets = { a: { gzip: 1000 }, b: { gzip: 1000, limit: 1010 } };
    expect(size.checkBudgets([{ name: "a", bytes: 0, gzip: 1030 }, { name: "b", bytes: 0, gzip: 1000 }], budgets)).to.deep.equal([]);
    expect(size.checkBudgets([{ name: "a", bytes: 0, gzip: 1031 }], budgets)).to.deep.equal([
      "a: 1031 B min+gzip, more than 3 % over its recorded 1000 B (at most 1030 B); " +
        "find what grew with node scripts/size/size.mjs --why, or record an intended growth with --update",
    ]);
    expect(size.checkBudgets([{ name: "b", bytes: 0, gzip: 1011 }], budgets)).to.deep.equal(["b: 1011 B min+gzip, over its limit of 1010 B"]);
    expect(size.checkBudgets([{ name: "c", bytes: 0, gzip: 1 }], budgets)).to.deep.equal([
      "c: no recorded size (run node scripts/size/size.mjs --update)",
    ]);
  });

  it("counts the whole API's bytes per area of lib/, the top-level files as the core, leaving out the program's own file", async () => {
    const size = await load();
    const inputs = {
      "dist/esm/task.js": { bytesInOutput: 100 },
      "dist/esm/loop.js": { bytesInOutput: 50 },
      "dist/esm/sync/lock.js": { bytesInOutput: 70 },
      "dist/esm/sync/queue.js": { bytesInOutput: 90 },
      "dist/esm/graph/describe-wait.js": { bytesInOutput: 10 },
      "scripts/size/whole-api.js": { bytesInOutput: 5 },
    };
    expect(size.bytesPerArea(inputs)).to.deep.equal([
      { area: "sync", bytes: 160 },
      { area: "core", bytes: 150 },
      { area: "graph", bytes: 10 },
    ]);
  });
});

interface PeersScript {
  measurePeers(list?: { name: string; file: string; package: string | null; options: object }[]): Promise<{ name: string; version: string; bytes: number; gzip: number }[]>;
}

describe("the minimal program beside its peers (scripts/size/peers.mjs)", function () {
  this.timeout(60000);
  const loadPeers = (): Promise<PeersScript> => import(pathToFileURL(resolve("scripts/size/peers.mjs")).href) as Promise<PeersScript>;

  it("bundles genloop's, Effection's and redux-saga's program with one configuration, each printing the same", async function () {
    if (!existsSync("dist/esm/index.js")) this.skip(); // npm test builds dist/ first
    const rows = await (await loadPeers()).measurePeers();
    expect(rows.map((r) => r.name)).to.deep.equal(["genloop (genloop/core)", "genloop (genloop)", "Effection", "redux-saga"]);
    for (const row of rows) {
      expect(row.version, row.name).to.match(/^\d+\.\d+\.\d+/);
      expect(row.gzip, row.name).to.be.above(1000).and.below(row.bytes);
    }
    // From genloop (every optional feature installed) the program is bigger than from genloop/core.
    expect(rows[1]!.gzip).to.be.above(rows[0]!.gzip);
  });

  it("the size scripts refuse an argument other than --update, with their usage and status 2", () => {
    for (const script of ["scripts/size/peers.mjs", "scripts/size/executed.mjs", "scripts/package/parts.mjs"]) {
      const run = spawnSync(process.execPath, [script, "--updat", "x"], { encoding: "utf8" });
      const name = script.slice(script.lastIndexOf("/") + 1);
      expect(run.status, script).to.equal(2);
      expect(run.stderr, script).to.equal(`${name}: unknown argument(s) --updat, x\nusage: node ${script} [--update]   (after npm run build)\n`);
      expect(run.stdout, script).to.equal("");
    }
  });

  it("refuses a program that prints something else, naming it", async function () {
    if (!existsSync("dist/esm/index.js")) this.skip(); // npm test builds dist/ first
    const dir = mkdtempSync(join(tmpdir(), "genloop-peers-spec-"));
    try {
      const other = join(dir, "other.js");
      writeFileSync(other, 'console.log("something else");\n');
      const list = [
        { name: "genloop", file: "minimal.js", package: null, options: {} },
        { name: "other", file: other, package: null, options: {} },
      ];
      let refusal: unknown;
      await (await loadPeers()).measurePeers(list).catch((error: unknown) => (refusal = error));
      expect(refusal).to.be.an("error");
      expect((refusal as Error).message).to.equal(`peers.mjs: ${other} printed "something else\\n", not "[ 1, 3 ]\\n" as minimal.js does: it is not the same program`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

interface CoverageRange {
  startOffset: number;
  endOffset: number;
  count: number;
}
interface ExecutedScript {
  withoutUnexecuted(source: string, functions: { ranges: CoverageRange[] }[], strip: "functions" | "blocks" | "strings"): string;
  withoutUncalledMethods(source: string, functions: { ranges: CoverageRange[] }[]): string;
  measureExecuted(): Promise<{ rows: { step: string; bytes: number; gzip: number }[]; output: string }>;
}
const loadExecuted = (): Promise<ExecutedScript> =>
  import(pathToFileURL(resolve("scripts/size/executed.mjs")).href) as Promise<ExecutedScript>;

describe("the minimal program's executed code (scripts/size/executed.mjs)", function () {
  this.timeout(60000);
  // A function called once whose error branch never ran, a function never called, and a message.
  const source = [
    "function used(x) { if (x < 0) { throw new Error('negative argument, pass a count'); } return x + 1; }",
    "function unused(y) { return 'never called at all, a long message' + y; }",
    "console.log(used(1), 'a long literal that runs');",
  ].join("\n");
  const offset = (text: string, end = false): number => source.indexOf(text) + (end ? text.length : 0);
  const usedText = "function used(x) { if (x < 0) { throw new Error('negative argument, pass a count'); } return x + 1; }";
  const unusedText = "function unused(y) { return 'never called at all, a long message' + y; }";
  const branch = "{ throw new Error('negative argument, pass a count'); }";
  const functions = [
    { ranges: [{ startOffset: 0, endOffset: source.length, count: 1 }] },
    {
      ranges: [
        { startOffset: offset(usedText), endOffset: offset(usedText, true), count: 1 },
        { startOffset: offset(branch), endOffset: offset(branch, true), count: 0 },
      ],
    },
    { ranges: [{ startOffset: offset(unusedText), endOffset: offset(unusedText, true), count: 0 }] },
  ];

  it("empties the functions a run never called, then the blocks it never entered, then the long strings", async () => {
    const { withoutUnexecuted } = await loadExecuted();
    const functionsOut = withoutUnexecuted(source, functions, "functions");
    expect(functionsOut).to.contain("function unused(y) {}").and.to.contain("throw new Error('negative argument");
    const blocksOut = withoutUnexecuted(source, functions, "blocks");
    expect(blocksOut).to.contain("if (x < 0) {} return x + 1;").and.to.contain("function unused(y) {}");
    const stringsOut = withoutUnexecuted(source, functions, "strings");
    expect(stringsOut).to.contain(`console.log(used(1), "")`).and.to.contain("if (x < 0) {}");
  });

  it("takes out of their classes the public methods a run never called, keeping internal ones and those tested with typeof", async () => {
    const { withoutUncalledMethods } = await loadExecuted();
    const classSource = [
      "class Loop {",
      "  run() { return 1; }",
      "  callSoon(f) { return f(); }",
      "  createFuture() { return {}; }",
      "  _deadlock() { return 'stuck'; }",
      "}",
      'const isLoop = (v) => typeof v.createFuture == "function";',
      "console.log(new Loop().run(), isLoop(new Loop()));",
    ].join("\n");
    const span = (text: string, count: number): { ranges: CoverageRange[] } => {
      const start = classSource.indexOf(text);
      return { ranges: [{ startOffset: start, endOffset: start + text.length, count }] };
    };
    const functions = [
      span("run() { return 1; }", 1),
      span("callSoon(f) { return f(); }", 0),
      span("createFuture() { return {}; }", 0),
      span("_deadlock() { return 'stuck'; }", 0),
    ];
    const out = withoutUncalledMethods(classSource, functions);
    expect(out).to.contain("run() { return 1; }").and.to.contain("createFuture() { return {}; }").and.to.contain("_deadlock() {");
    expect(out).not.to.contain("callSoon");
  });

  it("measures the built minimal program shrinking step by step, each reduced program still printing the same", async function () {
    if (!existsSync("dist/esm/index.js")) this.skip(); // npm test builds dist/ first
    const { measureExecuted } = await loadExecuted();
    const { rows, output } = await measureExecuted();
    expect(output.trim()).to.equal("[ 1, 3 ]");
    expect(rows.map((r) => r.step)).to.deep.equal([
      "the minimal program, as budgeted",
      "without the public methods it never calls (a kernel entry)",
      "without the functions it never calls",
      "also without the blocks it never enters (error branches)",
      "also without long string literals (messages)",
    ]);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.gzip, rows[i]!.step).to.be.below(rows[i - 1]!.gzip);
  });
});
