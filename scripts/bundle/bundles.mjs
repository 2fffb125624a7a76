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
// and per-part bundles for an engine that loads only what it uses: a core bundle (global `genloop`:
// what genloop/core is, the runtime without the loop's optional features; see partsLayout), a
// features bundle that installs those features on the core's loop and adds the rest of the main
// entry, and one bundle per area that adds the area's exports to the global `genloop` the core
// defined (subpaths as a namespace). The parts share one copy of each module through
// `genloop._modules`; each checks, before anything of it runs, that the parts it needs are loaded.
// The ES5 bundles also get private Map/Set/Array.from fallbacks (es5-shims.js) for engines
// without ES2015 collections (Duktape, mujs); engines that have them use their own.
import { readdirSync, readFileSync } from "node:fs";
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
/**
 * An expression: a plain object with the properties of the namespace `from` (an expression), as
 * data properties. esbuild's namespaces are getters, which an interpreter calls at each read
 * (`genloop.sleep`); the globals the bundles define are plain objects instead.
 */
const plainCopy = (from) => `(function (namespace) { var plain = {}; for (var name in namespace) plain[name] = namespace[name]; return plain; })(${from})`;
/** The bundle parts: the whole API, the core, the loop's optional features, and each area. */
export const parts = ["all", "core", "features", ...areas];

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

/**
 * Lowers one script (a bundle, a test program) to the bundle's level, as the bundle itself is.
 * `nativeAsync` keeps async functions as they are (ES2017) rather than TypeScript's emulation on
 * generators, for a program that measures the engine's own async/await (not at the ES5 level).
 */
export function lowerScript(code, level, fileName = "script.js", { nativeAsync = false } = {}) {
  if (nativeAsync && level === "es5") throw new Error("lowerScript: the ES5 level has no native async functions");
  const { target } = bundles[level];
  const out = ts.transpileModule(code, {
    fileName,
    compilerOptions: {
      target: nativeAsync ? ts.ScriptTarget.ES2017 : target,
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
 * `Error` (GenloopError) still get the right prototype: Babel wraps the native `Error`. Loose
 * mode is also the faster one in Hermes: against spec mode (a class-call check in every
 * constructor, subclass constructors through `Reflect.construct`), gather ran ×1.0–1.2 and
 * cancel ×1.1–1.25 faster relative to the raw generator loop in two alternating runs of
 * `npm run bench -- engines:hermes`; the switch was level.
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

// ---- Which module goes into which part ----
// A module is named by its path relative to lib/ without extension ("future", "effects/sleep").
// The core holds every module genloop/core (lib/core.ts) reaches (RealClock's among them: it is the
// loop's default clock) and exposes them all as `genloop._modules`. The features part holds the rest of the main entry outside the areas: the
// loop's optional features (lib/features/, which it also exposes on `genloop._modules`) and what
// genloop/core leaves out of the API (call, callback, custom effects, context variables, the call
// graph, eager task factories). An area bundle holds its area, and takes each core module and each
// module of lib/features/ from `genloop._modules` (an area that needs lib/features/ needs the
// features part loaded first). A module that more than one of the features and area parts hold
// (the call graph's operation hooks, the helpers sync shares with channels, policies and
// schedules) runs once: the first part loaded defines it on `genloop._modules`, the later ones
// take that one instead of running their copy. A cycle of such modules is defined as one unit.

const libDir = join(root, "lib");
/** The module name of a file under lib/. */
const moduleOf = (file) => relative(libDir, file).replace(/\\/g, "/").replace(/\.[jt]s$/, "");
/** The file of a module. */
const fileOf = (module) => join(libDir, `${module}.ts`);
/** The modules of lib/features/: the loop's optional features, which only the features part carries. */
const isFeature = (module) => module.startsWith("features/");

// The main entry's export (and import) declarations outside the areas, split by where their
// module lives: the core's global gets those of core modules, the features part the rest.
function mainEntryDeclarations(core) {
  const text = readFileSync(join(libDir, "index.ts"), "utf8");
  const source = ts.createSourceFile("index.ts", text, ts.ScriptTarget.Latest, true);
  const out = { core: [], features: [] };
  for (const statement of source.statements) {
    if (!(ts.isExportDeclaration(statement) || ts.isImportDeclaration(statement)) || statement.moduleSpecifier === undefined) continue;
    const module = moduleOf(join(libDir, statement.moduleSpecifier.text));
    if (areas.some((a) => module === `${a}/index`)) continue;
    out[core.has(module) ? "core" : "features"].push(statement.getText());
  }
  return out;
}

/**
 * The modules one entry (source text resolved from lib/) reaches without entering a module that
 * `cut` says comes from elsewhere: { modules, edges: [from, to][], cutReached: Set }.
 */
async function reach(contents, cut) {
  const result = await esbuild.build({
    absWorkingDir: root,
    stdin: { contents, resolveDir: libDir, sourcefile: "<reach>", loader: "ts" },
    bundle: true,
    write: false,
    metafile: true,
    format: "esm",
    platform: "neutral",
    logLevel: "silent",
    plugins: [
      {
        name: "cut",
        setup(build) {
          build.onResolve({ filter: /^\.\.?\// }, (args) => {
            const module = moduleOf(join(args.resolveDir, args.path));
            return cut(module) ? { path: `cut:${module}`, external: true } : undefined;
          });
        },
      },
    ],
  });
  const modules = new Set();
  const edges = [];
  const cutReached = new Set();
  for (const [file, { imports }] of Object.entries(result.metafile.inputs)) {
    if (!file.startsWith("lib/") || !file.endsWith(".ts")) continue; // not the entry
    const from = moduleOf(join(root, file));
    modules.add(from);
    for (const { path, external } of imports) {
      if (external) cutReached.add(path.slice("cut:".length));
      else edges.push([from, moduleOf(join(root, path))]);
    }
  }
  return { modules, edges, cutReached };
}

/** The strongly connected components of a directed graph (Tarjan): a Map from each node to its component (an array). */
function components(nodes, edges) {
  const next = new Map([...nodes].map((n) => [n, []]));
  for (const [from, to] of edges) if (next.has(from) && next.has(to)) next.get(from).push(to);
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const out = new Map();
  const visit = (node) => {
    index.set(node, index.size);
    low.set(node, index.get(node));
    stack.push(node);
    onStack.add(node);
    for (const to of next.get(node)) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node), low.get(to)));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node), index.get(to)));
    }
    if (low.get(node) === index.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      component.sort();
      for (const m of component) out.set(m, component);
    }
  };
  for (const node of nodes) if (!index.has(node)) visit(node);
  return out;
}

const featureModules = () =>
  readdirSync(join(libDir, "features"))
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) => `features/${f.slice(0, -3)}`);

let layoutPromise = null;
/**
 * Where each module goes: { core: the core's modules, declarations: mainEntryDeclarations,
 * needs: part -> the parts it needs loaded before it, shared: the modules more than one part
 * holds, unit: shared module -> the modules defined together with it (its import cycle) }.
 */
export function partsLayout() {
  layoutPromise ??= (async () => {
    const { modules: reached } = await reach('export * from "./core.ts";', () => false);
    const core = new Set([...reached].filter((m) => m !== "core"));
    const declarations = mainEntryDeclarations(core);
    const needs = { core: [], features: ["core"] };
    const held = new Map(); // module -> how many of the non-core parts hold it
    const allEdges = [];
    const count = ({ modules, edges }) => {
      for (const m of modules) held.set(m, (held.get(m) ?? 0) + 1);
      allEdges.push(...edges);
    };
    count(await reach(featuresAnalysisSource(declarations), (m) => core.has(m)));
    for (const area of areas) {
      const graph = await reach(`export * from "./${area}/index.ts";`, (m) => core.has(m) || isFeature(m));
      needs[area] = [...graph.cutReached].some(isFeature) ? ["core", "features"] : ["core"];
      count(graph);
    }
    const shared = new Set([...held].filter(([, n]) => n > 1).map(([m]) => m));
    return { core, declarations, needs, shared, unit: components(shared, allEdges) };
  })();
  return layoutPromise;
}

const featuresAnalysisSource = (declarations) =>
  [...declarations.features, ...featureModules().map((m) => `import "./${m}.ts";`)].join("\n");

// The entry of each part, as source text resolved from lib/.
function entrySource(part, layout) {
  const subpaths = namespaced.map((a) => `export * as ${a} from "./${a}/index.ts";`).join("\n");
  if (part === "all") return `export * from "./index.ts";\n${subpaths}`;
  const table = (modules) => modules.map((m, i) => `import * as m${i} from "./${m}.ts";`).join("\n");
  if (part === "core") {
    const modules = [...layout.core].sort();
    const entries = modules.map((m, i) => `  ${JSON.stringify(m)}: m${i},`).join("\n");
    return (
      `${layout.declarations.core.join("\n")}\nexport { RealClock } from "./hosts/real-clock.ts";\n${table(modules)}\n` +
      `/** @internal The core's modules, shared with the other parts. */\nexport const _modules = {\n${entries}\n};`
    );
  }
  if (part === "features") {
    const modules = featureModules();
    const entries = modules.map((m, i) => `genloop._modules[${JSON.stringify(m)}] = m${i};`).join("\n");
    return `import * as api from "genloop-features-api";\n${table(modules)}\n${entries}\nfor (var name in api) genloop[name] = api[name];`;
  }
  if (namespaced.includes(part)) return `import * as area from "./${part}/index.ts";\ngenloop.${part} = ${plainCopy("area")};`;
  return `import * as area from "./${part}/index.ts";\nfor (var name in area) genloop[name] = area[name];`;
}

// What a part checks before anything of it runs: that the parts it needs are loaded.
function loadCheck(part, layout) {
  const lines = [`if (typeof genloop === "undefined" || !genloop._modules) throw new Error("genloop.${part}: load the genloop core bundle (genloop.core.*.js) before this one");`];
  if (part === "features") lines.push(`if (genloop._modules["features/index"]) throw new Error("genloop.features: this bundle is loaded already");`);
  else if (layout.needs[part].includes("features")) {
    lines.push(`if (!genloop._modules["features/index"]) throw new Error("genloop.${part}: load the genloop features bundle (genloop.features.*.js) after the core and before this one");`);
  }
  return lines.join("\n");
}

// In the features and area parts: each import of a core module (and, in an area, of a module of
// lib/features/) reads it from `genloop._modules`; each import of a shared module defines its unit
// there unless an earlier part did, then reads it from there.
const partModules = (part, layout) => ({
  name: "part-modules",
  setup(build) {
    build.onResolve({ filter: /^genloop-features-api$/ }, () => ({ path: "api", namespace: "genloop-features-api" }));
    build.onLoad({ filter: /.*/, namespace: "genloop-features-api" }, () => ({ contents: layout.declarations.features.join("\n"), resolveDir: libDir, loader: "ts" }));
    build.onResolve({ filter: /^genloop-own:/ }, (args) => ({ path: fileOf(args.path.slice("genloop-own:".length)) }));
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind === "entry-point" || args.resolveDir === "") return undefined;
      const module = moduleOf(join(args.resolveDir, args.path));
      if (layout.core.has(module) || (part !== "features" && isFeature(module))) return { path: module, namespace: "genloop-loaded" };
      if (!layout.shared.has(module)) return undefined;
      const importer = args.namespace === "file" && args.importer.startsWith(libDir) ? moduleOf(args.importer) : null;
      // Within a unit (a cycle), modules import each other directly, as ES modules do.
      if (importer !== null && layout.unit.get(module).includes(importer)) return { path: fileOf(module) };
      return { path: module, namespace: "genloop-shared" };
    });
    build.onLoad({ filter: /.*/, namespace: "genloop-loaded" }, (args) => ({
      contents: `module.exports = genloop._modules[${JSON.stringify(args.path)}];`,
      loader: "js",
    }));
    build.onLoad({ filter: /.*/, namespace: "genloop-shared" }, (args) => {
      const define = layout.unit.get(args.path).map((m) => `  modules[${JSON.stringify(m)}] = require(${JSON.stringify(`genloop-own:${m}`)});`);
      return {
        contents: `var modules = genloop._modules;\nif (!modules[${JSON.stringify(args.path)}]) {\n${define.join("\n")}\n}\nmodule.exports = modules[${JSON.stringify(args.path)}];`,
        loader: "js",
      };
    });
  },
});

/** The text of one bundle (`level` one of `bundles`; `part` one of `parts`), optionally minified. */
export async function buildBundle(level, { part = "all", minify = false } = {}) {
  const es5 = level === "es5";
  const layout = part === "all" ? null : await partsLayout();
  // The whole API and the core define the global `genloop`; the other parts add to it.
  const definesGlobal = part === "all" || part === "core";
  const result = await esbuild.build({
    absWorkingDir: root,
    stdin: { contents: entrySource(part, layout), resolveDir: libDir, sourcefile: `genloop-${part}.ts`, loader: "ts" },
    bundle: true,
    write: false,
    format: "iife",
    globalName: definesGlobal ? "genloop" : undefined,
    banner: definesGlobal ? undefined : { js: loadCheck(part, layout) },
    target: "esnext",
    platform: "neutral",
    plugins: definesGlobal ? [] : [partModules(part, layout)],
    inject: es5 ? ["scripts/bundle/es5-shims.js"] : [],
    define: es5 ? { "Array.from": "__genloopArrayFrom" } : {},
    logLevel: "warning",
  });
  let text = lowerScript(result.outputFiles[0].text, level, "genloop.js");
  // The global and its subpath namespaces as plain objects (see plainCopy).
  if (definesGlobal) {
    text += `\ngenloop = ${plainCopy("genloop")};`;
    if (part === "all") for (const a of namespaced) text += `\ngenloop.${a} = ${plainCopy(`genloop.${a}`)};`;
  }
  // TypeScript's ES5 helpers (__extends, __generator, …) and Babel's class helpers go at the top
  // of the script, before the load check of a part: a function keeps them out of the global scope,
  // so a bundle adds nothing to it but `genloop`, even when it throws. (TypeScript's helpers still
  // reuse a global helper of the same name where a host defined one, as any script it emits does.)
  if (level !== "es2015") text = definesGlobal ? `var genloop = (function () {\n${text}\nreturn genloop;\n})();` : `(function () {\n${text}\n})();`;
  const lowered = `${banner}\n${text}`;
  if (!minify) return lowered;
  // Not "es2015" for the ES2015 level: esbuild would rewrite `yield*` through a Promise helper
  // (the static check parses the result as ES2015, so no later syntax gets in unnoticed).
  const min = await esbuild.transform(lowered, { minify: true, target: es5 ? "es5" : "es2018", legalComments: "inline" });
  return min.code;
}
