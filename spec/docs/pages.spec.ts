// The pages of docs/ about channels, schedules, nonCancellable, AbortSignal and UI policies:
// every ts block type-checks and runs against the built package (imports of "genloop" and its
// subpaths resolve through package.json "exports" to dist/).
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

const pages = ["docs/non-cancellable.md", "docs/channels.md", "docs/schedules.md", "docs/abort-signal.md", "docs/ui-policies.md"];

function tsBlocks(page: string): string[] {
  const text = readFileSync(page, "utf8");
  const found: string[] = [];
  const fence = /```ts\n([\s\S]*?)```/g;
  for (let m = fence.exec(text); m !== null; m = fence.exec(text)) found.push(m[1]);
  return found;
}

describe("docs pages: every ts block type-checks and runs against the package", function () {
  this.timeout(120_000);
  const dir = "build/docs-pages";
  const filesOf = new Map<string, string[]>();

  before(function () {
    if (!existsSync("dist/esm/channels/index.d.ts")) this.skip();
    mkdirSync(dir, { recursive: true });
    for (const page of pages) {
      const name = page.replace(/^docs\/|\.md$/g, "");
      filesOf.set(
        page,
        tsBlocks(page).map((code, i) => {
          const file = join(dir, `${name}-${i + 1}.ts`);
          writeFileSync(file, code);
          return file;
        }),
      );
    }
  });

  it("they type-check (strict, Node types)", () => {
    const files = ([] as string[]).concat(...filesOf.values());
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ["node"],
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    expect(problems).to.deep.equal([]);
  });

  for (const page of pages) {
    it(`${page}: each block runs`, () => {
      const files = filesOf.get(page) ?? [];
      expect(files.length, `${page} has ts blocks`).to.be.at.least(1);
      for (const file of files) {
        const js = ts.transpileModule(readFileSync(file, "utf8"), { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
        const out = file.replace(/\.ts$/, ".mjs");
        writeFileSync(out, js);
        execFileSync(process.execPath, [out], { encoding: "utf8", timeout: 20_000 });
      }
    });
  }
});
