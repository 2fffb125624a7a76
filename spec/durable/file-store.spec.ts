import { expect } from "chai";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileStore, MemoryStore } from "../../lib/durable/index.js";

describe("durable: stores", () => {
  let dir = "";
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "genloop-store-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("FileStore appends one line per entry and reads them back; a missing file is an empty journal", () => {
    const path = join(dir, "j.jsonl");
    const store = new FileStore(path);
    expect(store.read()).to.deep.equal([]);
    expect(existsSync(path)).to.equal(false);
    store.append('{"a":1}');
    store.append('{"b":2}');
    expect(readFileSync(path, "utf8")).to.equal('{"a":1}\n{"b":2}\n');
    expect(new FileStore(path).read()).to.deep.equal(['{"a":1}', '{"b":2}']);
    store.close();
    store.append('{"c":3}'); // reopens
    expect(new FileStore(path).read()).to.have.length(3);
    store.close();
  });

  it("FileStore drops a torn last line on read, on disk too, and appends after it", () => {
    const path = join(dir, "j.jsonl");
    writeFileSync(path, '{"a":1}\n{"b":2}\n{"c":');
    const store = new FileStore(path);
    expect(store.read()).to.deep.equal(['{"a":1}', '{"b":2}']);
    expect(store.recoveredBytes).to.equal(5);
    expect(readFileSync(path, "utf8")).to.equal('{"a":1}\n{"b":2}\n');
    store.append('{"d":4}');
    expect(readFileSync(path, "utf8")).to.equal('{"a":1}\n{"b":2}\n{"d":4}\n');
    store.close();
    writeFileSync(path, "torn without any line break");
    expect(new FileStore(path).read()).to.deep.equal([]);
    expect(readFileSync(path, "utf8")).to.equal("");
  });

  it("FileStore refuses to append to a torn file it has not read, and lines with breaks", () => {
    const path = join(dir, "j.jsonl");
    writeFileSync(path, '{"a":1}\n{"b"');
    expect(() => new FileStore(path).append("{}")).to.throw(/ends with a torn line; read\(\) it first/);
    const store = new FileStore(join(dir, "k.jsonl"));
    expect(() => store.append("a\nb")).to.throw(TypeError, /one line of text/);
    expect(() => new FileStore("")).to.throw(TypeError, /file path/);
  });

  it("MemoryStore keeps lines, exports them as text and restores from it", () => {
    const store = new MemoryStore();
    store.append("x");
    store.append("y");
    expect(store.length).to.equal(2);
    expect(store.toString()).to.equal("x\ny\n");
    expect(MemoryStore.from(store.toString()).read()).to.deep.equal(["x", "y"]);
    expect(() => store.append("a\nb")).to.throw(TypeError);
    expect(() => MemoryStore.from(3 as never)).to.throw(TypeError, /journal's text/);
    const copy = store.read();
    copy.push("z");
    expect(store.length).to.equal(2);
  });
});
