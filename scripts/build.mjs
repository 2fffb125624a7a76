// Builds the published package: ESM and CommonJS trees with type declarations, and two
// single-file bundles for engines without a module system (see docs/embedding.md, "Bundles"):
//   dist/genloop.iife.js  ES2015 syntax (JavaScriptCore, QuickJS, browsers), global `genloop`
//   dist/genloop.es5.js   ES5 syntax, generators compiled to state machines (Hermes, Duktape, …)
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { gzipSync } from "node:zlib";
import { buildBundle, bundles } from "./bundle/bundles.mjs";

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const run = (...args) => execFileSync(process.execPath, [tsc, ...args], { stdio: "inherit" });

rmSync("dist", { recursive: true, force: true });
run("-p", "tsconfig.build.json");
run("-p", "tsconfig.cjs.json");
mkdirSync("dist/cjs", { recursive: true });
writeFileSync("dist/cjs/package.json", JSON.stringify({ type: "commonjs" }) + "\n");
writeFileSync("dist/esm/package.json", JSON.stringify({ type: "module" }) + "\n");
console.log("built dist/esm and dist/cjs");

for (const [level, { file }] of Object.entries(bundles)) {
  const code = await buildBundle(level);
  writeFileSync(file, code);
  const gzip = gzipSync(code).length;
  console.log(`${file}: ${(Buffer.byteLength(code) / 1024).toFixed(1)} KiB (${(gzip / 1024).toFixed(1)} KiB gzip)`);
}
