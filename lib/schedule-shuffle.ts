import { describeValue } from "./describe.js";
import type { ReadyQueue, Runnable } from "./ready-queue.js";

/** Where due timers come from: the loop's timer handles and sleeping tasks, earliest first. */
interface DueSource {
  /** The deadline of what `_takeDue` takes next (Infinity: nothing). */
  _nextDue(): number;
  /** The next timer handle or task due at `now`; undefined when none is due. */
  _takeDue(now: number): Runnable | undefined;
}

/**
 * Seeded schedule perturbation (the `scheduleSeed` loop option), for exploring the orders a
 * program may run in. It uses exactly one freedom asyncio itself has: **timers due at the same
 * time run in an unspecified order**. asyncio's `TimerHandle` compares deadlines only and its
 * heap (`heapq`) is not stable, and on a machine with a coarse clock two `sleep(10)` calls made
 * in one step get the same deadline; so any order of equal-deadline timers, and of the tasks they
 * wake, is one asyncio can produce. Everything else keeps asyncio's guarantees: callbacks and task
 * steps run in the FIFO order they were scheduled in (`callSoon`, done callbacks, lock and queue
 * hand-offs), and timers with different deadlines fire in deadline order.
 *
 * Deterministic: the same seed, program and clock give the same order, run after run.
 */
export class ScheduleShuffle {
  /** xorshift32 state; never 0. Only shifts and xor, so it runs on every engine of the matrix. */
  private state: number;

  constructor(readonly seed: number) {
    let x = (seed ^ 0x9e3779b9) | 0;
    if (x === 0) x = 0x2545f491;
    this.state = x;
    // Mix the seed so that neighbouring seeds start far apart.
    for (let i = 0; i < 8; i++) this.next();
  }

  /**
   * Moves the timers due at `now` from the heap to the back of the ready queue: in deadline
   * order, each run of equal deadlines in a seeded order.
   */
  moveDue(source: DueSource, now: number, ready: ReadyQueue): void {
    const batch: Runnable[] = [];
    let batchWhen = 0;
    for (;;) {
      const when = source._nextDue();
      const due = source._takeDue(now);
      if (due === undefined) break;
      if (batch.length > 0 && batchWhen !== when) this.flush(batch, ready);
      batchWhen = when;
      batch.push(due);
    }
    this.flush(batch, ready);
  }

  /** Pushes `batch` (timers of one deadline) in a seeded order (Fisher–Yates), and empties it. */
  private flush(batch: Runnable[], ready: ReadyQueue): void {
    for (let i = batch.length - 1; i > 0; i--) {
      const j = this.next() % (i + 1);
      const t = batch[i];
      batch[i] = batch[j];
      batch[j] = t;
    }
    for (let i = 0; i < batch.length; i++) ready.push(batch[i]);
    batch.length = 0;
  }

  /** The next unsigned 32-bit number of the sequence. */
  private next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x;
    return x >>> 0;
  }
}

/** @internal Validates the `scheduleSeed` option: a non-negative whole number. */
export function checkScheduleSeed(where: string, seed: unknown): number {
  if (typeof seed !== "number" || !(seed >= 0) || Math.floor(seed) !== seed || seed > 0xffffffff) {
    throw new RangeError(`${where}: scheduleSeed must be a whole number from 0 to 4294967295, got ${describeValue(seed)}`);
  }
  return seed;
}
