import { expect } from "chai";
import { CancelledError, EventLoop, VirtualClock, callback, defineEffect, sleep, spawn, type Coroutine, type Effect } from "../../lib/index.js";
import { fromPromise } from "../../lib/interop/promise.js";
import { FakeHost, FakeThenable, TestFailure, runTest } from "../../lib/testing/index.js";

/** A coroutine waiting on one effect (tasks are made of coroutines). */
function* waitOn<T>(effect: Effect<T>): Coroutine<T> {
  return yield* effect;
}

describe("FakeHost", () => {
  it("a callback operation completes when the test resolves it, at the loop time it chooses", () => {
    const out = runTest(function* (t) {
      const load = yield* spawn(waitOn(callback<string>(t.host.setup("readFile", "a.txt"))));
      const call = yield* t.host.started("readFile");
      expect(call.name).to.equal("readFile");
      expect(call.args).to.deep.equal(["a.txt"]);
      expect(call.task).to.equal(load);
      expect(String(call)).to.equal('fake readFile("a.txt")');
      call.resolveAfter(250, "contents");
      const text = yield* load;
      expect(call.state).to.equal("resolved");
      expect(call.disposed).to.equal(true);
      return [text, t.loop.time()];
    });
    expect(out).to.deep.equal(["contents", 250]);
  });

  it("reject and rejectAfter throw any value into the waiting task", () => {
    runTest(function* (t) {
      for (const value of [new Error("EIO"), null, 0]) {
        const op = yield* spawn(waitOn(callback(t.host.setup("op"))));
        const call = yield* t.host.started("op");
        call.rejectAfter(5, value);
        let caught: unknown = "nothing";
        try {
          yield* op;
        } catch (error) {
          caught = error;
        }
        expect(caught).to.equal(value);
        expect(call.state).to.equal("rejected");
      }
    });
  });

  it("cancelling the waiting task cancels the operation and runs its cleanup; a late reply is ignored", () => {
    runTest(function* (t) {
      const op = yield* spawn(waitOn(callback(t.host.setup("slow"))));
      const call = yield* t.host.started("slow");
      call.resolveAfter(1_000, "late");
      op.cancel();
      let caught: unknown;
      try {
        yield* op;
      } catch (error) {
        caught = error;
      }
      expect(caught).to.be.instanceOf(CancelledError);
      expect(call.state).to.equal("cancelled");
      expect(call.disposed).to.equal(true);
      expect(call.resolve("later still")).to.equal(false);
      expect(t.host.pending()).to.deep.equal([]);
      // resolveAfter's timer went with the cancellation: nothing is left scheduled.
      expect(t.loop.nextDeadline()).to.equal(null);
    });
  });

  it("respond decides each operation's outcome as it starts", () => {
    runTest(function* (t) {
      let n = 0;
      t.host.respond("counter", (call) => call.resolveAfter(10, ++n));
      const a = yield* callback<number>(t.host.setup("counter"));
      const b = yield* callback<number>(t.host.setup("counter"));
      expect([a, b, t.loop.time()]).to.deep.equal([1, 2, 20]);
      t.host.respond("now", (call) => call.resolve("sync"));
      expect(yield* callback<string>(t.host.setup("now"))).to.equal("sync");
      expect(t.host.calls.map((c) => c.state)).to.deep.equal(["resolved", "resolved", "resolved"]);
    });
  });

  it("started() hands out each operation once, in start order, by name or any", () => {
    runTest(function* (t) {
      const ops = [t.host.setup("x", 1), t.host.setup("y", 2), t.host.setup("x", 3)].map((setup) => t.loop.createTask(waitOn(callback(setup))));
      const firstX = yield* t.host.started("x");
      const any = yield* t.host.started();
      const secondX = yield* t.host.started("x");
      expect([firstX.args, any.args, secondX.args]).to.deep.equal([[1], [2], [3]]);
      for (const call of [firstX, any, secondX]) call.resolve(undefined);
      for (const op of ops) yield op;
    });
  });

  it("promise(): a thenable that fromPromise waits on; the caller giving up leaves it pending", () => {
    runTest(function* (t) {
      const op = yield* spawn(waitOn(fromPromise(() => t.host.promise<number>("compute", 6))));
      const call = yield* t.host.started("compute");
      call.resolveAfter(3, 42);
      expect(yield* op).to.equal(42);

      const abandoned = yield* spawn(waitOn(fromPromise(() => t.host.promise<number>("compute", 7))));
      const second = yield* t.host.started("compute");
      abandoned.cancel();
      try {
        yield* abandoned;
      } catch {
        // cancelled
      }
      expect(second.state).to.equal("pending"); // a promise cannot be cancelled
      second.resolve(0);
    });
  });

  it("fetch() with an AbortSignal: aborting ends the operation as cancelled and rejects with the reason", () => {
    runTest(function* (t) {
      const controller = new AbortController();
      let caught: unknown;
      const op = yield* spawn(
        (function* (): Coroutine<void> {
          try {
            yield* fromPromise(t.host.fetch("/user", { signal: controller.signal }));
          } catch (error) {
            caught = error;
          }
        })(),
      );
      const call = yield* t.host.started("fetch");
      expect(call.args[0]).to.equal("/user");
      yield* sleep(10);
      controller.abort();
      yield* op;
      expect(call.aborted).to.equal(true);
      expect(call.disposed).to.equal(true);
      expect(call.state).to.equal("cancelled");
      expect((caught as Error).name).to.equal("AbortError");
      // An already aborted signal ends the fetch at once.
      const pre = new AbortController();
      pre.abort("gone");
      let reason: unknown;
      yield* fromPromise(t.host.fetch("/x", { signal: pre.signal }).then(null, (r) => (reason = r)));
      expect(reason).to.equal("gone");
    });
  });

  it("fetch() completes normally and removes its abort listener", () => {
    runTest(function* (t) {
      t.host.respond("fetch", (call) => call.resolveAfter(20, { status: 200 }));
      const controller = new AbortController();
      const response = yield* fromPromise(t.host.fetch("/ok", { signal: controller.signal }));
      expect(response).to.deep.equal({ status: 200 });
      controller.abort();
      expect(t.host.calls[0].aborted).to.equal(false);
      expect(t.host.calls[0].state).to.equal("resolved");
    });
  });

  it("handle(kind) fakes a user-defined effect; the descriptor is the call's argument", () => {
    const kvGet = defineEffect<{ key: string }, string>("kv.get");
    runTest(function* (t) {
      t.host.handle(kvGet);
      t.host.respond("kv.get", (call) => call.resolve(`value of ${(call.args[0] as { key: string }).key}`));
      expect(yield* kvGet({ key: "a" })).to.equal("value of a");
    });
  });

  it("a test stuck on a fake operation names it, the task and when it started", () => {
    let error: unknown;
    try {
      runTest(function* (t) {
        yield* sleep(5);
        const worker = yield* spawn(waitOn(fromPromise(() => t.host.fetch("/never"))), { name: "loader" });
        yield* worker;
      });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(TestFailure);
    expect((error as TestFailure).tasks).to.equal(
      [
        "Task 'test body' (pending): task 'loader'",
        "└── Task 'loader' (pending): host promise",
        "fake host operations never completed:",
        `- fake fetch("/never"), started at 5 ms by task 'loader'`,
      ].join("\n"),
    );
  });

  it("FakeThenable chains like a promise and settles once", () => {
    const source = new FakeThenable<number>();
    const seen: unknown[] = [];
    source
      .then((v) => v * 2)
      .then((v) => {
        throw v + 1;
      })
      .then(null, (e) => seen.push(e));
    const adopted = new FakeThenable<string>();
    source.then(() => adopted).then((v) => seen.push(v));
    expect(source.settle(true, 5)).to.equal(true);
    expect(source.settle(true, 6)).to.equal(false);
    adopted.settle(true, "adopted");
    source.then((v) => seen.push(`late ${v}`));
    expect(seen).to.deep.equal([11, "adopted", "late 5"]);
  });

  it("validates its arguments", () => {
    expect(() => new FakeHost(null as never)).to.throw(TypeError, /expected the EventLoop/);
    const host = new FakeHost(new EventLoop({ clock: new VirtualClock() }));
    expect(() => host.setup("")).to.throw(TypeError, /operation name must be a non-empty string/);
    expect(() => host.respond("x", 5 as never)).to.throw(TypeError, /responder must be a function/);
    expect(() => host.fetch("/x", { signal: {} as never })).to.throw(TypeError, /init.signal must be an AbortSignal/);
    const call = host.calls[0];
    expect(() => call.resolveAfter("soon" as never, 1)).to.throw(TypeError, /delay must be a number/);
  });
});
