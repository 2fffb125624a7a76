import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

// The published package: `npm run build` must have produced dist/ (npm test runs it first).
describe("package", function () {
  this.timeout(20000);
  const script = `
    const { run, sleep, gather, VirtualClock } = GENLOOP;
    const r = run((function* () { return yield* gather(sleep(5, "a"), sleep(1, "b")); })(), { clock: new VirtualClock() });
    console.log(JSON.stringify(r));`;

  before(function () {
    if (!existsSync("dist/esm/index.js") || !existsSync("dist/cjs/index.cjs")) this.skip();
  });

  it("can be imported as ESM by its name", () => {
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", `import * as GENLOOP from "genloop"; ${script}`]);
    expect(out.toString().trim()).to.equal('["a","b"]');
  });

  it("can be required as CommonJS by its name", () => {
    const out = execFileSync(process.execPath, ["-e", `const GENLOOP = require("genloop"); ${script}`]);
    expect(out.toString().trim()).to.equal('["a","b"]');
  });

  it("ships type declarations", () => {
    expect(existsSync("dist/esm/index.d.ts")).to.equal(true);
    expect(existsSync("dist/cjs/index.d.cts")).to.equal(true);
  });
});
