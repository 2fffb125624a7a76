// The derived state of a task policy as one immutable object, recomputed when the policy
// notifies a change: what the React, Vue and Svelte adapters beside this file hand to a view.
import type { TaskPolicy } from "../../lib/index.js";

/** What a view shows of a policy. */
export interface PolicySnapshot<R> {
  readonly isRunning: boolean;
  readonly isQueued: boolean;
  readonly isIdle: boolean;
  readonly performCount: number;
  /** The value of the instance that most recently succeeded, or undefined. */
  readonly lastValue: R | undefined;
  /** The error of the instance that most recently failed (if it is the latest to end). */
  readonly lastError: unknown;
}

const cache = new WeakMap<object, PolicySnapshot<unknown>>();

/** The policy's current snapshot: the same object as long as nothing in it changed. */
export function snapshotOf<A extends unknown[], R>(policy: TaskPolicy<A, R>): PolicySnapshot<R> {
  const fresh = compute(policy);
  const old = cache.get(policy) as PolicySnapshot<R> | undefined;
  if (old !== undefined && sameSnapshot(old, fresh)) return old;
  cache.set(policy, fresh);
  return fresh;
}

/** Subscribes `onChange` to the policy; it gets the new snapshot when something in it changed. Returns the unsubscribe function. */
export function watchPolicy<A extends unknown[], R>(policy: TaskPolicy<A, R>, onChange: (snapshot: PolicySnapshot<R>) => void): () => void {
  let last = snapshotOf(policy);
  return policy.subscribe(() => {
    const now = snapshotOf(policy);
    if (now === last) return;
    last = now;
    onChange(now);
  });
}

function compute<A extends unknown[], R>(policy: TaskPolicy<A, R>): PolicySnapshot<R> {
  const ok = policy.lastSuccessful;
  const failed = policy.lastErrored;
  return Object.freeze({
    isRunning: policy.isRunning,
    isQueued: policy.isQueued,
    isIdle: policy.isIdle,
    performCount: policy.performCount,
    // An instance counts once its task is done (between its last step and then, result() throws).
    lastValue: ok !== null && ok.done() ? ok.result() : undefined,
    lastError: failed !== null && failed.done() && failed === policy.lastComplete ? failed.exception() : undefined,
  });
}

function sameSnapshot(a: PolicySnapshot<unknown>, b: PolicySnapshot<unknown>): boolean {
  return (
    a.isRunning === b.isRunning &&
    a.isQueued === b.isQueued &&
    a.performCount === b.performCount &&
    a.lastValue === b.lastValue &&
    a.lastError === b.lastError
  );
}
