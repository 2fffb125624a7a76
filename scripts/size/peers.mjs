// The minimal program beside its peers: scripts/size/minimal.js and the same program written for
// Effection and redux-saga (scripts/size/peers/), each bundled by size.mjs's bundleProgram (one
// esbuild configuration for all: minified, ES2020, a production build), then gzip level 9. Each
// bundle is run in Node and must print what genloop's prints, so every row measures a program
// that does the same work. The peers' versions are those installed (package.json pins them).
//   node scripts/size/peers.mjs [--update]   (after npm run build; --update: writes the table into docs/size.md)
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { markdownTable, wantsUpdate, writeRegion } from "../docs/generated-region.mjs";
import { bundleProgram } from "./size.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** The programs compared: genloop's minimal program (from genloop/core and from genloop), then each peer's. */
export const programs = [
  { name: "genloop (genloop/core)", file: "minimal.js", package: null, options: {} },
  { name: "genloop (genloop)", file: "minimal.js", package: null, options: { coreAsMain: true } },
  { name: "Effection", file: "peers/effection.js", package: "effection", options: {} },
  { name: "redux-saga", file: "peers/redux-saga.js", package: "redux-saga", options: {} },
];

const versionOf = (name) => (name === null ? JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version : JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")).version);

/** Runs a bundle (ES module source) in Node: what it printed. */
function runBundle(code) {
  const dir = mkdtempSync(join(tmpdir(), "genloop-peers-"));
  try {
    const file = join(dir, "program.mjs");
    writeFileSync(file, code);
    return execFileSync(process.execPath, [file], { encoding: "utf8" });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Each program of `list` (by default `programs`) bundled and run: [{ name, version, bytes, gzip }].
 * Throws when a program prints something other than the first one does (it would not be the
 * same program).
 */
export async function measurePeers(list = programs) {
  const rows = [];
  let expected;
  for (const program of list) {
    const { code } = await bundleProgram(program.file, program.options);
    const printed = runBundle(code);
    expected ??= printed;
    if (printed !== expected) {
      throw new Error(`peers.mjs: ${program.file} printed ${JSON.stringify(printed)}, not ${JSON.stringify(expected)} as ${list[0].file} does: it is not the same program`);
    }
    rows.push({ name: program.name, version: versionOf(program.package), bytes: code.length, gzip: gzipSync(code, { level: 9 }).length });
  }
  return rows;
}

/** docs/size.md's table of the programs (Markdown). */
export function peersTable(rows) {
  return markdownTable(
    ["program", "version", "minified", "min+gzip"],
    rows.map((row) => [row.name, row.version, `${row.bytes} B`, `${row.gzip} B`]),
  );
}

async function main() {
  const update = wantsUpdate("scripts/size/peers.mjs");
  const rows = await measurePeers();
  for (const row of rows) console.log(`${`${row.name} ${row.version}`.padEnd(32)} ${String(row.bytes).padStart(7)} B  ${String(row.gzip).padStart(6)} B min+gzip`);
  if (update) console.log(`written to ${writeRegion("size-peers", peersTable(rows)).join(", ") || "(unchanged)"}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
