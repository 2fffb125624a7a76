import { expect } from "chai";
import { YieldOnce } from "../lib/yield-once.js";

/** The generator YieldOnce stands in for. */
function* reference(awaited: unknown): Generator<unknown, unknown, any> {
  return yield awaited;
}

type Op = ["next", unknown] | ["return", unknown] | ["throw", unknown];

/** Applies `ops` to an iterator and records every result or thrown value. */
function trace(it: Generator<unknown, unknown, any>, ops: Op[]): unknown[] {
  return ops.map(([method, arg]) => {
    try {
      return { ok: it[method](arg as never) };
    } catch (error) {
      return { threw: error };
    }
  });
}

describe("YieldOnce (what yield* effect / yield* future iterate)", () => {
  const awaited = { kind: "sleep" };
  const err = new Error("boom");
  const sequences: Op[][] = [
    [["next", 1], ["next", 2], ["next", 3]],
    [["next", undefined], ["throw", err], ["next", 4]],
    [["throw", err], ["next", 1]],
    [["return", 7], ["next", 1], ["throw", err]],
    [["next", 1], ["return", 9], ["next", 2], ["return", 3]],
    [["next", 1], ["next", 2], ["throw", err], ["return", 5]],
  ];
  for (const ops of sequences) {
    it(`behaves like function* () { return yield x } for ${ops.map((o) => o[0]).join(", ")}`, () => {
      expect(trace(new YieldOnce(awaited), ops)).to.deep.equal(trace(reference(awaited), ops));
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
