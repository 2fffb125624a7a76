// The runtime core never touches Promise, async/await, queueMicrotask, host timers, process or
// window: only lib/hosts/ and lib/interop/ may (with feature detection). Checked on the syntax
// tree of every lib/**/*.ts file, so comments and string literals don't count.
import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

const forbiddenNames = new Set([
  "Promise",
  "PromiseLike",
  "queueMicrotask",
  "setTimeout",
  "clearTimeout",
  "setInterval",
  "clearInterval",
  "setImmediate",
  "clearImmediate",
  "process",
  "window",
]);
const hostAreas = ["lib/hosts/", "lib/interop/"];

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Every use of a forbidden name, `async` or `await` in a source text, as "file:line what". */
export function impurities(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const at = (node: ts.Node) => `${fileName}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && forbiddenNames.has(node.text)) found.push(`${at(node)} ${node.text}`);
    if (ts.isAwaitExpression(node)) found.push(`${at(node)} await`);
    if (ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) {
      found.push(`${at(node)} async`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("purity: the core never touches host APIs", () => {
  it("no Promise, async/await, queueMicrotask, host timers, process or window outside lib/hosts and lib/interop", () => {
    const core = tsFiles("lib").filter((file) => !hostAreas.some((area) => relative(".", file).startsWith(area)));
    expect(core.length).to.be.greaterThan(20);
    const found = core.flatMap((file) => impurities(relative(".", file), readFileSync(file, "utf8")));
    expect(found).to.deep.equal([]);
  });

  it("the check sees code, not comments or strings", () => {
    const code = [
      "// setTimeout(f) in a comment, new Promise in a comment",
      'const s = "process and window in a string";',
      "async function f() { await g(); }",
      "new Promise(() => {}); queueMicrotask(f); globalThis.setTimeout(f, 1); let p: PromiseLike<number>;",
      "const w = window; const e = process.env;",
    ].join("\n");
    expect(impurities("x.ts", code)).to.deep.equal([
      "x.ts:3 async",
      "x.ts:3 await",
      "x.ts:4 Promise",
      "x.ts:4 queueMicrotask",
      "x.ts:4 setTimeout",
      "x.ts:4 PromiseLike",
      "x.ts:5 window",
      "x.ts:5 process",
    ]);
  });
});
