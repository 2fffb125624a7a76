/** Where the compile step turned a `yield*` into a bare `yield`: what `onRewrite` receives. */
export interface RewriteSite {
  /** The file, as the compiler or bundler names it. */
  readonly fileName: string;
  /** The line of the `yield*`, 1-based. */
  readonly line: number;
  /** The column of the `yield*`, 1-based. */
  readonly column: number;
  /** The source text of the yielded expression, e.g. `sleep(0)`. */
  readonly expression: string;
}

/** The options every form of the compile step takes. */
export interface CompileStepOptions {
  /**
   * False leaves every file untouched, e.g. for debug builds (see docs/compile-step.md: the call
   * graph learns a coroutine's name and debug mode notes its wait site at a `yield*`). Default true.
   */
  readonly enabled?: boolean;
  /** Called for each `yield*` rewritten, e.g. to log or count them. */
  readonly onRewrite?: (site: RewriteSite) => void;
}

/** @internal Validates the options common to every form; `where` names the caller. */
export function checkCompileStepOptions(where: string, options: CompileStepOptions): void {
  if (options.enabled !== undefined && typeof options.enabled !== "boolean") {
    throw new TypeError(`${where}: options.enabled must be true or false, got ${String(options.enabled)}`);
  }
  if (options.onRewrite !== undefined && typeof options.onRewrite !== "function") {
    throw new TypeError(`${where}: options.onRewrite must be a function, got ${typeof options.onRewrite}`);
  }
}
