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
    // The kill lands while "ship parcel" runs: its outcome may or may not have been journaled by
    // then (a race the example does not control). Either way the steps journaled are not done
    // again, and a step that was not is done again with the same idempotency key.
    const done = /done after replaying (\d) step\(s\): order 42: reserve ok, charge ok, ship ok, email ok/.exec(out);
    expect(done, out).to.not.equal(null);
    const replayed = Number((done as RegExpExecArray)[1]);
    expect(replayed).to.be.oneOf([2, 3]);
    expect(out.match(/\(idempotency key order-42\/1\/\d\)/g)).to.have.length(4 + (3 - replayed));
  });

  it("durable-game: a save at frame 500 restores in a fresh Node process and a fresh QuickJS instance, byte-identical", () => {
    const out = runExample("durable-game");
    expect(out).to.contain("restored in a fresh Node process: frames 500-999 byte-identical");
    expect(out).to.contain("restored in a fresh QuickJS instance: frames 500-999 byte-identical");
  });
});
