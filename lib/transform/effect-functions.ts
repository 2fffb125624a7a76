/**
 * @internal The functions whose call is always one of genloop's effects, by the entry point that
 * exports them: what the compile step without types may rewrite in `yield* f(…)`. Each returns a
 * new effect descriptor (or throws at the call, before any yield), never a future or coroutine.
 * spec/transform/effect-functions.spec.ts checks this list against the declared return types.
 */
export const effectFunctions: Readonly<Record<string, readonly string[]>> = {
  genloop: ["sleep", "spawn", "call", "callback", "gather", "shield", "waitFor", "wait", "timeout", "timeoutAt", "taskGroup", "nonCancellable"],
  "genloop/promise": ["fromPromise"],
  "genloop/durable": ["random", "now", "patched"],
};
