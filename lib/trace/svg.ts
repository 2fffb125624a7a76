import type { TraceRecorder } from "./recorder.js";

/** Options of `toSvgTimeline`. */
export interface SvgTimelineOptions {
  /** Width of the picture in pixels (default 960). */
  width?: number;
  /** A title written above the rows. */
  title?: string;
}

const ROW = 22;
const LABEL = 170;
const TOP = 46;

/**
 * A self-contained SVG timeline of the recorded run, on loop time, readable without any tool:
 * one row per task (named, in creation order), its life as a thin line, each wait shaded and
 * labelled with what it waited on (sleeps blue, other waits grey), each step a dark tick,
 * cancellations marked with a red ✕ and errors with a red !, and a time axis.
 * @param recorder a `TraceRecorder` that recorded the run.
 * @param options `width`, `title`.
 * @returns the SVG document as text.
 * @throws RangeError if `width` is not a number of at least 300.
 */
export function toSvgTimeline(recorder: TraceRecorder, options: SvgTimelineOptions = {}): string {
  const width = options.width ?? 960;
  if (typeof width !== "number" || !(width >= 300)) throw new RangeError(`toSvgTimeline: width must be a number ≥ 300, got ${String(width)}`);
  const tasks = recorder.tasks;
  const start = tasks.length > 0 ? tasks[0].createdAt.loop : 0;
  let end = start;
  for (const t of tasks) end = Math.max(end, t.endedAt === null ? t.createdAt.loop : t.endedAt.loop);
  for (const e of recorder.events) end = Math.max(end, e.kind === "step" || e.kind === "wait" ? e.end.loop : e.at.loop);
  const span = end > start ? end - start : 1;
  const plot = width - LABEL - 20;
  const x = (ms: number): number => round(LABEL + ((ms - start) / span) * plot);
  const y = (id: number): number => TOP + (id - 1) * ROW;
  const height = TOP + tasks.length * ROW + 30;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="monospace" font-size="11">`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  if (options.title !== undefined) out.push(`<text x="8" y="16" font-size="13" font-weight="bold">${escape(options.title)}</text>`);
  // Time axis: about 8 ticks at round numbers of ms.
  const tick = niceStep(span / 8);
  for (let t = Math.ceil(start / tick) * tick; t <= end; t += tick) {
    out.push(`<line x1="${x(t)}" y1="${TOP - 8}" x2="${x(t)}" y2="${height - 24}" stroke="#eeeeee"/>`);
    out.push(`<text x="${x(t)}" y="${height - 10}" text-anchor="middle" fill="#666666">${formatMs(t)}</text>`);
  }
  for (const task of tasks) {
    const mid = y(task.id) + ROW / 2;
    out.push(`<text x="8" y="${mid + 4}">${escape(clip(task.name, 22))}</text>`);
    const to = task.endedAt === null ? end : task.endedAt.loop;
    out.push(`<line x1="${x(task.createdAt.loop)}" y1="${mid}" x2="${x(to)}" y2="${mid}" stroke="#999999"/>`);
  }
  for (const e of recorder.events) {
    if (e.kind !== "wait") continue;
    const top = y(e.task) + 4;
    const x1 = x(e.start.loop);
    const w = Math.max(1, x(e.end.loop) - x1);
    const fill = e.what === "sleep" ? "#cfe3f7" : "#e4e4e4";
    out.push(`<rect x="${x1}" y="${top}" width="${w}" height="${ROW - 8}" fill="${fill}" stroke="${e.cancelled ? "#d62728" : "#b0b0b0"}"><title>${escape(e.what)}: ${formatMs(e.start.loop)} → ${formatMs(e.end.loop)}${e.cancelled ? " (cancelled)" : ""}</title></rect>`);
    if (w > 40) out.push(`<text x="${x1 + 3}" y="${top + ROW / 2}" fill="#333333" font-size="9">${escape(clip(e.what, Math.floor(w / 6)))}</text>`);
  }
  for (const e of recorder.events) {
    if (e.kind === "step") {
      const top = y(e.task) + 3;
      out.push(`<rect x="${x(e.start.loop)}" y="${top}" width="${Math.max(2, x(e.end.loop) - x(e.start.loop))}" height="${ROW - 6}" fill="#2c3e50"/>`);
    } else if (e.kind === "cancelled" || e.kind === "error") {
      const mid = y(e.task) + ROW / 2;
      const mark = e.kind === "cancelled" ? "✕" : "!";
      out.push(`<text x="${x(e.at.loop)}" y="${mid + 5}" text-anchor="middle" fill="#d62728" font-size="14" font-weight="bold"><title>${escape(e.detail)}</title>${mark}</text>`);
    }
  }
  out.push(`<text x="${LABEL}" y="${TOP - 14}" fill="#666666">loop time · ■ step · blue: sleep · grey: other waits · ✕ cancelled · ! error</text>`);
  out.push("</svg>");
  return out.join("\n") + "\n";
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function niceStep(raw: number): number {
  const power = Math.pow(10, Math.floor(Math.log(Math.max(raw, 1e-9)) / Math.LN10));
  const m = raw / power;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power;
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${round(ms / 1000)} s` : `${round(ms)} ms`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
