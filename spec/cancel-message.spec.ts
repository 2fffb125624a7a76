// cancel(msg): where a message waits until it is delivered (a pending task's message sits in its
// loop's table of undelivered messages, a cancelled future's in its `_value`), that it is delivered
// once, replaced by a later request as asyncio does, and forgotten when withdrawn.
import { expect } from "chai";
import {
  CancelledError,
  Future,
  createTask,
  currentTask,
  gather,
  getRunningLoop,
  nonCancellable,
  shield,
  sleep,
  type Task,
} from "../lib/index.js";
import { type Co, vrun } from "./helpers.js";

/** The message of the CancelledError `body` throws, or what it returned / threw instead. */
function* messageOf(body: () => Co<unknown>): Co<string> {
  try {
    return `returned ${String(yield* body())}`;
  } catch (e) {
    return e instanceof CancelledError ? `CancelledError '${e.message}'` : `threw ${String(e)}`;
  }
}

/** The number of undelivered messages the running loop holds. */
function undelivered(): number {
  const messages = getRunningLoop()._cancelMessages;
  return messages === null ? 0 : messages.size;
}

describe("cancel(msg): messages", () => {
  it("cancel() without a message makes no table of messages", () => {
    const out = vrun(
      (function* () {
        const queued = createTask((function* () { yield* sleep(0); })());
        const sleeping = createTask((function* () { yield* sleep(10); })());
        yield* sleep(0);
        queued.cancel(); // queued for its next step: the request waits for it
        yield* sleep(1);
        sleeping.cancel();
        yield* sleep(1);
        return [queued.cancelled(), sleeping.cancelled(), getRunningLoop()._cancelMessages];
      })(),
    );
    expect(out).to.deep.equal([true, true, null]);
  });

  it("a queued task's message is delivered once, then forgotten: the next suspension is not cancelled", () => {
    const out = vrun(
      (function* () {
        const log: string[] = [];
        const task = createTask(
          (function* () {
            log.push(yield* messageOf(function* () { yield* sleep(0); }));
            log.push(`cancelling ${currentTask()!.uncancel()}`);
            log.push(yield* messageOf(function* () { yield* sleep(5); return "slept"; }));
          })(),
        );
        yield* sleep(0); // the task runs its first step: it is queued again, waiting for nothing
        task.cancel("first"); // the request waits for its next step
        const waiting = undelivered();
        yield* sleep(10);
        return [log, waiting, undelivered(), task.done() && !task.cancelled()];
      })(),
    );
    expect(out).to.deep.equal([["CancelledError 'first'", "cancelling 0", "returned slept"], 1, 0, true]);
  });

  it("a later cancel() without a message replaces an undelivered one, as in asyncio", () => {
    const out = vrun(
      (function* () {
        const task = createTask((function* () { yield* sleep(0); })());
        task.cancel("a");
        task.cancel();
        const left = undelivered();
        const message = yield* messageOf(function* () { return yield task; });
        return [message, left, task.cancelling()];
      })(),
    );
    expect(out).to.deep.equal(["CancelledError ''", 0, 2]);
  });

  it("a later cancel(msg) replaces the message of an undelivered request", () => {
    const out = vrun(
      (function* () {
        const task = createTask((function* () { yield* sleep(0); })());
        task.cancel("a");
        task.cancel("b");
        return [undelivered(), yield* messageOf(function* () { return yield task; }), undelivered()];
      })(),
    );
    expect(out).to.deep.equal([1, "CancelledError 'b'", 0]);
  });

  it("uncancel() down to zero withdraws the request and forgets its message", () => {
    const out = vrun(
      (function* () {
        const task = createTask((function* () { yield* sleep(0); return "done"; })());
        task.cancel("withdrawn");
        task.uncancel();
        const left = undelivered();
        const result = yield task;
        return [left, result];
      })(),
    );
    expect(out).to.deep.equal([0, "done"]);
  });

  it("a task cancelled right before it returns ends cancelled with the message", () => {
    const out = vrun(
      (function* () {
        const task = createTask(
          (function* () {
            currentTask()!.cancel("late");
            return 1;
          })(),
        );
        const message = yield* messageOf(function* () { return yield task; });
        return [message, undelivered()];
      })(),
    );
    expect(out).to.deep.equal(["CancelledError 'late'", 0]);
  });

  it("a task that ends with its own CancelledError hands it out once; later ones carry no message", () => {
    const out = vrun(
      (function* () {
        const own = new CancelledError("mine");
        const task: Task<unknown> = createTask(
          (function* () {
            yield* sleep(0);
            throw own;
          })(),
        );
        yield* sleep(1);
        const first = yield* messageOf(function* () { return task.result(); });
        let same = false;
        try {
          task.result();
        } catch (e) {
          same = e === own;
        }
        const second = yield* messageOf(function* () { return task.result(); });
        return [first, same, second];
      })(),
    );
    expect(out).to.deep.equal(["CancelledError 'mine'", false, "CancelledError ''"]);
  });

  it("a future cancelled with a message: result(), an awaiting task and gather(returnExceptions) see it", () => {
    const out = vrun(
      (function* () {
        const future = new Future<number>();
        const awaiting = createTask(messageOf(function* () { return yield future; }));
        const gathered = createTask(
          (function* () {
            const [settled] = yield* gather(future, { returnExceptions: true });
            return settled instanceof CancelledError ? `CancelledError '${settled.message}'` : `settled ${String(settled)}`;
          })(),
        );
        yield* sleep(0);
        future.cancel("stop");
        const results = yield* gather(awaiting, gathered);
        const direct = yield* messageOf(function* () { return future.result(); });
        return [direct, ...results];
      })(),
    );
    expect(out).to.deep.equal(["CancelledError 'stop'", "CancelledError 'stop'", "CancelledError 'stop'"]);
  });

  it("a message deferred by a non-cancellable scope is delivered once, after the scope", () => {
    const out = vrun(
      (function* () {
        const log: string[] = [];
        const task = createTask(
          (function* () {
            yield* nonCancellable(function* () {
              yield* sleep(10);
              log.push(`inside: ${undelivered()} waiting`);
            });
            log.push(yield* messageOf(function* () { yield* sleep(0); }));
            currentTask()!.uncancel();
            log.push(yield* messageOf(function* () { yield* sleep(0); return "again"; }));
          })(),
        );
        yield* sleep(1);
        task.cancel("deferred");
        yield* sleep(20);
        return [log, undelivered()];
      })(),
    );
    expect(out).to.deep.equal([["inside: 1 waiting", "CancelledError 'deferred'", "returned again"], 0]);
  });

  it("a scope's time limit cancels the block without losing the deferred request's message", () => {
    const out = vrun(
      (function* () {
        const task = createTask(
          (function* () {
            yield* nonCancellable(function* () { yield* sleep(100); }, { timeLimitMs: 10 });
          })(),
        );
        yield* sleep(1);
        task.cancel("outer");
        const message = yield* messageOf(function* () { return yield task; });
        return [message, undelivered()];
      })(),
    );
    expect(out).to.deep.equal(["CancelledError 'outer'", 0]);
  });

  it("a task waiting in shield() gets the message; the shielded task goes on", () => {
    const out = vrun(
      (function* () {
        const inner = createTask((function* () { yield* sleep(10); return "inner"; })());
        const outer = createTask(messageOf(function* () { return yield* shield(inner); }));
        yield* sleep(1);
        outer.cancel("shielded");
        const message = yield outer;
        return [message, yield inner, undelivered()];
      })(),
    );
    expect(out).to.deep.equal(["CancelledError 'shielded'", "inner", 0]);
  });

  it("a task that fails while a message is undelivered leaves nothing in the table", () => {
    const out = vrun(
      (function* () {
        const task = createTask(
          (function* () {
            yield* nonCancellable(function* () {
              yield* sleep(5);
              throw new Error("boom");
            });
          })(),
        );
        yield* sleep(1);
        task.cancel("lost to the error");
        const during = undelivered();
        const outcome = yield* messageOf(function* () { return yield task; });
        return [during, outcome, undelivered()];
      })(),
    );
    expect(out).to.deep.equal([1, "threw Error: boom", 0]);
  });
});
