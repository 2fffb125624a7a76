import { CancelledError, ExceptionGroup } from "../errors.js";
import type { Task } from "../task.js";
import { coroutineFrames, parseFrame, type FrameCallGraphEntry } from "./coroutine-frames.js";
import { learnedName } from "./coroutine-names.js";

/**
 * Async stack traces (debug mode, or `asyncStackTraces`): an error that goes from one coroutine
 * or task to the one awaiting it keeps its identity and gets a line per hop appended to its
 * `stack`, in V8's own format for awaiting functions (`    at async main (file:1:2)`). Three hops
 * are seen by the task that drives them (see Task): a coroutine's error reaching the coroutine
 * that called it inline (`yield* call(c)`), a task ending with an error (the line says where it
 * was created), and a failed future's error reaching the task that awaits it (`yield* task`,
 * gather, shield, waitFor, a policy: all of them end up there). genloop's own coroutines (the
 * bodies of taskGroup, waitFor, a policy's instances, …) add no line.
 *
 * Any value can be thrown: only objects whose `stack` is a string that can be written get lines;
 * nothing here throws. Each hop is appended once: an error thrown again into the same coroutine
 * (a retry loop awaiting the same failed task) or ending the same task again adds nothing.
 */

/** For each error that got lines: the coroutines and tasks whose line it has, so each hop is added once. */
const hops: WeakMap<object, object[]> | null = (function newWeakMap() {
  const ctor = typeof globalThis !== "undefined" ? (globalThis as { WeakMap?: WeakMapConstructor }).WeakMap : undefined;
  return typeof ctor === "function" ? new ctor<object, object[]>() : null;
})();

/** How deep groups inside groups get the lines too. */
const MAX_GROUP_DEPTH = 8;

/** Whether this engine writes stacks as V8 does (`    at f (file:1:2)`; QuickJS and Duktape too), or as JSC and SpiderMonkey (`f@file:1:2`). */
const V8_STYLE = /(^|\n)\s+at /.test(String(new Error().stack));

/**
 * @internal The error of a coroutine or future is about to be thrown into `task`'s running
 * coroutine. A coroutine whose name was never learned (it never did `yield* effect`: genloop's
 * own plain-`yield` bodies) adds nothing: there is nothing to say about it.
 */
export function noteErrorReceived(task: Task<unknown>, error: unknown): void {
  const coro = task._coro;
  if (!isCandidate(error) || alreadyAdded(error, coro) || learnedName(coro) === undefined) return;
  const frames = coroutineFrames(coro, false);
  if (frames.length === 0) return;
  const lines: string[] = [];
  for (let i = 0; i < frames.length; i++) lines.push(frameLine(frames[i]));
  append(error, coro, lines, 0);
}

/** @internal `task` ends with `error`: the line of the task, at the place where it was created. */
export function noteTaskFailed(task: Task<unknown>, error: unknown): void {
  if (!isCandidate(error) || alreadyAdded(error, task)) return;
  const created = task._sourceTraceback === undefined ? null : parseFrame(task._sourceTraceback.split("\n")[0]);
  const entry: FrameCallGraphEntry = { name: `Task '${task.getName()}'` };
  if (created !== null && created.line !== undefined) {
    (entry as { file?: string }).file = created.file;
    (entry as { line?: number }).line = created.line;
    if (created.column !== undefined) (entry as { column?: number }).column = created.column;
  }
  append(error, task, [frameLine(entry)], 0);
}

/** Cancellation is not a failure: its CancelledErrors are left alone, as are non-objects. */
function isCandidate(error: unknown): error is object {
  return typeof error === "object" && error !== null && !(error instanceof CancelledError);
}

function alreadyAdded(error: object, hop: object): boolean {
  if (hops === null) return false;
  const done = hops.get(error);
  return done !== undefined && done.indexOf(hop) !== -1;
}

/** Appends `lines` to `error.stack` if it can be written; a group's errors get them too. */
function append(error: object, hop: object, lines: readonly string[], depth: number): void {
  let stack: unknown;
  try {
    stack = (error as { stack?: unknown }).stack;
    if (typeof stack !== "string" || Object.isFrozen(error)) return;
    const added = formatLines(lines);
    // Without a WeakMap (Duktape, mujs) a hop is known by its text.
    if (hops === null && stack.indexOf(added) !== -1) return;
    const first = hops === null ? !ADDED_LINE.test(stack) : hops.get(error) === undefined;
    const text = (first ? trimDriver(stack) : stack) + "\n" + added;
    (error as { stack?: unknown }).stack = text;
    // A setter that ignores the write, or a getter: nothing was appended, nothing is recorded.
    if ((error as { stack?: unknown }).stack !== text) return;
  } catch {
    return;
  }
  if (hops !== null) {
    const done = hops.get(error);
    if (done === undefined) hops.set(error, [hop]);
    else done.push(hop);
  }
  if (error instanceof ExceptionGroup && depth < MAX_GROUP_DEPTH) {
    const members = error.exceptions;
    for (let i = 0; i < members.length; i++) {
      const member = members[i];
      if (isCandidate(member) && member !== error && !alreadyAdded(member, hop)) append(member, hop, lines, depth + 1);
    }
  }
}

/** `    at async name (file:line:col)`, V8's line for an awaiting function. */
function frameLine(entry: FrameCallGraphEntry): string {
  if (entry.file === undefined) return `    at async ${entry.name}`;
  const where = entry.line === undefined ? entry.file : `${entry.file}:${entry.line}${entry.column === undefined ? "" : `:${entry.column}`}`;
  return `    at async ${entry.name} (${where})`;
}

// Built from strings rather than regex literals: a text check of the core for async/await reads
// literals as code.
/** A line this module appends, in either format. */
const ADDED_LINE = new RegExp(" at async |\nasync\\*");
/** One appended line in V8's format: the name, and where when known. */
const V8_ASYNC_LINE = new RegExp("^ {4}at async (.*?)(?: \\((.*)\\))?$");

/** In JSC/SpiderMonkey (`f@file:1:2`), the lines as SpiderMonkey writes awaiting frames: `async*f@file:1:2`. */
function formatLines(lines: readonly string[]): string {
  if (V8_STYLE) return lines.join("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = V8_ASYNC_LINE.exec(lines[i]) as RegExpExecArray;
    out.push(`async*${m[1]}@${m[2] ?? ""}`);
  }
  return out.join("\n");
}

/**
 * The error's own frames without genloop's driver below the code that threw: the frames from
 * `Task._step` down (and the engine's `Generator.next`/`throw` just above it) are the loop, not
 * the program. Left as it is when the driver is not found (another engine, a cut stack).
 */
function trimDriver(stack: string): string {
  const lines = stack.split("\n");
  for (let i = 1; i < lines.length; i++) {
    const frame = parseFrame(lines[i]);
    if (frame === null || !/(^|\.)_step$/.test(frame.name)) continue;
    let end = i;
    while (end > 1) {
      const above = parseFrame(lines[end - 1]);
      if (above === null || above.line !== undefined || !/(^|\.)(next|throw)$/.test(above.name)) break;
      end--;
    }
    return lines.slice(0, end).join("\n");
  }
  return stack;
}
