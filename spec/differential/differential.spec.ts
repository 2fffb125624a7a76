// Differential testing against CPython asyncio (README.md beside this file; docs/how-genloop-is-tested.md).
import { expect } from "chai";
import { compareBatch, firstDivergence, formatDivergence, shrink } from "./compare.js";
import { programFor } from "./generate.js";
import { interpret } from "./interpret.js";
import { findPython, runOracle } from "./oracle.js";
import { replayable, type Program } from "./program.js";
import { loadRegressions } from "./regressions.js";

const python = findPython();
if (python === null) {
  const why =
    process.env.DIFFERENTIAL_PYTHON === "none"
      ? "DIFFERENTIAL_PYTHON=none"
      : "no Python >= 3.11 found (tried PYENV_VERSION=3.13.0 python3, python3.13, python3.12, python3.11, python3)";
  console.warn(`\n*** DIFFERENTIAL TESTS AGAINST CPYTHON SKIPPED: ${why}. ***\n`);
} else if (!python.version.startsWith("3.13.")) {
  console.warn(`\n*** differential tests use CPython ${python.version}; the reference is 3.13 (some semantics differ) ***\n`);
}

/** Fixed seeds: 3 × 100 programs of growing size, the same on every run. */
const FIXED_SEEDS = [1, 2, 3];
const PER_SEED = 100;
/** One fresh seed per run (or DIFFERENTIAL_SEED), printed so a failure can be replayed. */
const FRESH_COUNT = 100;

function batch(seed: number, count: number): Program[] {
  return Array.from({ length: count }, (_, i) => programFor(seed, i));
}

function expectNoDivergence(programs: Program[], replay: string): void {
  if (python === null) return;
  const divergences = compareBatch(python, programs);
  if (divergences.length === 0) return;
  const shrunk = shrink(python, divergences[0]);
  expect.fail(
    `${divergences.length} of ${programs.length} programs diverge from CPython ${python.version}; ` +
      `replay: ${replay}\nfirst one, shrunk:\n${formatDivergence(shrunk)}\n` +
      `save it with: node build/spec/differential/regress.js NAME '${JSON.stringify(replayable(shrunk.program))}' "NOTE"`,
  );
}

describe("differential: genloop against CPython asyncio", function () {
  this.timeout(180_000);

  describe("regression programs (spec/differential/regressions)", () => {
    const regressions = loadRegressions();
    it("there are regression programs", () => {
      expect(regressions.length).to.be.greaterThan(0);
    });
    for (const r of regressions) {
      it(`${r.name}: genloop's trace is CPython's`, () => {
        const d = firstDivergence(r.program, r.expected, interpret(r.program).trace);
        if (d !== null) expect.fail(`${r.note}\n${formatDivergence(d)}`);
      });
    }
    it("the stored traces are what CPython gives today", function () {
      if (python === null) this.skip();
      const live = runOracle(python, regressions.map((r) => r.program));
      regressions.forEach((r, i) => expect(live[i], r.name).to.deep.equal({ trace: r.expected }));
    });
  });

  for (const seed of FIXED_SEEDS) {
    it(`${PER_SEED} generated programs of seed ${seed} give CPython's traces`, function () {
      if (python === null) this.skip();
      expectNoDivergence(batch(seed, PER_SEED), `npm run fuzz -- --seed ${seed} --count ${PER_SEED}`);
    });
  }

  it(`${FRESH_COUNT} programs of a fresh seed give CPython's traces`, function () {
    if (python === null) this.skip();
    const env = process.env.DIFFERENTIAL_SEED;
    const seed = env !== undefined ? Number(env) : Math.floor(Math.random() * 2 ** 31);
    console.log(`      differential: fresh seed ${seed} (replay: npm run fuzz -- --seed ${seed} --count ${FRESH_COUNT})`);
    expectNoDivergence(batch(seed, FRESH_COUNT), `npm run fuzz -- --seed ${seed} --count ${FRESH_COUNT}`);
  });

  it("the comparator reports a divergence and shrinks it", function () {
    if (python === null) this.skip();
    // A deliberately wrong "CPython" trace: the comparator must point at the first bad event.
    const program: Program = { main: [{ op: "sleep", ms: 3 }, { op: "sleep", ms: 4 }] };
    const actual = interpret(program).trace;
    const expected = actual.map((e, i) => (i === 2 ? [4, "main", "slept", 4] : e));
    const d = firstDivergence(program, expected, actual);
    expect(d?.at).to.equal(2);
    expect(formatDivergence(d!)).to.contain("divergence at event 2");
    // Shrinking keeps a program that still diverges: here, none does, so it is kept as it was.
    expect(shrink(python, d!).program).to.deep.equal(program);
  });
});
