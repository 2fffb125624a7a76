// What the published package weighs, part by part: each part of what `npm pack` would publish
// (the ES modules' code, their declarations, the CommonJS files, each script bundle, the rest)
// packed alone as npm packs (tar, gzip level 9), and the declarations once more without their
// doc comments. Together with the whole tarball's size, this is what the package budget in
// spec/package-contents.spec.ts is weighed against.
//   node scripts/package/parts.mjs [--update]   (after npm run build; --update: the table into docs/size.md)
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import ts from "typescript";
import { markdownTable, wantsUpdate, writeRegion } from "../docs/generated-region.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** The part of the package a published file belongs to. */
export function partOf(path) {
  if (path.startsWith("dist/esm/") && path.endsWith(".d.ts")) return "declarations (`dist/esm/**/*.d.ts`)";
  if (path.startsWith("dist/esm/")) return "ES modules (`dist/esm/**/*.js`)";
  if (path.startsWith("dist/cjs/")) return "CommonJS (`dist/cjs`)";
  if (/^dist\/genloop\.[^/]*\.js$/.test(path)) return `\`${path.slice("dist/".length)}\``;
  return "README, LICENSE, CHANGELOG, package.json";
}

/** `text` without its `/** … *\/` doc comments (a declaration file as it would ship without its documentation). */
export function withoutDocComments(text) {
  const file = ts.createSourceFile("x.d.ts", text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const ranges = [];
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, file.text);
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.MultiLineCommentTrivia && file.text.startsWith("/**", scanner.getTokenPos())) ranges.push([scanner.getTokenPos(), scanner.getTextPos()]);
  }
  let out = text;
  for (const [start, end] of ranges.reverse()) out = out.slice(0, start) + out.slice(end);
  return out;
}

/** The gzip level 9 size of a tar of `files` ({ path, text or bytes }), as npm packs them. */
function packedSize(files) {
  const dir = mkdtempSync(join(tmpdir(), "genloop-parts-"));
  try {
    for (const f of files) {
      mkdirSync(dirname(join(dir, "package", f.path)), { recursive: true });
      writeFileSync(join(dir, "package", f.path), f.contents);
    }
    const tar = execFileSync("tar", ["-cf", "-", "-C", dir, ...files.map((f) => join("package", f.path))], { maxBuffer: 1 << 28 });
    return gzipSync(tar, { level: 9 }).length;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** [{ part, files, packed }] for every part, then the combinations the budget discussion needs. */
export function measureParts() {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  const pack = JSON.parse(out)[0];
  const files = pack.files.map((f) => ({ path: f.path, contents: readFileSync(join(root, f.path)) }));
  const parts = new Map();
  for (const f of files) {
    const part = partOf(f.path);
    if (!parts.has(part)) parts.set(part, []);
    parts.get(part).push(f);
  }
  const rows = [...parts].map(([part, members]) => ({ part, files: members.length, packed: packedSize(members) }));
  const declarations = files.filter((f) => f.path.endsWith(".d.ts"));
  const bare = declarations.map((f) => ({ path: f.path, contents: withoutDocComments(f.contents.toString("utf8")) }));
  rows.push({ part: "the declarations without their doc comments", files: bare.length, packed: packedSize(bare) });
  const esm = files.filter((f) => f.path.startsWith("dist/esm/"));
  rows.push({ part: "**the ES modules with their declarations, nothing else**", files: esm.length, packed: packedSize(esm) });
  rows.push({ part: "**the whole package** (`npm pack`)", files: pack.entryCount, packed: pack.size });
  return rows;
}

function main() {
  const update = wantsUpdate("scripts/package/parts.mjs");
  const table = markdownTable(
    ["part of the package", "files", "packed alone"],
    measureParts().map((r) => [r.part, String(r.files), `${(r.packed / 1000).toFixed(1)} KB`]),
  );
  console.log(table);
  if (update) console.log(`written to ${writeRegion("package-parts", table).join(", ") || "(unchanged)"}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
