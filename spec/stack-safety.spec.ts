// Stack safety: nothing the user can build deep or long may overflow the JS stack.
import { expect } from "chai";
import { CancelledError, EventLoop, Task, VirtualClock, call, createTask, gather, getRunningLoop, run, sleep } from "../lib/index.js";
import type { Coroutine } from "../lib/index.js";

const vrun = <T>(main: Coroutine<T>): T => run(main, { clock: new VirtualClock() });

function* leaf(): Coroutine<number> {
  return 0;
}

/** `depth` coroutines, each awaiting the next inline with `yield* call(...)`. */
function* callChain(depth: number): Coroutine<number> {
  if (depth === 0) return 0;
  return 1 + (yield* call(callChain(depth - 1)));
}

/** The same chain awaited with a bare `yield child()` (a generator object, run inline). */
function* bareChain(depth: number): Coroutine<number> {
  if (depth === 0) return 0;
  return 1 + ((yield bareChain(depth - 1)) as number);
}

describe("stack safety", function () {
  this.timeout(60_000);

  it("a million synchronous effects in one task (done futures, inline calls, spawns)", () => {
    const total = vrun(
      (function* () {
        const done = getRunningLoop().createFuture<number>();
        done.setResult(1);
        let sum = 0;
        for (let i = 0; i < 1_000_000; i++) sum += yield* done;
        for (let i = 0; i < 1_000_000; i++) sum += yield* call(leaf());
        return sum;
      })(),
    );
    expect(total).to.equal(1_000_000);
  });

  it("a 100 000-deep chain of inline awaits: yield* call(child())", () => {
    expect(vrun(callChain(100_000))).to.equal(100_000);
  });

  it("a 100 000-deep chain of inline awaits: yield child()", () => {
    expect(vrun(bareChain(100_000))).to.equal(100_000);
  });

  it("a 100 000-deep inline chain whose innermost coroutine sleeps and throws", () => {
    function* failing(depth: number): Coroutine<number> {
      if (depth === 0) {
        yield* sleep(1);
        throw new RangeError("deep");
      }
      return yield* call(failing(depth - 1));
    }
    expect(() => vrun(failing(100_000))).to.throw(RangeError, "deep");
  });

  it("a gather of 100 000 children", () => {
    const results = vrun(
      (function* () {
        const children = Array.from({ length: 100_000 }, (_, i) =>
          (function* () {
            yield* sleep(i % 7);
            return i;
          })(),
        );
        return yield* gather(...children);
      })(),
    );
    expect(results).to.have.length(100_000);
    expect(results[99_999]).to.equal(99_999);
  });

  it("cancelling a 10 000-deep chain of tasks, each awaiting the next", () => {
    const depth = 10_000;
    const finallies: number[] = [];
    function* link(n: number): Coroutine<number> {
      try {
        if (n === 0) {
          yield* sleep(1_000_000);
          return 0;
        }
        return yield* createTask(link(n - 1));
      } finally {
        finallies.push(n);
      }
    }
    const outcome = vrun(
      (function* () {
        const top = createTask(link(depth));
        yield* sleep(10);
        expect(top.cancel("stop")).to.equal(true);
        try {
          yield* top;
          return "not cancelled";
        } catch (error) {
          return error instanceof CancelledError ? `cancelled:${top.cancelled()}` : String(error);
        }
      })(),
    );
    expect(outcome).to.equal("cancelled:true");
    expect(finallies).to.have.length(depth + 1);
    expect(finallies[0]).to.equal(0); // the innermost ends first
  });

  it("cancelling a 10 000-deep inline chain runs every finally, innermost first", () => {
    const finallies: number[] = [];
    function* link(n: number): Coroutine<number> {
      try {
        if (n === 0) yield* sleep(1_000_000);
        else yield* call(link(n - 1));
        return n;
      } finally {
        finallies.push(n);
      }
    }
    const result = vrun(
      (function* () {
        const t = createTask(link(10_000));
        yield* sleep(1);
        t.cancel();
        yield* sleep(0);
        return t.cancelled();
      })(),
    );
    expect(result).to.equal(true);
    expect(finallies).to.have.length(10_001);
    expect(finallies[0]).to.equal(0);
    expect(finallies[10_000]).to.equal(10_000);
  });

  it("a callback that schedules a callback, a million times", () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    let count = 0;
    const tick = (): void => {
      if (++count < 1_000_000) loop.callSoon(tick);
      else loop.stop();
    };
    loop.callSoon(tick);
    loop.runForever();
    loop.close();
    expect(count).to.equal(1_000_000);
  });

  it("a timer that schedules a timer, a million times, on a virtual clock", () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    let count = 0;
    const tick = (): void => {
      if (++count < 1_000_000) loop.callLater(1, tick);
      else loop.stop();
    };
    loop.callLater(1, tick);
    loop.runForever();
    expect(loop.time()).to.equal(1_000_000);
    loop.close();
    expect(count).to.equal(1_000_000);
  });

  it("a task chain of 10 000 tasks each awaiting the next finishes normally", () => {
    function* link(n: number): Coroutine<number> {
      if (n === 0) {
        yield* sleep(1);
        return 0;
      }
      return 1 + (yield* createTask(link(n - 1)));
    }
    expect(vrun(link(10_000))).to.equal(10_000);
    expect(Task).to.be.a("function");
  });
});
