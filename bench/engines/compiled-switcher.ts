// The typed switch worker of bench/engines/program.ts, in a file of its own: bench/engines.ts
// compiles this file with genloop/transform's `typedYields` (bench/compile-step.ts) before
// bundling it, so "genloop yield*, compiled" runs what the compile step makes of `yield* sleep(0)`.
import type { Coroutine } from "../../lib/index.js";

type Genloop = typeof import("../../lib/index.js");
declare const genloop: Genloop;

export function* compiledSwitcher(k: number): Coroutine<void> {
  for (let i = 0; i < k; i++) yield* genloop.sleep(0);
}
