// What docs/compile-step.md says changes in compiled code, checked: the call graph learns a
// coroutine's name (and, in debug mode, its wait site) at a `yield*` of an effect, so a coroutine
// whose waits were all rewritten shows as `<coroutine>()`; what it waits on is described the same.
import { expect } from "chai";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { rewriteYields } from "../../lib/transform/index.js";
import { FIXTURES, prepareFixtures } from "./compile.js";

const source = `import { EventLoop, VirtualClock, sleep, formatCallGraph, describeWait } from "genloop";
export function* waiter() { yield* sleep(10); yield* sleep(10); }
export function look(debug) {
  const loop = new EventLoop({ clock: new VirtualClock(), debug });
  const task = loop.createTask(waiter(), { name: "w" });
  loop.step();
  loop.step();
  const seen = { graph: formatCallGraph(task), wait: describeWait(task) };
  loop.runUntilComplete(task);
  return seen;
}
`;

interface Module {
  look(debug: boolean): { graph: string; wait: string };
}

describe("transform: what compiled code changes in the call graph", function () {
  this.timeout(30_000);

  it("a coroutine whose waits were all rewritten is <coroutine>() without a site, and waits on the same thing", async () => {
    prepareFixtures();
    const dir = join(FIXTURES, "call-graph");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "written.mjs"), source);
    const rewritten = rewriteYields(source, { typescript: ts, fileName: "compiled.mjs" });
    expect(rewritten).to.not.equal(source);
    writeFileSync(join(dir, "compiled.mjs"), rewritten);
    const written = (await import(pathToFileURL(join(dir, "written.mjs")).href)) as Module;
    const compiled = (await import(pathToFileURL(join(dir, "compiled.mjs")).href)) as Module;
    for (const debug of [false, true]) {
      const before = written.look(debug);
      const after = compiled.look(debug);
      expect(before.graph, `debug ${debug}`).to.contain("waiter()").and.not.contain("<coroutine>");
      expect(after.graph, `debug ${debug}`).to.contain("<coroutine>()").and.not.contain("waiter").and.not.contain("line");
      expect(after.wait).to.equal(before.wait).and.equal("sleep until 10 ms");
    }
    expect(written.look(true).graph).to.match(/written\.mjs', line 2, column \d+, in waiter\(\)/);
  });
});
