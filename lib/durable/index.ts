// genloop/durable: record and replay effect journals (docs/durable.md). The core never imports it.
export * from "./portable.js";
export { FileStore } from "./file-store.js";
