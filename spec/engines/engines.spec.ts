// The restricted-engine matrix, in-process part: the conformance program (conformance.ts) in a
// bare Node vm context and in QuickJS and QuickJS-ng with the Promise intrinsic off, plus the static checks of
// every bundle level, built now from lib/. The external engines (jsc, Hermes, Duktape, Rhino, mujs)
// run with `npm run engines` (hermes.spec.ts runs Hermes on the hermes level's lowering).
import { expect } from "chai";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import vm from "node:vm";

interface Row {
  engine: string;
  build: string;
  status: "pass" | "fail" | "skipped";
  passed: number;
  total: number;
  problems: string[];
  output: string;
}
type Level = "es2015" | "hermes" | "es5";
interface Harness {
  engines: { name: string; build: Level; found?: () => boolean; install?: string; prelude?: string; parts?: boolean; minified?: boolean }[];
  areas: string[];
  runEngine(engine: Harness["engines"][number], options?: { bundle?: string }): Promise<Row>;
  bundleText(level: Level, fromDist?: boolean, options?: { minified?: boolean; split?: boolean; parts?: string[] }): Promise<string>;
  staticCheck(code: string, level: Level): string[];
}

const load = (): Promise<Harness> => import(pathToFileURL(resolve("scripts/engines/harness.mjs")).href) as Promise<Harness>;

describe("engines: conformance in restricted engines (in-process) and static bundle checks", function () {
  this.timeout(60000);
  let harness: Harness;
  before(async () => {
    harness = await load();
  });

  for (const name of ["node-vm", "quickjs", "quickjs-ng"]) {
    it(`${name}: the conformance program passes with Promise, queueMicrotask and timers removed`, async function () {
      const engine = harness.engines.find((e) => e.name === name);
      if (engine === undefined) throw new Error(`no engine ${name}`);
      // QuickJS-ng is a newer dev dependency: a checkout whose node_modules predates it skips it.
      if (engine.found && !engine.found()) this.skip();
      const row = await harness.runEngine(engine);
      expect(row.problems, row.output).to.deep.equal([]);
      expect(row.status).to.equal("pass");
      expect(row.total).to.be.at.least(16);
    });
  }

  for (const level of ["es2015", "hermes", "es5"] as const) {
    it(`static check: the ${level} bundle parses at its level and never references Promise, timers, process`, async () => {
      const code = await harness.bundleText(level);
      expect(code).to.match(/var genloop = /);
      expect(harness.staticCheck(code, level)).to.deep.equal([]);
    });
  }

  // The minified bundles and the per-part ones (core first, then features, compose, sync, policies, hosts, channels, schedules, trace),
  // in the in-process engines: Node vm for ES2015, QuickJS for ES5 and the hermes level.
  const variants = [
    { engine: "node-vm", level: "es2015", minified: true, split: false },
    { engine: "quickjs", level: "es5", minified: true, split: false },
    { engine: "quickjs", level: "hermes", minified: true, split: false },
    { engine: "node-vm", level: "es2015", minified: false, split: true },
    { engine: "quickjs", level: "es5", minified: true, split: true },
    { engine: "quickjs", level: "hermes", minified: false, split: true },
  ] as const;
  for (const { engine: name, level, minified, split } of variants) {
    const what = `${split ? "core + features + area bundles" : "whole-API bundle"}${minified ? ", minified" : ""}`;
    it(`${name}, ${level} ${what}: static check and the conformance program pass`, async () => {
      const bundle = await harness.bundleText(level, false, { minified, split });
      expect(harness.staticCheck(bundle, level)).to.deep.equal([]);
      const engine = harness.engines.find((e) => e.name === name);
      if (engine === undefined) throw new Error(`no engine ${name}`);
      const row = await harness.runEngine({ ...engine, build: level }, { bundle });
      expect(row.problems, row.output).to.deep.equal([]);
      expect(row.total).to.be.at.least(16);
      // The program uses timeout() and Queue only when the build has them: check that it does.
      const context = vm.createContext({});
      vm.runInContext(bundle, context);
      const names = "[typeof genloop.timeout, typeof genloop.Queue, typeof genloop.TaskPolicy, typeof genloop.runDue, typeof genloop.channels.Channel, typeof genloop.schedules.retry, typeof genloop.trace.TraceRecorder].join()";
      expect(vm.runInContext(names, context)).to.equal("function,function,function,function,function,function,function");
    });
  }

  it("the features and area bundles loaded without the core throw an error that says what to load first", async () => {
    for (const part of ["features", ...harness.areas]) {
      const text = await harness.bundleText("es2015", false, { parts: [part] });
      const context = vm.createContext({});
      expect(() => vm.runInContext(text, context), part).to.throw(new RegExp(`^genloop\\.${part}: load the genloop core bundle \\(genloop\\.core\\.\\*\\.js\\) before this one$`));
      expect(vm.runInContext("typeof genloop", context), part).to.equal("undefined");
    }
  });

  it("every bundle, at every level, adds nothing to the global object but genloop, a plain object, even when it throws (helpers stay inside)", async () => {
    const added = (context: vm.Context, before: string[]): string[] =>
      (vm.runInContext("Object.getOwnPropertyNames(globalThis)", context) as string[]).filter((name) => !before.includes(name));
    for (const level of ["es2015", "hermes", "es5"] as const) {
      for (const split of [false, true]) {
        const context = vm.createContext({});
        const before = vm.runInContext("Object.getOwnPropertyNames(globalThis)", context) as string[];
        vm.runInContext(await harness.bundleText(level, false, { split }), context);
        expect(added(context, before), `${level}${split ? ", core + features + areas" : ""}`).to.deep.equal(["genloop"]);
        // A plain object, not esbuild's namespace of getters that an interpreter would call at each `genloop.sleep`.
        for (const object of ["genloop", "genloop.channels", "genloop.schedules", "genloop.trace"]) {
          const accessors = `Object.getOwnPropertyNames(${object}).filter(function (name) { return !('value' in Object.getOwnPropertyDescriptor(${object}, name)); })`;
          expect(vm.runInContext(accessors, context), `${level}: accessor properties of ${object}`).to.deep.equal([]);
        }
      }
      const context = vm.createContext({});
      const before = vm.runInContext("Object.getOwnPropertyNames(globalThis)", context) as string[];
      const sync = await harness.bundleText(level, false, { parts: ["sync"] });
      expect(() => vm.runInContext(sync, context), level).to.throw(/^genloop\.sync: load the genloop core bundle/);
      expect(added(context, before), `${level}, sync without the core`).to.deep.equal([]);
    }
  });

  it("the core bundle's global has every export of genloop/core; its run and EventLoop are the main entry's", async () => {
    const core = await import(pathToFileURL(resolve("build/lib/core.js")).href);
    const context = vm.createContext({});
    vm.runInContext(await harness.bundleText("es2015", false, { parts: ["core"] }), context);
    const missing = Object.keys(core).filter((name) => vm.runInContext(`typeof genloop[${JSON.stringify(name)}]`, context) === "undefined");
    expect(missing).to.deep.equal([]);
    // genloop/core's run and EventLoop are the main entry's (only their types differ).
    expect(vm.runInContext("genloop.EventLoop === genloop._modules.loop.EventLoop && genloop.run === genloop._modules.run.run", context)).to.equal(true);
  });

  // The per-part program (parts.ts): the core alone (genloop/core's API, every optional feature
  // left out), an area that needs the features loaded too early, compose, sync and hosts without
  // them, the features, and the areas that need them; in Node vm, in QuickJS (ES5 and the hermes level), and in Node vm
  // without Map, Set, WeakMap and WeakSet, as Duktape and mujs (ES5 with the bundles' fallbacks).
  const noCollections = "delete globalThis.Map; delete globalThis.Set; delete globalThis.WeakMap; delete globalThis.WeakSet;\n";
  const partsRuns = [
    { engine: "node-vm", level: "es2015", minified: false, prelude: "", what: "ES2015" },
    { engine: "quickjs", level: "es5", minified: true, prelude: "", what: "ES5, minified" },
    { engine: "quickjs", level: "hermes", minified: true, prelude: "", what: "the hermes level, minified" },
    { engine: "node-vm", level: "es5", minified: false, prelude: noCollections, what: "ES5 without Map, Set, WeakMap (as Duktape and mujs)" },
  ] as const;
  for (const { engine: name, level, minified, prelude, what } of partsRuns) {
    it(`${name}, ${what}: the core bundle alone has no optional feature; features and areas load one by one, each checking what it needs`, async () => {
      const engine = harness.engines.find((e) => e.name === name);
      if (engine === undefined) throw new Error(`no engine ${name}`);
      const row = await harness.runEngine({ ...engine, build: level, minified, parts: true, prelude });
      expect(row.problems, row.output).to.deep.equal([]);
      expect(row.status).to.equal("pass");
      expect(row.total).to.equal(13);
    });
  }

  it("the hermes level's bundles keep native generators and have no class, let, const or super", async () => {
    for (const options of [{}, { minified: true }, { split: true }, { split: true, minified: true }]) {
      const code = await harness.bundleText("hermes", false, options);
      expect(harness.staticCheck(code, "hermes"), JSON.stringify(options)).to.deep.equal([]);
      expect(code).to.not.match(/\bclass\s+[A-Za-z_$][\w$]*\s*(extends\b[^{]*)?\{/);
      expect(code.match(/function\s*\*/g) ?? []).to.have.length.above(20);
      // TypeScript's generator state machine (the ES5 level's) is not there.
      expect(code).to.not.contain("__generator");
    }
  });

  it("the static check rejects async code, Promise, global timers and syntax above the level", () => {
    const check = (code: string, level: Level = "es2015") => harness.staticCheck(code, level);
    expect(check("function* f() { yield 1; }")).to.deep.equal([]);
    expect(check("var t = host.setTimeout; var o = { setTimeout: 1 };")).to.deep.equal([]);
    expect(check("async function f() { await g(); }")).to.deep.equal([
      "does not parse as ECMAScript 2015: Unexpected token (1:6)",
      "async function at line 1",
      "await at line 1",
    ]);
    expect(check("new Promise(function () {});")).to.deep.equal(["Promise at line 1"]);
    expect(check("setTimeout(f, 1); queueMicrotask(f); process.exit();")).to.deep.equal([
      "global setTimeout at line 1",
      "queueMicrotask at line 1",
      "process at line 1",
    ]);
    expect(check("function* f() {}", "es5")[0]).to.match(/does not parse as ECMAScript 5/);
    expect(check("let x = 1;", "es5")[0]).to.match(/does not parse as ECMAScript 5/);
    expect(check("function* f() { yield 1; }", "hermes")).to.deep.equal([]);
    expect(check("class A extends B { m() { return super.m(); } }\nlet x;\nconst y = 1;", "hermes")).to.deep.equal([
      "class at line 1 (the hermes level lowers it)",
      "super at line 1 (the hermes level lowers it)",
      "let at line 2 (the hermes level lowers it)",
      "const at line 3 (the hermes level lowers it)",
    ]);
  });
});
