// Type tests of genloop/testing: what must compile, with precise types, and what must not.
import { expect } from "chai";
import { expectTypeOf } from "expect-type";
import { it as nodeIt } from "node:test";
import { sleep, type Coroutine } from "../../lib/index.js";
import { FakeCall, explore, runTest, withGenerators, type ExploreReport, type FakeCallState, type TestContext } from "../../lib/testing/index.js";

describe("genloop/testing types", () => {
  it("runTest returns what the body returns; the body gets the test context", () => {
    const n = runTest(function* (t) {
      expectTypeOf(t).toEqualTypeOf<TestContext>();
      expectTypeOf(t.seed).toEqualTypeOf<number | null>();
      yield* sleep(1);
      return 42;
    });
    expectTypeOf(n).toEqualTypeOf<number>();
    expect(n).to.equal(42);
  });

  it("explore returns a report; fake calls are typed by their value", () => {
    const report = explore(function* () {}, { seeds: [1] });
    expectTypeOf(report).toEqualTypeOf<ExploreReport>();
    expectTypeOf<FakeCall<number>["resolve"]>().parameter(0).toEqualTypeOf<number>();
    expectTypeOf<FakeCall<number>["state"]>().toEqualTypeOf<FakeCallState>();
    expect(report.seeds).to.deep.equal([1]);
  });

  it("rejects what must not compile", () => {
    const never = (): void => {
      // @ts-expect-error a test body is a generator function, not a plain one
      runTest(() => 5);
      // @ts-expect-error a coroutine object is not a body: the kit calls the body once per run
      runTest((function* (): Coroutine<void> {})());
      // @ts-expect-error leaks is "fail" or "cancel"
      runTest(function* () {}, { leaks: "ignore" });
      // @ts-expect-error explore takes seeds, not one scheduleSeed
      explore(function* () {}, { scheduleSeed: 3 });
      // @ts-expect-error withGenerators takes a runner's it function
      withGenerators("it");
      // @ts-expect-error a FakeCall<number> resolves with a number
      (null as unknown as FakeCall<number>).resolve("text");
      // node:test's it fits as it is typed:
      withGenerators(nodeIt)("name", function* () {});
    };
    expect(never).to.be.a("function");
  });
});
