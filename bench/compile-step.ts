// Compiles benchmark sources with the compile step (genloop/transform's `typedYields`, from a
// TypeScript program with its type checker, as a user's build would) into build/bench/compiled/,
// beside tsc's own output of the same files, and loads the result (bench/engines.ts bundles it for
// the engines instead): the benchmarks compare the typed form as written (`yield* sleep(0)`) with
// the same source compiled by the compile step. The compiling runs in a child process, so that
// TypeScript's compiler, its heap and its JIT state stay out of the process that measures.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type * as TypeScript from "typescript";
import { typedYields } from "../lib/transform/index.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** `file` (a path under the repository) compiled with `typedYields`: its JavaScript, and how many `yield*` were rewritten. */
export function compileTyped(file: string): { js: string; rewrites: number } {
  const ts = createRequire(import.meta.url)("typescript") as typeof TypeScript;
  const source = join(root, file);
  const options: TypeScript.CompilerOptions = { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ES2020, moduleResolution: ts.ModuleResolutionKind.Bundler, strict: true, skipLibCheck: true, types: [] };
  const program = ts.createProgram([source], options);
  let js = "";
  let rewrites = 0;
  const result = program.emit(
    program.getSourceFile(source),
    (name, text) => {
      if (name.endsWith(".js")) js = text;
    },
    undefined,
    false,
    { before: [typedYields(program, { typescript: ts, onRewrite: () => rewrites++ })] },
  );
  if (result.emitSkipped || rewrites === 0) throw new Error(`bench: compiling ${source} with typedYields failed (${rewrites} rewrites)`);
  return { js, rewrites };
}

/**
 * Loads bench/compiled/`name`.ts compiled with `typedYields` (the rewritten `yield*` counted in
 * `rewrites`), compiled by this file run as a child process.
 */
export async function loadCompiled<M>(name: string): Promise<{ module: M; rewrites: number }> {
  const output = join(root, "build", "bench", "compiled", `${name}.transformed.js`);
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), `bench/compiled/${name}.ts`, output], { encoding: "utf8" });
  if (child.status !== 0) throw new Error(`bench: compiling bench/compiled/${name}.ts failed: ${child.stderr.trim()}`);
  const rewrites = Number(child.stdout.trim());
  return { module: (await import(pathToFileURL(output).href)) as M, rewrites };
}

// Run as a program (by loadCompiled): compile argv[2] into the file argv[3], print the rewrites.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, output] = process.argv.slice(2);
  const { js, rewrites } = compileTyped(file);
  writeFileSync(output, js);
  console.log(rewrites);
}
