// A custom handler for the errors nothing else handled (`setExceptionHandler`,
// `getExceptionHandler`): installed on EventLoop when this module is part of the program.
import { describeValue } from "../describe.js";
import { EventLoop, type ExceptionHandler } from "../loop.js";
import { installMethods } from "./install.js";

installMethods(EventLoop.prototype, {
  setExceptionHandler(handler: ExceptionHandler | null): void {
    if (handler !== null && typeof handler !== "function") {
      throw new TypeError(`setExceptionHandler: expected a function or null, got ${describeValue(handler)}`);
    }
    this._exceptionHandler = handler;
  },

  getExceptionHandler(): ExceptionHandler | null {
    return this._exceptionHandler;
  },
});
