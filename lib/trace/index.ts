// This entry takes the loop options and methods of every optional feature: they are installed with it.
import "../features/index.js";
export { TraceRecorder, type TraceEvent, type TraceRecorderOptions, type TraceTime, type TracedTask } from "./recorder.js";
export { toChromeTrace, type ChromeTrace, type ChromeTraceEvent, type ChromeTraceOptions } from "./chrome.js";
export { toSvgTimeline, type SvgTimelineOptions } from "./svg.js";
