// The runtime core never touches Promise, async/await, queueMicrotask, host timers, process or
// window: only lib/hosts/, lib/interop/ and lib/testing/ may (with feature detection), and
// lib/transform/, a build-time tool that runs in Node. Checked on the syntax
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
const hostAreas = ["lib/hosts/", "lib/interop/", "lib/testing/", "lib/transform/"];

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
  it("no Promise, async/await, queueMicrotask, host timers, process or window outside lib/hosts, lib/interop, lib/testing and lib/transform", () => {
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

// The bundles run in ES5 engines whose standard library stops at ES5 plus a little (Duktape 2.7,
// mujs 1.3). The ES5 bundle shims Map, Set and Array.from; anything else the code calls must
// exist there. Caught here statically, so a path the conformance program does not exercise
// cannot break those engines either.
const missingInEs5Engines: Record<string, string> = {
  includes: "Array.prototype.includes (Duktape, mujs): use indexOf(x) !== -1",
  find: "Array.prototype.find (Duktape, mujs): use a loop",
  findIndex: "Array.prototype.findIndex (Duktape, mujs): use a loop",
  fill: "Array.prototype.fill (Duktape, mujs): use a loop",
  padStart: "String.prototype.padStart (Duktape, mujs)",
  padEnd: "String.prototype.padEnd (Duktape, mujs)",
  repeat: "String.prototype.repeat (mujs)",
  startsWith: "String.prototype.startsWith (mujs): use lastIndexOf(prefix, 0) === 0",
  endsWith: "String.prototype.endsWith (mujs)",
  assign: "Object.assign (mujs): copy the keys in a loop",
  entries: "Object.entries (Duktape, mujs)",
  trunc: "Math.trunc (mujs)",
  sign: "Math.sign (mujs)",
  isInteger: "Number.isInteger (mujs)",
  isFinite: "Number.isFinite (mujs): use isFinite()",
  WeakMap: "WeakMap (Duktape, mujs)",
  WeakSet: "WeakSet (Duktape, mujs): feature-detect it on the global object",
  WeakRef: "WeakRef (Duktape, mujs, Hermes, Rhino)",
  Reflect: "Reflect (mujs, Rhino)",
};
const objectOnly = new Set(["assign", "entries"]);
const ownIdentifiers = new Set(["WeakMap", "WeakSet", "WeakRef", "Reflect"]);

/** Calls of standard-library features some ES5 engine of the matrix lacks, as "file:line feature". */
export function nonPortable(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const at = (node: ts.Node) => `${fileName}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && ts.isCallExpression(node.parent) && node.parent.expression === node) {
      const name = node.name.text;
      const onObject = ts.isIdentifier(node.expression) && node.expression.text === "Object";
      if (Object.prototype.hasOwnProperty.call(missingInEs5Engines, name) && !ownIdentifiers.has(name) && (!objectOnly.has(name) || onObject)) {
        found.push(`${at(node)} ${missingInEs5Engines[name]}`);
      }
    }
    // A global used by name; reading it as a property of the global object is feature detection.
    const isPropertyName = (n: ts.Node) =>
      (ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) || ts.isPropertySignature(n.parent);
    if (ts.isIdentifier(node) && ownIdentifiers.has(node.text) && !ts.isTypeReferenceNode(node.parent) && !isPropertyName(node)) {
      found.push(`${at(node)} ${missingInEs5Engines[node.text]}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("portability: bundled code uses only what the ES5 engines have", () => {
  it("lib (all but lib/interop and lib/transform, which no bundle holds) calls no standard-library feature missing in Duktape or mujs", () => {
    const bundled = tsFiles("lib").filter((file) => !["lib/interop/", "lib/transform/"].some((area) => relative(".", file).startsWith(area)));
    const found = bundled.flatMap((file) => nonPortable(relative(".", file), readFileSync(file, "utf8")));
    expect(found).to.deep.equal([]);
  });

  it("the check finds such calls and leaves lookalikes alone", () => {
    const code = [
      "xs.includes(1); Object.assign(a, b); s.padStart(3);",
      "map.entries(); set.values(); obj.assign(1); const w = new WeakMap();",
    ].join("\n");
    expect(nonPortable("x.ts", code)).to.deep.equal([
      `x.ts:1 ${missingInEs5Engines.includes}`,
      `x.ts:1 ${missingInEs5Engines.assign}`,
      `x.ts:1 ${missingInEs5Engines.padStart}`,
      `x.ts:2 ${missingInEs5Engines.WeakMap}`,
    ]);
  });
});
