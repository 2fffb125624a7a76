import { expect } from "chai";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { Event, EventLoop, VirtualClock, sleep, spawn, type Task } from "../../lib/index.js";
import { TraceRecorder, toChromeTrace, toSvgTimeline } from "../../lib/trace/index.js";
import type { Co } from "../helpers.js";

/** A fixed program: a sleeper, a waiter that is cancelled, a task that fails; a wall clock that ticks 0.25 ms per reading. */
function traceFixedProgram(wallTick = 0.25): TraceRecorder {
  let wall = 0;
  const recorder = new TraceRecorder({ wallClock: () => (wall += wallTick) });
  const event = new Event();
  function* sleeper(): Co<string> {
    yield* sleep(30);
    return "rested";
  }
  function* waiter(): Co<void> {
    yield* event.wait();
  }
  function* failer(): Co<void> {
    yield* sleep(10);
    throw new RangeError("out of range");
  }
  function* main(): Co<void> {
    const a = yield* spawn(sleeper(), { name: "sleeper" });
    const b: Task<void> = yield* spawn(waiter(), { name: "waiter" });
    const c = yield* spawn(failer(), { name: "failer" });
    yield* sleep(20);
    b.cancel();
    try {
      yield* c;
    } catch {
      /* expected */
    }
    yield* a;
  }
  // A named main task: default names (Task-n) count across the whole test run.
  const loop = new EventLoop({ clock: new VirtualClock(), instruments: [recorder] });
  loop.runUntilComplete(loop.createTask(main(), { name: "main" }));
  loop.close();
  return recorder;
}

/** Compares with the committed file; `UPDATE_GOLDEN=1 npm test` rewrites it after an intended change. */
function golden(name: string, text: string): void {
  const path = `spec/trace/golden/${name}`;
  if (process.env.UPDATE_GOLDEN === "1" || !existsSync(path)) writeFileSync(path, text);
  expect(text).to.equal(readFileSync(path, "utf8"));
}

describe("trace exporters", () => {
  it("the Chrome trace of a fixed program is stable (golden file)", () => {
    // A wall clock that stands still: the golden file does not depend on how many times the loop reads it.
    golden("fixed.trace.json", JSON.stringify(toChromeTrace(traceFixedProgram(0)), null, 1) + "\n");
  });

  it("the SVG timeline of a fixed program is stable (golden file)", () => {
    golden("fixed.svg", toSvgTimeline(traceFixedProgram(0), { title: "fixed program" }));
  });

  it("has a track per task, a slice per step, waits, wake-up flows, and instants for cancellations and errors", () => {
    const recorder = traceFixedProgram();
    expect(recorder.tasks.map((t) => [t.name.replace(/Task-\d+/, "main"), t.parentId, t.outcome])).to.deep.equal([
      ["main", null, "result"],
      ["sleeper", 1, "result"],
      ["waiter", 1, "cancelled"],
      ["failer", 1, "error"],
    ]);
    const { traceEvents } = toChromeTrace(recorder);
    const names = traceEvents.filter((e) => e.name === "thread_name").map((e) => e.args?.name);
    expect(names).to.have.length(4);
    const waits = traceEvents.filter((e) => e.cat === "wait").map((e) => `${e.tid}:${e.name}:${e.dur}`);
    expect(waits).to.include("2:sleep:30000");
    expect(waits).to.include("4:sleep:10000");
    const instants = traceEvents.filter((e) => e.ph === "i").map((e) => `${e.tid}:${e.name}:${String(e.args?.detail)}`);
    expect(instants.sort()).to.deep.equal(["3:cancelled:future cancelled", "4:error:RangeError: out of range"]);
    const starts = traceEvents.filter((e) => e.ph === "s");
    expect(starts.length).to.be.greaterThan(0);
    expect(starts.length).to.equal(traceEvents.filter((e) => e.ph === "f").length);
    const wall = toChromeTrace(recorder, { time: "wall" }).traceEvents.filter((e) => e.cat === "step");
    expect(wall.every((e) => (e.dur ?? 0) > 0)).to.equal(true);
    expect(() => toChromeTrace(recorder, { time: "cpu" as never })).to.throw(RangeError, /time must be "loop" or "wall"/);
  });

  it("validates its options", () => {
    expect(() => new TraceRecorder({ wallClock: 5 as never })).to.throw(TypeError, /wallClock must be a function/);
    expect(() => toSvgTimeline(new TraceRecorder(), { width: 10 })).to.throw(RangeError, /width must be a number ≥ 300/);
  });
});
