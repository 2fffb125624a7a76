// genloop/durable without the file store: what runs in every engine with ES2015 (QuickJS, JSC,
// a browser). The package entry genloop/durable adds FileStore, which needs Node's fs.
export { DurableRun, runDurable, effectKey, type DurableOptions } from "./durable-run.js";
export { DivergenceError } from "./divergence-error.js";
export { random, now, patched } from "./effects.js";
export { CodecError, RecordedError, decodeValue, encodeValue, type CodecHook, type DecodeLimits } from "./codec.js";
export {
  JournalError,
  JOURNAL_VERSION,
  parseJournal,
  type JournalEntry,
  type JournalHeader,
  type JournalLimits,
  type OutcomeEntry,
  type CancelledEntry,
  type PatchEntry,
  type ClockEntry,
  type ParsedJournal,
  type ReadEntry,
} from "./journal.js";
export { MemoryStore, type JournalStore } from "./store.js";
export { JournalClock } from "./journal-clock.js";
