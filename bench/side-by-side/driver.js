// Runs the workloads of two copies of genloop (globals GA and GB) in alternation, in one engine
// instance, and prints each workload's rates and the ratio B/A. Set before this script: WORKLOADS_SRC
// (the text of workloads.js); optionally ONLY (names), ROUNDS, SCALE, and EMIT_JSON (also print the
// statistics as one line `JSON:{...}`, for run.mjs to combine two runs).
var print_ = typeof print === "function" ? print : console.log;
var now_ = typeof process !== "undefined" && process.cpuUsage
  ? function () { var c = process.cpuUsage(); return (c.user + c.system) / 1000; } // CPU time: steadier on a loaded machine
  : typeof performance !== "undefined" ? function () { return performance.now(); } : function () { return Date.now(); };
var scale_ = typeof SCALE !== "undefined" ? SCALE : 1;
var rounds_ = typeof ROUNDS !== "undefined" ? ROUNDS : 21;
function copyOf(G) { return new Function("G", "S", WORKLOADS_SRC + "\nreturn makeWorkloads(G, S);")(G, scale_); }
var WA = copyOf(GA), WB = copyOf(GB);
var samples = {};
Object.keys(WA).forEach(function (name) {
  if (typeof ONLY === "undefined" || ONLY.indexOf(name) !== -1) samples[name] = { A: [], B: [] };
});
// Two warm-up rounds; each round runs A and B once, in alternating order.
for (var round = 0; round < rounds_ + 2; round++) {
  for (var name in samples) {
    var order = round % 2 === 0 ? ["B", "A"] : ["A", "B"];
    for (var j = 0; j < 2; j++) {
      var which = order[j];
      var t0 = now_();
      var r = (which === "A" ? WA : WB)[name]();
      var ms = now_() - t0;
      var count = r;
      if (typeof r !== "number") { count = r[0]; ms = r[1]; }
      if (round >= 2) samples[name][which].push((count / ms) * 1000);
    }
  }
}
function median(xs) { var s = xs.slice().sort(function (a, b) { return a - b; }); return s[s.length >> 1]; }
function rate(x) { return x >= 1e6 ? (x / 1e6).toFixed(2) + " M/s" : (x / 1e3).toFixed(1) + " k/s"; }
function pad(s, n) { s = String(s); while (s.length < n) s += " "; return s; }
print_(pad("workload", 14) + pad("A", 12) + pad("B", 12) + "B/A of medians  median of paired B/A  B/A of bests");
for (var name in samples) {
  var A = samples[name].A, B = samples[name].B;
  var paired = A.map(function (a, i) { return B[i] / a; });
  print_(pad(name, 14) + pad(rate(median(A)), 12) + pad(rate(median(B)), 12) + pad((median(B) / median(A)).toFixed(3), 16) +
    pad(median(paired).toFixed(3), 21) + (Math.max.apply(null, B) / Math.max.apply(null, A)).toFixed(3));
}
if (typeof EMIT_JSON !== "undefined") {
  var stats = {};
  for (var name in samples) {
    var A = samples[name].A, B = samples[name].B;
    stats[name] = {
      medians: median(B) / median(A),
      paired: median(A.map(function (a, i) { return B[i] / a; })),
      bests: Math.max.apply(null, B) / Math.max.apply(null, A),
    };
  }
  print_("JSON:" + JSON.stringify(stats));
}
