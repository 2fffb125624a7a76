// Equivalence: real genloop programs give the same observable results compiled with and without
// the compile step. The programs are the differential tests' (spec/differential): the interpreter
// that runs them, and genloop itself, are compiled again with `typedYields` (and, separately,
// bundled with the esbuild plugin), then every program's trace (each start, return, raise,
// cancellation, callback and loop report, with its loop time) is compared with the trace of the
// build compiled as usual. A durable journal recorded by one build replays on the other.
import { expect } from "chai";
import * as esbuild from "esbuild";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { esbuildYields, typedYields, type RewriteSite } from "../../lib/transform/index.js";
import { programFor } from "../differential/generate.js";
import { interpret } from "../differential/interpret.js";
import type { Program, TraceEvent } from "../differential/program.js";
import { loadRegressions } from "../differential/regressions.js";
import { FIXTURES, prepareFixtures } from "./compile.js";
import * as durable from "../../lib/durable/index.js";
import { VirtualClock } from "../../lib/index.js";
import * as workflow from "../durable/workflow.js";

/** What a durable run of the durable specs' workflow needs, from one build of genloop. */
interface DurableBuild {
  durable: Pick<typeof durable, "runDurable" | "FileStore">;
  VirtualClock: typeof VirtualClock;
  workflow: typeof workflow;
}

type Interpret = (program: Program) => { trace: TraceEvent[] };

const root = process.cwd();
const out = join(root, "build", "transformed");
const entry = "spec/differential/interpret.ts";
const durableWorkflow = "spec/durable/workflow.ts";

/** The interpreter, the durable specs' workflow and genloop, emitted with `typedYields`; the sites it rewrote. */
function compileWithTypes(): { sites: RewriteSite[] } {
  const config = ts.getParsedCommandLineOfConfigFile(join(root, "tsconfig.base.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
  const options: ts.CompilerOptions = { ...config.options, outDir: join(out, "typed"), rootDir: root, declaration: false, sourceMap: false, types: ["node"] };
  const program = ts.createProgram([join(root, entry), join(root, durableWorkflow)], options);
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

  let sites: RewriteSite[] = [];
  before(() => {
    sites = compileWithTypes().sites;
  });

  it("typedYields: genloop and the interpreter compiled with it give the same trace for every program", async () => {
    // The interpreter's `yield*` of effects were rewritten (genloop's own code yields effects bare already).
    expect(sites.filter((s) => s.fileName.includes("spec/differential/")).length).to.be.greaterThan(10);
    const typed = (await import(pathToFileURL(join(out, "typed", "spec", "differential", "interpret.js")).href)) as { interpret: Interpret };
    const differing = programs.map((_, i) => i).filter((i) => JSON.stringify(typed.interpret(programs[i]!).trace) !== JSON.stringify(expected[i]));
    expect(differing, "programs whose trace differs").to.deep.equal([]);
  });

  it("typedYields: a durable journal recorded by the program as written replays on the compiled one, and the other way round", async () => {
    const typed = join(out, "typed");
    const load = async <M>(path: string): Promise<M> => (await import(pathToFileURL(join(typed, path)).href)) as M;
    const asWritten: DurableBuild = { durable, VirtualClock, workflow };
    const compiled: DurableBuild = {
      durable: await load("lib/durable/index.js"),
      VirtualClock: (await load<{ VirtualClock: typeof VirtualClock }>("lib/index.js")).VirtualClock,
      workflow: await load("spec/durable/workflow.js"),
    };
    expect(sites.filter((s) => s.fileName.endsWith(durableWorkflow)).length, "rewritten in the workflow").to.be.greaterThan(5);
    expect(compiled.VirtualClock).to.not.equal(VirtualClock); // two builds, each with its own genloop
    for (const [name, recorder, replayer] of [["written-compiled", asWritten, compiled], ["compiled-written", compiled, asWritten]] as const) {
      const file = join(out, `journal-${name}.jsonl`);
      rmSync(file, { force: true });
      const recorded: string[] = [];
      const calls = { count: 0 };
      const first = recorder.durable.runDurable(recorder.workflow.workflow(recorded), {
        store: new recorder.durable.FileStore(file),
        effects: recorder.workflow.handlers(calls),
        clock: new recorder.VirtualClock(),
      });
      const replayed: string[] = [];
      const again = replayer.durable.runDurable(replayer.workflow.workflow(replayed), { store: new replayer.durable.FileStore(file), effects: {}, clock: new replayer.VirtualClock() });
      expect(calls.count, name).to.be.greaterThan(3);
      expect(again, name).to.equal(first);
      expect(replayed, name).to.deep.equal(recorded);
    }
  });

  it("esbuildYields: the interpreter bundled with the plugin gives the same trace for every program", async () => {
    const { sites } = await bundleWithPlugin();
    expect(sites.length, "yield* of genloop's effect functions in the interpreter").to.be.greaterThan(5);
    const bundled = (await import(pathToFileURL(resolve(out, "esbuild", "interpret.mjs")).href)) as { interpret: Interpret };
    const differing = programs.map((_, i) => i).filter((i) => JSON.stringify(bundled.interpret(programs[i]!).trace) !== JSON.stringify(expected[i]));
    expect(differing, "programs whose trace differs").to.deep.equal([]);
  });
});
