// TypeDoc (`npm run docs`): the API reference of every entry point in package.json's `exports`,
// built into docs/api (git-ignored). Validation warnings are errors, so an export, a member or an
// option without a doc comment fails the build and spec/docs/api-reference.spec.ts.
import { readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));
/** `./dist/esm/interop/promise.js` → `lib/interop/promise.ts`, for each `import` target. */
const entryPoints = Object.values(pkg.exports)
  .map((target) => target?.import?.default)
  .filter((path) => typeof path === "string")
  .map((path) => path.replace(/^\.\/dist\/esm\//, "lib/").replace(/\.js$/, ".ts"));

/** @type {Partial<import("typedoc").TypeDocOptions>} */
export default {
  name: "genloop",
  entryPoints,
  tsconfig: "tsconfig.build.json",
  out: "docs/api",
  readme: "none",
  excludeInternal: true,
  excludePrivate: true,
  excludeProtected: true,
  sourceLinkTemplate: "https://github.com/genloop/genloop/blob/main/{path}#L{line}",
  validation: { notExported: true, invalidLink: true, notDocumented: true },
  treatWarningsAsErrors: true,
  // Internal plumbing and type helpers that appear in public signatures without being exports.
  intentionallyNotExported: ["TimerOwner", "Runnable", "Callback", "Element", "Results", "Settled", "Declare", "CoroutineEntry", "Yieldable", "FutureOf"],
  // Members of type literals that TypeDoc cannot attach a comment to.
  intentionallyNotDocumented: [
    "interop/promise.HostAbortSignal.__type.AbortSignal",
    "interop/promise.HostAbortSignal.__type.AbortSignal.__type.prototype",
    "index.CustomEffect.__type.kind",
    "index.ResultOf.__type.[iterator]",
    "durable.patched.__type.id",
    "durable.CodecHook.encode.__type.type",
    "durable.CodecHook.encode.__type.data",
    "durable.ReadEntry.__type.line",
    "interop/promise.PromiseEffect.source",
    "index.CallEffect.coro",
    "index.CallbackEffect.setup",
    "index.ShieldEffect.awaitable",
    "index.TaskGroupEffect.body",
  ],
};
