// A React hook for a task policy, with React handed in (genloop has no React dependency):
//   import * as React from "react";
//   const usePolicy = createUsePolicy(React);
//   function SearchBox() {
//     const state = usePolicy(search);         // re-renders when the policy's state changes
//     return <input onChange={(e) => search.perform(e.target.value)} /> ... state.lastValue ...
//   }
import type { TaskPolicy } from "../../lib/index.js";
import { snapshotOf, watchPolicy, type PolicySnapshot } from "./snapshot.js";

/** The one React API the hook uses (React 18+). */
export interface ReactLike {
  useSyncExternalStore<T>(subscribe: (onChange: () => void) => () => void, getSnapshot: () => T): T;
}

/** Makes the `usePolicy` hook for this React. */
export function createUsePolicy(react: ReactLike) {
  return function usePolicy<A extends unknown[], R>(policy: TaskPolicy<A, R>): PolicySnapshot<R> {
    return react.useSyncExternalStore(
      (onChange) => watchPolicy(policy, onChange),
      () => snapshotOf(policy),
    );
  };
}
