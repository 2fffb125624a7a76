// spec/testing/runners/node-test.test.mjs, run with: node --test spec/testing/runners/node-test.test.mjs
import assert from "node:assert";
import { Event, createTask, gather, sleep } from "genloop";
import { it } from "node:test";
import { withGenerators } from "genloop/testing";

const test = withGenerators(it);

test("sleeps an hour of virtual time in no real time", function* (t) {
  const results = yield* gather(sleep(3_600_000, "slow"), sleep(10, "fast"));
  assert.deepStrictEqual(results, ["slow", "fast"]);
  assert.strictEqual(t.loop.time(), 3_600_000);
});

test.explore("both sleepers wake, in every order of equal deadlines", function* () {
  const woke = [];
  const sleeper = (name) => createTask((function* () { yield* sleep(5); woke.push(name); })());
  yield* gather(sleeper("a"), sleeper("b"));
  assert.deepStrictEqual(woke.sort(), ["a", "b"]);
}, { seeds: 20 });

test("fails at once: waits on an event nobody sets", function* () {
  yield* createTask((function* () { yield* new Event().wait(); })(), { name: "waiter" });
});
