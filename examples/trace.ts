// Traces examples/workflow.ts on its virtual clock and writes two pictures of the run:
//   docs/trace/workflow.trace.json  Chrome Trace Event format: open it in ui.perfetto.dev or chrome://tracing
//   docs/trace/workflow.svg         a timeline, readable in any browser
// Only the public hooks are used: a TraceRecorder is an instrument given to run().
//
//   npm run trace
import { mkdirSync, writeFileSync } from "node:fs";
import { TraceRecorder, toChromeTrace, toSvgTimeline } from "../lib/trace/index.js";
import { runWorkflow } from "./workflow.js";

// A wall clock that advances 0.05 ms per reading: the files are the same on every run.
let wall = 0;
const recorder = new TraceRecorder({ wallClock: () => (wall += 0.05) });
runWorkflow([recorder]);
mkdirSync("docs/trace", { recursive: true });
writeFileSync("docs/trace/workflow.trace.json", JSON.stringify(toChromeTrace(recorder), null, 1) + "\n");
writeFileSync("docs/trace/workflow.svg", toSvgTimeline(recorder, { title: "examples/workflow.ts — three batches on a virtual clock", width: 1100 }));
console.log(`traced ${recorder.tasks.length} tasks: wrote docs/trace/workflow.trace.json and docs/trace/workflow.svg`);
