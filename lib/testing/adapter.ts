import { describeValue } from "../describe.js";
import { explore, type ExploreOptions } from "./explore.js";
import { checkOptions, runTest, type TestBody, type TestOptions } from "./run-test.js";

/** A runner's test-declaring function as it is called here: `it(name, fn)`. */
type Declare = (name: string, fn: () => void) => unknown;

/**
 * The `it` (or `test`) of a test runner: mocha's, node:test's, vitest's and jest's all fit.
 * Its `only` and `skip`, when it has them, are wrapped too.
 */
export interface RunnerTest extends Declare {
  /** The runner's `only`, if it has one. */
  only?: Declare;
  /** The runner's `skip`, if it has one. */
  skip?: Declare;
}

/** Declares a test whose body is a generator function run by `runTest`. */
export interface GeneratorTestDeclare {
  (name: string, body: TestBody<unknown>, options?: TestOptions): void;
}

/** What `withGenerators` returns: `it`, `it.only`, `it.skip`, `it.explore` taking generator bodies. */
export interface GeneratorTest extends GeneratorTestDeclare {
  /** The runner's `only`. @throws TypeError if the runner's `it` has no `only`. */
  only: GeneratorTestDeclare;
  /** The runner's `skip`. @throws TypeError if the runner's `it` has no `skip`. */
  skip: GeneratorTestDeclare;
  /** A test run under many schedule seeds (see `explore`), failing with the first failing seed. */
  explore(name: string, body: TestBody<unknown>, options?: ExploreOptions): void;
}

/**
 * Lets a test runner take generator functions as test bodies: each runs with `runTest` on its
 * own loop and virtual clock, and fails at once (not at the runner's timeout) naming the stuck
 * tasks. Works with mocha, node:test, vitest and jest: pass that runner's `it` or `test`.
 *
 * @param it the runner's `it`/`test` function.
 * @param defaults options for every test it declares (each test's own options win).
 * @returns an `it` taking `function*` bodies, with `.only`, `.skip` and `.explore`.
 * @throws TypeError if `it` is not a function; RangeError/TypeError for bad default options.
 * @example
 * ```ts
 * import { it as nodeIt } from "node:test";
 * import { sleep } from "genloop";
 * import { withGenerators } from "genloop/testing";
 *
 * const it = withGenerators(nodeIt);
 * it("waits a minute of virtual time", function* (t) {
 *   yield* sleep(60_000);
 *   if (t.loop.time() !== 60_000) throw new Error("the clock did not jump");
 * });
 * ```
 */
export function withGenerators(it: RunnerTest, defaults: TestOptions = {}): GeneratorTest {
  if (typeof it !== "function") {
    throw new TypeError(`withGenerators: expected the test runner's it or test function, got ${describeValue(it)}`);
  }
  checkOptions("withGenerators", defaults);
  const declareWith = (declare: Declare | undefined, which: string): GeneratorTestDeclare => (name, body, options) => {
    if (typeof declare !== "function") {
      throw new TypeError(`withGenerators: this runner's it has no ${which}`);
    }
    checkBody(body);
    const merged = { ...defaults, ...options };
    checkOptions(name, merged);
    declare(name, () => {
      runTest(body, merged);
    });
  };
  const test = declareWith(it, "it") as GeneratorTest;
  test.only = declareWith(it.only?.bind(it), "only");
  test.skip = declareWith(it.skip?.bind(it), "skip");
  test.explore = (name, body, options) => {
    checkBody(body);
    const merged = { ...defaults, ...options };
    it(name, () => {
      explore(body, merged);
    });
  };
  return test;
}

function checkBody(body: unknown): void {
  if (typeof body !== "function") {
    throw new TypeError(`withGenerators: the test body must be a generator function (function* (t) { … }), got ${describeValue(body)}`);
  }
}
