import type { Clock } from "../clock.js";
import type { EventLoop } from "../loop.js";
import { RealClock } from "../hosts/real-clock.js";

/**
 * Real time for a durable run: wall-clock milliseconds (`Date.now()`), so that a `sleep` spans a
 * crash and restart, kept monotonic; waits block the thread as `RealClock`'s do.
 */
export function wallClock(): Clock {
  const blocking = new RealClock();
  const clock: Clock = { now: () => Date.now() };
  if (blocking.sleep) clock.sleep = blocking.sleep;
  return clock;
}

/**
 * The clock of a durable run on real time: it journals the readings the loop takes while it runs
 * an iteration (those decide which timers are due and what tasks see) and replays them in order;
 * readings taken between iterations (a host driver deciding when to step) are not journaled, and
 * during replay they return the reading the next iteration will see, so a replay never waits.
 * When the recorded readings run out it goes on live, never going back in time.
 *
 * Invariant: `next` indexes the first recorded reading not yet replayed; `last` is the latest
 * reading handed to the loop while running (readings never decrease).
 */
export class JournalClock implements Clock {
  /** @internal The loop it serves: set when the durable run is attached. */
  loop: EventLoop | null = null;
  private next = 0;
  private last = -Infinity;

  constructor(
    private readonly source: Clock,
    private readonly recorded: readonly number[],
    private readonly onLiveReading: (reading: number) => void,
  ) {}

  /** True while recorded readings remain to be replayed. */
  replaying(): boolean {
    return this.next < this.recorded.length;
  }

  now(): number {
    const running = this.loop !== null && this.loop.isRunning();
    if (this.next < this.recorded.length) {
      if (!running) return this.recorded[this.next];
      const reading = this.recorded[this.next++];
      this.last = reading;
      return reading;
    }
    const reading = Math.max(this.last, this.source.now());
    if (running) {
      this.last = reading;
      this.onLiveReading(reading);
    }
    return reading;
  }

  sleep(ms: number): void {
    if (this.replaying() || !(ms > 0)) return;
    this.sleepUntil(this.source.now() + ms);
  }

  sleepUntil(when: number): void {
    if (this.replaying()) return; // the recorded readings already say how long it waited
    const source = this.source;
    for (let ms = when - source.now(); ms > 0; ms = when - source.now()) {
      if (source.sleepUntil) return source.sleepUntil(when);
      if (source.sleep) source.sleep(ms);
      // else: the host offers no way to block: poll, as the loop itself would
    }
  }
}
