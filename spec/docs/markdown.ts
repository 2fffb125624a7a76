// Code blocks of the documentation (README.md, docs/, and the @example blocks of lib/'s doc
// comments), as the snippet spec checks them.
//
// Fences and what the spec does with them:
//   ```ts / ```js (also typescript, javascript)  type-checked with tsc --strict against the built
//                                                package, then run with node (exit code 0)
//   ```ts no-run                                  type-checked only (needs a network, a host, runs forever…)
//   ```ts fragment                                not checked: an excerpt shown as code (lib/ @example only)
//   ```text, ```sh, ```python, ```html, …         not checked (signatures and pseudo-code go in `text`)
// An HTML comment right before a fence adds to it:
//   <!-- prelude                                   code prepended to the block, unseen by readers:
//   declare function fetchPage(url: string): …       declarations of the helpers a fragment uses
//   -->
//   <!-- output -->  before a ```text fence: the exact stdout of the runnable block above it.
//   <!-- file: spec/x/y.test.mjs -->             the block is that file, verbatim (a test runner's
//                                                 suite, which the spec of that runner runs): compared
//                                                 with the file, not compiled or run here.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export type Language = "ts" | "js";

export interface Snippet {
  /** The markdown file, relative to the repository root. */
  file: string;
  /** The line of the opening fence (1-based). */
  line: number;
  language: Language;
  /** Run after type-checking (false for `no-run` blocks). */
  run: boolean;
  /** Hidden code placed before the block (from a `<!-- prelude -->` comment). */
  prelude: string;
  code: string;
  /** The expected stdout, when the block is followed by `<!-- output -->` and a text fence. */
  output: string | null;
  /** The repository file the block must equal (a `<!-- file: … -->` comment); such a block is not compiled or run. */
  copyOf: string | null;
}

const LANGUAGES: Record<string, Language> = { ts: "ts", typescript: "ts", js: "js", javascript: "js" };
const FLAGS = new Set(["no-run", "fragment"]);

interface Fence {
  line: number;
  info: string;
  body: string;
  /** The HTML comment directly before the fence (blank lines allowed), if any. */
  comment: string | null;
}

function fences(text: string): Fence[] {
  const lines = text.split("\n");
  const result: Fence[] = [];
  let comment: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const open = /^(`{3,})(.*)$/.exec(line);
    if (open) {
      const end = lines.findIndex((l, j) => j > i && l.startsWith(open[1]!) && l.trim() === open[1]);
      if (end < 0) throw new Error(`unclosed code fence at line ${i + 1}`);
      result.push({ line: i + 1, info: open[2]!.trim(), body: lines.slice(i + 1, end).join("\n"), comment });
      comment = null;
      i = end;
    } else if (line.trim().startsWith("<!--")) {
      const end = lines.findIndex((l, j) => j >= i && l.includes("-->"));
      if (end < 0) throw new Error(`unclosed HTML comment at line ${i + 1}`);
      comment = lines.slice(i, end + 1).join("\n");
      i = end;
    } else if (line.trim() !== "") {
      comment = null;
    }
  }
  return result;
}

/** Every checked code block of one markdown file. */
export function snippetsOf(file: string, text: string): Snippet[] {
  const snippets: Snippet[] = [];
  for (const fence of fences(text)) {
    const [lang = "", ...flags] = fence.info.split(/\s+/);
    const where = `${file}:${fence.line}`;
    const isOutput = fence.comment !== null && /^<!--\s*output\s*-->$/.test(fence.comment.trim());
    if (isOutput) {
      const last = snippets[snippets.length - 1];
      if (lang !== "text" || !last || !last.run) throw new Error(`${where}: <!-- output --> must precede a text fence that follows a runnable block`);
      last.output = fence.body;
      continue;
    }
    const language = LANGUAGES[lang];
    if (!language) continue;
    const copy = fence.comment ? /^<!--\s*file:\s*(\S+)\s*-->$/.exec(fence.comment.trim()) : null;
    if (copy) {
      if (!existsSync(copy[1]!)) throw new Error(`${where}: <!-- file: ${copy[1]} --> names a file that does not exist`);
      snippets.push({ file, line: fence.line, language, run: false, prelude: "", code: fence.body, output: null, copyOf: copy[1]! });
      continue;
    }
    for (const flag of flags) if (!FLAGS.has(flag)) throw new Error(`${where}: unknown fence flag "${flag}" (known: ${[...FLAGS].join(", ")})`);
    const prelude = fence.comment ? /^<!--\s*prelude\s*\n([\s\S]*?)-->$/.exec(fence.comment.trim()) : null;
    snippets.push({
      file,
      line: fence.line,
      language,
      run: !flags.includes("no-run"),
      prelude: prelude ? prelude[1]! : "",
      code: fence.body,
      output: null,
      copyOf: null,
    });
  }
  return snippets;
}

/**
 * The fenced `@example` blocks of the doc comments of one source file: a ```ts fence right after
 * an `@example` line, with the comment's leading ` * ` removed. They are checked like README blocks
 * (they are what the API reference shows).
 */
export function examplesOf(file: string, text: string): Snippet[] {
  const lines = text.split("\n");
  const snippets: Snippet[] = [];
  const uncomment = (line: string): string => line.replace(/^\s*\* ?/, "");
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*\*\s*@example\s*$/.test(lines[i]!)) continue;
    const open = /^```(\S*)(.*)$/.exec(uncomment(lines[i + 1] ?? ""));
    if (!open) continue; // an unfenced example: TypeDoc shows it as code, unchecked
    const end = lines.findIndex((l, j) => j > i + 1 && uncomment(l).trim() === "```");
    if (end < 0) throw new Error(`${file}:${i + 2}: unclosed code fence`);
    const language = LANGUAGES[open[1]!];
    if (!language) continue; // a text example (output, a signature)
    const flags = open[2]!.trim().split(/\s+/).filter((f) => f !== "");
    for (const flag of flags) if (!FLAGS.has(flag)) throw new Error(`${file}:${i + 2}: unknown fence flag "${flag}"`);
    if (flags.includes("fragment")) {
      i = end;
      continue;
    }
    const code = lines.slice(i + 2, end).map(uncomment).join("\n");
    snippets.push({ file, line: i + 2, language, run: !flags.includes("no-run"), prelude: "", code, output: null, copyOf: null });
    i = end;
  }
  return snippets;
}

/** Every TypeScript source under lib/, sorted. */
export function sourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(join(root, dir)).sort()) {
      const path = `${dir}/${name}`;
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else if (name.endsWith(".ts")) files.push(path);
    }
  };
  walk("lib");
  return files;
}

/** README.md and every markdown file under docs/ (except generated ones), sorted. */
export function documentationFiles(root: string): string[] {
  const files = ["README.md"];
  const walk = (dir: string): void => {
    for (const name of readdirSync(join(root, dir)).sort()) {
      const path = `${dir}/${name}`;
      if (statSync(join(root, path)).isDirectory()) {
        if (path !== "docs/api") walk(path);
      } else if (name.endsWith(".md")) files.push(path);
    }
  };
  walk("docs");
  return files;
}

/** The blocks of README.md and docs/, then the `@example` blocks of lib/. */
export function allSnippets(root: string): Snippet[] {
  return [
    ...documentationFiles(root).flatMap((file) => snippetsOf(file, readFileSync(join(root, file), "utf8"))),
    ...sourceFiles(root).flatMap((file) => examplesOf(file, readFileSync(join(root, file), "utf8"))),
  ];
}
