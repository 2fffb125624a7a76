// The demo commands (`npm start`, `npm run workflow`, `npm run search`): compiles only lib/ and
// examples/ (not the specs and benchmarks), incrementally, saying so, then runs the example.
//   node scripts/example.mjs <name> [args…]   runs examples/<name>.ts
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";

const [name, ...args] = process.argv.slice(2);
if (!name || !existsSync(`examples/${name}.ts`)) {
  console.error(`usage: node scripts/example.mjs <name> [args…], with examples/<name>.ts (got ${name ?? "nothing"})`);
  process.exit(2);
}
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const started = Date.now();
process.stderr.write("compiling lib/ and examples/ with tsc (tsconfig.examples.json; faster after the first time)… ");
const compile = spawnSync(process.execPath, [tsc, "-p", "tsconfig.examples.json"], { stdio: ["ignore", "inherit", "inherit"] });
if (compile.status !== 0) process.exit(compile.status ?? 1);
process.stderr.write(`done in ${((Date.now() - started) / 1000).toFixed(1)} s\n\n`);
const run = spawnSync(process.execPath, [`build/examples/${name}.js`, ...args], { stdio: "inherit" });
process.exit(run.status ?? 1);
