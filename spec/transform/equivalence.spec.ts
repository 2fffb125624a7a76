// Equivalence: real genloop programs give the same observable results compiled with and without
// the compile step. The programs are the differential tests' (spec/differential): the interpreter
// that runs them, and genloop itself, are compiled again with `typedYields` (and, separately,
// bundled with the esbuild plugin), then every program's trace (each start, return, raise,
// cancellation, callback and loop report, with its loop time) is compared with the trace of the
// build compiled as usual.
import { expect } from "chai";
import * as esbuild from "esbuild";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { esbuildYields, typedYields, type RewriteSite } from "../../lib/transform/index.js";
import { programFor } from "../differential/generate.js";
import { interpret } from "../differential/interpret.js";
import type { Program, TraceEvent } from "../differential/program.js";
import { loadRegressions } from "../differential/regressions.js";
import { FIXTURES, prepareFixtures } from "./compile.js";

type Interpret = (program: Program) => { trace: TraceEvent[] };

const root = process.cwd();
const out = join(root, "build", "transformed");
const entry = "spec/differential/interpret.ts";

/** The interpreter and genloop, type-checked and emitted with `typedYields`; the sites it rewrote. */
function compileWithTypes(): { sites: RewriteSite[] } {
  const config = ts.getParsedCommandLineOfConfigFile(join(root, "tsconfig.base.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
  const options: ts.CompilerOptions = { ...config.options, outDir: join(out, "typed"), rootDir: root, declaration: false, sourceMap: false, types: ["node"] };
  const program = ts.createProgram([join(root, entry)], options);
  const sites: RewriteSite[] = [];
  const result = program.emit(undefined, undefined, undefined, false, { before: [typedYields(program, { typescript: ts, onRewrite: (s) => sites.push(s) })] });
  expect(result.emitSkipped).to.equal(false);
  return { sites };
}

/**
 * The interpreter as a user's code: its files copied with genloop imported as "genloop" (the built
 * package), bundled by esbuild with `esbuildYields`; the sites it rewrote.
 */
async function bundleWithPlugin(): Promise<{ sites: RewriteSite[] }> {
  prepareFixtures();
  const dir = join(FIXTURES, "differential");
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(join(root, "spec", "differential")).filter((f) => f.endsWith(".ts"))) {
    const text = readFileSync(join(root, "spec", "differential", file), "utf8");
    writeFileSync(join(dir, file), text.replace(/"(\.\.\/)+lib\/index\.js"/g, '"genloop"'));
  }
  const sites: RewriteSite[] = [];
  const result = await esbuild.build({
    entryPoints: [join(dir, "interpret.ts")],
    bundle: true,
    format: "esm",
    platform: "node",
    target: "es2020",
    outfile: join(out, "esbuild", "interpret.mjs"),
    logLevel: "silent",
    plugins: [esbuildYields({ typescript: ts, onRewrite: (s) => sites.push(s) })],
  });
  expect(result.errors).to.deep.equal([]);
  return { sites };
}

describe("transform: equivalence on the differential programs", function () {
  this.timeout(180_000);
  const programs: Program[] = [...loadRegressions().map((r) => r.program), ...Array.from({ length: 150 }, (_, i) => programFor(1, i)), ...Array.from({ length: 100 }, (_, i) => programFor(7, i))];
  const expected = programs.map((p) => interpret(p).trace);

  it("typedYields: genloop and the interpreter compiled with it give the same trace for every program", async () => {
    const { sites } = compileWithTypes();
    // The interpreter's `yield*` of effects were rewritten (genloop's own code yields effects bare already).
    expect(sites.filter((s) => s.fileName.includes("spec/differential/")).length).to.be.greaterThan(10);
    const typed = (await import(pathToFileURL(join(out, "typed", "spec", "differential", "interpret.js")).href)) as { interpret: Interpret };
    const differing = programs.map((_, i) => i).filter((i) => JSON.stringify(typed.interpret(programs[i]!).trace) !== JSON.stringify(expected[i]));
    expect(differing, "programs whose trace differs").to.deep.equal([]);
  });

  it("esbuildYields: the interpreter bundled with the plugin gives the same trace for every program", async () => {
    const { sites } = await bundleWithPlugin();
    expect(sites.length, "yield* of genloop's effect functions in the interpreter").to.be.greaterThan(5);
    const bundled = (await import(pathToFileURL(resolve(out, "esbuild", "interpret.mjs")).href)) as { interpret: Interpret };
    const differing = programs.map((_, i) => i).filter((i) => JSON.stringify(bundled.interpret(programs[i]!).trace) !== JSON.stringify(expected[i]));
    expect(differing, "programs whose trace differs").to.deep.equal([]);
  });
});
