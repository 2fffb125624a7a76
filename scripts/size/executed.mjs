// How small the minimal program could get by moving code out of its path: the minimal program
// (scripts/size/minimal.js) bundled unminified, run under V8's coverage, then measured again
// with what the run never entered taken out — first the functions it never called (the asyncio
// surface it does not use, error builders), then the blocks it never entered inside the others
// (error branches), then the long string literals left (messages). Each step is minified and
// gzipped as size.mjs measures. What is left is the code the program executes: no split of the
// runtime into entries, and no move of error paths, can bring the program below that.
//   node scripts/size/executed.mjs [--update]   (--update: writes the table into docs/size.md)
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import ts from "typescript";
import { markdownTable, wantsUpdate, writeRegion } from "../docs/generated-region.mjs";
import { bundleProgram } from "./size.mjs";

/**
 * Minified and gzip level 9 sizes of `code`, as size.mjs measures a bundle: { bytes, gzip }.
 * Declarations nothing uses any more are dropped, as a bundler drops a module's unused code.
 */
function measure(code) {
  const minified = esbuild.transformSync(code, { minify: true, treeShaking: true, format: "esm", target: "es2020" }).code;
  return { bytes: minified.length, gzip: gzipSync(minified, { level: 9 }).length };
}

/** Applies [start, end, text] replacements that do not overlap. */
function applyEdits(source, edits) {
  let out = source;
  for (const [start, end, text] of [...edits].sort((a, b) => b[0] - a[0])) out = out.slice(0, start) + text + out.slice(end);
  return out;
}

function walk(node, visit) {
  if (visit(node) === false) return; // the node was replaced: nothing inside it counts
  ts.forEachChild(node, (child) => walk(child, visit));
}

/**
 * The code of `source` that a run entered, given that run's V8 coverage of it (`functions`, as in
 * a NODE_V8_COVERAGE file: { ranges: [{ startOffset, endOffset, count }] }). `strip` chooses what
 * to take out: "functions" empties the body of every function never called; "blocks" also
 * empties every block and `throw` never reached inside the functions that ran; "strings" also
 * empties every string and template literal longer than ten characters. Returns the new source.
 */
export function withoutUnexecuted(source, functions, strip) {
  const file = ts.createSourceFile("bundle.js", source, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const neverCalled = new Set(functions.filter((f) => f.ranges[0].count === 0).map((f) => f.ranges[0].endOffset));
  const neverEntered = functions.flatMap((f) => f.ranges.slice(1).filter((r) => r.count === 0));
  const insideNeverEntered = (node) => neverEntered.some((r) => r.startOffset <= node.getStart(file) && node.end <= r.endOffset);
  const edits = [];
  walk(file, (node) => {
    if (ts.isFunctionLike(node) && node.body !== undefined && ts.isBlock(node.body) && neverCalled.has(node.end)) {
      edits.push([node.body.getStart(file), node.body.end, "{}"]);
      return false;
    }
    if (strip === "functions") return true;
    if (ts.isBlock(node) && !ts.isFunctionLike(node.parent) && insideNeverEntered(node)) {
      edits.push([node.getStart(file), node.end, "{}"]);
      return false;
    }
    if (ts.isThrowStatement(node) && insideNeverEntered(node)) {
      edits.push([node.getStart(file), node.end, "throw 0;"]);
      return false;
    }
    if (strip === "blocks") return true;
    const literal = ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node);
    const text = literal ? node.text : ts.isTemplateExpression(node) ? node.head.text + node.templateSpans.map((s) => s.literal.text).join("") : null;
    if (text !== null && text.length > 10) {
      edits.push([node.getStart(file), node.end, '""']);
      return false;
    }
    return true;
  });
  return applyEdits(source, edits);
}

/**
 * `source` without the public methods of its classes that a run never called (given that run's
 * V8 coverage, as for `withoutUnexecuted`): each such method, getter or setter is taken out of
 * its class, as a kernel entry below genloop/core would leave it out (installed by the entry that
 * offers it). Methods whose names the code tests with `typeof x.name == "function"` stay (they
 * are how a value is recognised), as do the constructor and the internal `_` methods (the
 * kernel's own paths, error paths included). Returns the new source.
 */
export function withoutUncalledMethods(source, functions) {
  const file = ts.createSourceFile("bundle.js", source, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const neverCalled = new Set(functions.filter((f) => f.ranges[0].count === 0).map((f) => f.ranges[0].endOffset));
  const recognisedBy = new Set([...source.matchAll(/typeof [\w$.]+\.([\w$]+) ===? "function"/g)].map((m) => m[1]));
  const edits = [];
  walk(file, (node) => {
    const member = (ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)) && ts.isClassLike(node.parent);
    if (!member || node.body === undefined || !neverCalled.has(node.end)) return true;
    const name = node.name.getText(file);
    if (name.startsWith("_") || name.startsWith("#") || recognisedBy.has(name)) return true;
    edits.push([node.getStart(file), node.end, ""]);
    return false;
  });
  return applyEdits(source, edits);
}

/** Bundles and runs the minimal program; { rows: [{ step, bytes, gzip }], output } (output: what it printed). */
export async function measureExecuted() {
  const { code } = await bundleProgram("minimal.js", { minify: false });
  const source = new TextDecoder().decode(code);
  const dir = mkdtempSync(join(tmpdir(), "genloop-executed-"));
  try {
    const program = join(dir, "minimal.mjs");
    writeFileSync(program, source);
    const output = execFileSync(process.execPath, [program], { env: { ...process.env, NODE_V8_COVERAGE: join(dir, "coverage") }, encoding: "utf8" });
    const coverage = readdirSync(join(dir, "coverage")).flatMap((f) => JSON.parse(readFileSync(join(dir, "coverage", f), "utf8")).result);
    const script = coverage.find((s) => s.url === pathToFileURL(program).href);
    if (script === undefined) throw new Error(`executed.mjs: V8's coverage has no entry for ${program}`);
    // Each reduced program still runs and prints what the whole one printed: only code the run
    // never reached went.
    const reduced = (strip) => {
      const code = strip === "methods" ? withoutUncalledMethods(source, script.functions) : withoutUnexecuted(source, script.functions, strip);
      writeFileSync(program, code);
      const printed = execFileSync(process.execPath, [program], { encoding: "utf8" });
      if (printed !== output) throw new Error(`executed.mjs: without ${strip} never reached the program printed ${JSON.stringify(printed)}, not ${JSON.stringify(output)}`);
      return measure(code);
    };
    const rows = [
      { step: "the minimal program, as budgeted", ...measure(source) },
      { step: "without the public methods it never calls (a kernel entry)", ...reduced("methods") },
      { step: "without the functions it never calls", ...reduced("functions") },
      { step: "also without the blocks it never enters (error branches)", ...reduced("blocks") },
      { step: "also without long string literals (messages)", ...reduced("strings") },
    ];
    return { rows, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const update = wantsUpdate("scripts/size/executed.mjs");
  const { rows, output } = await measureExecuted();
  const table = markdownTable(
    ["what is left of the minimal program", "minified", "min+gzip"],
    rows.map((r) => [r.step, `${r.bytes} B`, `${r.gzip} B`]),
  );
  console.log(`the program printed: ${output.trim()}\n\n${table}`);
  if (update) console.log(`written to ${writeRegion("size-executed", table).join(", ") || "(unchanged)"}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
