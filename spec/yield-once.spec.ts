import { expect } from "chai";
import { YieldOnce } from "../lib/yield-once.js";
import { ONCE_SEQUENCES, traceIterator, yieldOnceReference } from "./helpers.js";

describe("YieldOnce (what yield* effect / yield* future iterate)", () => {
  const awaited = { kind: "sleep" };
  for (const ops of ONCE_SEQUENCES) {
    it(`behaves like function* () { return yield x } for ${ops.map((o) => o[0]).join(", ")}`, () => {
      expect(traceIterator(new YieldOnce(awaited), ops)).to.deep.equal(traceIterator(yieldOnceReference(awaited), ops));
    });
  }

  it("is its own iterator and works with yield*", () => {
    const it = new YieldOnce<string, number>("x");
    expect(it[Symbol.iterator]()).to.equal(it);
    function* user(): Generator<unknown, number, any> {
      return (yield* new YieldOnce<string, number>("x")) + 1;
    }
    const g = user();
    expect(g.next()).to.deep.equal({ value: "x", done: false });
    expect(g.next(41)).to.deep.equal({ value: 42, done: true });
  });
});
