// The size budgets (scripts/size/size.mjs): the minimal program, the whole API and every minified
// bundle, measured from the built package (`npm test` builds dist/ first), may not grow more than
// 3 % past their recorded sizes, nor past their limits.
import { expect } from "chai";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

interface Row {
  name: string;
  bytes: number;
  gzip: number;
}
type Budgets = Record<string, { gzip: number; limit?: number }>;
interface SizeScript {
  measureAll(): Promise<Row[]>;
  readBudgets(): Budgets;
  checkBudgets(rows: Row[], budgets: Budgets): string[];
}

const load = (): Promise<SizeScript> => import(pathToFileURL(resolve("scripts/size/size.mjs")).href) as Promise<SizeScript>;

describe("size budgets", function () {
  this.timeout(60000);

  it("every budgeted entry is within 3 % of its recorded size and under its limit", async function () {
    if (!existsSync("dist/esm/index.js") || !existsSync("dist/genloop.core.es5.min.js")) this.skip(); // npm test builds dist/ first
    const size = await load();
    const rows = await size.measureAll();
    expect(rows.map((r) => r.name)).to.include.members(["minimal program", "whole API", "genloop.iife.min.js", "genloop.core.es5.min.js"]);
    expect(size.checkBudgets(rows, size.readBudgets())).to.deep.equal([]);
  });

  it("the check fails an entry that grew more than 3 %, or one over its limit, and names it", async () => {
    const size = await load();
    const budgets: Budgets = { a: { gzip: 1000 }, b: { gzip: 1000, limit: 1010 } };
    expect(size.checkBudgets([{ name: "a", bytes: 0, gzip: 1030 }, { name: "b", bytes: 0, gzip: 1000 }], budgets)).to.deep.equal([]);
    expect(size.checkBudgets([{ name: "a", bytes: 0, gzip: 1031 }], budgets)).to.deep.equal([
      "a: 1031 B min+gzip, more than 3 % over its recorded 1000 B (at most 1030 B); " +
        "find what grew with node scripts/size/size.mjs --why, or record an intended growth with --update",
    ]);
    expect(size.checkBudgets([{ name: "b", bytes: 0, gzip: 1011 }], budgets)).to.deep.equal(["b: 1011 B min+gzip, over its limit of 1010 B"]);
    expect(size.checkBudgets([{ name: "c", bytes: 0, gzip: 1 }], budgets)).to.deep.equal([
      "c: no recorded size (run node scripts/size/size.mjs --update)",
    ]);
  });
});
