import { readFileSync } from "node:fs";
import { describeValue } from "../describe.js";
import { rewriteYields, type RewriteYieldsOptions } from "./rewrite-yields.js";
import { checkCompileStepOptions, type CompileStepOptions } from "./rewrite-site.js";
import { checkTypeScript, type TypeScriptModule } from "./typescript-module.js";

/** Options of the bundler plugins. */
export interface YieldsPluginOptions extends CompileStepOptions {
  /** The `typescript` module: its parser and binder read each file (no type checking). */
  readonly typescript: TypeScriptModule;
  /** Which files to rewrite, by path. Default: `.ts`, `.tsx`, `.mts`, `.cts`, `.js`, `.jsx`, `.mjs`, `.cjs` outside node_modules. */
  readonly include?: RegExp;
}

/** The part of esbuild's plugin API the plugin uses (typed here: genloop does not depend on esbuild). */
export interface EsbuildPluginBuild {
  /** Registers a loader for the files `options.filter` matches. */
  onLoad(
    options: { filter: RegExp },
    callback: (args: { path: string }) => { contents: string; loader: "ts" | "tsx" | "js" | "jsx" } | undefined,
  ): void;
}

/** An esbuild plugin: pass it in `plugins`. */
export interface EsbuildPlugin {
  /** The plugin's name. */
  readonly name: string;
  /** Called by esbuild at the start of a build. */
  setup(build: EsbuildPluginBuild): void;
}

/** A Vite (or Rollup) plugin: pass it in `plugins`. */
export interface VitePlugin {
  /** The plugin's name. */
  readonly name: string;
  /** Vite runs it before its own TypeScript step (Rollup ignores this). */
  readonly enforce: "pre";
  /** Rewrites one module: null when there is nothing to rewrite. */
  transform(code: string, id: string): ViteTransformResult | null;
}

/** A module the Vite plugin rewrote. */
export interface ViteTransformResult {
  /** The rewritten code. */
  readonly code: string;
  /** Null: the code did not move (lines and columns are kept), so existing source maps stay right. */
  readonly map: null;
}

/** The files the plugins read: JavaScript and TypeScript modules (a filter esbuild's Go regular expressions accept). */
const SCRIPT = /\.[cm]?[jt]sx?$/;
const NODE_MODULES = /[\\/]node_modules[\\/]/;

/**
 * The compile step without types, as an esbuild plugin: each matching file is loaded, rewritten by
 * `rewriteYields` (calls of genloop's effect functions under `yield*` become a bare `yield`) and
 * handed to esbuild with its loader; files with nothing to rewrite are left to esbuild. Use it
 * in builds that bundle your code (tsup and other tools built on esbuild take esbuild plugins).
 * Another plugin loading the same files runs instead of this one (esbuild uses the first that answers).
 *
 * @param options `typescript` (the module), `include`, `enabled`, `onRewrite`.
 * @returns the plugin.
 * @throws TypeError when `typescript` is missing or is not the module, or for a bad option.
 * @example
 * ```ts
 * import type { BuildOptions } from "esbuild";
 * import ts from "typescript";
 * import { esbuildYields } from "genloop/transform";
 *
 * // What esbuild.build(options) takes: your entry points, and the plugin.
 * const options: BuildOptions = { entryPoints: ["src/main.ts"], bundle: true, outdir: "out", plugins: [esbuildYields({ typescript: ts })] };
 * console.log(options.plugins?.[0]?.name); // genloop-yields
 * ```
 */
export function esbuildYields(options: YieldsPluginOptions): EsbuildPlugin {
  const { typescript, include } = checkPluginOptions("esbuildYields", options, "esbuildYields({ typescript: ts })");
  return {
    name: "genloop-yields",
    setup(build) {
      if (options.enabled === false) return;
      // Synchronous: esbuild takes a result as well as a promise of one, and the rewrite itself is
      // synchronous work on the file's text.
      build.onLoad({ filter: SCRIPT }, (args) => {
        if (!include(args.path)) return undefined;
        const code = readFileSync(args.path, "utf8");
        const rewritten = rewriteYields(code, rewriteOptions(typescript, args.path, options));
        return rewritten === code ? undefined : { contents: rewritten, loader: loaderOf(args.path) };
      });
    },
  };
}

/**
 * The compile step without types, as a Vite plugin (also a Rollup plugin): rewrites each matching
 * module with `rewriteYields` before Vite strips its types. Characters keep their places, so source
 * maps stay right (`map: null`).
 *
 * @param options `typescript` (the module), `include`, `enabled`, `onRewrite`.
 * @returns the plugin.
 * @throws TypeError when `typescript` is missing or is not the module, or for a bad option.
 */
export function viteYields(options: YieldsPluginOptions): VitePlugin {
  const { typescript, include } = checkPluginOptions("viteYields", options, "viteYields({ typescript: ts })");
  return {
    name: "genloop-yields",
    enforce: "pre",
    transform(code, id) {
      if (options.enabled === false || !include(id.replace(/[?#].*$/, ""))) return null;
      const rewritten = rewriteYields(code, rewriteOptions(typescript, id, options));
      return rewritten === code ? null : { code: rewritten, map: null };
    },
  };
}

function checkPluginOptions(where: string, options: YieldsPluginOptions, usage: string): { typescript: TypeScriptModule; include: (path: string) => boolean } {
  if (options === null || typeof options !== "object") throw new TypeError(`${where}: options must be an object like { typescript: ts }, got ${describeValue(options)}`);
  checkCompileStepOptions(where, options);
  const typescript = checkTypeScript(where, options.typescript, usage);
  if (options.include !== undefined && !(options.include instanceof RegExp)) {
    throw new TypeError(`${where}: options.include must be a RegExp matching the paths to rewrite, got ${describeValue(options.include)}`);
  }
  const include = options.include;
  return { typescript, include: include === undefined ? (path) => SCRIPT.test(path) && !NODE_MODULES.test(path) : (path) => include.test(path) };
}

function rewriteOptions(typescript: TypeScriptModule, fileName: string, options: CompileStepOptions): RewriteYieldsOptions {
  return options.onRewrite === undefined ? { typescript, fileName } : { typescript, fileName, onRewrite: options.onRewrite };
}

/** esbuild's loader for a path: ts, tsx, js or jsx. */
function loaderOf(path: string): "ts" | "tsx" | "js" | "jsx" {
  const m = /\.[cm]?([jt]s)(x?)$/.exec(path);
  return m === null ? "ts" : ((m[1]! + m[2]!) as "ts" | "tsx" | "js" | "jsx");
}
