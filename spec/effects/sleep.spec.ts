// The sleep descriptor iterates itself: `yield* sleep(0)` makes no iterator and no result object.
// These specs hold it to what `YieldOnce` (the generator `function* () { return yield d }`) does,
// for every way a descriptor can be iterated, shared, reused, cancelled and observed.
import { expect } from "chai";
import {
  CancelledError,
  EventLoop,
  Task,
  currentTask,
  SleepEffect,
  VirtualClock,
  call,
  captureCallGraph,
  createTask,
  describeWait,
  ensureFuture,
  formatTaskTree,
  gather,
  sleep,
  spawn,
  type Coroutine,
} from "../../lib/index.js";
import { BRAND } from "../../lib/brand.js";
import { runTest } from "../../lib/testing/index.js";
import { isGenerator } from "../../lib/describe.js";
import { YieldOnce } from "../../lib/yield-once.js";
import { ONCE_SEQUENCES, now, traceIterator, vrun, yieldOnceReference, type Co, type IteratorOp } from "../helpers.js";

/** A coroutine stepped by hand, as a test of a saga would. */
function* twoSleeps(): Coroutine<string> {
  const a = yield* sleep(0, "a");
  const b = yield* sleep(10, "b");
  return a + b;
}

describe("sleep: the descriptor is its own iterator (yield* sleep(0))", () => {
  describe("iterated by hand", () => {
    for (const delay of [0, -1, 10]) {
      for (const ops of ONCE_SEQUENCES) {
        it(`sleep(${delay}) behaves like function* () { return yield descriptor } for ${ops.map((o) => o[0]).join(", ")}, and again once finished`, () => {
          const eff = sleep(delay, "r");
          const expected = traceIterator(yieldOnceReference(eff), ops);
          expect(traceIterator(eff[Symbol.iterator](), ops)).to.deep.equal(expected);
          expect(traceIterator(eff[Symbol.iterator](), ops)).to.deep.equal(expected);
        });
      }
    }

    it("hands out itself when idle (no delay), a fresh YieldOnce while an iteration of it is under way, and itself again once that ends", () => {
      const tick = sleep(0, "t");
      const first = tick[Symbol.iterator]();
      expect(first).to.equal(tick);
      const second = tick[Symbol.iterator](); // claimed, not yet started: must not share state
      expect(second).to.be.an.instanceOf(YieldOnce);
      expect(first.next().value).to.equal(tick);
      expect(tick[Symbol.iterator]()).to.be.an.instanceOf(YieldOnce); // yielded
      expect(first.next("resumed")).to.include({ value: "resumed", done: true });
      expect(tick[Symbol.iterator]()).to.equal(tick);
    });

    it("a descriptor with a delay, outside a task's step, iterates through a YieldOnce (what a long wait keeps is smaller)", () => {
      const nap = sleep(10);
      expect(nap[Symbol.iterator]()).to.be.an.instanceOf(YieldOnce);
      expect(nap[Symbol.iterator]()).to.be.an.instanceOf(YieldOnce);
    });

    it("two iterations interleaved by hand behave as two generators", () => {
      const tick = sleep(0);
      const ops: [0 | 1, IteratorOp][] = [
        [0, ["next", undefined]],
        [1, ["next", undefined]],
        [1, ["next", "b"]],
        [0, ["next", "a"]],
        [0, ["next", "x"]],
        [1, ["throw", "boom"]],
      ];
      const run = (iterators: Iterator<unknown>[]) => ops.map(([i, op]) => traceIterator(iterators[i], [op])[0]);
      const expected = run([yieldOnceReference(tick), yieldOnceReference(tick)]);
      expect(run([tick[Symbol.iterator](), tick[Symbol.iterator]()])).to.deep.equal(expected);
    });

    it("spread and Array.from give the descriptor once, also while a task waits on it", () => {
      const tick = sleep(0, "t");
      expect([...tick]).to.have.lengthOf(1).and.to.have.members([tick]);
      expect(Array.from(tick)).to.have.lengthOf(1).and.to.have.members([tick]);
      const seen = vrun(
        (function* () {
          const waiter = createTask((function* () { return yield* tick; })());
          yield* sleep(-5); // the waiter is now in `yield* tick`, on the descriptor itself
          const spread = [...tick];
          return [spread.length, spread[0] === tick, yield* waiter];
        })(),
      );
      expect(seen).to.deep.equal([1, true, "t"]);
    });

    it("stepping a coroutine by hand yields the descriptor itself, and yield* returns what it is resumed with", () => {
      const g = twoSleeps();
      const first = g.next();
      expect(first.done).to.equal(false);
      expect(first.value).to.be.an.instanceOf(SleepEffect).and.deep.include({ kind: "sleep", delay: 0, result: "a" });
      // The result object is the descriptor: read it before resuming, which ends its iteration.
      expect(first).to.equal(first.value);
      const second = g.next("A");
      expect(second.value).to.deep.include({ kind: "sleep", delay: 10, result: "b" });
      expect(g.next("B")).to.deep.equal({ value: "AB", done: true });
    });

    it("gen.throw() and gen.return() pass through a yield* sleep(0) as through a generator, and leave the descriptor reusable", () => {
      const tick = sleep(0, "t");
      const log: string[] = [];
      function* body(): Coroutine<string> {
        try {
          yield* tick;
          return "not reached";
        } catch (e) {
          log.push(`caught ${String(e)}`);
          yield* tick;
          return "after the catch";
        } finally {
          log.push("finally");
        }
      }
      const thrown = body();
      expect(thrown.next().value).to.equal(tick);
      expect(thrown.throw("boom").value).to.equal(tick); // caught, then waiting in the same descriptor again
      expect(thrown.next()).to.deep.equal({ value: "after the catch", done: true });
      const returned = body();
      expect(returned.next().value).to.equal(tick);
      expect(returned.return("early")).to.deep.equal({ value: "early", done: true });
      expect(log).to.deep.equal(["caught boom", "finally", "finally"]);
      expect(tick[Symbol.iterator]()).to.equal(tick);
    });
  });

  describe("a delay, in a task's step: the task is the iterator (a sleeping task keeps no YieldOnce)", () => {
    it("behaves like function* () { return yield descriptor } for every sequence; a second iteration meanwhile gets a YieldOnce", () => {
      const out = vrun(
        (function* () {
          const task = currentTask() as Task<unknown>;
          const results: boolean[] = [];
          for (const ops of ONCE_SEQUENCES) {
            const nap = sleep(10, "r");
            const it = nap[Symbol.iterator]();
            results.push(it === (task as unknown));
            expect(traceIterator(it, ops)).to.deep.equal(traceIterator(yieldOnceReference(nap), ops));
          }
          const first = sleep(5)[Symbol.iterator]();
          expect(first.next().value).to.be.an.instanceOf(SleepEffect); // under way
          expect(sleep(5)[Symbol.iterator]()).to.be.an.instanceOf(YieldOnce);
          expect(first.next("resumed")).to.deep.equal({ value: "resumed", done: true });
          expect(sleep(5)[Symbol.iterator]()).to.equal(task); // claimed again
          return results;
        })(),
      );
      expect(out).to.deep.equal(ONCE_SEQUENCES.map(() => true));
    });

    it("a claim still pending when the task suspends is dropped: its first next() finds the iteration over, the next sleeps work", () => {
      const out = vrun(
        (function* () {
          const it = sleep(10)[Symbol.iterator]();
          yield* sleep(0);
          const late = traceIterator(it, [["next", 1]]);
          return [late, yield* sleep(10, "slept"), now()];
        })(),
      );
      expect(out).to.deep.equal([[{ ok: { value: undefined, done: true } }], "slept", 10]);
    });

    it("a cancelled sleep ends the iteration: the task catches CancelledError and sleeps again; a closing loop runs the finally", () => {
      const log: string[] = [];
      function* sleeper(): Co<string> {
        try {
          yield* sleep(1000);
        } catch (e) {
          log.push(e instanceof CancelledError ? "cancelled" : "other");
          return yield* sleep(5, "again");
        }
        return "not cancelled";
      }
      function* forever(): Co<void> {
        try {
          yield* sleep(1e9);
        } finally {
          log.push("finally at close");
        }
      }
      const clock = new VirtualClock();
      const reports: string[] = [];
      const loop = new EventLoop({ clock, logger: { warn: (m) => reports.push(m), error: (m) => reports.push(m) } });
      const t = loop.createTask(sleeper());
      const f = loop.createTask(forever());
      loop.step();
      expect(t.cancel()).to.equal(true);
      expect(loop.runUntilComplete(t)).to.equal("again");
      expect([f.done(), isGenerator(t), Object.keys(t).indexOf("next"), clock.now()]).to.deep.equal([false, false, -1, 5]);
      // @ts-expect-error to TypeScript, a task has no iterator methods
      expect(typeof t.next).to.equal("function");
      loop.close();
      expect(log).to.deep.equal(["cancelled", "finally at close"]);
      expect(reports.join("\n")).to.match(/Task was destroyed but it is pending/);
    });
  });

  describe("sleep(0) with no result: one shared descriptor, iterated by its task", () => {
    it("is the same descriptor every time (also sleep(0, undefined)); any other delay or a result makes a fresh one", () => {
      const zero = sleep(0);
      expect(sleep(0)).to.equal(zero);
      expect(sleep(0, undefined)).to.equal(zero);
      expect(new Set([sleep(0, 1), sleep(0, 1), sleep(-1), sleep(-1), sleep(1), sleep(1), zero]).size).to.equal(7);
      expect(zero).to.be.an.instanceOf(SleepEffect).and.deep.include({ kind: "sleep", delay: 0, result: undefined });
      expect(JSON.stringify(zero)).to.equal('{"kind":"sleep","delay":0}');
      expect(isGenerator(zero)).to.equal(false);
    });

    it("outside a task's step, each iteration is a YieldOnce that behaves like function* () { return yield descriptor }", () => {
      for (const ops of ONCE_SEQUENCES) {
        const it = sleep(0)[Symbol.iterator]();
        expect(it).to.be.an.instanceOf(YieldOnce);
        expect(traceIterator(it, ops)).to.deep.equal(traceIterator(yieldOnceReference(sleep(0)), ops));
      }
    });

    it("in a task's step, the task is the iterator for every sequence; a second iteration meanwhile gets a YieldOnce; the descriptor never changes", () => {
      const out = vrun(
        (function* () {
          const task = currentTask() as Task<unknown>;
          const zero = sleep(0);
          const results: boolean[] = [];
          for (const ops of ONCE_SEQUENCES) {
            const it = zero[Symbol.iterator]();
            results.push(it === (task as unknown));
            expect(traceIterator(it, ops)).to.deep.equal(traceIterator(yieldOnceReference(zero), ops));
          }
          const first = zero[Symbol.iterator]();
          expect(first.next().value).to.equal(zero); // under way
          const second = zero[Symbol.iterator]();
          expect(second).to.be.an.instanceOf(YieldOnce);
          expect(traceIterator(second, [["next", 1], ["next", 2]])).to.deep.equal([
            { ok: { value: zero, done: false } },
            { ok: { value: 2, done: true } },
          ]);
          expect(first.next("resumed")).to.deep.equal({ value: "resumed", done: true });
          expect(zero[Symbol.iterator]()).to.equal(task); // claimed again
          yield* sleep(0); // the claim is dropped when the task suspends
          expect(JSON.stringify(zero)).to.equal('{"kind":"sleep","delay":0}');
          return results;
        })(),
      );
      expect(out).to.deep.equal(ONCE_SEQUENCES.map(() => true));
    });

    it("a coroutine stepped by hand inside a task, waiting in yield* sleep(0) on the task, ends its wait wherever it is resumed", () => {
      function* inner(): Co<string> {
        const a = yield* sleep(0);
        return `inner got ${String(a)}`;
      }
      const out = vrun(
        (function* () {
          const g = inner();
          expect(g.next().value).to.equal(sleep(0)); // g waits in yield* sleep(0), on this task
          const mine = yield* sleep(0); // this task's own switch meanwhile (through a YieldOnce)
          const other = createTask((function* () { return g.next("from another task"); })());
          return [mine, yield* other, yield* sleep(0, "still switching")];
        })(),
      );
      expect(out).to.deep.equal([undefined, { value: "inner got from another task", done: true }, "still switching"]);
    });

    it("tasks switching on it run round-robin, one loop iteration per switch, and a cancellation between steps reaches each finally", () => {
      const order: string[] = [];
      const cleaned: string[] = [];
      function* worker(name: string, n: number): Co<number> {
        let i = 0;
        try {
          for (; i < n; i++) {
            expect(yield* sleep(0)).to.equal(undefined);
            order.push(name + i);
          }
          return i;
        } finally {
          cleaned.push(`${name} at ${i}`);
        }
      }
      const loop = new EventLoop({ clock: new VirtualClock() });
      const tasks = [loop.createTask(worker("a", 3)), loop.createTask(worker("b", 1e9)), loop.createTask(worker("c", 3))];
      let iterations = 0;
      while (!tasks[2].done()) {
        loop.step();
        if (++iterations === 2) tasks[1].cancel("stop"); // b is in the ready queue, suspended in yield* sleep(0)
      }
      loop.step();
      expect(order).to.deep.equal(["a0", "b0", "c0", "a1", "c1", "a2", "c2"]);
      expect(iterations).to.equal(4);
      expect(tasks.map((t) => (t.cancelled() ? "cancelled" : t.result()))).to.deep.equal([3, "cancelled", 3]);
      expect(cleaned).to.deep.equal(["b at 1", "a at 3", "c at 3"]);
      loop.close();
    });
  });

  describe("public shape", () => {
    it("inspects as before in every state: deep.include, JSON, never a coroutine", () => {
      const eff = sleep(0, "x");
      const g = (function* () { return yield* eff; })();
      const states = [eff, g.next().value as SleepEffect<string>];
      g.next("y");
      states.push(eff);
      for (const state of states) {
        expect(state).to.deep.include({ kind: "sleep", delay: 0, result: "x" });
        expect(JSON.stringify(state)).to.equal('{"kind":"sleep","delay":0,"result":"x"}');
        expect(isGenerator(state)).to.equal(false);
      }
      // A delayed descriptor (its own first iterator result for good) and the shared sleep(0) too.
      for (const [state, delay, result] of [[sleep(10, "x"), 10, "x"], [sleep(0), 0, undefined]] as const) {
        expect(state).to.deep.include({ kind: "sleep", delay, result });
        expect(JSON.stringify(state)).to.equal(JSON.stringify({ kind: "sleep", delay, result }));
        expect(isGenerator(state)).to.equal(false);
      }
      // Another copy of genloop's descriptor (branded, with next/throw/return) is no coroutine either.
      const foreign = { next() {}, throw() {}, return() {}, [BRAND as symbol]: "SleepEffect" };
      expect(isGenerator(foreign)).to.equal(false);
    });

    it("to TypeScript, a descriptor has no iterator methods or state and is not a coroutine", () => {
      const eff = sleep(0, 1);
      // @ts-expect-error the iteration state is private
      void eff.value;
      // @ts-expect-error the iteration state is private
      void eff.done;
      // @ts-expect-error the iterator methods are not public
      void eff.next;
      // @ts-expect-error an effect is not a coroutine
      const coro: Coroutine<number> = eff;
      void coro;
      function* typed(): Coroutine<number> {
        return yield* eff;
      }
      void typed;
    });

    it("a descriptor given where a coroutine is expected is refused; where an awaitable is, it runs", () => {
      vrun(
        (function* () {
          expect(() => createTask(sleep(1) as never)).to.throw(TypeError, /ensureFuture\(effect\)/);
          expect(() => spawn(sleep(1) as never)).to.throw(TypeError);
          expect(() => call(sleep(1) as never)).to.throw(TypeError);
          const future = ensureFuture(sleep(3, "c"));
          const tick = sleep(0, "t");
          expect(yield* gather(sleep(1, "a"), tick, sleep(2, "b"), tick, future)).to.deep.equal(["a", "t", "b", "t", "c"]);
          expect(now()).to.equal(3);
        })(),
      );
    });
  });

  describe("shared and reused", () => {
    it("a descriptor shared by many tasks (`const tick = sleep(0)`) switches them round-robin, each resumed with its result", () => {
      const tick = sleep(0, "t");
      const order: string[] = [];
      function* worker(name: string, n: number): Co<string[]> {
        const got: string[] = [];
        for (let i = 0; i < n; i++) {
          got.push(yield* tick);
          order.push(name + i);
        }
        return got;
      }
      const results = vrun(
        (function* () {
          return yield* gather(worker("a", 3), worker("b", 3), worker("c", 3));
        })(),
      );
      expect(results).to.deep.equal([["t", "t", "t"], ["t", "t", "t"], ["t", "t", "t"]]);
      expect(order).to.deep.equal(["a0", "b0", "c0", "a1", "b1", "c1", "a2", "b2", "c2"]);
      expect(tick[Symbol.iterator]()).to.equal(tick);
    });

    it("a shared descriptor with a delay wakes each task its delay after it started waiting", () => {
      const nap = sleep(10, "x");
      const woke: [number, string][] = [];
      function* napper(start: number): Co<void> {
        yield* sleep(start);
        woke.push([start, yield* nap]);
        woke.push([now(), "awake"]);
      }
      vrun(
        (function* () {
          yield* gather(napper(0), napper(3), napper(5));
        })(),
      );
      expect(woke).to.deep.equal([[0, "x"], [10, "awake"], [3, "x"], [13, "awake"], [5, "x"], [15, "awake"]]);
    });

    it("one task reuses a descriptor many times, one loop iteration each", () => {
      const tick = sleep(0, 1);
      const loop = new EventLoop({ clock: new VirtualClock() });
      let sum = 0;
      const task = loop.createTask(
        (function* () {
          for (let i = 0; i < 1000; i++) sum += yield* tick;
          return sum;
        })(),
      );
      let iterations = 0;
      while (!task.done()) {
        loop.step();
        iterations++;
      }
      expect(task.result()).to.equal(1000);
      expect(iterations).to.equal(1001);
      loop.close();
    });

    it("a bare `yield` of the descriptor a task waits on in `yield*` resumes both", () => {
      const tick = sleep(0, "t");
      const out = vrun(
        (function* () {
          const typed = createTask((function* () { return [yield* tick, yield* tick]; })());
          const bare = createTask((function* () { return [yield tick, yield tick]; })());
          return [yield* typed, yield* bare];
        })(),
      );
      expect(out).to.deep.equal([["t", "t"], ["t", "t"]]);
    });
  });

  describe("cancellation", () => {
    for (const delay of [0, 1000]) {
      it(`a cancellation thrown into a task in yield* sleep(${delay}) reaches its finally; a task sharing the descriptor still wakes`, () => {
        const shared = sleep(delay, "r");
        const log: string[] = [];
        function* victim(): Co<string> {
          try {
            yield* shared;
            return "not cancelled";
          } catch (e) {
            log.push(`victim caught ${e instanceof CancelledError ? "CancelledError" : String(e)} at ${now()}`);
            // The descriptor is reusable after the cancellation went through it.
            return `then ${yield* shared} at ${now()}`;
          } finally {
            log.push("victim finally");
          }
        }
        function* bystander(): Co<string> {
          return `${yield* shared} at ${now()}`;
        }
        const out = vrun(
          (function* () {
            const v = createTask(victim()); // first: it waits on the descriptor itself (no delay)
            const b = createTask(bystander()); // second: on a YieldOnce of it
            // Both run to their wait; with no delay, they are in the ready queue again behind us.
            yield* sleep(delay === 0 ? 0 : 1);
            expect(v.cancel()).to.equal(true);
            return [yield* v, yield* b];
          })(),
        );
        const at = delay === 0 ? 0 : 1;
        expect(out).to.deep.equal([`then r at ${at + delay}`, `r at ${delay}`]);
        expect(log).to.deep.equal([`victim caught CancelledError at ${at}`, "victim finally"]);
      });
    }

    it("a task cancelled while suspended in yield* sleep(0) by a cancellation during the switch", () => {
      const tick = sleep(0, "t");
      let cleaned = 0;
      const outcome = vrun(
        (function* () {
          const tasks: ReturnType<typeof createTask<void>>[] = [];
          for (let i = 0; i < 10; i++) {
            tasks.push(createTask((function* () {
              try {
                for (;;) yield* tick;
              } finally {
                cleaned++;
              }
            })()));
          }
          yield* sleep(0);
          yield* sleep(0); // every task is now suspended in `yield* tick` (the first on tick itself)
          for (const t of tasks) t.cancel();
          yield* sleep(0);
          return tasks.map((t) => t.cancelled());
        })(),
      );
      expect(outcome).to.deep.equal(new Array(10).fill(true));
      expect(cleaned).to.equal(10);
      expect(tick[Symbol.iterator]()).to.equal(tick);
    });
  });

  describe("observed", () => {
    it("describeWait says the same whether the task waits on the descriptor itself or on a YieldOnce of it", () => {
      const loop = new EventLoop({ clock: new VirtualClock() });
      const tick = sleep(0);
      const nap = sleep(1500);
      const waiters = [tick, tick, nap, nap].map((eff) => loop.createTask((function* () { yield* eff; })()));
      loop.step(); // every task ran to its first wait
      expect(waiters.map(describeWait)).to.deep.equal(["ready to run", "ready to run", "sleep until 1500 ms", "sleep until 1500 ms"]);
      loop.runUntilComplete(waiters[3]);
      loop.close();
    });

    it("in debug mode, a task in yield* sleep(0) (the descriptor itself or a YieldOnce of it) says where it is suspended", () => {
      const loop = new EventLoop({ clock: new VirtualClock(), debug: true });
      const tick = sleep(0);
      function* spinning(): Co<void> {
        for (let i = 0; i < 3; i++) yield* tick;
      }
      const tasks = [loop.createTask(spinning(), { name: "first" }), loop.createTask(spinning(), { name: "second" })];
      loop.step();
      const lines = formatTaskTree(loop).split("\n");
      const suspended = lines.filter((l) => /^ {4}suspended at /.test(l));
      expect(suspended).to.have.lengthOf(2);
      for (const line of suspended) expect(line).to.match(/suspended at spinning \(.*sleep\.spec\.(js|ts):\d+:\d+\)$/);
      loop.runUntilComplete(tasks[1]);
      expect(tasks[0].done()).to.equal(true);
      loop.close();
    });

    it("the call graph learns the name of a generator function whose only wait is a sleep, whichever iterates it", () => {
      // Functions declared here, each waiting only on one form of sleep: its name is learned from
      // the stack at its `yield*`, in the sleep's own iterator (never swapped for a noting one).
      function* onlyTicks(): Co<void> {
        for (let i = 0; i < 3; i++) yield* sleep(0); // the shared descriptor: the task iterates it
      }
      function* onlyTicksWithResult(): Co<void> {
        for (let i = 0; i < 3; i++) yield* sleep(0, i); // the descriptor iterates itself
      }
      function* onlyNaps(): Co<void> {
        for (let i = 0; i < 3; i++) yield* sleep(1); // a delay: the task iterates it
      }
      function* underHandIteration(): Co<void> {
        const byHand = sleep(5)[Symbol.iterator](); // the task's iterator is claimed: a YieldOnce next
        void byHand;
        for (let i = 0; i < 3; i++) yield* sleep(1);
      }
      const names = vrun(
        (function* () {
          const tasks = [onlyTicks, onlyTicksWithResult, onlyNaps, underHandIteration].map((f) => createTask(f()));
          yield* sleep(0);
          yield* sleep(0);
          const graphs = tasks.map((task) => captureCallGraph(task));
          yield* gather(...tasks);
          return graphs.map((graph) => graph?.callStack.map((e) => e.name));
        })(),
      );
      expect(names).to.deep.equal([["onlyTicks"], ["onlyTicksWithResult"], ["onlyNaps"], ["underHandIteration"]]);
    });

    it("runTest and its virtual clock see the same switches with a shared descriptor", () => {
      const tick = sleep(0);
      const seen = runTest(function* () {
        const log: string[] = [];
        function* worker(name: string): Co<void> {
          for (let i = 0; i < 2; i++) {
            yield* tick;
            log.push(name);
          }
        }
        yield* gather(worker("a"), worker("b"));
        return [log.join(""), now()];
      });
      expect(seen).to.deep.equal(["abab", 0]);
    });
  });
});
