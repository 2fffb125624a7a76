// Side-by-side: two builds of genloop in ONE engine instance, alternating, so that a loaded
// machine slows both alike and the ratio stays meaningful (separate runs under load are not
// comparable). Used to decide whether a change to the core is kept, on V8 and on JSC.
//
//   node bench/side-by-side/run.mjs <A> <B> [--engine node|jsc|quickjs|hermes] [--only cancel,gather] [--rounds 21] [--scale 1] [--both-orders]
//
// A and B are git revisions (a commit, a branch, main~1) or "." for the working tree's lib/.
// Prints, per workload, both rates and the ratio B/A (above 1: B is faster). On node it also
// measures the heap per task suspended on a long sleep, in fresh processes (5 each). Hermes (0.12,
// from the hermes-engine-cli dev dependency) runs the program lowered as genloop.hermes.js is
// (`lowerScript(code, "hermes")`: native generators, no classes).
// The build given first tends to win by a few percent to ×1.3 on a loaded machine, although the
// rounds alternate which runs first (it is loaded and compiled first): --both-orders runs the
// comparison a second time with the builds swapped, in a new engine instance, and also prints
// each ratio from both runs and their geometric mean, which that bias cancels out of.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args.splice(i, 2)[1];
};
const engine = option("engine", "node");
const only = option("only", null);
const rounds = Number(option("rounds", "21"));
const scale = Number(option("scale", engine === "quickjs" || engine === "hermes" ? "0.2" : "1"));
const bothOrdersAt = args.indexOf("--both-orders");
const bothOrders = bothOrdersAt !== -1;
if (bothOrders) args.splice(bothOrdersAt, 1);
if (args.length !== 2 || !["node", "jsc", "quickjs", "hermes"].includes(engine) || !(rounds >= 1) || !(scale > 0)) {
  console.error("usage: node bench/side-by-side/run.mjs <A> <B> [--engine node|jsc|quickjs|hermes] [--only cancel,gather] [--rounds 21] [--scale 1] [--both-orders]");
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), "genloop-side-by-side-"));
/** The lib/ folder of `rev` ("." is the working tree), copied under the temporary folder. */
function libOf(rev, name) {
  const dir = join(work, name);
  mkdirSync(dir);
  if (rev === ".") cpSync(join(root, "lib"), join(dir, "lib"), { recursive: true });
  else execFileSync("sh", ["-c", `git -C "${root}" archive "${rev}" lib | tar -x -C "${dir}"`]);
  return join(dir, "lib");
}
/** The package's own compiler settings (no define semantics for class fields), as the builds use. */
const bundle = (lib, globalName) =>
  buildSync({
    entryPoints: [join(lib, "index.ts")],
    bundle: true,
    format: "iife",
    globalName,
    target: "es2020",
    platform: "neutral",
    write: false,
    logLevel: "error",
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
  }).outputFiles[0].text;

try {
  const libs = [libOf(args[0], "a"), libOf(args[1], "b")];
  const bundles = [bundle(libs[0], "GA"), bundle(libs[1], "GB")];
  const forward = await compare(args[0], args[1], bundles[0], bundles[1]);
  if (bothOrders) {
    const swapped = await compare(args[1], args[0], bundle(libs[1], "GA"), bundle(libs[0], "GB"));
    printBothOrders(forward, swapped);
  }
  if (engine === "node" && (only === null || only.split(",").includes("heap"))) heap(libs);
} finally {
  rmSync(work, { recursive: true, force: true });
}

/**
 * Runs the driver on the bundles `ga` (global GA) and `gb` (global GB) in one engine instance,
 * prints its table, and returns its statistics: { workload: { medians, paired, bests } }, B/A.
 */
async function compare(nameA, nameB, ga, gb) {
  const settings =
    `var ROUNDS = ${rounds}; var SCALE = ${scale}; var EMIT_JSON = true;` +
    (only === null ? "" : ` var ONLY = ${JSON.stringify(only.split(","))};`) + "\n";
  const script =
    settings + ga + "\n" + gb + "\n" +
    `var WORKLOADS_SRC = ${JSON.stringify(readFileSync(join(here, "workloads.js"), "utf8"))};\n` +
    readFileSync(join(here, "driver.js"), "utf8");
  console.log(`A = ${nameA}, B = ${nameB}, ${engine}, ${rounds} rounds, scale ${scale}`);
  let output;
  if (engine === "quickjs") output = await runQuickJS(script);
  else {
    const file = join(work, "side-by-side.js");
    writeFileSync(file, engine === "hermes" ? (await import("../../scripts/bundle/bundles.mjs")).lowerScript(script, "hermes") : script);
    const command = engine === "node" ? process.execPath : engine === "hermes" ? join(root, "node_modules/hermes-engine-cli/linux64-bin/hermes") : "jsc";
    const r = spawnSync(command, [file], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 24 });
    if (r.status !== 0) {
      process.stdout.write(r.stdout ?? "");
      process.exit(r.status ?? 1);
    }
    output = r.stdout.split("\n");
  }
  let stats = null;
  for (const line of output) {
    if (line.startsWith("JSON:")) stats = JSON.parse(line.slice(5));
    else if (line !== "") console.log(line);
  }
  if (stats === null) throw new Error("side-by-side: the driver printed no statistics");
  return stats;
}

/** Each ratio B/A from the first run and from the swapped one (inverted), and their geometric mean. */
function printBothOrders(forward, swapped) {
  const cell = (f, s) => `${f.toFixed(3)} / ${(1 / s).toFixed(3)} → ${Math.sqrt(f / s).toFixed(3)}`;
  const pad = (text, n) => String(text).padEnd(n);
  console.log(`\nB = ${args[1]} against A = ${args[0]}, both orders (first run / swapped run → geometric mean):`);
  console.log(pad("workload", 14) + pad("B/A of medians", 30) + pad("median of paired B/A", 30) + "B/A of bests");
  for (const name of Object.keys(forward)) {
    const f = forward[name], s = swapped[name];
    console.log(pad(name, 14) + pad(cell(f.medians, s.medians), 30) + pad(cell(f.paired, s.paired), 30) + cell(f.bests, s.bests));
  }
}

/** Bytes per task suspended on `yield* sleep(1e9)`: heapUsed growth after full collections, 100 000 tasks. */
function heap(libs) {
  const probe = (lib) => {
    const file = join(work, `heap-${lib === libs[0] ? "a" : "b"}.js`);
    writeFileSync(
      file,
      bundle(lib, "G") +
        `
const used = () => { for (let i = 0; i < 4; i++) gc(); return process.memoryUsage().heapUsed; };
function* sleeper() { yield* G.sleep(1e9); }
G.run((function* () {
  const before = used();
  for (let i = 0; i < 100000; i++) G.createTask(sleeper());
  yield* G.sleep(0);
  console.log((used() - before) / 100000);
  process.exit(0);
})(), { clock: new G.VirtualClock() });
`,
    );
    return Number(execFileSync(process.execPath, ["--expose-gc", file], { encoding: "utf8" }).trim());
  };
  const a = [], b = [];
  for (let i = 0; i < 5; i++) {
    a.push(probe(libs[0]));
    b.push(probe(libs[1]));
  }
  const median = (xs) => xs.slice().sort((x, y) => x - y)[2];
  console.log(`heap per suspended task: A ${median(a).toFixed(0)} B, B ${median(b).toFixed(0)} B (medians of 5 processes each)`);
}

/** Runs `code` in QuickJS (WebAssembly) and returns the lines it printed. */
async function runQuickJS(code) {
  const { newQuickJSWASMModuleFromVariant } = await import("quickjs-emscripten-core");
  const variant = (await import("@jitl/quickjs-wasmfile-release-sync")).default;
  const module = await newQuickJSWASMModuleFromVariant(variant);
  const runtime = module.newRuntime();
  const context = runtime.newContext();
  const { evalWithPrint } = await import("../../scripts/engines/harness.mjs");
  try {
    const { lines, error } = evalWithPrint(context, code, "side-by-side.js");
    if (error !== null) {
      console.error(error);
      process.exit(1);
    }
    return lines;
  } finally {
    context.dispose();
    runtime.dispose();
  }
}
