// `npm run engines`: runs the engine conformance program in every restricted engine and the
// static checks of both bundles (from dist/, so run `npm run build` first), and prints a table.
// Engines that are not installed are reported as skipped (scripts/install-engines.sh installs
// them on Debian). Exits non-zero if a required engine fails or is missing under CI (CI=1), or
// if an optional one (rhino, mujs) that is installed fails.
//   node scripts/engines.mjs [engine ...]    e.g. node scripts/engines.mjs jsc duktape
import { existsSync } from "node:fs";
import { bundles } from "./bundle/bundles.mjs";
import { bundleText, engines, formatTable, runEngine, staticCheck } from "./engines/harness.mjs";

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !engines.some((e) => e.name === name));
if (unknown.length > 0) {
  console.error(`unknown engine(s): ${unknown.join(", ")}; known: ${engines.map((e) => e.name).join(", ")}`);
  process.exit(2);
}
for (const { file } of Object.values(bundles)) {
  if (!existsSync(file)) {
    console.error(`${file} is missing: run npm run build first`);
    process.exit(2);
  }
}

const rows = [];
for (const level of Object.keys(bundles)) {
  const start = Date.now();
  const problems = staticCheck(await bundleText(level, true), level);
  rows.push({ engine: "static check", build: level, status: problems.length === 0 ? "pass" : "fail", passed: problems.length === 0 ? 1 : 0, total: 1, ms: Date.now() - start, problems });
}
for (const engine of engines.filter((e) => wanted.length === 0 || wanted.includes(e.name))) {
  rows.push({ ...(await runEngine(engine, { fromDist: true })), optional: Boolean(engine.optional) });
}

console.log(formatTable(rows));
let failed = false;
for (const row of rows) {
  if (row.problems.length === 0) continue;
  const bad = row.status === "fail" || (row.status === "skipped" && !row.optional && process.env.CI);
  if (bad) failed = true;
  console.log(`\n${row.engine} (${row.build}) ${row.status}:\n  ${row.problems.join("\n  ")}`);
}
process.exit(failed ? 1 : 0);
