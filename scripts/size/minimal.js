// The minimal program of the size budget: run, spawn and createTask, sleep, gather, cancellation,
// from genloop/core (size.mjs also measures it importing from "genloop").
import { CancelledError, createTask, gather, run, sleep, spawn } from "genloop/core";

function* child(n) {
  yield* sleep(10);
  return n;
}

const result = run(
  (function* () {
    const first = yield* spawn(child(1));
    const doomed = createTask(child(2));
    doomed.cancel();
    try {
      yield* doomed;
    } catch (error) {
      if (!(error instanceof CancelledError)) throw error;
    }
    return yield* gather(first, child(3));
  })(),
);
console.log(result);
