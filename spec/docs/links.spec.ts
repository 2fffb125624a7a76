// Every relative link of README.md, CHANGELOG.md and docs/**/*.md points at a file of the
// repository, and every #anchor at a heading of its page (GitHub's slugs). The API reference
// (docs/api/, built by `npm run docs`) is not in the repository: links into it are left to
// spec/docs/api-reference.spec.ts.
import { expect } from "chai";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";

/** The markdown files of the documentation, relative to the repository root. */
function documents(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (path === join("docs", "api")) return [];
      return statSync(path).isDirectory() ? walk(path) : name.endsWith(".md") ? [path] : [];
    });
  return ["README.md", "CHANGELOG.md", ...walk("docs")];
}

/** The text of a page outside its code fences (a link in a code block is code, not a link). */
const prose = (file: string): string => readFileSync(file, "utf8").replace(/^```[\s\S]*?^```/gm, "");

/** GitHub's anchor of each heading of `text`: lower case, punctuation dropped, spaces as dashes, repeats numbered. */
function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of text.matchAll(/^#{1,6} (.*)$/gm)) {
    const base = match[1]!.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
    const count = seen.get(base);
    seen.set(base, count === undefined ? 0 : count + 1);
    anchors.add(count === undefined ? base : `${base}-${count + 1}`);
  }
  return anchors;
}

/** The links of `file` that go nowhere: "target (why)" each. */
function brokenLinks(file: string, anchorsOf: (file: string) => Set<string>): string[] {
  const broken: string[] = [];
  for (const match of prose(file).matchAll(/\]\(([^)\s]+)\)/g)) {
    const link = match[1]!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // https:, mailto:, …
    const [path, anchor] = link.split("#") as [string, string | undefined];
    const target = path === "" ? file : normalize(join(dirname(file), decodeURIComponent(path)));
    if (target.startsWith(join("docs", "api") + "/") || target === join("docs", "api")) continue;
    if (!existsSync(target)) broken.push(`${link} (no file ${target})`);
    else if (anchor !== undefined && target.endsWith(".md") && !anchorsOf(target).has(anchor)) broken.push(`${link} (no heading #${anchor} in ${target})`);
  }
  return broken;
}

describe("documentation links", () => {
  const anchors = new Map<string, Set<string>>();
  const anchorsOf = (file: string): Set<string> => {
    if (!anchors.has(file)) anchors.set(file, headingAnchors(prose(file)));
    return anchors.get(file)!;
  };

  it("every relative link reaches a file of the repository, and every anchor a heading", () => {
    const files = documents();
    expect(files).to.include.members(["README.md", join("docs", "size.md")]);
    const broken = files.flatMap((file) => brokenLinks(file, anchorsOf).map((said) => `${file}: ${said}`));
    expect(broken).to.deep.equal([]);
  });

  it("reads anchors as GitHub makes them", () => {
    expect([...headingAnchors("# Why not 5 KB and 15 KB\n## `run()` and `gather`\n## Notes\n## Notes\n")]).to.deep.equal([
      "why-not-5-kb-and-15-kb",
      "run-and-gather",
      "notes",
      "notes-1",
    ]);
  });

  it("names a link to a missing file or heading, and leaves web links and code alone", () => {
    const dir = join("build", "links-fixture");
    mkdirSync(dir, { recursive: true });
    const page = join(dir, "page.md");
    writeFileSync(
      page,
      [
        "# Page",
        "[here](#page) [there](#nowhere) [web](https://example.com/x.md) [mail](mailto:a@b.c)",
        "[readme](../../README.md) [gone](missing.md) [bad anchor](../../docs/size.md#no-such-heading)",
        "```ts",
        "const link = '[not a link](missing-too.md)';",
        "```",
      ].join("\n"),
    );
    try {
      expect(brokenLinks(page, anchorsOf)).to.deep.equal([
        "#nowhere (no heading #nowhere in build/links-fixture/page.md)",
        "missing.md (no file build/links-fixture/missing.md)",
        "../../docs/size.md#no-such-heading (no heading #no-such-heading in docs/size.md)",
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
