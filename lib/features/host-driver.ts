// What host drivers use to be told of work scheduled from outside the loop (`setWakeupHandler`,
// `callSoonThreadsafe`): installed on EventLoop when this module is part of the program.
import { describeValue } from "../describe.js";
import { RuntimeError } from "../errors.js";
import type { Handle } from "../handle.js";
import { EventLoop } from "../loop.js";
import { installMethods } from "./install.js";

installMethods(EventLoop.prototype, {
  callSoonThreadsafe(first: unknown, ...rest: unknown[]): Handle {
    return (this.callSoon as (...all: unknown[]) => Handle)(first, ...rest);
  },

  setWakeupHandler(wakeup: (() => void) | null): void {
    if (wakeup !== null && typeof wakeup !== "function") {
      throw new TypeError(`setWakeupHandler: expected a function or null, got ${describeValue(wakeup)}`);
    }
    if (wakeup !== null && this._wakeup !== null && this._wakeup !== wakeup) {
      throw new RuntimeError("setWakeupHandler: this loop already has a host driver; stop it first");
    }
    this._wakeup = wakeup;
  },
} as Partial<EventLoop> & ThisType<EventLoop>);
