// Mixed primitive workloads replayed against traces recorded on CPython 3.13 with a virtual
// clock (spec/sync/cpython/traces.py prints them): genloop must interleave tick for tick.
import { expect } from "chai";
import {
  Queue,
  Semaphore,
  Condition,
  Lock,
  Event,
  CancelledError,
  createTask,
  gather,
  sleep,
  getRunningLoop,
} from "../../lib/index.js";
import { type Co, vrun } from "../helpers.js";

const CPYTHON = {
  "queue_workload": [
    "put a0 @0",
    "put a1 @0",
    "c1 got a0 @0",
    "c2 got a1 @0",
    "put a2 @0",
    "put a3 @0",
    "c1 got a2 @0",
    "put b0 @0",
    "c1 got a3 @0",
    "put c0 @0",
    "c1 got b0 @0",
    "put b1 @0",
    "c2 got c0 @0",
    "put c1 @0",
    "c1 got b1 @0",
    "c1 got c1 @0",
    "put b2 @0",
    "c1 got b2 @0",
    "joined @0"
  ],
  "semaphore_workload": [
    "in 0 @0",
    "in 1 @0",
    "cancelled 3 @1",
    "out 0 @7",
    "in 2 @7",
    "released extra @9.5 value=0",
    "cancelled 4 @9.5",
    "cancelled 1 @9.5",
    "in 5 @9.5",
    "in 6 @9.5",
    "out 2 @20",
    "out 5 @31.5",
    "out 6 @34.5",
    "end value=4"
  ],
  "condition_workload": [
    "w0 cancelled locked=False",
    "w1 woke n=2 r=True",
    "phase2",
    "w3 cancelled locked=False",
    "w4 woke n=10 r=True",
    "w2 woke n=10 r=True",
    [
      "cancelled",
      "done",
      "done",
      "cancelled",
      "done"
    ]
  ],
  "lock_event_workload": [
    "u0 saw event",
    "u0 locked",
    "u1 saw event",
    "u2 saw event",
    "u3 saw event",
    "u0 unlocking",
    "u1 locked",
    "u1 unlocking",
    "u3 locked",
    "u3 unlocking",
    "locked=False set=False"
  ]
} as const;

const T = (): string => String(Math.round(getRunningLoop().time() * 1000) / 1000);

/** `await asyncio.sleep(0)` n times. */
function* ticks(n: number): Co<void> {
  for (let i = 0; i < n; i++) yield* sleep(0);
}

function* queueWorkload(): Co<unknown[]> {
  const q = new Queue<string>(2);
  const log: unknown[] = [];
  function* producer(name: string, n: number, pause: number): Co<void> {
    for (let i = 0; i < n; i++) {
      yield* q.put(`${name}${i}`);
      log.push(`put ${name}${i} @${T()}`);
      yield* ticks(pause);
    }
  }
  function* consumer(name: string, work: number): Co<void> {
    for (;;) {
      const item = yield* q.get();
      log.push(`${name} got ${item} @${T()}`);
      yield* ticks(work);
      q.taskDone();
    }
  }
  const cs = [createTask(consumer("c1", 1)), createTask(consumer("c2", 3))];
  const ps = [createTask(producer("a", 4, 0)), createTask(producer("b", 3, 2)), createTask(producer("c", 2, 1))];
  yield* gather(...ps);
  yield* q.join();
  log.push(`joined @${T()}`);
  for (const c of cs) c.cancel();
  yield* gather(...cs, { returnExceptions: true });
  return log;
}

function* semaphoreWorkload(): Co<unknown[]> {
  const sem = new Semaphore(2);
  const log: unknown[] = [];
  function* worker(i: number): Co<void> {
    try {
      yield* sem.with(function* () {
        log.push(`in ${i} @${T()}`);
        yield* sleep(7 + 3 * i);
        log.push(`out ${i} @${T()}`);
      });
    } catch (e) {
      if (e instanceof CancelledError) log.push(`cancelled ${i} @${T()}`);
      throw e;
    }
  }
  const ts = Array.from({ length: 7 }, (_, i) => createTask(worker(i)));
  yield* sleep(0);
  yield* sleep(1);
  ts[3].cancel();
  yield* sleep(8.5);
  ts[4].cancel();
  ts[1].cancel();
  sem.release();
  sem.release();
  log.push(`released extra @${T()} value=${sem._value}`);
  yield* gather(...ts, { returnExceptions: true });
  log.push(`end value=${sem._value}`);
  return log;
}

function* conditionWorkload(): Co<unknown[]> {
  const cond = new Condition();
  const state = { n: 0 };
  const log: unknown[] = [];
  function* waiter(i: number): Co<void> {
    try {
      yield* cond.with(function* () {
        const r = yield* cond.waitFor(() => state.n > i);
        log.push(`w${i} woke n=${state.n} r=${r ? "True" : "False"}`);
      });
    } catch (e) {
      if (e instanceof CancelledError) log.push(`w${i} cancelled locked=${cond.locked() ? "True" : "False"}`);
      throw e;
    }
  }
  const ts = Array.from({ length: 5 }, (_, i) => createTask(waiter(i)));
  yield* sleep(0);
  yield* cond.with(function* () {
    state.n = 2;
    cond.notify(2);
    ts[0].cancel();
  });
  yield* ticks(3);
  log.push("phase2");
  yield* cond.with(function* () {
    state.n = 10;
    cond.notifyAll();
    ts[3].cancel();
  });
  yield* gather(...ts, { returnExceptions: true });
  log.push(ts.map((t) => (t.cancelled() ? "cancelled" : "done")));
  return log;
}

function* lockEventWorkload(): Co<unknown[]> {
  const lock = new Lock();
  const ev = new Event();
  const log: unknown[] = [];
  function* user(i: number): Co<void> {
    yield* ev.wait();
    log.push(`u${i} saw event`);
    yield* lock.with(function* () {
      log.push(`u${i} locked`);
      yield* sleep(0);
      if (i === 1) ev.clear();
      log.push(`u${i} unlocking`);
    });
  }
  const ts = Array.from({ length: 4 }, (_, i) => createTask(user(i)));
  yield* sleep(0);
  ev.set();
  yield* sleep(0);
  ts[2].cancel();
  yield* gather(...ts, { returnExceptions: true });
  log.push(`locked=${lock.locked() ? "True" : "False"} set=${ev.isSet() ? "True" : "False"}`);
  return log;
}

describe("sync — interleavings match CPython 3.13 tick for tick", () => {
  it("Queue(2): 3 producers, 2 consumers, taskDone/join", () => {
    expect(vrun(queueWorkload())).to.deep.equal(CPYTHON.queue_workload);
  });
  it("Semaphore(2): 7 workers with cancellations and extra releases", () => {
    expect(vrun(semaphoreWorkload())).to.deep.equal(CPYTHON.semaphore_workload);
  });
  it("Condition: waitFor, notify(2), a notified waiter cancelled, notifyAll", () => {
    expect(vrun(conditionWorkload())).to.deep.equal(CPYTHON.condition_workload);
  });
  it("Lock + Event: set/clear while users queue on the lock, one cancelled", () => {
    expect(vrun(lockEventWorkload())).to.deep.equal(CPYTHON.lock_event_workload);
  });
});
