import { expect } from "chai";
import { RealClock, VirtualClock } from "../lib/index.js";

describe("clocks", () => {
  it("VirtualClock starts where told and only moves forward", () => {
    const clock = new VirtualClock(500);
    expect(clock.now()).to.equal(500);
    clock.advance(250);
    expect(clock.now()).to.equal(750);
    expect(() => clock.advance(-1)).to.throw(RangeError, /backwards/);
    expect(() => clock.advance(NaN)).to.throw(RangeError);
    expect(() => clock.advance("1" as never)).to.throw(TypeError);
    expect(() => new VirtualClock(Infinity)).to.throw(RangeError);
  });

  it("RealClock is monotonic and its sleep blocks for about the time asked", () => {
    const clock = new RealClock();
    const a = clock.now();
    expect(clock.sleep).to.be.a("function"); // Node has Atomics.wait
    clock.sleep!(20);
    const b = clock.now();
    expect(b - a).to.be.at.least(19);
    expect(b - a).to.be.below(1000);
  });
});
