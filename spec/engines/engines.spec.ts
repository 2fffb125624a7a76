// The restricted-engine matrix, in-process part: the conformance program (conformance.ts) in a
// bare Node vm context and in QuickJS and QuickJS-ng with the Promise intrinsic off, plus the static checks of
// both bundles, built now from lib/. The external engines (jsc, Hermes, Duktape, Rhino, mujs)
// run with `npm run engines`.
import { expect } from "chai";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

interface Row {
  engine: string;
  build: string;
  status: "pass" | "fail" | "skipped";
  passed: number;
  total: number;
  problems: string[];
  output: string;
}
interface Harness {
  engines: { name: string; build: "es2015" | "es5"; found?: () => boolean; install?: string }[];
  runEngine(engine: Harness["engines"][number]): Promise<Row>;
  bundleText(level: "es2015" | "es5"): Promise<string>;
  staticCheck(code: string, level: "es2015" | "es5"): string[];
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

  for (const level of ["es2015", "es5"] as const) {
    it(`static check: the ${level} bundle parses at its level and never references Promise, timers, process`, async () => {
      const code = await harness.bundleText(level);
      expect(code).to.match(/var genloop = /);
      expect(harness.staticCheck(code, level)).to.deep.equal([]);
    });
  }

  it("the static check rejects async code, Promise, global timers and syntax above the level", () => {
    const check = (code: string, level: "es2015" | "es5" = "es2015") => harness.staticCheck(code, level);
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
  });
});
