// examples/browser in a real browser: Debian's headless Chromium driven by puppeteer-core
// (no browser download). Ten characters typed 30 ms apart into the search box wired to a
// `restartable` policy: ten requests, nine aborted (the server sees each client go away),
// one result set shown, nothing on the console. Saves a screenshot to build/browser/search.png.
import { expect } from "chai";
import { existsSync, mkdirSync } from "node:fs";
import { startSearchServer, type SearchServer } from "../../examples/browser/server.js";

const chromium = "/usr/bin/chromium";

describe("examples/browser: search as you type in headless Chromium", function () {
  this.timeout(60000);
  let server: SearchServer | null = null;

  before(function () {
    if (!existsSync(chromium)) {
      console.log(`    (skipped: ${chromium} is missing; install it with sh scripts/install-engines.sh, as root)`);
      this.skip();
    }
    if (!existsSync("dist/esm/index.js")) {
      console.log("    (skipped: dist/esm is missing; run npm run build first)");
      this.skip();
    }
  });

  after(async () => {
    if (server !== null) await server.close();
  });

  it("ten keystrokes 30 ms apart: ten requests, nine aborted, one result set, no console error", async () => {
    server = await startSearchServer({ latencyMs: 300 });
    const puppeteer = (await import("puppeteer-core")).default;
    const browser = await puppeteer.launch({
      executablePath: chromium,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
    });
    try {
      const page = await browser.newPage();
      await page.setViewport({ width: 900, height: 600 });
      const problems: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error" || message.type() === "warn") problems.push(`console.${message.type()}: ${message.text()}`);
      });
      page.on("pageerror", (error) => problems.push(`page error: ${String(error)}`));
      await page.evaluateOnNewDocument(() => {
        window.addEventListener("unhandledrejection", (event) => console.error(`unhandled rejection: ${String(event.reason)}`));
      });
      await page.goto(server.url, { waitUntil: "load" });
      await page.waitForFunction(() => document.getElementById("tasks")?.textContent?.includes("task-view"));
      await page.type("#q", "concurrent", { delay: 30 });
      await page.waitForFunction(() => document.getElementById("results")?.dataset.query === "concurrent", { timeout: 10000 });
      await page.waitForFunction(() => !document.getElementById("status")?.textContent?.startsWith("Searching"));
      const stats = await page.evaluate(() => (window as unknown as { searchStats: { sent: number; aborted: number; resultSets: number } }).searchStats);
      const shown = await page.$$eval("#results li", (items) => items.map((li) => li.textContent));
      const status = await page.$eval("#status", (el) => el.textContent);
      await page.waitForFunction(() => document.getElementById("stats")?.textContent?.includes("result sets shown: 1"));
      mkdirSync("build/browser", { recursive: true });
      await page.screenshot({ path: "build/browser/search.png" });

      expect(stats).to.deep.equal({ sent: 10, aborted: 9, resultSets: 1 });
      // The server normally gets all ten; on a loaded machine a request aborted 30 ms after it
      // was made may never reach it. Whatever arrived: in order, all aborted but the last.
      const prefixes = ["c", "co", "con", "conc", "concu", "concur", "concurr", "concurre", "concurren", "concurrent"];
      const queries = server.requests.map((r) => r.query);
      expect(queries.length).to.be.within(2, 10);
      expect(queries.every((q, i) => i === 0 || prefixes.indexOf(q) > prefixes.indexOf(queries[i - 1]))).to.equal(true);
      expect(queries[queries.length - 1]).to.equal("concurrent");
      expect(server.requests.map((r) => r.state)).to.deep.equal([...Array(queries.length - 1).fill("aborted"), "answered"]);
      expect(shown).to.deep.equal(["Concurrent tasks on plain generators", "Concurrent requests, one result: restartable", "Why concurrent code needs cancellation"]);
      expect(status).to.equal("3 results for “concurrent”");
      expect(problems).to.deep.equal([]);
    } finally {
      await browser.close();
    }
  });
});
