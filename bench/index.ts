// `npm run bench` runs every benchmark; `npm run bench -- switch timers` runs the named ones.
import { cancelWorkload } from "./cancel.js";
import { gatherWorkload } from "./gather.js";
import { formatTable, runWorkload, writeJson, type Workload, type WorkloadResult } from "./harness.js";
import { heapWorkload } from "./heap.js";
import { runScaling } from "./scaling.js";
import { summaryTable } from "./summary.js";
import { switchWorkload } from "./switch.js";
import { timersWorkload } from "./timers.js";

const workloads: Workload[] = [switchWorkload, gatherWorkload, heapWorkload, timersWorkload, cancelWorkload];
const names = [...workloads.map((w) => w.name), "scaling"];

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((n) => !names.includes(n));
  if (unknown.length > 0) {
    console.error(`bench: unknown benchmark(s) or flag(s): ${unknown.join(", ")}\nusage: npm run bench [-- name ...]   names: ${names.join(", ")}`);
    process.exit(2);
  }
  const chosen = asked.length === 0 ? names : names.filter((n) => asked.includes(n));
  const results: WorkloadResult[] = [];
  for (const name of chosen) {
    console.log(`\n== ${name}`);
    const workload = workloads.find((w) => w.name === name);
    if (workload) {
      const r = await runWorkload(workload);
      results.push(r);
      console.log("\n" + formatTable(r));
      console.log(`→ ${writeJson(name, r)}`);
    } else {
      const { text, data } = await runScaling(console.log);
      console.log("\n" + text);
      console.log(`→ ${writeJson(name, data)}`);
    }
  }
  if (results.length > 1) {
    const summary = summaryTable(results);
    console.log("\n== summary (medians; in parentheses the ratio to genloop on the same clock, or to genloop on its virtual clock)\n\n" + summary);
    console.log(`→ ${writeJson("summary", { markdown: summary, results })}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
