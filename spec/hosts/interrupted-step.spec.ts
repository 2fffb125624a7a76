import { expect } from "chai";
import vm from "node:vm";
import { CancelledError, EventLoop, VirtualClock, recoverInterruptedStep, runDue, sleep, spawn } from "../../lib/index.js";
import type { Co } from "../helpers.js";

// Node's vm timeout terminates a script the way JavaScriptCore's execution time limit does:
// no catch and no finally block runs on the way out.
function runDueWithTimeLimit(loop: EventLoop, ms: number): "ran" | "terminated" {
  const context = vm.createContext({ due: () => runDue(loop) });
  try {
    vm.runInContext("due()", context, { timeout: ms });
    return "ran";
  } catch (error) {
    if ((error as { code?: string }).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") return "terminated";
    throw error;
  }
}

describe("hosts: recoverInterruptedStep", () => {
  it("after a terminated step: the stepping task ends cancelled with the message, its awaiter is told, the others go on", () => {
    const clock = new VirtualClock();
    const loop = new EventLoop({ clock });
    const log: string[] = [];
    let finallyRan = false;
    function* runaway(): Co<void> {
      yield* sleep(10);
      try {
        for (;;); // never yields again
      } finally {
        finallyRan = true;
      }
    }
    function* worker(): Co<void> {
      for (let i = 0; i < 3; i++) {
        yield* sleep(10);
        log.push(`worker ${i}`);
      }
    }
    const watcher = loop.createTask(
      (function* () {
        const task = yield* spawn(runaway(), { name: "runaway" });
        try {
          yield task;
          log.push("watcher: runaway returned");
        } catch (error) {
          log.push(`watcher: ${error instanceof CancelledError ? "cancelled: " + error.message : String(error)}`);
        }
      })(),
    );
    loop.createTask(worker(), { name: "worker" });
    loop.step(); // both start and sleep
    loop.step();
    clock.advance(10);
    expect(runDueWithTimeLimit(loop, 100)).to.equal("terminated");
    expect(loop.isRunning()).to.equal(true); // what the termination leaves behind
    expect(() => loop.step()).to.throw(/already running/);

    const stopped = recoverInterruptedStep(loop, "exceeded its frame budget");
    expect(stopped?.getName()).to.equal("runaway");
    expect(stopped?.cancelled()).to.equal(true);
    expect(finallyRan).to.equal(false);
    expect(loop.isRunning()).to.equal(false);
    for (let i = 0; i < 5; i++) {
      runDue(loop);
      clock.advance(10);
    }
    expect(log).to.deep.equal(["worker 0", "watcher: cancelled: exceeded its frame budget", "worker 1", "worker 2"]);
    expect(watcher.done()).to.equal(true);
    loop.close();
  });

  it("returns null for a loop that is not running, or that was running a plain callback", () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    expect(recoverInterruptedStep(loop)).to.equal(null);
    loop.callSoon(() => {
      for (;;);
    });
    expect(runDueWithTimeLimit(loop, 50)).to.equal("terminated");
    expect(recoverInterruptedStep(loop)).to.equal(null);
    expect(loop.isRunning()).to.equal(false);
    const later: string[] = [];
    loop.callSoon(() => later.push("ran"));
    loop.step();
    expect(later).to.deep.equal(["ran"]);
    loop.close();
  });

  it("rejects what is not a loop, and a message that is not a string", () => {
    expect(() => recoverInterruptedStep({} as EventLoop)).to.throw(TypeError, /recoverInterruptedStep: an EventLoop was expected, got/);
    const loop = new EventLoop({ clock: new VirtualClock() });
    expect(() => recoverInterruptedStep(loop, 3 as unknown as string)).to.throw(TypeError, /the message must be a string, got 3/);
    loop.close();
  });
});
