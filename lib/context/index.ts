// Context's reading methods come with this entry (genloop/core has no context variables).
import "./mapping.js";
export { Context, copyContext } from "./context.js";
export { ContextVar, Token } from "./context-var.js";
export { LookupError } from "./lookup-error.js";
