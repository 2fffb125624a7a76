// genloop/core: the same runtime as `genloop` with only what the minimal program needs. Its loop
// carries no optional feature unless `genloop` (lib/features/) is part of the program; a feature's
// option on a core-only loop is refused with the import that adds it.
import { expect } from "chai";
import { expectTypeOf } from "expect-type";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import * as core from "../lib/core.js";
import * as main from "../lib/index.js";

const { CancelledError, EventLoop, VirtualClock, createTask, gather, run, sleep, spawn } = core;

function* child(n: number): core.Coroutine<number> {
  yield* sleep(10);
  return n;
}

describe("genloop/core", () => {
  it("runs an awaitable and types what it returns", () => {
    const result = run(gather(child(1), child(3)), { clock: new VirtualClock() });
    expectTypeOf(result).toEqualTypeOf<[number, number]>();
    expect(result).to.deep.equal([1, 3]);
  });

  it("types its tasks, and cancels them with its CancelledError", () => {
    const outcome = run(
      (function* () {
        const task = yield* spawn(child(5));
        expectTypeOf(task).toEqualTypeOf<core.Task<number>>();
        expectTypeOf(createTask(child(6))).toEqualTypeOf<core.Task<number>>();
        task.cancel();
        try {
          return yield* task;
        } catch (error) {
          return error instanceof CancelledError ? "cancelled" : error;
        }
      })(),
      { clock: new VirtualClock() },
    );
    expect(outcome).to.equal("cancelled");
  });

  it("is the same runtime as genloop: the same classes, so tasks and loops of one work with the other", () => {
    expect(core.EventLoop).to.equal(main.EventLoop);
    expect(core.Task).to.equal(main.Task);
    expect(core.Future).to.equal(main.Future);
    expect(core.CancelledError).to.equal(main.CancelledError);
    const loop = new EventLoop({ clock: new VirtualClock() });
    const event = new main.Event();
    const task = loop.createTask((function* () { yield* event.wait(); return "set"; })());
    loop.callLater(5, () => event.set());
    expect(loop.runUntilComplete(task)).to.equal("set");
    expect(loop.time()).to.equal(5);
    loop.close();
  });

  it("types its loop without the optional features' methods and its options without theirs", () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    expectTypeOf(loop.runUntilComplete(loop.createTask(child(7)))).toEqualTypeOf<number>();
    // @ts-expect-error setDebug belongs to debug mode, which genloop/core leaves out
    expect(() => loop.setDebug(true)).not.to.throw(); // installed here: this test program imports genloop too
    // @ts-expect-error addInstrument belongs to instruments
    void loop.addInstrument;
    // @ts-expect-error the debug option is not one of the core's
    expect(() => new EventLoop({ debug: false })).not.to.throw();
    // @ts-expect-error neither is it one of the core run's
    expect(run(child(1), { clock: new VirtualClock(), debug: false })).to.equal(1);
    loop.close();
  });
});

interface SizeScript {
  bundleProgram(file: string): Promise<{ code: Uint8Array }>;
}

describe("genloop/core bundled without genloop", function () {
  this.timeout(60000);

  /** Bundles `program` (an absolute path) as the size check does, into a temporary folder. */
  async function bundle(program: string): Promise<{ file: string; remove(): void }> {
    const size = (await import(pathToFileURL(resolve("scripts/size/size.mjs")).href)) as SizeScript;
    const dir = mkdtempSync(join(tmpdir(), "genloop-core-"));
    const file = join(dir, "bundled.mjs");
    writeFileSync(file, (await size.bundleProgram(program)).code);
    return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
  }

  /** Bundles `source` (imports of the built package) as a user's bundler would and imports it. */
  async function bundleAndImport<T>(source: string): Promise<T> {
    const dir = mkdtempSync(join(tmpdir(), "genloop-core-source-"));
    const program = join(dir, "program.mjs");
    writeFileSync(program, source);
    const bundled = await bundle(program);
    try {
      return (await import(pathToFileURL(bundled.file).href)) as T;
    } finally {
      bundled.remove();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it("runs the minimal program of the size budget (scripts/size/minimal.js), bundled as the size check bundles it", async function () {
    if (!existsSync("dist/esm/core.js")) this.skip(); // npm test builds dist/ first
    const bundled = await bundle(resolve("scripts/size/minimal.js"));
    try {
      expect(execFileSync(process.execPath, [bundled.file], { encoding: "utf8" })).to.equal("[ 1, 3 ]\n");
    } finally {
      bundled.remove();
    }
  });

  it("carries no feature's code, and names the import that adds a feature asked for", async function () {
    if (!existsSync("dist/esm/core.js")) this.skip();
    const { methods, refusals, accepted } = await bundleAndImport<{ methods: string[]; refusals: string[]; accepted: number }>(
      'import { EventLoop, VirtualClock, createTask, run, sleep } from "genloop/core";\n' +
        "function* child(n) { yield* sleep(10); return n; }\n" +
        "export const methods = [];\n" +
        'for (const name of ["setDebug", "addInstrument", "setTaskFactory", "setEffectHandler", "setExceptionHandler", "setWakeupHandler", "setHostSeam"]) {\n' +
        "  try { new EventLoop({ clock: new VirtualClock() })[name](null); methods.push(name + ' ran'); } catch (error) { methods.push(error.name + ': ' + error.message); }\n" +
        "}\n" +
        "export const refusals = [];\n" +
        "for (const options of [{ debug: true }, { scheduleSeed: 1 }, { instruments: [] }, { taskFactory: () => null }, { effects: {} }, { asyncStackTraces: true }]) {\n" +
        "  try { run(child(0), { clock: new VirtualClock(), ...options }); } catch (error) { refusals.push(error.name + ': ' + error.message); }\n" +
        "}\n" +
        "try { run((function* () { createTask(child(0), { eagerStart: true }); })(), { clock: new VirtualClock() }); } catch (error) { refusals.push(error.name + ': ' + error.message); }\n" +
        // Options that ask for nothing (false, null) are accepted.
        "export const accepted = run(child(4), { clock: new VirtualClock(), debug: false, taskFactory: null });\n",
    );
    // A feature's method is there only to say which import adds it.
    expect(methods).to.deep.equal(
      ["setDebug", "addInstrument", "setTaskFactory", "setEffectHandler", "setExceptionHandler", "setWakeupHandler", "setHostSeam"].map(
        (name) =>
          `TypeError: EventLoop.${name}() needs a feature genloop/core leaves out: import it from "genloop" ` +
          '(e.g. `import "genloop"` once in the program, or take run and EventLoop from "genloop" instead of "genloop/core")',
      ),
    );
    const what = ["debug", "scheduleSeed", "instruments", "taskFactory", "effects", "asyncStackTraces"].map((name) => `EventLoop: the ${name} option`);
    expect(refusals).to.deep.equal(
      [...what, "createTask: options.eagerStart"].map(
        (thing) =>
          `TypeError: ${thing} needs a feature genloop/core leaves out: import it from "genloop" ` +
          '(e.g. `import "genloop"` once in the program, or take run and EventLoop from "genloop" instead of "genloop/core")',
      ),
    );
    expect(accepted).to.equal(4);
  });

  it("gets every feature back when the program imports genloop too", async function () {
    if (!existsSync("dist/esm/core.js")) this.skip();
    const { debug, factory } = await bundleAndImport<{ debug: boolean; factory: boolean }>(
      'import "genloop";\n' +
        'import { EventLoop, VirtualClock } from "genloop/core";\n' +
        "const loop = new EventLoop({ clock: new VirtualClock(), debug: true, logger: { warn() {}, error() {} } });\n" +
        "export const debug = loop.getDebug();\n" +
        "loop.setTaskFactory(null);\n" +
        "export const factory = loop.getTaskFactory() === null;\n",
    );
    expect(debug).to.equal(true);
    expect(factory).to.equal(true);
  });
});
