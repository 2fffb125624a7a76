// genloop/channels: buffer policies, close / end of stream, cancellation safety, event
// channels, broadcast, the forEach loop, and the large-volume checks.
import { expect } from "chai";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createTask, ensureFuture, sleep, Task, EventLoop, VirtualClock } from "../../lib/index.js";
import { Broadcast, Channel, ChannelClosedError, buffers, eventChannel, forEach, type ChannelResult } from "../../lib/channels/index.js";
import { type Co, vrun, now } from "../helpers.js";

/** Runs `producer` and a consumer taking `n` items (each after `takeDelay`), logging times. */
function* pump<T>(ch: Channel<T>, items: T[], takeDelay: number, n = items.length): Co<string[]> {
  const log: string[] = [];
  const producer = createTask(
    (function* () {
      for (const item of items) {
        const ok = yield* ch.put(item);
        log.push(`put ${String(item)}${ok ? "" : " (dropped)"} @${now()}`);
      }
    })(),
  );
  for (let i = 0; i < n; i++) {
    yield* sleep(takeDelay);
    const item = yield* ch.take();
    log.push(`take ${String(item)} @${now()}`);
  }
  yield* sleep(0);
  producer.cancel();
  return log;
}

describe("channels: buffer policies", () => {
  it("none (rendezvous): each put waits until a taker has the item", () => {
    const log = vrun(pump(new Channel<string>(), ["a", "b"], 10));
    expect(log).to.deep.equal(["take a @10", "put a @10", "take b @20", "put b @20"]);
  });

  it("none: a taker waiting first gets the item at once and the put does not wait", () => {
    const out = vrun(
      (function* () {
        const ch = new Channel<number>(buffers.none());
        const taker = ensureFuture(ch.take());
        yield* sleep(5);
        const ok = yield* ch.put(7);
        return [ok, now(), yield* taker];
      })(),
    );
    expect(out).to.deep.equal([true, 5, 7]);
  });

  it("fixed(2): puts go on until it is full, then wait for room (backpressure)", () => {
    const log = vrun(pump(new Channel<number>(buffers.fixed(2)), [1, 2, 3, 4], 10));
    expect(log).to.deep.equal([
      "put 1 @0",
      "put 2 @0",
      "take 1 @10",
      "put 3 @10",
      "take 2 @20",
      "put 4 @20",
      "take 3 @30",
      "take 4 @40",
    ]);
  });

  it("dropping(2): a put on a full channel drops the new item, returns false, and counts it", () => {
    const ch = new Channel<number>(buffers.dropping(2));
    const log = vrun(pump(ch, [1, 2, 3, 4], 10, 2));
    expect(log).to.deep.equal(["put 1 @0", "put 2 @0", "put 3 (dropped) @0", "put 4 (dropped) @0", "take 1 @10", "take 2 @20"]);
    expect(ch.dropped).to.equal(2);
    expect(ch.offer(5)).to.equal(true);
    expect(ch.offer(6)).to.equal(true);
    expect(ch.offer(7)).to.equal(false);
    expect(ch.dropped).to.equal(3);
  });

  it("sliding(2): a put on a full channel drops the oldest item", () => {
    const ch = new Channel<number>(buffers.sliding(2));
    const log = vrun(pump(ch, [1, 2, 3, 4], 10, 2));
    expect(log).to.deep.equal(["put 1 @0", "put 2 @0", "put 3 @0", "put 4 @0", "take 3 @10", "take 4 @20"]);
    expect(ch.dropped).to.equal(2);
  });

  it("expanding: puts never wait and nothing is dropped", () => {
    const ch = new Channel<number>(buffers.expanding());
    const log = vrun(pump(ch, [1, 2, 3], 10));
    expect(log).to.deep.equal(["put 1 @0", "put 2 @0", "put 3 @0", "take 1 @10", "take 2 @20", "take 3 @30"]);
    expect(ch.dropped).to.equal(0);
  });

  it("offer() never waits: false when the put would have to wait", () => {
    const fixed = new Channel<number>(buffers.fixed(1));
    expect([fixed.offer(1), fixed.offer(2), fixed.length]).to.deep.equal([true, false, 1]);
    const rendezvous = new Channel<number>();
    expect(rendezvous.offer(1)).to.equal(false);
    expect(rendezvous.poll()).to.deep.equal({ done: true, value: undefined });
  });

  it("flush() takes everything buffered, and the items of waiting puts, in order", () => {
    const out = vrun(
      (function* () {
        const ch = new Channel<number>(buffers.fixed(2));
        const producer = createTask(
          (function* () {
            for (let i = 1; i <= 4; i++) yield* ch.put(i);
          })(),
        );
        yield* sleep(1);
        const first = ch.flush();
        yield* sleep(1);
        return [first, ch.flush(), producer.done()];
      })(),
    );
    expect(out).to.deep.equal([[1, 2, 3], [4], true]);
  });

  it("rejects bad policies and sizes with errors naming the argument", () => {
    expect(() => buffers.fixed(0)).to.throw(RangeError, /buffers.fixed\(size\): size must be a whole number >= 1, got 0/);
    expect(() => buffers.sliding(1.5)).to.throw(RangeError, /buffers.sliding/);
    expect(() => buffers.dropping("2" as never)).to.throw(RangeError, /buffers.dropping/);
    expect(() => new Channel(16 as never)).to.throw(TypeError, /Channel: a buffer policy was expected \(buffers.none\(\)/);
    expect(() => new Channel({ kind: "huge", size: 1 } as never)).to.throw(TypeError, /a buffer policy was expected/);
  });
});

describe("channels: close and the end of the stream", () => {
  it("every waiting and later taker gets the buffered items, then the end; put after close throws", () => {
    const out = vrun(
      (function* () {
        const ch = new Channel<string>(buffers.fixed(4));
        const results: ChannelResult<string>[] = [];
        const waiting = [1, 2].map(() =>
          createTask(
            (function* () {
              results.push(yield* ch.next());
            })(),
          ),
        );
        yield* sleep(1);
        ch.close();
        yield* sleep(1);
        const ch2 = new Channel<string>(buffers.fixed(4));
        ch2.offer("x");
        ch2.close();
        const later = [yield* ch2.next(), yield* ch2.next(), yield* ch2.next()];
        let putError: unknown = null;
        try {
          yield* ch2.put("y");
        } catch (e) {
          putError = e;
        }
        let takeError: unknown = null;
        try {
          yield* ch2.take();
        } catch (e) {
          takeError = e;
        }
        return [
          results,
          waiting.map((t) => t.done()),
          later,
          putError instanceof ChannelClosedError && putError.message,
          takeError instanceof ChannelClosedError && takeError.message,
          ch2.offer("z"),
          ch2.closed,
        ];
      })(),
    );
    expect(out).to.deep.equal([
      [{ done: true, value: undefined }, { done: true, value: undefined }],
      [true, true],
      [{ done: false, value: "x" }, { done: true, value: undefined }, { done: true, value: undefined }],
      "put: the channel is closed",
      "take: the channel is closed and empty (the end of the stream)",
      false,
      true,
    ]);
  });

  it("a put waiting when the channel closes throws ChannelClosedError: its item is not silently lost", () => {
    const out = vrun(
      (function* () {
        const ch = new Channel<number>(buffers.fixed(1));
        ch.offer(1);
        const putter = ensureFuture(ch.put(2));
        yield* sleep(1);
        ch.close();
        yield* sleep(1);
        return [putter.exception() instanceof ChannelClosedError, ch.flush()];
      })(),
    );
    expect(out).to.deep.equal([true, [1]]);
  });
});

describe("channels: cancellation safety", () => {
  it("a take cancelled while waiting consumes nothing: the next taker gets the item", () => {
    const out = vrun(
      (function* () {
        const ch = new Channel<string>(buffers.fixed(1));
        const t1 = ensureFuture(ch.take());
        const t2 = ensureFuture(ch.take());
        yield* sleep(1);
        t1.cancel();
        yield* sleep(1);
        yield* ch.put("only");
        return [t1.cancelled(), yield* t2];
      })(),
    );
    expect(out).to.deep.equal([true, "only"]);
  });

  it("a taker woken by a put and cancelled before it runs passes the wake-up on (3.13's rule)", () => {
    const out = vrun(
      (function* () {
        const ch = new Channel<string>(buffers.fixed(1));
        const t1 = ensureFuture(ch.take());
        const t2 = ensureFuture(ch.take());
        yield* sleep(1);
        ch.offer("item"); // wakes t1
        t1.cancel(); // before t1 runs
        yield* sleep(1);
        return [t1.cancelled(), t2.done() ? t2.result() : "t2 still waiting", ch.length];
      })(),
    );
    expect(out).to.deep.equal([true, "item", 0]);
  });

  it("a rendezvous taker woken and cancelled passes the handed item on", () => {
    const out = vrun(
      (function* () {
        const ch = new Channel<string>();
        const t1 = ensureFuture(ch.take());
        const t2 = ensureFuture(ch.take());
        yield* sleep(1);
        const ok = ch.offer("handed");
        t1.cancel();
        yield* sleep(1);
        return [ok, t1.cancelled(), t2.done() ? t2.result() : "t2 still waiting"];
      })(),
    );
    expect(out).to.deep.equal([true, true, "handed"]);
  });

  it("a put cancelled while it waits withdraws its item (fixed and rendezvous)", () => {
    for (const policy of [buffers.fixed(1), buffers.none()]) {
      const out = vrun(
        (function* () {
          const ch = new Channel<string>(policy);
          if (policy.kind === "fixed") ch.offer("first");
          const putter = ensureFuture(ch.put("withdrawn"));
          yield* sleep(1);
          putter.cancel();
          yield* sleep(1);
          return [putter.cancelled(), ch.flush()];
        })(),
      );
      expect(out, policy.kind).to.deep.equal([true, policy.kind === "fixed" ? ["first"] : []]);
    }
  });

  it("values survive a racing consumer: with consumers cancelled at random, every item is taken exactly once", () => {
    const out = vrun(
      (function* () {
        const ch = new Channel<number>(buffers.fixed(3));
        const got: number[] = [];
        const consumers: Task<unknown>[] = [];
        const start = () =>
          consumers.push(
            createTask(
              (function* () {
                for (;;) got.push(yield* ch.take());
              })(),
            ),
          );
        for (let i = 0; i < 3; i++) start();
        let seed = 7;
        for (let i = 0; i < 200; i++) {
          yield* ch.put(i);
          seed = (seed * 1103515245 + 12345) % 2147483648;
          if (seed % 5 === 0) {
            consumers[seed % consumers.length].cancel();
            start();
          }
          if (seed % 3 === 0) yield* sleep(0);
        }
        while (ch.length > 0) yield* sleep(1);
        for (const c of consumers) c.cancel();
        return got;
      })(),
    );
    expect(out.slice().sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 200 }, (_, i) => i));
    expect(out).to.deep.equal(Array.from({ length: 200 }, (_, i) => i)); // and in order
  });
});

describe("channels: event channels over host subscriptions", () => {
  /** A fake host event source that counts subscriptions. */
  function source() {
    const s = { listeners: 0, unsubscribed: 0, emit: null as ((n: number) => void) | null, end: null as (() => void) | null };
    const subscribe = (emit: (n: number) => void, end: () => void) => {
      s.listeners++;
      s.emit = emit;
      s.end = end;
      return () => {
        s.listeners--;
        s.unsubscribed++;
      };
    };
    return { s, subscribe };
  }

  it("events flow into the channel; close() unsubscribes exactly once; later events are ignored", () => {
    const { s, subscribe } = source();
    const ch = eventChannel(subscribe, buffers.expanding());
    s.emit!(1);
    s.emit!(2);
    ch.close();
    ch.close();
    s.emit!(3);
    expect([s.listeners, s.unsubscribed, ch.flush()]).to.deep.equal([0, 1, [1, 2]]);
  });

  it("the source's end() closes the channel (once) and the consumer loop ends cleanly", () => {
    const { s, subscribe } = source();
    const out = vrun(
      (function* () {
        const ch = eventChannel(subscribe, buffers.sliding(8));
        const seen: number[] = [];
        const consumer = createTask(forEach(ch, (n) => void seen.push(n)));
        yield* sleep(1);
        s.emit!(1);
        yield* sleep(1);
        s.emit!(2);
        s.end!();
        s.end!();
        return [yield* consumer, seen, s.unsubscribed];
      })(),
    );
    expect(out).to.deep.equal([2, [1, 2], 1]);
  });

  it("cancelling the consumer loop unsubscribes exactly once", () => {
    const { s, subscribe } = source();
    const out = vrun(
      (function* () {
        const ch = eventChannel(subscribe, buffers.dropping(8));
        const consumer = createTask(
          forEach(ch, function* () {
            yield* sleep(5);
          }),
        );
        yield* sleep(1);
        s.emit!(1);
        yield* sleep(2);
        consumer.cancel();
        yield* sleep(1);
        ch.close();
        return [consumer.cancelled(), s.unsubscribed, s.listeners, ch.closed];
      })(),
    );
    expect(out).to.deep.equal([true, 1, 0, true]);
  });

  it("a consumer body that throws unsubscribes too, and the error propagates", () => {
    const { s, subscribe } = source();
    const out = vrun(
      (function* () {
        const ch = eventChannel(subscribe, buffers.expanding());
        s.emit!(1);
        try {
          yield* forEach(ch, () => {
            throw new RangeError("bad event");
          });
        } catch (e) {
          return [(e as Error).message, s.unsubscribed];
        }
        return "no error";
      })(),
    );
    expect(out).to.deep.equal(["bad event", 1]);
  });

  it("a source that emits and ends during subscribe: items kept, unsubscribed once", () => {
    let unsubscribed = 0;
    const ch = eventChannel<string>((emit, end) => {
      emit("early");
      end();
      return () => void unsubscribed++;
    }, buffers.expanding());
    expect([ch.closed, unsubscribed, ch.flush()]).to.deep.equal([true, 1, ["early"]]);
  });

  it("rejects a policy that would need to make the host wait, and a subscribe without unsubscribe", () => {
    const noop = () => () => {};
    expect(() => eventChannel(noop, buffers.fixed(4))).to.throw(TypeError, /a host callback cannot wait.*buffers.dropping\(n\)/);
    expect(() => eventChannel(noop, buffers.none())).to.throw(TypeError, /none buffer cannot apply backpressure/);
    expect(() => eventChannel(noop, undefined as never)).to.throw(TypeError, /eventChannel: a buffer policy was expected/);
    expect(() => eventChannel(42 as never, buffers.expanding())).to.throw(TypeError, /subscribe must be a function/);
    expect(() => eventChannel((() => 1) as never, buffers.expanding())).to.throw(TypeError, /must return the function that unsubscribes, got 1/);
  });

  it("host events wake a consumer on a loop driven from outside (step / nextDeadline)", () => {
    const { s, subscribe } = source();
    const loop = new EventLoop({ clock: new VirtualClock() });
    const ch = eventChannel(subscribe, buffers.expanding());
    const seen: number[] = [];
    const consumer = loop.createTask(forEach(ch, (n) => void seen.push(n)));
    loop.step();
    expect(loop.nextDeadline()).to.equal(null); // idle: waiting for an event
    s.emit!(42);
    expect(loop.nextDeadline()).to.equal(loop.time());
    loop.step();
    s.end!();
    while (loop.nextDeadline() !== null) loop.step();
    expect([seen, consumer.result()]).to.deep.equal([[42], 1]);
    loop.close();
  });
});

describe("channels: broadcast", () => {
  it("every subscriber gets every item in order; a fixed subscriber sets the pace; closing unsubscribes", () => {
    const out = vrun(
      (function* () {
        const b = new Broadcast<number>();
        const fast = b.subscribe(buffers.expanding());
        const slow = b.subscribe(buffers.fixed(1));
        const fastSeen: number[] = [];
        const slowSeen: string[] = [];
        const c1 = createTask(forEach(fast, (n) => void fastSeen.push(n)));
        const c2 = createTask(
          forEach(slow, function* (n) {
            yield* sleep(10);
            slowSeen.push(`${n}@${now()}`);
          }),
        );
        const delivered: number[] = [];
        for (let i = 1; i <= 3; i++) delivered.push(yield* b.publish(i));
        const publishedAt = now();
        yield* sleep(100);
        slow.close();
        delivered.push(yield* b.publish(4));
        b.close();
        const late = b.subscribe(buffers.fixed(1));
        return [fastSeen, slowSeen, delivered, publishedAt, yield* c1, yield* c2, late.closed, b.subscriberCount];
      })(),
    );
    expect(out).to.deep.equal([[1, 2, 3, 4], ["1@10", "2@20", "3@30"], [2, 2, 2, 1], 10, 4, 3, true, 0]);
  });
});

describe("channels: the forEach loop", () => {
  it("runs plain and generator bodies, returns the count, and rejects bad arguments", () => {
    const out = vrun(
      (function* () {
        const ch = new Channel<number>(buffers.expanding());
        for (let i = 0; i < 3; i++) ch.offer(i);
        ch.close();
        let sum = 0;
        const n = yield* forEach(ch, function* (x) {
          yield* sleep(1);
          sum += x;
        });
        return [n, sum, now()];
      })(),
    );
    expect(out).to.deep.equal([3, 3, 3]);
    expect(() => forEach({} as never, () => {})).to.throw(TypeError, /forEach: a Channel was expected/);
    expect(() => forEach(new Channel(), 1 as never)).to.throw(TypeError, /body must be a function/);
  });

  it("a cancelled forEach over a plain channel leaves it open for other consumers", () => {
    const out = vrun(
      (function* () {
        const ch = new Channel<number>(buffers.fixed(2));
        const consumer = createTask(forEach(ch, () => {}));
        yield* sleep(1);
        consumer.cancel();
        yield* sleep(1);
        return [consumer.cancelled(), ch.closed];
      })(),
    );
    expect(out).to.deep.equal([true, false]);
  });
});

describe("channels: volume", function () {
  this.timeout(120000);

  it("10^6 items through fixed(16): never more than 16 buffered, and the heap does not grow with the count", () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const heap = (): number => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    const N = 1_000_000;
    const out = vrun(
      (function* () {
        const ch = new Channel<number>(buffers.fixed(16));
        let maxLength = 0;
        let expected = 0;
        let heapAt100k = 0;
        let heapAtEnd = 0;
        const producer = createTask(
          (function* () {
            for (let i = 0; i < N; i++) yield* ch.put(i);
            ch.close();
          })(),
        );
        const count = yield* forEach(ch, (n) => {
          if (n !== expected++) throw new Error(`out of order: ${n}`);
          if (ch.length > maxLength) maxLength = ch.length;
          if (n === 100_000) heapAt100k = heap();
          if (n === N - 1) heapAtEnd = heap();
        });
        yield producer;
        return { count, maxLength, growth: heapAtEnd - heapAt100k };
      })(),
    );
    expect(out.count).to.equal(N);
    expect(out.maxLength).to.be.at.most(16);
    // 900 000 more items went through: anything kept per item would be megabytes.
    expect(out.growth).to.be.below(2 * 1024 * 1024);
  });

  it("10^5 buffered items drain with no RangeError (forEach, flush, close with them buffered)", () => {
    const N = 100_000;
    const out = vrun(
      (function* () {
        const ch = new Channel<number>(buffers.expanding());
        for (let i = 0; i < N; i++) ch.offer(i);
        ch.close();
        let sum = 0;
        const n = yield* forEach(ch, (x) => {
          sum += x;
        });
        const ch2 = new Channel<number>(buffers.expanding());
        for (let i = 0; i < N; i++) ch2.offer(i);
        const flushed = ch2.flush();
        return [n, sum, flushed.length, flushed[N - 1]];
      })(),
    );
    expect(out).to.deep.equal([N, (N * (N - 1)) / 2, N, N - 1]);
  });
});

describe("channels: types", () => {
  it("put/take/next/forEach are typed", () => {
    vrun(
      (function* () {
        const ch = new Channel<number>(buffers.fixed(1));
        const ok: boolean = yield* ch.put(1);
        const n: number = yield* ch.take();
        ch.offer(2);
        const r = yield* ch.next();
        if (!r.done) {
          const v: number = r.value;
          void v;
        }
        if (r.done) {
          // @ts-expect-error a channel of numbers takes no strings
          ch.offer("x");
          // @ts-expect-error the item of a forEach over Channel<number> is a number
          yield* forEach(ch, (item: string) => void item);
          // @ts-expect-error an event channel needs its buffer policy
          eventChannel(() => () => {});
        }
        void ok;
        void n;
      })(),
    );
  });
});
