// A Vue composable for a task policy, with Vue's functions handed in (no Vue dependency):
//   import { shallowRef, onScopeDispose } from "vue";
//   const usePolicy = createUsePolicy({ shallowRef, onScopeDispose });
//   // in setup(): const state = usePolicy(search);  then state.value.isRunning in the template
import type { TaskPolicy } from "../../lib/index.js";
import { snapshotOf, watchPolicy, type PolicySnapshot } from "./snapshot.js";

/** The Vue APIs the composable uses (Vue 3). */
export interface VueLike {
  shallowRef<T>(value: T): { value: T };
  onScopeDispose(fn: () => void): void;
}

/** Makes the `usePolicy` composable for this Vue. */
export function createUsePolicy(vue: VueLike) {
  return function usePolicy<A extends unknown[], R>(policy: TaskPolicy<A, R>): { readonly value: PolicySnapshot<R> } {
    const state = vue.shallowRef(snapshotOf(policy));
    vue.onScopeDispose(watchPolicy(policy, (snapshot) => (state.value = snapshot)));
    return state;
  };
}
