// splitExceptionGroup / makeExceptionGroup: taking an ExceptionGroup apart (Python's eg.split, except*).
import { expect } from "chai";
import { splitExceptionGroup, makeExceptionGroup, describeError, ExceptionGroup, TimeoutError } from "../../lib/index.js";
import { catchError, causeOf } from "../helpers.js";

describe("compose: ExceptionGroup helpers", () => {
  const range = new RangeError("r");
  const type = new TypeError("t");
  const timeout = new TimeoutError("deadline");

  it("makeExceptionGroup lists what the group holds, singular and plural", () => {
    expect(makeExceptionGroup("boom", [range]).message).to.equal("boom (1 sub-exception): RangeError: r");
    expect(makeExceptionGroup("boom", [range, "x", 3]).message).to.equal(
      'boom (3 sub-exceptions): RangeError: r; "x" (thrown as is); 3 (a number) (thrown as is)',
    );
    const many = makeExceptionGroup("many", Array.from({ length: 12 }, (_, i) => new Error(`e${i}`)));
    expect(many.message).to.match(/many \(12 sub-exceptions\): Error: e0; .*Error: e9; … and 2 more$/);
    expect(many.exceptions).to.have.length(12);
    expect(describeError(new TypeError(""))).to.equal("TypeError");
  });

  it("splits by class into [matching, rest], keeping the message base and the cause", () => {
    const cause = new Error("why");
    const eg = makeExceptionGroup("batch", [range, type, timeout], { cause });
    const [m, r] = splitExceptionGroup(eg, RangeError);
    expect(m!.exceptions).to.deep.equal([range]);
    expect(r!.exceptions).to.deep.equal([type, timeout]);
    expect(m!.message).to.equal("batch (1 sub-exception): RangeError: r");
    expect(r!.message).to.equal("batch (2 sub-exceptions): TypeError: t; TimeoutError: deadline");
    expect(causeOf(m)).to.equal(cause);
    expect(m).to.be.instanceOf(ExceptionGroup);
  });

  it("returns null for an empty side; a whole-group match returns the group itself", () => {
    const eg = makeExceptionGroup("g", [range, type]);
    expect(splitExceptionGroup(eg, Error)[1]).to.equal(null);
    expect(splitExceptionGroup(eg, TimeoutError)[0]).to.equal(null);
    expect(splitExceptionGroup(eg, ExceptionGroup)).to.deep.equal([eg, null]);
  });

  it("splits nested groups recursively, keeping their nesting", () => {
    const inner = makeExceptionGroup("inner", [range, type]);
    const eg = makeExceptionGroup("outer", [inner, timeout]);
    const [m, r] = splitExceptionGroup(eg, [RangeError, TimeoutError]);
    expect(m!.exceptions).to.have.length(2);
    expect((m!.exceptions[0] as ExceptionGroup).exceptions).to.deep.equal([range]);
    expect((m!.exceptions[0] as ExceptionGroup).message).to.match(/^inner \(1 sub-exception\)/);
    expect(m!.exceptions[1]).to.equal(timeout);
    expect((r!.exceptions[0] as ExceptionGroup).exceptions).to.deep.equal([type]);
  });

  it("accepts a predicate and groups made with the plain constructor", () => {
    const eg = new ExceptionGroup("plain", [range, "str"]);
    const [m, r] = splitExceptionGroup(eg, (e) => typeof e === "string");
    expect(m!.exceptions).to.deep.equal(["str"]);
    expect(r!.message).to.equal("plain (1 sub-exception): RangeError: r");
  });

  it("argument errors are TypeErrors that say what was expected", () => {
    const eg = makeExceptionGroup("g", [range]);
    expect(catchError(() => splitExceptionGroup(range as any, RangeError), TypeError).message).to.match(/must be an ExceptionGroup/);
    expect(catchError(() => splitExceptionGroup(eg, 5 as any), TypeError).message).to.match(/an error class, an array of classes or a predicate/);
    expect(catchError(() => splitExceptionGroup(eg, [RangeError, 5] as any), TypeError).message).to.match(/item 2 of the class list/);
  });
});
