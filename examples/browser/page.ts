/// <reference lib="dom" />
// The page of examples/browser: a search box wired to a `restartable` policy. Each keystroke
// performs a search; the previous instance is cancelled and its fetch aborted (through the
// instance's AbortSignal). The results list shows the latest result set, and a task on the
// same loop renders the live tasks. server.ts bundles this file with esbuild from the ESM
// build (dist/esm) and serves it with a fake backend.
import { EventLoop, allTasks, restartable, sleep, startTimerDriver, type Coroutine } from "../../lib/index.js";
import { abortable, fromPromise } from "../../lib/interop/promise.js";

interface Hit {
  title: string;
}

/** What the page did, for people and for the browser test (read from `window.searchStats`). */
const stats = { sent: 0, aborted: 0, resultSets: 0 };
(window as unknown as { searchStats: typeof stats }).searchStats = stats;

const input = document.getElementById("q") as HTMLInputElement;
const status = document.getElementById("status") as HTMLElement;
const results = document.getElementById("results") as HTMLUListElement;
const tasks = document.getElementById("tasks") as HTMLElement;
const statsView = document.getElementById("stats") as HTMLElement;

// The page's loop runs on the browser's timers; host events (input, fetch) wake it.
const loop = new EventLoop();
startTimerDriver(loop);

const search = restartable(
  abortable(function* searchFor(signal, query: string): Coroutine<{ query: string; hits: Hit[] }> {
    stats.sent++;
    const request = fetch(`/api/search?q=${encodeURIComponent(query)}`, { signal });
    request.catch(() => {
      if (signal.aborted) stats.aborted++;
    });
    const response = yield* fromPromise(request);
    if (!response.ok) throw new Error(`search failed: HTTP ${response.status}`);
    const hits = (yield* fromPromise(() => response.json())) as Hit[];
    return { query, hits };
  }),
  { loop, name: "search" },
);

input.addEventListener("input", () => {
  search.perform(input.value);
});

let shown: unknown = null;
search.subscribe((policy) => {
  const last = policy.lastSuccessful;
  if (last !== null && last.result() !== shown) {
    const { query, hits } = last.result();
    shown = last.result();
    stats.resultSets++;
    results.replaceChildren(
      ...hits.map((hit) => {
        const li = document.createElement("li");
        li.textContent = hit.title;
        return li;
      }),
    );
    results.dataset.query = query;
  }
  const error = policy.lastErrored;
  status.textContent = policy.isRunning
    ? `Searching for “${input.value}”…`
    : error !== null && error === policy.lastComplete
      ? String(error.exception())
      : `${results.children.length} results for “${results.dataset.query ?? ""}”`;
});

// The live task view: a task of the same loop lists the loop's pending tasks every 50 ms.
loop.createTask(
  (function* taskView(): Coroutine<void> {
    for (;;) {
      const lines: string[] = [];
      for (const task of allTasks()) lines.push(String(task));
      tasks.textContent = lines.join("\n");
      statsView.textContent = `requests sent: ${stats.sent}, aborted: ${stats.aborted}, result sets shown: ${stats.resultSets}`;
      yield* sleep(50);
    }
  })(),
  { name: "task-view" },
);
