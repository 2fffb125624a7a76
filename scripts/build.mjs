// Builds dist/: the published package and the single-file bundles. dist/ has no package.json of
// its own, so the package's ("type": "module", "sideEffects": false) is the one bundlers and Node
// read for every file in it.
//   dist/esm/     the ES modules (one file per lib/ module, whitespace-minified, names kept) and
//                 their type declarations (with the doc comments editors show): what Node
//                 (import, and require on Node >= 20.19 through the "module-sync" condition),
//                 bundlers and TypeScript use.
//   dist/cjs/     for require() where Node cannot load ES modules (older Node, Jest): one
//                 CommonJS bundle of every entry point (genloop.cjs), so the classes are the same
//                 across subpaths, and per entry point a one-line .cjs that takes its part of it
//                 and a .d.cts that re-exports the ES module declarations.
//   dist/genloop.*.js  the bundles for engines without a module system (scripts/bundle/bundles.mjs):
//                 the whole API (genloop.iife.js ES2015, genloop.hermes.js ES2015 without classes
//                 or block scopes, for Hermes, genloop.es5.js ES5), the core and each area,
//                 readable and minified. The package ships the minified whole-API ES2015 and ES5
//                 ones; the others are built here (package.json "files" says which ship).
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import { allBundleFiles, buildBundle } from "./bundle/bundles.mjs";
import { entryPoints } from "./bundle/entry-points.mjs";

const require = createRequire(import.meta.url);
const tsc = require.resolve("typescript/bin/tsc");

/** Shrinks the emitted JavaScript: whitespace and comments go, names stay (readable stack traces). */
function shrink(code) {
  return esbuild.transformSync(code, { minifyWhitespace: true, minifySyntax: true, legalComments: "none", target: "es2020" }).code;
}

rmSync("dist", { recursive: true, force: true });
execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { stdio: "inherit" });
for (const entry of readdirSync("dist/esm", { recursive: true })) {
  const file = join("dist/esm", entry);
  if (file.endsWith(".js")) writeFileSync(file, shrink(readFileSync(file, "utf8")));
}
console.log("built dist/esm");

/** One CommonJS bundle of ES module source text (resolved from dist/). */
async function cjsBundle(contents) {
  const out = await esbuild.build({
    stdin: { contents, resolveDir: "dist", loader: "js" },
    bundle: true,
    write: false,
    format: "cjs",
    platform: "node",
    target: "es2020",
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: "none",
    logLevel: "warning",
  });
  return out.outputFiles[0].text;
}

// The CommonJS bundle: every entry point as a property (`main`, `promise`, …), from the ES modules
// just built; a standalone entry point is a bundle of its own.
const shared = entryPoints.filter((e) => !e.standalone);
mkdirSync("dist/cjs");
writeFileSync("dist/cjs/genloop.cjs", await cjsBundle(shared.map((e) => `export * as ${e.cjsKey} from "./esm/${e.module}.js";`).join("\n")));
for (const e of entryPoints) {
  if (e.standalone) writeFileSync(`dist/cjs/${e.name}.cjs`, await cjsBundle(`export * from "./esm/${e.module}.js";`));
  else writeFileSync(`dist/cjs/${e.name}.cjs`, `"use strict";\nmodule.exports = require("./genloop.cjs").${e.cjsKey};\n`);
  writeFileSync(
    `dist/cjs/${e.name}.d.cts`,
    "// @ts-ignore TS1479 (module node16): the CommonJS entry has the same declarations as the ES module\n" +
      `export * from "../esm/${e.module}.js";\n`,
  );
}
console.log("built dist/cjs");

for (const { level, part, minified, file } of allBundleFiles()) {
  const code = await buildBundle(level, { part, minify: minified });
  writeFileSync(file, code);
  if (part === "all") console.log(`${file}: ${(Buffer.byteLength(code) / 1024).toFixed(1)} KiB (${(gzipSync(code).length / 1024).toFixed(1)} KiB gzip)`);
}
console.log("built the per-part bundles (dist/genloop.<core|features|area>.<iife|hermes|es5>[.min].js)");
