/**
 * Replay found the program asking for a different effect than its journal holds at that position:
 * the code changed, or it depends on something outside effects (`Math.random()`, `Date.now()`,
 * iteration order of data from outside). Thrown into the task that asked; from then on every host
 * effect of the run fails with it and nothing more is journaled, so the journal is never mixed
 * with a run of other code. Use `random()` / `now()` from genloop/durable for nondeterministic
 * values, and `patched(id)` to change code that has journals in flight.
 */
export class DivergenceError extends Error {
  /**
   * @param taskName the name of the task that asked (e.g. "Task-3" or the name it was given).
   * @param taskId its stable id in the journal (its place in the tree of task creations).
   * @param index which host effect of that task (0 for its first).
   * @param recorded the effect the journal holds there (kind and payload fingerprint).
   * @param requested the effect the program asked for.
   * @param line the journal line holding the recorded effect.
   */
  constructor(
    readonly taskName: string,
    readonly taskId: string,
    readonly index: number,
    readonly recorded: string,
    readonly requested: string,
    readonly line: number,
  ) {
    super(
      `replay diverged in task '${taskName}' (id ${taskId}) at its host effect #${index}: the journal (line ${line}) holds ` +
        `${recorded}, but the program asked for ${requested}. The code or its inputs changed since the journal was recorded: ` +
        "make nondeterministic calls effects (random() and now() from genloop/durable instead of Math.random() and Date.now()), " +
        "and guard intended code changes with yield* patched(id).",
    );
    this.name = "DivergenceError";
  }
}
