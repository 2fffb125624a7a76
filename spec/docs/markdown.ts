// Code blocks of the documentation, as the snippet spec checks them.
//
// Fences and what the spec does with them:
//   ```ts / ```js (also typescript, javascript)  type-checked with tsc --strict against the built
//                                                package, then run with node (exit code 0)
//   ```ts no-run                                  type-checked only (needs a network, a host, runs forever…)
//   ```text, ```sh, ```python, ```html, …         not checked (signatures and pseudo-code go in `text`)
// An HTML comment right before a fence adds to it:
//   <!-- prelude                                   code prepended to the block, unseen by readers:
//   declare function fetchPage(url: string): …       declarations of the helpers a fragment uses
//   -->
//   <!-- output -->  before a ```text fence: the exact stdout of the runnable block above it.
//   <!-- checked-elsewhere: spec/x.spec.ts -->  a block that another spec checks in its own way
//                                                 (a test runner's suite): skipped here.
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
}

const LANGUAGES: Record<string, Language> = { ts: "ts", typescript: "ts", js: "js", javascript: "js" };
const FLAGS = new Set(["no-run"]);

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
    const elsewhere = fence.comment ? /^<!--\s*checked-elsewhere:\s*(\S+)\s*-->$/.exec(fence.comment.trim()) : null;
    if (elsewhere) {
      if (!existsSync(elsewhere[1]!)) throw new Error(`${where}: checked-elsewhere names ${elsewhere[1]}, which does not exist`);
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
    });
  }
  return snippets;
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

export function allSnippets(root: string): Snippet[] {
  return documentationFiles(root).flatMap((file) => snippetsOf(file, readFileSync(join(root, file), "utf8")));
}
