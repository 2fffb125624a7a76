// The table: one row per workload, one column per contender, as markdown.
import { formatRatio, formatValue, type WorkloadResult } from "./harness.js";

const columns = ["genloop", "raw generators", "native async", "Effection 4", "redux-saga", "co"];

export function summaryTable(results: readonly WorkloadResult[]): string {
  const lines = [
    `| workload | ${columns.join(" | ")} |`,
    `|---|${columns.map(() => "---").join("|")}|`,
  ];
  for (const r of results) {
    const cells = columns.map((name) => {
      const rows = r.rows.filter((row) => row.name === name);
      if (rows.length === 0) return "—";
      return rows
        .map((row) => {
          const v = formatValue(row.median, r.unit);
          const clock = row.clock === "-" ? "" : ` ${row.clock === "virtual" ? "virtual clock" : "real timers"}`;
          const ratio = row.ratio === null || name === "genloop" ? "" : ` (${formatRatio(row.ratio)})`;
          return `${v}${ratio}${clock}`;
        })
        .join("; ");
    });
    lines.push(`| ${r.title.split(" (")[0]} (${r.better} is better) | ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}
