// A host timer API under the test's control, for TimerDriver specs.
import type { HostTimers } from "../../lib/index.js";

export class FakeTimers implements HostTimers {
  private nextId = 1;
  readonly pending = new Map<number, { callback: () => void; ms: number }>();
  /** Every delay ever armed, in order. */
  readonly armed: number[] = [];
  cleared = 0;

  setTimeout(callback: () => void, ms: number): number {
    const id = this.nextId++;
    this.pending.set(id, { callback, ms });
    this.armed.push(ms);
    return id;
  }

  clearTimeout(id: number): void {
    if (this.pending.delete(id)) this.cleared++;
  }

  /** Fires every pending timer (in arming order), as the host would once they are due. */
  fireAll(): number {
    const due = Array.from(this.pending.entries());
    this.pending.clear();
    for (const [, t] of due) t.callback();
    return due.length;
  }
}

/** Host time under the test's control, that (unlike a VirtualClock) the driver must wait for. */
export class ManualClock {
  private t = 0;
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}
