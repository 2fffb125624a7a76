// Task factories (`setTaskFactory`, `getTaskFactory` and the `taskFactory` option): installed on
// EventLoop when this module is part of the program (`createTask` calls the factory set).
import { describeValue } from "../describe.js";
import { EventLoop, loopOptionHandlers, type TaskFactory } from "../loop.js";
import { installMethods } from "./install.js";

installMethods(EventLoop.prototype, {
  setTaskFactory(factory: TaskFactory | null): void {
    if (factory !== null && typeof factory !== "function") {
      throw new TypeError(`setTaskFactory: the factory must be a function (loop, coro, options) => Task, or null, got ${describeValue(factory)}`);
    }
    this._taskFactory = factory;
  },

  getTaskFactory(): TaskFactory | null {
    return this._taskFactory;
  },
});

loopOptionHandlers.taskFactory = (loop, factory) => loop.setTaskFactory(factory);
