// The micro-benchmarks' table (`npm run bench -- micro`) on results made up here: one row per
// operation in the order measured, one column per engine, the extra cost over the named row signed,
// a missing measurement as "—" and an engine's problem under the table. No benchmark runs.
import { expect } from "chai";
import { formatMicroTable, type MicroResult } from "../../bench/micro.js";

describe("bench micro table", () => {
  it("lays out the operations by engine, signs the costs over another row and names the engines that failed", () => {
    const results: MicroResult[] = [
      {
        engine: "node",
        version: "node v20.20.2",
        measurements: [
          { op: "loop iteration", ns: 0.34 },
          { op: "function call", ns: 0.04, over: "loop iteration" },
          { op: "gen: throw() instead", ns: 865.4, over: "loop iteration" },
        ],
      },
      { engine: "quickjs", measurements: [{ op: "loop iteration", ns: 30.2 }, { op: "function call", ns: -3.25, over: "loop iteration" }] },
      { engine: "jsc", measurements: [], problem: "not installed (sh scripts/install-engines.sh)" },
    ];
    expect(formatMicroTable(results)).to.equal(
      [
        "| operation, ns | over | node | quickjs | jsc |",
        "|---|---|---:|---:|---:|",
        "| loop iteration |  | 0.3 | 30 | — |",
        "| function call | loop iteration | +0.0 | -3.3 | — |",
        "| gen: throw() instead | loop iteration | +865 | — | — |",
        "",
        "problem: jsc: not installed (sh scripts/install-engines.sh)",
      ].join("\n"),
    );
  });
});
