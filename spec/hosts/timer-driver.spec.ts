import { expect } from "chai";
import {
  EventLoop,
  RuntimeError,
  TimerDriver,
  VirtualClock,
  callback,
  runDue,
  sleep,
  startTimerDriver,
} from "../../lib/index.js";
import { catchError, type Co } from "../helpers.js";
import { FakeTimers, ManualClock } from "./fake-timers.js";

describe("hosts: TimerDriver", () => {
  function setup() {
    const clock = new ManualClock();
    const loop = new EventLoop({ clock });
    const timers = new FakeTimers();
    return { clock, loop, timers };
  }

  it("arms one host timer for the next deadline and re-arms after each turn", () => {
    const { clock, loop, timers } = setup();
    const log: string[] = [];
    const driver = startTimerDriver(loop, { timers });
    loop.createTask(
      (function* () {
        log.push("start");
        yield* sleep(30);
        log.push("after 30");
        yield* sleep(20);
        log.push("after 50");
      })(),
    );
    expect(timers.armed).to.deep.equal([0]); // creating the task woke the driver
    timers.fireAll();
    expect(log).to.deep.equal(["start"]);
    expect(timers.armed).to.deep.equal([0, 30]);
    clock.advance(30);
    timers.fireAll();
    expect(log).to.deep.equal(["start", "after 30"]);
    expect(timers.armed).to.deep.equal([0, 30, 20]);
    clock.advance(20);
    timers.fireAll();
    expect(log).to.deep.equal(["start", "after 30", "after 50"]);
    expect(timers.pending.size).to.equal(0); // idle: no host timer keeps the host alive
    driver.stop();
    loop.close();
  });

  it("a host callback resolving a callback effect wakes an idle loop", () => {
    const { loop, timers } = setup();
    let resolve: (v: string) => void = () => {};
    const driver = startTimerDriver(loop, { timers });
    const task = loop.createTask(
      (function* (): Co<string> {
        return yield* callback<string>((r) => {
          resolve = r;
        });
      })(),
    );
    timers.fireAll();
    expect(timers.pending.size).to.equal(0);
    resolve("from the host");
    expect(timers.pending.size).to.equal(1);
    timers.fireAll();
    expect(task.result()).to.equal("from the host");
    driver.stop();
    loop.close();
  });

  it("an earlier deadline replaces the armed timer; a later one does not", () => {
    const { loop, timers } = setup();
    const driver = startTimerDriver(loop, { timers });
    loop.callLater(100, () => {});
    expect(timers.armed).to.deep.equal([100]);
    loop.callLater(200, () => {});
    expect(timers.armed).to.deep.equal([100]);
    loop.callLater(10, () => {});
    expect(timers.armed).to.deep.equal([100, 10]);
    expect(timers.cleared).to.equal(1);
    expect(timers.pending.size).to.equal(1);
    driver.stop();
    expect(timers.pending.size).to.equal(0);
    loop.close();
  });

  it("callSoon / callSoonThreadsafe from host code wake the driver", () => {
    const { loop, timers } = setup();
    const log: string[] = [];
    const driver = startTimerDriver(loop, { timers });
    loop.callSoonThreadsafe((x: string) => log.push(x), "posted");
    expect(timers.pending.size).to.equal(1);
    timers.fireAll();
    expect(log).to.deep.equal(["posted"]);
    driver.stop();
    loop.callSoon(() => log.push("after stop"));
    expect(timers.pending.size).to.equal(0);
    loop.close();
  });

  it("setWakeupHandler: called for work scheduled from outside the loop only; validated", () => {
    const loop = new EventLoop({ clock: new ManualClock() });
    let wakeups = 0;
    loop.setWakeupHandler(() => wakeups++);
    const future = loop.createFuture<number>();
    const task = loop.createTask(
      (function* (): Co<number> {
        const v = yield* future;
        loop.callSoon(() => {}); // scheduled while running: no wakeup
        yield* sleep(5); // a timer added while running: no wakeup
        return v;
      })(),
    );
    expect(wakeups).to.equal(1); // the new task
    runDue(loop);
    expect(wakeups).to.equal(1);
    future.setResult(3); // host code resolves a future the task waits on
    expect(wakeups).to.equal(2);
    loop.callLater(50, () => {});
    expect(wakeups).to.equal(3);
    runDue(loop);
    expect(wakeups).to.equal(3);
    expect(catchError(() => loop.setWakeupHandler("x" as never), TypeError).message).to.match(/expected a function or null/);
    loop.setWakeupHandler(null);
    task.cancel();
    runDue(loop);
    loop.close();
  });

  it("one driver per loop; stop() releases it; start() is idempotent", () => {
    const { loop, timers } = setup();
    const driver = new TimerDriver(loop, { timers });
    expect(driver.isActive()).to.equal(false);
    driver.start();
    driver.start();
    expect(driver.isActive()).to.equal(true);
    expect(catchError(() => startTimerDriver(loop, { timers }), RuntimeError).message).to.match(/already has a host driver/);
    driver.stop();
    const second = startTimerDriver(loop, { timers });
    second.stop();
    loop.close();
    expect(catchError(() => driver.start(), RuntimeError).message).to.match(/closed/);
  });

  it("stops by itself when the loop is closed", () => {
    const { loop, timers } = setup();
    const driver = startTimerDriver(loop, { timers });
    loop.callSoon(() => {});
    loop.close();
    timers.fireAll();
    expect(driver.isActive()).to.equal(false);
    expect(timers.pending.size).to.equal(0);
  });

  it("a turn is bounded by maxIterations, then yields to the host and continues", () => {
    const { loop, timers } = setup();
    let steps = 0;
    const driver = startTimerDriver(loop, { timers, maxIterations: 3 });
    const task = loop.createTask(
      (function* () {
        for (let i = 0; i < 10; i++) {
          steps++;
          yield* sleep(0);
        }
      })(),
    );
    timers.fireAll();
    expect(steps).to.equal(3);
    expect(timers.pending.size).to.equal(1);
    while (timers.fireAll() > 0);
    expect(task.done()).to.equal(true);
    expect(steps).to.equal(10);
    driver.stop();
    loop.close();
  });

  it("validates its arguments", () => {
    const { loop } = setup();
    expect(catchError(() => new TimerDriver(loop, { timers: {} as never }), TypeError).message).to.match(/a setTimeout\(callback, ms\) function and optionally clearTimeout/);
    expect(catchError(() => new TimerDriver(loop, { budgetMs: -5 }), RangeError).message).to.match(/budgetMs/);
    expect(catchError(() => new TimerDriver(loop, 3 as never), TypeError).message).to.match(/options must be an object/);
    expect(catchError(() => startTimerDriver(null as never), TypeError).message).to.match(/an EventLoop was expected, got null/);
    loop.close();
  });

  it("without clearTimeout (jsc's shell) a replaced timer fires for nothing", () => {
    const { clock, loop, timers } = setup();
    const fired: (() => void)[] = [];
    const noClear = { setTimeout: (callback: () => void, ms: number) => (fired.push(callback), timers.setTimeout(() => {}, ms)) };
    const driver = startTimerDriver(loop, { timers: noClear });
    const log: string[] = [];
    loop.callLater(100, () => log.push("late timer"));
    loop.callLater(10, () => log.push("early timer"));
    expect(timers.armed).to.deep.equal([100, 10]);
    clock.advance(10);
    fired[1]();
    expect(log).to.deep.equal(["early timer"]);
    // The timer for 100 was replaced but not cleared: when it fires, it does nothing by itself…
    const armedBefore = timers.armed.length;
    fired[0]();
    expect(log).to.deep.equal(["early timer"]);
    expect(timers.armed.length).to.equal(armedBefore);
    // …while the live one still runs the loop when due.
    clock.advance(90);
    fired[fired.length - 1]();
    expect(log).to.deep.equal(["early timer", "late timer"]);
    driver.stop();
    loop.close();
  });

  it("on a VirtualClock it never waits: zero-delay host turns jump time to each deadline", () => {
    const clock = new VirtualClock();
    const loop = new EventLoop({ clock });
    const timers = new FakeTimers();
    const log: string[] = [];
    const driver = startTimerDriver(loop, { timers });
    const task = loop.createTask(
      (function* () {
        yield* sleep(3_600_000);
        log.push(`an hour later: ${loop.time()}`);
        yield* sleep(5);
        log.push(`then ${loop.time()}`);
      })(),
    );
    let turns = 0;
    while (timers.fireAll() > 0) turns++;
    expect(log).to.deep.equal(["an hour later: 3600000", "then 3600005"]);
    expect(task.done()).to.equal(true);
    expect(new Set(timers.armed)).to.deep.equal(new Set([0]));
    expect(turns).to.be.at.most(4);
    driver.stop();
    loop.close();
  });

  it("runs on Node's real setTimeout by default (real clock, short)", async () => {
    const loop = new EventLoop();
    const driver = startTimerDriver(loop);
    const start = Date.now();
    const task = loop.createTask(
      (function* (): Co<string> {
        yield* sleep(15);
        return "slept";
      })(),
    );
    // The done callback runs inside a loop iteration: leave it before closing the loop.
    await new Promise<void>((resolve) => task.addDoneCallback(() => setImmediate(resolve)));
    expect(task.result()).to.equal("slept");
    expect(Date.now() - start).to.be.at.least(14);
    driver.stop();
    loop.close();
  });
});
