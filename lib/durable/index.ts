// genloop/durable: record and replay effect journals (docs/durable.md). The core never imports it.
// This entry takes the loop options and methods of every optional feature: they are installed with it.
import "../features/index.js";
export * from "./portable.js";
export { FileStore } from "./file-store.js";
