// Context variables against a live CPython: the scenarios of spec/context/cpython.py, run on
// asyncio and on genloop, must give the same results. Skipped when no Python >= 3.11 is found
// (the reference is 3.13: `PYENV_VERSION=3.13.0 python3` is tried first).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import {
  Context,
  ContextVar,
  EventLoop,
  VirtualClock,
  copyContext,
  createTask,
  currentTask,
  ensureFuture,
  gather,
  getRunningLoop,
  run,
  shield,
  sleep,
  taskGroup,
  timeout,
  waitFor,
  type Coroutine,
  type Task,
} from "../../lib/index.js";
import { findPython } from "../differential/oracle.js";

const SCRIPT = fileURLToPath(new URL("../../../spec/context/cpython.py", import.meta.url));
const cv = new ContextVar("cv", { default: "-" });

function* callbacks(): Coroutine<unknown[]> {
  const out: unknown[] = [];
  const loop = getRunningLoop();
  cv.set("a");
  loop.callSoon(() => out.push(["soon", cv.get()]));
  loop.callLater(1, () => out.push(["later", cv.get()]));
  loop.callAt(loop.time() + 1, () => out.push(["at", cv.get()]));
  const given = new Context();
  loop.callSoon({ context: given }, (tag: string) => out.push([tag, cv.get()]), "given");
  loop.callSoon(() => {
    cv.set("from-cb");
    out.push(["cb-set", cv.get()]);
  });
  loop.callSoon({ context: currentTask()!.getContext() }, () => cv.set("into-task"));
  loop.callSoonThreadsafe({ context: given }, () => out.push(["threadsafe", cv.get()]));
  cv.set("b");
  yield* sleep(10);
  out.push(["task after", cv.get()]);
  out.push(["given size", given.size]);
  return out;
}

function* doneCallbacks(): Coroutine<unknown[]> {
  const out: unknown[] = [];
  const loop = getRunningLoop();
  const given = new Context();
  const f = loop.createFuture<number>();
  cv.set("c");
  f.addDoneCallback(() => out.push(["done", cv.get()]));
  f.addDoneCallback(() => out.push(["done-given", cv.get()]), { context: given });
  f.addDoneCallback(() => cv.set("set by done callback"), { context: currentTask()!.getContext() });
  cv.set("d");
  f.setResult(1);
  yield* sleep(0);
  f.addDoneCallback(() => out.push(["late", cv.get()]));
  yield* sleep(0);
  out.push(["task after", cv.get()]);
  return out;
}

function* child(name: string): Coroutine<string[]> {
  const seen = cv.get();
  cv.set(name);
  yield* sleep(0);
  return [seen, cv.get()];
}

function* setIt(value: string): Coroutine<string> {
  cv.set(value);
  return cv.get();
}

function* composition(): Coroutine<unknown[]> {
  const out: unknown[] = [];
  cv.set("e");
  out.push(["gather", yield* gather(child("x"), child("y")), cv.get()]);
  out.push(["wait_for", yield* waitFor(setIt("wf"), 1000), cv.get()]);
  cv.set("f");
  out.push(["shield", yield* shield(setIt("sh")), cv.get()]);
  yield* timeout(1000, function* () {
    cv.set("in-timeout");
  });
  out.push(["timeout", cv.get()]);
  cv.set("g");
  let t: Task<string[]> | null = null;
  yield* taskGroup(function* (tg) {
    t = tg.createTask(child("tg"));
    cv.set("body");
  });
  out.push(["task group", t!.result(), cv.get()]);
  const task = ensureFuture(child("ensured"));
  cv.set("h");
  out.push(["ensure_future", yield* task, cv.get()]);
  return out;
}

function* givenContexts(): Coroutine<unknown[]> {
  const out: unknown[] = [];
  const ctx = copyContext();
  cv.set("i");
  yield* createTask(setIt("given"), { context: ctx });
  out.push(["given", ctx.get(cv), cv.get()]);
  yield* createTask(setIt("shared"), { context: currentTask()!.getContext() });
  out.push(["shared", cv.get()]);
  const t1 = createTask(child("one"), { context: ctx });
  const t2 = createTask(child("two"), { context: ctx });
  out.push(["two tasks, one context", yield* t1, yield* t2, ctx.get(cv)]);
  return out;
}

function entered(): unknown[] {
  const out: unknown[] = [];
  const loop = new EventLoop({ clock: new VirtualClock() });
  loop.setExceptionHandler(() => {});
  const ctx = new Context();
  function* body(): Coroutine<void> {
    out.push("ran");
  }
  const t = loop.createTask(body(), { context: ctx });
  ctx.run(() => {
    loop.callSoon(() => loop.stop());
    loop.runForever();
  });
  out.push(["done after entered step", t.done()]);
  const t2 = loop.createTask(body(), { context: ctx });
  loop.runUntilComplete(t2);
  out.push(["done when not entered", t2.done()]);
  t.cancel();
  loop.callSoon(() => loop.stop());
  loop.runForever();
  loop.close();
  return out;
}

function genloopResults(): Record<string, unknown> {
  const results: Record<string, unknown> = {};
  const scenarios: [string, () => Coroutine<unknown[]>][] = [
    ["callbacks", callbacks],
    ["doneCallbacks", doneCallbacks],
    ["composition", composition],
    ["givenContexts", givenContexts],
  ];
  for (const [name, main] of scenarios) results[name] = run(main(), { clock: new VirtualClock() });
  results.entered = entered();
  return results;
}

describe("context: the same scenarios on CPython's asyncio and on genloop", function () {
  this.timeout(60000);
  const python = findPython();
  const ours = genloopResults();
  const theirs: Record<string, unknown> = {};

  before(function () {
    if (python === null) this.skip();
    const r = spawnSync(python.command, [SCRIPT], { env: python.env, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`cpython.py failed: ${r.stderr}`);
    Object.assign(theirs, JSON.parse(r.stdout.trim().split("\n").pop()!));
  });

  for (const name of Object.keys(ours)) {
    it(`${name}: genloop gives asyncio's results`, () => {
      expect(ours[name]).to.deep.equal(theirs[name]);
    });
  }
});
