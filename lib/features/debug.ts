// Debug mode and async stack traces (`setDebug`, `setAsyncStackTraces` and the `debug` and
// `asyncStackTraces` options): installed on EventLoop when this module is part of the program.
import { describeValue } from "../describe.js";
import { EventLoop, loopOptionHandlers } from "../loop.js";
import type { Runnable } from "../ready-queue.js";
import { taskHooks } from "../task.js";
import { installMethods } from "./install.js";

installMethods(EventLoop.prototype, {
  getDebug(): boolean {
    return this._debug;
  },

  setDebug(enabled: boolean): void {
    this._debug = Boolean(enabled);
    this._setRecordSites(this._debug || this._asyncStackTraces);
  },

  /**
   * Debug mode and async stack traces record sites; the frames and names come from the call
   * graph's module, which installs itself when a program uses it. A bundler leaves it out of a
   * program that uses no call-graph function and no operation: say so once, rather than give
   * errors no async frames in silence.
   */
  _setRecordSites(on: boolean): void {
    if (on && !this._recordSites && taskHooks.errorReceived === null && !this._warnedNoCallGraph) {
      this._warnedNoCallGraph = true;
      this.logger.warn(
        "genloop: debug mode or async stack traces are on, but this program's bundle left out genloop's call-graph module " +
          "(nothing in it uses the call graph), so errors get no async frames and coroutines no names. " +
          'Use one of its functions to keep it, e.g. `import { captureCallGraph } from "genloop"` and a reference such as `loop.setDebug(Boolean(captureCallGraph))`.',
      );
    }
    this._recordSites = on;
  },

  getAsyncStackTraces(): boolean {
    return this._recordSites;
  },

  setAsyncStackTraces(enabled: boolean): void {
    if (typeof enabled !== "boolean") {
      throw new TypeError(`asyncStackTraces must be true or false, got ${describeValue(enabled)}`);
    }
    this._asyncStackTraces = enabled;
    this._setRecordSites(this._debug || enabled);
  },

  _runTimed(item: Runnable): void {
    const start = this.time();
    this._runItem(item);
    const took = this.time() - start;
    if (took >= this.slowCallbackDuration) {
      this.logger.warn(`Executing ${String(item)} took ${(took / 1000).toFixed(3)} seconds`);
    }
  },
});

loopOptionHandlers.debug = (loop, enabled) => loop.setDebug(enabled);
loopOptionHandlers.asyncStackTraces = (loop, enabled) => loop.setAsyncStackTraces(enabled);
taskHooks.captureStack = captureStack;

/**
 * The stack where a task is created, without genloop's own frames. Genloop's frames are those
 * of its own module files, known from where this function runs (lib/features/debug): in a build
 * of many files (lib/, dist/esm) every file under the folder above this module's; in a
 * single-file bundle (dist/cjs/genloop.cjs too), that file (whose frames are all dropped, so an
 * app bundled together with genloop into one file keeps its whole stack instead).
 */
function captureStack(): string {
  const frames = (new Error().stack ?? "").split("\n").filter((line) => frameFile(line) !== null);
  const own = frames.length > 0 ? frameFile(frames[0]) : null; // this function's own frame
  const ownFolder = own !== null && /[\\/]features[\\/]debug\.[cm]?[jt]s$/.test(own) ? own.replace(/[^\\/]+[\\/][^\\/]+$/, "") : null;
  const isOwn = (line: string): boolean => {
    const file = frameFile(line);
    return file !== null && (ownFolder !== null ? file.slice(0, ownFolder.length) === ownFolder : file === own);
  };
  const user = frames.filter((line) => !isOwn(line));
  return (user.length > 0 ? user : frames.slice(1)).join("\n");
}

/** The file (path or URL) of a stack frame line, V8's `at f (file:1:2)` or JSC/SpiderMonkey's `f@file:1:2`. */
function frameFile(line: string): string | null {
  const m = /(?:\(|@|at )((?:[a-z][\w+.-]*:|[\\/]|[A-Za-z]:\\)[^()@]*?):\d+(?::\d+)?\)?\s*$/.exec(line);
  return m === null ? null : m[1];
}
