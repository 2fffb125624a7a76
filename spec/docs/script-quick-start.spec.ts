// The README's `<script>` quick start, run as written: its html block's inline script, after the
// bundle its <script src> names (which must ship in the package), in a fresh context standing in
// for a page (a `document`, and host timers on a simulated clock, so 3 s pass at once).
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createContext, runInContext } from "node:vm";

/** The README's html block: the bundle path of its `<script src>` and its inline script. */
function quickStart(): { src: string; script: string } {
  const readme = readFileSync("README.md", "utf8");
  const html = /```html\n([\s\S]*?)\n```/.exec(readme);
  if (!html) throw new Error("README.md has no html block");
  const src = /<script src="([^"]+)"><\/script>/.exec(html[1]!);
  const inline = /<script>\n([\s\S]*?)<\/script>/.exec(html[1]!);
  if (!src || !inline) throw new Error("README.md's html block: expected <script src=…></script> then an inline <script>");
  return { src: src[1]!, script: inline[1]! };
}

/** A page's globals: `document`, `performance.now()` and `setTimeout` on a clock that jumps to the next timer. */
function simulatedPage() {
  let now = 0;
  let nextId = 1;
  const timers = new Map<number, { at: number; seq: number; callback: () => void }>();
  const titles: [ms: number, title: string][] = [];
  const document = {
    set title(value: string) {
      titles.push([now, value]);
    },
  };
  const globals = {
    document,
    performance: { now: () => now },
    setTimeout: (callback: () => void, ms: number) => {
      const id = nextId++;
      timers.set(id, { at: now + Math.max(0, ms), seq: id, callback });
      return id;
    },
    clearTimeout: (id: number) => void timers.delete(id),
  };
  /** Runs the timers in deadline order until none is left (or `limitMs` of page time passed). */
  const runTimers = (limitMs: number): void => {
    while (timers.size > 0) {
      const [id, next] = [...timers].sort(([, a], [, b]) => a.at - b.at || a.seq - b.seq)[0]!;
      if (next.at > limitMs) break;
      timers.delete(id);
      now = next.at;
      next.callback();
    }
  };
  return { globals, titles, runTimers };
}

describe("README: the <script> quick start", () => {
  const { src, script } = quickStart();
  const file = src.replace(/^node_modules\/genloop\//, "");

  it("loads a bundle that the package ships", function () {
    this.timeout(60_000);
    expect(src, "the path a page of an app that installed genloop uses").to.match(/^node_modules\/genloop\/dist\//);
    const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const files = (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    expect(files).to.include(file);
  });

  it("counts the page title down from 3 to liftoff, one second apart, driven by the page's timers", function () {
    if (!existsSync(file)) this.skip(); // npm test builds dist/ first
    const page = simulatedPage();
    const context = createContext(page.globals); // two classic scripts of one page share its global scope
    runInContext(readFileSync(file, "utf8"), context, { filename: file });
    runInContext(script, context, { filename: "README.md <script>" });
    page.runTimers(60_000);
    expect(page.titles).to.deep.equal([
      [0, "3"],
      [1000, "2"],
      [2000, "1"],
      [3000, "liftoff"],
    ]);
  });
});
