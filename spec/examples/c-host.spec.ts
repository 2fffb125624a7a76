// The native C host (examples/c-host): built with gcc against JavaScriptCore's C API and run on
// the minified ES2015 bundles of the parts it uses (core, features, hosts) for 10 000 virtual
// frames with 1 000 tasks. Skipped where
// libjavascriptcoregtk-4.0-dev or gcc is missing (scripts/install-engines.sh installs them).
import { expect } from "chai";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

function jscFlags(): string[] | null {
  const r = spawnSync("pkg-config", ["--cflags", "--libs", "javascriptcoregtk-4.0"], { encoding: "utf8" });
  const gcc = spawnSync("gcc", ["--version"]);
  return r.status === 0 && gcc.status === 0 ? r.stdout.trim().split(/\s+/) : null;
}

describe("examples: the C host embedding genloop in JavaScriptCore", function () {
  this.timeout(180000);

  it("drives 1 000 tasks for 10 000 frames from its frame loop; the time limit stops the runaway task, which is cancelled while the others go on", function () {
    const flags = jscFlags();
    const bundles = ["core", "features", "hosts"].map((part) => `dist/genloop.${part}.iife.min.js`);
    if (flags === null || !bundles.every((file) => existsSync(file))) this.skip();
    const dir = mkdtempSync(join(tmpdir(), "genloop-c-host-"));
    try {
      const host = join(dir, "host");
      execFileSync("gcc", ["-O2", "-Wall", "-Wextra", "-Werror", "-Wno-unused-parameter", "-o", host, "examples/c-host/host.c", ...(flags ?? [])]);
      const output = execFileSync(host, [...bundles, "examples/c-host/game.js", "10000"], { encoding: "utf8" });
      const lines = output.trim().split("\n");
      expect(lines[0]).to.match(/^frame 6\d: the time limit stopped task runaway$/);
      expect(output).to.match(/^frames: 10000 \(virtual, 60 Hz\), loop steps: \d+/m);
      expect(output).to.match(/^per-frame genloop time: p50 \d+\.\d{3} ms, p99 \d+\.\d{3} ms, max \d+\.\d{3} ms$/m);
      expect(output).to.match(/^worker steps: \d{6,}, asset loads: [1-9]\d*, workers still running: 1000\/1000$/m);
      expect(output).to.match(/^per-task CPU time \(instruments\): 1000 tasks, median \d+\.\d{3} ms, max \d+\.\d{3} ms, total [\d.]+ ms$/m);
      expect(output).to.include("stopped by the time limit: runaway\n");
      expect(output).to.include("seen by its awaiter: runaway: CancelledError stopped by the host: over its time limit");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
