// The XS driver (scripts/engines/xs.mjs) without XS: its netstring framing, what it makes of each
// answer, and a whole exchange with stand-in workers (shell scripts on the same file descriptors)
// that answer, throw, die, hang or call issueCommand. The real xsnap-worker runs the conformance
// program in `npm run engines` (the `xs` row), once scripts/install-xs.sh has built it.
import { expect } from "chai";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

interface Driver {
  encodeNetstring(text: string): Buffer;
  decodeNetstrings(buffer: Buffer): { messages: Buffer[]; rest: Buffer };
  evaluationError(message: Buffer): string | null;
  runInXs(code: string, options?: { worker?: string; timeoutMs?: number }): Promise<{ output: string; error: string | null }>;
}
interface Harness {
  engines: { name: string; build: string; found?: () => boolean; install?: string }[];
  runEngine(engine: Harness["engines"][number]): Promise<{ status: string; problems: string[] }>;
}
const load = <T>(file: string): Promise<T> => import(pathToFileURL(resolve(file)).href) as Promise<T>;

describe("engines: the XS driver (xsnap-worker's netstring protocol)", function () {
  let driver: Driver;
  let dir: string;
  before(async () => {
    driver = await load<Driver>("scripts/engines/xs.mjs");
    dir = mkdtempSync(join(tmpdir(), "genloop-xs-spec-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** A stand-in worker: a shell script that keeps what it was sent (fd 3) in `<name>.in`. */
  const fakeWorker = (name: string, body: string): string => {
    const file = join(dir, name);
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, 0o755);
    return file;
  };
  const sent = (worker: string): string => readFileSync(`${worker}.in`, "utf8");

  it("encodes a netstring with its length in UTF-8 bytes", () => {
    expect(driver.encodeNetstring("eprint(1)").toString()).to.equal("9:eprint(1),");
    expect(driver.encodeNetstring("").toString()).to.equal("0:,");
    expect(driver.encodeNetstring("é€").toString()).to.equal("5:é€,");
  });

  it("decodes the complete netstrings at the start of a buffer and keeps an incomplete one", () => {
    const { messages, rest } = driver.decodeNetstrings(Buffer.from("1:.,3:!ab,4:?x"));
    expect(messages.map(String)).to.deep.equal([".", "!ab"]);
    expect(rest.toString()).to.equal("4:?x");
    expect(driver.decodeNetstrings(Buffer.from("12")).rest.toString()).to.equal("12");
    const split = driver.decodeNetstrings(Buffer.from("5:é€"));
    expect(split.messages).to.deep.equal([]);
    expect(driver.decodeNetstrings(Buffer.concat([split.rest, Buffer.from(",")])).messages.map(String)).to.deep.equal(["é€"]);
  });

  it("refuses bytes that are no netstring", () => {
    expect(() => driver.decodeNetstrings(Buffer.from("x1:a,"))).to.throw('not a netstring length: "x1"');
    expect(() => driver.decodeNetstrings(Buffer.from("ab"))).to.throw('not a netstring length: "ab"');
    expect(() => driver.decodeNetstrings(Buffer.from("1:ab"))).to.throw('netstring of 1 bytes not followed by ","');
  });

  it('reads "." as done, "!" as the exception, "?" as an issueCommand it does not serve', () => {
    expect(driver.evaluationError(Buffer.from('.{"compute":1}\x01'))).to.equal(null);
    expect(driver.evaluationError(Buffer.from("!TypeError: boom"))).to.equal("the script threw: TypeError: boom");
    expect(driver.evaluationError(Buffer.from("?hi"))).to.equal('the script called issueCommand("hi"), which this driver does not serve');
    expect(driver.evaluationError(Buffer.from("/x"))).to.equal('unexpected answer from xsnap-worker: "/x"');
  });

  it("sends the script as one evaluate command, then quit; returns what the worker printed", async () => {
    const worker = fakeWorker("ok", `printf 'ok a\\ndone 1/1\\n'; printf '15:.{"compute":1}\\001,' >&4; cat <&3 > "$0.in"`);
    expect(await driver.runInXs("print('é')", { worker })).to.deep.equal({ output: "ok a\ndone 1/1\n", error: null });
    expect(sent(worker)).to.equal("12:eprint('é'),1:q,");
  });

  it("reports the exception of a script that threw (the worker then exits with status 15)", async () => {
    const worker = fakeWorker("throws", `printf 'ok a\\n'; printf '16:!TypeError: boom,' >&4; cat <&3 > "$0.in"; exit 15`);
    expect(await driver.runInXs("throw 1", { worker })).to.deep.equal({ output: "ok a\n", error: "the script threw: TypeError: boom" });
    expect(sent(worker)).to.equal("8:ethrow 1,1:q,");
  });

  it("reports a worker that dies before answering, with the end of its stderr", async () => {
    const worker = fakeWorker("dies", "echo 'ok a'; echo 'Cannot read netstring' >&2; exit 5");
    expect(await driver.runInXs("1", { worker })).to.deep.equal({ output: "ok a\n", error: "xsnap-worker exited (status 5) before answering: Cannot read netstring" });
  });

  it("kills a worker that does not answer in time, or that waits for an issueCommand reply", async () => {
    const hangs = fakeWorker("hangs", "exec sleep 30");
    const start = Date.now();
    expect(await driver.runInXs("for (;;) {}", { worker: hangs, timeoutMs: 300 })).to.deep.equal({ output: "", error: "no answer from xsnap-worker within 0.3 s" });
    expect(Date.now() - start).to.be.below(5000);
    const asks = fakeWorker("asks", "printf '3:?hi,' >&4; exec sleep 30");
    expect(await driver.runInXs("issueCommand(x)", { worker: asks })).to.deep.equal({ output: "", error: 'the script called issueCommand("hi"), which this driver does not serve' });
  });

  it("reports an answer that is no netstring, and a worker that cannot be started", async () => {
    const garbage = fakeWorker("garbage", "printf 'hello' >&4; exec sleep 30");
    expect(await driver.runInXs("1", { worker: garbage })).to.deep.equal({ output: "", error: 'xsnap-worker answered with no netstring: not a netstring length: "hello"' });
    const missing = join(dir, "missing");
    expect(await driver.runInXs("1", { worker: missing })).to.deep.equal({ output: "", error: `cannot run ${missing}: spawn ${missing} ENOENT` });
  });

  it("the xs row of the matrix is skipped, naming its install script, where the worker is not built", async () => {
    const harness = await load<Harness>("scripts/engines/harness.mjs");
    const xs = harness.engines.find((e) => e.name === "xs");
    if (xs === undefined) throw new Error("no xs engine");
    expect(xs.build).to.equal("es2015");
    const row = await harness.runEngine({ ...xs, found: () => false });
    expect(row.status).to.equal("skipped");
    expect(row.problems).to.deep.equal(["not installed (sh scripts/install-xs.sh: npm @agoric/xsnap, built with gcc)"]);
  });
});
