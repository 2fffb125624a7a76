// docs/durable.md: every ts block type-checks and runs against the built package.
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

const page = "docs/durable.md";

function tsBlocks(): string[] {
  const text = readFileSync(page, "utf8");
  const found: string[] = [];
  const fence = /```ts\n([\s\S]*?)```/g;
  for (let m = fence.exec(text); m !== null; m = fence.exec(text)) found.push(m[1]);
  return found;
}

describe(page, function () {
  this.timeout(60_000);

  before(function () {
    if (!existsSync("dist/esm/durable/index.d.ts")) this.skip();
  });

  it("every ts block type-checks and runs", () => {
    const dir = "build/docs-check";
    mkdirSync(dir, { recursive: true });
    const files = tsBlocks().map((code, i) => {
      const file = join(dir, `durable-${i + 1}.ts`);
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
    const problems = ts.getPreEmitDiagnostics(ts.createProgram(files, options)).map((d) => `${ts.flattenDiagnosticMessageText(d.messageText, "\n")} (${d.file?.fileName})`);
    expect(problems).to.deep.equal([]);
    const outputs = files.map((file) => {
      const js = ts.transpileModule(readFileSync(file, "utf8"), { compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ES2020 } }).outputText;
      const out = file.replace(/\.ts$/, ".mjs");
      writeFileSync(out, js);
      return execFileSync(process.execPath, [out], { encoding: "utf8", timeout: 20_000 });
    });
    // What the comments in the blocks say they print.
    expect(outputs[0].trim()).to.equal("true 2");
    expect(outputs[1].trim().split("\n")).to.deep.equal(["[ 'ship', 'charge' ]", "[ 'charge', 'ship' ]"]);
    expect(outputs[2].trim().split("\n")).to.deep.equal(["3", "3"]);
  });
});
