import type * as TS from "typescript";
import { describeValue } from "../describe.js";

/**
 * The `typescript` module (`import ts from "typescript"`), as the compile step receives it. genloop
 * does not depend on TypeScript and never loads it: you pass the module your build already uses.
 * Typed loosely, so that genloop's declarations need no `typescript` types.
 */
export interface TypeScriptModule {
  /** The compiler's version, e.g. `"5.9.3"`. */
  readonly version: string;
}

/** What the compile step calls on the module: checked before use, so a wrong argument fails early. */
const required = ["createSourceFile", "createProgram", "visitEachChild", "isYieldExpression", "isCallExpression", "getLineAndCharacterOfPosition"];

/**
 * @internal Checks that `value` is the `typescript` module and returns it typed. `usage` shows
 * the call that passes it (`typedYields(program, { typescript: ts })`).
 * @throws TypeError naming `where` and how to pass the module.
 */
export function checkTypeScript(where: string, value: unknown, usage: string): typeof TS {
  const module = value as Record<string, unknown> | null | undefined;
  const missing =
    module === null || module === undefined || (typeof module !== "object" && typeof module !== "function")
      ? required
      : required.filter((name) => typeof module[name] !== "function");
  if (missing.length === 0 && typeof module!.factory === "object" && typeof module!.version === "string") return value as typeof TS;
  const got = value === undefined ? "nothing" : describeValue(value);
  throw new TypeError(
    `${where}: options.typescript must be the typescript module, got ${got}` +
      (missing.length < required.length ? ` (without ${missing.concat(typeof module?.factory === "object" ? [] : ["factory"]).join(", ")})` : "") +
      `. genloop does not depend on TypeScript and never loads it: install it (npm install -D typescript) and pass it, ` +
      `e.g. \`import ts from "typescript"\` then ${usage}.`,
  );
}
