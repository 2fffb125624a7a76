// Builds the published package: ESM and CommonJS trees with type declarations, and the
// single-file bundles for engines without a module system (see scripts/bundle/bundles.mjs):
//   dist/genloop.iife.js  ES2015 syntax (JavaScriptCore, QuickJS, browsers), global `genloop`
//   dist/genloop.es5.js   ES5 syntax, generators compiled to state machines (Hermes, Duktape, …)
// each also minified (.min.js) and split into a core bundle and one bundle per area
// (dist/genloop.core.iife.js, dist/genloop.sync.es5.min.js, …).
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { allBundleFiles, buildBundle } from "./bundle/bundles.mjs";

const require = createRequire(import.meta.url);
const tsc = require.resolve("typescript/bin/tsc");
const ts = require("typescript");

/**
 * Drops the comments of the emitted JavaScript (the doc comments stay in the .d.ts files, where
 * editors read them): the published package stays small. Nothing else changes (no minifying).
 */
function stripComments(dir) {
  for (const entry of readdirSync(dir, { recursive: true })) {
    const file = join(dir, entry);
    if (!file.endsWith(".js")) continue;
    const { outputText } = ts.transpileModule(readFileSync(file, "utf8"), {
      compilerOptions: { removeComments: true, target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.Preserve },
    });
    writeFileSync(file, outputText);
  }
}
const run = (...args) => execFileSync(process.execPath, [tsc, ...args], { stdio: "inherit" });

rmSync("dist", { recursive: true, force: true });
run("-p", "tsconfig.build.json");
run("-p", "tsconfig.cjs.json");
mkdirSync("dist/cjs", { recursive: true });
// Each build's own package.json is the nearest one to its files, so it repeats the package's
// "sideEffects": false: without it, bundlers keep every module of dist/ a program reaches
// through the main entry's re-exports, used or not.
writeFileSync("dist/cjs/package.json", JSON.stringify({ type: "commonjs", sideEffects: false }) + "\n");
writeFileSync("dist/esm/package.json", JSON.stringify({ type: "module", sideEffects: false }) + "\n");
stripComments("dist/esm");
stripComments("dist/cjs");
console.log("built dist/esm and dist/cjs");

for (const { level, part, minified, file } of allBundleFiles()) {
  const code = await buildBundle(level, { part, minify: minified });
  writeFileSync(file, code);
  const gzip = gzipSync(code).length;
  if (part === "all") console.log(`${file}: ${(Buffer.byteLength(code) / 1024).toFixed(1)} KiB (${(gzip / 1024).toFixed(1)} KiB gzip)`);
}
console.log("built the per-area bundles (dist/genloop.<core|area>.<iife|es5>[.min].js)");
