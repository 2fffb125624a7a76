// `npm run engines`: runs the engine conformance program in every restricted engine and the
// static checks of every bundle (from dist/, so run `npm run build` first), and prints a table.
// Engines that are not installed are reported as skipped (scripts/install-engines.sh installs
// the Debian ones, `npm ci` the npm ones). Exits non-zero if an engine that is installed fails,
// if a required engine is missing under CI (CI=1), or if any engine is missing under
// ENGINES_REQUIRE_ALL=1 (what .ci/run sets, after installing them all).
// Engines marked byHand (engine262's whole program, about half an hour) run only when named.
// With --write-docs, a full run rewrites the engine matrix in docs/embedding.md (generated region
// "engines"); otherwise a full run only says when that table is out of date.
//   node scripts/engines.mjs [--write-docs] [engine ...]    e.g. node scripts/engines.mjs jsc duktape
import { existsSync, readFileSync } from "node:fs";
import { allBundleFiles } from "./bundle/bundles.mjs";
import { readRegion, writeRegion } from "./docs/generated-region.mjs";
import { engines, formatTable, matrixTable, runEngine, staticCheck } from "./engines/harness.mjs";

const writeDocs = process.argv.includes("--write-docs");
const wanted = process.argv.slice(2).filter((a) => a !== "--write-docs");
const unknown = wanted.filter((name) => !engines.some((e) => e.name === name));
if (unknown.length > 0) {
  console.error(`unknown engine(s): ${unknown.join(", ")}; known: ${engines.map((e) => e.name).join(", ")}`);
  process.exit(2);
}
for (const { file } of allBundleFiles()) {
  if (!existsSync(file)) {
    console.error(`${file} is missing: run npm run build first`);
    process.exit(2);
  }
}

const rows = [];
for (const { level, file } of allBundleFiles()) {
  const start = Date.now();
  const problems = staticCheck(readFileSync(file, "utf8"), level);
  rows.push({ engine: `static check ${file.slice("dist/".length)}`, build: level, status: problems.length === 0 ? "pass" : "fail", passed: problems.length === 0 ? 1 : 0, total: 1, ms: Date.now() - start, problems });
}
for (const engine of engines.filter((e) => (wanted.length === 0 ? !e.byHand : wanted.includes(e.name)))) {
  rows.push({ ...(await runEngine(engine, { fromDist: true })), optional: Boolean(engine.optional) });
}

console.log(formatTable(rows));
if (wanted.length === 0) {
  const table = matrixTable(rows);
  if (writeDocs) console.log(`\nengine matrix written to ${writeRegion("engines", table).join(", ") || "(unchanged)"}`);
  else if (readRegion("engines")?.text !== table) console.log("\nthe engine matrix in docs/embedding.md is out of date: run node scripts/engines.mjs --write-docs");
}
let failed = false;
for (const row of rows) {
  if (row.problems.length === 0) continue;
  const bad = row.status === "fail" || (row.status === "skipped" && ((!row.optional && process.env.CI) || process.env.ENGINES_REQUIRE_ALL));
  if (bad) failed = true;
  console.log(`\n${row.engine} (${row.build}) ${row.status}:\n  ${row.problems.join("\n  ")}`);
}
process.exit(failed ? 1 : 0);
