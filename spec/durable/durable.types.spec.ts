import { expectTypeOf } from "expect-type";
import { VirtualClock, type Coroutine } from "../../lib/index.js";
import { DurableRun, MemoryStore, now, patched, random, runDurable, type JournalStore } from "../../lib/durable/index.js";

describe("types: genloop/durable", () => {
  it("effects and runs are precisely typed; what must not compile does not", () => {
    function* main(): Coroutine<string> {
      const r = yield* random();
      expectTypeOf(r).toEqualTypeOf<number>();
      const t = yield* now();
      expectTypeOf(t).toEqualTypeOf<number>();
      const isNew = yield* patched("x");
      expectTypeOf(isNew).toEqualTypeOf<boolean>();
      return "ok";
    }
    const store = new MemoryStore();
    expectTypeOf(runDurable(main(), { store, clock: new VirtualClock() })).toEqualTypeOf<string>();
    expectTypeOf(new DurableRun({ store }).run(main())).toEqualTypeOf<string>();
    expectTypeOf(store).toMatchTypeOf<JournalStore>();
    if (Math.random() > 2) {
      // @ts-expect-error a durable run needs a store
      runDurable(main(), {});
      // @ts-expect-error patched takes the id of the change
      patched(1);
      // @ts-expect-error the clock is given to the DurableRun, not to run()
      new DurableRun({ store }).run(main(), { clock: new VirtualClock() });
    }
  });
});
