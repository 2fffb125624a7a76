import { expect } from "chai";
import {
  EventLoop,
  RuntimeError,
  VirtualClock,
  callback,
  currentTask,
  defineEffect,
  ensureFuture,
  run,
  sleep,
  type CallbackSetup,
  type Effect,
  type HostSeam,
} from "../../lib/index.js";
import { fromPromise } from "../../lib/interop/promise.js";
import type { Co } from "../helpers.js";

const lookup = defineEffect<{ key: string }, string>("test.lookup");

/** A seam that logs what it sees and answers "replayed" for the kinds in `replace` without calling the host. */
function loggingSeam(replace: string[] = []): HostSeam & { seen: string[]; iterations: number; times: number[] } {
  return {
    seen: [],
    iterations: 0,
    times: [],
    hostEffect<T>(effect: Effect<T>, setup: CallbackSetup<T>): CallbackSetup<T> {
      const task = currentTask();
      this.seen.push(`${effect.kind} in ${task === null ? "no task" : task.getName()}`);
      if (replace.includes(effect.kind)) return (resolve) => resolve("replayed" as T);
      return setup;
    },
    iterationStarting(now: number) {
      this.iterations++;
      this.times.push(now);
    },
  };
}

describe("effects: the host seam (setHostSeam)", () => {
  it("sees callback, user-defined and promise effects before the host is called, with the task that started them", () => {
    const seam = loggingSeam();
    const loop = new EventLoop({ clock: new VirtualClock(), effects: { "test.lookup": (e, ctx) => ctx.resolve(`v:${(e as { key: string }).key}`) } });
    loop.setHostSeam(seam);
    const out = loop.runUntilComplete(
      loop.createTask(
        (function* (): Co<string[]> {
          const a = yield* callback<string>((resolve) => resolve("cb"));
          const b = yield* lookup({ key: "k" });
          return [a, b];
        })(),
        { name: "main" },
      ),
    );
    expect(out).to.deep.equal(["cb", "v:k"]);
    expect(seam.seen).to.deep.equal(["callback in main", "test.lookup in main"]);
    loop.close();
  });

  it("a setup the seam returns replaces the host's: the handler is never called", () => {
    let called = 0;
    const seam = loggingSeam(["test.lookup", "callback"]);
    const loop = new EventLoop({
      clock: new VirtualClock(),
      effects: {
        "test.lookup": (_e, ctx) => {
          called++;
          ctx.resolve("live");
        },
      },
    });
    loop.setHostSeam(seam);
    const out = loop.runUntilComplete(
      (function* (): Co<string[]> {
        return [yield* lookup({ key: "k" }), yield* callback<string>(() => { called++; })];
      })(),
    );
    expect(out).to.deep.equal(["replayed", "replayed"]);
    expect(called).to.equal(0);
    loop.close();
  });

  it("sees effects started outside a task (ensureFuture from a callback) with no task", () => {
    const seam = loggingSeam(["callback"]);
    const loop = new EventLoop({ clock: new VirtualClock() });
    loop.setHostSeam(seam);
    let result: unknown;
    loop.callSoon(() => {
      const future = ensureFuture(callback<string>(() => undefined), loop);
      future.addDoneCallback((f) => (result = f.result()));
    });
    loop.runUntilComplete(sleep(1));
    expect(seam.seen).to.deep.equal(["callback in no task"]);
    expect(result).to.equal("replayed");
    loop.close();
  });

  it("sees fromPromise effects", () => {
    const seam = loggingSeam(["promise"]);
    const loop = new EventLoop({ clock: new VirtualClock() });
    loop.setHostSeam(seam);
    const out = loop.runUntilComplete(
      (function* (): Co<unknown> {
        return yield* fromPromise(() => new Promise<string>(() => undefined));
      })(),
    );
    expect(out).to.equal("replayed");
    loop.close();
  });

  it("is told the start of every iteration with the time, and nothing once removed", () => {
    const seam = loggingSeam();
    const loop = new EventLoop({ clock: new VirtualClock() });
    loop.setHostSeam(seam);
    loop.runUntilComplete(
      (function* (): Co<void> {
        yield* sleep(0);
        yield* sleep(10);
      })(),
    );
    const counted = seam.iterations;
    expect(counted).to.be.greaterThanOrEqual(3);
    expect(seam.times[0]).to.equal(0);
    expect(seam.times[seam.times.length - 1]).to.equal(10); // after the wait for the sleep's timer
    loop.setHostSeam(null);
    loop.runUntilComplete(sleep(5));
    expect(seam.iterations).to.equal(counted);
    loop.close();
  });

  it("validates its argument and allows one seam per loop", () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    expect(() => loop.setHostSeam({} as HostSeam)).to.throw(TypeError, /hostEffect and iterationStarting/);
    const seam = loggingSeam();
    loop.setHostSeam(seam);
    loop.setHostSeam(seam); // the same one again: fine
    expect(() => loop.setHostSeam(loggingSeam())).to.throw(RuntimeError, /already has a host seam/);
    loop.setHostSeam(null);
    loop.setHostSeam(loggingSeam());
    loop.close();
  });

  it("an error thrown by the seam rejects the effect, into the waiting task", () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    loop.setHostSeam({
      hostEffect() {
        throw new RangeError("seam says no");
      },
      iterationStarting() {},
    });
    expect(() => loop.runUntilComplete(callback(() => undefined))).to.throw(RangeError, "seam says no");
    loop.close();
  });

  it("run() without a seam is unaffected", () => {
    expect(run((function* (): Co<string> { return yield* callback<string>((r) => r("x")); })(), { clock: new VirtualClock() })).to.equal("x");
  });
});
