// What host drivers use to be told of work scheduled from outside the loop (`setWakeupHandler`,
// `callSoonThreadsafe`): installed on EventLoop when this module is part of the program.
import type { Handle } from "../handle.js";
import { EventLoop } from "../loop.js";
import { setLoopWakeup } from "../wakeup-handler.js";
import { installMethods } from "./install.js";

installMethods(EventLoop.prototype, {
  callSoonThreadsafe(first: unknown, ...rest: unknown[]): Handle {
    return (this.callSoon as (...all: unknown[]) => Handle)(first, ...rest);
  },

  setWakeupHandler(wakeup: (() => void) | null): void {
    setLoopWakeup(this, wakeup);
  },
} as Partial<EventLoop> & ThisType<EventLoop>);
