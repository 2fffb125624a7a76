// `node build/spec/differential/regress.js NAME PROGRAM_JSON "NOTE"`: runs a (shrunk) program on
// CPython and saves it with CPython's trace as spec/differential/regressions/NAME.json.
import { readFileSync } from "node:fs";
import { findPython, runOracle } from "./oracle.js";
import { replayable, type Program } from "./program.js";
import { saveRegression } from "./regressions.js";

const [name, source, note] = process.argv.slice(2);
if (!name || !source || !note || !/^[\w-]+$/.test(name)) {
  console.error('usage: node build/spec/differential/regress.js NAME \'{"main":[...]}\'|@file.json "what diverged and what was fixed"');
  process.exit(2);
}
const python = findPython();
if (python === null) {
  console.error("regress: no Python >= 3.11 found: the expected trace comes from CPython");
  process.exit(2);
}
const program = JSON.parse(source.startsWith("@") ? readFileSync(source.slice(1), "utf8") : source) as Program;
const result = runOracle(python, [replayable(program)])[0];
if (!("trace" in result)) {
  console.error(`regress: CPython's interpreter crashed: ${result.crash}`);
  process.exit(1);
}
console.log(`saved ${saveRegression(name, note, program, result.trace)}`);
