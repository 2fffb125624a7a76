// The API reference (`npm run docs`, TypeDoc) documents every export: an export, a member or an
// option without a doc comment, or a link to nothing, is a warning, and warnings are errors.
import { expect } from "chai";
import { execFileSync } from "node:child_process";

describe("the API reference", function () {
  this.timeout(120_000);

  it("builds with every export documented (TypeDoc validation, warnings as errors)", () => {
    try {
      execFileSync(process.execPath, ["node_modules/typedoc/bin/typedoc", "--emit", "none"], { encoding: "utf8", stdio: "pipe" });
    } catch (e) {
      const { stdout, stderr } = e as { stdout?: string; stderr?: string };
      expect.fail(`TypeDoc reported problems (document them, or run npm run docs to see them):\n${stdout ?? ""}${stderr ?? ""}`);
    }
  });
});
