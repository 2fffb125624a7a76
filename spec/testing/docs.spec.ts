// docs/testing-your-code.md: every ts block type-checks and runs against the built package, and
// every runner block is, verbatim, the suite that runner runs in spec/testing/runners.
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

const page = "docs/testing-your-code.md";

function blocks(lang: string): string[] {
  const text = readFileSync(page, "utf8");
  const found: string[] = [];
  const fence = new RegExp("```" + lang + "\\n([\\s\\S]*?)```", "g");
  for (let m = fence.exec(text); m !== null; m = fence.exec(text)) found.push(m[1]);
  return found;
}

describe(`${page}`, function () {
  this.timeout(60_000);

  before(function () {
    if (!existsSync("dist/esm/testing/index.d.ts")) this.skip();
  });

  it("each runner block is that runner's suite, which the adapter specs run", () => {
    const runnerBlocks = blocks("js");
    expect(runnerBlocks).to.have.length(4);
    for (const block of runnerBlocks) {
      const file = /^\/\/ (spec\/testing\/runners\/[\w-]+\.test\.[cm]js),/.exec(block)?.[1];
      expect(file, block.split("\n")[0]).to.be.a("string");
      expect(readFileSync(file as string, "utf8")).to.equal(block);
    }
  });

  it("every ts block type-checks and runs", () => {
    const dir = "build/docs-check";
    mkdirSync(dir, { recursive: true });
    const files = blocks("ts").map((code, i) => {
      const file = join(dir, `testing-your-code-${i + 1}.ts`);
      writeFileSync(file, code);
      return file;
    });
    expect(files.length).to.be.at.least(4);
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2020,
      module: ts.ModuleKind.ES2020,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ["node"],
    };
    const program = ts.createProgram(files, options);
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n") + ` (${d.file?.fileName})`);
    expect(problems).to.deep.equal([]);
    for (const file of files) {
      const js = ts.transpileModule(readFileSync(file, "utf8"), { compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ES2020 } }).outputText;
      const out = file.replace(/\.ts$/, ".mjs");
      writeFileSync(out, js);
      execFileSync(process.execPath, [out], { encoding: "utf8", timeout: 20_000 });
    }
  });
});
