// A Svelte store for a task policy (Svelte's store contract needs no import):
//   const searchState = policyStore(search);
//   {#if $searchState.isRunning} searching… {/if}
import type { TaskPolicy } from "../../lib/index.js";
import { snapshotOf, watchPolicy, type PolicySnapshot } from "./snapshot.js";

/** Svelte's readable store contract. */
export interface Readable<T> {
  subscribe(run: (value: T) => void): () => void;
}

/** A readable store of the policy's snapshot: called at once, then after each change. */
export function policyStore<A extends unknown[], R>(policy: TaskPolicy<A, R>): Readable<PolicySnapshot<R>> {
  return {
    subscribe(run) {
      run(snapshotOf(policy));
      return watchPolicy(policy, run);
    },
  };
}
