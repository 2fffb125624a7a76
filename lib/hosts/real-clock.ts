import type { Clock } from "../clock.js";

// Feature-detected host facilities, reached through the global object so this module
// loads in any engine; the core never references them.
interface HostGlobals {
  performance?: { now(): number };
  SharedArrayBuffer?: new (bytes: number) => ArrayBufferLike;
  Atomics?: { wait(array: Int32Array, index: number, value: number, timeoutMs: number): string };
}
const host = (typeof globalThis !== "undefined" ? globalThis : {}) as HostGlobals;

function makeBlockingSleep(): ((ms: number) => void) | undefined {
  if (typeof host.SharedArrayBuffer !== "function" || typeof host.Atomics?.wait !== "function") return undefined;
  try {
    const cell = new Int32Array(new host.SharedArrayBuffer(4));
    const atomics = host.Atomics;
    atomics.wait(cell, 0, 0, 0); // throws where blocking is not allowed (a browser's main thread)
    return (ms) => {
      atomics.wait(cell, 0, 0, ms);
    };
  } catch {
    return undefined;
  }
}

/**
 * Real, monotonic time in milliseconds (`performance.now()`, else `Date.now()`).
 * `sleep` blocks the thread with `Atomics.wait` where the host allows it; elsewhere the
 * clock has no `sleep` and a blocking `run()` falls back to polling `now()`.
 */
export class RealClock implements Clock {
  private readonly read: () => number;
  /** Blocks the thread for `ms` with `Atomics.wait`; absent where the host cannot block (the loop then polls `now()`). */
  sleep?: (ms: number) => void;

  constructor() {
    const perf = host.performance;
    this.read = perf && typeof perf.now === "function" ? () => perf.now() : () => Date.now();
    const blocking = makeBlockingSleep();
    if (blocking) this.sleep = blocking;
  }

  /** @returns milliseconds from `performance.now()`, or `Date.now()` where there is none. */
  now(): number {
    return this.read();
  }
}
