import { expect } from "chai";
import fc from "fast-check";
import { VirtualClock } from "../../lib/index.js";
import { DurableRun, JournalError, MemoryStore, parseJournal } from "../../lib/durable/index.js";
import { handlers, workflow } from "./workflow.js";

const header = '{"journal":"genloop","version":1,"run":"r1"}';
const done = (task: string, i: number, v: string) => `{"t":"done","task":"${task}","i":${i},"kind":"k","fp":"{}","ok":true,"v":${v}}`;

/** A real journal to mutate. */
function recordedJournal(): string[] {
  const store = new MemoryStore();
  new DurableRun({ store, clock: new VirtualClock(), runId: "fuzz" }).run(workflow([]), { effects: handlers() });
  return store.read();
}

/** Opening a journal either succeeds or fails with a JournalError naming a line; nothing else, and nothing leaks. */
function openOrJournalError(lines: string[]): void {
  try {
    new DurableRun({ store: MemoryStore.from(lines.join("\n")), clock: new VirtualClock(), limits: { maxLineLength: 4096, maxEntries: 100 } });
  } catch (error) {
    if (!(error instanceof JournalError)) throw error;
    expect(error.line).to.be.within(0, lines.length);
    if (error.line > 0) expect(error.message).to.match(/^journal line \d+: /);
  }
  expect(Object.getOwnPropertyNames(Object.prototype)).not.to.include("polluted");
}

describe("durable: reading journals (untrusted input)", () => {
  it("parses a journal's header and entries", () => {
    const parsed = parseJournal([header, done("1", 0, "5"), '{"t":"clock","r":[1,2.5]}', '{"t":"patch","task":"1","i":1,"id":"p"}']);
    expect(parsed.header).to.deep.equal({ journal: "genloop", version: 1, run: "r1" });
    expect(parsed.entries.map((e) => e.t)).to.deep.equal(["done", "clock", "patch"]);
    expect(parsed.entries[0].line).to.equal(2);
  });

  it("every fault is a JournalError naming its line", () => {
    const cases: [string[], RegExp][] = [
      [["{}"], /journal line 1: not a genloop journal/],
      [['{"journal":"genloop","version":2,"run":"r"}'], /line 1: journal format version 2/],
      [[header, "{not json"], /line 2: not JSON/],
      [[header, "[1]"], /line 2: expected an object/],
      [[header, '{"t":"exec","code":"x"}'], /line 2: unknown entry type/],
      [[header, done("1", 0, "1"), done("1", 0, "2")], /line 3: a second entry for the position 1:0/],
      [[header, done("../x", 0, "1")], /line 2: the task id is malformed/],
      [[header, done("1", -1, "1")], /line 2: the effect index/],
      [[header, '{"t":"done","task":"1","i":0,"kind":"k","fp":"{}","ok":true}'], /line 2: an outcome needs its value/],
      [[header, '{"t":"clock","r":[1,"2"]}'], /line 2: clock readings/],
      [[header, '{"t":"cancelled","task":"1","i":0,"kind":"k","fp":""}'], /line 2: "at" must be/],
      [[header, done("1", 0, '{"__proto__":{"polluted":true}}')], /line 2: value: the key "__proto__" is refused/],
      [[header, done("1", 0, '{"$":"custom","type":"Evil","v":1}')], /line 2: value: a value of custom type "Evil" needs the codec hook/],
    ];
    for (const [lines, message] of cases) {
      expect(() => new DurableRun({ store: MemoryStore.from(lines.join("\n")), clock: new VirtualClock() }), message.source).to.throw(JournalError, message);
    }
    expect(({} as { polluted?: unknown }).polluted).to.equal(undefined);
  });

  it("bounds what it reads: line length, entry count, value depth", () => {
    const long = [header, done("1", 0, JSON.stringify("x".repeat(100)))];
    expect(() => parseJournal(long, { maxLineLength: 50 })).to.throw(JournalError, /line 2: longer than 50 characters/);
    const many = [header, done("1", 0, "1"), done("1", 1, "1"), done("1", 2, "1")];
    expect(() => parseJournal(many, { maxEntries: 2 })).to.throw(JournalError, /more than 2 entries/);
    const deep = [header, done("1", 0, "[".repeat(80) + "]".repeat(80))];
    expect(() => new DurableRun({ store: MemoryStore.from(deep.join("\n")), clock: new VirtualClock() })).to.throw(JournalError, /line 2: .*nested too deeply/);
    const shallow = [header, done("1", 0, "[".repeat(10) + "]".repeat(10))];
    expect(() => new DurableRun({ store: MemoryStore.from(shallow.join("\n")), clock: new VirtualClock(), limits: { maxDepth: 5 } })).to.throw(JournalError, /line 2: .*nested too deeply/);
  });

  it("fuzz: random lines and mutated real journals open or fail with a JournalError, never otherwise", () => {
    const journal = recordedJournal();
    const jsonish = fc.oneof(
      fc.json(),
      fc.string(),
      fc.constantFrom(...journal),
      fc.constantFrom('{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}', '{"$":"error"}', "null", "{}"),
    );
    fc.assert(fc.property(fc.array(jsonish, { maxLength: 12 }), (lines) => openOrJournalError(lines)), { numRuns: 300, seed: 14 });
    const mutation = fc.record({ line: fc.nat(), at: fc.nat(), text: fc.string({ maxLength: 8 }), cut: fc.boolean() });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        const lines = journal.slice();
        for (const m of mutations) {
          const n = m.line % lines.length;
          const at = m.at % (lines[n].length + 1);
          lines[n] = m.cut ? lines[n].slice(0, at) : lines[n].slice(0, at) + m.text + lines[n].slice(at);
        }
        openOrJournalError(lines);
      }),
      { numRuns: 500, seed: 14 },
    );
  });

  it("a journal mutated into another valid one either replays or diverges: nothing else runs", () => {
    const journal = recordedJournal();
    const swapped = journal.map((l) => l.replace('"body":"A/0"', '"body":"Z/0"'));
    const log: string[] = [];
    new DurableRun({ store: MemoryStore.from(swapped.join("\n")), clock: new VirtualClock() }).run(workflow(log), { effects: {} });
    expect(log).to.contain("a got Z/0 at 0");
  });
});
