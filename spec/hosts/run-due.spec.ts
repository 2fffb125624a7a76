import { expect } from "chai";
import { EventLoop, VirtualClock, runDue, sleep } from "../../lib/index.js";
import { catchError, type Co } from "../helpers.js";

describe("hosts: runDue", () => {
  function* ticker(log: string[], name: string, n: number): Co<void> {
    for (let i = 0; i < n; i++) {
      log.push(`${name}${i}`);
      yield* sleep(0);
    }
  }

  it("runs every iteration that is due now and stops when nothing is", () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    const log: string[] = [];
    loop.createTask(ticker(log, "a", 3));
    const result = runDue(loop);
    expect(log).to.deep.equal(["a0", "a1", "a2"]);
    expect(result.nextDeadline).to.equal(null);
    expect(result.iterations).to.equal(4); // three steps plus the one where the task returns
    loop.close();
  });

  it("never waits for a timer: due work only, and reports the next deadline", () => {
    const clock = new VirtualClock();
    const loop = new EventLoop({ clock });
    const log: string[] = [];
    loop.createTask(
      (function* () {
        yield* sleep(100);
        log.push("woke");
      })(),
    );
    expect(runDue(loop).nextDeadline).to.equal(100);
    expect(log).to.deep.equal([]);
    expect(clock.now()).to.equal(0);
    clock.advance(99);
    expect(runDue(loop)).to.deep.equal({ iterations: 0, nextDeadline: 100 });
    clock.advance(1);
    runDue(loop);
    expect(log).to.deep.equal(["woke"]);
    loop.close();
  });

  it("maxIterations bounds a task that always yields", () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    const log: string[] = [];
    const task = loop.createTask(ticker(log, "t", 1000));
    expect(runDue(loop, { maxIterations: 5 })).to.deep.equal({ iterations: 5, nextDeadline: 0 });
    expect(log).to.have.length(5);
    task.cancel();
    runDue(loop);
    expect(task.cancelled()).to.equal(true);
    loop.close();
  });

  it("budgetMs stops starting iterations once that much loop time has passed", () => {
    const clock = new VirtualClock();
    const loop = new EventLoop({ clock });
    // Each step costs 4 ms of (virtual) work.
    const task = loop.createTask(
      (function* () {
        for (;;) {
          clock.advance(4);
          yield* sleep(0);
        }
      })(),
    );
    expect(runDue(loop, { budgetMs: 10 }).iterations).to.equal(3);
    task.cancel();
    runDue(loop);
    loop.close();
  });

  it("validates its options", () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    expect(catchError(() => runDue(loop, { budgetMs: -1 }), RangeError).message).to.match(/budgetMs must be a non-negative number/);
    expect(catchError(() => runDue(loop, { maxIterations: NaN }), RangeError).message).to.match(/maxIterations/);
    expect(catchError(() => runDue(loop, null as never), TypeError).message).to.match(/options must be an object/);
    expect(catchError(() => runDue({} as never), TypeError).message).to.match(/runDue: an EventLoop was expected, got an object/);
    loop.close();
  });

  it("on a closed loop with nothing due it does nothing; a stepped closed loop throws", () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    loop.close();
    expect(runDue(loop)).to.deep.equal({ iterations: 0, nextDeadline: null });
  });
});
