import { expect } from "chai";
import { VirtualClock } from "../../lib/index.js";
import { DivergenceError, DurableRun, MemoryStore, RecordedError, runDurable } from "../../lib/durable/index.js";
import { handlers, workflow } from "./workflow.js";

/** The journal's lines, without the recorded stacks (which name the line that threw). */
const linesOf = (store: MemoryStore): string[] => store.read().map((line) => line.replace(/"stack":"(\\.|[^"\\])*",/g, ""));

/** Runs the workflow durably on `store`; returns its result, trace and the handler calls made. */
function runWorkflow(store: MemoryStore) {
  const log: string[] = [];
  const calls = { count: 0 };
  const result = runDurable(workflow(log), { store, clock: new VirtualClock(), effects: handlers(calls) });
  return { result, log, calls: calls.count };
}

describe("durable: record and replay", () => {
  it("records every host effect's outcome, then replays the whole run without calling a handler", () => {
    const store = new MemoryStore();
    const first = runWorkflow(store);
    expect(first.result).to.equal("done 15");
    expect(first.calls).to.equal(6);
    const journal = linesOf(store);
    expect(JSON.parse(journal[0])).to.deep.include({ journal: "genloop", version: 1 });
    expect(journal.length).to.equal(1 + 8); // header, random, 5 fetches, the failing fetch, the callback
    const again = runWorkflow(store);
    expect(again).to.deep.equal({ ...first, calls: 0 });
    expect(linesOf(store)).to.deep.equal(journal); // nothing appended
  });

  it("a run cut after any entry resumes from its journal: same trace, same journal, each handler called once overall", () => {
    const full = new MemoryStore();
    const reference = runWorkflow(full);
    const journal = linesOf(full);
    // From the header and the random number on (a run cut before the number rolls another one).
    for (let kept = 2; kept <= journal.length; kept++) {
      const store = MemoryStore.from(journal.slice(0, kept).join("\n"));
      const resumed = runWorkflow(store);
      expect(resumed.result, `cut at ${kept}`).to.equal(reference.result);
      expect(resumed.log, `cut at ${kept}`).to.deep.equal(reference.log);
      const replayedFetches = journal.slice(0, kept).filter((l) => l.includes('"kind":"test.fetch"')).length;
      expect(resumed.calls, `cut at ${kept}`).to.equal(reference.calls - replayedFetches);
      expect(linesOf(store), `cut at ${kept}`).to.deep.equal(journal);
    }
  });

  it("errors come back as RecordedError with the recorded name, message, stack and own properties", () => {
    const store = new MemoryStore();
    runWorkflow(store);
    const log: string[] = [];
    runDurable(workflow(log), { store, clock: new VirtualClock(), effects: {} });
    expect(log).to.contain("caught TypeError: boom code=E42");
    const line = linesOf(store).find((l) => l.includes('"ok":false')) as string;
    const entry = JSON.parse(line);
    expect(entry.v).to.deep.include({ $: "error", name: "TypeError", message: "boom" });
    expect(entry.v.props).to.deep.equal({ code: "E42" });
    expect(new RecordedError("TypeError", "m", undefined)).to.be.instanceOf(Error);
  });

  it("a program asking for another effect than the journal holds fails with DivergenceError naming task, position and both effects", () => {
    const store = new MemoryStore();
    runWorkflow(store);
    const changed = linesOf(store).map((l) => l.replace('\\"url\\":\\"a/1\\"', '\\"url\\":\\"a/9\\"'));
    let error: unknown;
    try {
      runWorkflow(MemoryStore.from(changed.join("\n")));
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(DivergenceError);
    const d = error as DivergenceError;
    expect(d.taskName).to.equal("a");
    expect(d.taskId).to.equal("1.1");
    expect(d.index).to.equal(1);
    expect(d.recorded).to.equal('test.fetch {"url":"a/9"}');
    expect(d.requested).to.equal('test.fetch {"url":"a/1"}');
    expect(d.message).to.match(/task 'a' \(id 1\.1\) at its host effect #1: the journal \(line \d+\) holds test\.fetch/);
  });

  it("DurableRun exposes its run id and counts", () => {
    const store = new MemoryStore();
    const durable = new DurableRun({ store, clock: new VirtualClock(), runId: "order-7" });
    durable.run(workflow([]), { effects: handlers() });
    expect(durable.runId).to.equal("order-7");
    expect(durable.recorded).to.equal(8);
    expect(durable.replayed).to.equal(0);
    const again = new DurableRun({ store, clock: new VirtualClock() });
    expect(again.runId).to.equal("order-7");
    expect(again.replaying()).to.equal(true);
    again.run(workflow([]), { effects: handlers() });
    expect(again.replayed).to.equal(8);
    expect(again.replaying()).to.equal(false);
  });
});
