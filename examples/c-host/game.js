// The script side of the C host (host.c): plain ES5-style script run by JavaScriptCore after
// genloop's bundles (the whole API, or the core, features and hosts parts it uses). The host calls game.setTime(ms) once per frame, then drives the loop itself
// with game.loop.nextDeadline() and game.loop.step() within its frame budget, and calls
// game.recover() when the engine's execution time limit cut a step off.
// Host functions it uses: print(line), hostCpuMs() (this thread's CPU time, in ms), and
// hostStartLoad(name, frames, resolve) (a fake asset load that calls resolve(data) `frames` later).
var game = (function (g) {
  var clock = new g.VirtualClock();
  var loop = new g.EventLoop({ clock: clock });

  // One host operation as a custom effect: the handler hands the load to the host, which
  // completes it a few frames later from its own frame loop.
  var loadAsset = g.defineEffect("host.loadAsset");
  loop.setEffectHandler(loadAsset, function (effect, ctx) {
    hostStartLoad(effect.name, effect.frames, ctx.resolve);
  });

  // Per-task CPU time from the instrument hooks: the time between beforeTaskStep and afterTaskStep.
  var cpuByTask = {};
  var stepStart = 0;
  loop.addInstrument({
    beforeTaskStep: function () {
      stepStart = hostCpuMs();
    },
    afterTaskStep: function (task) {
      var name = task.getName();
      cpuByTask[name] = (cpuByTask[name] || 0) + (hostCpuMs() - stepStart);
    },
  });

  var loads = 0;
  var steps = 0;
  function* worker(index) {
    var state = index;
    for (;;) {
      // A pseudo-random pause of 50 to 250 ms of game time, then a little work.
      state = (state * 1103515245 + 12345) % 2147483648;
      yield* g.sleep(50 + (state % 200));
      var sum = 0;
      for (var i = 0; i < 100; i++) sum += (i * state) % 7;
      steps++;
      if (state % 50 === 0) {
        var data = yield* loadAsset({ name: "asset-" + index, frames: 3 });
        if (data !== "data of asset-" + index) throw new Error("wrong asset data: " + data);
        loads++;
      }
    }
  }

  // The runaway: after a while it spins forever; the host's time limit stops it.
  function* runaway() {
    yield* g.sleep(1000);
    for (;;) {}
  }

  var stopped = [];
  var cancelledSeen = [];
  function* watch(task) {
    try {
      yield task;
    } catch (error) {
      cancelledSeen.push(task.getName() + ": " + (error instanceof g.CancelledError ? "CancelledError " + error.message : String(error)));
    }
  }

  var workers = [];
  for (var n = 0; n < 1000; n++) workers.push(loop.createTask(worker(n), { name: "worker-" + n }));
  var runawayTask = loop.createTask(runaway(), { name: "runaway" });
  loop.createTask(watch(runawayTask), { name: "watcher" });

  return {
    loop: loop,
    setTime: function (ms) {
      if (ms > clock.now()) clock.advance(ms - clock.now());
    },
    recover: function () {
      var task = g.recoverInterruptedStep(loop, "stopped by the host: over its time limit");
      var name = task === null ? null : task.getName();
      if (name !== null) stopped.push(name);
      return name;
    },
    report: function () {
      var names = Object.keys(cpuByTask).filter(function (name) {
        return name.indexOf("worker-") === 0;
      });
      var times = names.map(function (name) {
        return cpuByTask[name];
      });
      times.sort(function (a, b) {
        return a - b;
      });
      var total = 0;
      for (var i = 0; i < times.length; i++) total += times[i];
      var alive = 0;
      for (var j = 0; j < workers.length; j++) if (!workers[j].done()) alive++;
      return [
        "worker steps: " + steps + ", asset loads: " + loads + ", workers still running: " + alive + "/" + workers.length,
        "per-task CPU time (instruments): " + names.length + " tasks, median " + times[times.length >> 1].toFixed(3) + " ms, max " +
          times[times.length - 1].toFixed(3) + " ms, total " + total.toFixed(1) + " ms",
        "stopped by the time limit: " + (stopped.join(", ") || "none"),
        "seen by its awaiter: " + (cancelledSeen.join("; ") || "nothing"),
      ].join("\n");
    },
  };
})(genloop);
