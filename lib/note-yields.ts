import type { Task } from "./task.js";

/**
 * @internal A bit of `Task._flags` (their layout is in task.ts): the running coroutine's
 * `yield* effect` must be noted for the call graph (its name is not learned yet, or debug mode
 * records where it is). Set at each coroutine switch by `taskHooks.mustNoteYields`.
 */
export const NOTE_YIELDS = 64;

/**
 * @internal Installed by graph/coroutine-frames.ts. The `[Symbol.iterator]` of Effect, Future
 * and SleepEffect call `note` when the running task's NOTE_YIELDS bit is set, themselves, in the
 * coroutine's own frame (the frame the call graph reads the name from): never replaced, each
 * stays one function engines can inline into the coroutine. An effect that overrides
 * `[Symbol.iterator]` must do the same, or its yields go unnoted.
 */
export const yieldNotes = {
  note: null as ((task: Task<any>) => void) | null,
};
