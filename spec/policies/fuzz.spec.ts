// Randomized performs and cancellations against every policy: never more than
// maxConcurrency bodies at once, the books always match, and every policy ends idle.
import { expect } from "chai";
import fc from "fast-check";
import { restartable, drop, enqueue, keepLatest, sleep, gather, getRunningLoop, type Task } from "../../lib/index.js";
import { type Co, vrun } from "../helpers.js";

const makers = { restartable, drop, enqueue, keepLatest };

describe("policies — randomized performs and cancellations (fast-check)", () => {
  it("respect maxConcurrency, keep consistent books and end idle", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("restartable", "drop", "enqueue", "keepLatest") as fc.Arbitrary<keyof typeof makers>,
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.record({ at: fc.integer({ min: 0, max: 30 }), work: fc.integer({ min: 0, max: 12 }) }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.record({ which: fc.nat(), at: fc.integer({ min: 0, max: 40 }) }), { maxLength: 4 }),
        (mode, max, calls, cancels) => {
          vrun(
            (function* (): Co<void> {
              let inside = 0;
              const started: number[] = [];
              const p = makers[mode](
                function* (id: number, work: number): Co<number> {
                  inside++;
                  started.push(id);
                  expect(inside).to.be.at.most(max);
                  try {
                    yield* sleep(work);
                  } finally {
                    inside--;
                  }
                  return id;
                },
                { maxConcurrency: max },
              );
              const loop = getRunningLoop();
              const tasks: Task<number>[] = [];
              const sorted = calls.map((c, id) => ({ ...c, id })).sort((a, b) => a.at - b.at || a.id - b.id);
              for (const c of sorted) {
                loop.callLater(c.at, () => {
                  tasks.push(p.perform(c.id, c.work));
                  expect(p.numRunning).to.be.at.most(max);
                  if (mode === "keepLatest") expect(p.numQueued).to.be.at.most(1);
                  if (mode === "drop" || mode === "restartable") expect(p.numQueued).to.equal(0);
                });
              }
              for (const c of cancels) loop.callLater(c.at + 0.5, () => tasks[c.which % Math.max(1, tasks.length)]?.cancel());
              yield* sleep(31);
              yield* gather(...tasks, { returnExceptions: true });
              expect(p.isIdle).to.equal(true);
              expect(p.performCount).to.equal(calls.length);
              if (mode === "enqueue") {
                // FIFO: instances start in the order they were performed
                const order = sorted.map((c) => c.id).filter((id) => started.includes(id));
                expect(started).to.deep.equal(order);
              }
              if (cancels.length === 0 && mode !== "drop") {
                // the last call always completes
                expect(tasks[tasks.length - 1].result()).to.equal(sorted[sorted.length - 1].id);
              }
            })(),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
