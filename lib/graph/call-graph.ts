import { describeValue } from "../describe.js";
import { RuntimeError } from "../errors.js";
import { Future } from "../future.js";
import { GatheringFuture } from "../gather.js";
import { hostPrint } from "../log.js";
import { realm } from "../running.js";
import { Task } from "../task.js";
import { AwaitedByIndex } from "./awaited-by.js";
import { taskCallStack, type FrameCallGraphEntry } from "./coroutine-frames.js";

/** A future (or task) in a call graph: its call stack, innermost first, and who waits on it (asyncio 3.14). */
export interface FutureCallGraph {
  /** The future or task this graph is about. */
  readonly future: Future<any>;
  /** The coroutine frames it is suspended in (empty for a plain future). */
  readonly callStack: readonly FrameCallGraphEntry[];
  /** The futures and tasks waiting on it. A node waited on by several appears once, shared. */
  readonly awaitedBy: readonly FutureCallGraph[];
}

/** Options of the call-graph functions. */
export interface CallGraphOptions {
  /** For the running task only: how many innermost entries to skip, plus one (asyncio's `depth`; default 1, skips none). */
  depth?: number;
  /** Keep at most |limit| entries of each call stack: the outermost if positive, the innermost if negative; 0 keeps none. */
  limit?: number;
}

/**
 * Captures the call graph of `future` (the running task if omitted), as asyncio 3.14's
 * `capture_call_graph`: its call stack and, recursively, what waits on it. The graph is a DAG:
 * a future waited on along two paths is one shared node, and a wait cycle (a deadlock) is
 * captured once around the cycle.
 * @param future a Future or Task; if omitted, the running task.
 * @param options `depth`, `limit` as asyncio's.
 * @returns the graph, or null when called in a callback (no running task) with no future.
 * @throws RuntimeError if called with no future outside a running loop; TypeError for a non-future or bad options.
 * @example
 * ```ts
 * import { captureCallGraph, run, sleep, spawn } from "genloop";
 *
 * function* child() {
 *   const graph = captureCallGraph();
 *   console.log(graph?.callStack[0].name, graph?.awaitedBy.length); // child 1
 *   yield* sleep(0);
 * }
 * function* main() {
 *   const task = yield* spawn(child());
 *   yield* task;
 * }
 * run(main());
 * ```
 */
export function captureCallGraph(future?: Future<any>, options?: CallGraphOptions): FutureCallGraph | null {
  const { depth, limit } = checkOptions("captureCallGraph", options);
  if (future === undefined || future === null) {
    if (realm.runningLoop === null) {
      throw new RuntimeError("captureCallGraph() was called outside of a running event loop and no future to introspect was given");
    }
    future = realm.currentTask ?? undefined;
    if (future === undefined) return null;
  }
  if (!(future instanceof Future)) throw new TypeError(`captureCallGraph: future must be a Future or Task, got ${describeValue(future)}`);
  const index = new AwaitedByIndex(future._loop);
  const built = new Map<Future<any>, { future: Future<any>; callStack: FrameCallGraphEntry[]; awaitedBy: FutureCallGraph[] }>();
  // `depth` skips entries of the running task only: those are live frames, the caller's first.
  const skip = depth - 1;
  // Iterative, so a long chain of waiters cannot overflow the stack; each node is built once.
  const root = { future, callStack: callStackOf(future, limit, skip), awaitedBy: [] as FutureCallGraph[] };
  built.set(future, root);
  const work = [root];
  while (work.length > 0) {
    const node = work.pop() as (typeof work)[number];
    for (const waiter of index.waitersOf(node.future)) {
      let child = built.get(waiter);
      if (child === undefined) {
        child = { future: waiter, callStack: callStackOf(waiter, limit, skip), awaitedBy: [] };
        built.set(waiter, child);
        work.push(child);
      }
      node.awaitedBy.push(child);
    }
  }
  return root;
}

/**
 * Formats the call graph of `future` (the running task if omitted) in asyncio 3.14's layout:
 * `* Task(name='…', id=…)`, `+ Call stack:`, `|   …`, `+ Awaited by:`. A node shared by
 * several waiters is printed once; later mentions say `(shown above)`, so the output grows
 * with the number of tasks, not of paths. Ids number the nodes in order of appearance.
 * @returns the text, or "" when there is no running task and no future was given.
 */
export function formatCallGraph(future?: Future<any>, options?: CallGraphOptions): string {
  const graph = captureCallGraph(future, options);
  if (graph === null) return "";
  const lines: string[] = [];
  const ids = new Map<Future<any>, number>();
  // Depth-first, iteratively: each entry is a node and its nesting level.
  const work: { node: FutureCallGraph; level: number }[] = [{ node: graph, level: 0 }];
  while (work.length > 0) {
    const { node, level } = work.pop() as (typeof work)[number];
    const indent = indentation(level);
    const seen = ids.get(node.future);
    if (seen !== undefined) {
      lines.push(`${indent}* ${nodeTitle(node.future, seen)} (shown above)`);
      continue;
    }
    const id = ids.size + 1;
    ids.set(node.future, id);
    lines.push(`${indent}* ${nodeTitle(node.future, id)}`);
    if (node.callStack.length > 0) {
      lines.push(`${indent}  + Call stack:`);
      for (const entry of node.callStack) lines.push(`${indent}  |   ${formatEntry(entry)}`);
    }
    if (node.awaitedBy.length > 0) {
      lines.push(`${indent}  + Awaited by:`);
      for (let i = node.awaitedBy.length - 1; i >= 0; i--) work.push({ node: node.awaitedBy[i], level: level + 1 });
    }
  }
  return lines.join("\n");
}

/**
 * Prints `formatCallGraph(future, options)` with `options.write` (the host console by default).
 * @throws as `captureCallGraph`; TypeError if `write` is not a function.
 */
export function printCallGraph(future?: Future<any>, options?: CallGraphOptions & { write?: (text: string) => void }): void {
  const write = options?.write;
  if (write !== undefined && typeof write !== "function") {
    throw new TypeError(`printCallGraph: write must be a function taking the text, got ${describeValue(write)}`);
  }
  const text = formatCallGraph(future, options && { depth: options.depth, limit: options.limit });
  if (write !== undefined) write(text);
  else hostPrint(text);
}

function nodeTitle(future: Future<any>, id: number): string {
  if (future instanceof Task) return `Task(name='${future.getName()}', id=${id})`;
  if (future instanceof GatheringFuture) return `Future(gather, id=${id})`;
  return `Future(id=${id})`;
}

/** `File 'x.ts', line 3, column 9, in main()` when the place is known, else `main()`. */
export function formatEntry(entry: FrameCallGraphEntry): string {
  if (entry.file === undefined) return `${entry.name}()`;
  const line = entry.line === undefined ? "" : `, line ${entry.line}`;
  const column = entry.column === undefined ? "" : `, column ${entry.column}`;
  return `File '${entry.file}'${line}${column}, in ${entry.name}()`;
}

function callStackOf(future: Future<any>, limit: number | null, skip: number): FrameCallGraphEntry[] {
  if (!(future instanceof Task) || future.done() || limit === 0) return [];
  let stack = taskCallStack(future);
  if (skip > 0 && future === realm.currentTask) stack = stack.slice(skip);
  if (future._waiter instanceof GatheringFuture) stack.unshift({ name: "gather" });
  if (limit === null) return stack;
  // Innermost first: a positive limit keeps the outermost entries (nearest where the task began).
  return limit > 0 ? stack.slice(Math.max(0, stack.length - limit)) : stack.slice(0, -limit);
}

function checkOptions(method: string, options: CallGraphOptions | undefined): { depth: number; limit: number | null } {
  if (options === undefined || options === null) return { depth: 1, limit: null };
  if (typeof options !== "object") throw new TypeError(`${method}: options must be an object like { depth, limit }, got ${describeValue(options)}`);
  const { depth = 1, limit } = options;
  if (typeof depth !== "number" || !(depth >= 1) || Math.floor(depth) !== depth) {
    throw new RangeError(`${method}: depth must be a whole number ≥ 1, got ${describeValue(depth)}`);
  }
  if (limit !== undefined && limit !== null && (typeof limit !== "number" || Math.floor(limit) !== limit)) {
    throw new RangeError(`${method}: limit must be a whole number or null, got ${describeValue(limit)}`);
  }
  return { depth, limit: limit === undefined ? null : limit };
}

/** Four spaces per level (no String.prototype.repeat in ES5 engines). */
export function indentation(level: number): string {
  let text = "";
  for (let i = 0; i < level; i++) text += "    ";
  return text;
}
