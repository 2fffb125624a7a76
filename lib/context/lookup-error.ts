import { GenloopError, nameErrorClasses } from "../errors.js";

/** `ContextVar.get()` of a variable with no value in the current context and no default. */
export class LookupError extends GenloopError {}

nameErrorClasses({ LookupError });
