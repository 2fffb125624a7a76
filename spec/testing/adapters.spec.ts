// Each runner adapter, tested by running that runner on its small suite in spec/testing/runners
// (two tests that pass, one that fails on purpose; docs/testing-your-code.md shows these files).
// Needs dist/ (npm test builds it first).
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { it as nodeIt } from "node:test";
import { sleep, type Coroutine } from "../../lib/index.js";
import { withGenerators, type GeneratorTest } from "../../lib/testing/index.js";

const dir = "spec/testing/runners";

function* sleepFor(ms: number): Coroutine<void> {
  yield* sleep(ms);
}

/** Runs `args` with node from the package root; returns the exit code and the output. */
function runner(args: string[]): { status: number | null; out: string } {
  const result = spawnSync(process.execPath, args, { encoding: "utf8", timeout: 60_000, env: { ...process.env, CI: "1", NO_COLOR: "1", FORCE_COLOR: "0" } });
  return { status: result.status, out: `${result.stdout}\n${result.stderr}` };
}

/**
 * Skips the test when the runner is not installed: a work tree that merged the lockfile without
 * running `npm install`. CI installs from the lockfile (`npm ci`), so there every runner runs.
 */
function needs(ctx: Mocha.Context, runnerFile: string): void {
  if (!existsSync(runnerFile)) ctx.skip();
}

/** What every runner must show for the suite: the stuck test failed, naming its tasks. */
function expectStuckTestReported(out: string): void {
  expect(out).to.contain("deadlock at 0 ms while waiting for the test body to finish");
  expect(out).to.contain("Task 'test body' (pending): task 'waiter'");
  expect(out).to.contain("└── Task 'waiter' (pending): <Event [unset, waiters:1]>.wait()");
}

describe("test-runner adapters, each run by its runner on a small suite", function () {
  this.timeout(90_000);

  before(function () {
    if (!existsSync("dist/cjs/testing.cjs")) this.skip();
  });

  it("mocha", () => {
    const { status, out } = runner(["node_modules/mocha/bin/mocha.js", "--no-config", "--reporter", "dot", `${dir}/mocha.test.mjs`]);
    expect(status).to.equal(1);
    expect(out).to.match(/2 passing/);
    expect(out).to.match(/1 failing/);
    expectStuckTestReported(out);
  });

  it("node:test", () => {
    const { status, out } = runner(["--test", "--test-reporter=spec", `${dir}/node-test.test.mjs`]);
    expect(status).to.equal(1);
    expect(out).to.match(/ℹ pass 2/);
    expect(out).to.match(/ℹ fail 1/);
    expectStuckTestReported(out);
  });

  it("vitest", function () {
    needs(this, "node_modules/vitest/vitest.mjs");
    const { status, out } = runner(["node_modules/vitest/vitest.mjs", "run", "--config", `${dir}/vitest.config.mjs`]);
    expect(status).to.equal(1);
    expect(out).to.match(/1 failed \| 2 passed/);
    expectStuckTestReported(out);
  });

  it("jest", function () {
    needs(this, "node_modules/jest/bin/jest.js");
    const { status, out } = runner(["node_modules/jest/bin/jest.js", "--config", `${dir}/jest.config.cjs`, "--ci"]);
    expect(status).to.equal(1);
    expect(out).to.match(/1 failed, 2 passed/);
    expectStuckTestReported(out);
  });
});

describe("withGenerators", () => {
  /** A fake runner `it` recording what is declared and running it at once. */
  function fakeRunner() {
    const declared: { how: string; name: string; error?: unknown }[] = [];
    const make = (how: string) => (name: string, fn: () => void) => {
      const entry: { how: string; name: string; error?: unknown } = { how, name };
      declared.push(entry);
      expect(fn.length).to.equal(0); // mocha and jest would otherwise wait for a done callback
      try {
        fn();
      } catch (error) {
        entry.error = error;
      }
    };
    const it = Object.assign(make("it"), { only: make("only"), skip: make("skip") });
    return { it, declared };
  }

  it("declares tests through the runner's it, only and skip, with defaults the test's own options override", () => {
    const { it, declared } = fakeRunner();
    const gen: GeneratorTest = withGenerators(it, { timeLimit: 10 });
    gen("a", function* () {
      yield* sleepFor(5);
    });
    gen.only("b", function* () {
      yield* sleepFor(50);
    });
    gen.skip(
      "c",
      function* () {
        yield* sleepFor(50);
      },
      { timeLimit: 100 },
    );
    gen.explore(
      "d",
      function* (t) {
        if (t.seed === 3) throw new Error("seed 3");
      },
      { seeds: 5 },
    );
    expect(declared.map((d) => [d.how, d.name])).to.deep.equal([
      ["it", "a"],
      ["only", "b"],
      ["skip", "c"],
      ["it", "d"],
    ]);
    expect(declared[0].error).to.equal(undefined);
    expect(String(declared[1].error)).to.contain("time limit of 10 ms");
    expect(declared[2].error).to.equal(undefined);
    expect(String(declared[3].error)).to.contain("failed under schedule seed 3");
  });

  it("accepts node:test's it as it is typed", () => {
    expect(withGenerators(nodeIt).explore).to.be.a("function");
  });

  it("validates its arguments", () => {
    expect(() => withGenerators(null as never)).to.throw(TypeError, /expected the test runner's it/);
    expect(() => withGenerators(() => {}, { wallLimit: -1 })).to.throw(RangeError, /wallLimit/);
    const { it } = fakeRunner();
    expect(() => withGenerators(it)("x", null as never)).to.throw(TypeError, /must be a generator function/);
    expect(() => withGenerators(it)("x", function* () {}, { leaks: "no" as never })).to.throw(RangeError, /x: leaks must be/);
    expect(() => withGenerators(() => {}).only("x", function* () {})).to.throw(TypeError, /has no only/);
  });
});
