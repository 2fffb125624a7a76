// The workloads of bench/side-by-side/run.mjs, as a plain script: `makeWorkloads(G, scale)` returns
// { name: () => count | [count, ms] } for one copy of genloop `G`. The driver evaluates this text
// once per copy, so the two copies never share a function (nor the engine's feedback on it).
function makeWorkloads(G, S) {
  var now = typeof process !== "undefined" && process.cpuUsage
    ? function () { var c = process.cpuUsage(); return (c.user + c.system) / 1000; }
    : typeof performance !== "undefined" ? function () { return performance.now(); } : function () { return Date.now(); };
  var virtual = function () { return { clock: new G.VirtualClock() }; };
  var out = {};

  // switch: 100 tasks × K `sleep(0)`, typed (yield*) and bare.
  var SWITCH_TASKS = 100, SWITCHES = Math.round(1000 * S);
  function* typed(k) { for (var i = 0; i < k; i++) yield* G.sleep(0); }
  function* bare(k) { for (var i = 0; i < k; i++) yield G.sleep(0); }
  function switching(worker) {
    return function () {
      G.run((function* () {
        var tasks = [];
        for (var i = 0; i < SWITCH_TASKS; i++) tasks.push(G.createTask(worker(SWITCHES)));
        yield* G.wait(tasks);
      })(), virtual());
      return SWITCH_TASKS * SWITCHES;
    };
  }
  out["switch yield*"] = switching(typed);
  out["switch yield"] = switching(bare);
  // inline call: the same tasks each awaiting K coroutines inline (`yield* call(c)`), one level
  // deep and returning at once: the cost of pushing and popping the task's stack of callers.
  function* leaf(i) { return i; }
  function* calling(k) { var sum = 0; for (var i = 0; i < k; i++) sum += yield* G.call(leaf(i)); return sum; }
  out["inline call"] = switching(calling);

  // gather of children returning at once.
  var CHILDREN = Math.round(20000 * S);
  function* child(i) { return i; }
  function gathering(options) {
    return function () {
      var results = G.run((function* () {
        var children = [];
        for (var i = 0; i < CHILDREN; i++) children.push(child(i));
        return yield* G.gather.apply(null, children);
      })(), options());
      if (results.length !== CHILDREN) throw new Error("gather: wrong results");
      return CHILDREN;
    };
  }
  out["gather"] = gathering(virtual);
  // The same with eager tasks: each child runs its first step inside createTask.
  out["gather eager"] = gathering(function () { return { clock: new G.VirtualClock(), taskFactory: G.eagerTaskFactory }; });

  // taskGroup: children created in a group, each returning at once; the group waits for them all.
  out["taskGroup"] = function () {
    G.run((function* () {
      yield* G.taskGroup(function* (tg) {
        for (var i = 0; i < CHILDREN; i++) tg.createTask(child(i));
      });
    })(), virtual());
    return CHILDREN;
  };

  // cancel: sleeping tasks, each with a finally; timed from the first cancel to the last finally.
  var CANCELLED = Math.round(5000 * S);
  var cleaned = 0;
  function* sleeper() { try { yield* G.sleep(1e9); } finally { cleaned++; } }
  out["cancel"] = function () {
    cleaned = 0;
    var ms = G.run((function* () {
      var tasks = [];
      for (var i = 0; i < CANCELLED; i++) tasks.push(G.createTask(sleeper()));
      yield* G.sleep(0);
      var t0 = now();
      for (var j = 0; j < tasks.length; j++) tasks[j].cancel();
      yield* G.sleep(0);
      return now() - t0;
    })(), virtual());
    if (cleaned !== CANCELLED) throw new Error("cancel: a finally block did not run");
    return [CANCELLED, ms];
  };

  // cancel wait: as the engines benchmark (bench/engines/program.ts) does it, timed whole: the
  // sleepers made, cancelled, and waited for with wait() (its completions and call-graph edges).
  out["cancel wait"] = function () {
    cleaned = 0;
    G.run((function* () {
      var tasks = [];
      for (var i = 0; i < CANCELLED; i++) tasks.push(G.createTask(sleeper()));
      yield* G.sleep(0);
      for (var j = 0; j < tasks.length; j++) tasks[j].cancel();
      yield* G.wait(tasks);
    })(), virtual());
    if (cleaned !== CANCELLED) throw new Error("cancel wait: a finally block did not run");
    return CANCELLED;
  };

  // timers: tasks sleeping a random 0-1 s on a virtual clock.
  var TIMERS = Math.round(20000 * S);
  var delays = [];
  for (var i = 0, seed = 20261206; i < TIMERS; i++) { seed = (seed * 16807) % 2147483647; delays.push(seed % 1000); }
  function* napper(ms) { yield* G.sleep(ms); }
  out["timers"] = function () {
    G.run((function* () {
      var tasks = [];
      for (var i = 0; i < TIMERS; i++) tasks.push(G.createTask(napper(delays[i])));
      yield* G.wait(tasks);
    })(), virtual());
    return TIMERS;
  };
  return out;
}
