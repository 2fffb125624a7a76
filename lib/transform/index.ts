// genloop/transform: the opt-in compile step that turns `yield* effect` into a bare `yield`
// (docs/compile-step.md). Build-time only: the runtime never imports it, and it never loads
// TypeScript itself (the caller passes the module).
export { typedYields, type TypedYieldsOptions, type TransformerExtras, type ProgramLike, type SourceFileTransformerFactory } from "./typed-yields.js";
export { rewriteYields, type RewriteYieldsOptions } from "./rewrite-yields.js";
export { esbuildYields, viteYields, type YieldsPluginOptions, type EsbuildPlugin, type EsbuildPluginBuild, type VitePlugin, type ViteTransformResult } from "./plugins.js";
export type { CompileStepOptions, RewriteSite } from "./rewrite-site.js";
export type { TypeScriptModule } from "./typescript-module.js";
