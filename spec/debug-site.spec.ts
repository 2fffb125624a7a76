// Debug mode's "created at" names the user's code in every build of the package, not a genloop file.
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(".");
const builds: [label: string, file: string, load: (path: string) => string][] = [
  ["dist/esm", "dist/esm/index.js", (p) => `const G = await import(${JSON.stringify(p)});`],
  ["dist/cjs", "dist/cjs/index.cjs", (p) => `const G = (await import("node:module")).createRequire(import.meta.url)(${JSON.stringify(p)});`],
  [
    "the IIFE bundle",
    "dist/genloop.iife.js",
    (p) =>
      `const vm = await import("node:vm"); const fs = await import("node:fs");` +
      `vm.runInThisContext(fs.readFileSync(${JSON.stringify(p)}, "utf8"), { filename: ${JSON.stringify(p)} }); const G = globalThis.genloop;`,
  ],
];

describe("debug mode: the creation site in the built package", function () {
  this.timeout(20000);
  let dir = "";
  before(function () {
    if (!builds.every(([, file]) => existsSync(file))) this.skip();
    dir = mkdtempSync(join(tmpdir(), "genloop-site-"));
  });
  after(() => {
    if (dir !== "") rmSync(dir, { recursive: true, force: true });
  });

  for (const [label, file, load] of builds) {
    it(`${label}: "created at" points at the user's function and file`, () => {
      const user = join(dir, `user-${label.replace(/\W+/g, "-")}.mjs`);
      writeFileSync(
        user,
        `${load(join(root, file))}
const loop = new G.EventLoop({ clock: new G.VirtualClock(), debug: true });
function* main() { return 1; }
function startTheJob() { return loop.createTask(main()); }
const task = startTheJob();
console.log(String(task));
loop.runUntilComplete(task);
loop.close();
`,
      );
      const out = execFileSync(process.execPath, [user], { encoding: "utf8" }).trim();
      expect(out).to.match(/created at startTheJob \(.*user-/);
      expect(out).to.not.match(/dist[\\/]/);
    });
  }
});
