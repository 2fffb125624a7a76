// The bundler plugins (lib/transform/plugins.ts): which files they rewrite, what they hand back,
// and their errors. Their output on real programs is checked in equivalence.spec.ts.
import { expect } from "chai";
import * as esbuild from "esbuild";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { esbuildYields, viteYields, type RewriteSite } from "../../lib/transform/index.js";
import { FIXTURES, prepareFixtures } from "./compile.js";

const code = 'import { sleep } from "genloop";\nexport function* f() { yield* sleep(1); }\n';

describe("transform: the esbuild and Vite plugins", function () {
  this.timeout(30_000);

  it("viteYields rewrites matching modules before Vite's own TypeScript step, with map null (nothing moved)", () => {
    const plugin = viteYields({ typescript: ts });
    expect(plugin.enforce).to.equal("pre");
    expect(plugin.transform(code, "/src/f.ts?v=12")).to.deep.equal({ code: code.replace("yield*", "yield "), map: null });
    expect(plugin.transform(code, "/app/node_modules/lib/f.ts"), "node_modules are left alone by default").to.equal(null);
    expect(plugin.transform(code, "/src/style.css")).to.equal(null);
    expect(plugin.transform("export const x = 1;\n", "/src/x.ts"), "nothing to rewrite").to.equal(null);
    expect(viteYields({ typescript: ts, include: /lib/ }).transform(code, "/app/node_modules/lib/f.ts")).to.not.equal(null);
    expect(viteYields({ typescript: ts, enabled: false }).transform(code, "/src/f.ts")).to.equal(null);
  });

  it("esbuildYields rewrites the files it matches and leaves the others to esbuild", async () => {
    prepareFixtures();
    const dir = join(FIXTURES, "plugin");
    mkdirSync(join(dir, "skip"), { recursive: true });
    writeFileSync(join(dir, "f.ts"), code);
    writeFileSync(join(dir, "skip", "g.ts"), code.replace("f()", "g()"));
    writeFileSync(join(dir, "entry.ts"), 'export { f } from "./f";\nexport { g } from "./skip/g";\n');
    const bundle = async (options: Parameters<typeof esbuildYields>[0]): Promise<{ text: string; sites: RewriteSite[] }> => {
      const sites: RewriteSite[] = [];
      const result = await esbuild.build({
        entryPoints: [join(dir, "entry.ts")],
        bundle: true,
        write: false,
        format: "esm",
        external: ["genloop"],
        plugins: [esbuildYields({ ...options, onRewrite: (s) => sites.push(s) })],
      });
      return { text: result.outputFiles[0]!.text, sites };
    };
    const all = await bundle({ typescript: ts });
    expect(all.sites.map((s) => s.fileName.slice(dir.length)).sort()).to.deep.equal(["/f.ts", "/skip/g.ts"]);
    expect(all.text).to.match(/yield sleep\(1\)/).and.match(/yield sleep2\(1\)/).and.not.contain("yield*");
    const some = await bundle({ typescript: ts, include: /plugin[\\/]f\.ts$/ });
    expect(some.sites.map((s) => s.fileName.slice(dir.length))).to.deep.equal(["/f.ts"]);
    expect(some.text).to.match(/yield sleep\(1\)/).and.match(/yield\* sleep2\(1\)/);
    const none = await bundle({ typescript: ts, enabled: false });
    expect(none.sites).to.deep.equal([]);
    expect(none.text.match(/yield\* sleep2?\(1\)/g)).to.have.length(2);
  });

  it("say what to do when typescript is missing, and check their options", () => {
    expect(() => esbuildYields(undefined as never)).to.throw(TypeError, /esbuildYields: options must be an object like \{ typescript: ts \}/);
    expect(() => esbuildYields({} as never)).to.throw(TypeError, /esbuildYields: options.typescript must be the typescript module, got nothing.*esbuildYields\(\{ typescript: ts \}\)/);
    expect(() => viteYields({} as never)).to.throw(TypeError, /viteYields: options.typescript must be the typescript module.*viteYields\(\{ typescript: ts \}\)/);
    expect(() => viteYields({ typescript: ts, include: "*.ts" as never })).to.throw(TypeError, /viteYields: options.include must be a RegExp/);
    expect(() => esbuildYields({ typescript: ts, onRewrite: "log" as never })).to.throw(TypeError, /esbuildYields: options.onRewrite must be a function/);
  });
});
