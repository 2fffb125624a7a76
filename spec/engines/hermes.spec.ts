// The "hermes" bundle level (scripts/bundle/bundles.mjs): ES2015 with classes and block scopes
// lowered, for Hermes 0.12, which refuses `class` and runs `let`/`const` as function-scoped vars.
// Programs lowered to that level run in Hermes itself (a dev dependency) with the results the
// source means, and a hand-written subclass (the only kind an engine without `class` has) works
// against the bundle's classes.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

type Level = "es2015" | "hermes" | "es5";
interface Bundles {
  lowerScript(code: string, level: Level, fileName?: string, options?: { nativeAsync?: boolean }): string;
}
interface Harness {
  engines: { name: string; command?: string[] }[];
  bundleText(level: Level, fromDist?: boolean, options?: { minified?: boolean }): Promise<string>;
}

const importScript = <T>(path: string): Promise<T> => import(pathToFileURL(resolve(path)).href) as Promise<T>;

describe("engines: the hermes bundle level", function () {
  this.timeout(60000);
  let bundles: Bundles;
  let harness: Harness;
  let command: string[];
  before(async () => {
    bundles = await importScript<Bundles>("scripts/bundle/bundles.mjs");
    harness = await importScript<Harness>("scripts/engines/harness.mjs");
    command = harness.engines.find((e) => e.name === "hermes")?.command ?? [];
  });

  /** Runs one script in Hermes, without promises unless `promises`; its printed lines, or throws with what it said. */
  function runInHermes(this: Mocha.Context, code: string, promises = false): string[] {
    if (!existsSync(command[0])) this.skip(); // hermes-engine-cli is a dev dependency
    const dir = mkdtempSync(join(tmpdir(), "genloop-hermes-"));
    try {
      const file = join(dir, "program.js");
      writeFileSync(file, code);
      const flags = promises ? command.slice(1).map((f) => (f === "-Xes6-promise=false" ? "-Xes6-promise" : f)) : command.slice(1);
      const r = spawnSync(command[0], [...flags, file], { encoding: "utf8", timeout: 30000 });
      if (r.status !== 0) throw new Error(`hermes exited with ${r.status}: ${r.stderr || r.stdout}`);
      return r.stdout.trim().split("\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  // What Hermes 0.12 gets wrong in ES2015 text, and lowering must keep as the source means it.
  const scoping = `
const x = 1;
{ const x = 2; }
const late: (() => number)[] = [];
for (let i = 0; i < 3; i++) late.push(() => i);
for (const v of [10, 20]) late.push(() => v);
function shadow(flag: boolean): string {
  let s = "outer";
  if (flag) { let s = "inner"; void s; }
  return s;
}
print([x, late.map((f) => f()).join(","), shadow(true)].join(" "));
`;

  it("Hermes itself runs ES2015 block scopes wrongly (the reason for the level)", function () {
    const es2015 = bundles.lowerScript(scoping, "es2015");
    expect(es2015).to.match(/\bconst x = 2/);
    expect(runInHermes.call(this, es2015)).to.deep.equal(["2 3,3,3,20,20 inner"]);
  });

  it("lowered to the hermes level, shadowing and per-iteration bindings keep their meaning in Hermes", function () {
    expect(runInHermes.call(this, bundles.lowerScript(scoping, "hermes"))).to.deep.equal(["1 0,1,2,10,20 outer"]);
  });

  it("classes, subclasses of Error, new.target and generator methods work in Hermes, and generators stay native", function () {
    const source = `
class Base extends Error {
  kind: string;
  constructor(message: string) {
    super(message);
    Object.setPrototypeOf(this, new.target.prototype);
    this.kind = new.target.name;
  }
  describe(): string { return this.kind + ": " + this.message; }
}
class Derived extends Base {
  constructor() { super("derived"); }
  *values(): Generator<number> { yield 1; yield* [2, 3]; }
  get size(): number { return 3; }
}
const d = new Derived();
print([d instanceof Derived, d instanceof Base, d instanceof Error, d.describe(), [...d.values()].join(","), d.size].join(" "));
`;
    const lowered = bundles.lowerScript(source, "hermes");
    expect(lowered).to.not.match(/\bclass\b/);
    expect(lowered).to.match(/function\* ?\w*\(/);
    expect(runInHermes.call(this, lowered)).to.deep.equal(["true true true Derived: derived 1,2,3 3"]);
  });

  it("a benchmark program can keep its async functions native (the engine's own, which Hermes runs with its promises)", function () {
    const source = "const f = async function (k: number) { for (let i = 0; i < k; i++) await null; return k; };\nf(3).then(function (v) { print('awaited ' + v); });\n";
    expect(bundles.lowerScript(source, "hermes")).to.contain("__awaiter");
    const native = bundles.lowerScript(source, "hermes", "program.ts", { nativeAsync: true });
    expect(native).to.not.contain("__awaiter");
    expect(native).to.match(/async function \(k\)/);
    expect(() => bundles.lowerScript(source, "es5", "program.ts", { nativeAsync: true })).to.throw(/the ES5 level has no native async functions/);
    expect(runInHermes.call(this, native, true)).to.deep.equal(["awaited 3"]);
    // Without promises, Hermes refuses to load it.
    expect(() => runInHermes.call(this, native)).to.throw(/Promise is disabled/);
  });

  it("a hand-written subclass of the bundle's classes (constructor called with .call) works in Hermes", async function () {
    const program = `
function AppError(message) {
  var self = genloop.CancelledError.call(this, message) || this;
  self.code = 42;
  return self;
}
AppError.prototype = Object.create(genloop.CancelledError.prototype);
AppError.prototype.constructor = AppError;
AppError.prototype.name = "AppError";
var e = new AppError("stop");
function Countdown(n) { genloop.Event.call(this); this.n = n; }
Countdown.prototype = Object.create(genloop.Event.prototype);
Countdown.prototype.constructor = Countdown;
Countdown.prototype.tick = function () { if (--this.n === 0) this.set(); };
var c = new Countdown(2);
var log = genloop.run((function* () {
  var waiter = genloop.createTask((function* () { yield* c.wait(); return "woken"; })());
  c.tick();
  yield* genloop.sleep(0);
  var early = waiter.done();
  c.tick();
  return [early, yield* waiter];
})(), { clock: new genloop.VirtualClock() });
print([e instanceof AppError, e instanceof genloop.CancelledError, e instanceof Error, e.name, e.message, e.code, log.join(" ")].join(" "));
`;
    const bundle = await harness.bundleText("hermes", false, { minified: true });
    expect(runInHermes.call(this, `${bundle}\n${program}`)).to.deep.equal(["true true true AppError stop 42 false woken"]);
  });
});
