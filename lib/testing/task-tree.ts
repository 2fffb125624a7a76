import { HostCallbackFuture } from "../effects/callback.js";
import type { EventLoop } from "../loop.js";
import { SleepTimer } from "../sleep-timer.js";
import { Task } from "../task.js";

/** Says more about what a task waits on (a fake host names its operations); null for nothing. */
export type WaitDescriber = (task: Task<unknown>) => string | null;

/**
 * @internal The pending tasks of `loop` as a tree, one line per task saying what it waits on; a task
 * awaited by another is listed under it (once, even if several tasks await it).
 *
 * @example
 * ```text
 * - task "test body" waits on task "worker"
 *   - task "worker" waits on a host operation: fake fetch("/user"), started at 0 ms
 * - task "poller" sleeps until 3600000 ms
 * ```
 */
export function formatTaskTree(loop: EventLoop, describeWait?: WaitDescriber): string {
  const tasks = Array.from(loop._tasks);
  const awaited = new Set<Task<unknown>>();
  for (const task of tasks) {
    const waiter = task._waiter;
    if (waiter instanceof Task && !waiter.done()) awaited.add(waiter);
  }
  const lines: string[] = [];
  const listed = new Set<Task<unknown>>();
  const list = (task: Task<unknown>, depth: number): void => {
    let indent = "";
    for (let i = 0; i < depth; i++) indent += "  ";
    if (listed.has(task)) {
      lines.push(`${indent}- task "${task.getName()}" (listed above)`);
      return;
    }
    listed.add(task);
    lines.push(`${indent}- task "${task.getName()}" ${describeWaiting(task, describeWait)}`);
    const waiter = task._waiter;
    if (waiter instanceof Task && !waiter.done()) list(waiter, depth + 1);
  };
  for (const task of tasks) if (!awaited.has(task)) list(task, 0);
  // Tasks that only await each other in a cycle have no root: list them too.
  for (const task of tasks) if (!listed.has(task)) list(task, 0);
  return lines.join("\n");
}

function describeWaiting(task: Task<unknown>, describeWait: WaitDescriber | undefined): string {
  const waiter = task._waiter;
  const cancelling = task.cancelling() > 0 ? " (being cancelled)" : "";
  if (waiter === null) return `is ready to run${cancelling}`;
  if (waiter instanceof SleepTimer) return `sleeps until ${waiter._when} ms${cancelling}`;
  if (waiter instanceof Task) return `waits on task "${waiter.getName()}"${cancelling}`;
  if (waiter instanceof HostCallbackFuture) {
    const more = describeWait ? describeWait(task) : null;
    return `waits on a host operation: ${more ?? `a ${waiter._what} effect nobody completes`}${cancelling}`;
  }
  return `waits on ${String(waiter)}${cancelling}`;
}
