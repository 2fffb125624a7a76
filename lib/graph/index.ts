export { captureCallGraph, formatCallGraph, printCallGraph, type CallGraphOptions, type FutureCallGraph } from "./call-graph.js";
export type { FrameCallGraphEntry } from "./coroutine-frames.js";
export { futureAddToAwaitedBy, futureDiscardFromAwaitedBy } from "./awaited-by.js";
export { describeWait } from "./describe-wait.js";
export { formatTaskTree, printTaskTree } from "./task-tree.js";
