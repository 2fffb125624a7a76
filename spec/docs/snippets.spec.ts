// Every ts/js code block of README.md and docs/**/*.md, and every fenced @example of lib/'s doc
// comments, compiles with tsc --strict against the built package (imported as "genloop", as a
// user would) and, unless marked `no-run`, runs and exits cleanly; a block followed by
// `<!-- output -->` and a text fence prints exactly that; a block marked `<!-- file: path -->` is
// that file of the repository, verbatim. The conventions are in spec/docs/markdown.ts.
import { expect } from "chai";
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { allSnippets, type Snippet } from "./markdown.js";

const root = process.cwd();
const dir = join(root, "build", "snippets");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const RUN_TIMEOUT_MS = 20_000;
const PARALLEL_RUNS = 3;

const sourceName = (s: Snippet): string => {
  const base = `${s.file.replace(/[^A-Za-z0-9]+/g, "_")}_L${s.line}`;
  if (s.language === "ts") return `${base}.ts`;
  return /\brequire\(/.test(s.code) ? `${base}.cjs` : `${base}.mjs`;
};
const outputName = (s: Snippet): string => sourceName(s).replace(/\.ts$/, ".js");
const lineCount = (text: string): number => (text === "" ? 0 : text.split("\n").length - (text.endsWith("\n") ? 1 : 0));

interface Outcome {
  compileErrors: string[];
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

function writeProject(snippets: Snippet[]): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "src"), { recursive: true });
  for (const s of snippets) writeFileSync(join(dir, "src", sourceName(s)), s.prelude + s.code + "\n");
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        target: "ES2022",
        lib: ["ES2022"],
        module: "NodeNext",
        moduleResolution: "NodeNext",
        moduleDetection: "force",
        types: ["node"],
        allowJs: true,
        checkJs: true,
        skipLibCheck: true,
        rootDir: "src",
        outDir: "out",
      },
      files: snippets.map((s) => `src/${sourceName(s)}`),
    }),
  );
}

/** tsc's diagnostics for the given snippets: one line each, `file:line:column message`. */
function typeCheck(snippets: Snippet[]): Map<Snippet, string[]> {
  writeProject(snippets);
  let report = "";
  try {
    execFileSync(process.execPath, [tsc, "-p", join(dir, "tsconfig.json"), "--pretty", "false"], { encoding: "utf8", cwd: root });
  } catch (e) {
    report = String((e as { stdout?: unknown }).stdout ?? e);
  }
  const byName = new Map(snippets.map((s) => [sourceName(s), s]));
  const errors = new Map<Snippet, string[]>();
  for (const line of report.split("\n")) {
    const m = /(?:^|[\\/])src[\\/]([^\\/(]+)\((\d+),(\d+)\): (.*)$/.exec(line);
    const s = m ? byName.get(m[1]!) : undefined;
    if (!m || !s) {
      if (line.trim() !== "") throw new Error(`tsc reported an error outside the snippets: ${line}`);
      continue;
    }
    const row = Number(m[2]) - lineCount(s.prelude);
    const message = row > 0 ? `${s.file}:${s.line + row}:${m[3]} ${m[4]}` : `${s.file}:${s.line} (prelude line ${m[2]}) ${m[4]}`;
    errors.set(s, [...(errors.get(s) ?? []), message]);
  }
  return errors;
}

/**
 * Type-checks every snippet and emits JavaScript for the clean ones. tsc reports no semantic
 * error at all while any file has a syntax error, so files with errors are set aside and the
 * rest checked again, until a pass is clean.
 */
function compileAll(snippets: Snippet[]): Map<Snippet, string[]> {
  const errors = new Map<Snippet, string[]>(snippets.map((s) => [s, []]));
  let remaining = snippets;
  for (;;) {
    const found = typeCheck(remaining);
    for (const [s, messages] of found) errors.set(s, messages);
    if (found.size === 0 || found.size === remaining.length) return errors;
    remaining = remaining.filter((s) => !found.has(s));
  }
}

function runOne(s: Snippet): Promise<Pick<Outcome, "stdout" | "stderr" | "exitCode">> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(dir, "out", outputName(s))], { cwd: root, timeout: RUN_TIMEOUT_MS, encoding: "utf8" }, (error, stdout, stderr) => {
      const code = error ? ((error as { code?: unknown }).code ?? null) : 0;
      resolve({ stdout, stderr: error?.killed ? `${stderr}\n(killed after ${RUN_TIMEOUT_MS} ms)` : stderr, exitCode: typeof code === "number" ? code : null });
    });
  });
}

async function runAll(snippets: Snippet[], errors: Map<Snippet, string[]>): Promise<Map<Snippet, Outcome>> {
  const outcomes = new Map<Snippet, Outcome>();
  const queue = snippets.filter((s) => s.run && errors.get(s)!.length === 0);
  const worker = async (): Promise<void> => {
    for (let s = queue.shift(); s; s = queue.shift()) outcomes.set(s, { compileErrors: [], ...(await runOne(s)) });
  };
  await Promise.all(Array.from({ length: PARALLEL_RUNS }, worker));
  return outcomes;
}

describe("documentation code blocks", function () {
  this.timeout(180_000);
  const all = allSnippets(root);
  const snippets = all.filter((s) => s.copyOf === null);
  const copies = all.filter((s) => s.copyOf !== null);
  let errors = new Map<Snippet, string[]>();
  let outcomes = new Map<Snippet, Outcome>();

  before(async function () {
    if (!existsSync(join(root, "dist", "esm", "index.js"))) throw new Error("the snippets import the built package: run `npm run build` first");
    errors = compileAll(snippets);
    outcomes = await runAll(snippets, errors);
  });

  it("there are blocks to check, in the README, in docs/ and in lib/'s @example comments", () => {
    expect(snippets.filter((s) => s.file === "README.md").length).to.be.greaterThan(0);
    expect(snippets.filter((s) => s.file.startsWith("docs/")).length).to.be.greaterThan(10);
    expect(snippets.filter((s) => s.file.startsWith("lib/")).length).to.be.at.least(20);
  });

  for (const s of copies) {
    it(`${s.file}:${s.line} (${s.language}) is ${s.copyOf}, verbatim`, () => {
      expect(s.code + "\n").to.equal(readFileSync(join(root, s.copyOf!), "utf8"));
    });
  }

  for (const s of snippets) {
    const title = `${s.file}:${s.line} (${s.language}${s.run ? "" : ", no-run"}) ${s.run ? "compiles and runs" : "compiles"}${s.output !== null ? ", printing what the page shows" : ""}`;
    it(title, () => {
      expect(errors.get(s), "tsc --strict errors").to.deep.equal([]);
      if (!s.run) return;
      const outcome = outcomes.get(s)!;
      expect(outcome.exitCode, `exit code; stderr:\n${outcome.stderr}`).to.equal(0);
      if (s.output !== null) expect(outcome.stdout.trimEnd()).to.equal(s.output.trimEnd());
    });
  }
});
