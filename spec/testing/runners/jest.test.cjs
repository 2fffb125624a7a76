// spec/testing/runners/jest.test.cjs, run with: jest --config spec/testing/runners/jest.config.cjs
const assert = require("node:assert");
const { Event, createTask, gather, sleep } = require("genloop");
const { withGenerators } = require("genloop/testing");

const genTest = withGenerators(test); // jest's global `test`

genTest("sleeps an hour of virtual time in no real time", function* (t) {
  const results = yield* gather(sleep(3_600_000, "slow"), sleep(10, "fast"));
  assert.deepStrictEqual(results, ["slow", "fast"]);
  assert.strictEqual(t.loop.time(), 3_600_000);
});

genTest.explore("both sleepers wake, in every order of equal deadlines", function* () {
  const woke = [];
  const sleeper = (name) => createTask((function* () { yield* sleep(5); woke.push(name); })());
  yield* gather(sleeper("a"), sleeper("b"));
  assert.deepStrictEqual(woke.sort(), ["a", "b"]);
}, { seeds: 20 });

genTest("fails at once: waits on an event nobody sets", function* () {
  yield* createTask((function* () { yield* new Event().wait(); })(), { name: "waiter" });
});
