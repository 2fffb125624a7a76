import type * as TS from "typescript";
import { describeValue } from "../describe.js";
import { effectFunctions } from "./effect-functions.js";
import { checkCompileStepOptions, type CompileStepOptions } from "./rewrite-site.js";
import { siteOf } from "./typed-yields.js";
import { checkTypeScript, type TypeScriptModule } from "./typescript-module.js";

/** Options of `rewriteYields`. */
export interface RewriteYieldsOptions extends CompileStepOptions {
  /** The `typescript` module: its parser and binder read the source (no type checking). */
  readonly typescript: TypeScriptModule;
  /** The file's name: its extension says how to parse it (`.ts`, `.tsx`, `.js`, `.jsx`, `.mts`, …); `.ts` when unset. */
  readonly fileName?: string;
}

const USAGE = 'rewriteYields(code, { typescript: ts, fileName: "app.ts" })';

/**
 * The compile step without types, on source text: turns `yield* f(…)` into `yield  f(…)` where `f`
 * is a function imported from genloop that always returns an effect (`sleep`, `spawn`, `call`,
 * `callback`, `gather`, `shield`, `waitFor`, `wait`, `timeout`, `timeoutAt`, `taskGroup`,
 * `nonCancellable`; `fromPromise` from genloop/promise; `random`, `now`, `patched` from
 * genloop/durable), imported under any alias or through a
 * namespace (`g.sleep(0)`), and not shadowed where it is called (the TypeScript binder resolves each
 * name). Nothing else is touched: not `yield*` of a coroutine, a future, a method call
 * (`queue.get()`; the typed form, `typedYields`, rewrites those) or an unknown value.
 *
 * Only the `*` is replaced, by a space: every other character stays where it was, so lines,
 * columns and existing source maps remain right. The code is parsed as TypeScript or JavaScript
 * (with JSX for `.tsx`/`.jsx`) and must be an ES module importing genloop; other text comes back
 * unchanged, as does text that does not parse. The esbuild and Vite plugins use this function.
 *
 * @param code the module's source text.
 * @param options `typescript` (the module), `fileName`, `enabled`, `onRewrite`.
 * @returns the rewritten source text (the same string when nothing was rewritten).
 * @throws TypeError when `typescript` is missing or is not the module, or for a bad option.
 * @example
 * ```ts
 * import ts from "typescript";
 * import { rewriteYields } from "genloop/transform";
 *
 * const code = 'import { sleep as nap } from "genloop";\nfunction* f() { yield* nap(10); }\n';
 * console.log(rewriteYields(code, { typescript: ts, fileName: "f.ts" }).split("\n")[1]); // function* f() { yield  nap(10); }
 * ```
 */
export function rewriteYields(code: string, options: RewriteYieldsOptions): string {
  if (typeof code !== "string") throw new TypeError(`rewriteYields: code must be a string (the module's source text), got ${describeValue(code)}`);
  if (options === null || typeof options !== "object") {
    throw new TypeError(`rewriteYields: options must be an object like { typescript: ts, fileName: "app.ts" }, got ${describeValue(options)}`);
  }
  checkCompileStepOptions("rewriteYields", options);
  const ts = checkTypeScript("rewriteYields", options.typescript, USAGE);
  if (options.fileName !== undefined && typeof options.fileName !== "string") {
    throw new TypeError(`rewriteYields: options.fileName must be a string, got ${describeValue(options.fileName)}`);
  }
  if (options.enabled === false || !mayRewrite(code)) return code;
  const fileName = moduleFileName(options.fileName ?? "module.ts");
  const stars = rewritableStars(ts, code, fileName, options);
  if (stars.length === 0) return code;
  let out = "";
  let from = 0;
  for (const star of stars) {
    out += code.slice(from, star) + " ";
    from = star + 1;
  }
  return out + code.slice(from);
}

/** A cheap test before parsing: the text yields and names a genloop entry point. */
function mayRewrite(code: string): boolean {
  return code.indexOf("yield") !== -1 && code.indexOf("genloop") !== -1;
}

/** A file name the parser understands: a Vite id's query (`?v=1`) dropped, `.ts` when there is no known extension. */
function moduleFileName(fileName: string): string {
  const bare = fileName.replace(/[?#].*$/, "");
  return /\.[cm]?[jt]sx?$/.test(bare) ? bare : `${bare}.ts`;
}

/** The positions of the `*` of each rewritable `yield*`, in order. */
function rewritableStars(ts: typeof TS, code: string, fileName: string, options: RewriteYieldsOptions): number[] {
  const sourceFile = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true);
  // Text that does not parse is left to the bundler, which reports the error itself.
  if ((sourceFile as unknown as { parseDiagnostics?: readonly unknown[] }).parseDiagnostics?.length) return [];
  const candidates: TS.YieldExpression[] = [];
  const collect = (node: TS.Node): void => {
    if (ts.isYieldExpression(node) && node.asteriskToken !== undefined && node.expression !== undefined && calledName(ts, node.expression) !== undefined) {
      candidates.push(node);
    }
    ts.forEachChild(node, collect);
  };
  collect(sourceFile);
  if (candidates.length === 0) return [];
  const checker = bindOne(ts, sourceFile).getTypeChecker();
  const stars: number[] = [];
  for (const node of candidates) {
    if (!callsEffectFunction(ts, checker, node.expression!)) continue;
    if (options.onRewrite !== undefined) options.onRewrite(siteOf(ts, sourceFile, node, node.expression!));
    stars.push(node.asteriskToken!.getStart(sourceFile));
  }
  return stars;
}

/** `expression` without the parentheses around it. */
function unparenthesized(ts: typeof TS, expression: TS.Expression): TS.Expression {
  while (ts.isParenthesizedExpression(expression)) expression = expression.expression;
  return expression;
}

/** For `f(…)` and `ns.f(…)` (in parentheses or not): the identifier `f` or `ns` the call starts from; otherwise undefined. */
function calledName(ts: typeof TS, yielded: TS.Expression): TS.Identifier | undefined {
  const expression = unparenthesized(ts, yielded);
  if (!ts.isCallExpression(expression) || expression.questionDotToken !== undefined) return undefined;
  const callee = expression.expression;
  if (ts.isIdentifier(callee)) return callee;
  if (ts.isPropertyAccessExpression(callee) && callee.questionDotToken === undefined && ts.isIdentifier(callee.expression)) return callee.expression;
  return undefined;
}

/** Whether `expression` calls one of `effectFunctions` through a value import from its entry point. */
function callsEffectFunction(ts: typeof TS, checker: TS.TypeChecker, expression: TS.Expression): boolean {
  const name = calledName(ts, expression)!;
  const symbol = checker.getSymbolAtLocation(name);
  const declaration = symbol?.declarations?.length === 1 ? symbol.declarations[0] : undefined;
  if (declaration === undefined || (symbol!.flags & ts.SymbolFlags.Alias) === 0) return false;
  const callee = (unparenthesized(ts, expression) as TS.CallExpression).expression;
  let imported: string;
  let clause: TS.ImportClause;
  if (ts.isImportSpecifier(declaration) && ts.isIdentifier(callee)) {
    if (declaration.isTypeOnly) return false;
    imported = (declaration.propertyName ?? declaration.name).text;
    clause = declaration.parent.parent;
  } else if (ts.isNamespaceImport(declaration) && ts.isPropertyAccessExpression(callee)) {
    imported = callee.name.text;
    clause = declaration.parent;
  } else {
    return false;
  }
  if (clause.isTypeOnly || !ts.isStringLiteral(clause.parent.moduleSpecifier)) return false;
  const names = effectFunctions[clause.parent.moduleSpecifier.text];
  return names !== undefined && names.indexOf(imported) !== -1;
}

/** A program of the one file, without libraries or imports: only for its binder, which resolves names through scopes. */
function bindOne(ts: typeof TS, sourceFile: TS.SourceFile): TS.Program {
  const fileName = sourceFile.fileName;
  const host: TS.CompilerHost = {
    getSourceFile: (name) => (name === fileName ? sourceFile : undefined),
    writeFile: () => undefined,
    getDefaultLibFileName: () => "lib.d.ts",
    useCaseSensitiveFileNames: () => true,
    getCanonicalFileName: (name) => name,
    getCurrentDirectory: () => "",
    getNewLine: () => "\n",
    fileExists: (name) => name === fileName,
    readFile: () => undefined,
  };
  return ts.createProgram({ rootNames: [fileName], options: { noLib: true, noResolve: true, allowJs: true, types: [], jsx: ts.JsxEmit.Preserve }, host });
}
