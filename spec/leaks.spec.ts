// Leaks: measured in a child process run with --expose-gc (spec/leaks/probe.ts).
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const PROBE = fileURLToPath(new URL("./leaks/probe.js", import.meta.url));

describe("leaks (child process with --expose-gc)", function () {
  this.timeout(120_000);
  let report: Record<string, any>;

  before(() => {
    const r = spawnSync(process.execPath, ["--expose-gc", PROBE], { encoding: "utf8" });
    expect(r.status, r.stderr).to.equal(0);
    report = JSON.parse(r.stdout.trim().split("\n").pop() as string);
  });

  it("the loop keeps no reference to finished tasks or their results (loop still open)", () => {
    expect(report.loopAlive).to.equal(true);
    expect(report.finishedTasksKept).to.equal(0);
    expect(report.finishedResultsKept).to.equal(0);
  });

  it("the loop keeps no reference to fired timers", () => {
    expect(report.firedTimerKept).to.equal(false);
  });

  it("a cancelled timer drops its callback and arguments at once, and the loop drops the handle", () => {
    expect(report.cancelledTimerCallbackKept).to.equal(false);
    expect(report.cancelledTimerArgsKept).to.equal(false);
    expect(report.cancelledTimerHandleKept).to.equal(false);
  });

  it("a cancelled callSoon handle is not kept", () => {
    expect(report.cancelledSoonHandleKept).to.equal(false);
  });

  it("a task cancelled in a long sleep is released although its timer's deadline is far away", () => {
    expect(report.cancelledSleeperKept).to.equal(false);
  });

  it("after a burst of 100 000 tasks, a loop that keeps running gives the memory back (within 0.5 MB)", () => {
    const { baseline, after } = report.burst as { baseline: number; after: number };
    expect(after - baseline, `baseline ${baseline}, after ${after}`).to.be.lessThan(500_000);
  });

  it("after a million tasks have completed, heap use returns to its baseline", () => {
    const { baseline, after, afterClose } = report.heap as { baseline: number; after: number; afterClose: number };
    expect(after - baseline, `baseline ${baseline}, after ${after}`).to.be.lessThan(1_000_000);
    expect(afterClose - baseline).to.be.lessThan(1_000_000);
  });
});
