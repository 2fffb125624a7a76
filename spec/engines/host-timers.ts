// The second engine program, for engines whose shell has real timers (jsc, Hermes, Rhino):
// genloop runs on the engine's own setTimeout through a TimerDriver, with no Promise. The
// timers fire after the script's top level has finished, so the program reports from the
// task's done callback. Same output protocol as conformance.ts.


(function (g: typeof genloop): void {
  type Co<T = unknown> = Generator<any, T, any>; // what the coroutines here yield is checked at run time
  const host = (typeof globalThis !== "undefined" ? globalThis : {}) as { setTimeout?: (cb: () => void, ms: number) => unknown };
  const hostSetTimeout = host.setTimeout;
  if (typeof hostSetTimeout !== "function") {
    print("not ok timer driver on the engine's setTimeout: this engine has no setTimeout");
    print("done 0/1");
    return;
  }
  const loop = new g.EventLoop();
  const driver = g.startTimerDriver(loop);
  const started = Date.now();
  const task = loop.createTask(
    (function* (): Co<string> {
      yield* g.sleep(20);
      // A host callback: the engine's timer resolves it while the loop is idle.
      const fromHost = yield* g.callback<string>((resolve) => {
        hostSetTimeout(() => resolve("from the host"), 5);
      });
      const [a, b] = yield* g.gather(g.sleep(10, "a"), g.sleep(5, "b"));
      return fromHost + " " + a + b;
    })(),
  );
  task.addDoneCallback(() => {
    driver.stop();
    let problem = "";
    try {
      const result = task.result();
      if (result !== "from the host ab") problem = "result " + JSON.stringify(result);
      else if (Date.now() - started < 30) problem = "finished too early: " + (Date.now() - started) + " ms";
    } catch (e) {
      problem = String(e);
    }
    print(problem === "" ? "ok timer driver on the engine's setTimeout" : "not ok timer driver on the engine's setTimeout: " + problem);
    print("done " + (problem === "" ? 1 : 0) + "/1");
  });
})(genloop);
