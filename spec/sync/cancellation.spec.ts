// Cancellation at every waiting point of every primitive: the waiter ends cancelled, the
// primitive is left consistent, and the next user is served.
import { expect } from "chai";
import {
  Lock,
  Event,
  Condition,
  Semaphore,
  BoundedSemaphore,
  Barrier,
  Queue,
  LifoQueue,
  PriorityQueue,
  CancelledError,
  sleep,
  type Effect,
} from "../../lib/index.js";
import { type Co, vrun } from "../helpers.js";
import { task, thrown } from "./helpers.js";

interface WaitPoint {
  name: string;
  /** Brings the primitive to a state where `blocked()` waits; returns the effect and a check. */
  setup(): Co<{ blocked: Effect<unknown>; after: () => Co<void> }>;
}

const points: WaitPoint[] = [
  {
    name: "Lock.acquire",
    *setup() {
      const lock = new Lock();
      yield* lock.acquire();
      return {
        blocked: lock.acquire(),
        *after() {
          expect(lock._waiters?.length ?? 0).to.equal(0);
          lock.release();
          expect(yield* lock.acquire()).to.equal(true);
        },
      };
    },
  },
  {
    name: "Lock.with (waiting to acquire)",
    *setup() {
      const lock = new Lock();
      yield* lock.acquire();
      return {
        blocked: lock.with(function* () {
          expect.fail("the body must not run");
        }),
        *after() {
          lock.release();
          expect(lock.locked()).to.equal(false);
        },
      };
    },
  },
  {
    name: "Event.wait",
    *setup() {
      const ev = new Event();
      return {
        blocked: ev.wait(),
        *after() {
          expect(ev._waiters.length).to.equal(0);
          ev.set();
          expect(yield* ev.wait()).to.equal(true);
        },
      };
    },
  },
  {
    name: "Condition.acquire",
    *setup() {
      const cond = new Condition();
      yield* cond.acquire();
      return {
        blocked: cond.acquire(),
        *after() {
          cond.release();
          expect(cond.locked()).to.equal(false);
        },
      };
    },
  },
  {
    name: "Condition.wait (waiting for notify)",
    *setup() {
      const cond = new Condition();
      return {
        blocked: cond.with(function* () {
          yield* cond.wait();
        }),
        *after() {
          expect(cond.locked()).to.equal(false);
          expect(cond._waiters.length).to.equal(0);
        },
      };
    },
  },
  {
    name: "Condition.waitFor (waiting for notify)",
    *setup() {
      const cond = new Condition();
      return {
        blocked: cond.with(function* () {
          yield* cond.waitFor(() => false);
        }),
        *after() {
          expect(cond.locked()).to.equal(false);
          expect(cond._waiters.length).to.equal(0);
        },
      };
    },
  },
  {
    name: "Condition.with (waiting to acquire)",
    *setup() {
      const cond = new Condition();
      yield* cond.acquire();
      return {
        blocked: cond.with(function* () {
          expect.fail("the body must not run");
        }),
        *after() {
          cond.release();
          expect(cond.locked()).to.equal(false);
        },
      };
    },
  },
  {
    name: "Semaphore.acquire",
    *setup() {
      const sem = new Semaphore(0);
      return {
        blocked: sem.acquire(),
        *after() {
          sem.release();
          expect(sem._value).to.equal(1);
          expect(yield* sem.acquire()).to.equal(true);
        },
      };
    },
  },
  {
    name: "BoundedSemaphore.with (waiting to acquire)",
    *setup() {
      const sem = new BoundedSemaphore(1);
      yield* sem.acquire();
      return {
        blocked: sem.with(function* () {
          expect.fail("the body must not run");
        }),
        *after() {
          sem.release();
          expect(sem._value).to.equal(1);
          expect(() => sem.release()).to.throw(RangeError);
        },
      };
    },
  },
  {
    name: "Barrier.wait (filling)",
    *setup() {
      const b = new Barrier(2);
      return {
        blocked: b.wait(),
        *after() {
          expect(b.nWaiting).to.equal(0);
          task(b.wait());
          expect(yield* b.wait()).to.equal(0); // the inline wait arrives before the new task starts
        },
      };
    },
  },
  {
    name: "Barrier.reset / abort (waiting for the barrier's lock)",
    *setup() {
      const b = new Barrier(2);
      yield* b._cond.acquire();
      return {
        blocked: b.reset(),
        *after() {
          b._cond.release();
          yield* b.abort();
          expect(b.broken).to.equal(true);
        },
      };
    },
  },
  ...([Queue, LifoQueue, PriorityQueue] as const).flatMap((Cls): WaitPoint[] => [
    {
      name: `${Cls.name}.get`,
      *setup() {
        const q = new Cls<number>();
        return {
          blocked: q.get(),
          *after() {
            expect(q._getters.length).to.equal(0);
            q.putNowait(1);
            expect(yield* q.get()).to.equal(1);
          },
        };
      },
    },
    {
      name: `${Cls.name}.put`,
      *setup() {
        const q = new Cls<number>(1);
        q.putNowait(1);
        return {
          blocked: q.put(2),
          *after() {
            expect(q._putters.length).to.equal(0);
            expect(q.getNowait()).to.equal(1);
            expect(q.qsize()).to.equal(0);
          },
        };
      },
    },
    {
      name: `${Cls.name}.join`,
      *setup() {
        const q = new Cls<number>();
        q.putNowait(1);
        return {
          blocked: q.join(),
          *after() {
            q.getNowait();
            q.taskDone();
            yield* q.join();
          },
        };
      },
    },
  ]),
];

describe("sync — cancellation at every waiting point", () => {
  for (const point of points) {
    for (const when of ["before it first runs", "while waiting"] as const) {
      it(`${point.name}: cancelled ${when}`, () => {
        vrun(
          (function* (): Co<void> {
            const { blocked, after } = yield* point.setup();
            const t = task(blocked);
            if (when === "while waiting") {
              yield* sleep(1);
              expect(t.done(), "the effect should be blocked").to.equal(false);
            }
            t.cancel("stop");
            const err = yield* thrown(t);
            expect(err).to.be.an.instanceOf(CancelledError);
            expect((err as Error).message).to.equal("stop");
            yield* after();
          })(),
        );
      });
    }
  }
});
