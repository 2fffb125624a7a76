import { expect } from "chai";
import { CancelledError, EventLoop, VirtualClock, createTask, sleep, type Coroutine, type Task } from "../lib/index.js";

/** A loop on a virtual clock, and how many cancelled timers its heap counts. */
function newVirtualLoop(): { loop: EventLoop; cancelledCount: () => number; timers: () => number } {
  const loop = new EventLoop({ clock: new VirtualClock() });
  return { loop, cancelledCount: () => loop._timers.cancelledCount, timers: () => loop._timers.size };
}

describe("sleep's timer (SleepTimer)", () => {
  it("resumes the task with the sleep's result, and with the next sleep's own", () => {
    const { loop } = newVirtualLoop();
    const got = loop.runUntilComplete(
      (function* (): Coroutine<unknown[]> {
        const a = yield* sleep(10, "a");
        const b = yield* sleep(5);
        const c = yield* sleep(0, "c");
        const d = yield* sleep(1, null);
        return [a, b, c, d, loop.time()];
      })(),
    );
    expect(got).to.deep.equal(["a", undefined, "c", null, 16]);
  });

  it("a cancelled sleep resumes with CancelledError, not its result, and its timer is counted once as cancelled", () => {
    const { loop, cancelledCount, timers } = newVirtualLoop();
    const got = loop.runUntilComplete(
      (function* (): Coroutine<unknown> {
        const sleeper = createTask(
          (function* (): Coroutine<unknown> {
            try {
              return yield* sleep(1000, "result");
            } catch (e) {
              return e instanceof CancelledError ? `cancelled: ${e.message}` : e;
            }
          })(),
        );
        yield* sleep(0);
        expect(timers()).to.equal(1);
        sleeper.cancel("stop");
        expect(cancelledCount()).to.equal(1);
        return yield* sleeper;
      })(),
    );
    expect(got).to.equal("cancelled: stop");
    expect(loop.time()).to.equal(0);
  });

  it("cancelled once its timer is due but before the task resumes: CancelledError, and the heap counts nothing", () => {
    const { loop, cancelledCount, timers } = newVirtualLoop();
    let sleeper: Task<unknown> | undefined;
    // A timer scheduled first for the same time runs first, in the iteration where the sleep's
    // timer has already left the heap (asyncio cancels the sleep's future there too).
    loop.callAt(10, () => sleeper?.cancel("late"));
    const got = loop.runUntilComplete(
      (function* (): Coroutine<unknown> {
        sleeper = createTask(
          (function* (): Coroutine<unknown> {
            try {
              return yield* sleep(10, "result");
            } catch (e) {
              return e instanceof CancelledError ? `cancelled: ${e.message}` : e;
            }
          })(),
        );
        return yield* sleeper;
      })(),
    );
    expect(got).to.equal("cancelled: late");
    expect(cancelledCount()).to.equal(0);
    expect(timers()).to.equal(0);
  });
});
