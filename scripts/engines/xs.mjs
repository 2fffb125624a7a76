// Drives XS (Moddable's engine for microcontrollers) through Agoric's xsnap-worker, which
// scripts/install-xs.sh builds from the npm package @agoric/xsnap. The worker is no shell that
// runs a file: it reads commands as netstrings ("<byte length>:<bytes>,") on file descriptor 3
// and answers each on file descriptor 4. The first byte of a message says what it is:
//   to the worker:   "e" + script text (evaluated by the global eval), "q" (quit)
//   from the worker: "." + meter JSON + "\x01" + result (success), "!" + message (the script threw),
//                    "?" + bytes (the script called issueCommand and waits for a "/" reply)
// The worker's global `print` writes a line on its stdout.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** The @agoric/xsnap version scripts/install-xs.sh builds. */
export const xsnapVersion = "0.15.0";
/** Where scripts/install-xs.sh leaves the worker. */
export const xsnapWorker = join(
  process.env.XDG_CACHE_HOME || join(homedir(), ".cache"),
  `genloop-engines/xsnap-${xsnapVersion}/xsnap-native/xsnap/build/bin/lin/release/xsnap-worker`,
);

/** One netstring holding `text` (UTF-8): its length counts bytes, not UTF-16 code units. */
export function encodeNetstring(text) {
  const body = Buffer.from(text, "utf8");
  return Buffer.concat([Buffer.from(`${body.length}:`), body, Buffer.from(",")]);
}

/**
 * Splits `buffer` into the complete netstrings at its start: `messages` (Buffers) and `rest`, the
 * bytes of an incomplete one still to come.
 * @throws {Error} when the bytes are no netstring (a length that is not digits, a missing ",").
 */
export function decodeNetstrings(buffer) {
  const messages = [];
  let at = 0;
  for (;;) {
    const colon = buffer.indexOf(":", at);
    if (colon === -1) {
      if (!/^\d*$/.test(buffer.toString("latin1", at))) throw new Error(`not a netstring length: ${JSON.stringify(buffer.toString("latin1", at, at + 20))}`);
      break;
    }
    const digits = buffer.toString("latin1", at, colon);
    if (!/^\d+$/.test(digits)) throw new Error(`not a netstring length: ${JSON.stringify(digits.slice(0, 20))}`);
    const end = colon + 1 + Number(digits);
    if (buffer.length <= end) break;
    if (buffer[end] !== 0x2c) throw new Error(`netstring of ${digits} bytes not followed by ","`);
    messages.push(buffer.subarray(colon + 1, end));
    at = end + 1;
  }
  return { messages, rest: buffer.subarray(at) };
}

/**
 * What the worker's answer to an evaluation says: null when the script completed, else why not
 * (the exception's text for "!").
 */
export function evaluationError(message) {
  const kind = String.fromCharCode(message[0]);
  if (kind === ".") return null;
  if (kind === "!") return `the script threw: ${message.toString("utf8", 1)}`;
  if (kind === "?") return `the script called issueCommand(${JSON.stringify(message.toString("utf8", 1, 81))}), which this driver does not serve`;
  return `unexpected answer from xsnap-worker: ${JSON.stringify(message.toString("utf8", 0, 80))}`;
}

/** The worker's version line ("xsnap 0.15.0 (XS 13.3.0)"), or null when it does not answer. */
export function xsnapVersionLine(worker = xsnapWorker) {
  const r = spawnSync(worker, ["-v"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

/**
 * Evaluates `code` as one script in a fresh xsnap-worker and resolves with what it printed
 * (`output`) and why it did not complete (`error`, or null): the script threw, the worker died,
 * or no answer came within `timeoutMs` (the worker is then killed).
 */
export function runInXs(code, { worker = xsnapWorker, timeoutMs = 120000 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(worker, [], { stdio: ["ignore", "pipe", "pipe", "pipe", "pipe"] });
    const toWorker = child.stdio[3];
    const fromWorker = child.stdio[4];
    let stdout = "";
    let stderr = "";
    let pending = Buffer.alloc(0);
    let error = null;
    let answered = false;
    const fail = (why) => {
      if (error === null) error = why;
      child.kill("SIGKILL");
    };
    const timer = setTimeout(() => fail(`no answer from xsnap-worker within ${timeoutMs / 1000} s`), timeoutMs);
    child.stdout.setEncoding("utf8").on("data", (chunk) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk) => (stderr += chunk));
    // The worker may exit (a crash, a kill) before it reads all of the script: its exit says why.
    toWorker.on("error", () => {});
    fromWorker.on("data", (chunk) => {
      let decoded;
      try {
        decoded = decodeNetstrings(Buffer.concat([pending, chunk]));
      } catch (e) {
        fail(`xsnap-worker answered with no netstring: ${e.message}`);
        return;
      }
      pending = decoded.rest;
      // One evaluation, one answer: after "." or "!" the worker is told to quit; anything else
      // (an issueCommand waiting for its reply) would block it, so it is killed.
      const [message] = decoded.messages;
      if (message === undefined || answered) return;
      answered = true;
      const why = evaluationError(message);
      if (message[0] === 0x2e || message[0] === 0x21) {
        error = why;
        toWorker.end(encodeNetstring("q"));
      } else fail(why);
    });
    child.on("error", (e) => fail(`cannot run ${worker}: ${e.message}`));
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      if (error === null && !answered) error = `xsnap-worker exited (${signal ?? `status ${status}`}) before answering${stderr.trim() ? `: ${stderr.trim().split("\n").slice(-3).join(" | ")}` : ""}`;
      else if (error === null && status !== 0) error = `xsnap-worker exited with status ${status}: ${stderr.trim()}`;
      resolve({ output: stdout, error });
    });
    toWorker.write(encodeNetstring(`e${code}`));
  });
}

/** Whether scripts/install-xs.sh built the worker. */
export const xsInstalled = () => existsSync(xsnapWorker);
