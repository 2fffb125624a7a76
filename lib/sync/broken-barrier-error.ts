import { RuntimeError, nameErrorClasses } from "../errors.js";

/** A `Barrier` was reset or aborted while tasks waited on it (a `RuntimeError`, as in CPython). */
export class BrokenBarrierError extends RuntimeError {}

nameErrorClasses({ BrokenBarrierError });
