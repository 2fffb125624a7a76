// Rewrites a generated region of the documentation: the text between
//   <!-- generated:NAME (command that regenerates it) -->   and   <!-- /generated:NAME -->
// in README.md and docs/*.md, wherever the markers are. Tables built from measured numbers
// (bundle sizes, the engine matrix) live in such regions, so they are never edited by hand.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

function documents() {
  const docs = readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => join(root, "docs", f));
  return [join(root, "README.md"), ...docs];
}

function regionPattern(name) {
  return new RegExp(`(<!-- generated:${name}\\b[^>]*-->\\n)([\\s\\S]*?)(<!-- /generated:${name} -->)`);
}

/** The current text of region `name` ({ file, text }), or null when no document has its markers. */
export function readRegion(name) {
  for (const file of documents()) {
    const match = regionPattern(name).exec(readFileSync(file, "utf8"));
    if (match) return { file, text: match[2] };
  }
  return null;
}

/** `document` with region `name`'s content replaced by `text` (ending in a newline), or null when it has no such region. */
export function replaceRegion(document, name, text) {
  const pattern = regionPattern(name);
  return pattern.test(document) ? document.replace(pattern, (_, open, _old, close) => open + text + close) : null;
}

/** Replaces region `name` with `text` (ending in a newline); returns the files it changed. */
export function writeRegion(name, text) {
  const changed = [];
  for (const file of documents()) {
    const before = readFileSync(file, "utf8");
    const after = replaceRegion(before, name, text) ?? before;
    if (after !== before) {
      writeFileSync(file, after);
      changed.push(file);
    }
  }
  return changed;
}

/** A Markdown table from a header row and body rows of strings. */
export function markdownTable(header, rows) {
  const line = (cells) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n") + "\n";
}

/**
 * The command line of a script whose one option is `--update` (rewrite its generated region):
 * true when it was given. Any other argument is refused: the script's name, what was wrong and
 * its usage go to stderr, and the process exits with status 2. `script` is the script's path
 * from the repository root, as its usage shows it.
 */
export function wantsUpdate(script) {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== "--update");
  if (unknown.length > 0) {
    console.error(`${script.slice(script.lastIndexOf("/") + 1)}: unknown argument(s) ${unknown.join(", ")}\nusage: node ${script} [--update]   (after npm run build)`);
    process.exit(2);
  }
  return args.includes("--update");
}
