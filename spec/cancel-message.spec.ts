// cancel(msg): where a message is kept (a task's on record in a table off the task, as asyncio's
// `_cancel_message`; a cancelled future's in its `_value`), that it is delivered once, replaced by
// a later request as asyncio does, and still there for a gather cancelled after the task ended.
import { expect } from "chai";
import {
  CancelledError,
  Future,
  createTask,
  currentTask,
  gather,
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

/** The cancel message `task` has on record (asyncio's `_cancel_message`). */
function recorded(task: Task<unknown>): string | undefined {
  return task._cancelMessage();
}

class Boom extends Error {}

describe("cancel(msg): messages", () => {
  it("cancel() without a message records none", () => {
    const out = vrun(
      (function* () {
        const queued = createTask((function* () { yield* sleep(0); })());
        const sleeping = createTask((function* () { yield* sleep(10); })());
        yield* sleep(0);
        queued.cancel(); // queued for its next step: the request waits for it
        yield* sleep(1);
        sleeping.cancel();
        yield* sleep(1);
        return [queued.cancelled(), sleeping.cancelled(), recorded(queued), recorded(sleeping)];
      })(),
    );
    expect(out).to.deep.equal([true, true, undefined, undefined]);
  });

  it("a queued task's message is delivered once: the next suspension is not cancelled", () => {
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
        const waiting = recorded(task);
        yield* sleep(10);
        return [log, waiting, task.done() && !task.cancelled()];
      })(),
    );
    expect(out).to.deep.equal([["CancelledError 'first'", "cancelling 0", "returned slept"], "first", true]);
  });

  it("a later cancel() without a message replaces an undelivered one, as in asyncio", () => {
    const out = vrun(
      (function* () {
        const task = createTask((function* () { yield* sleep(0); })());
        task.cancel("a");
        task.cancel();
        const left = recorded(task);
        const message = yield* messageOf(function* () { return yield task; });
        return [message, left, task.cancelling()];
      })(),
    );
    expect(out).to.deep.equal(["CancelledError ''", undefined, 2]);
  });

  it("a later cancel(msg) replaces the message of an undelivered request", () => {
    const out = vrun(
      (function* () {
        const task = createTask((function* () { yield* sleep(0); })());
        task.cancel("a");
        task.cancel("b");
        return [recorded(task), yield* messageOf(function* () { return yield task; })];
      })(),
    );
    expect(out).to.deep.equal(["b", "CancelledError 'b'"]);
  });

  it("uncancel() down to zero withdraws the request: the task runs on", () => {
    const out = vrun(
      (function* () {
        const task = createTask((function* () { yield* sleep(0); return "done"; })());
        task.cancel("withdrawn");
        task.uncancel();
        const result = yield task;
        return [result, task.cancelled()];
      })(),
    );
    expect(out).to.deep.equal(["done", false]);
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
        return yield* messageOf(function* () { return yield task; });
      })(),
    );
    expect(out).to.equal("CancelledError 'late'");
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
              log.push(`inside: '${recorded(currentTask()!)}' waiting`);
            });
            log.push(yield* messageOf(function* () { yield* sleep(0); }));
            currentTask()!.uncancel();
            log.push(yield* messageOf(function* () { yield* sleep(0); return "again"; }));
          })(),
        );
        yield* sleep(1);
        task.cancel("deferred");
        yield* sleep(20);
        return log;
      })(),
    );
    expect(out).to.deep.equal(["inside: 'deferred' waiting", "CancelledError 'deferred'", "returned again"]);
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
        return yield* messageOf(function* () { return yield task; });
      })(),
    );
    expect(out).to.equal("CancelledError 'outer'");
  });

  it("a task waiting in shield() gets the message; the shielded task goes on", () => {
    const out = vrun(
      (function* () {
        const inner = createTask((function* () { yield* sleep(10); return "inner"; })());
        const outer = createTask(messageOf(function* () { return yield* shield(inner); }));
        yield* sleep(1);
        outer.cancel("shielded");
        const message = yield outer;
        return [message, yield inner];
      })(),
    );
    expect(out).to.deep.equal(["CancelledError 'shielded'", "inner"]);
  });

  it("a gather cancelled through a running child that then fails: the CancelledError carries the child's message", () => {
    // CPython 3.13 gives CancelledError('m4'): the child keeps the message after it has failed.
    const out = vrun(
      (function* () {
        const main = currentTask()!;
        const child = createTask(
          (function* () {
            try {
              main.cancel("m4"); // cancels the gather, which cancels this child (running: recorded)
            } finally {
              throw new Boom("e5");
            }
          })(),
        );
        const message = yield* messageOf(function* () { return yield* gather(child, { returnExceptions: true }); });
        main.uncancel();
        return [message, child.failed(), recorded(child)];
      })(),
    );
    expect(out).to.deep.equal(["CancelledError 'm4'", true, "m4"]);
  });

  it("a task that ends with its own CancelledError keeps no message on record", () => {
    const out = vrun(
      (function* () {
        const task = createTask(
          (function* () {
            currentTask()!.cancel("asked");
            yield* sleep(0);
          })(),
        );
        const message = yield* messageOf(function* () { return yield task; });
        return [message, recorded(task)];
      })(),
    );
    expect(out).to.deep.equal(["CancelledError 'asked'", undefined]);
  });
});
