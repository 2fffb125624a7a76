// The one place that sets a loop's host-driver wake-up: `loop.setWakeupHandler` (installed by
// lib/features/host-driver.ts) and TimerDriver (lib/hosts/) both call it, so the hosts area
// works on a genloop/core loop without the loop's optional features.
import { describeValue } from "./describe.js";
import { RuntimeError } from "./errors.js";
import type { EventLoop } from "./loop.js";

/**
 * Sets `loop`'s wake-up handler, or clears it with null.
 * @throws TypeError when `wakeup` is neither a function nor null.
 * @throws RuntimeError when the loop has another host driver already.
 */
export function setLoopWakeup(loop: EventLoop, wakeup: (() => void) | null): void {
  if (wakeup !== null && typeof wakeup !== "function") {
    throw new TypeError(`setWakeupHandler: expected a function or null, got ${describeValue(wakeup)}`);
  }
  if (wakeup !== null && loop._wakeup !== null && loop._wakeup !== wakeup) {
    throw new RuntimeError("setWakeupHandler: this loop already has a host driver; stop it first");
  }
  loop._wakeup = wakeup;
}
