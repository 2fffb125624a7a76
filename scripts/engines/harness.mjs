// Runs the engine conformance program (spec/engines/conformance.ts) in restricted JavaScript
// engines, each with the bundle it uses, and statically checks both bundles. Used by
// scripts/engines.mjs (`npm run engines`, the whole matrix) and by spec/engines/*.spec.ts
// (Node vm, QuickJS and the static checks, which need no Debian packages).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import * as acorn from "acorn";
import { buildBundle, bundles, lowerScript } from "../bundle/bundles.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const hermes = join(root, "node_modules/hermes-engine-cli/linux64-bin/hermes");

// Removes what a restricted host lacks, so each engine runs genloop the way such hosts do.
const timerNames = '"setTimeout", "clearTimeout", "setInterval", "clearInterval", "setImmediate", "clearImmediate"';
const stripHost = (keepTimers) => `(function (g) {
  var names = ["Promise", "queueMicrotask"${keepTimers ? "" : `, ${timerNames}`}];
  for (var i = 0; i < names.length; i++) {
    try { delete g[names[i]]; } catch (e) {}
    try { if (typeof g[names[i]] !== "undefined") g[names[i]] = undefined; } catch (e) {}
  }
})(typeof globalThis !== "undefined" ? globalThis : this);
`;
// mujs has neither globalThis nor Symbol: a global object alias and a string Symbol.iterator key.
const mujsPrelude = `var globalThis = this;
if (typeof Symbol === "undefined") { var Symbol = function Symbol() {}; Symbol.iterator = "@@iterator"; }
`;

/**
 * The engines, the build each one uses, and how to run one self-contained script file.
 * `command` engines are external programs (skipped when not installed); the rest run in-process.
 */
export const engines = [
  { name: "node-vm", build: "es2015", inProcess: runInNodeVm },
  { name: "quickjs", build: "es2015", inProcess: runInQuickJS },
  { name: "jsc", build: "es2015", command: ["jsc"], install: "apt-get install libjavascriptcoregtk-4.0-bin" },
  { name: "hermes", build: "es5", command: [hermes, "-Xes6-promise=false"], install: "npm i -D hermes-engine-cli" },
  { name: "duktape", build: "es5", command: ["duk"], install: "apt-get install duktape" },
  { name: "rhino", build: "es5", command: ["rhino", "-version", "200"], install: "apt-get install rhino", optional: true },
  // The same shells again, keeping their own timers (still no Promise): the TimerDriver on them.
  { name: "jsc+timers", build: "es2015", command: ["jsc"], program: "host-timers", keepTimers: true, install: "apt-get install libjavascriptcoregtk-4.0-bin" },
  { name: "hermes+timers", build: "es5", command: [hermes, "-Xes6-promise=false"], program: "host-timers", keepTimers: true, install: "npm i -D hermes-engine-cli" },
  { name: "rhino+timers", build: "es5", command: ["rhino", "-version", "200"], program: "host-timers", keepTimers: true, install: "apt-get install rhino", optional: true },
  { name: "mujs", build: "es5", command: ["mujs"], prelude: mujsPrelude, install: "apt-get install mujs", optional: true },
];

const cache = new Map();
/** The bundle's text: dist/ when `fromDist` (what `npm run build` wrote), else built now from lib/. */
export async function bundleText(level, fromDist = false) {
  if (fromDist) return readFileSync(join(root, bundles[level].file), "utf8");
  if (!cache.has(level)) cache.set(level, await buildBundle(level));
  return cache.get(level);
}

/** An engine program (spec/engines/<name>.ts), lowered to the bundle's level. */
export function programText(level, name = "conformance") {
  const source = readFileSync(join(root, `spec/engines/${name}.ts`), "utf8");
  return lowerScript(source, level, `${name}.ts`);
}

function found(command) {
  if (command[0].includes("/")) return existsSync(command[0]);
  return spawnSync("sh", ["-c", `command -v ${command[0]}`]).status === 0;
}

/** Parses the program's output into a result row. */
function parse(engine, output, ms, error) {
  const lines = output.split(/\r?\n/).filter((l) => l.trim() !== "");
  const failures = lines.filter((l) => l.startsWith("not ok "));
  const done = lines.map((l) => /^done (\d+)\/(\d+)$/.exec(l)).find(Boolean);
  const passed = done ? Number(done[1]) : lines.filter((l) => l.startsWith("ok ")).length;
  const total = done ? Number(done[2]) : passed + failures.length;
  const ok = Boolean(done) && passed === total && !error;
  const problems = [...failures];
  if (!done) problems.push(`the program did not finish${error ? `: ${error}` : ""}`);
  else if (error) problems.push(String(error));
  return { engine: engine.name, build: engine.build, status: ok ? "pass" : "fail", passed, total, ms, problems, output };
}

/** Runs the conformance program in one engine; a row { engine, build, status, passed, total, ms, problems }. */
export async function runEngine(engine, { fromDist = false } = {}) {
  if (engine.command && !found(engine.command)) {
    return { engine: engine.name, build: engine.build, status: "skipped", passed: 0, total: 0, ms: 0, problems: [`not installed (${engine.install})`] };
  }
  const code =
    (engine.prelude ?? "") + stripHost(Boolean(engine.keepTimers)) + (await bundleText(engine.build, fromDist)) + "\n" + programText(engine.build, engine.program);
  const start = Date.now();
  if (engine.inProcess) {
    const { output, error } = await engine.inProcess(code);
    return parse(engine, output, Date.now() - start, error);
  }
  const dir = mkdtempSync(join(tmpdir(), "genloop-engine-"));
  try {
    const file = join(dir, "conformance.js");
    writeFileSync(file, code);
    const r = spawnSync(engine.command[0], [...engine.command.slice(1), file], { encoding: "utf8", timeout: 120000 });
    const error = r.error ? r.error.message : r.status !== 0 ? `exit status ${r.status}: ${(r.stderr || r.stdout).trim().split("\n").slice(-3).join(" | ")}` : null;
    return parse(engine, r.stdout ?? "", Date.now() - start, error);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runInNodeVm(code) {
  const lines = [];
  const context = vm.createContext({ print: (line) => lines.push(String(line)) });
  try {
    vm.runInContext(code, context, { filename: "conformance.js", timeout: 60000 });
    return { output: lines.join("\n"), error: null };
  } catch (error) {
    return { output: lines.join("\n"), error: String(error && error.stack ? error.stack : error) };
  }
}

let quickjsModule = null;
async function runInQuickJS(code) {
  const { newQuickJSWASMModuleFromVariant, DefaultIntrinsics } = await import("quickjs-emscripten-core");
  if (quickjsModule === null) {
    const variant = (await import("@jitl/quickjs-wasmfile-release-sync")).default;
    quickjsModule = await newQuickJSWASMModuleFromVariant(variant);
  }
  const lines = [];
  const context = quickjsModule.newContext({ intrinsics: { ...DefaultIntrinsics, Promise: false } });
  try {
    const print = context.newFunction("print", (handle) => {
      lines.push(context.getString(handle));
    });
    context.setProp(context.global, "print", print);
    print.dispose();
    const result = context.evalCode(code, "conformance.js", { type: "global" });
    let error = null;
    if (result.error) {
      error = JSON.stringify(context.dump(result.error));
      result.error.dispose();
    } else result.value.dispose();
    return { output: lines.join("\n"), error };
  } finally {
    context.dispose();
  }
}

const forbidden = ["Promise", "queueMicrotask", "setImmediate", "clearImmediate", "process", "window"];
const hostTimers = ["setTimeout", "clearTimeout", "setInterval", "clearInterval"];

/**
 * Static check of one bundle: it parses at its ECMAScript level (as a script) and contains no
 * async function, no await, no mention of Promise / queueMicrotask / setImmediate / process /
 * window as a name, and no reference to a global host timer (reading `setTimeout` as a property
 * of the global object, feature-detected by the timer driver, is allowed).
 */
export function staticCheck(code, level) {
  const problems = [];
  const parse = (ecmaVersion) => acorn.parse(code, { ecmaVersion, sourceType: "script", locations: true });
  try {
    parse(bundles[level].ecmaVersion);
  } catch (error) {
    problems.push(`does not parse as ECMAScript ${bundles[level].ecmaVersion}: ${error.message}`);
  }
  let ast;
  try {
    ast = parse("latest");
  } catch (error) {
    return problems;
  }
  const where = (node) => `line ${node.loc.start.line}`;
  const visit = (node, parent, key) => {
    if (node === null || typeof node !== "object") return;
    if (Array.isArray(node)) {
      for (const child of node) visit(child, parent, key);
      return;
    }
    if (typeof node.type !== "string") return;
    if ((node.type === "FunctionDeclaration" || node.type === "FunctionExpression" || node.type === "ArrowFunctionExpression") && node.async) {
      problems.push(`async function at ${where(node)}`);
    }
    if (node.type === "AwaitExpression") problems.push(`await at ${where(node)}`);
    // A spread of `arguments` is how TypeScript lowers an implicit subclass constructor to ES5;
    // Rhino cannot run it. Give the class an explicit constructor.
    if (node.type === "CallExpression" && node.callee.type === "Identifier" && node.callee.name === "__read" &&
        node.arguments[0]?.type === "Identifier" && node.arguments[0].name === "arguments") {
      problems.push(`__read(arguments) at ${where(node)}: a subclass without an explicit constructor (Rhino cannot run it)`);
    }
    if (node.type === "Identifier") {
      const isPropertyName =
        (parent.type === "MemberExpression" && key === "property" && !parent.computed) ||
        (parent.type === "Property" && key === "key" && !parent.computed);
      if (forbidden.includes(node.name)) problems.push(`${node.name} at ${where(node)}`);
      else if (hostTimers.includes(node.name) && !isPropertyName) problems.push(`global ${node.name} at ${where(node)}`);
    }
    for (const k of Object.keys(node)) {
      if (k !== "loc" && k !== "type") visit(node[k], node, k);
    }
  };
  visit(ast, { type: "Root" }, "");
  return problems;
}

/** Prints the matrix as a table. */
export function formatTable(rows) {
  const header = ["engine", "build", "result", "checks", "time"];
  const body = rows.map((r) => [r.engine, r.build, r.status, r.total ? `${r.passed}/${r.total}` : "-", r.ms ? `${(r.ms / 1000).toFixed(2)} s` : "-"]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

