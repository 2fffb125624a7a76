// The ES5 bundle's private Map/Set fallbacks (scripts/bundle/es5-shims.js), loaded in a Node vm
// context that has no Map, Set or WeakSet, as in Duktape and mujs: the same semantics as the
// built-in collections for the operations genloop uses, and hashed lookups.
import { expect } from "chai";
import { buildSync } from "esbuild";
import vm from "node:vm";

interface Collections {
  Map: MapConstructor;
  Set: SetConstructor;
}

function loadShims(): Collections {
  const code = buildSync({
    entryPoints: ["scripts/bundle/es5-shims.js"],
    bundle: true,
    format: "iife",
    globalName: "shims",
    write: false,
  }).outputFiles[0].text;
  const context = vm.createContext({});
  vm.runInContext("delete globalThis.Map; delete globalThis.Set; delete globalThis.WeakSet; delete globalThis.WeakMap;", context);
  vm.runInContext(code, context);
  const shims = vm.runInContext("shims", context) as Collections;
  expect(vm.runInContext("typeof Map", context)).to.equal("undefined", "the shims must not write globals");
  return shims;
}

describe("engines: the ES5 bundle's Map/Set fallbacks", () => {
  const { Map: ShimMap, Set: ShimSet } = loadShims();

  it("are the fallbacks, not the host's collections", () => {
    expect(ShimMap).to.not.equal(Map);
    expect(ShimSet).to.not.equal(Set);
  });

  it("map keys by SameValueZero: NaN finds NaN, -0 is 0, '1' is not 1, objects by identity", () => {
    const m = new ShimMap<unknown, string>();
    const a = {}, b = {};
    m.set(NaN, "nan").set(-0, "zero").set("1", "string").set(1, "number").set(a, "a").set(null, "null").set(undefined, "undef");
    expect(m.get(NaN)).to.equal("nan");
    expect(m.get(0)).to.equal("zero");
    expect(m.get("1")).to.equal("string");
    expect(m.get(1)).to.equal("number");
    expect(m.get(a)).to.equal("a");
    expect(m.has(b)).to.equal(false);
    expect(m.get(null)).to.equal("null");
    expect(m.has(undefined)).to.equal(true);
    expect(m.size).to.equal(7);
    m.set(a, "a2");
    expect(m.size).to.equal(7);
    expect(m.get(a)).to.equal("a2");
  });

  it("take frozen objects and symbols as keys (found by a scan), and strings that look like internals", () => {
    const frozen = Object.freeze({ kind: "sleep" });
    const sym = Symbol("s");
    const m = new ShimMap<unknown, number>([[frozen, 1], [sym, 2], ["__proto__", 3], ["constructor", 4]]);
    expect(m.get(frozen)).to.equal(1);
    expect(m.get(Object.freeze({ kind: "sleep" }))).to.equal(undefined);
    expect(m.get(sym)).to.equal(2);
    expect(m.get("__proto__")).to.equal(3);
    expect(m.get("constructor")).to.equal(4);
    expect(m.delete(frozen)).to.equal(true);
    expect(m.has(frozen)).to.equal(false);
    expect(m.get(sym)).to.equal(2);
  });

  it("iterate in insertion order, skip deleted entries, and tolerate deleting the current one", () => {
    const s = new ShimSet<number>();
    for (let i = 0; i < 100; i++) s.add(i);
    for (let i = 0; i < 100; i += 2) s.delete(i);
    const seen: number[] = [];
    s.forEach((v) => {
      seen.push(v);
      s.delete(v);
    });
    expect(seen).to.deep.equal(Array.from({ length: 50 }, (_, i) => 2 * i + 1));
    expect(s.size).to.equal(0);
    s.add(7).add(3).add(7);
    expect([...s]).to.deep.equal([7, 3]);
  });

  it("keep lookups right across compaction of deleted entries", () => {
    const m = new ShimMap<object, number>();
    const keys = Array.from({ length: 1000 }, () => ({}));
    keys.forEach((k, i) => m.set(k, i));
    for (let i = 0; i < 990; i++) m.delete(keys[i]);
    expect(m.size).to.equal(10);
    expect([...m.values()]).to.deep.equal(Array.from({ length: 10 }, (_, i) => 990 + i));
    for (let i = 990; i < 1000; i++) expect(m.get(keys[i])).to.equal(i);
    expect(m.has(keys[0])).to.equal(false);
    m.set(keys[0], -1);
    expect([...m.keys()].indexOf(keys[0])).to.equal(10);
  });

  it("leave no enumerable trace on the objects used as keys", () => {
    const key = { a: 1 };
    new ShimSet<object>([key]);
    expect(Object.keys(key)).to.deep.equal(["a"]);
    expect(JSON.stringify(key)).to.equal('{"a":1}');
  });

  it("clear, and entries/keys/values agree", () => {
    const m = new ShimMap<string, number>([["x", 1], ["y", 2]]);
    expect([...m.entries()]).to.deep.equal([["x", 1], ["y", 2]]);
    expect([...m]).to.deep.equal([["x", 1], ["y", 2]]);
    m.clear();
    expect(m.size).to.equal(0);
    expect(m.get("x")).to.equal(undefined);
    m.set("x", 3);
    expect([...m.entries()]).to.deep.equal([["x", 3]]);
  });
});
