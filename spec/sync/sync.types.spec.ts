// Type tests: what `yield*` on each primitive's effects returns.
import { expect } from "chai";
import { expectTypeOf } from "expect-type";
import {
  Lock,
  Event,
  Condition,
  Semaphore,
  BoundedSemaphore,
  Barrier,
  Queue,
  LifoQueue,
  PriorityQueue,
  type Effect,
} from "../../lib/index.js";
import { type Co, vrun } from "../helpers.js";

describe("sync — types", () => {
  it("yield* results are typed", () => {
    const out = vrun(
      (function* (): Co<string> {
        const lock = new Lock();
        expectTypeOf(lock.acquire()).toEqualTypeOf<Effect<true>>();
        const acquired = yield* lock.acquire();
        expectTypeOf(acquired).toEqualTypeOf<true>();
        lock.release();
        const fromWith = yield* lock.with(function* () {
          return 42 as const;
        });
        expectTypeOf(fromWith).toEqualTypeOf<42>();

        const ev = new Event();
        ev.set();
        expectTypeOf(yield* ev.wait()).toEqualTypeOf<true>();
        expectTypeOf(ev.isSet()).toEqualTypeOf<boolean>();

        const cond = new Condition(new Lock());
        const v = yield* cond.with(function* () {
          const items = [1, 2];
          const r = yield* cond.waitFor(() => (items.length > 0 ? items : null));
          expectTypeOf(r).toEqualTypeOf<number[] | null>();
          return "cond";
        });
        expectTypeOf(v).toEqualTypeOf<string>();
        expectTypeOf(cond.wait()).toEqualTypeOf<Effect<true>>();

        const sem = new Semaphore(2);
        expectTypeOf(yield* sem.acquire()).toEqualTypeOf<true>();
        const bs = new BoundedSemaphore(1);
        expectTypeOf(yield* bs.with(function* () { return [1, "a"] as [number, string]; })).toEqualTypeOf<[number, string]>();

        const barrier = new Barrier(1);
        expectTypeOf(yield* barrier.wait()).toEqualTypeOf<number>();
        expectTypeOf(barrier.reset()).toEqualTypeOf<Effect<void>>();

        const q = new Queue<string>(3);
        yield* q.put("x");
        expectTypeOf(q.put).parameter(0).toEqualTypeOf<string>();
        expectTypeOf(yield* q.get()).toEqualTypeOf<string>();
        expectTypeOf(q.getNowait).returns.toEqualTypeOf<string>();
        expectTypeOf(q.join()).toEqualTypeOf<Effect<void>>();
        const lq = new LifoQueue<number>();
        lq.putNowait(1);
        expectTypeOf(yield* lq.get()).toEqualTypeOf<number>();
        const pq = new PriorityQueue<[number, string]>(0);
        pq.putNowait([1, "a"]);
        expectTypeOf(yield* pq.get()).toEqualTypeOf<[number, string]>();
        const pq2 = new PriorityQueue<{ p: number }>(0, (a, b) => {
          expectTypeOf(a).toEqualTypeOf<{ p: number }>();
          return a.p - b.p;
        });
        expectTypeOf(pq2).toEqualTypeOf<PriorityQueue<{ p: number }>>();
        // @ts-expect-error: a Queue<string> does not take numbers
        expect(() => q.putNowait(1)).to.not.throw();
        return "done";
      })(),
    );
    expect(out).to.equal("done");
  });
});
