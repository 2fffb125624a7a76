// Compiling TypeScript sources in memory with the compile step, for the transform's specs.
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import ts from "typescript";
import { typedYields, type RewriteSite } from "../../lib/transform/index.js";

/**
 * Where the in-memory files live: a folder with a package.json of its own (they are not part of
 * genloop) and genloop installed as a link to this repository (its built package).
 */
export const FIXTURES = `${process.cwd().replace(/\\/g, "/")}/build/transform-fixtures`;

/** Makes FIXTURES: its package.json, and genloop in its node_modules. */
export function prepareFixtures(): void {
  mkdirSync(FIXTURES, { recursive: true });
  writeFileSync(`${FIXTURES}/package.json`, JSON.stringify({ name: "transform-fixtures", private: true, type: "module" }));
  if (!existsSync(`${FIXTURES}/node_modules/genloop`)) {
    mkdirSync(`${FIXTURES}/node_modules`, { recursive: true });
    symlinkSync(process.cwd(), `${FIXTURES}/node_modules/genloop`, "dir");
  }
}

export interface Compiled {
  /** The emitted JavaScript by source file name (relative to FIXTURES, `.ts` kept). */
  js: Map<string, string>;
  /** The rewritten sites by source file name. */
  sites: Map<string, RewriteSite[]>;
  /** Type errors of the sources, one line each. */
  errors: string[];
}

/** Type-checks and emits `files` (name → source) as ES2020 modules, with `typedYields` unless `transform` is false. */
export function compile(files: Record<string, string>, transform = true): Compiled {
  prepareFixtures();
  const paths = new Map(Object.entries(files).map(([name, text]) => [`${FIXTURES}/${name}`, text]));
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.ES2020,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    skipLibCheck: true,
    lib: ["lib.es2020.d.ts"],
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const { readFile, fileExists } = host;
  host.readFile = (file) => paths.get(file) ?? readFile.call(host, file);
  host.fileExists = (file) => paths.has(file) || fileExists.call(host, file);
  const js = new Map<string, string>();
  host.writeFile = (file, text) => {
    if (file.endsWith(".js")) js.set(file.slice(FIXTURES.length + 1).replace(/\.js$/, ".ts"), text);
  };
  const program = ts.createProgram([...paths.keys()], options, host);
  const errors = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
  const sites = new Map<string, RewriteSite[]>();
  const onRewrite = (site: RewriteSite): void => {
    const name = site.fileName.slice(FIXTURES.length + 1);
    sites.set(name, [...(sites.get(name) ?? []), site]);
  };
  program.emit(undefined, undefined, undefined, false, transform ? { before: [typedYields(program, { typescript: ts, onRewrite })] } : undefined);
  return { js, sites, errors };
}
