import { expect } from "chai";
import { GenloopError } from "../lib/errors.js";
import { CancelledError, TimeoutError, createTask, run, sleep, VirtualClock, type Coroutine } from "../lib/index.js";

/** The CancelledError a task cancelled while sleeping ends with (made by the runtime). */
function cancelledWith(message: string | undefined, debug = false): CancelledError {
  let caught: unknown;
  run(
    (function* (): Coroutine<void> {
      const task = createTask(
        (function* () {
          try {
            yield* sleep(1e9);
          } catch (e) {
            caught = e;
            throw e;
          }
        })(),
      );
      yield* sleep(0);
      task.cancel(message);
      yield* sleep(0);
    })(),
    { clock: new VirtualClock(), debug },
  );
  return caught as CancelledError;
}

describe("CancelledError made by the runtime", () => {
  it("is a CancelledError in every way code looks at an error", () => {
    for (const [message, text] of [
      ["bye", "CancelledError: bye"],
      [undefined, "CancelledError"],
    ] as const) {
      const e = cancelledWith(message);
      expect(e).to.be.instanceOf(CancelledError);
      expect(e).to.be.instanceOf(GenloopError);
      expect(e).to.be.instanceOf(Error);
      expect(e).not.to.be.instanceOf(TimeoutError);
      expect(e.name).to.equal("CancelledError");
      expect(e.message).to.equal(message ?? "");
      expect(e.constructor).to.equal(CancelledError);
      expect(String(e)).to.equal(text);
      expect(Object.prototype.toString.call(e)).to.equal("[object Error]");
    }
  });

  it("has a stack made of its header only, outside debug mode, and keeps a stack assigned to it", () => {
    const e = cancelledWith("bye");
    expect(e.stack).to.equal("CancelledError: bye");
    e.stack = "replaced";
    expect(e.stack).to.equal("replaced");
    expect(cancelledWith("bye").stack).to.equal("CancelledError: bye"); // not shared between errors
    e.message = "changed";
    expect(String(e)).to.equal("CancelledError: changed");
  });

  it("is a real error with the stack where it was made in debug mode", () => {
    const e = cancelledWith("bye", true);
    expect(e).to.be.instanceOf(CancelledError);
    expect(Object.prototype.hasOwnProperty.call(e, "stack") || typeof e.stack === "string").to.equal(true);
    expect(e.stack).to.match(/^CancelledError: bye\n\s+at /);
  });
});
