// The minimal program (scripts/size/minimal.js) written for Effection: run, spawn, sleep, a
// halted task and all() of a task and a coroutine.
import { all, run, sleep, spawn } from "effection";

function* child(n) {
  yield* sleep(10);
  return n;
}

run(function* () {
  const first = yield* spawn(() => child(1));
  const doomed = yield* spawn(() => child(2));
  yield* doomed.halt();
  return yield* all([first, child(3)]);
}).then((result) => console.log(result));
