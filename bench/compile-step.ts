// Compiles benchmark sources with the compile step (genloop/transform's `typedYields`, from a
// TypeScript program with its type checker, as a user's build would) into build/bench/compiled/,
// beside tsc's own output of the same files, and loads the result (bench/engines.ts bundles it for
// the engines instead): the benchmarks compare the typed form as written (`yield* sleep(0)`) with
// the same source compiled by the compile step.
import { fileURLToPath, pathToFileURL } from "node:url";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import ts from "typescript";
import { typedYields } from "../lib/transform/index.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** `file` (a path under the repository) compiled with `typedYields`: its JavaScript, and how many `yield*` were rewritten. */
export function compileTyped(file: string): { js: string; rewrites: number } {
  const source = join(root, file);
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ES2020, moduleResolution: ts.ModuleResolutionKind.Bundler, strict: true, skipLibCheck: true, types: [] };
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

/** Loads bench/compiled/`name`.ts compiled with `typedYields` (the rewritten `yield*` counted in `rewrites`). */
export async function loadCompiled<M>(name: string): Promise<{ module: M; rewrites: number }> {
  const { js, rewrites } = compileTyped(`bench/compiled/${name}.ts`);
  const output = join(root, "build", "bench", "compiled", `${name}.transformed.js`);
  writeFileSync(output, js);
  return { module: (await import(pathToFileURL(output).href)) as M, rewrites };
}
