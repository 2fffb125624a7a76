// Randomized workloads with random cancellations: the invariants of each primitive hold at
// every step, nothing is lost or duplicated, and everything is free and empty at the end.
import { expect } from "chai";
import fc from "fast-check";
import { Lock, Semaphore, Queue, Condition, createTask, gather, sleep, getRunningLoop, type Task } from "../../lib/index.js";
import { type Co, vrun } from "../helpers.js";

interface Job {
  kind: "lock" | "sem" | "put" | "get" | "cond";
  hold: number; // ms spent inside, or the item
  start: number; // ms before starting
}

const jobArb = fc.record({
  kind: fc.constantFrom("lock", "sem", "put", "get", "cond") as fc.Arbitrary<Job["kind"]>,
  hold: fc.integer({ min: 0, max: 5 }),
  start: fc.integer({ min: 0, max: 6 }),
});

const scenarioArb = fc.record({
  jobs: fc.array(jobArb, { minLength: 1, maxLength: 14 }),
  semValue: fc.integer({ min: 1, max: 3 }),
  qsize: fc.integer({ min: 0, max: 3 }),
  cancels: fc.array(fc.record({ job: fc.nat(), at: fc.integer({ min: 0, max: 12 }) }), { maxLength: 6 }),
});

describe("sync — randomized workloads with cancellations (fast-check)", () => {
  it("keeps every primitive consistent", () => {
    fc.assert(
      fc.property(scenarioArb, ({ jobs, semValue, qsize, cancels }) => {
        vrun(
          (function* (): Co<void> {
            const lock = new Lock();
            const sem = new Semaphore(semValue);
            const q = new Queue<number>(qsize);
            const cond = new Condition();
            let lockHolders = 0;
            let semHolders = 0;
            let tokens = 0; // guarded by cond
            const put = new Set<number>();
            const got: number[] = [];

            function* job(j: Job, id: number): Co<void> {
              yield* sleep(j.start);
              switch (j.kind) {
                case "lock":
                  yield* lock.with(function* () {
                    lockHolders++;
                    expect(lockHolders).to.equal(1);
                    try {
                      yield* sleep(j.hold);
                    } finally {
                      lockHolders--;
                    }
                  });
                  break;
                case "sem":
                  yield* sem.with(function* () {
                    semHolders++;
                    expect(semHolders).to.be.at.most(semValue);
                    try {
                      yield* sleep(j.hold);
                    } finally {
                      semHolders--;
                    }
                  });
                  break;
                case "put":
                  yield* q.put(id);
                  put.add(id);
                  break;
                case "get":
                  got.push(yield* q.get());
                  break;
                case "cond":
                  yield* cond.with(function* () {
                    if (j.hold % 2 === 0) {
                      tokens++;
                      cond.notify();
                    } else {
                      yield* cond.waitFor(() => tokens > 0);
                      tokens--;
                    }
                  });
                  break;
              }
            }

            const tasks: Task<void>[] = jobs.map((j, i) => createTask(job(j, i)));
            const loop = getRunningLoop();
            for (const c of cancels) loop.callLater(c.at, () => tasks[c.job % tasks.length].cancel());
            // Whatever is still blocked after the workload has had time to run is cancelled.
            const stuck: number[] = [];
            loop.callLater(100, () =>
              tasks.forEach((t, i) => {
                if (!t.done()) stuck.push(i);
                t.cancel();
              }),
            );
            yield* gather(...tasks, { returnExceptions: true });

            // Everything is free and empty.
            expect(lock.locked()).to.equal(false);
            expect(lock._waiters?.length ?? 0).to.equal(0);
            expect(sem._value).to.equal(semValue);
            expect(sem._waiters?.length ?? 0).to.equal(0);
            expect(q._getters.length + q._putters.length).to.equal(0);
            expect(cond.locked()).to.equal(false);
            expect(cond._waiters.length).to.equal(0);
            // Queue: every item successfully put was got once or is still queued; none invented.
            const left: number[] = [];
            while (!q.empty()) left.push(q.getNowait());
            expect([...got, ...left].sort((a, b) => a - b)).to.deep.equal([...put].sort((a, b) => a - b));
            // Liveness: lock and semaphore users always get through, cancellations or not…
            for (const i of stuck) expect(jobs[i].kind, `job ${i} stuck`).to.be.oneOf(["put", "get", "cond"]);
            // …and with no cancellations, exactly the queue/condition jobs that cannot complete block.
            if (cancels.length === 0) {
              const gets = jobs.filter((j) => j.kind === "get").length;
              const puts = jobs.filter((j) => j.kind === "put").length;
              expect(got.length).to.equal(Math.min(gets, puts));
              const ok = tasks.filter((t) => !t.cancelled()).length;
              const blocked = tasks.length - ok;
              const waitsForCond = jobs.filter((j) => j.kind === "cond" && j.hold % 2 === 1).length;
              const notifies = jobs.filter((j) => j.kind === "cond" && j.hold % 2 === 0).length;
              const bound = qsize > 0 ? qsize : Infinity;
              const stuckPuts = Math.max(0, puts - gets - bound);
              expect(blocked).to.equal(
                Math.max(0, gets - puts) + stuckPuts + Math.max(0, waitsForCond - notifies),
              );
            }
          })(),
        );
      }),
      { numRuns: 300 },
    );
  });
});
