// Runs examples/search-as-you-type.ts (built) and checks what it prints.
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

describe("examples/search-as-you-type", () => {
  it("shows only the latest query's results, aborts the stale request, and keeps the latest draft", () => {
    const script = fileURLToPath(new URL("../../examples/search-as-you-type.js", import.meta.url));
    const out = execFileSync(process.execPath, [script], { encoding: "utf8" });
    expect(out).to.contain("✗ GET /suggest?q=genl aborted");
    expect(out).to.contain('✓ "genloop" → [genloop]');
    expect(out).to.not.contain('✓ "genl"');
    expect(out).to.contain("final suggestions: [genloop] (shown: [genloop])");
    expect(out).to.contain("search: performCount 7, lastSuccessful is the last perform: true");
    expect(out).to.contain('💾 saved "genloop"');
    expect(out).to.not.contain('saving draft "genlo"\n');
    expect(out).to.contain("virtual time at the end: 2290 ms");
  });
});
