// asyncio.Barrier — ported from CPython 3.13 test_locks.py BarrierTests (not in the catalogue, §H).
import { expect } from "chai";
import { Barrier, BrokenBarrierError, CancelledError, RuntimeError, createTask, getRunningLoop, sleep, gather, type Task } from "../../lib/index.js";
import { type Co, vrun, catchError } from "../helpers.js";
import { task, thrown } from "./helpers.js";

const N = 5;

function* gatherTasks<T>(n: number, coro: () => Co<T>): Co<T[]> {
  const tasks = Array.from({ length: n }, () => createTask(coro()));
  return yield* gather(...tasks);
}

function check(barrier: Barrier, broken = false): void {
  expect(barrier.nWaiting).to.equal(0);
  expect(barrier.broken).to.equal(broken);
  expect(String(barrier)).to.not.contain("resetting");
}

describe("Barrier (CPython BarrierTests)", () => {
  it("test_barrier / test_barrier_parties: not awaitable itself; parties must be a whole number > 0", () => {
    expect(() => new Barrier(0)).to.throw(RangeError, /parties must be/);
    expect(() => new Barrier(-4)).to.throw(RangeError);
    expect(() => new Barrier(1.5)).to.throw(RangeError);
    expect(() => new Barrier("3" as any)).to.throw(TypeError);
    vrun(
      (function* (): Co<void> {
        const barrier = new Barrier(N);
        expect(String(barrier)).to.contain("filling");
        expect(yield* thrown(barrier as any)).to.be.an.instanceOf(TypeError);
        expect(barrier.parties).to.equal(N);
      })(),
    );
  });

  it("test_repr: filling with waiters:k/N, draining, resetting, broken", () => {
    vrun(
      (function* (): Co<void> {
        const barrier = new Barrier(N);
        const waiters: Task<number>[] = [];
        const add = (k: number) => {
          for (let i = 0; i < k; i++) waiters.push(task(barrier.wait()));
        };
        add(2);
        yield* sleep(0);
        expect(String(barrier)).to.equal(`<Barrier [filling, waiters:2/${N}]>`);
        add(barrier.parties - barrier.nWaiting);
        yield* sleep(0);
        expect(String(barrier)).to.contain("draining");
        add(2);
        yield* sleep(0);
        yield* barrier.reset();
        expect(String(barrier)).to.contain("resetting");
        add(2);
        yield* sleep(0);
        yield* barrier.abort();
        expect(String(barrier)).to.equal("<Barrier [broken]>");
        expect(barrier.broken).to.equal(true);
        yield* gather(...waiters, { returnExceptions: true });
      })(),
    );
  });

  it("test_context_manager / test_filling_tasks_check_return_value: distinct indexes 0..N-1", () => {
    vrun(
      (function* (): Co<void> {
        const barrier = new Barrier(N);
        const res = yield* gatherTasks(N, function* () {
          yield* barrier.wait();
          return yield* barrier.wait();
        });
        expect(res.slice().sort()).to.deep.equal([0, 1, 2, 3, 4]);
        check(barrier);
      })(),
    );
  });

  it("test_filling_one_task / test_filling_one_task_twice", () => {
    vrun(
      (function* (): Co<void> {
        const barrier = new Barrier(1);
        expect(yield* barrier.wait()).to.equal(0);
        const t1 = task(barrier.wait());
        yield* sleep(0);
        expect(barrier.nWaiting).to.equal(0);
        const t2 = task(barrier.wait());
        yield* sleep(0);
        expect(t1.result()).to.equal(t2.result());
        expect(t1.done()).to.equal(t2.done());
        check(barrier);
      })(),
    );
  });

  it("test_filling_task_by_task", () => {
    vrun(
      (function* (): Co<void> {
        const barrier = new Barrier(3);
        const t1 = task(barrier.wait());
        yield* sleep(0);
        expect(barrier.nWaiting).to.equal(1);
        const t2 = task(barrier.wait());
        yield* sleep(0);
        expect(barrier.nWaiting).to.equal(2);
        expect(String(barrier)).to.contain("filling");
        const t3 = task(barrier.wait());
        yield* sleep(0);
        expect(yield* gather(t1, t2, t3)).to.deep.equal([0, 1, 2]);
        check(barrier);
      })(),
    );
  });

  it("test_filling_tasks_wait_twice / test_draining_state", () => {
    vrun(
      (function* (): Co<void> {
        const barrier = new Barrier(N);
        const results: boolean[] = [];
        yield* gatherTasks(N, function* () {
          yield* barrier.wait();
          results.push(true);
          yield* barrier.wait();
          results.push(false);
        });
        expect(results.filter((x) => x).length).to.equal(N);
        expect(results.filter((x) => !x).length).to.equal(N);
        check(barrier);

        const b2 = new Barrier(N);
        const draining: boolean[] = [];
        yield* gatherTasks(N, function* () {
          yield* b2.wait();
          draining.push(String(b2).includes("draining"));
        });
        expect(draining).to.deep.equal([true, true, true, true, false]);
        check(b2);
      })(),
    );
  });

  it("test_blocking_tasks_while_draining", () => {
    vrun(
      (function* (): Co<void> {
        const rewait = 2;
        const barrier = new Barrier(N);
        const nowaiting = new Barrier(N - rewait);
        let rewaitN = rewait;
        yield* gatherTasks(N, function* () {
          yield* barrier.wait();
          if (rewaitN > 0) {
            rewaitN--;
            yield* barrier.wait();
          } else {
            yield* nowaiting.wait();
            yield* barrier.wait();
          }
        });
        check(barrier);
      })(),
    );
  });

  it("test_filling_tasks_cancel_one: a task cancelled while waiting leaves the count consistent", () => {
    vrun(
      (function* (): Co<void> {
        const barrier = new Barrier(3);
        const results: boolean[] = [];
        function* coro(): Co<void> {
          yield* barrier.wait();
          results.push(true);
        }
        const t1 = createTask(coro());
        yield* sleep(0);
        expect(barrier.nWaiting).to.equal(1);
        const t2 = createTask(coro());
        yield* sleep(0);
        expect(barrier.nWaiting).to.equal(2);
        t1.cancel();
        yield* sleep(0);
        expect(barrier.nWaiting).to.equal(1);
        expect(yield* thrown(t1)).to.be.an.instanceOf(CancelledError);
        const t3 = createTask(coro());
        yield* sleep(0);
        expect(barrier.nWaiting).to.equal(2);
        const t4 = createTask(coro());
        yield* gather(t2, t3, t4);
        expect(results).to.deep.equal([true, true, true]);
        check(barrier);
      })(),
    );
  });

  it("test_reset_barrier / test_reset_barrier_while_tasks_waiting", () => {
    vrun(
      (function* (): Co<void> {
        const b1 = new Barrier(1);
        task(b1.reset());
        yield* sleep(0);
        check(b1);

        const barrier = new Barrier(N);
        const results: boolean[] = [];
        const tasks = Array.from({ length: N - 1 }, () =>
          createTask(
            (function* () {
              try {
                yield* barrier.wait();
              } catch (e) {
                if (!(e instanceof BrokenBarrierError)) throw e;
                results.push(true);
              }
            })(),
          ),
        );
        yield* sleep(0);
        task(barrier.reset());
        yield* gather(...tasks);
        expect(results.length).to.equal(N - 1);
        check(barrier);
      })(),
    );
  });

  it("test_reset_barrier_when_tasks_half_draining", () => {
    vrun(
      (function* (): Co<void> {
        const barrier = new Barrier(N);
        const results1: boolean[] = [];
        const rest = Math.floor(N / 2);
        yield* gatherTasks(N, function* () {
          try {
            yield* barrier.wait();
          } catch (e) {
            if (!(e instanceof BrokenBarrierError)) throw e;
            results1.push(true);
            return;
          }
          if (rest === barrier._count) yield* barrier.reset();
        });
        expect(results1).to.deep.equal(Array(rest).fill(true));
        check(barrier);
      })(),
    );
  });

  it("test_reset_barrier_when_tasks_half_draining_half_blocking", () => {
    vrun(
      (function* (): Co<void> {
        const barrier = new Barrier(N);
        const results1: boolean[] = [];
        const results2: boolean[] = [];
        const blocking = Math.floor(N / 2);
        let count = 0;
        yield* gatherTasks(N, function* () {
          try {
            yield* barrier.wait();
          } catch (e) {
            if (!(e instanceof BrokenBarrierError)) throw e;
            results1.push(true);
            yield* barrier.wait();
            return;
          }
          count++;
          if (count > blocking) {
            yield* barrier.reset();
            yield* barrier.wait();
          } else {
            try {
              yield* barrier.wait();
            } catch (e) {
              if (!(e instanceof BrokenBarrierError)) throw e;
              results2.push(true);
            }
          }
        });
        expect(results1).to.deep.equal(Array(blocking).fill(true));
        expect(results2).to.deep.equal([]);
        check(barrier);
      })(),
    );
  });

  it("test_reset_barrier_while_tasks_waiting_and_waiting_again", () => {
    vrun(
      (function* (): Co<void> {
        const barrier = new Barrier(N);
        const results1: boolean[] = [];
        const results2: boolean[] = [];
        const tasks = Array.from({ length: N - 1 }, () =>
          createTask(
            (function* () {
              try {
                yield* barrier.wait();
              } catch (e) {
                if (!(e instanceof BrokenBarrierError)) throw e;
                results1.push(true);
              } finally {
                yield* barrier.wait();
                results2.push(true);
              }
            })(),
          ),
        );
        task(barrier.reset());
        yield* sleep(0);
        createTask(
          (function* () {
            yield* barrier.wait();
            results2.push(true);
          })(),
        );
        yield* gather(...tasks);
        expect(barrier.broken).to.equal(false);
        expect(results1.length).to.equal(N - 1);
        expect(results2.length).to.equal(N);
        expect(barrier.nWaiting).to.equal(0);
      })(),
    );
  });

  it("test_reset_barrier_while_tasks_draining", () => {
    vrun(
      (function* (): Co<void> {
        const barrier = new Barrier(N);
        const results1: boolean[] = [];
        const results2: boolean[] = [];
        const results3: boolean[] = [];
        let count = 0;
        yield* gatherTasks(N, function* () {
          yield* barrier.wait();
          count++;
          if (count === N) {
            yield* barrier.reset();
            yield* barrier.wait();
          } else {
            try {
              yield* barrier.wait();
              results1.push(true);
            } catch {
              results2.push(true);
            }
          }
          yield* barrier.wait();
          results3.push(true);
        });
        expect(barrier.broken).to.equal(false);
        expect(results1.length).to.equal(N - 1);
        expect(results2.length).to.equal(0);
        expect(results3.length).to.equal(N);
        expect(barrier.nWaiting).to.equal(0);
      })(),
    );
  });

  it("test_abort_barrier / test_abort_barrier_when_tasks_half_draining_half_blocking", () => {
    vrun(
      (function* (): Co<void> {
        const b1 = new Barrier(1);
        task(b1.abort());
        yield* sleep(0);
        expect(b1.nWaiting).to.equal(0);
        expect(b1.broken).to.equal(true);
        expect(yield* thrown(b1.wait())).to.be.an.instanceOf(BrokenBarrierError);

        const barrier = new Barrier(N);
        const results1: boolean[] = [];
        const results2: boolean[] = [];
        const blocking = Math.floor(N / 2);
        let count = 0;
        yield* gatherTasks(N, function* () {
          try {
            yield* barrier.wait();
          } catch (e) {
            if (!(e instanceof BrokenBarrierError)) throw e;
            results1.push(true);
            return;
          }
          count++;
          if (count > blocking) {
            yield* barrier.abort();
          } else {
            try {
              yield* barrier.wait();
            } catch (e) {
              if (!(e instanceof BrokenBarrierError)) throw e;
              results2.push(true);
            }
          }
        });
        expect(barrier.broken).to.equal(true);
        expect(results1).to.deep.equal(Array(blocking).fill(true));
        expect(results2).to.deep.equal(Array(N - blocking - 1).fill(true));
        expect(barrier.nWaiting).to.equal(0);
      })(),
    );
  });

  it("test_abort_barrier_when_exception / ..._then_resetting", () => {
    vrun(
      (function* (): Co<void> {
        const barrier = new Barrier(N);
        const results1: boolean[] = [];
        const results2: boolean[] = [];
        yield* gatherTasks(N, function* () {
          try {
            const i = yield* barrier.wait();
            if (i === Math.floor(N / 2)) throw new RuntimeError("x");
            yield* barrier.wait();
            results1.push(true);
          } catch (e) {
            if (e instanceof BrokenBarrierError) results2.push(true);
            else if (e instanceof RuntimeError) yield* barrier.abort();
            else throw e;
          }
        });
        expect(barrier.broken).to.equal(true);
        expect(results1.length).to.equal(0);
        expect(results2.length).to.equal(N - 1);
        expect(barrier.nWaiting).to.equal(0);

        const b1 = new Barrier(N);
        const b2 = new Barrier(N);
        const r1: boolean[] = [];
        const r2: boolean[] = [];
        const r3: boolean[] = [];
        yield* gatherTasks(N, function* () {
          try {
            const i = yield* b1.wait();
            if (i === Math.floor(N / 2)) throw new RuntimeError("x");
            yield* b1.wait();
            r1.push(true);
          } catch (e) {
            if (e instanceof BrokenBarrierError) r2.push(true);
            else if (e instanceof RuntimeError) yield* b1.abort();
            else throw e;
          }
          const i = yield* b2.wait();
          if (i === Math.floor(N / 2)) yield* b1.reset();
          yield* b2.wait();
          yield* b1.wait();
          r3.push(true);
        });
        expect(b1.broken).to.equal(false);
        expect([r1.length, r2.length, r3.length]).to.deep.equal([0, N - 1, N]);
        expect(b1.nWaiting).to.equal(0);
      })(),
    );
  });

  it("leaves in the same order and at the same loop time as CPython 3.13 (spec/sync/cpython/held-back.py)", () => {
    const log = vrun(
      (function* (): Co<[string, number, number][]> {
        const b = new Barrier(3);
        const log: [string, number, number][] = [];
        function* party(name: string, delay: number): Co<void> {
          yield* sleep(delay);
          const i = yield* b.wait();
          log.push([name, i, getRunningLoop().time()]);
        }
        yield* gather(party("a", 0), party("b", 10), party("c", 20), party("d", 25), party("e", 30), party("f", 35));
        return log;
      })(),
    );
    expect(log).to.deep.equal([
      ["c", 2, 20],
      ["a", 0, 20],
      ["b", 1, 20],
      ["f", 2, 35],
      ["d", 0, 35],
      ["e", 1, 35],
    ]);
  });

  it("cancellation while blocked behind a draining round leaves the barrier usable", () => {
    vrun(
      (function* (): Co<void> {
        const b = new Barrier(2);
        const a1 = task(b.wait());
        const a2 = task(b.wait());
        yield* sleep(0);
        // a1/a2 are draining; a latecomer blocks in _block() until they have left
        const late = task(b.wait());
        yield* sleep(0);
        late.cancel();
        expect(yield* gather(a1, a2)).to.deep.equal([0, 1]);
        expect(yield* thrown(late)).to.be.an.instanceOf(CancelledError);
        expect(b._cond.locked()).to.equal(false);
        expect(yield* gather(b.wait(), b.wait())).to.have.members([0, 1]);
        check(b);
      })(),
    );
    catchError(() => new Barrier(0), RangeError);
  });
});
