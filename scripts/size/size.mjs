// Size budgets, measured with esbuild (minified, then gzip level 9) as a user's bundler would:
//   - "minimal program": scripts/size/minimal.js (run, spawn/createTask, sleep, gather,
//     cancellation) bundled from the built package (dist/esm, through package.json "exports"),
//     importing from genloop/core; "minimal program from genloop": the same program with its
//     import of genloop/core read as one of the main entry, which installs every optional feature;
//   - "whole API": every export of the main entry (scripts/size/whole-api.js);
//   - every minified bundle of dist/ (the whole-API IIFE bundles, the core and each area).
// budgets.json holds each entry's recorded size; an entry that grows more than 3 % past it
// fails (`npm test` runs this check, spec/size.spec.ts). Entries with a `limit` also fail above
// it. After an intended change: `node scripts/size/size.mjs --update` records the new sizes and
// rewrites the size tables of the docs (generated regions "sizes"; in docs/size.md "size-modules",
// the minimal program's bytes per module, and "size-areas", the whole API's bytes per area).
//   node scripts/size/size.mjs [--update] [--why]     (--why: the biggest inputs of the minimal program)
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import { allBundleFiles } from "../bundle/bundles.mjs";
import { markdownTable, writeRegion } from "../docs/generated-region.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const budgetsFile = join(root, "scripts/size/budgets.json");
/** How much an entry may grow past its recorded size before the check fails. */
export const tolerance = 0.03;

// Resolves "genloop" and "genloop/<entry>" through the package's own "exports" (import condition);
// with `coreAsMain`, "genloop/core" resolves as "genloop".
const genloopPackage = (coreAsMain = false) => ({
  name: "genloop-package",
  setup(build) {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    build.onResolve({ filter: /^genloop(\/.*)?$/ }, (args) => {
      const path = coreAsMain && args.path === "genloop/core" ? "genloop" : args.path;
      const key = path === "genloop" ? "." : `.${path.slice("genloop".length)}`;
      const target = pkg.exports[key]?.import?.default ?? pkg.exports[key]?.import;
      if (typeof target !== "string") return { errors: [{ text: `package.json has no "exports" entry ${key}` }] };
      return { path: join(root, target) };
    });
  },
});

/**
 * Bundles one program (a file of scripts/size, or an absolute path) the way a user's bundler
 * would, minified (unless `minify` is false): { code, metafile }. `coreAsMain`: its imports of
 * genloop/core read as "genloop".
 */
export async function bundleProgram(file, { coreAsMain = false, minify = true } = {}) {
  const result = await esbuild.build({
    entryPoints: [resolve(root, "scripts/size", file)],
    bundle: true,
    minify,
    format: "esm",
    target: "es2020",
    write: false,
    metafile: true,
    // As a production build for the browser: a peer's development-only checks go (redux-saga
    // reads process.env.NODE_ENV), and an import of a Node built-in stays out of the bundle
    // (Effection's main() loads node:process on demand). genloop uses neither.
    define: { "process.env.NODE_ENV": '"production"' },
    external: ["node:*"],
    plugins: [genloopPackage(coreAsMain)],
    logLevel: "warning",
  });
  return { code: result.outputFiles[0].contents, metafile: result.metafile };
}

/** Bundles one program as `bundleProgram` does; { bytes, gzip, metafile }. */
export async function measureProgram(file, options = {}) {
  const { code, metafile } = await bundleProgram(file, options);
  return { bytes: code.length, gzip: gzipSync(code, { level: 9 }).length, metafile };
}

/** Every budgeted entry, measured now: [{ name, what, bytes, gzip }]. Needs `npm run build` first. */
export async function measureAll() {
  const rows = [];
  const minimal = await measureProgram("minimal.js");
  rows.push({ name: "minimal program", what: "`run`, `spawn`/`createTask`, `sleep`, `gather`, cancellation, bundled from `genloop/core` with esbuild", bytes: minimal.bytes, gzip: minimal.gzip });
  const minimalMain = await measureProgram("minimal.js", { coreAsMain: true });
  rows.push({ name: "minimal program from genloop", what: "the same program importing from `genloop` (every optional feature installed)", bytes: minimalMain.bytes, gzip: minimalMain.gzip });
  const whole = await measureProgram("whole-api.js");
  rows.push({ name: "whole API", what: "every export of `genloop`, bundled with esbuild", bytes: whole.bytes, gzip: whole.gzip });
  for (const { file, minified } of allBundleFiles()) {
    if (!minified) continue;
    const code = readFileSync(join(root, file));
    rows.push({ name: file.slice("dist/".length), what: "minified bundle", bytes: code.length, gzip: gzipSync(code, { level: 9 }).length });
  }
  return rows;
}

/** The problems of `rows` against the recorded budgets (an empty list when all are within them). */
export function checkBudgets(rows, budgets) {
  const problems = [];
  for (const row of rows) {
    const budget = budgets[row.name];
    if (budget === undefined) {
      problems.push(`${row.name}: no recorded size (run node scripts/size/size.mjs --update)`);
      continue;
    }
    const allowed = Math.floor(budget.gzip * (1 + tolerance));
    if (row.gzip > allowed) {
      problems.push(
        `${row.name}: ${row.gzip} B min+gzip, more than 3 % over its recorded ${budget.gzip} B (at most ${allowed} B); ` +
          "find what grew with node scripts/size/size.mjs --why, or record an intended growth with --update",
      );
    }
    if (budget.limit !== undefined && row.gzip > budget.limit) {
      problems.push(`${row.name}: ${row.gzip} B min+gzip, over its limit of ${budget.limit} B`);
    }
  }
  return problems;
}

export function readBudgets() {
  return JSON.parse(readFileSync(budgetsFile, "utf8"));
}

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

/** The README's size table (Markdown) for measured rows and their budgets. */
export function sizeTable(rows, budgets) {
  return markdownTable(
    ["what", "minified", "min+gzip", "budget (min+gzip)"],
    rows.map((row) => {
      const budget = budgets[row.name];
      const limit = budget?.limit !== undefined ? `, limit ${kib(budget.limit)}` : "";
      const name = row.what === "minified bundle" ? `\`dist/${row.name}\`` : `${row.name}: ${row.what}`;
      return [name, kib(row.bytes), kib(row.gzip), budget ? `${kib(Math.floor(budget.gzip * (1 + tolerance)))}${limit}` : "-"];
    }),
  );
}

/** The minimal program's inputs, biggest first: [{ file, bytes }] (minified bytes each adds to the bundle). */
export async function minimalProgramInputs() {
  const { metafile } = await measureProgram("minimal.js");
  const inputs = Object.values(metafile.outputs)[0].inputs;
  return Object.entries(inputs)
    .map(([file, { bytesInOutput }]) => ({ file, bytes: bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes);
}

/** docs/size.md's table of the minimal program's bytes per module (Markdown). */
function modulesTable(inputs) {
  const total = inputs.reduce((sum, input) => sum + input.bytes, 0);
  const name = (file) => (file.startsWith("dist/esm/") ? `\`lib/${file.slice("dist/esm/".length).replace(/\.js$/, ".ts")}\`` : `\`${file}\``);
  return markdownTable(
    ["module", "minified bytes", "share"],
    [...inputs.map((input) => [name(input.file), String(input.bytes), `${((100 * input.bytes) / total).toFixed(1)} %`]), ["all", String(total), "100 %"]],
  );
}

/**
 * The whole API's minified bytes per area: [{ area, bytes }], biggest first. An area is a folder
 * of lib/ (compose, sync, graph, context, …); the files at lib/'s top level are "core".
 * `inputs` is an esbuild metafile output's inputs ({ file: { bytesInOutput } }).
 */
export function bytesPerArea(inputs) {
  const areas = new Map();
  for (const [file, { bytesInOutput }] of Object.entries(inputs)) {
    if (!file.startsWith("dist/esm/")) continue; // the program's own file
    const path = file.slice("dist/esm/".length);
    const area = path.includes("/") ? path.slice(0, path.indexOf("/")) : "core";
    areas.set(area, (areas.get(area) ?? 0) + bytesInOutput);
  }
  return [...areas].map(([area, bytes]) => ({ area, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/** docs/size.md's table of the whole API's bytes per area (Markdown). */
function areasTable(areas) {
  const total = areas.reduce((sum, a) => sum + a.bytes, 0);
  const name = (area) => (area === "core" ? "the core (`lib/*.ts`)" : `\`lib/${area}/\``);
  return markdownTable(
    ["area", "minified bytes", "share"],
    [...areas.map((a) => [name(a.area), String(a.bytes), `${((100 * a.bytes) / total).toFixed(1)} %`]), ["all", String(total), "100 %"]],
  );
}

async function main() {
  const args = process.argv.slice(2);
  const rows = await measureAll();
  const inputs = await minimalProgramInputs();
  if (args.includes("--why")) {
    for (const { file, bytes } of inputs) console.log(`${String(bytes).padStart(7)}  ${file}`);
  }
  let budgets = readBudgets();
  if (args.includes("--update")) {
    const next = {};
    for (const row of rows) next[row.name] = { gzip: row.gzip, ...(budgets[row.name]?.limit !== undefined ? { limit: budgets[row.name].limit } : {}) };
    writeFileSync(budgetsFile, JSON.stringify(next, null, 2) + "\n");
    budgets = next;
    console.log(`recorded ${budgetsFile}; size table written to ${writeRegion("sizes", sizeTable(rows, budgets)).join(", ") || "(unchanged)"}`);
    console.log(`modules of the minimal program written to ${writeRegion("size-modules", modulesTable(inputs)).join(", ") || "(unchanged)"}`);
    const { metafile } = await measureProgram("whole-api.js");
    const areas = bytesPerArea(Object.values(metafile.outputs)[0].inputs);
    console.log(`the whole API's areas written to ${writeRegion("size-areas", areasTable(areas)).join(", ") || "(unchanged)"}`);
  }
  for (const row of rows) console.log(`${row.name.padEnd(34)} ${String(row.bytes).padStart(7)} B  ${String(row.gzip).padStart(6)} B min+gzip`);
  const problems = checkBudgets(rows, budgets);
  for (const problem of problems) console.error(problem);
  process.exit(problems.length === 0 ? 0 : 1);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
