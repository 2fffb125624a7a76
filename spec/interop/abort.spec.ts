// AbortSignal both ways (genloop/promise), against a real HTTP server on 127.0.0.1 and the
// host's own fetch: cancelling or timing out a task aborts its request, and an AbortSignal
// cancels a task or a whole runAsync.
import { expect } from "chai";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CancelledError, TimeoutError, createTask, ensureFuture, restartable, sleep, timeout, waitFor, RuntimeError } from "../../lib/index.js";
import { abortable, cancelOnAbort, fromPromise, runAsync, withAbortSignal } from "../../lib/interop/promise.js";
import { type Co } from "../helpers.js";

/** A server whose /slow requests never get an answer; it records which requests were aborted. */
interface SlowServer {
  url: string;
  /** Paths of the requests that arrived. */
  arrived: string[];
  /** Paths of the requests whose client went away before an answer. */
  aborted: string[];
  /** Resolves once `n` requests have been aborted. */
  abortedCount(n: number): Promise<void>;
  close(): Promise<void>;
}

async function startServer(): Promise<SlowServer> {
  const arrived: string[] = [];
  const aborted: string[] = [];
  const waiters: (() => void)[] = [];
  const open = new Set<ServerResponse>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? "";
    arrived.push(path);
    if (path.startsWith("/fast")) {
      res.end(`answer to ${path}`);
      return;
    }
    open.add(res);
    res.on("close", () => {
      open.delete(res);
      if (!res.writableEnded) {
        aborted.push(path);
        for (const w of waiters.splice(0)) w();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    arrived,
    aborted,
    async abortedCount(n) {
      const deadline = Date.now() + 5000;
      while (aborted.length < n) {
        if (Date.now() > deadline) throw new Error(`the server saw ${aborted.length} aborted requests, expected ${n}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
    async close() {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Waits in a coroutine until `check()` holds (polling the host through short sleeps). */
function* until(check: () => boolean): Co<void> {
  for (let i = 0; i < 500 && !check(); i++) yield* sleep(10);
  if (!check()) throw new Error("until: the condition never held");
}

describe("interop: AbortSignal both ways (real fetch against a local server)", function () {
  this.timeout(20000);
  let server: SlowServer;
  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it("fromPromise(signal => fetch(url, { signal })): a fetch that completes is not aborted", async () => {
    const body = await runAsync(
      (function* () {
        const res = yield* fromPromise((signal) => fetch(`${server.url}/fast/1`, { signal }));
        return yield* fromPromise(() => res.text());
      })(),
    );
    expect(body).to.equal("answer to /fast/1");
    expect(server.aborted).to.deep.equal([]);
  });

  it("cancelling the waiting task aborts the request: the server sees it, the reason carries the cancel message", async () => {
    let reason: unknown = null;
    const outcome = await runAsync(
      (function* () {
        const task = createTask(
          (function* () {
            return yield* fromPromise((signal) => {
              signal.addEventListener("abort", () => (reason = signal.reason));
              return fetch(`${server.url}/slow/cancel`, { signal });
            });
          })(),
        );
        yield* until(() => server.arrived.length === 1);
        task.cancel("the user navigated away");
        try {
          yield task;
          return "not cancelled";
        } catch (e) {
          return e instanceof CancelledError ? `cancelled: ${e.message}` : String(e);
        }
      })(),
    );
    await server.abortedCount(1);
    expect(outcome).to.equal("cancelled: the user navigated away");
    expect(server.aborted).to.deep.equal(["/slow/cancel"]);
    expect(reason).to.be.instanceOf(CancelledError);
    expect((reason as Error).message).to.equal("the user navigated away");
  });

  it("a timeout (waitFor, timeout scope) aborts the request when it expires", async () => {
    const outcome = await runAsync(
      (function* () {
        const results: string[] = [];
        try {
          yield* waitFor(fromPromise((signal) => fetch(`${server.url}/slow/waitFor`, { signal })), 100);
        } catch (e) {
          results.push(e instanceof TimeoutError ? "waitFor: TimeoutError" : String(e));
        }
        try {
          yield* timeout(100, function* () {
            return yield* fromPromise((signal) => fetch(`${server.url}/slow/timeout`, { signal }));
          });
        } catch (e) {
          results.push(e instanceof TimeoutError ? "timeout: TimeoutError" : String(e));
        }
        return results;
      })(),
    );
    await server.abortedCount(2);
    expect(outcome).to.deep.equal(["waitFor: TimeoutError", "timeout: TimeoutError"]);
    expect(server.aborted).to.deep.equal(["/slow/waitFor", "/slow/timeout"]);
  });

  it("withAbortSignal: a task's own signal aborts when the task is cancelled, for any host API it was handed to", async () => {
    const log: string[] = [];
    await runAsync(
      (function* () {
        const task = createTask(
          withAbortSignal(function* (signal) {
            // Started, not awaited: only the signal can stop it.
            fetch(`${server.url}/slow/background`, { signal }).catch((e: Error) => log.push(`fetch rejected: ${e.name}`));
            signal.addEventListener("abort", () => log.push("aborted"));
            yield* sleep(60_000);
          }),
        );
        yield* until(() => server.arrived.length === 1);
        task.cancel("done with it");
        yield* sleep(50);
      })(),
    );
    await server.abortedCount(1);
    expect(log[0]).to.equal("aborted");
    expect(server.aborted).to.deep.equal(["/slow/background"]);
  });

  it("runAsync(main, { signal }): aborting the signal cancels main; its cleanup runs; the server sees the abort", async () => {
    const controller = new AbortController();
    const log: string[] = [];
    const done = runAsync(
      (function* () {
        try {
          return yield* fromPromise((signal) => fetch(`${server.url}/slow/handler`, { signal }));
        } finally {
          log.push("cleanup ran");
        }
      })(),
      { signal: controller.signal },
    );
    while (server.arrived.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort(new Error("client went away"));
    let error: unknown = null;
    try {
      await done;
    } catch (e) {
      error = e;
    }
    await server.abortedCount(1);
    expect(error).to.be.instanceOf(CancelledError);
    expect((error as Error).message).to.equal("client went away");
    expect(log).to.deep.equal(["cleanup ran"]);
  });

  it("runAsync with a signal aborted already: main never runs", async () => {
    let ran = false;
    const error = await runAsync(
      (function* () {
        ran = true;
      })(),
      { signal: AbortSignal.abort("too late") },
    ).then(
      () => null,
      (e: unknown) => e,
    );
    expect([error instanceof CancelledError, (error as Error).message, ran]).to.deep.equal([true, "too late", false]);
  });

  it("cancelOnAbort: a signal cancels one task; stops following once the task is done", async () => {
    const controller = new AbortController();
    const out = await runAsync(
      (function* () {
        const task = ensureFuture(sleep(60_000));
        cancelOnAbort(task, controller.signal);
        const finished = ensureFuture(sleep(1, "ok"));
        const stop = cancelOnAbort(finished, controller.signal);
        yield* sleep(5);
        controller.abort("stop");
        yield* sleep(1);
        stop();
        return [task.cancelled(), finished.result()];
      })(),
    );
    expect(out).to.deep.equal([true, "ok"]);
  });

  it("abortable with restartable: a restarted instance aborts its own request", async () => {
    const search = restartable(
      abortable(function* searchFor(signal, q: string) {
        const res = yield* fromPromise(() => fetch(`${server.url}/slow/search?q=${q}`, { signal }));
        return res.status;
      }),
    );
    await runAsync(
      (function* () {
        search.perform("a");
        yield* until(() => server.arrived.length === 1);
        search.perform("ab");
        yield* until(() => server.arrived.length === 2);
        search.cancelAll();
        yield* sleep(10);
      })(),
    );
    await server.abortedCount(2);
    expect(search.name).to.equal("searchFor");
    expect(server.aborted).to.deep.equal(["/slow/search?q=a", "/slow/search?q=ab"]);
  });

  it("a clear error where the host has no AbortController", async () => {
    const saved = globalThis.AbortController;
    const out = await runAsync(
      (function* () {
        (globalThis as { AbortController?: unknown }).AbortController = undefined;
        const errors: string[] = [];
        try {
          yield* fromPromise((signal) => Promise.resolve(signal));
        } catch (e) {
          errors.push(`${(e as Error).name}: ${(e as Error).message}`);
        }
        // A function without the signal parameter still works.
        errors.push(String(yield* fromPromise(() => Promise.resolve("no signal needed"))));
        try {
          yield* withAbortSignal(function* () {});
        } catch (e) {
          errors.push(e instanceof RuntimeError ? "withAbortSignal: RuntimeError" : String(e));
        }
        globalThis.AbortController = saved;
        return errors;
      })(),
    ).finally(() => {
      globalThis.AbortController = saved;
    });
    expect(out[0]).to.match(/^RuntimeError: fromPromise: this host has no AbortController/);
    expect(out.slice(1)).to.deep.equal(["no signal needed", "withAbortSignal: RuntimeError"]);
  });

  it("rejects bad arguments", () => {
    expect(() => cancelOnAbort({} as never, new AbortController().signal)).to.throw(TypeError, /cancelOnAbort: a Task or Future was expected/);
    expect(() => withAbortSignal(1 as never)).to.throw(TypeError, /withAbortSignal: the body must be a function/);
    expect(() => abortable(1 as never)).to.throw(TypeError, /abortable: a generator function/);
    expect(() => runAsync((function* () {})(), { signal: {} as never })).to.throw(TypeError, /runAsync: options.signal: an AbortSignal was expected/);
  });
});
