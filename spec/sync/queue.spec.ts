// Catalogue area Q — asyncio.Queue / LifoQueue / PriorityQueue (asyncio-semantics.md §F5; CPython test_queues.py).
import { expect } from "chai";
import {
  Queue,
  LifoQueue,
  PriorityQueue,
  QueueEmpty,
  QueueFull,
  QueueShutDown,
  CancelledError,
  createTask,
  getRunningLoop,
  sleep,
  gather,
} from "../../lib/index.js";
import { type Co, vrun, catchError, now } from "../helpers.js";
import { future, task, thrown } from "./helpers.js";

const queueClasses = [
  ["Queue", Queue],
  ["LifoQueue", LifoQueue],
  ["PriorityQueue", PriorityQueue],
] as const;

describe("catalogue Q — queues", () => {
  // src: test_empty, test_full, test_maxsize, test_float_maxsize
  it("Q-01 empty/full/qsize/maxsize (a fractional maxsize behaves like its ceiling)", () => {
    vrun(
      (function* (): Co<void> {
        const q = new Queue<number>();
        expect(q.empty()).to.equal(true);
        q.putNowait(1);
        expect(q.empty()).to.equal(false);
        expect(q.qsize()).to.equal(1);
        expect(q.getNowait()).to.equal(1);
        expect(q.empty()).to.equal(true);
        expect(new Queue().full()).to.equal(false);
        const q1 = new Queue(1);
        q1.putNowait(1);
        expect(q1.full()).to.equal(true);
        const q0 = new Queue(0);
        const qn = new Queue(-3);
        for (let i = 0; i < 100; i++) {
          q0.putNowait(i);
          qn.putNowait(i);
        }
        expect(q0.full() || qn.full()).to.equal(false);
        const qf = new Queue(1.3);
        qf.putNowait(1);
        qf.putNowait(2);
        expect(qf.full()).to.equal(true);
        catchError(() => qf.putNowait(3), QueueFull);
        expect(qf.maxsize).to.equal(1.3);
        expect(new Queue(2).maxsize).to.equal(2);
      })(),
    );
    expect(() => new Queue("3" as any)).to.throw(TypeError, /maxsize must be a number/);
    expect(() => new Queue(NaN)).to.throw(RangeError);
  });

  // src: test_order, LifoQueueTests.test_order, PriorityQueueTests.test_order
  it("Q-02 ordering: Queue FIFO, LifoQueue LIFO, PriorityQueue lowest first", () => {
    const orders = vrun(
      (function* (): Co<number[][]> {
        const out: number[][] = [];
        for (const [, Cls] of queueClasses) {
          const q = new Cls<number>();
          for (const x of [1, 3, 2]) yield* q.put(x);
          out.push([yield* q.get(), yield* q.get(), yield* q.get()]);
        }
        return out;
      })(),
    );
    expect(orders).to.deep.equal([
      [1, 3, 2],
      [2, 3, 1],
      [1, 2, 3],
    ]);
  });

  // src: QueueBasicTests.test_maxsize
  it("Q-03 a bounded put blocks until a get makes room", () => {
    vrun(
      (function* (): Co<void> {
        const q = new Queue<number>(2);
        expect(q.maxsize).to.equal(2);
        const put: number[] = [];
        const t = createTask(
          (function* (): Co<boolean> {
            for (let i = 0; i < 3; i++) {
              yield* q.put(i);
              put.push(i);
            }
            return true;
          })(),
        );
        yield* sleep(0);
        yield* sleep(0);
        expect(put).to.deep.equal([0, 1]);
        expect(yield* q.get()).to.equal(0);
        yield* sleep(0);
        expect(put).to.deep.equal([0, 1, 2]);
        expect(yield* q.get()).to.equal(1);
        expect(yield* q.get()).to.equal(2);
        expect(t.done() && t.result()).to.equal(true);
      })(),
    );
  });

  // src: test_nonblocking_get_exception, test_nonblocking_put_exception, test_nonblocking_get, test_nonblocking_put
  it("Q-04 getNowait on empty → QueueEmpty, putNowait on full → QueueFull", () => {
    const q = new Queue<number>();
    expect(catchError(() => q.getNowait(), QueueEmpty).message).to.match(/empty/);
    q.putNowait(1);
    expect(q.getNowait()).to.equal(1);
    const q1 = new Queue<number>(1);
    q1.putNowait(1);
    expect(catchError(() => q1.putNowait(2), QueueFull).message).to.match(/full/);
  });

  // src: test_get_with_putters
  it("Q-05 get() wakes one waiting putter", () => {
    vrun(
      (function* (): Co<void> {
        const q = new Queue<number>(1);
        q.putNowait(1);
        const putter = future();
        q._putters.push(putter);
        expect(yield* q.get()).to.equal(1);
        expect(putter.done()).to.equal(true);
        expect(putter.result()).to.equal(undefined);
      })(),
    );
  });

  // src: test_blocking_get_wait, test_blocking_put_wait, test_blocking_get, test_blocking_put
  it("Q-06 a blocking get/put waits for the other side", () => {
    vrun(
      (function* (): Co<void> {
        const q = new Queue<number>();
        q.putNowait(1);
        expect(yield* q.get()).to.equal(1);
        getRunningLoop().callLater(10, () => q.putNowait(7));
        expect(yield* q.get()).to.equal(7);
        expect(now()).to.equal(10);
        const q1 = new Queue<number>(1);
        yield* q1.put(1);
        getRunningLoop().callLater(10, () => q1.getNowait());
        yield* q1.put(2);
        expect(now()).to.equal(20);
        expect(q1.getNowait()).to.equal(2);
      })(),
    );
  });

  // src: test_get_cancelled_race
  it("Q-07 a cancelled getter does not eat the item", () => {
    vrun(
      (function* (): Co<void> {
        const q = new Queue<string>();
        const t1 = task(q.get());
        const t2 = task(q.get());
        yield* sleep(0);
        t1.cancel();
        yield* sleep(0);
        expect(t1.done()).to.equal(true);
        yield* q.put("a");
        yield* sleep(0);
        expect(yield t2).to.equal("a");
      })(),
    );
  });

  // src: test_get_cancel_drop_one_pending_reader, test_get_cancel_drop_many_pending_readers
  it("Q-08 a getter woken by a put and then cancelled leaves the item queued and wakes the next getter", () => {
    vrun(
      (function* (): Co<void> {
        const q = new Queue<number>();
        const reader = task(q.get());
        yield* sleep(0);
        q.putNowait(1);
        q.putNowait(2);
        reader.cancel();
        expect(yield* thrown(reader)).to.be.an.instanceOf(CancelledError);
        expect(q.qsize()).to.equal(2);
        expect(yield* q.get()).to.equal(1);

        const q2 = new Queue<number>();
        const [r1, r2, r3] = [task(q2.get()), task(q2.get()), task(q2.get())];
        yield* sleep(0);
        q2.putNowait(1);
        q2.putNowait(2);
        r1.cancel();
        const res = yield* gather(r1, r2, r3, { returnExceptions: true });
        expect(res[0]).to.be.an.instanceOf(CancelledError);
        expect(new Set(res.slice(1))).to.deep.equal(new Set([1, 2]));

        const q3 = new Queue<string>();
        const a = task(q3.get());
        const b = task(q3.get());
        yield* sleep(0);
        q3.putNowait("x");
        a.cancel();
        expect(yield b).to.equal("x");
      })(),
    );
  });

  // src: test_put_cancel_drop
  it("Q-09 a putter woken by a get and then cancelled can retry; nothing is lost or duplicated", () => {
    vrun(
      (function* (): Co<void> {
        const q = new Queue<number>(1);
        q.putNowait(1);
        const writer = createTask(
          (function* (): Co<void> {
            try {
              yield* q.put(2);
            } catch (e) {
              if (!(e instanceof CancelledError)) throw e;
              yield* q.put(2);
            }
          })(),
        );
        yield* sleep(0);
        expect(q.getNowait()).to.equal(1);
        writer.cancel();
        yield writer;
        expect(q.getNowait()).to.equal(2);
        expect(q.qsize()).to.equal(0);
      })(),
    );
  });

  // src: test_put_cancelled_race, test_get_with_waiting_putters
  it("Q-10 several waiting putters: a cancelled one is skipped, the rest put in order", () => {
    vrun(
      (function* (): Co<void> {
        const q = new Queue<string>(1);
        const putA = task(q.put("a"));
        const putB = task(q.put("b"));
        const putC = task(q.put("X"));
        yield* sleep(0);
        expect(putA.done()).to.equal(true);
        expect(putB.done()).to.equal(false);
        putC.cancel();
        yield* sleep(0);
        expect(putC.done()).to.equal(true);
        expect(q.getNowait()).to.equal("a");
        yield* sleep(0);
        expect(q.getNowait()).to.equal("b");
        yield putB;

        const q2 = new Queue<string>(1);
        task(q2.put("a"));
        task(q2.put("b"));
        expect(yield* q2.get()).to.equal("a");
        expect(yield* q2.get()).to.equal("b");
      })(),
    );
  });

  // src: test_cancelled_getters_not_being_held_in_self_getters,
  //      test_cancelled_puts_not_being_held_in_self_putters, test_cancelled_put_silence_value_error_exception
  it("Q-11 cancelled getters and putters are not held in the waiter lists (even when already removed by a wake-up)", () => {
    vrun(
      (function* (): Co<void> {
        const q = new Queue<number>(5);
        const g = task(q.get());
        getRunningLoop().callLater(100, () => g.cancel());
        expect(yield* thrown(g)).to.be.an.instanceOf(CancelledError);
        expect(q._getters.length).to.equal(0);

        const q1 = new Queue<number>(1);
        q1.putNowait(1);
        const p = task(q1.put(1));
        yield* sleep(0);
        expect(q1._putters.length).to.equal(1);
        p.cancel();
        expect(yield* thrown(p)).to.be.an.instanceOf(CancelledError);
        expect(q1._putters.length).to.equal(0);

        const q2 = new Queue<number>(1);
        q2.putNowait(1);
        const p2 = task(q2.put(1));
        yield* sleep(0);
        q2.getNowait(); // removes p2's putter future from the list and wakes it
        p2.cancel();
        expect(yield* thrown(p2)).to.be.an.instanceOf(CancelledError);
        expect(q2._putters.length).to.equal(0);
        expect(q2.qsize()).to.equal(0);
      })(),
    );
  });

  // src: test_why_are_getters_waiting, test_why_are_putters_waiting
  it("Q-12 producers and consumers never deadlock", () => {
    vrun(
      (function* (): Co<void> {
        const q = new Queue<number>(1);
        const got: number[] = [];
        yield* gather(
          (function* () {
            for (let i = 0; i < 5; i++) yield* q.put(i);
          })(),
          (function* () {
            for (let i = 0; i < 5; i++) got.push(yield* q.get());
          })(),
        );
        expect(got).to.deep.equal([0, 1, 2, 3, 4]);

        const q2 = new Queue<number>(2);
        yield* gather(
          (function* () {
            yield* sleep(0);
            const n = q2.qsize();
            for (let i = 0; i < n; i++) q2.getNowait();
          })(),
          q2.put(0),
          q2.put(1),
          q2.put(2),
          q2.put(3),
        );
        expect(q2.qsize()).to.equal(2);
      })(),
    );
  });

  // src: test_put_with_waiting_getters, test_put_cancelled
  it("Q-13 a put hands its item to a waiting getter; a put task on an unbounded queue completes", () => {
    vrun(
      (function* (): Co<void> {
        const q = new Queue<string>();
        const t = task(q.get());
        yield* sleep(0);
        yield* q.put("a");
        expect(yield t).to.equal("a");

        const q2 = new Queue<number>();
        const p = createTask(
          (function* (): Co<boolean> {
            yield* q2.put(1);
            return true;
          })(),
        );
        expect(yield* q2.get()).to.equal(1);
        expect(p.done() && p.result()).to.equal(true);
      })(),
    );
  });

  for (const [name, Cls] of queueClasses) {
    // src: _QueueJoinTestMixin.test_task_done_underflow, test_task_done, test_join_empty_queue
    it(`Q-14 ${name}: taskDone/join`, () => {
      expect(catchError(() => new Cls().taskDone(), RangeError).message).to.match(/taskDone\(\) called too many times/);
      vrun(
        (function* (): Co<void> {
          const q = new Cls<number>();
          for (let i = 0; i < 100; i++) q.putNowait(i);
          let accumulator = 0;
          let running = true;
          function* worker(): Co<void> {
            while (running) {
              const item = yield* q.get();
              accumulator += item;
              q.taskDone();
            }
          }
          const ws = [createTask(worker()), createTask(worker())];
          yield* q.join();
          expect(accumulator).to.equal(4950);
          running = false;
          for (const w of ws) w.cancel();
          yield* gather(...ws, { returnExceptions: true });

          const e = new Cls();
          yield* e.join();
          yield* e.join();

          const q5 = new Cls<number>();
          for (let i = 0; i < 5; i++) q5.putNowait(i);
          function* slow(): Co<void> {
            for (;;) {
              yield* q5.get();
              yield* sleep(100);
              q5.taskDone();
            }
          }
          const s = [createTask(slow()), createTask(slow())];
          yield* q5.join();
          expect(now()).to.equal(300);
          for (const w of s) w.cancel();
        })(),
      );
    });

    // src: _QueueShutdownTestMixin.test_shutdown_empty, test_format
    it(`Q-15 ${name}: shutdown() of an empty queue wakes getters with QueueShutDown`, () => {
      vrun(
        (function* (): Co<void> {
          const q = new Cls<string>();
          const getTask = task(q.get());
          yield* sleep(0);
          q.shutdown();
          expect(String(q)).to.contain("shutdown");
          expect(q.qsize()).to.equal(0);
          yield* q.join();
          yield* sleep(0);
          expect(getTask.done()).to.equal(true);
          expect(yield* thrown(getTask)).to.be.an.instanceOf(QueueShutDown);
          expect(yield* thrown(q.put("data"))).to.be.an.instanceOf(QueueShutDown);
          catchError(() => q.putNowait("data"), QueueShutDown);
          expect(yield* thrown(q.get())).to.be.an.instanceOf(QueueShutDown);
          catchError(() => q.getNowait(), QueueShutDown);
        })(),
      );
    });

    // src: _QueueShutdownTestMixin.test_shutdown_nonempty
    it(`Q-16 ${name}: shutdown() of a non-empty queue: blocked putters fail, items can still be got, join waits`, () => {
      vrun(
        (function* (): Co<void> {
          const q = new Cls<string>(1);
          q.putNowait("data");
          const joinTask = task(q.join());
          const putTask = task(q.put("data2"));
          yield* sleep(0);
          expect(putTask.done()).to.equal(false);
          q.shutdown(false);
          expect(q.qsize()).to.equal(1);
          yield* sleep(0);
          expect(putTask.done()).to.equal(true);
          expect(yield* thrown(putTask)).to.be.an.instanceOf(QueueShutDown);
          expect(yield* q.get()).to.equal("data");
          yield* sleep(0);
          expect(joinTask.done()).to.equal(false);
          expect(yield* thrown(q.put("data"))).to.be.an.instanceOf(QueueShutDown);
          catchError(() => q.putNowait("data"), QueueShutDown);
          expect(yield* thrown(q.get())).to.be.an.instanceOf(QueueShutDown);
          catchError(() => q.getNowait(), QueueShutDown);
          q.taskDone();
          yield* sleep(0);
          expect(joinTask.done()).to.equal(true);
          yield joinTask;
          catchError(() => q.taskDone(), RangeError);
        })(),
      );
    });

    // src: test_shutdown_immediate, test_shutdown_immediate_with_unfinished
    it(`Q-17 ${name}: shutdown(true) drops the items, each counting as done`, () => {
      vrun(
        (function* (): Co<void> {
          const q = new Cls<string>();
          q.putNowait("data");
          const joinTask = task(q.join());
          q.shutdown(true);
          expect(q.qsize()).to.equal(0);
          yield* sleep(0);
          expect(joinTask.done()).to.equal(true);
          yield joinTask;
          expect(yield* thrown(q.put("data"))).to.be.an.instanceOf(QueueShutDown);
          catchError(() => q.putNowait("data"), QueueShutDown);
          expect(yield* thrown(q.get())).to.be.an.instanceOf(QueueShutDown);
          catchError(() => q.getNowait(), QueueShutDown);
          catchError(() => q.taskDone(), RangeError);

          const q2 = new Cls<string>();
          q2.putNowait("data");
          q2.putNowait("data");
          const join2 = task(q2.join());
          expect(yield* q2.get()).to.equal("data");
          q2.shutdown(true);
          expect(q2.qsize()).to.equal(0);
          yield* sleep(0);
          expect(join2.done()).to.equal(false);
          q2.taskDone();
          catchError(() => q2.taskDone(), RangeError);
          yield* sleep(0);
          expect(join2.done()).to.equal(true);
        })(),
      );
    });
  }
});

describe("queues — PriorityQueue comparator, cancellation, fairness", () => {
  it("PriorityQueue orders [priority, data] pairs like Python tuples, FIFO among equal priorities", () => {
    const q = new PriorityQueue<[number, string]>();
    q.putNowait([2, "b"]);
    q.putNowait([1, "z"]);
    q.putNowait([1, "a"]);
    q.putNowait([3, "c"]);
    expect([q.getNowait(), q.getNowait(), q.getNowait(), q.getNowait()]).to.deep.equal([
      [1, "a"],
      [1, "z"],
      [2, "b"],
      [3, "c"],
    ]);
    const byPrio = new PriorityQueue<{ p: number; id: number }>(0, (a, b) => a.p - b.p);
    for (let id = 0; id < 40; id++) byPrio.putNowait({ p: id % 3, id });
    const out: number[] = [];
    while (!byPrio.empty()) out.push(byPrio.getNowait().id);
    const expected = [0, 1, 2].flatMap((p) => Array.from({ length: 40 }, (_, id) => id).filter((id) => id % 3 === p));
    expect(out).to.deep.equal(expected);
  });

  it("PriorityQueue: incomparable items are a TypeError and leave the queue unchanged", () => {
    const q = new PriorityQueue<unknown>();
    q.putNowait(1);
    q.putNowait(5);
    expect(() => q.putNowait({})).to.throw(TypeError, /cannot order/);
    expect(q.qsize()).to.equal(2);
    expect(q._unfinishedTasks).to.equal(2);
    expect([q.getNowait(), q.getNowait()]).to.deep.equal([1, 5]);
    expect(() => new PriorityQueue(0, "x" as any)).to.throw(TypeError, /compare must be a function/);
    const bad = new PriorityQueue<number>(0, () => NaN);
    bad.putNowait(1);
    expect(() => bad.putNowait(2)).to.throw(TypeError, /must return a number/);
  });

  it("PriorityQueue heap stays ordered under random operations", () => {
    const q = new PriorityQueue<number>();
    const model: number[] = [];
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 2000; i++) {
      if (model.length === 0 || rnd() < 0.6) {
        const x = Math.floor(rnd() * 100);
        q.putNowait(x);
        model.push(x);
        model.sort((a, b) => a - b);
      } else {
        expect(q.getNowait()).to.equal(model.shift());
      }
    }
  });

  it("get() and put() are inert, inspectable effects", () => {
    const q = new Queue<number>();
    expect(q.put(5)).to.deep.include({ kind: "queue.put", target: q, args: [5] });
    expect(q.get()).to.deep.include({ kind: "queue.get", target: q });
    expect(q.join()).to.deep.include({ kind: "queue.join", target: q });
    expect(q.qsize()).to.equal(0);
  });

  it("join() cancelled while waiting leaves the queue consistent", () => {
    vrun(
      (function* (): Co<void> {
        const q = new Queue<number>();
        q.putNowait(1);
        const j = task(q.join());
        yield* sleep(0);
        j.cancel();
        expect(yield* thrown(j)).to.be.an.instanceOf(CancelledError);
        expect(q._finished._waiters.length).to.equal(0);
        q.getNowait();
        q.taskDone();
        yield* q.join();
      })(),
    );
  });

  it("fairness: 300 getters receive items in the order they started waiting", () => {
    const got = vrun(
      (function* (): Co<number[]> {
        const q = new Queue<number>();
        const got: number[] = [];
        const ts = Array.from({ length: 300 }, (_, i) =>
          createTask(
            (function* () {
              const item = yield* q.get();
              got.push(i * 1000 + item);
            })(),
          ),
        );
        yield* sleep(0);
        for (let i = 0; i < 300; i++) q.putNowait(i);
        yield* gather(...ts);
        return got;
      })(),
    );
    expect(got).to.deep.equal(Array.from({ length: 300 }, (_, i) => i * 1000 + i));
  });

  it("toString shows maxsize, items, waiters and unfinished tasks", () => {
    const q = new Queue<number>(3);
    q.putNowait(1);
    q.putNowait(2);
    expect(String(q)).to.equal("<Queue maxsize=3 _queue=[1,2] tasks=2>");
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    const q2 = new Queue<unknown>();
    q2.putNowait(cyclic);
    q2.putNowait(1n);
    expect(String(q2)).to.equal("<Queue maxsize=0 _queue=[an object { self }, 1 (a bigint)] tasks=2>");
  });
});
