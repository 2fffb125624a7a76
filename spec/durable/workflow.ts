// A workflow for the durable specs: several tasks, gather, sleeps, user-defined effects that
// succeed and fail, a callback, a journaled random number. Its trace is what it logs.
import { callback, defineEffect, gather, getRunningLoop, sleep, spawn, type EffectHandlers } from "../../lib/index.js";
import { random } from "../../lib/durable/index.js";
import type { Co } from "../helpers.js";

export const fetchText = defineEffect<{ url: string }, { status: number; body: string }>("test.fetch");

function* worker(name: string, count: number, log: string[]): Co<number> {
  let total = 0;
  for (let i = 0; i < count; i++) {
    const response = yield* fetchText({ url: `${name}/${i}` });
    log.push(`${name} got ${response.body} at ${getRunningLoop().time()}`);
    total += response.body.length;
    yield* sleep(10 * (i + 1));
  }
  return total;
}

export function* workflow(log: string[]): Co<string> {
  const roll = yield* random();
  log.push(`rolled ${roll}`);
  const a = yield* spawn(worker("a", 3, log), { name: "a" });
  const b = yield* spawn(worker("b", 2, log));
  const [ta, tb] = yield* gather(a, b);
  try {
    yield* fetchText({ url: "fail" });
  } catch (error) {
    const e = error as Error & { code?: string };
    log.push(`caught ${e.name}: ${e.message} code=${e.code}`);
  }
  const answer = yield* callback<number>((resolve) => resolve(ta + tb));
  log.push(`answer ${answer} at ${getRunningLoop().time()}`);
  return `done ${answer}`;
}

/** Handlers answering at once; `calls` counts the calls. */
export function handlers(calls: { count: number } = { count: 0 }): EffectHandlers {
  return {
    "test.fetch": (effect, ctx) => {
      calls.count++;
      const url = (effect as { url: string }).url;
      if (url === "fail") ctx.reject(Object.assign(new TypeError("boom"), { code: "E42" }));
      else ctx.resolve({ status: 200, body: url.toUpperCase() });
    },
  };
}
