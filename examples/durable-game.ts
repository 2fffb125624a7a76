// Save and restore for a game: the game (examples/durable-game/game.ts) runs 1000 frames; a save
// taken at frame 500 is its durable journal, and a fresh Node process and a fresh QuickJS
// instance restore from it and render frames 500-999 byte-identical to the uninterrupted run.
//   npm run build:dev && node build/examples/durable-game.js
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";
import { DefaultIntrinsics, newQuickJSWASMModuleFromVariant } from "quickjs-emscripten-core";
import variant from "@jitl/quickjs-wasmfile-release-sync";
import { play } from "./durable-game/game.js";

const here = fileURLToPath(import.meta.url);
const root = join(here, "../../..");

/** genloop, genloop/durable and the game as one script for an engine without modules (global `bundle`). */
function bundleForQuickJS(): string {
  const entry = ['export * as durable from "./lib/durable/portable.ts";', 'export { play } from "./examples/durable-game/game.ts";'].join("\n");
  const out = buildSync({
    stdin: { contents: entry, resolveDir: root, sourcefile: "durable-game-bundle.ts", loader: "ts" },
    bundle: true,
    write: false,
    format: "iife",
    globalName: "bundle",
    target: "esnext",
    platform: "neutral",
    logLevel: "warning",
  });
  return out.outputFiles[0].text;
}

async function restoreInQuickJS(save: string): Promise<string[]> {
  const QuickJS = await newQuickJSWASMModuleFromVariant(variant);
  const context = QuickJS.newContext({ intrinsics: { ...DefaultIntrinsics, Promise: false } });
  try {
    context.unwrapResult(context.evalCode(bundleForQuickJS(), "bundle.js", { type: "global" })).dispose();
    const saveHandle = context.newString(save);
    context.setProp(context.global, "save", saveHandle);
    saveHandle.dispose();
    const result = context.unwrapResult(
      context.evalCode("bundle.play({ save: save, until: 1000, renderFrom: 500 }).frames.join('\\n')", "restore.js", { type: "global" }),
    );
    const text = context.getString(result);
    result.dispose();
    return text.split("\n");
  } finally {
    context.dispose();
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === "--restore") {
    // A fresh process: restore from the save file, render frames 500-999.
    process.stdout.write(play({ save: readFileSync(process.argv[3], "utf8"), until: 1000, renderFrom: 500 }).frames.join("\n") + "\n");
    return;
  }
  const uninterrupted = play({ save: "", until: 1000, renderFrom: 500 }).frames;
  const save = play({ save: "", until: 500, renderFrom: 500 }).save;
  const dir = mkdtempSync(join(tmpdir(), "genloop-save-"));
  try {
    const file = join(dir, "save.jsonl");
    writeFileSync(file, save);
    console.log(`saved at frame 500: ${save.split("\n").length - 1} journal lines, ${save.length} bytes`);
    const inNode = execFileSync(process.execPath, [here, "--restore", file], { encoding: "utf8" }).trimEnd().split("\n");
    const inQuickJS = await restoreInQuickJS(readFileSync(file, "utf8"));
    console.log(`uninterrupted, frame 500: ${uninterrupted[0]}`);
    console.log(`uninterrupted, frame 999: ${uninterrupted[499]}`);
    const same = (frames: string[]) => (frames.join("\n") === uninterrupted.join("\n") ? "byte-identical" : "DIFFERENT");
    console.log(`restored in a fresh Node process: frames 500-999 ${same(inNode)}`);
    console.log(`restored in a fresh QuickJS instance: frames 500-999 ${same(inQuickJS)}`);
    if (same(inNode) !== "byte-identical" || same(inQuickJS) !== "byte-identical") process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
