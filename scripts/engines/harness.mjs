// Runs the engine conformance program (spec/engines/conformance.ts) in restricted JavaScript
// engines, each with the bundle it uses, and statically checks every bundle. Used by
// scripts/engines.mjs (`npm run engines`, the whole matrix) and by spec/engines/*.spec.ts
// (Node vm, QuickJS and the static checks, which need no Debian packages).
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import * as acorn from "acorn";
import { areas, buildBundle, bundleFile, bundles, lowerScript } from "../bundle/bundles.mjs";
import { markdownTable } from "../docs/generated-region.mjs";
import { runInXs, xsInstalled, xsnapVersion, xsnapVersionLine } from "./xs.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
/** The areas that have their own bundle (see scripts/bundle/bundles.mjs). */
export { areas };
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

// Bun and Deno have console.log rather than print.
const consolePrint = `var print = function (line) { console.log(line); };
`;
const bin = (name) => join(root, "node_modules/.bin", name);
const installed = (pkg) => () => existsSync(join(root, "node_modules", pkg, "package.json"));
const npmVersion = (pkg) => () => `npm ${pkg}@${JSON.parse(readFileSync(join(root, "node_modules", pkg, "package.json"), "utf8")).version}`;
const debianVersion = (pkg) => () => {
  const r = spawnSync("dpkg-query", ["-W", "-f=${Version}", pkg], { encoding: "utf8" });
  return r.status === 0 ? `Debian ${pkg} ${r.stdout.trim()}` : "not installed";
};
// "xsnap 0.15.0 (XS 13.3.0)" -> "npm @agoric/xsnap@0.15.0 (XS 13.3.0)".
const xsVersion = () => {
  const xs = /\(XS ([^)]+)\)/.exec(xsnapVersionLine() ?? "");
  return xs ? `npm @agoric/xsnap@${xsnapVersion} (XS ${xs[1]})` : "not installed";
};
// engine262 in Node, through its shell (scripts/engines/engine262-shell.mjs).
const engine262 = { command: [process.execPath, join(root, "scripts/engines/engine262-shell.mjs")], found: installed("@engine262/engine262"), install: "npm ci (dev dependency @engine262/engine262)", version: npmVersion("@engine262/engine262") };
const conformance = "none: virtual clock, step()/runDue";
const timerDriver = "TimerDriver on the host's setTimeout";

/**
 * The engines, the build each one uses, and how to run one self-contained script file.
 * `command` engines are external programs (skipped when not installed); the rest run in-process.
 * `version()` names the engine's version for the README's matrix; `promise` says whether the
 * global `Promise` is still there when genloop runs ("removed" everywhere the host allows it).
 * A `byHand` engine runs only when named (`npm run engines -- <name>`), never in the full matrix;
 * `timeoutMs` overrides a command's 2-minute limit.
 */
export const engines = [
  { name: "node-vm", build: "es2015", inProcess: runInNodeVm, version: () => `Node ${process.versions.node} (V8 ${process.versions.v8})` },
  { name: "quickjs", build: "es2015", inProcess: runInQuickJS("@jitl/quickjs-wasmfile-release-sync"), version: npmVersion("@jitl/quickjs-wasmfile-release-sync") },
  { name: "quickjs-ng", build: "es2015", inProcess: runInQuickJS("@jitl/quickjs-ng-wasmfile-release-sync"), found: installed("@jitl/quickjs-ng-wasmfile-release-sync"), install: "npm ci (dev dependency @jitl/quickjs-ng-wasmfile-release-sync)", optional: true, version: npmVersion("@jitl/quickjs-ng-wasmfile-release-sync") },
  { name: "jsc", build: "es2015", command: ["jsc"], install: "apt-get install libjavascriptcoregtk-4.0-bin", version: debianVersion("libjavascriptcoregtk-4.0-bin") },
  { name: "spidermonkey", build: "es2015", command: ["js102"], install: "apt-get install libmozjs-102-dev", optional: true, version: debianVersion("libmozjs-102-dev") },
  { name: "bun", build: "es2015", command: [bin("bun")], prelude: consolePrint, install: "npm ci (dev dependency bun)", optional: true, version: npmVersion("bun") },
  { name: "deno", build: "es2015", command: [bin("deno"), "run", "--quiet", "--no-config", "--no-lock"], prelude: consolePrint, install: "npm ci (dev dependency deno)", optional: true, version: npmVersion("deno") },
  { name: "workerd", build: "es2015", inProcess: runInWorkerd, found: () => existsSync(bin("workerd")), optional: true, host: { frozenClock: true }, install: "npm ci (dev dependency workerd)", version: npmVersion("workerd"), driverNote: "fetch handler" },
  { name: "chromium", build: "es2015", inProcess: runInChromium("iife"), found: () => existsSync(chromiumPath) && installed("puppeteer-core")(), optional: true, install: "apt-get install chromium; npm ci (dev dependency puppeteer-core)", version: debianVersion("chromium"), buildNote: "in a page" },
  { name: "chromium-esm", build: "es2015", module: true, inProcess: runInChromium("esm"), found: () => existsSync(chromiumPath) && installed("puppeteer-core")(), optional: true, install: "apt-get install chromium; npm ci (dev dependency puppeteer-core)", version: debianVersion("chromium"), buildNote: "dist/esm modules in a page" },
  { name: "hermes", build: "hermes", command: [hermes, "-Xes6-promise=false"], install: "npm i -D hermes-engine-cli", version: npmVersion("hermes-engine-cli") },
  { name: "duktape", build: "es5", command: ["duk"], install: "apt-get install duktape", version: debianVersion("duktape") },
  // The minified bundles, and the core bundle with the area bundles loaded after it.
  { name: "jsc (min)", build: "es2015", minified: true, command: ["jsc"], install: "apt-get install libjavascriptcoregtk-4.0-bin", version: debianVersion("libjavascriptcoregtk-4.0-bin") },
  { name: "duktape (core+features+areas, min)", build: "es5", minified: true, split: true, command: ["duk"], install: "apt-get install duktape", version: debianVersion("duktape") },
  { name: "hermes (core+features+areas, min)", build: "hermes", minified: true, split: true, command: [hermes, "-Xes6-promise=false"], install: "npm i -D hermes-engine-cli", version: npmVersion("hermes-engine-cli") },
  // Hermes also runs the ES5 bundle (what it used before it had a bundle of its own).
  { name: "hermes (es5)", build: "es5", command: [hermes, "-Xes6-promise=false"], install: "npm i -D hermes-engine-cli", version: npmVersion("hermes-engine-cli") },
  // The per-part program (spec/engines/parts.ts): the core alone, then the features and the areas one by one.
  { name: "duktape (parts, min)", build: "es5", minified: true, parts: true, command: ["duk"], install: "apt-get install duktape", version: debianVersion("duktape") },
  { name: "hermes (parts, min)", build: "hermes", minified: true, parts: true, command: [hermes, "-Xes6-promise=false"], install: "npm i -D hermes-engine-cli", version: npmVersion("hermes-engine-cli") },
  // engine262, the specification's reference implementation (scripts/engines/engine262-shell.mjs), runs
  // the per-part program in the matrix: the whole conformance program takes it half an hour
  // (docs/embedding.md), so that row runs only by hand.
  { name: "engine262", build: "es5", byHand: true, timeoutMs: 60 * 60000, ...engine262 },
  { name: "engine262 (parts)", build: "es5", parts: true, ...engine262 },
  { name: "rhino", build: "es5", command: ["rhino", "-version", "200"], install: "apt-get install rhino", optional: true, version: debianVersion("rhino") },
  { name: "mujs", build: "es5", command: ["mujs"], prelude: mujsPrelude, install: "apt-get install mujs", optional: true, version: debianVersion("mujs") },
  { name: "mujs (parts)", build: "es5", parts: true, command: ["mujs"], prelude: mujsPrelude, install: "apt-get install mujs", optional: true, version: debianVersion("mujs") },
  // XS (Moddable's engine for microcontrollers) in Agoric's xsnap-worker, fed the script over its netstring pipe.
  { name: "xs", build: "es2015", inProcess: (code) => runInXs(code), found: xsInstalled, optional: true, install: "sh scripts/install-xs.sh: npm @agoric/xsnap, built with gcc", version: xsVersion, buildNote: "evaluated by xsnap-worker" },
  // The same hosts again, keeping their own timers (still no Promise): the TimerDriver on them.
  { name: "jsc+timers", build: "es2015", command: ["jsc"], program: "host-timers", keepTimers: true, install: "apt-get install libjavascriptcoregtk-4.0-bin", version: debianVersion("libjavascriptcoregtk-4.0-bin") },
  { name: "bun+timers", build: "es2015", command: [bin("bun")], prelude: consolePrint, program: "host-timers", keepTimers: true, install: "npm ci (dev dependency bun)", optional: true, version: npmVersion("bun") },
  { name: "deno+timers", build: "es2015", command: [bin("deno"), "run", "--quiet", "--no-config", "--no-lock"], prelude: consolePrint, program: "host-timers", keepTimers: true, install: "npm ci (dev dependency deno)", optional: true, version: npmVersion("deno") },
  { name: "workerd+timers", build: "es2015", inProcess: runInWorkerd, found: () => existsSync(bin("workerd")), optional: true, program: "host-timers", keepTimers: true, install: "npm ci (dev dependency workerd)", version: npmVersion("workerd"), driverNote: "in a fetch handler" },
  { name: "chromium+timers", build: "es2015", inProcess: runInChromium("iife"), found: () => existsSync(chromiumPath) && installed("puppeteer-core")(), optional: true, program: "host-timers", keepTimers: true, install: "apt-get install chromium; npm ci (dev dependency puppeteer-core)", version: debianVersion("chromium"), buildNote: "in a page" },
  { name: "hermes+timers", build: "hermes", command: [hermes, "-Xes6-promise=false"], program: "host-timers", keepTimers: true, install: "npm i -D hermes-engine-cli", version: npmVersion("hermes-engine-cli") },
  { name: "rhino+timers", build: "es5", command: ["rhino", "-version", "200"], program: "host-timers", keepTimers: true, install: "apt-get install rhino", optional: true, version: debianVersion("rhino") },
];

/** What the README's matrix says about one engine's run: the timer driver it used. */
export function timerDriverOf(engine) {
  const driver = engine.program === "host-timers" ? timerDriver : conformance;
  return engine.driverNote ? `${driver} (${engine.driverNote})` : driver;
}

const cache = new Map();
/**
 * The bundle's text: dist/ when `fromDist` (what `npm run build` wrote), else built now from lib/.
 * `minified` picks the .min variant; `split` the core bundle followed by the features bundle and
 * every area bundle (what a host that loads the parts one by one ends up with); `parts` the given
 * parts, in that order.
 */
export async function bundleText(level, fromDist = false, { minified = false, split = false, parts } = {}) {
  const partsWanted = parts ?? (split ? ["core", "features", ...areas] : ["all"]);
  const texts = [];
  for (const part of partsWanted) {
    const key = `${level}/${part}/${minified}`;
    if (fromDist) texts.push(readFileSync(join(root, bundleFile(level, part, minified)), "utf8"));
    else {
      if (!cache.has(key)) cache.set(key, await buildBundle(level, { part, minify: minified }));
      texts.push(cache.get(key));
    }
  }
  return texts.join("\n");
}

/**
 * The per-part program (spec/engines/parts.ts) with the bundles it loads, one by one, between its
 * stages: the core alone; the trace bundle too early (in a `try`: it needs the features); compose,
 * sync and hosts; the features; the features again (in a `try`); then trace, policies, channels
 * and schedules.
 */
export async function partsProgram(level, { fromDist = false, minified = false } = {}) {
  const load = (part) => bundleText(level, fromDist, { minified, parts: [part] });
  const attempt = async (part) => `var partsLoadError;\ntry {\n${await load(part)}\n} catch (e) {\n  partsLoadError = e;\n}`;
  const stage = (name, withError = false) => `partsCheck(${JSON.stringify(name)}${withError ? ", partsLoadError" : ""});`;
  return [
    programText(level, "parts"),
    await load("core"),
    stage("core"),
    await attempt("trace"),
    stage("trace without features", true),
    await load("compose"),
    await load("sync"),
    await load("hosts"),
    stage("areas without features"),
    await load("features"),
    stage("features"),
    await attempt("features"),
    stage("features again", true),
    ...(await Promise.all(["trace", "policies", "channels", "schedules"].map(load))),
    stage("areas with features"),
    "partsDone();",
  ].join("\n");
}

/** An engine program (spec/engines/<name>.ts), lowered to the bundle's level. */
export function programText(level, name = "conformance") {
  const read = (file) => readFileSync(join(root, `spec/engines/${file}.ts`), "utf8");
  // The checks both programs report with (checks.ts), then the program.
  return `${lowerScript(read("checks"), level, "checks.ts")}\n${lowerScript(read(name), level, `${name}.ts`)}`;
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
  const skipped = lines.filter((l) => l.startsWith("skip ")).length;
  const passed = done ? Number(done[1]) : lines.filter((l) => l.startsWith("ok ")).length;
  const total = done ? Number(done[2]) : passed + failures.length;
  const ok = Boolean(done) && passed === total && !error;
  const problems = [...failures];
  if (!done) problems.push(`the program did not finish${error ? `: ${error}` : ""}`);
  else if (error) problems.push(String(error));
  return { engine: engine.name, build: engine.build, status: ok ? "pass" : "fail", passed, total, skipped, ms, problems, output };
}

/**
 * Runs the conformance program in one engine; a row { engine, build, status, passed, total, ms, problems }.
 * `bundle` replaces the engine's usual bundle text (a minified one, the core and its areas).
 */
export async function runEngine(engine, { fromDist = false, bundle } = {}) {
  if ((engine.command && !found(engine.command)) || (engine.found && !engine.found())) {
    return { engine: engine.name, build: engine.build, status: "skipped", passed: 0, total: 0, ms: 0, problems: [`not installed (${engine.install})`] };
  }
  const hostNote = engine.host ? `var conformanceHost = ${JSON.stringify(engine.host)};\n` : "";
  const prelude = (engine.prelude ?? "") + hostNote + stripHost(Boolean(engine.keepTimers));
  const minified = Boolean(engine.minified);
  // A module build imports the package itself; the rest get one script with the bundles inside.
  let code;
  if (engine.module) code = programText(engine.build, engine.program);
  else if (engine.parts) code = prelude + (await partsProgram(engine.build, { fromDist, minified }));
  else {
    const text = bundle ?? (await bundleText(engine.build, fromDist, { minified, split: Boolean(engine.split) }));
    code = prelude + text + "\n" + programText(engine.build, engine.program);
  }
  const start = Date.now();
  if (engine.inProcess) {
    const { output, error } = await engine.inProcess(code, { prelude, engine });
    return parse(engine, output, Date.now() - start, error);
  }
  const dir = mkdtempSync(join(tmpdir(), "genloop-engine-"));
  try {
    const file = join(dir, "conformance.js");
    writeFileSync(file, code);
    const r = spawnSync(engine.command[0], [...engine.command.slice(1), file], { encoding: "utf8", timeout: engine.timeoutMs ?? 120000 });
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

/**
 * Evaluates `code` as a script in a QuickJS `context` (quickjs-emscripten) that has a global
 * `print` collecting lines: returns those lines (the array `print` keeps filling, for a caller that
 * then runs the job queue) and what the script threw (as JSON), or null.
 */
export function evalWithPrint(context, code, fileName) {
  const lines = [];
  const print = context.newFunction("print", (handle) => {
    lines.push(context.getString(handle));
  });
  context.setProp(context.global, "print", print);
  print.dispose();
  const result = context.evalCode(code, fileName, { type: "global" });
  let error = null;
  if (result.error) {
    error = JSON.stringify(context.dump(result.error));
    result.error.dispose();
  } else result.value.dispose();
  return { lines, error };
}

const quickjsModules = new Map();
/** A runner for QuickJS or QuickJS-ng (`variantPackage`), with the Promise intrinsic turned off. */
function runInQuickJS(variantPackage) {
  return async (code) => {
    const { newQuickJSWASMModuleFromVariant, DefaultIntrinsics } = await import("quickjs-emscripten-core");
    if (!quickjsModules.has(variantPackage)) {
      const variant = (await import(variantPackage)).default;
      quickjsModules.set(variantPackage, await newQuickJSWASMModuleFromVariant(variant));
    }
    const context = quickjsModules.get(variantPackage).newContext({ intrinsics: { ...DefaultIntrinsics, Promise: false } });
    try {
      const { lines, error } = evalWithPrint(context, code, "conformance.js");
      return { output: lines.join("\n"), error };
    } finally {
      context.dispose();
    }
  };
}

const chromiumPath = "/usr/bin/chromium";
/**
 * Runs the program in a page of headless Chromium (Debian's binary, driven by puppeteer-core;
 * no browser is downloaded). The page's files are served by request interception: the IIFE
 * bundle as a classic script, or (`kind` "esm") the dist/esm modules imported by a module script.
 * The page reports its lines through `window.__genloopLines`, polled from here.
 */
function runInChromium(kind) {
  return async (code, { prelude }) => {
    const puppeteer = (await import("puppeteer-core")).default;
    const browser = await puppeteer.launch({ executablePath: chromiumPath, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
    try {
      const page = await browser.newPage();
      const pageErrors = [];
      page.on("pageerror", (error) => pageErrors.push(String(error && error.message ? error.message : error)));
      const origin = "http://genloop.test";
      const collect = "var print = function (line) { (window.__genloopLines = window.__genloopLines || []).push(String(line)); };\n";
      const files = {
        "/": { type: "text/html", body: `<!doctype html><script src="/prelude.js"></script><script ${kind === "esm" ? 'type="module" ' : ""}src="/program.js"></script>` },
        // The IIFE program carries the prelude itself (see runEngine); the module one does not.
        "/prelude.js": { type: "text/javascript", body: kind === "esm" ? collect + prelude : collect },
        "/program.js": { type: "text/javascript", body: kind === "esm" ? `import * as genloop from "/dist/esm/index.js";\n${code}` : code },
      };
      await page.setRequestInterception(true);
      page.on("request", (request) => {
        const path = new URL(request.url()).pathname;
        const file = files[path] ?? (path.startsWith("/dist/esm/") && existsSync(join(root, path)) ? { type: "text/javascript", body: readFileSync(join(root, path), "utf8") } : null);
        if (file === null) request.respond({ status: 404, body: "" });
        else request.respond({ status: 200, contentType: file.type, body: file.body });
      });
      await page.goto(`${origin}/`);
      const deadline = Date.now() + 60000;
      let lines = [];
      while (Date.now() < deadline) {
        lines = (await page.evaluate(() => window.__genloopLines)) ?? [];
        if (lines.some((l) => l.startsWith("done ")) || pageErrors.length > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return { output: lines.join("\n"), error: pageErrors.length > 0 ? pageErrors.join("; ") : null };
    } finally {
      await browser.close();
    }
  };
}

/**
 * Runs the program in workerd (Cloudflare Workers' runtime) inside a fetch handler: Workers never
 * block, so genloop is driven by the host (a virtual clock and step()/runDue, or a TimerDriver on
 * the worker's setTimeout). The handler answers with the program's lines once it printed "done".
 */
async function runInWorkerd(code) {
  const dir = mkdtempSync(join(tmpdir(), "genloop-workerd-"));
  const port = await freePort();
  const worker = `const HostPromise = Promise;
function program(print) {
${code}
}
export default {
  fetch() {
    return new HostPromise((resolve) => {
      const lines = [];
      const answer = () => resolve(new Response(lines.join("\\n")));
      const print = (line) => {
        lines.push(String(line));
        if (String(line).startsWith("done ")) answer();
      };
      try {
        program(print);
      } catch (error) {
        lines.push("error " + String(error && error.stack ? error.stack : error));
        answer();
      }
    });
  },
};
`;
  const config = `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .conformance) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const conformance :Workerd.Worker = (
  modules = [ (name = "worker", esModule = embed "worker.js") ],
  compatibilityDate = "2024-09-23",
);
`;
  writeFileSync(join(dir, "worker.js"), worker);
  writeFileSync(join(dir, "config.capnp"), config);
  const child = spawn(bin("workerd"), ["serve", join(dir, "config.capnp")], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  try {
    const deadline = Date.now() + 60000;
    for (;;) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/`);
        return { output: await response.text(), error: null };
      } catch (error) {
        if (Date.now() > deadline || child.exitCode !== null) return { output: "", error: `workerd did not answer: ${stderr.trim() || error}` };
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const forbidden = ["Promise", "queueMicrotask", "setImmediate", "clearImmediate", "process", "window"];
const hostTimers = ["setTimeout", "clearTimeout", "setInterval", "clearInterval"];

/**
 * Static check of one bundle: it parses at its ECMAScript level (as a script) and contains no
 * async function, no await, no mention of Promise / queueMicrotask / setImmediate / process /
 * window as a name, no reference to a global host timer (reading `setTimeout` as a property
 * of the global object, feature-detected by the timer driver, is allowed), and none of the
 * syntax its level lacks (`class`, `let`, `const`, `super` at the "hermes" level).
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
  const { lacks } = bundles[level];
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
    // What the level's engines cannot run (Hermes 0.12: classes, block-scoped declarations, super).
    const construct =
      node.type === "ClassDeclaration" || node.type === "ClassExpression" ? "class" :
      node.type === "VariableDeclaration" && node.kind !== "var" ? node.kind :
      node.type === "Super" ? "super" : null;
    if (construct !== null && lacks.includes(construct)) problems.push(`${construct} at ${where(node)} (the ${level} level lowers it)`);
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

/** How the engine matrix names each bundle level. */
const buildNames = { es2015: "ES2015 IIFE", hermes: "ES2015 IIFE without classes or block scopes (`genloop.hermes.js`)", es5: "ES5 IIFE" };

/** The engine matrix of docs/embedding.md (Markdown) for the rows of a full run. */
export function matrixTable(rows) {
  const byName = new Map(engines.map((e) => [e.name, e]));
  const body = rows.filter((r) => byName.has(r.engine)).map((r) => {
    const engine = byName.get(r.engine);
    const build =
      (engine.module ? "ESM (dist/esm) in a page" : buildNames[engine.build]) +
      (engine.split ? ", core + features + area bundles" : "") + (engine.parts ? ", the parts one by one (spec/engines/parts.ts)" : "") + (engine.minified ? ", minified" : "") + (engine.buildNote && !engine.module ? `, ${engine.buildNote}` : "");
    const checks = r.status === "skipped" ? "not installed" : `${r.passed}/${r.total}${r.skipped ? ` (${r.skipped} skipped)` : ""}${r.status === "fail" ? " FAIL" : ""}`;
    return [`\`${r.engine}\``, engine.version(), build, "removed", checks, timerDriverOf(engine)];
  });
  return markdownTable(["engine", "version", "build", "global Promise", "checks passed", "timer driver"], body);
}

/** The rows as a plain-text table (what `npm run engines` prints). */
export function formatTable(rows) {
  const header = ["engine", "build", "result", "checks", "time"];
  const body = rows.map((r) => [r.engine, r.build, r.status, r.total ? `${r.passed}/${r.total}` : "-", r.ms ? `${(r.ms / 1000).toFixed(2)} s` : "-"]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

