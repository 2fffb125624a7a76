// The typed worker of the switch workload, exactly as bench/switch.ts writes it, in a file of its
// own so that bench/compile-step.ts can compile it with genloop/transform's `typedYields`.
import { sleep, type Coroutine } from "../../lib/index.js";

export function* compiledWorker(k: number): Coroutine<void> {
  for (let i = 0; i < k; i++) yield* sleep(0);
}
