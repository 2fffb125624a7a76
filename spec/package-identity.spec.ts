// One identity across module copies: a consumer project that mixes require("genloop") and
// import "genloop" gets one implementation; where two copies do meet (two builds loaded by path,
// two bundles), errors pass instanceof across them and effects fail naming the real cause.
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(".");

/** Runs `file` of the consumer project with node and returns its last line of output, parsed. */
function runConsumer(dir: string, file: string): Record<string, unknown> {
  const out = execFileSync(process.execPath, [join(dir, file)], { cwd: dir, encoding: "utf8" }).trim().split("\n");
  return JSON.parse(out[out.length - 1]) as Record<string, unknown>;
}

describe("package: one identity across module copies", function () {
  this.timeout(30000);
  let dir = "";

  before(function () {
    if (!existsSync("dist/esm/index.js") || !existsSync("dist/cjs/index.cjs")) this.skip();
    dir = mkdtempSync(join(tmpdir(), "genloop-consumer-"));
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(root, join(dir, "node_modules", "genloop"), "dir");
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    // A CommonJS dependency of the app, written against require("genloop").
    writeFileSync(
      join(dir, "dep.cjs"),
      `const genloop = require("genloop");
module.exports = {
  nap: (ms, value) => genloop.sleep(ms, value),
  *worker() { yield genloop.sleep(100); return "never"; },
  fail() { throw new genloop.TimeoutError("from the CommonJS side"); },
  genloop,
};
`,
    );
  });

  after(() => {
    if (dir !== "") rmSync(dir, { recursive: true, force: true });
  });

  it("an ES module app runs a CommonJS dependency's effects and catches its errors (one implementation)", () => {
    writeFileSync(
      join(dir, "app.mjs"),
      `import { run, createTask, CancelledError, TimeoutError, VirtualClock } from "genloop";
import dep from "./dep.cjs";
const out = run((function* () {
  const napped = yield* dep.nap(5, "slept");
  const task = createTask(dep.worker());
  yield* dep.nap(1);
  task.cancel("stop");
  let cancelled = false;
  try { yield* task; } catch (e) { cancelled = e instanceof CancelledError && e instanceof dep.genloop.CancelledError; }
  let timeout = false;
  try { dep.fail(); } catch (e) { timeout = e instanceof TimeoutError; }
  return { napped, cancelled, timeout, same: dep.genloop.run === run && dep.genloop.CancelledError === CancelledError };
})(), { clock: new VirtualClock() });
console.log(JSON.stringify(out));
`,
    );
    expect(runConsumer(dir, "app.mjs")).to.deep.equal({ napped: "slept", cancelled: true, timeout: true, same: true });
  });

  it("a CommonJS app that also imports genloop gets the same classes from require and import", () => {
    writeFileSync(
      join(dir, "app.cjs"),
      `const required = require("genloop");
const promise = require("genloop/promise");
import("genloop").then((imported) => import("genloop/promise").then((importedPromise) => {
  console.log(JSON.stringify({
    future: required.Future === imported.Future,
    errors: required.CancelledError === imported.CancelledError,
    promise: promise.fromPromise === importedPromise.fromPromise,
  }));
}));
`,
    );
    expect(runConsumer(dir, "app.cjs")).to.deep.equal({ future: true, errors: true, promise: true });
  });

  it("the CommonJS build (for Node without require(esm), Jest): each entry point exports what its ES module does, and they share one copy", () => {
    writeFileSync(
      join(dir, "cjs-build.mjs"),
      `import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const entries = ${JSON.stringify({ index: "index", promise: "interop/promise", testing: "testing/index", channels: "channels/index", schedules: "schedules/index", durable: "durable/index", trace: "trace/index" })};
const out = { sameNames: {} };
for (const [name, module] of Object.entries(entries)) {
  const cjs = require(${JSON.stringify(join(root, "dist/cjs"))} + "/" + name + ".cjs");
  const esm = await import(${JSON.stringify(join(root, "dist/esm"))} + "/" + module + ".js");
  out.sameNames[name] = JSON.stringify(Object.keys(cjs).sort()) === JSON.stringify(Object.keys(esm).sort());
}
const main = require(${JSON.stringify(join(root, "dist/cjs/index.cjs"))});
const promise = require(${JSON.stringify(join(root, "dist/cjs/promise.cjs"))});
const loop = new main.EventLoop({ clock: new main.VirtualClock() });
const task = loop.createTask((function* () { yield* main.sleep(5); return "done"; })());
const settled = promise.toPromise(task); // toPromise refuses a Task of another copy
loop.runUntilComplete(task);
out.result = await settled;
console.log(JSON.stringify(out));
`,
    );
    const sameNames = Object.fromEntries(["index", "promise", "testing", "channels", "schedules", "durable", "trace"].map((n) => [n, true]));
    expect(runConsumer(dir, "cjs-build.mjs")).to.deep.equal({ sameNames, result: "done" });
  });

  it("two real copies (the ESM and CommonJS builds loaded by path): errors pass instanceof; effects fail naming the second copy", () => {
    writeFileSync(
      join(dir, "two-copies.mjs"),
      `import { createRequire } from "node:module";
const esm = await import(${JSON.stringify(join(root, "dist/esm/index.js"))});
const cjs = createRequire(import.meta.url)(${JSON.stringify(join(root, "dist/cjs/index.cjs"))});
const out = { distinct: esm.Future !== cjs.Future };
out.cancelledAcross = new cjs.CancelledError("x") instanceof esm.CancelledError;
out.baseAcross = new cjs.BrokenBarrierError("x") instanceof esm.RuntimeError;
out.notOtherClass = new cjs.TimeoutError("x") instanceof esm.CancelledError;
out.plainError = new Error("x") instanceof esm.CancelledError;
// A CancelledError the other copy's runtime made (made without the Error constructor).
const cjsTask = cjs.run((function* () { const t = cjs.createTask((function* () { yield* cjs.sleep(1e9); })()); yield* cjs.sleep(0); t.cancel("bye"); yield* cjs.wait([t]); return t; })(), { clock: new cjs.VirtualClock() });
try { cjsTask.result(); } catch (e) { out.runtimeCancelledAcross = e instanceof esm.CancelledError && !(e instanceof esm.TimeoutError) && String(e) === "CancelledError: bye"; }
class Mine extends esm.RuntimeError {}
out.subclassNotMatched = new cjs.RuntimeError("x") instanceof Mine;
out.yielded = esm.run((function* () {
  try { yield cjs.sleep(1); return "ran"; } catch (e) { return e.message; }
})(), { clock: new esm.VirtualClock() });
try { esm.run((function* () { return yield* esm.gather(cjs.sleep(1)); })(), { clock: new esm.VirtualClock() }); } catch (e) { out.gathered = e.message; }
console.log(JSON.stringify(out));
`,
    );
    const out = runConsumer(dir, "two-copies.mjs");
    expect(out.distinct).to.equal(true);
    expect(out.cancelledAcross).to.equal(true);
    expect(out.baseAcross).to.equal(true);
    expect(out.notOtherClass).to.equal(false);
    expect(out.plainError).to.equal(false);
    expect(out.runtimeCancelledAcross).to.equal(true);
    expect(out.subclassNotMatched).to.equal(false);
    expect(out.yielded).to.match(/yielded a SleepEffect that this copy of genloop cannot run.*second copy of genloop/);
    expect(out.gathered).to.match(/argument 1 .*second copy of genloop/);
  });
});
