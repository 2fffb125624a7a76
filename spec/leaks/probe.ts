/// <reference lib="es2021.weakref" />
// Run by spec/leaks.spec.ts as `node --expose-gc build/spec/leaks/probe.js`: measures what the
// loop keeps alive and prints one JSON object. A host script, so it may use timers and promises
// (only to let WeakRefs clear between jobs, which they never do within one job).
import { EventLoop, VirtualClock, createTask, gather, sleep } from "../../lib/index.js";
import type { Coroutine } from "../../lib/index.js";

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  console.log(JSON.stringify({ error: "run me with node --expose-gc" }));
  process.exit(2);
}
const collect = gc;

/** Lets the current job end (WeakRef targets are kept until then), then collects. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    collect();
  }
}

function heapUsed(): number {
  collect();
  return process.memoryUsage().heapUsed;
}

function* work(i: number): Coroutine<number> {
  if (i % 3 === 0) yield* sleep(1);
  else if (i % 3 === 1) yield* sleep(0);
  return i;
}

/** A million tasks, created and completed in batches of 1000 on one loop. */
function millionTasks(loop: EventLoop): { baseline: number; after: number; afterClose: number } {
  let baseline = 0;
  let after = 0;
  loop.runUntilComplete(
    (function* () {
      // Warm up (JIT, queue growth), then take the baseline.
      for (let i = 0; i < 5; i++) yield* gather(...Array.from({ length: 1000 }, (_, j) => work(j)));
      baseline = heapUsed();
      for (let batch = 0; batch < 1000; batch++) {
        const tasks = [];
        for (let j = 0; j < 1000; j++) tasks.push(createTask(work(j)));
        for (const t of tasks) yield* t;
      }
      yield* sleep(0);
      // The engine gives back the slots of collected keys in genloop's table of coroutines at the
      // next task completion after a collection: let a few more tasks run, as a live loop does.
      collect();
      for (let i = 0; i < 5; i++) yield* gather(...Array.from({ length: 10 }, (_, j) => work(j)));
      after = heapUsed();
    })(),
  );
  loop.close();
  return { baseline, after, afterClose: heapUsed() };
}

/**
 * A burst of 100 000 tasks on a loop that keeps running: once the burst is over and the loop has
 * run idle for a while, its high-water structures (the ready queue's ring buffer) are given back.
 */
function burst(loop: EventLoop): { baseline: number; after: number } {
  let baseline = 0;
  let after = 0;
  loop.runUntilComplete(
    (function* () {
      for (let i = 0; i < 3; i++) yield* gather(...Array.from({ length: 1000 }, (_, j) => work(j)));
      for (let i = 0; i < 64; i++) yield* sleep(0);
      baseline = heapUsed();
      let tasks = [];
      for (let j = 0; j < 100_000; j++) tasks.push(createTask(work(j)));
      for (const t of tasks) yield* t;
      tasks = [];
      // The loop keeps running: idle turns, then ordinary work (100 tasks at a time).
      for (let i = 0; i < 64; i++) yield* sleep(0);
      collect();
      for (let i = 0; i < 100; i++) yield* gather(...Array.from({ length: 100 }, (_, j) => work(j)));
      after = heapUsed();
    })(),
  );
  loop.close();
  return { baseline, after };
}

async function main(): Promise<void> {
  const out: Record<string, unknown> = {};
  const loop = new EventLoop({ clock: new VirtualClock() });

  // Finished tasks (each with a big result that would show up in the heap if kept).
  const taskRefs: WeakRef<object>[] = [];
  const resultRefs: WeakRef<object>[] = [];
  loop.runUntilComplete(
    (function* () {
      const tasks = [];
      for (let i = 0; i < 100; i++) {
        const t = createTask(
          (function* () {
            yield* sleep(i % 5);
            return new Array(1000).fill(i);
          })(),
        );
        taskRefs.push(new WeakRef(t));
        tasks.push(t);
      }
      for (const t of tasks) resultRefs.push(new WeakRef((yield* t) as object));
    })(),
  );

  // A fired timer, a cancelled timer far in the future, a cancelled callSoon handle.
  const big = () => new Array(10_000).fill(0);
  let fired = loop.callLater(1, (_payload: unknown) => {}, big());
  const firedRef = new WeakRef(fired);
  let cancelledArgs: unknown = big();
  let cancelledCallback: unknown = (_args: unknown) => cancelledArgs;
  let cancelled = loop.callLater(1_000_000, cancelledCallback as (_args: unknown) => unknown, cancelledArgs);
  const cancelledRefs = { handle: new WeakRef(cancelled), callback: new WeakRef(cancelledCallback as object), args: new WeakRef(cancelledArgs as object) };
  cancelled.cancel();
  let soon = loop.callSoon((_payload: unknown) => {}, big());
  const soonRef = new WeakRef(soon);
  soon.cancel();
  // A task cancelled while sleeping far in the future: its sleep timer stays in the heap lazily.
  let sleeper: object | null = loop.createTask(
    (function* () {
      yield* sleep(5_000_000);
    })(),
  );
  const sleeperRef = new WeakRef(sleeper);
  loop.runUntilComplete(sleep(2));
  (sleeper as { cancel(): boolean }).cancel();
  loop.runUntilComplete(sleep(1));
  fired = cancelled = soon = null as never;
  cancelledArgs = cancelledCallback = sleeper = null;
  await settle();

  out.finishedTasksKept = taskRefs.filter((r) => r.deref() !== undefined).length;
  out.finishedResultsKept = resultRefs.filter((r) => r.deref() !== undefined).length;
  out.firedTimerKept = firedRef.deref() !== undefined;
  out.cancelledTimerCallbackKept = cancelledRefs.callback.deref() !== undefined;
  out.cancelledTimerArgsKept = cancelledRefs.args.deref() !== undefined;
  out.cancelledTimerHandleKept = cancelledRefs.handle.deref() !== undefined;
  out.cancelledSoonHandleKept = soonRef.deref() !== undefined;
  out.cancelledSleeperKept = sleeperRef.deref() !== undefined;
  out.loopAlive = !loop.isClosed();
  loop.close();

  out.heap = millionTasks(new EventLoop({ clock: new VirtualClock() }));
  out.burst = burst(new EventLoop({ clock: new VirtualClock() }));
  console.log(JSON.stringify(out));
}

main().catch((error) => {
  console.log(JSON.stringify({ error: String(error && error.stack) }));
  process.exit(1);
});
