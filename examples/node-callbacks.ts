// Wrapping Node callback APIs with the `callback` effect, on a loop driven by Node's own event
// loop (a TimerDriver), so the process never blocks: file reads run concurrently, a slow read
// is cut off (its disposer aborts it), and the result comes back to Node as a promise.
//   node build/examples/node-callbacks.js
import { readFile } from "node:fs";
import { fileURLToPath } from "node:url";
import { CancelledError, EventLoop, callback, createTask, gather, sleep, startTimerDriver, type Coroutine } from "../lib/index.js";
import { toPromise } from "../lib/interop/promise.js";

/** fs.readFile as an effect: the read is aborted if the waiting task is cancelled. */
function readText(path: string) {
  return callback<string>((resolve, reject) => {
    const controller = new AbortController();
    readFile(path, { encoding: "utf8", signal: controller.signal }, (error, text) => (error ? reject(error) : resolve(text)));
    return () => controller.abort(); // runs once the read is over, or when it is cancelled
  });
}

/** A Node timer as an effect (genloop's own `sleep` would do; this shows a disposer at work). */
function hostDelay(ms: number) {
  return callback<void>((resolve) => {
    const id = setTimeout(resolve, ms);
    return () => clearTimeout(id);
  });
}

const root = (name: string) => fileURLToPath(new URL(`../../${name}`, import.meta.url));

function* main(): Coroutine<string[]> {
  const report: string[] = [];
  // Two reads at once; gather keeps the argument order.
  const [pkg, tsconfig] = yield* gather(readText(root("package.json")), readText(root("tsconfig.json")));
  report.push(`package.json: ${JSON.parse(pkg).name}, tsconfig.json: ${tsconfig.length} bytes`);

  // A missing file: the error is thrown into the coroutine like any other.
  try {
    yield* readText(root("no-such-file"));
  } catch (error) {
    report.push(`missing file: ${(error as NodeJS.ErrnoException).code}`);
  }

  // Cancel a slow host operation: its disposer clears the Node timer.
  const slow = createTask(
    (function* () {
      yield* hostDelay(60_000);
      return "never";
    })(),
  );
  yield* sleep(10);
  slow.cancel("took too long");
  try {
    yield* slow;
  } catch (error) {
    report.push(`slow task: ${error instanceof CancelledError ? `cancelled (${error.message})` : String(error)}`);
  }
  return report;
}

const loop = new EventLoop();
const driver = startTimerDriver(loop);
toPromise(loop.createTask(main())).then(
  (report) => {
    driver.stop();
    loop.close();
    for (const line of report) console.log(line);
  },
  (error: unknown) => {
    driver.stop();
    loop.close();
    console.error(error);
    process.exitCode = 1;
  },
);
