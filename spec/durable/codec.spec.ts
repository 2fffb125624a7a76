import { expect } from "chai";
import { CodecError, RecordedError, decodeValue, encodeValue, type CodecHook } from "../../lib/durable/index.js";

const roundTrip = (value: unknown, hook?: CodecHook): unknown => decodeValue(JSON.parse(JSON.stringify(encodeValue(value, hook))), hook);

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}
const pointCodec: CodecHook = {
  encode: (value) => (value instanceof Point ? { type: "Point", data: [value.x, value.y] } : undefined),
  decode: (type, data) => {
    if (type !== "Point" || !Array.isArray(data)) throw new Error(`not a Point: ${type}`);
    return new Point(data[0] as number, data[1] as number);
  },
};

describe("durable: the journal codec", () => {
  it("round-trips JSON values, undefined, NaN, ±Infinity, -0, big integers and dates", () => {
    const value = {
      s: "text",
      n: 1.5,
      t: true,
      nil: null,
      u: undefined,
      nan: NaN,
      inf: Infinity,
      ninf: -Infinity,
      negZero: -0,
      big: 12345678901234567890123n,
      date: new Date("2026-12-06T13:00:00.000Z"),
      list: [1, undefined, "x", [NaN]],
      nested: { deeper: { b: -5n } },
    };
    const back = roundTrip(value) as typeof value;
    expect(back).to.deep.equal(value);
    expect(Object.is(back.negZero, -0)).to.equal(true);
    expect("u" in back).to.equal(true);
    expect(Number.isNaN((back.list[3] as number[])[0])).to.equal(true);
  });

  it("escapes objects that have a $ key, so data never looks like a tag", () => {
    const value = { $: "undefined", v: 1 };
    expect(roundTrip(value)).to.deep.equal(value);
    expect(roundTrip([{ $: "error" }])).to.deep.equal([{ $: "error" }]);
  });

  it("errors come back as RecordedError with name, message, stack, cause and own properties", () => {
    const cause = new RangeError("inner");
    const error = Object.assign(new TypeError("outer"), { cause, code: "E1", details: { n: 1 } });
    const back = roundTrip(error) as RecordedError & { code: string; details: unknown; cause: RecordedError };
    expect(back).to.be.instanceOf(RecordedError);
    expect(back).to.be.instanceOf(Error);
    expect(back.name).to.equal("TypeError");
    expect(back.message).to.equal("outer");
    expect(back.stack).to.equal(error.stack);
    expect(back.code).to.equal("E1");
    expect(back.details).to.deep.equal({ n: 1 });
    expect(back.cause).to.be.instanceOf(RecordedError);
    expect(back.cause.name).to.equal("RangeError");
    expect(String(back)).to.equal("TypeError: outer");
  });

  it("a codec hook maps class instances both ways, and is asked before the built-in rules", () => {
    const back = roundTrip({ at: new Point(1, 2), list: [new Point(3, 4)] }, pointCodec) as { at: Point; list: Point[] };
    expect(back.at).to.be.instanceOf(Point);
    expect(back.list[0]).to.deep.equal(new Point(3, 4));
    const errors: CodecHook = {
      encode: (v) => (v instanceof SyntaxError ? { type: "SyntaxError", data: v.message } : undefined),
      decode: (_type, data) => new SyntaxError(String(data)),
    };
    expect(roundTrip(new SyntaxError("bad"), errors)).to.be.instanceOf(SyntaxError);
  });

  it("refuses what it cannot encode, naming the path", () => {
    expect(() => encodeValue({ a: [1, () => 2] })).to.throw(CodecError, /value\.a\[1\]: cannot encode/);
    expect(() => encodeValue({ s: Symbol("x") })).to.throw(CodecError, /value\.s/);
    expect(() => encodeValue({ p: new Point(1, 2) })).to.throw(CodecError, /value\.p: cannot encode an instance of Point.*codec hook/);
    expect(() => encodeValue(new Map())).to.throw(CodecError, /instance of Map/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => encodeValue(cyclic)).to.throw(CodecError, /value\.self: cannot encode a cycle/);
    expect(() => encodeValue(new Point(1, 2), { encode: () => ({ nope: 1 }) as never, decode: () => null })).to.throw(CodecError, /must return \{ type/);
    // The same object twice (not a cycle) is fine.
    const shared = { k: 1 };
    expect(roundTrip([shared, shared])).to.deep.equal([{ k: 1 }, { k: 1 }]);
  });

  it("decoding untrusted data: no prototype writes, no class by name, bounded depth, malformed tags refused", () => {
    expect(() => decodeValue(JSON.parse('{"__proto__":{"polluted":1}}'))).to.throw(CodecError, /__proto__/);
    expect(({} as { polluted?: unknown }).polluted).to.equal(undefined);
    const withConstructor = decodeValue(JSON.parse('{"constructor":{"prototype":{"polluted":1}}}')) as Record<string, unknown>;
    expect(Object.prototype.hasOwnProperty.call(withConstructor, "constructor")).to.equal(true);
    expect(({} as { polluted?: unknown }).polluted).to.equal(undefined);
    const error = decodeValue({ $: "error", name: "Function", message: "x", props: { name: "y" } }) as Error;
    expect(error).to.be.instanceOf(RecordedError);
    expect(error.name).to.equal("Function");
    expect(() => decodeValue({ $: "custom", type: "Point", v: [1, 2] })).to.throw(CodecError, /needs the codec hook/);
    expect(() => decodeValue({ $: "bigint", v: "12x" })).to.throw(CodecError, /malformed tagged value/);
    expect(() => decodeValue({ $: "eval", v: "1" })).to.throw(CodecError, /malformed tagged value/);
    expect(() => decodeValue({ $: "error", name: 1, message: "m" })).to.throw(CodecError, /string name and message/);
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(() => decodeValue(deep)).to.throw(CodecError, /nested too deeply/);
    expect(() => decodeValue(deep, undefined, { maxDepth: 200 })).not.to.throw();
  });
});
