// `npm run bench` runs every benchmark; `npm run bench -- switch timers` runs the named ones;
// `npm run bench -- engines:jsc,hermes` runs the engine benchmarks in the named engines only;
// `npm run bench -- micro` (or `micro:node,quickjs`) times single operations, in V8 and the engines of
// the goals (or the named ones); it is not part of the run with no names (the page does not use it);
// `npm run bench -- profile:cancel,gather` profiles workloads' genloop contenders (bench/profile.ts).
// Asked for more than one, it runs each in a fresh Node process of its own (the same flags), so one
// benchmark's heap and JIT state do not carry into the next; the summary reads their results back.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { cancelWorkload } from "./cancel.js";
import { engineNames, runEngineBenchmarks } from "./engines.js";
import { gatherWorkload } from "./gather.js";
import { benchRun, formatTable, readJson, runWorkload, withLoadAverages, writeJson, type Workload, type WorkloadResult } from "./harness.js";
import { heapWorkload } from "./heap.js";
import { defaultMicroEngines, microEngineNames, runMicroBenchmarks } from "./micro.js";
import { parseProfileArgs, profileUsage, runProfiles } from "./profile.js";
import { runScaling } from "./scaling.js";
import { summaryTable } from "./summary.js";
import { switchWorkload } from "./switch.js";
import { timersWorkload } from "./timers.js";

const workloads: Workload[] = [switchWorkload, gatherWorkload, heapWorkload, timersWorkload, cancelWorkload];
const names = [...workloads.map((w) => w.name), "scaling", "engines", "micro"];
/** What `npm run bench` with no names runs: all but the micro-benchmarks. */
const fullRun = names.filter((n) => n !== "micro");
// The heap workload measures in child processes of its own: there is nothing to profile in this one.
const profilable = workloads.filter((w) => w !== heapWorkload);

function usage(): string {
  return (
    `usage: npm run bench [-- name ...]   names: ${names.join(", ")}; engines:<engine,...> with engines: ${engineNames.join(", ")};\n` +
    `       micro:<engine,...> with engines: ${microEngineNames.join(", ")} (micro alone: ${defaultMicroEngines.join(", ")})\n` +
    `       npm run bench -- ${profileUsage}   workloads: ${profilable.map((w) => w.name).join(", ")}`
  );
}

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  if (asked.some((n) => n.startsWith("profile:"))) {
    const parsed = parseProfileArgs(asked, profilable);
    if ("errors" in parsed) {
      console.error(`bench: ${parsed.errors.join("\nbench: ")}\n${usage()}`);
      process.exit(2);
    }
    return runProfiles(parsed.options, runInItsOwnProcess);
  }
  // "engines:a,b" is "engines" limited to the engines a and b; "micro:a,b" likewise.
  const engineChoice = asked.find((n) => n.startsWith("engines:"));
  const onlyEngines = engineChoice === undefined ? undefined : engineChoice.slice("engines:".length).split(",");
  const microChoice = asked.find((n) => n.startsWith("micro:"));
  const microEngines = microChoice === undefined ? undefined : microChoice.slice("micro:".length).split(",");
  const unknown = [
    ...asked.filter((n) => !names.includes(n) && n !== engineChoice && n !== microChoice),
    ...(onlyEngines ?? []).filter((e) => !engineNames.includes(e)).map((e) => `engine ${JSON.stringify(e)}`),
    ...(microEngines ?? []).filter((e) => !microEngineNames.includes(e)).map((e) => `micro engine ${JSON.stringify(e)}`),
  ];
  if (unknown.length > 0) {
    console.error(`bench: unknown benchmark(s), engine(s) or flag(s): ${unknown.join(", ")}\n${usage()}`);
    process.exit(2);
  }
  const chosen =
    asked.length === 0 ? fullRun : names.filter((n) => asked.includes(n) || (n === "engines" && onlyEngines) || (n === "micro" && microEngines));
  // Made here, before any child process starts: every child inherits it (see benchRun).
  const run = benchRun();
  if (chosen.length > 1) {
    console.log(`run ${run.id}`);
    return runEachInItsOwnProcess(chosen, { engines: engineChoice, micro: microChoice });
  }
  for (const name of chosen) {
    console.log(`\n== ${name} (run ${run.id})`);
    const workload = workloads.find((w) => w.name === name);
    if (workload) {
      const { result, loadavg } = await withLoadAverages(() => runWorkload(workload));
      console.log("\n" + formatTable(result));
      console.log(`→ ${writeJson(name, result, loadavg)}`);
    } else if (name === "engines") {
      const { result, loadavg } = await withLoadAverages(() => runEngineBenchmarks(console.log, onlyEngines));
      console.log("\n" + result.text);
      console.log(`→ ${writeJson(name, { engines: result.data }, loadavg)}`);
    } else if (name === "micro") {
      const { result, loadavg } = await withLoadAverages(() => runMicroBenchmarks(console.log, microEngines));
      console.log("\n" + result.text);
      console.log(`→ ${writeJson(name, { engines: result.data }, loadavg)}`);
    } else {
      const { result, loadavg } = await withLoadAverages(() => runScaling(console.log));
      console.log("\n" + result.text);
      console.log(`→ ${writeJson(name, result.data, loadavg)}`);
    }
  }
}

/** Runs each benchmark in a child process of its own, then prints the workloads' summary from their result files. */
async function runEachInItsOwnProcess(chosen: string[], choices: { engines?: string; micro?: string }): Promise<void> {
  const results: WorkloadResult[] = [];
  const { loadavg } = await withLoadAverages(() => {
    for (const name of chosen) {
      runInItsOwnProcess([(name === "engines" || name === "micro" ? choices[name] : undefined) ?? name]);
      if (workloads.some((w) => w.name === name)) results.push(readJson(name) as WorkloadResult);
    }
  });
  if (results.length > 1) {
    const summary = summaryTable(results);
    console.log("\n== summary (medians; in parentheses the ratio to genloop on the same clock, or to genloop on its virtual clock)\n\n" + summary);
    console.log(`→ ${writeJson("summary", { markdown: summary, results }, loadavg)}`);
  }
}

/** Runs `npm run bench -- <args>` in a child Node process with this one's flags; throws if it fails. */
function runInItsOwnProcess(args: string[]): void {
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...args], { stdio: "inherit" });
  if (child.status !== 0) throw new Error(`bench: ${args.join(" ")} failed (exit status ${child.status}, signal ${child.signal})`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
