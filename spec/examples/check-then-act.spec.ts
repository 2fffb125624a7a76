import { expect } from "chai";
import { fixedTest, racyTest } from "../../examples/check-then-act.js";
import { ScheduleFailure, explore, runTest } from "../../lib/testing/index.js";

describe("example: a check-then-act race found by schedule exploration", () => {
  it("the racy test passes in asyncio's default order", () => {
    expect(() => runTest(racyTest)).not.to.throw();
  });

  it("exploration finds the overdraft within 100 seeds, and the seed replays it exactly", () => {
    let found: ScheduleFailure | null = null;
    try {
      explore(racyTest, { seeds: 100 });
    } catch (error) {
      found = error as ScheduleFailure;
    }
    expect(found).to.be.instanceOf(ScheduleFailure);
    const failure = found as ScheduleFailure;
    expect(failure.tried).to.be.at.most(100);
    expect(failure.message).to.contain(`failed under schedule seed ${failure.seed}`);
    expect(failure.message).to.contain("Error: overdraft: balance -60 after withdrawals [true,true]");
    expect(failure.message).to.contain(`replay exactly this schedule with explore(test, { seeds: [${failure.seed}] })`);
    for (let i = 0; i < 3; i++) {
      expect(() => runTest(racyTest, { scheduleSeed: failure.seed })).to.throw("overdraft: balance -60");
    }
  });

  it("the fixed version (a lock from check to debit) passes under all 100 seeds", () => {
    expect(explore(fixedTest, { seeds: 100 }).seeds).to.have.length(100);
  });
});
