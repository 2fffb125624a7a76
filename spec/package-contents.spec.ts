// What `npm publish` would upload: the tarball's contents and size (from `npm pack --dry-run`),
// the metadata a registry page shows, type resolution of every entry point under every
// TypeScript resolution mode (attw), and the package.json lint (publint).
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

interface PackResult {
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}

/**
 * The packed (gzip) size budget of the tarball, in bytes. What it holds, measured when it was last
 * set (gzip level 9 of each part): the ES modules 65 KB, their declarations with the doc comments
 * 70 KB, the CommonJS bundle 59 KB, genloop.iife.min.js 40 KB, genloop.es5.min.js 48 KB; 310 KB
 * packed in all. Each part is one copy of the library, so new code costs about four times its
 * gzip size here. The budget is there to catch another copy (readable bundles, source maps, a
 * second set of declarations: 35 KB or more each), with room for ~3% growth of the code: past
 * it, either something was added that should not ship, or the growth is wanted, and the budget
 * is raised here with the new measurements. `node scripts/package/parts.mjs` measures each part
 * (docs/size.md, "The package").
 */
const packedBudget = 320_000;

interface EntryPoint {
  subpath: string;
  module: string;
  name: string;
}

const bin = (name: string): string => `node_modules/.bin/${name}`;
const pkg = JSON.parse(readFileSync("package.json", "utf8")) as Record<string, unknown>;

/** Every file path package.json points to (exports, main, module, types, typesVersions). */
function pointedTo(): string[] {
  const paths: string[] = [];
  const visit = (value: unknown): void => {
    if (typeof value === "string") paths.push(value.replace(/^\.\//, ""));
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === "object") Object.values(value).forEach(visit);
  };
  visit(pkg.exports);
  visit([pkg.main, pkg.module, pkg.types]);
  visit(pkg.typesVersions);
  return paths.filter((p) => p !== "package.json");
}

describe("the published package", function () {
  this.timeout(120_000);
  let pack: PackResult;

  before(() => {
    const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    pack = (JSON.parse(out) as PackResult[])[0]!;
  });

  it("ships the build, the types, the README, the LICENSE and the CHANGELOG, and no sources, source maps or tests", () => {
    const paths = pack.files.map((f) => f.path);
    for (const required of ["package.json", "README.md", "LICENSE", "CHANGELOG.md"]) expect(paths).to.include(required);
    const unexpected = paths.filter(
      (p) => !["package.json", "README.md", "LICENSE", "CHANGELOG.md"].includes(p) && !/^dist\/.*\.(js|cjs|d\.ts|d\.cts)$/.test(p),
    );
    expect(unexpected, "files outside dist/ or of another kind").to.deep.equal([]);
    expect(paths.filter((p) => p.endsWith(".map") || (p.endsWith(".ts") && !p.endsWith(".d.ts")))).to.deep.equal([]);
  });

  it(`is at most ${packedBudget / 1000} KB packed, with one copy of the code per format and one of the declarations`, () => {
    expect(pack.size, `packed size (unpacked ${pack.unpackedSize} bytes, ${pack.files.length} files); see packedBudget's comment`).to.be.at.most(packedBudget);
    const paths = pack.files.map((f) => f.path);
    expect(paths.filter((p) => p.endsWith(".d.ts") && !p.startsWith("dist/esm/")), "declarations outside dist/esm").to.deep.equal([]);
    const cjsCopies = pack.files.filter((f) => f.path.startsWith("dist/cjs/") && f.size > 300).map((f) => f.path);
    // genloop.cjs, and the compile step (genloop/transform), which shares no class with the rest.
    expect(cjsCopies, "CommonJS files that are more than a re-export").to.deep.equal(["dist/cjs/genloop.cjs", "dist/cjs/transform.cjs"]);
    expect(paths.filter((p) => /^dist\/genloop\./.test(p)), "the bundles").to.deep.equal(["dist/genloop.es5.min.js", "dist/genloop.iife.min.js"]);
  });

  it("names the same entry points in exports and typesVersions as the build (scripts/bundle/entry-points.mjs)", async () => {
    const { entryPoints } = (await import(pathToFileURL("scripts/bundle/entry-points.mjs").href)) as { entryPoints: EntryPoint[] };
    const exportsMap = pkg.exports as Record<string, unknown>;
    expect(Object.keys(exportsMap)).to.deep.equal([...entryPoints.map((e) => e.subpath), "./package.json"]);
    for (const e of entryPoints) {
      const esm = { types: `./dist/esm/${e.module}.d.ts`, default: `./dist/esm/${e.module}.js` };
      expect(exportsMap[e.subpath], e.subpath).to.deep.equal({
        "module-sync": esm,
        import: esm,
        require: { types: `./dist/cjs/${e.name}.d.cts`, default: `./dist/cjs/${e.name}.cjs` },
      });
    }
    const typesVersions = (pkg.typesVersions as Record<string, Record<string, string[]>>)["*"]!;
    expect(typesVersions).to.deep.equal(Object.fromEntries(entryPoints.filter((e) => e.subpath !== ".").map((e) => [e.subpath.slice(2), [`./dist/esm/${e.module}.d.ts`]])));
  });

  it("contains every file that package.json's exports, main, module, types and typesVersions name", () => {
    const paths = new Set(pack.files.map((f) => f.path));
    expect(pointedTo().filter((p) => !paths.has(p))).to.deep.equal([]);
  });

  it("has the metadata a registry page shows: license, repository, homepage, bugs, keywords, author", () => {
    expect(pkg.license).to.equal("MIT");
    expect(pkg.repository).to.have.property("url").that.matches(/^git\+https:\/\/github\.com\/genloop\/genloop\.git$/);
    expect(pkg.homepage).to.match(/^https:\/\//);
    expect(pkg.bugs).to.have.property("url").that.matches(/^https:\/\//);
    expect(pkg.keywords).to.be.an("array").with.length.above(3);
    expect(pkg.author).to.be.a("string").and.not.equal("");
  });

  it("resolves every entry point's types under node10, node16 (CJS and ESM) and bundler (attw)", () => {
    try {
      execFileSync(bin("attw"), ["--pack", ".", "--format", "ascii", "--no-color", "--no-emoji"], { encoding: "utf8", stdio: "pipe" });
    } catch (e) {
      expect.fail(`attw found problems:\n${String((e as { stdout?: unknown }).stdout ?? e)}`);
    }
  });

  it("type-checks a CommonJS and an ES module consumer under module node16 with skipLibCheck off (the .d.cts re-exports)", () => {
    const dir = mkdtempSync(join(tmpdir(), "genloop-types-"));
    try {
      mkdirSync(join(dir, "node_modules"));
      symlinkSync(resolve("."), join(dir, "node_modules", "genloop"), "dir");
      writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true }));
      const program = (load: string): string => `${load}
function* main(): Coroutine<number> { yield* genloop.sleep(1); return 1; }
const task: genloop.Task<number> = new genloop.EventLoop().createTask(main());
const settled: Promise<number> = promise.toPromise(task);
void settled;
// @ts-expect-error a Task's result is a number
const wrong: string = task.result();
void wrong;
`;
      writeFileSync(join(dir, "app.cts"), program(`import genloop = require("genloop");
import promise = require("genloop/promise");
import type { Coroutine } from "genloop";`));
      writeFileSync(join(dir, "app.mts"), program(`import * as genloop from "genloop";
import * as promise from "genloop/promise";
import type { Coroutine } from "genloop";`));
      const compilerOptions = { module: "node16", target: "es2020", lib: ["es2020"], types: [], strict: true, noEmit: true, skipLibCheck: false };
      writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["app.cts", "app.mts"] }));
      try {
        execFileSync(process.execPath, [resolve("node_modules/typescript/bin/tsc"), "-p", "."], { cwd: dir, encoding: "utf8", stdio: "pipe" });
      } catch (e) {
        expect.fail(`tsc:\n${String((e as { stdout?: unknown }).stdout ?? e)}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("passes publint with warnings as errors", () => {
    const out = execFileSync(bin("publint"), ["run", "--strict", "--pack", "npm"], { encoding: "utf8", stdio: "pipe" });
    expect(out).to.contain("All good!");
  });
});

interface PartsScript {
  partOf(path: string): string;
  withoutDocComments(text: string): string;
}

describe("the package's parts (scripts/package/parts.mjs)", () => {
  const load = (): Promise<PartsScript> => import(pathToFileURL(resolve("scripts/package/parts.mjs")).href) as Promise<PartsScript>;

  it("sorts every published file into its part", async () => {
    const { partOf } = await load();
    expect(partOf("dist/esm/task.d.ts")).to.contain("declarations");
    expect(partOf("dist/esm/compose/timeout.js")).to.contain("ES modules");
    expect(partOf("dist/cjs/genloop.cjs")).to.contain("CommonJS");
    expect(partOf("dist/genloop.es5.min.js")).to.equal("`genloop.es5.min.js`");
    expect(partOf("LICENSE")).to.contain("LICENSE");
  });

  it("takes out doc comments only, and keeps what looks like one inside a string", async () => {
    const { withoutDocComments } = await load();
    const text = [
      "/** A task. @example createTask(c) */",
      "export declare class Task {",
      "  /* a plain comment */",
      '  readonly kind: "/** not a comment */";',
      "}",
    ].join("\n");
    expect(withoutDocComments(text)).to.equal(
      ["", "export declare class Task {", "  /* a plain comment */", '  readonly kind: "/** not a comment */";', "}"].join("\n"),
    );
  });
});
