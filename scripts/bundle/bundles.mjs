// The single-file bundles for engines without a module system, built in memory:
//   1. esbuild bundles one entry into one IIFE without lowering anything (below es2018 esbuild
//      would rewrite `yield*` through a helper that uses Promise);
//   2. TypeScript lowers that one file: to ES2015, or to ES5 with --downlevelIteration, which
//      compiles generators to state machines (its helpers are emitted once for the whole file);
//      the "hermes" level is the ES2015 text with what Hermes 0.12 cannot run lowered by Babel
//      (see `lowerForHermes`), its generators kept native;
//   3. the minified variants are that lowered text minified by esbuild at the same level.
// Each level has a whole-API bundle (global `genloop`: the package's main entry, plus the
// host-independent subpaths genloop/channels, genloop/schedules and genloop/trace as `genloop.channels`,
// `genloop.schedules` and `genloop.trace`, since an engine without a module system has no other way to get them)
// and per-area bundles: a core bundle (global `genloop`: lib/*.ts and lib/effects, plus
// RealClock, which the loop uses by default) and one bundle per area that adds the area's
// exports to the global `genloop` the core defined (subpaths as a namespace). An area
// bundle shares the core's classes (the core exposes its modules as `genloop._modules`); an
// engine loads the core, then only the areas it uses.
// The ES5 bundles also get private Map/Set/Array.from fallbacks (es5-shims.js) for engines
// without ES2015 collections (Duktape, mujs); engines that have them use their own.
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import babel from "@babel/core";
import blockScoping from "@babel/plugin-transform-block-scoping";
import classes from "@babel/plugin-transform-classes";
import newTarget from "@babel/plugin-transform-new-target";
import * as esbuild from "esbuild";
import ts from "typescript";

const root = fileURLToPath(new URL("../..", import.meta.url));
const banner = "/* genloop: asyncio's concurrency model on plain generators. MIT license. */";

/**
 * Each bundle level: the file suffix, the ECMAScript level its syntax parses at, TypeScript's
 * target for it, and (`lacks`) the ES2015 syntax its engines cannot run, which the static check
 * rejects. "hermes" is for engines with native generators but no `class` and no block scopes
 * (Hermes 0.12: it refuses a file with `class` in it, and its `let`/`const` are function-scoped
 * `var`s, so a shadowing `let` overwrites the outer one and closures in a loop share one binding).
 */
export const bundles = {
  es2015: { ecmaVersion: 2015, target: ts.ScriptTarget.ES2015, suffix: "iife", lacks: [] },
  hermes: { ecmaVersion: 2015, target: ts.ScriptTarget.ES2015, suffix: "hermes", lacks: ["class", "let", "const", "super"] },
  es5: { ecmaVersion: 5, target: ts.ScriptTarget.ES5, suffix: "es5", lacks: [] },
};

/** The areas that have their own bundle, attaching to the core's global `genloop`. */
export const areas = ["compose", "sync", "policies", "hosts", "channels", "schedules", "trace"];
/** Areas that are subpaths of the package: attached as a namespace (`genloop.channels`, `genloop.schedules`, `genloop.trace`). */
const namespaced = ["channels", "schedules", "trace"];
/** The bundle parts: the whole API, the core, and each area. */
export const parts = ["all", "core", ...areas];

/** The file of one bundle: `part` of `parts`, minified or readable. */
export function bundleFile(level, part = "all", minified = false) {
  const name = part === "all" ? "genloop" : `genloop.${part}`;
  return `dist/${name}.${bundles[level].suffix}${minified ? ".min" : ""}.js`;
}

/** Every bundle file `npm run build` writes: [{ level, part, minified, file }]. */
export function allBundleFiles() {
  const out = [];
  for (const level of Object.keys(bundles)) {
    for (const part of parts) {
      for (const minified of [false, true]) out.push({ level, part, minified, file: bundleFile(level, part, minified) });
    }
  }
  return out;
}

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
  return level === "hermes" ? lowerForHermes(out.outputText, fileName) : out.outputText;
}

/**
 * ES2015 text made runnable by Hermes 0.12, lowering only what it lacks (found by running it):
 * classes become constructor functions (with `new.target`, which a constructor called as
 * `Base.call(this)` no longer has), and `let`/`const` become `var`s, renamed where one would
 * shadow another and given a function per iteration where a closure captures a loop's binding.
 * Generators, arrows, for-of, destructuring and the rest stay native.
 *
 * Classes are lowered in Babel's loose mode: methods are plain prototype properties and a
 * subclass calls `Base.call(this, …)`, as in TypeScript's ES5 output, so a constructor can be
 * called without `new` by a hand-written subclass (`function MyPolicy() { TaskPolicy.call(this); }`,
 * the only way to subclass in an engine without `class`), which spec mode forbids. Subclasses of
 * `Error` (GenloopError) still get the right prototype: Babel wraps the native `Error`.
 */
function lowerForHermes(code, fileName) {
  const out = babel.transformSync(code, {
    filename: fileName,
    babelrc: false,
    configFile: false,
    sourceType: "script",
    compact: false,
    plugins: [[classes, { loose: true }], newTarget, blockScoping],
  });
  return out.code;
}

// The core's modules, by path relative to lib/ without extension ("future", "effects/sleep"):
// what the core bundle exposes as `genloop._modules` and what area bundles take from there.
// The core is lib/*.ts, lib/effects/, lib/graph/ and lib/features/ (other folders are areas or entry points of their own).
function coreModules() {
  const list = [];
  for (const dir of ["", "effects", "graph", "features"]) {
    for (const file of readdirSync(join(root, "lib", dir))) {
      const path = dir ? `${dir}/${file}` : file;
      if (path.endsWith(".ts") && !path.endsWith(".d.ts") && path !== "index.ts" && path !== "core.ts" && path !== "graph/index.ts") list.push(path.slice(0, -3));
    }
  }
  return [...list, "hosts/real-clock"];
}

// The entry of each part, as source text resolved from lib/.
function entrySource(part) {
  const subpaths = namespaced.map((a) => `export * as ${a} from "./${a}/index.ts";`).join("\n");
  if (part === "all") return `export * from "./index.ts";\n${subpaths}`;
  const modules = coreModules();
  if (part === "core") {
    const imports = modules.map((m, i) => `import * as m${i} from "./${m}.ts";`).join("\n");
    const table = modules.map((m, i) => `  ${JSON.stringify(m)}: m${i},`).join("\n");
    return `export * from "./index.ts";\n${imports}\n/** @internal The core's modules, shared with the area bundles. */\nexport const _modules = {\n${table}\n};`;
  }
  if (namespaced.includes(part)) return `import * as area from "./${part}/index.ts";\ngenloop.${part} = area;`;
  return `import * as area from "./${part}/index.ts";\nfor (var name in area) genloop[name] = area[name];`;
}

// Only the core's public exports (the whole-API entry minus the areas) go into the core bundle.
const coreOnly = {
  name: "core-only",
  setup(build) {
    build.onLoad({ filter: /[\\/]lib[\\/]index\.ts$/ }, async (args) => {
      const { readFile } = await import("node:fs/promises");
      const text = await readFile(args.path, "utf8");
      const kept = text.split("\n").filter((line) => !areas.some((a) => line.includes(`from "./${a}/index.js"`)));
      return { contents: kept.join("\n"), loader: "ts" };
    });
  },
};

// In an area bundle, every import of a core module reads it from the core bundle's `_modules`
// (the first such read, before any of the area's code runs, checks that the core is there).
const fromCore = (part) => ({
  name: "from-core",
  setup(build) {
    const modules = new Set(coreModules());
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind === "entry-point" || args.resolveDir === "") return undefined;
      const target = relative(join(root, "lib"), join(args.resolveDir, args.path)).replace(/\\/g, "/").replace(/\.js$/, "");
      if (!modules.has(target)) return undefined;
      return { path: target, namespace: "genloop-core" };
    });
    build.onLoad({ filter: /.*/, namespace: "genloop-core" }, (args) => ({
      contents:
        `if (typeof genloop === "undefined" || !genloop._modules) throw new Error("genloop.${part}: load the genloop core bundle (genloop.core.*.js) before this one");\n` +
        `module.exports = genloop._modules[${JSON.stringify(args.path)}];`,
      loader: "js",
    }));
  },
});

/** The text of one bundle (`level` one of `bundles`; `part` one of `parts`), optionally minified. */
export async function buildBundle(level, { part = "all", minify = false } = {}) {
  const es5 = level === "es5";
  const isArea = areas.includes(part);
  const result = await esbuild.build({
    absWorkingDir: root,
    stdin: { contents: entrySource(part), resolveDir: join(root, "lib"), sourcefile: `genloop-${part}.ts`, loader: "ts" },
    bundle: true,
    write: false,
    format: "iife",
    globalName: isArea ? undefined : "genloop",
    target: "esnext",
    platform: "neutral",
    plugins: part === "core" ? [coreOnly] : isArea ? [fromCore(part)] : [],
    inject: es5 ? ["scripts/bundle/es5-shims.js"] : [],
    define: es5 ? { "Array.from": "__genloopArrayFrom" } : {},
    logLevel: "warning",
  });
  let text = lowerScript(result.outputFiles[0].text, level, "genloop.js");
  // Babel puts its class helpers at the top of the script: a function keeps them out of the global scope.
  if (level === "hermes") text = isArea ? `(function () {\n${text}\n})();` : `var genloop = (function () {\n${text}\nreturn genloop;\n})();`;
  const lowered = `${banner}\n${text}`;
  if (!minify) return lowered;
  // Not "es2015" for the ES2015 level: esbuild would rewrite `yield*` through a Promise helper
  // (the static check parses the result as ES2015, so no later syntax gets in unnoticed).
  const min = await esbuild.transform(lowered, { minify: true, target: es5 ? "es5" : "es2018", legalComments: "inline" });
  return min.code;
}
