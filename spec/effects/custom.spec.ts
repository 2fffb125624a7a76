import { expect } from "chai";
import {
  CancelledError,
  DeadlockError,
  EventLoop,
  RuntimeError,
  UserEffect,
  VirtualClock,
  defineEffect,
  ensureFuture,
  getRunningLoop,
  run,
  runDue,
  sleep,
} from "../../lib/index.js";
import type { EffectContext } from "../../lib/index.js";
import { catchError, type Co } from "../helpers.js";

const readFile = defineEffect<{ path: string }, string>("fs.readFile");
const tick = defineEffect("app.tick");

function* cat(path: string): Co<string> {
  const text = yield* readFile({ path });
  return text.toUpperCase();
}

describe("effects: user-defined effects", () => {
  it("descriptors are inert, frozen { kind, ...payload } data a test can check by hand", () => {
    const effect = readFile({ path: "a.txt" });
    expect(effect).to.deep.include({ kind: "fs.readFile", path: "a.txt" });
    expect(Object.isFrozen(effect)).to.equal(true);
    expect(effect).to.be.instanceOf(UserEffect);
    expect(readFile.kind).to.equal("fs.readFile");
    expect(readFile.is(effect)).to.equal(true);
    expect(readFile.is(tick())).to.equal(false);
    expect(tick()).to.deep.include({ kind: "app.tick" });
    // Stepping the coroutine by hand, as redux-saga users test sagas.
    const gen = cat("b.txt");
    expect(gen.next().value).to.deep.include({ kind: "fs.readFile", path: "b.txt" });
    expect(gen.next("hello").value).to.equal("HELLO");
  });

  it("run(main, { effects }) gives the handlers; the task resumes with what the handler resolves", () => {
    const seen: unknown[] = [];
    const result = run(cat("a.txt"), {
      clock: new VirtualClock(),
      effects: {
        "fs.readFile": (effect: { path: string }, ctx: EffectContext<string>) => {
          seen.push(effect, ctx.task?.getName().startsWith("Task-"), ctx.loop instanceof EventLoop);
          ctx.resolve(`text of ${effect.path}`);
        },
      },
    });
    expect(result).to.equal("TEXT OF A.TXT");
    expect(seen[0]).to.deep.include({ kind: "fs.readFile", path: "a.txt" });
    expect(seen.slice(1)).to.deep.equal([true, true]);
  });

  it("handlers are per loop: two loops, two implementations of the same kind", () => {
    const real = new EventLoop({ clock: new VirtualClock(), effects: { "fs.readFile": (_e, ctx) => ctx.resolve("real") } });
    const fake = new EventLoop({ clock: new VirtualClock() });
    fake.setEffectHandler(readFile, (effect, ctx) => ctx.resolve(`fake ${effect.path}`));
    expect(real.runUntilComplete(cat("x"))).to.equal("REAL");
    expect(fake.runUntilComplete(cat("x"))).to.equal("FAKE X");
    expect(fake.getEffectHandler("fs.readFile")).to.be.a("function");
    fake.setEffectHandler("fs.readFile", null);
    expect(fake.getEffectHandler("fs.readFile")).to.equal(null);
    real.close();
    fake.close();
  });

  it("a handler may complete later, from host code, and reject", () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    const pending: EffectContext<string>[] = [];
    loop.setEffectHandler(readFile, (_e, ctx) => {
      pending.push(ctx);
    });
    const ok = loop.createTask(cat("a"));
    const bad = loop.createTask(cat("b"));
    runDue(loop);
    expect(pending).to.have.length(2);
    pending[0].resolve("done");
    pending[1].reject(new RangeError("no such file"));
    pending[1].resolve("late");
    runDue(loop);
    expect(ok.result()).to.equal("DONE");
    expect(catchError(() => bad.result(), RangeError).message).to.equal("no such file");
    loop.close();
  });

  it("a handler may be a coroutine: its result or error is the effect's", () => {
    const result = run(
      (function* () {
        const a = yield* readFile({ path: "slow" });
        let error = "";
        try {
          yield* readFile({ path: "missing" });
        } catch (e) {
          error = (e as Error).message;
        }
        return [a, error];
      })(),
      {
        clock: new VirtualClock(),
        effects: {
          "fs.readFile": function* (effect: { path: string }) {
            yield* sleep(10);
            if (effect.path === "missing") throw new Error("ENOENT");
            return `${effect.path} after 10`;
          },
        },
      },
    );
    expect(result).to.deep.equal(["slow after 10", "ENOENT"]);
  });

  it("cancelling the waiting task runs the handler's disposer, or cancels its coroutine", () => {
    const log: string[] = [];
    run(
      (function* () {
        const a = ensureFuture(readFile({ path: "a" }));
        const b = ensureFuture(tick());
        yield* sleep(1);
        a.cancel();
        b.cancel();
        yield* sleep(1);
        expect(a.cancelled() && b.cancelled()).to.equal(true);
      })(),
      {
        clock: new VirtualClock(),
        effects: {
          "fs.readFile": () => () => log.push("disposed"),
          "app.tick": function* () {
            try {
              yield* sleep(100);
            } catch (e) {
              log.push(e instanceof CancelledError ? "handler cancelled" : "other");
              throw e;
            }
          },
        },
      },
    );
    expect(log).to.deep.equal(["disposed", "handler cancelled"]);
  });

  it("a deadlock inside a coroutine handler is not blamed on host callbacks", () => {
    const error = catchError(
      () =>
        run(cat("a"), {
          clock: new VirtualClock(),
          effects: {
            "fs.readFile": function* () {
              return yield* getRunningLoop().createFuture<string>();
            },
          },
        }),
      DeadlockError,
    );
    expect(error.message).to.match(/fs\.readFile handler/);
    expect(error.message).not.to.match(/host callback/);
  });

  it("an unknown kind throws a RuntimeError naming it into the coroutine", () => {
    const message = run(
      (function* () {
        try {
          yield* readFile({ path: "a" });
          return "no error";
        } catch (e) {
          return e instanceof RuntimeError ? e.message : "wrong class";
        }
      })(),
      { clock: new VirtualClock() },
    );
    expect(message).to.match(/No handler for the effect kind "fs\.readFile" on this loop/);
    expect(message).to.match(/setEffectHandler\("fs\.readFile", handler\)/);
  });

  it("an error thrown by the handler is thrown into the coroutine", () => {
    const error = catchError(
      () => run(cat("a"), { clock: new VirtualClock(), effects: { "fs.readFile": () => { throw new TypeError("handler bug"); } } }),
      TypeError,
    );
    expect(error.message).to.equal("handler bug");
  });

  it("built-in kinds cannot be defined or handled; bad kinds, payloads and handlers are refused", () => {
    expect(catchError(() => defineEffect("sleep"), RangeError).message).to.match(/"sleep" is the kind of a built-in genloop effect/);
    expect(catchError(() => new EventLoop({ effects: { gather: () => {} } }), RangeError).message).to.match(/"gather"/);
    expect(catchError(() => defineEffect("" as string), TypeError).message).to.match(/non-empty string/);
    expect(catchError(() => defineEffect(7 as never), TypeError).message).to.match(/non-empty string.*7/);
    expect(catchError(() => readFile({ kind: "x" } as never), TypeError).message).to.match(/payload field "kind" is reserved/);
    expect(catchError(() => readFile({ _start: 1 } as never), TypeError).message).to.match(/"_start" is reserved/);
    expect(catchError(() => readFile([] as never), TypeError).message).to.match(/payload must be a plain object/);
    const loop = new EventLoop({ clock: new VirtualClock() });
    expect(catchError(() => loop.setEffectHandler("x.y", 3 as never), TypeError).message).to.match(/handler of "x.y" must be a function/);
    expect(catchError(() => new EventLoop({ effects: 5 as never }), TypeError).message).to.match(/effects must be an object/);
    loop.close();
  });
});
