export { Context, copyContext } from "./context.js";
export { ContextVar, Token } from "./context-var.js";
