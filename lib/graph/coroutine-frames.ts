import { Effect } from "../effect.js";
import { realm } from "../running.js";
import { NOTE_YIELDS, yieldNotes } from "../note-yields.js";
import { taskHooks, type Task } from "../task.js";
import type { Coroutine } from "../types.js";
import { noteErrorReceived, noteTaskFailed } from "./async-stack.js";
import { noteCancellationDelivered, noteCancelledTaskReturning } from "./swallowed-cancellation.js";
import { describeOperationWait, operationWait } from "./describe-wait.js";
import { INTERNAL, NAME, OPERATION, learnedName, operationName, operationOf, prototypeOf } from "./coroutine-names.js";

/** One entry of a call stack: a coroutine's function, and where it is suspended when known. */
export interface FrameCallGraphEntry {
  /** The generator function's name. */
  readonly name: string;
  /** The source file, when the engine tells. */
  readonly file?: string;
  /** The line, when the engine tells. */
  readonly line?: number;
  /** The column, when the engine tells. */
  readonly column?: number;
}

/** On a generator object, in debug mode (or with async stack traces): an Error made when it last did `yield* effect`. */
const STACK = "__genloopStack";

/** @internal A parsed stack frame line. */
export interface Frame {
  name: string;
  file: string;
  line?: number;
  column?: number;
}

/** @internal What a frame line looks like in V8/QuickJS/Duktape (`at f (file:1:2)`) and JSC/SpiderMonkey (`f@file:1:2`). */
export function parseFrame(text: string): Frame | null {
  let line = text.replace(/^\s+/, "");
  let name = "";
  let where: string;
  if (line.slice(0, 3) === "at ") {
    line = line.slice(3);
    if (line.slice(0, 6) === "async ") line = line.slice(6); // V8's frame of an awaiting function
    const open = line.indexOf(" (");
    if (open !== -1 && line.charAt(line.length - 1) === ")") {
      name = line.slice(0, open);
      where = line.slice(open + 2, -1);
    } else {
      where = line;
    }
  } else {
    const at = line.indexOf("@");
    if (at === -1) return null;
    name = line.slice(0, at);
    where = line.slice(at + 1);
  }
  where = where.replace(/\) preventsyield$/, "").replace(/ preventsyield$/, "");
  const m = /^(.*?):(\d+)(?::(\d+))?$/.exec(where);
  if (m === null) return { name, file: where };
  const frame: Frame = { name, file: m[1], line: Number(m[2]) };
  if (m[3] !== undefined) frame.column = Number(m[3]);
  return frame;
}

function stackFrames(stack: string | undefined): Frame[] {
  const frames: Frame[] = [];
  if (typeof stack !== "string") return frames;
  for (const line of stack.split("\n")) {
    const frame = parseFrame(line);
    if (frame !== null && (frame.line !== undefined || frame.name !== "")) frames.push(frame);
  }
  return frames;
}

/** The file genloop's own code runs from (a bundle), or its lib folder (an unbundled build). */
const ownCode: { file: string; folder: string | null } = (function whereAmI() {
  const frame = stackFrames(new Error().stack).filter((f) => f.line !== undefined)[0];
  const file = frame ? frame.file : "";
  const m = /^(.*[\\/])graph[\\/]coroutine-frames\.[jt]s$/.exec(file);
  return { file, folder: m ? m[1] : null };
})();

/** genloop's functions that take stacks (bundled with user code, they are known by name only). */
const STACK_TAKERS = /(^|\.)(noteYieldingCoroutine|taskCallStack|coroutineFrames|callStackOf|captureCallGraph|formatCallGraph|printCallGraph|suspendedAt|printTree|formatTaskTree|printTaskTree)$/;

/** A frame of genloop's driver below the coroutines: native frames, `Task._step`, or genloop's own files when unbundled. */
function isDriverFrame(frame: Frame): boolean {
  if (frame.line === undefined || /(^|\.)_step$/.test(frame.name)) return true;
  return ownCode.folder !== null && frame.file.slice(0, ownCode.folder.length) === ownCode.folder;
}

/**
 * The user frames of a stack taken inside a task, innermost first: below the `skip` frames of
 * the function that took it (or below genloop's stack takers), down to genloop's driver. If the
 * driver cannot be told apart (a bundle, in an engine that shows no frame for it), only the
 * innermost frame is kept.
 */
function userFrames(stack: string | undefined, skip: number): Frame[] {
  const frames = stackFrames(stack);
  let i = skip;
  while (i < frames.length && (STACK_TAKERS.test(frames[i].name) || isOwnFile(frames[i]))) i++;
  const run: Frame[] = [];
  for (; i < frames.length; i++) {
    if (isDriverFrame(frames[i])) return run;
    run.push(frames[i]);
  }
  return run.slice(0, 1);
}

function isOwnFile(frame: Frame): boolean {
  return ownCode.folder !== null && frame.file.slice(0, ownCode.folder.length) === ownCode.folder;
}

/**
 * Whether `coro`'s yields must be noted: its name is not learned yet, or debug mode records
 * where it is. If so, the task's NOTE_YIELDS bit makes `yield* effect` and `yield* future` call
 * `noteYieldingCoroutine` (see yieldNotes).
 */
function mustNoteYields(coro: Coroutine<any>, debug: boolean): boolean {
  if (debug) return true;
  const proto = prototypeOf(coro);
  return proto !== null && proto[NAME] === undefined;
}

// Installed when this module is part of the program (it is whenever the call graph, the task tree
// or an operation is): from then on tasks ask, at each coroutine switch, whether to note yields,
// and describeWait says what a task waits on inside an operation.
taskHooks.mustNoteYields = mustNoteYields;
yieldNotes.note = noteYieldingCoroutine;
operationWait.describe = describeOperationWait;
// Async stack traces need the names and sites noted here: they come with this module.
taskHooks.errorReceived = noteErrorReceived;
taskHooks.taskFailed = noteTaskFailed;
// So does debug mode's report of a swallowed cancellation, which names where the task was.
taskHooks.cancellationDelivered = noteCancellationDelivered;
taskHooks.cancelledTaskReturning = noteCancelledTaskReturning;

/**
 * @internal Called by `yield* effect` (inside the coroutine's own frame) in a task whose
 * NOTE_YIELDS bit is set: learns the running coroutine's name once per generator function and,
 * in debug mode, where it is.
 */
export function noteYieldingCoroutine(task: Task<unknown>): void {
  const coro = task._coro as unknown as Record<string, unknown>;
  const proto = prototypeOf(coro);
  if (!task._loop._recordSites) task._flags &= ~NOTE_YIELDS;
  if (proto !== null && proto[NAME] === undefined) {
    // Two frames above the coroutine's: this function and the `[Symbol.iterator]` calling it.
    // The Error is read only when the name is asked for (see NAME).
    const taken = new Error();
    const readName = (): string => {
      const run = userFrames(taken.stack, 2);
      return run.length === 0 ? INTERNAL : cleanName(run[run.length - 1].name);
    };
    Object.defineProperty(proto, NAME, { value: readName, configurable: true });
  }
  // The Error, not its text: V8 formats a stack only when it is read.
  if (task._loop._recordSites) coro[STACK] = new Error();
}

/** @internal Labels `coro` as the body of `operation` (a sync primitive's wait, taskGroup, waitFor, …). */
export function labelOperation<C extends Coroutine<any>>(coro: C, operation: Effect<unknown>): C {
  (coro as unknown as Record<string, unknown>)[OPERATION] = operation;
  return coro;
}

function cleanName(name: string): string {
  // V8 says `Generator.next`-free names like `main`, `Worker.run`, `Object.main`, `*main` in some engines;
  // Hermes names the body of a native `function* main` `?anon_0_main`.
  return name.replace(/^Object\./, "").replace(/^\*/, "").replace(/^\?anon_\d+_/, "").replace(/ \[as .*\]$/, "");
}

/**
 * @internal The call-stack entries of `task`, innermost first: its coroutines (named; in debug
 * mode, or for the running task, with where they are suspended) and the operations they are in.
 */
export function taskCallStack(task: Task<unknown>): FrameCallGraphEntry[] {
  const stack: Coroutine<any>[] = task._coroutineStack();
  const entries: FrameCallGraphEntry[] = [];
  let insideOperation = false;
  for (let i = 0; i < stack.length; i++) {
    const coro = stack[i];
    const operation = operationOf(coro);
    if (operation !== undefined) {
      entries.push({ name: operationName(operation) });
      insideOperation = true;
      continue;
    }
    const learned = learnedName(coro);
    if (learned === INTERNAL || (learned === undefined && insideOperation)) continue;
    insideOperation = false;
    const isRunning = i === stack.length - 1 && realm.currentTask === task;
    const frames = coroutineFrames(coro, isRunning);
    for (let j = frames.length - 1; j >= 0; j--) entries.push(frames[j]);
  }
  return entries.reverse();
}

/**
 * @internal The entries of one user coroutine of a task, innermost first: where it is suspended
 * (the stack recorded at its last `yield* effect` in debug mode, or the current one if it is
 * running), with the plain `yield*` delegations above it; its name alone when that is unknown.
 * Empty for genloop's own coroutines and operation bodies.
 */
export function coroutineFrames(coro: Coroutine<any>, isRunning: boolean): FrameCallGraphEntry[] {
  const learned = learnedName(coro);
  if (learned === INTERNAL || operationOf(coro) !== undefined) return [];
  const recorded = isRunning ? new Error() : ((coro as unknown as Record<string, unknown>)[STACK] as Error | undefined);
  const frames = recorded === undefined ? [] : userFrames(recorded.stack, isRunning ? 0 : 2);
  const name = learned === undefined ? "<coroutine>" : learned === "" ? "<anonymous>" : learned;
  if (frames.length === 0) return [{ name }];
  // Outermost frame is the coroutine itself; frames above it are plain `yield*` delegations.
  const entries: FrameCallGraphEntry[] = [];
  for (let j = 0; j < frames.length; j++) {
    const f = frames[j];
    const entry: { name: string; file: string; line?: number; column?: number } = {
      name: j === frames.length - 1 && learned !== undefined ? name : cleanName(f.name) || "<anonymous>",
      file: f.file,
    };
    if (f.line !== undefined) entry.line = f.line;
    if (f.column !== undefined) entry.column = f.column;
    entries.push(entry);
  }
  return entries;
}
