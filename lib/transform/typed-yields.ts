import type * as TS from "typescript";
import { describeValue } from "../describe.js";
import { EffectTypes } from "./effect-type.js";
import { checkCompileStepOptions, type CompileStepOptions, type RewriteSite } from "./rewrite-site.js";
import { checkTypeScript, type TypeScriptModule } from "./typescript-module.js";

/** Options of `typedYields`. */
export interface TypedYieldsOptions extends CompileStepOptions {
  /** The `typescript` module your program was made with. ts-patch passes it itself (its third argument). */
  readonly typescript?: TypeScriptModule;
}

/** What ts-patch passes as the third argument of a program transformer: the `typescript` module among others. */
export interface TransformerExtras {
  /** The `typescript` module ts-patch runs. */
  readonly ts?: TypeScriptModule;
}

/** The part of a `ts.Program` the transformer uses. */
export interface ProgramLike {
  /** The program's type checker. */
  getTypeChecker(): object;
}

/**
 * A `ts.TransformerFactory<ts.SourceFile>`, what `program.emit` takes in `transformers.before`:
 * typed structurally so that genloop's declarations need no `typescript` types.
 */
export type SourceFileTransformerFactory = (context: object) => <S extends object>(sourceFile: S) => S;

const USAGE = "typedYields(program, { typescript: ts })";

/**
 * The compile step with types: a TypeScript `before` transformer that turns each `yield* x` whose
 * `x` is, by its static type, one of genloop's effects (`sleep(0)`, `gather(…)`, `lock.acquire()`,
 * `queue.get()`, an effect of `defineEffect`, …) into `(yield x)`. The coroutine resumes with the
 * same value, the same error and the same cancellation, and skips the `yield*` protocol (an
 * iterator object and a delegated `next()` per wait): `yield* sleep(0)` switches about 1.4× faster
 * on V8. You keep writing, and type-checking, the typed `yield*`. Futures, tasks, coroutines and
 * anything not typed as a genloop effect are left alone. See docs/compile-step.md.
 *
 * Its signature is a ts-patch program transformer's, so it also works from tsconfig.json.
 *
 * @param program the program being emitted: its type checker decides what to rewrite.
 * @param options `typescript` (the module; ts-patch passes it as `extras.ts`), `enabled`, `onRewrite`.
 * @param extras what ts-patch passes: `{ ts }`.
 * @returns the transformer factory to put in `program.emit`'s `before` list.
 * @throws TypeError when no `typescript` module is given, or for a bad program or option.
 * @example
 * ```ts
 * import ts from "typescript";
 * import { typedYields } from "genloop/transform";
 *
 * // A program of one file, held in memory here; yours comes from your tsconfig.json.
 * const file = "tick.ts";
 * const source = 'import { sleep } from "genloop";\nexport function* tick() { yield* sleep(0); }\n';
 * const options: ts.CompilerOptions = {
 *   target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ES2020, moduleResolution: ts.ModuleResolutionKind.Bundler,
 *   lib: ["lib.es2020.d.ts"], types: [],
 * };
 * const host = ts.createCompilerHost(options);
 * const { readFile, fileExists } = host;
 * host.readFile = (name) => (name === file ? source : readFile(name));
 * host.fileExists = (name) => name === file || fileExists(name);
 * host.writeFile = (_name, text) => console.log(text.split("\n")[1]); // export function* tick() { yield sleep(0); }
 * const program = ts.createProgram([file], options, host);
 * program.emit(undefined, undefined, undefined, false, { before: [typedYields(program, { typescript: ts })] });
 * ```
 */
export function typedYields(program: ProgramLike, options: TypedYieldsOptions = {}, extras?: TransformerExtras): SourceFileTransformerFactory {
  if (program === null || typeof program !== "object" || typeof (program as ProgramLike).getTypeChecker !== "function") {
    throw new TypeError(`typedYields: program must be a ts.Program (ts.createProgram(...), or the one your build tool hands its transformers), got ${describeValue(program)}`);
  }
  if (options === null || typeof options !== "object") throw new TypeError(`typedYields: options must be an object like { typescript: ts }, got ${describeValue(options)}`);
  checkCompileStepOptions("typedYields", options);
  const ts = checkTypeScript("typedYields", options.typescript ?? extras?.ts, USAGE);
  const enabled = options.enabled !== false;
  const onRewrite = options.onRewrite;
  const checker = (program as TS.Program).getTypeChecker();
  const effects = new EffectTypes(ts, checker);

  return ((context: TS.TransformationContext) =>
    (sourceFile: TS.SourceFile): TS.SourceFile => {
      if (!enabled || !sourceFile.text.includes("yield")) return sourceFile;
      const visit = (node: TS.Node): TS.Node => {
        // Decided on the original node, which has a type, before its children are rewritten.
        const rewrite = ts.isYieldExpression(node) && node.asteriskToken !== undefined && node.expression !== undefined && effects.isRewritable(node.expression);
        if (rewrite && onRewrite !== undefined) onRewrite(siteOf(ts, sourceFile, node, node.expression!));
        const visited = ts.visitEachChild(node, visit, context);
        return rewrite ? ts.factory.updateYieldExpression(visited as TS.YieldExpression, undefined, (visited as TS.YieldExpression).expression!) : visited;
      };
      return ts.visitEachChild(sourceFile, visit, context);
    }) as unknown as SourceFileTransformerFactory;
}

/** @internal The site of the `yield*` expression `node` in `sourceFile`, for `onRewrite`. */
export function siteOf(ts: typeof TS, sourceFile: TS.SourceFile, node: TS.Node, expression: TS.Expression): RewriteSite {
  const { line, character } = ts.getLineAndCharacterOfPosition(sourceFile, node.getStart(sourceFile));
  return { fileName: sourceFile.fileName, line: line + 1, column: character + 1, expression: expression.getText(sourceFile) };
}
