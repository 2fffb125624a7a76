// Property tests (fast-check): invariants over random programs that need no oracle.
import { expect } from "chai";
import fc from "fast-check";
import { EventLoop, Task, VirtualClock, allTasks, run } from "../../lib/index.js";
import { programFor } from "./generate.js";
import { interpret, silent, type Ctx, type Runner } from "./interpret.js";
import type { Op, Program } from "./program.js";

/** What the observer saw while one program ran. */
interface Seen {
  tasks: Set<Task<unknown>>;
  problems: string[];
  lastTime: number;
  tries: Map<Op, number>;
  finallies: Map<Op, number>;
  /** Tasks reported as "destroyed but it is pending" when the loop closed. */
  destroyed: Set<unknown>;
}

function observe(program: Program): Seen {
  const seen: Seen = { tasks: new Set(), problems: [], lastTime: -Infinity, tries: new Map(), finallies: new Map(), destroyed: new Set() };
  const problem = (text: string) => {
    if (seen.problems.length < 5) seen.problems.push(text);
  };
  const checkAllTasks = (ctx: Ctx, where: string) => {
    const pending = allTasks();
    for (const t of pending) {
      seen.tasks.add(t);
      if (t.done()) problem(`${where}: allTasks() holds ${t.getName()}, which is done`);
    }
    for (const t of seen.tasks) {
      if (!t.done() && !pending.has(t)) problem(`${where}: pending task ${t.getName()} is missing from allTasks()`);
    }
    for (const f of ctx.tasks.values()) if (f instanceof Task) seen.tasks.add(f);
  };
  const count = (map: Map<Op, number>, op: Op) => map.set(op, (map.get(op) ?? 0) + 1);
  const { ctx } = interpret(program, {
    event(ctx, event) {
      const time = event[0] as number;
      if (time < seen.lastTime) problem(`time went back from ${seen.lastTime} to ${time} at ${JSON.stringify(event)}`);
      seen.lastTime = time;
      checkAllTasks(ctx, JSON.stringify(event));
    },
    slept(ctx, startedAt, ms) {
      const now = ctx.loop.time();
      // A virtual clock jumps exactly to the deadline: never early, and never late either.
      if (now !== startedAt + Math.max(0, ms)) problem(`sleep(${ms}) from ${startedAt} resumed at ${now}`);
    },
    callbackRan(ctx, scheduledFor) {
      const now = ctx.loop.time();
      if (now !== scheduledFor) problem(`timer due at ${scheduledFor} ran at ${now}`);
    },
    report(context) {
      if (/destroyed but it is pending/.test(context.message)) seen.destroyed.add(context.task);
    },
    tryEntered: (op) => count(seen.tries, op),
    finallyRan: (op) => count(seen.finallies, op),
  });
  for (const f of ctx.tasks.values()) if (f instanceof Task) seen.tasks.add(f);
  return seen;
}

const programs = fc.tuple(fc.nat(2 ** 31 - 1), fc.nat(200)).map(([seed, index]) => programFor(seed, index));
const runs = { numRuns: 300 };

describe("properties of random programs (no oracle)", function () {
  this.timeout(60_000);

  // As asyncio.run: tasks created by the cleanup itself (a finally that spawns while run() cancels
  // the leftovers) may still be pending when the loop closes; those are reported, never silent.
  it("after run() returns, every task created is done, or reported as destroyed while pending", () => {
    fc.assert(
      fc.property(programs, (program) => {
        const seen = observe(program);
        const pending = [...seen.tasks].filter((t) => !t.done() && !seen.destroyed.has(t)).map((t) => t.getName());
        expect(pending, JSON.stringify(program)).to.deep.equal([]);
        expect(seen.tasks.size).to.be.greaterThan(0);
      }),
      runs,
    );
  });

  it("every finally block runs exactly once per entered try", () => {
    fc.assert(
      fc.property(programs, (program) => {
        const seen = observe(program);
        for (const [op, entered] of seen.tries) {
          expect(entered, "a try op is entered at most once").to.equal(1);
          if (op.finally !== undefined) expect(seen.finallies.get(op), JSON.stringify(op)).to.equal(1);
        }
        for (const op of seen.finallies.keys()) expect(seen.tries.has(op)).to.equal(true);
      }),
      runs,
    );
  });

  it("loop time never goes backwards, timers fire exactly at their deadline, allTasks() is exactly the pending tasks", () => {
    fc.assert(
      fc.property(programs, (program) => {
        const seen = observe(program);
        expect(seen.problems, JSON.stringify(program)).to.deep.equal([]);
      }),
      runs,
    );
  });

  // Embedding (§9): a host that drives the loop with step() and nextDeadline(), moving a virtual
  // clock itself, must see exactly what runUntilComplete() does.
  it("host-driven step()/nextDeadline() gives the same trace as runUntilComplete()", () => {
    const untilComplete: Runner = (main) => {
      const loop = new EventLoop({ clock: new VirtualClock(), logger: silent });
      try {
        return loop.runUntilComplete(loop.createTask(main));
      } finally {
        loop.close();
      }
    };
    const stepped: Runner = (main) => {
      const clock = new VirtualClock();
      const loop = new EventLoop({ clock, logger: silent });
      const task = loop.createTask(main);
      try {
        while (!task.done()) {
          const next = loop.nextDeadline();
          if (next === null) throw new Error("nextDeadline() is null while main is pending");
          if (next > clock.now()) clock.advance(next - clock.now());
          loop.step();
        }
        loop.step(); // runUntilComplete's last iteration, the one in which its stop callback runs
        return task.result();
      } finally {
        loop.close();
      }
    };
    fc.assert(
      fc.property(programs, (program) => {
        const expected = interpret(program, undefined, untilComplete).trace;
        expect(interpret(program, undefined, stepped).trace, JSON.stringify(program)).to.deep.equal(expected);
      }),
      runs,
    );
  });

  it("debug mode changes nothing observable", () => {
    const debug: Runner = (main) => run(main, { clock: new VirtualClock(), debug: true, logger: silent });
    fc.assert(
      fc.property(programs, (program) => {
        expect(interpret(program, undefined, debug).trace, JSON.stringify(program)).to.deep.equal(interpret(program).trace);
      }),
      { numRuns: 100 },
    );
  });

  it("the observer really checks: a program with sleeps and a finally is seen", () => {
    const seen = observe({
      main: [{ op: "spawn", name: "t1", body: [{ op: "try", body: [{ op: "sleep", ms: 5 }], finally: [{ op: "sleep", ms: 1 }] }] }, { op: "sleep", ms: 2 }],
    });
    const names = [...seen.tasks].map((t) => t.getName());
    expect(names).to.have.length(2).and.to.include("t1"); // main and t1
    expect([...seen.tries.values()]).to.deep.equal([1]);
    expect([...seen.finallies.values()]).to.deep.equal([1]);
    expect(seen.lastTime).to.equal(3); // main ends at 2; t1 is cancelled, its finally sleeps 1
  });
});
