// `npm run fuzz -- --count N --seed S [--program I] [--batch B]`: runs N generated programs of the
// batch of seed S on CPython and genloop, prints a progress line, and for the first divergence a
// shrunk program ready to be saved under spec/differential/regressions/.
import { compareBatch, formatDivergence, shrink } from "./compare.js";
import { programFor } from "./generate.js";
import { findPython } from "./oracle.js";

const USAGE = "usage: npm run fuzz -- [--count N] [--seed S] [--program I] [--batch B] [--keep-going]";
const VALUE_FLAGS = ["--count", "--seed", "--program", "--batch"];
for (let i = 2; i < process.argv.length; i++) {
  const arg = process.argv[i]!;
  if (VALUE_FLAGS.includes(arg)) i++;
  else if (arg !== "--keep-going") {
    console.error(`fuzz: unknown argument ${arg}\n${USAGE}`);
    process.exit(2);
  }
}

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`fuzz: --${name} needs a non-negative integer, got ${process.argv[i + 1]}\n${USAGE}`);
    process.exit(2);
  }
  return value;
}

const python = findPython();
if (python === null) {
  console.error("fuzz: no Python >= 3.11 found (tried PYENV_VERSION=3.13.0 python3, python3.13/3.12/3.11, python3)");
  process.exit(2);
}
const seed = option("seed", Math.floor(Math.random() * 2 ** 31));
const only = option("program", -1);
const count = only >= 0 ? 1 : option("count", 1000);
const batchSize = option("batch", 250);
const keepGoing = process.argv.includes("--keep-going");
console.log(`fuzz: seed ${seed}, ${count} programs, CPython ${python.version}`);

let failures = 0;
const started = Date.now();
for (let from = 0; from < count; from += batchSize) {
  const programs = [];
  for (let i = from; i < Math.min(count, from + batchSize); i++) programs.push(programFor(seed, only >= 0 ? only : i));
  const divergences = compareBatch(python, programs);
  const done = from + programs.length;
  const rate = Math.round((done / Math.max(1, Date.now() - started)) * 1000);
  process.stdout.write(`\r${done}/${count} programs, ${failures + divergences.length} divergent, ${rate}/s   `);
  for (const d of divergences) {
    failures++;
    console.log(`\n\nprogram ${d.program.index} of seed ${seed} diverges; shrinking…`);
    console.log(formatDivergence(shrink(python, d)));
    if (!keepGoing) break;
  }
  if (failures > 0 && !keepGoing) break;
}
console.log(`\nfuzz: ${failures === 0 ? "clean" : `${failures} divergent program(s)`}; replay with npm run fuzz -- --seed ${seed} --count ${count}`);
process.exit(failures === 0 ? 0 : 1);
