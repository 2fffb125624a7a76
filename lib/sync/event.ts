import type { Effect } from "../effect.js";
import { Future } from "../future.js";
import type { Coroutine } from "../types.js";
import { CoroutineEffect } from "./coroutine-effect.js";
import { LoopBound } from "./loop-bound.js";
import { WaiterList, waitInLine } from "./waiter-list.js";

/**
 * asyncio.Event: a flag tasks can wait for. `set()` wakes every waiter (in FIFO order);
 * a waiter already woken still returns true if the flag is cleared before it runs.
 *
 * @example
 * ```ts
 * import { run, sleep, createTask, Event, type Coroutine } from "genloop";
 *
 * function* main(): Coroutine<void> {
 *   const ready = new Event();
 *   const waiter = createTask((function* () { yield* ready.wait(); console.log("go"); })());
 *   yield* sleep(10);
 *   ready.set();        // wakes every waiter
 *   yield* waiter;
 * }
 * run(main());
 * ```
 */
export class Event extends LoopBound {
  /** @internal */ _waiters = new WaiterList<Future<true>>();
  /** @internal */ _value = false;

  // An explicit constructor: the implicit one compiles to ES5 as a spread of `arguments`,
  // which Rhino cannot run.
  constructor() {
    super();
  }

  /** True while the flag is set. */
  isSet(): boolean {
    return this._value;
  }

  /** Sets the flag and wakes every waiter; later `wait()`s return at once. */
  set(): void {
    if (this._value) return;
    this._value = true;
    for (let node = this._waiters.head; node !== null; node = node.next) {
      if (!node.value.done()) node.value._resolve(true);
    }
  }

  /** Clears the flag: later `wait()`s block until the next `set()`. */
  clear(): void {
    this._value = false;
  }

  /** Waits until the flag is set, then returns true (at once if it is set): `yield* event.wait()`. */
  wait(): Effect<true> {
    return new EventWait("event.wait", this, []);
  }

  override toString(): string {
    let extra = this._value ? "set" : "unset";
    if (this._waiters.length > 0) extra += `, waiters:${this._waiters.length}`;
    return `<Event [${extra}]>`;
  }

  /** @internal asyncio's `Event.wait` coroutine. */
  *_wait(): Coroutine<true> {
    if (this._value) return true;
    const fut = new Future<true>(this._getLoop());
    yield* waitInLine(this._waiters, fut);
    return true;
  }
}

class EventWait extends CoroutineEffect<true, Event> {
  _body(): Coroutine<true> {
    return this.target._wait();
  }
}
