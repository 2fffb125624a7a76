// TaskPolicy.subscribe: change notifications for UIs.
import { expect } from "chai";
import { restartable, enqueue, sleep } from "../../lib/index.js";
import type { ExceptionContext, TaskPolicy } from "../../lib/index.js";
import { vrun, now, captureHandler } from "../helpers.js";

/** A listener that records what it saw at each notification. */
function recorder<A extends unknown[], R>(policy: TaskPolicy<A, R>) {
  const seen: string[] = [];
  const unsubscribe = policy.subscribe((p) => seen.push(`@${now()} running:${p.numRunning} queued:${p.numQueued} performed:${p.performCount}`));
  return { seen, unsubscribe };
}

describe("policies: change subscription", () => {
  it("notifies on perform, start from the queue, and end; the state is already updated", () => {
    const out = vrun(
      (function* () {
        const jobs = enqueue(function* (ms: number) {
          yield* sleep(ms);
          return ms;
        });
        const { seen } = recorder(jobs);
        jobs.perform(10);
        jobs.perform(5);
        yield* sleep(100);
        return seen;
      })(),
    );
    expect(out[0]).to.equal("@0 running:1 queued:0 performed:1");
    expect(out[1]).to.equal("@0 running:1 queued:1 performed:2");
    expect(out).to.include("@10 running:1 queued:0 performed:2"); // the first ended, the second got its slot
    expect(out[out.length - 1]).to.equal("@15 running:0 queued:0 performed:2");
  });

  it("a restart notifies; cancelAll notifies at once; unsubscribe stops notifications (twice is harmless)", () => {
    const out = vrun(
      (function* () {
        const search = restartable(function* (q: string) {
          yield* sleep(100);
          return q;
        });
        const { seen, unsubscribe } = recorder(search);
        search.perform("a");
        yield* sleep(10);
        search.perform("ab");
        const afterRestart = seen.length;
        search.cancelAll();
        const afterCancelAll = seen.length;
        yield* sleep(1);
        unsubscribe();
        unsubscribe();
        const count = seen.length;
        search.perform("abc");
        yield* sleep(200);
        return [afterRestart, afterCancelAll > afterRestart, seen[afterRestart], count === seen.length, search.lastSuccessful?.result()];
      })(),
    );
    expect(out[0]).to.equal(2);
    expect(out[1]).to.equal(true);
    expect(out[2]).to.equal("@10 running:0 queued:0 performed:2");
    expect(out.slice(3)).to.deep.equal([true, "abc"]);
  });

  it("a listener that throws is reported to the loop; the other listeners are still called", () => {
    const out = vrun(
      (function* () {
        const ctxs: ExceptionContext[] = captureHandler();
        const policy = restartable(function* () {
          yield* sleep(1);
        });
        policy.subscribe(() => {
          throw new RangeError("listener bug");
        });
        let calls = 0;
        policy.subscribe(() => void calls++);
        policy.perform();
        yield* sleep(5);
        return [calls > 0, ctxs.length > 0, (ctxs[0].exception as Error).message, ctxs[0].message];
      })(),
    );
    expect(out.slice(0, 3)).to.deep.equal([true, true, "listener bug"]);
    expect(out[3]).to.match(/^Exception in a listener of <TaskPolicy restartable/);
  });

  it("a listener may unsubscribe itself during a notification", () => {
    const out = vrun(
      (function* () {
        const policy = restartable(function* () {
          yield* sleep(1);
        });
        const calls: string[] = [];
        const stop = policy.subscribe(() => {
          calls.push("first");
          stop();
        });
        policy.subscribe(() => void calls.push("second"));
        policy.perform();
        yield* sleep(5);
        return calls;
      })(),
    );
    expect(out[0]).to.equal("first");
    expect(out.filter((c) => c === "first")).to.have.length(1);
    expect(out.filter((c) => c === "second").length).to.be.at.least(2);
  });

  it("rejects a listener that is not a function", () => {
    const policy = restartable(function* () {});
    expect(() => policy.subscribe(1 as never)).to.throw(TypeError, /subscribe: a listener function was expected/);
  });
});
