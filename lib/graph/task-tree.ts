import { describeValue } from "../describe.js";
import { Future } from "../future.js";
import { hostPrint } from "../log.js";
import { EventLoop } from "../loop.js";
import { getRunningLoop } from "../running.js";
import { Task } from "../task.js";
import { AwaitedByIndex } from "./awaited-by.js";
import { taskCallStack } from "./coroutine-frames.js";
import { describeWait } from "./describe-wait.js";

/**
 * Every pending task of `loop` as a forest: under each task, the tasks it waits on (through
 * `yield* task`, gather, taskGroup, shield, wait, …); each line says the task, its state and
 * exactly what it waits on. In debug mode a task's lines also say where it is suspended and
 * where it was created. A task waited on by several is printed once; later mentions say
 * `(shown above)`, so the output is linear in the number of tasks. Tasks in a wait cycle (a
 * deadlock) are printed too.
 * @param loop the loop to show; the running loop if omitted.
 * @returns the text, one line per task (more in debug mode); "" if no task is pending.
 * @throws RuntimeError if no loop is given and none is running; TypeError if `loop` is not an EventLoop.
 * @example
 * ```ts
 * import { EventLoop, VirtualClock, formatTaskTree, gather, sleep } from "genloop";
 *
 * const loop = new EventLoop({ clock: new VirtualClock() });
 * function* nap(ms: number) { yield* sleep(ms); }
 * function* main() { yield* gather(nap(1500), nap(2000)); }
 * loop.createTask(main(), { name: "main" });
 * loop.step();
 * loop.step();
 * console.log(formatTaskTree(loop));
 * // Task 'main' (pending): gather of 2 (0 done)
 * // ├── Task 'Task-2' (pending): sleep until 1500 ms
 * // └── Task 'Task-3' (pending): sleep until 2000 ms
 * ```
 */
export function formatTaskTree(loop?: EventLoop): string {
  if (loop === undefined) loop = getRunningLoop();
  else if (!(loop instanceof EventLoop)) throw new TypeError(`formatTaskTree: loop must be an EventLoop, got ${describeValue(loop)}`);
  const index = new AwaitedByIndex(loop);
  const pending: Task<unknown>[] = [];
  for (const task of loop._tasks) pending.push(task);
  const debug = loop._debug;
  const printed = new Set<Task<unknown>>();
  const lines: string[] = [];
  const printTree = (root: Task<unknown>): void => {
    // Depth-first, iteratively; `prefix` draws the branches above a line.
    const work: { task: Task<unknown>; prefix: string; branch: string; last: boolean }[] = [{ task: root, prefix: "", branch: "", last: true }];
    while (work.length > 0) {
      const { task, prefix, branch, last } = work.pop() as (typeof work)[number];
      const below = prefix + (branch === "" ? "" : last ? "    " : "│   ");
      if (printed.has(task)) {
        lines.push(`${prefix}${branch}Task '${task.getName()}' (shown above)`);
        continue;
      }
      printed.add(task);
      lines.push(`${prefix}${branch}Task '${task.getName()}' (${taskState(task)}): ${describeWait(task)}`);
      const children = awaitedTasks(index, task);
      const detail = below + (children.length > 0 ? "│   " : "    ");
      if (debug) {
        const at = suspendedAt(task);
        if (at !== null) lines.push(`${detail}suspended at ${at}`);
        const created = task._sourceTraceback ? task._sourceTraceback.split("\n")[0].replace(/^\s*(at )?/, "") : "";
        if (created !== "") lines.push(`${detail}created at ${created}`);
      }
      for (let i = children.length - 1; i >= 0; i--) {
        const isLast = i === children.length - 1;
        work.push({ task: children[i], prefix: below, branch: isLast ? "└── " : "├── ", last: isLast });
      }
    }
  };
  for (const task of pending) if (index.waitersOf(task).length === 0) printTree(task);
  // Whatever is left waits in a cycle (every one of them is waited on): print from the oldest.
  for (const task of pending) if (!printed.has(task)) printTree(task);
  return lines.join("\n");
}

/**
 * Prints `formatTaskTree(loop)` with `write` (the host console by default).
 * @param loop the loop to show; the running loop if omitted.
 * @param write where the text goes.
 */
export function printTaskTree(loop?: EventLoop, write?: (text: string) => void): void {
  if (write !== undefined && typeof write !== "function") {
    throw new TypeError(`printTaskTree: write must be a function taking the text, got ${describeValue(write)}`);
  }
  const text = formatTaskTree(loop);
  if (write !== undefined) write(text);
  else hostPrint(text);
}

/** The tasks `task` waits on, directly or through futures in between (a gather, a shield's outer future). */
function awaitedTasks(index: AwaitedByIndex, task: Task<unknown>): Task<unknown>[] {
  const found: Task<unknown>[] = [];
  const seen = new Set<Future<unknown>>();
  const work: Future<unknown>[] = index.awaitsOf(task).slice();
  while (work.length > 0) {
    const next = work.shift() as Future<unknown>;
    if (seen.has(next)) continue;
    seen.add(next);
    if (next instanceof Task) found.push(next);
    else for (const inner of index.awaitsOf(next)) work.push(inner);
  }
  return found;
}

function taskState(task: Task<unknown>): string {
  return task.cancelling() > 0 ? "cancelling" : "pending";
}

/** Where the task is suspended, from its innermost entry with a place (debug mode). */
function suspendedAt(task: Task<unknown>): string | null {
  for (const entry of taskCallStack(task)) {
    if (entry.file !== undefined) return `${entry.name} (${entry.file}:${entry.line}${entry.column === undefined ? "" : `:${entry.column}`})`;
  }
  return null;
}
