// Search-as-you-type with a restartable task policy, on a virtual clock.
//
// A user types "genloop" one key at a time. Every keystroke performs the search task; the
// restartable policy cancels the search in flight, so a slow answer for an old prefix can
// never overwrite the results of a newer one. The task debounces (waits 150 ms before
// calling the "server"), so fast typing sends one request, and a cancelled request cleans
// up in its `finally`. A keepLatest "save draft" task shows the other common shape: at most
// one save runs, and only the newest pending draft is saved after it.
import {
  CancelledError,
  VirtualClock,
  getRunningLoop,
  restartable,
  keepLatest,
  run,
  sleep,
  type Coroutine,
} from "../lib/index.js";

const WORDS = ["gen", "generator", "genloop", "genome", "general", "loop", "logic"];

function t(): string {
  return `${String(getRunningLoop().time()).padStart(5)} ms`;
}

/** A fake server: slower for short prefixes (more matches to rank). */
function* fetchSuggestions(prefix: string): Coroutine<string[]> {
  const latency = 400 - prefix.length * 40;
  console.log(`${t()}  → GET /suggest?q=${prefix} (takes ${latency} ms)`);
  try {
    yield* sleep(latency);
  } catch (error) {
    console.log(`${t()}  ✗ GET /suggest?q=${prefix} aborted`); // e.g. abort the HTTP request here
    throw error;
  }
  return WORDS.filter((w) => w.startsWith(prefix));
}

function* main(): Coroutine<void> {
  let shown: string[] = [];

  const search = restartable(
    function* (query: string): Coroutine<string[]> {
      try {
        yield* sleep(150); // debounce: a newer keystroke restarts us before we ask the server
        const results = yield* fetchSuggestions(query);
        shown = results;
        console.log(`${t()}  ✓ "${query}" → [${results.join(", ")}]`);
        return results;
      } catch (error) {
        if (error instanceof CancelledError) console.log(`${t()}  ✗ search "${query}" restarted`);
        throw error;
      }
    },
    { name: "search" },
  );

  const saveDraft = keepLatest(
    function* (text: string): Coroutine<void> {
      console.log(`${t()}  💾 saving draft "${text}"`);
      yield* sleep(300);
      console.log(`${t()}  💾 saved "${text}"`);
    },
    { name: "saveDraft" },
  );

  // The user types g-e-n-l-o-o-p: quickly, pausing after "gen" and (briefly) after "genl".
  const keystrokes: [number, string][] = [
    [0, "g"],
    [80, "ge"],
    [160, "gen"],
    [700, "genl"],
    [900, "genlo"],
    [960, "genloo"],
    [1020, "genloop"],
  ];
  let at = 0;
  for (const [when, text] of keystrokes) {
    yield* sleep(when - at);
    at = when;
    console.log(`${t()}  ⌨  "${text}"   (search running: ${search.isRunning}, performed ${search.performCount}×)`);
    search.perform(text);
    saveDraft.perform(text);
  }

  // Wait for the last search; earlier instances were cancelled, never shown.
  const final = yield* search.lastPerformed!;
  yield* sleep(1000);
  console.log();
  console.log(`final suggestions: [${final.join(", ")}] (shown: [${shown.join(", ")}])`);
  console.log(
    `search: performCount ${search.performCount}, lastSuccessful is the last perform: ${search.lastSuccessful === search.lastPerformed}`,
  );
  console.log(`saveDraft: performCount ${saveDraft.performCount}, idle: ${saveDraft.isIdle}`);
  console.log(`virtual time at the end: ${getRunningLoop().time()} ms`);
}

const started = Date.now();
run(main(), { clock: new VirtualClock() });
console.log(`(${Date.now() - started} ms of real time)`);
