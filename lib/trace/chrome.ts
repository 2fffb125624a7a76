import type { TraceRecorder, TraceTime } from "./recorder.js";

/** One event of the Chrome Trace Event format (the fields genloop writes). */
export interface ChromeTraceEvent {
  /** The slice's or the track's name. */
  name: string;
  /** The phase: a complete slice (X), an instant (i), a flow start (s) or end (f), metadata (M). */
  ph: "X" | "i" | "s" | "f" | "M";
  /** The process: the loop. */
  pid: number;
  /** The thread: the task's track. */
  tid: number;
  /** The start, in microseconds. */
  ts: number;
  /** The length of a complete slice, in microseconds. */
  dur?: number;
  /** The category (`step`, `wait`, `wake`, …). */
  cat?: string;
  /** The flow's id, joining its start and end. */
  id?: number;
  /** A flow end binds to the enclosing slice. */
  bp?: "e";
  /** An instant's scope: the thread. */
  s?: "t";
  /** Details: both clocks, what was waited on, the error. */
  args?: Record<string, unknown>;
}

/** A trace in the Chrome Trace Event format's JSON object form. */
export interface ChromeTrace {
  /** The events. */
  traceEvents: ChromeTraceEvent[];
  /** How viewers show times. */
  displayTimeUnit: "ms";
}

/** Options of `toChromeTrace`. */
export interface ChromeTraceOptions {
  /** Which clock places events on the timeline: the loop's (default) or the wall clock. Both are in each event's args. */
  time?: "loop" | "wall";
}

/**
 * The recorded run in the Chrome Trace Event format, which Perfetto (ui.perfetto.dev) and
 * `chrome://tracing` load: one track per task (named after it), a slice per step, a slice per
 * wait between steps (category `wait`, named after what it waited on), flow arrows from the task
 * that woke another to the step it woke, and instant events for cancellations and errors.
 * @param recorder a `TraceRecorder` that recorded the run.
 * @param options `time`: `"loop"` (default; a virtual clock's time) or `"wall"`.
 * @returns the JSON object; `JSON.stringify` it into a `.json` file.
 * @throws RangeError for an unknown `time`.
 */
export function toChromeTrace(recorder: TraceRecorder, options: ChromeTraceOptions = {}): ChromeTrace {
  const time = options.time ?? "loop";
  if (time !== "loop" && time !== "wall") throw new RangeError(`toChromeTrace: time must be "loop" or "wall", got ${String(time)}`);
  const origin = recorder.tasks.length > 0 ? recorder.tasks[0].createdAt : { loop: 0, wall: 0 };
  const us = (t: TraceTime): number => Math.round(((time === "loop" ? t.loop - origin.loop : t.wall - origin.wall) * 1000) * 1000) / 1000;
  const both = (t: TraceTime) => ({ loopMs: t.loop, wallMs: Math.round((t.wall - origin.wall) * 1000) / 1000 });
  const events: ChromeTraceEvent[] = [{ name: "process_name", ph: "M", pid: 1, tid: 0, ts: 0, args: { name: "genloop" } }];
  for (const task of recorder.tasks) {
    events.push({ name: "thread_name", ph: "M", pid: 1, tid: task.id, ts: 0, args: { name: `${task.name} (#${task.id})` } });
    events.push({ name: "thread_sort_index", ph: "M", pid: 1, tid: task.id, ts: 0, args: { sort_index: task.id } });
  }
  let flow = 0;
  for (const e of recorder.events) {
    switch (e.kind) {
      case "step":
        events.push({ name: "step", cat: "step", ph: "X", pid: 1, tid: e.task, ts: us(e.start), dur: us(e.end) - us(e.start), args: { start: both(e.start), end: both(e.end) } });
        break;
      case "wait":
        events.push({ name: e.what, cat: "wait", ph: "X", pid: 1, tid: e.task, ts: us(e.start), dur: us(e.end) - us(e.start), args: { cancelled: e.cancelled, start: both(e.start), end: both(e.end) } });
        break;
      case "wake":
        flow++;
        events.push({ name: "wake", cat: "wake", ph: "s", pid: 1, tid: e.from, ts: us(e.at), id: flow });
        events.push({ name: "wake", cat: "wake", ph: "f", bp: "e", pid: 1, tid: e.to, ts: us(e.at), id: flow });
        break;
      default:
        events.push({ name: e.kind, cat: e.kind, ph: "i", s: "t", pid: 1, tid: e.task, ts: us(e.at), args: { detail: e.detail, at: both(e.at) } });
    }
  }
  return { traceEvents: events, displayTimeUnit: "ms" };
}
