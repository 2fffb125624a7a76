// engine262's shell (scripts/engines/engine262-shell.mjs): what `print` writes, and how an uncaught
// exception, a syntax error and a missing file argument end it. engine262 itself runs the per-part
// program in `npm run engines` (the `engine262 (parts)` row; `engine262`, by hand, the whole one).
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

describe("engines: engine262's shell", function () {
  this.timeout(30000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "genloop-engine262-spec-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const shell = (...args: string[]) => spawnSync(process.execPath, [resolve("scripts/engines/engine262-shell.mjs"), ...args], { encoding: "utf8" });
  const runScript = (source: string) => {
    const file = join(dir, "script.js");
    writeFileSync(file, source);
    return shell(file);
  };

  it("evaluates the file as a script with a global print: its arguments as strings, space-separated, one line", () => {
    const r = runScript('var declared = "global"; print("a", 1, {}, null); print(typeof globalThis.declared, typeof require, typeof process);');
    expect(r.stdout).to.equal("a 1 [object Object] null\nstring undefined undefined\n");
    expect(r.stderr).to.equal("");
    expect(r.status).to.equal(0);
  });

  it("throws into the script what converting an argument to a string throws", () => {
    const r = runScript('try { print({ toString: function () { throw new RangeError("no string"); } }); } catch (e) { print("caught " + e.name + ": " + e.message); }');
    expect(r.stdout).to.equal("caught RangeError: no string\n");
    expect(r.status).to.equal(0);
  });

  it("writes an uncaught exception to stderr and exits with status 1, after what was printed before it", () => {
    const r = runScript('print("before"); throw new TypeError("boom");');
    expect(r.stdout).to.equal("before\n");
    expect(r.stderr).to.match(/TypeError: boom/);
    expect(r.status).to.equal(1);
    const thrownValue = runScript("throw 0;");
    expect(thrownValue.stderr.trim()).to.equal("0");
    expect(thrownValue.status).to.equal(1);
  });

  it("runs nothing of a script that does not parse, and exits with status 1", () => {
    const r = runScript('print("never");\nprint(');
    expect(r.stdout).to.equal("");
    expect(r.stderr).to.match(/SyntaxError/);
    expect(r.status).to.equal(1);
  });

  it("refuses to run without a file, saying how to call it", () => {
    const r = shell();
    expect(r.stderr).to.match(/usage: node scripts\/engines\/engine262-shell\.mjs <script file>/);
    expect(r.status).to.equal(2);
  });
});
