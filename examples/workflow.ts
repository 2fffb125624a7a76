// A cancellable workflow on a virtual clock: fetch a batch of resources concurrently with
// per-request timeouts, retries on a schedule (exponential backoff with a cap and seeded jitter,
// transient errors only), a deadline for the whole batch,
// and a task group that cancels (and cleans up) everything on the first fatal error.
// Every step prints on a timeline in loop time; the whole thing runs instantly.
//
//   npm run workflow
import {
  CancelledError,
  ExceptionGroup,
  TimeoutError,
  VirtualClock,
  asCompleted,
  getRunningLoop,
  run,
  shield,
  sleep,
  splitExceptionGroup,
  taskGroup,
  timeout,
  waitFor,
  type Coroutine,
  type Instrument,
  type Task,
} from "../lib/index.js";
import { Schedule, retry, seededRandom } from "../lib/schedules/index.js";

/** The server misbehaves for a while: worth retrying. */
class TransientError extends Error {}
/** The server refuses for good (e.g. 403): no retry, abort the batch. */
class FatalError extends Error {}

function log(message: string): void {
  console.log(`[${(getRunningLoop().time() / 1000).toFixed(3).padStart(7)}s] ${message}`);
}

/** How the fake server answers each attempt: latency in ms, or an error after that latency. */
type Answer = number | { after: number; error: "transient" | "fatal" };
const server: Record<string, Answer[]> = {
  users: [300],
  orders: [2500, 400], // the first attempt hangs past the per-request timeout
  inventory: [{ after: 100, error: "transient" }, { after: 150, error: "transient" }, 250],
  prices: [700],
  billing: [{ after: 200, error: "fatal" }],
  reports: [4000, 4000, 4000],
};
const attempts: Record<string, number> = {};

/** One request: holds a connection while it waits, and always closes it, even when cancelled. */
function* request(name: string): Coroutine<string> {
  const attempt = (attempts[name] = (attempts[name] ?? 0) + 1);
  const answers = server[name];
  const answer = answers[Math.min(attempt, answers.length) - 1];
  log(`${name}: attempt ${attempt} — connection opened`);
  let outcome = "closed";
  try {
    if (typeof answer === "number") {
      yield* sleep(answer);
      return `${name}#${attempt}`;
    }
    yield* sleep(answer.after);
    throw answer.error === "fatal" ? new FatalError(`${name}: 403 forbidden`) : new TransientError(`${name}: 503`);
  } catch (e) {
    if (e instanceof CancelledError) outcome = "closed (cancelled)";
    throw e;
  } finally {
    log(`${name}: attempt ${attempt} — connection ${outcome}`);
  }
}

/**
 * When to retry a request: transient failures and per-request timeouts only, after 200, 400, …
 * ms (capped at 2 s), jittered from one seeded generator shared by all requests (their
 * retries do not line up, yet every run prints the same timeline), and at most 3 attempts.
 * A fatal error stops at once.
 */
const requestRetries = Schedule.exponential(200)
  .cappedAt(2000)
  .jittered(seededRandom(7), 0.5)
  .maxAttempts(3)
  .retryIf((e) => e instanceof TransientError || e instanceof TimeoutError);

/** One resource: each attempt has its own timeout; the schedule decides on retries. */
function fetchWithRetry(name: string, perRequestMs = 1000): Coroutine<string> {
  return retry(() => waitFor(request(name), perRequestMs), requestRetries, {
    onRetry: ({ error, delay }) =>
      log(`${name}: ${error instanceof TimeoutError ? "timed out" : (error as Error).message}; retrying in ${Math.round(delay)} ms`),
  });
}

/** Records the outcome somewhere durable: shielded, so a cancelled batch still writes it. */
function* audit(entry: string): Coroutine<void> {
  yield* sleep(50);
  log(`audit: ${entry}`);
}

/** Fetches a batch under a deadline; prints results in completion order. */
function* fetchBatch(title: string, names: string[], deadlineMs: number): Coroutine<void> {
  console.log(`\n== ${title}: ${names.join(", ")} (deadline ${deadlineMs} ms)`);
  const start = getRunningLoop().time();
  try {
    const results = yield* timeout(deadlineMs, function* () {
      return yield* taskGroup(function* (tg) {
        const tasks: Task<string>[] = names.map((n) => tg.createTask(fetchWithRetry(n), { name: n }));
        const got: string[] = [];
        for (const next of asCompleted(tasks)) {
          const value = yield* next;
          log(`got ${value}`);
          got.push(value);
        }
        return got;
      });
    });
    log(`batch done: ${results.join(", ")}`);
    yield* shield(audit(`${title} ok`));
  } catch (e) {
    if (e instanceof TimeoutError) {
      log(`batch deadline passed after ${getRunningLoop().time() - start} ms; everything it started was cancelled`);
    } else if (e instanceof ExceptionGroup) {
      const [fatal, rest] = splitExceptionGroup(e, FatalError);
      log(`batch aborted: ${e.message}`);
      if (fatal) log(`fatal: ${fatal.exceptions.map((x) => (x as Error).message).join("; ")}`);
      if (rest) throw rest; // anything unexpected goes up
    } else {
      throw e;
    }
    yield* shield(audit(`${title} failed`));
  }
}

function* main(): Coroutine<void> {
  yield* fetchBatch("batch 1", ["users", "orders", "inventory", "prices"], 5000);
  yield* fetchBatch("batch 2", ["users", "billing", "prices"], 5000);
  yield* fetchBatch("batch 3", ["reports", "users"], 1500);
}

/** Runs the workflow on a fresh virtual clock; `instruments` (a trace recorder, say) see all of it. */
export function runWorkflow(instruments: Instrument[] = []): void {
  const clock = new VirtualClock();
  run(main(), { clock, instruments });
  console.log(`\nfinished at ${Math.round(clock.now())} ms of virtual time`);
}

// `npm run workflow` runs it; `npm run trace` imports it to record a trace.
if (typeof process !== "undefined" && /[\\/]workflow\.js$/.test(process.argv[1] ?? "")) runWorkflow();
