// The persistent map behind Context: a bitmapped trie keyed by variable ids, checked against a Map.
import { expect } from "chai";
import fc from "fast-check";
import { ABSENT, ContextData, type ContextKey } from "../../lib/context/context-data.js";

const key = (id: number): ContextKey => ({ _id: id });

function entries(data: ContextData): [number, unknown][] {
  const out: [number, unknown][] = [];
  data.forEach((k, v) => out.push([k._id, v]));
  return out.sort((a, b) => a[0] - b[0]);
}

describe("context: the persistent map (ContextData)", () => {
  it("set, lookup, delete, size; older versions are unchanged", () => {
    const a = key(1);
    const b = key(33); // same low five bits as 1: a second level
    const c = key(2 ** 32 - 1); // the deepest ids
    const v0 = ContextData.EMPTY;
    const v1 = v0.set(a, "a");
    const v2 = v1.set(b, "b").set(c, "c");
    const v3 = v2.set(a, "A");
    expect(v0.lookup(a)).to.equal(ABSENT);
    expect(v1.lookup(a)).to.equal("a");
    expect(v1.lookup(b)).to.equal(ABSENT);
    expect([v2.lookup(a), v2.lookup(b), v2.lookup(c), v2.size]).to.deep.equal(["a", "b", "c", 3]);
    expect([v3.lookup(a), v3.size]).to.deep.equal(["A", 3]);
    const v4 = v3.delete(b);
    expect([v4.lookup(b), v4.lookup(a), v4.lookup(c), v4.size]).to.deep.equal([ABSENT, "A", "c", 2]);
    expect(v3.lookup(b)).to.equal("b");
    expect(v4.delete(key(99))).to.equal(v4); // absent: the same map
    expect(v4.delete(a).delete(c)).to.equal(ContextData.EMPTY);
    expect(key(1)).not.to.equal(a);
    expect(v1.lookup(key(1))).to.equal(ABSENT); // keys are compared by identity, not by id
  });

  it("agrees with a Map under random sets and deletes, ids small and deep", () => {
    const ids = fc.oneof(fc.integer({ min: 0, max: 70 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }));
    const op = fc.tuple(fc.boolean(), ids, fc.integer());
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const keys = new Map<number, ContextKey>();
        const model = new Map<number, number>();
        let data = ContextData.EMPTY;
        const versions: [ContextData, [number, unknown][]][] = [];
        for (const [isSet, id, value] of ops) {
          if (!keys.has(id)) keys.set(id, key(id));
          const k = keys.get(id)!;
          if (isSet) {
            data = data.set(k, value);
            model.set(id, value);
          } else {
            data = data.delete(k);
            model.delete(id);
          }
          expect(data.size).to.equal(model.size);
          expect(data.lookup(k)).to.equal(model.has(id) ? model.get(id) : ABSENT);
          versions.push([data, [...model].sort((a, b) => a[0] - b[0])]);
        }
        for (const [version, expected] of versions) expect(entries(version)).to.deep.equal(expected);
      }),
      { numRuns: 200 },
    );
  });
});
