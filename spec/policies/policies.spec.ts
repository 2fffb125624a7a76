// Task policies (lib/policies): restartable, drop, enqueue, keepLatest.
import { expect } from "chai";
import {
  restartable,
  drop,
  enqueue,
  keepLatest,
  TaskPolicy,
  CancelledError,
  createTask,
  sleep,
  EventLoop,
  Event,
  VirtualClock,
  type Task,
} from "../../lib/index.js";
import { type Co, vrun, now, captureHandler } from "../helpers.js";

/** A job that logs its start and end (or cancellation) and returns its argument after `ms`. */
function recorder(log: string[]) {
  return function* job(x: string, ms = 100): Co<string> {
    log.push(`start ${x}@${now()}`);
    try {
      yield* sleep(ms);
    } catch (e) {
      log.push(`cancelled ${x}@${now()}`);
      throw e;
    }
    log.push(`end ${x}@${now()}`);
    return x.toUpperCase();
  };
}

/** Each task's result or error, awaited one by one (so a cancellation keeps its message). */
function* settle<T>(tasks: Task<T>[]): Co<unknown[]> {
  const out: unknown[] = [];
  for (const t of tasks) {
    try {
      out.push(yield t);
    } catch (e) {
      out.push(e);
    }
  }
  return out;
}

describe("task policies", () => {
  describe("restartable", () => {
    it("a call arriving while one runs cancels it and starts at once; only the latest finishes", () => {
      const log: string[] = [];
      const { results, state } = vrun(
        (function* () {
          const search = restartable(recorder(log), { name: "search" });
          const a = search.perform("a");
          expect(search.isRunning).to.equal(true);
          yield* sleep(30);
          const b = search.perform("b");
          yield* sleep(30);
          const c = search.perform("c");
          expect(search.numRunning).to.equal(1);
          const results = yield* settle([a, b, c]);
          const state = {
            performCount: search.performCount,
            last: search.last === c,
            lastSuccessful: search.lastSuccessful === c,
            lastCancelled: search.lastCancelled === b,
            isIdle: search.isIdle,
            value: search.lastSuccessful?.result(),
          };
          return { results, state };
        })(),
      );
      expect(results[0]).to.be.an.instanceOf(CancelledError);
      expect((results[0] as Error).message).to.match(/restarted/);
      expect(results[1]).to.be.an.instanceOf(CancelledError);
      expect(results[2]).to.equal("C");
      expect(state).to.deep.equal({ performCount: 3, last: true, lastSuccessful: true, lastCancelled: true, isIdle: true, value: "C" });
      expect(log).to.deep.equal(["start a@0", "cancelled a@30", "start b@30", "cancelled b@60", "start c@60", "end c@160"]);
    });

    it("with maxConcurrency 2 the oldest of the running instances is the one restarted", () => {
      const log: string[] = [];
      vrun(
        (function* () {
          const p = restartable(recorder(log), { maxConcurrency: 2 });
          const ts = [p.perform("a"), p.perform("b")];
          yield* sleep(10);
          ts.push(p.perform("c"));
          expect(p.numRunning).to.equal(2);
          const r = yield* settle(ts);
          expect(r[0]).to.be.an.instanceOf(CancelledError);
          expect(r.slice(1)).to.deep.equal(["B", "C"]);
        })(),
      );
      expect(log).to.deep.equal(["start a@0", "start b@0", "cancelled a@10", "start c@10", "end b@100", "end c@110"]);
    });
  });

  describe("drop", () => {
    it("a call arriving while one runs is cancelled before its body starts", () => {
      const log: string[] = [];
      vrun(
        (function* () {
          const save = drop(recorder(log), { name: "save" });
          const a = save.perform("a");
          yield* sleep(10);
          const b = save.perform("b");
          expect(save.lastPerformed).to.equal(b);
          expect(save.last).to.equal(a);
          const r = yield* settle([a, b]);
          expect(r[0]).to.equal("A");
          expect(r[1]).to.be.an.instanceOf(CancelledError);
          expect((r[1] as Error).message).to.match(/dropped: 'save' already runs 1/);
          expect(save.lastCancelled).to.equal(b);
          expect(save.performCount).to.equal(2);
          // once idle, a new call runs
          expect(yield* save.perform("c", 5)).to.equal("C");
        })(),
      );
      expect(log).to.deep.equal(["start a@0", "end a@100", "start c@100", "end c@105"]);
    });

    it("maxConcurrency 2 lets two run and drops the third", () => {
      vrun(
        (function* () {
          const log: string[] = [];
          const p = drop(recorder(log), { maxConcurrency: 2 });
          const r = yield* settle([p.perform("a"), p.perform("b"), p.perform("c")]);
          expect(r.slice(0, 2)).to.deep.equal(["A", "B"]);
          expect(r[2]).to.be.an.instanceOf(CancelledError);
        })(),
      );
    });
  });

  describe("enqueue", () => {
    it("calls arriving while one runs wait their turn in FIFO order", () => {
      const log: string[] = [];
      vrun(
        (function* () {
          const p = enqueue(recorder(log));
          const ts = [p.perform("a"), p.perform("b"), p.perform("c")];
          expect([p.numRunning, p.numQueued, p.isQueued]).to.deep.equal([1, 2, true]);
          expect(yield* settle(ts)).to.deep.equal(["A", "B", "C"]);
          expect(p.last).to.equal(ts[2]);
          expect(p.isIdle).to.equal(true);
        })(),
      );
      expect(log).to.deep.equal(["start a@0", "end a@100", "start b@100", "end b@200", "start c@200", "end c@300"]);
    });

    it("a queued instance cancelled while waiting is skipped; one cancelled right after getting its slot passes it on", () => {
      const log: string[] = [];
      vrun(
        (function* () {
          const p = enqueue(recorder(log));
          const a = p.perform("a");
          const b = p.perform("b");
          const c = p.perform("c");
          const d = p.perform("d");
          yield* sleep(10);
          b.cancel();
          yield* sleep(90); // a ends at 100: c gets the slot...
          c.cancel(); // ...and is cancelled before it runs: d must get it
          const r = yield* settle([a, b, c, d]);
          expect(r[0]).to.equal("A");
          expect(r[1]).to.be.an.instanceOf(CancelledError);
          expect(r[2]).to.be.an.instanceOf(CancelledError);
          expect(r[3]).to.equal("D");
        })(),
      );
      expect(log).to.deep.equal(["start a@0", "end a@100", "start d@100", "end d@200"]);
    });

    it("maxConcurrency 2 runs two at a time", () => {
      const log: string[] = [];
      vrun(
        (function* () {
          const p = enqueue(recorder(log), { maxConcurrency: 2 });
          yield* settle(["a", "b", "c", "d"].map((x) => p.perform(x)));
        })(),
      );
      expect(log).to.deep.equal([
        "start a@0",
        "start b@0",
        "end a@100",
        "end b@100",
        "start c@100",
        "start d@100",
        "end c@200",
        "end d@200",
      ]);
    });
  });

  describe("keepLatest", () => {
    it("while one runs, only the latest waiting call is kept", () => {
      const log: string[] = [];
      vrun(
        (function* () {
          const p = keepLatest(recorder(log), { name: "sync" });
          const ts = [p.perform("a"), p.perform("b"), p.perform("c"), p.perform("d")];
          expect([p.numRunning, p.numQueued]).to.deep.equal([1, 1]);
          const r = yield* settle(ts);
          expect(r[0]).to.equal("A");
          for (const x of [r[1], r[2]]) {
            expect(x).to.be.an.instanceOf(CancelledError);
            expect((x as Error).message).to.match(/replaced/);
          }
          expect(r[3]).to.equal("D");
          expect(p.performCount).to.equal(4);
        })(),
      );
      expect(log).to.deep.equal(["start a@0", "end a@100", "start d@100", "end d@200"]);
    });
  });

  describe("errors, owners and cancelAll", () => {
    it("an error fails that instance only: the awaiting caller gets it, lastErrored is set, the next queued runs", () => {
      vrun(
        (function* () {
          const p = enqueue(function* (x: number): Co<number> {
            yield* sleep(10);
            if (x === 1) throw new Error("bad input 1");
            return x * 2;
          });
          const a = p.perform(1);
          const b = p.perform(2);
          let caught: unknown = null;
          try {
            yield* a;
          } catch (e) {
            caught = e;
          }
          expect((caught as Error).message).to.equal("bad input 1");
          expect(p.lastErrored).to.equal(a);
          expect(yield* b).to.equal(4);
          expect(p.lastSuccessful).to.equal(b);
          expect(p.lastComplete).to.equal(b);
        })(),
      );
    });

    it("an error nobody awaits is reported to the loop's exception handler (never silently lost)", () => {
      const ctxs = vrun(
        (function* () {
          const ctxs = captureHandler();
          const p = drop(function* (): Co<void> {
            yield* sleep(1);
            throw new Error("lost?");
          });
          p.perform();
          yield* sleep(10);
          expect(p.lastErrored?.done()).to.equal(true);
          return ctxs;
        })(),
      );
      expect(ctxs.map((c) => c.message)).to.deep.equal(["Task exception was never retrieved"]);
      expect((ctxs[0].exception as Error).message).to.equal("lost?");
    });

    it("cancelling the owner task that awaits an instance cancels the instance and frees its slot", () => {
      const log: string[] = [];
      vrun(
        (function* () {
          const p = enqueue(recorder(log));
          const inst = p.perform("a");
          const owner = createTask(
            (function* () {
              return yield* inst;
            })(),
          );
          const b = p.perform("b");
          yield* sleep(50);
          owner.cancel();
          const r = yield* settle([owner, b]);
          expect(r[0]).to.be.an.instanceOf(CancelledError);
          expect(inst.cancelled()).to.equal(true);
          expect(r[1]).to.equal("B");
        })(),
      );
      expect(log).to.deep.equal(["start a@0", "cancelled a@50", "start b@50", "end b@150"]);
    });

    it("an owner that does not await keeps the instance running (instances are tasks of their own)", () => {
      vrun(
        (function* () {
          const log: string[] = [];
          const p = restartable(recorder(log));
          let inst: Task<string> | null = null;
          const owner = createTask(
            (function* () {
              inst = p.perform("a");
              yield* sleep(1000);
            })(),
          );
          yield* sleep(10);
          owner.cancel();
          expect(yield inst!).to.equal("A");
        })(),
      );
    });

    it("an instance cancelled by its caller before its first step frees its slot (every mode)", () => {
      for (const make of [restartable, drop, enqueue, keepLatest]) {
        const log: string[] = [];
        vrun(
          (function* () {
            const p = make(recorder(log));
            const a = p.perform("a");
            a.cancel();
            const b = p.perform("b"); // a still holds its slot until it ends
            yield* sleep(0);
            expect(a.cancelled()).to.equal(true);
            yield* sleep(0);
            expect(p.numRunning + p.numQueued).to.equal(make === drop ? 0 : 1);
            const c = p.perform("c", 5);
            yield* settle([b, c]);
            expect(p.isIdle).to.equal(true);
          })(),
        );
        expect(log).to.include("end c@" + (make === enqueue || make === keepLatest ? "105" : "5"));
      }
    });

    it("a queued instance granted its slot and cancelled before its first step passes the slot on", () => {
      const log: string[] = [];
      vrun(
        (function* () {
          const go = new Event();
          const p = enqueue(function* (x: string): Co<string> {
            if (x === "a") yield* go.wait();
            log.push(`run ${x}`);
            return x;
          });
          const a = p.perform("a");
          const b = p.perform("b");
          const c = p.perform("c");
          yield* sleep(0); // a waits for go; b and c wait for a slot
          go.set();
          yield* sleep(0); // a ran and ended: b was granted the slot, its wake-up is queued
          expect(p.last).to.equal(b);
          b.cancel(); // b resumes with CancelledError instead: the slot must go to c
          const r = yield* settle([a, b, c]);
          expect(r[0]).to.equal("a");
          expect(r[1]).to.be.an.instanceOf(CancelledError);
          expect(r[2]).to.equal("c");
          expect(p.isIdle).to.equal(true);
        })(),
      );
      expect(log).to.deep.equal(["run a", "run c"]);
    });

    it("cancelAll cancels running and queued instances and the policy keeps working", () => {
      vrun(
        (function* () {
          const log: string[] = [];
          const p = enqueue(recorder(log), { maxConcurrency: 2 });
          const ts = ["a", "b", "c"].map((x) => p.perform(x));
          yield* sleep(5);
          expect(p.cancelAll("teardown")).to.equal(3);
          expect(p.isIdle).to.equal(true);
          const r = yield* settle(ts);
          for (const x of r) {
            expect(x).to.be.an.instanceOf(CancelledError);
            expect((x as Error).message).to.equal("teardown");
          }
          expect(yield* p.perform("d", 1)).to.equal("D");
        })(),
      );
    });

    it("validates its arguments with clear errors", () => {
      expect(() => restartable(42 as any)).to.throw(TypeError, /generator function/);
      expect(() => drop(function* () {}, { maxConcurrency: 0 })).to.throw(RangeError, /maxConcurrency/);
      expect(() => enqueue(function* () {}, { maxConcurrency: 1.5 })).to.throw(RangeError);
      expect(() => new TaskPolicy("nope" as any, function* () {})).to.throw(TypeError, /unknown mode/);
      expect(enqueue(function* () {}, { maxConcurrency: Infinity }).maxConcurrency).to.equal(Infinity);
      vrun(
        (function* () {
          const p = restartable((() => 5) as any);
          let err: unknown = null;
          try {
            yield p.perform();
          } catch (e) {
            err = e;
          }
          expect(err).to.be.an.instanceOf(TypeError);
          expect((err as Error).message).to.match(/must be a function\*/);
          expect(p.isIdle).to.equal(true);
        })(),
      );
    });

    it("perform outside a running loop is a RuntimeError and changes nothing", () => {
      const p = restartable(function* () {});
      expect(() => p.perform()).to.throw(/no running event loop/);
      expect(p.performCount).to.equal(0);
    });

    it("with options.loop, perform works from host code outside the loop", () => {
      const loop = new EventLoop({ clock: new VirtualClock() });
      const log: string[] = [];
      const p = restartable(
        function* (x: string): Co<string> {
          yield* sleep(10);
          log.push(x);
          return x;
        },
        { loop },
      );
      p.perform("a"); // a host event, no loop running
      const b = p.perform("b");
      expect(loop.runUntilComplete(b)).to.equal("b");
      expect(log).to.deep.equal(["b"]);
      expect(p.lastCancelled?.cancelled()).to.equal(true);
      loop.close();
      expect(() => restartable(function* () {}, { loop: {} as any })).to.throw(TypeError, /EventLoop/);
    });

    it("instance tasks are named after the policy", () => {
      vrun(
        (function* () {
          const p = enqueue(function* fetchUser(): Co<void> {}, {});
          expect(p.perform().getName()).to.equal("fetchUser#1");
          expect(p.perform().getName()).to.equal("fetchUser#2");
          expect(String(p)).to.equal("<TaskPolicy enqueue 'fetchUser' running:1/1 queued:1 performed:2>");
          yield* sleep(0);
        })(),
      );
    });
  });
});
