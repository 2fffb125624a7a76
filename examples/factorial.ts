// The asyncio documentation's gather example, on genloop: three tasks compute factorials
// concurrently, sleeping a second between steps. Run once in real time (about 3 s) and
// once on a virtual clock (instant, with the same output and the same loop time).
import { VirtualClock, gather, getRunningLoop, run, sleep, type Coroutine } from "../lib/index.js";

function* factorial(name: string, n: number): Coroutine<number> {
  let f = 1;
  for (let i = 2; i <= n; i++) {
    console.log(`Task ${name}: Compute factorial(${i})...`);
    yield* sleep(1000);
    f *= i;
  }
  console.log(`Task ${name}: factorial(${n}) = ${f}`);
  return f;
}

function* main(): Coroutine<{ results: number[]; time: number }> {
  const results = yield* gather(factorial("A", 2), factorial("B", 3), factorial("C", 4));
  return { results, time: getRunningLoop().time() };
}

const mode = process.argv[2];
if (mode !== "virtual") {
  console.log("-- real time --");
  const t0 = Date.now();
  const { results } = run(main());
  console.log(`results ${JSON.stringify(results)} in ${((Date.now() - t0) / 1000).toFixed(2)} s of real time`);
}
if (mode !== "real") {
  console.log("-- virtual clock --");
  const t0 = Date.now();
  const { results, time } = run(main(), { clock: new VirtualClock() });
  console.log(`results ${JSON.stringify(results)}; loop.time() is ${time} at the end, after ${Date.now() - t0} ms of real time`);
}
