// The single-file bundles for engines without a module system, built in memory:
//   1. esbuild bundles lib/index.ts (with lib/channels and lib/schedules as `genloop.channels`, `genloop.schedules`) into one IIFE (global `genloop`) without lowering anything
//      (below es2018 esbuild would rewrite `yield*` through a helper that uses Promise);
//   2. TypeScript lowers that one file: to ES2015, or to ES5 with --downlevelIteration, which
//      compiles generators to state machines (its helpers are emitted once for the whole file).
// The ES5 bundle also gets private Map/Set/Array.from fallbacks (es5-shims.js) for engines
// without ES2015 collections (Duktape, mujs); engines that have them use their own.
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import ts from "typescript";

const root = fileURLToPath(new URL("../..", import.meta.url));
const banner = "/* genloop: asyncio's concurrency model on plain generators. MIT license. */";

/** Where each bundle goes and the ECMAScript level of its syntax. */
export const bundles = {
  es2015: { file: "dist/genloop.iife.js", ecmaVersion: 2015, target: ts.ScriptTarget.ES2015 },
  es5: { file: "dist/genloop.es5.js", ecmaVersion: 5, target: ts.ScriptTarget.ES5 },
};

/** Lowers one script (a bundle, a test program) to the bundle's level, as the bundle itself is. */
export function lowerScript(code, level, fileName = "script.js") {
  const { target } = bundles[level];
  const out = ts.transpileModule(code, {
    fileName,
    compilerOptions: {
      target,
      downlevelIteration: level === "es5",
      module: ts.ModuleKind.None,
      useDefineForClassFields: false,
      removeComments: false,
    },
  });
  return out.outputText;
}

/** What the bundles hold: the package's main entry and its pure generator subpaths. */
const bundleEntry = [
  'export * from "./lib/index.ts";',
  'export * as channels from "./lib/channels/index.ts";',
  'export * as schedules from "./lib/schedules/index.ts";',
].join("\n");

/** The text of one bundle (`level` is "es2015" or "es5"). */
export async function buildBundle(level) {
  const es5 = level === "es5";
  const result = await esbuild.build({
    absWorkingDir: root,
    // The core, plus the host-independent modules that npm users import as subpaths (an
    // engine without a module system has no other way to get them): genloop.channels, genloop.schedules.
    stdin: { contents: bundleEntry, resolveDir: root, sourcefile: "genloop-bundle.ts", loader: "ts" },
    bundle: true,
    write: false,
    format: "iife",
    globalName: "genloop",
    target: "esnext",
    platform: "neutral",
    inject: es5 ? ["scripts/bundle/es5-shims.js"] : [],
    define: es5 ? { "Array.from": "__genloopArrayFrom" } : {},
    logLevel: "warning",
  });
  const bundled = result.outputFiles[0].text;
  return `${banner}\n${lowerScript(bundled, level, "genloop.js")}`;
}
