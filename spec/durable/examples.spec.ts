// The durable examples run and print what they promise.
import { expect } from "chai";
import { execFileSync } from "node:child_process";

const runExample = (name: string): string => execFileSync(process.execPath, [`build/examples/${name}.js`], { encoding: "utf8", timeout: 120_000 });

describe("durable: examples", function () {
  this.timeout(120_000);

  it("npm run durable: a workflow killed half-way resumes from its journal without repeating steps", () => {
    const out = runExample("durable");
    expect(out).to.match(/parent: SIGKILL pid \d+/);
    expect(out).to.contain("parent: run 1 ended with SIGKILL");
    expect(out).to.match(/journal found: replaying it/);
    expect(out).to.match(/done after replaying 3 step\(s\): order 42: reserve ok, charge ok, ship ok, email ok/);
    // Each step was done by the host once: the second run did only the last one.
    expect(out.match(/\(idempotency key order-42\/1\/\d\)/g)).to.have.length(4);
  });

  it("durable-game: a save at frame 500 restores in a fresh Node process and a fresh QuickJS instance, byte-identical", () => {
    const out = runExample("durable-game");
    expect(out).to.contain("restored in a fresh Node process: frames 500-999 byte-identical");
    expect(out).to.contain("restored in a fresh QuickJS instance: frames 500-999 byte-identical");
  });
});
