// Type tests: the compile step's functions fit where TypeScript, esbuild and Vite take them,
// without genloop's declarations naming any of their types, and a missing `typescript` module is a
// compile error (each `@ts-expect-error` fails the build if its line compiles).
import { expect } from "chai";
import type { Plugin as EsbuildPluginType } from "esbuild";
import { expectTypeOf } from "expect-type";
import ts from "typescript";
import type { Plugin as VitePluginType } from "vite";
import { esbuildYields, rewriteYields, typedYields, viteYields } from "../../lib/transform/index.js";

describe("transform: types", () => {
  it("typedYields gives what program.emit takes; the plugins are esbuild's and Vite's plugins", () => {
    const program = ts.createProgram({ rootNames: [], options: {} });
    const factory: ts.TransformerFactory<ts.SourceFile> = typedYields(program, { typescript: ts });
    const patched: ts.TransformerFactory<ts.SourceFile> = typedYields(program, {}, { ts }); // ts-patch's call
    const esbuildPlugin: EsbuildPluginType = esbuildYields({ typescript: ts });
    const vitePlugin: VitePluginType = viteYields({ typescript: ts, include: /\.ts$/ });
    expectTypeOf(rewriteYields("", { typescript: ts })).toEqualTypeOf<string>();
    expect([factory, patched].every((f) => typeof f === "function")).to.equal(true);
    expect([esbuildPlugin.name, vitePlugin.name]).to.deep.equal(["genloop-yields", "genloop-yields"]);
  });

  it("the typescript module is required by the plugins and rewriteYields, and must be the module", () => {
    const wrong = (): void => {
      // @ts-expect-error the typescript module is required
      esbuildYields({});
      // @ts-expect-error the typescript module is required
      viteYields({ include: /x/ });
      // @ts-expect-error options with the typescript module are required
      rewriteYields("");
      // @ts-expect-error a module has a version string
      rewriteYields("", { typescript: 5 });
      // @ts-expect-error include is a RegExp
      esbuildYields({ typescript: ts, include: "*.ts" });
      // @ts-expect-error a Program is required
      typedYields({}, { typescript: ts });
    };
    expect(wrong).to.throw(TypeError, /esbuildYields: options.typescript must be the typescript module/);
  });
});
