// The API reference (`npm run docs`, TypeDoc) documents every export: an export, a member or an
// option without a doc comment, or a link to nothing, is a warning, and warnings are errors.
// The most used exports each show a fenced @example, which spec/docs/snippets.spec.ts compiles and runs.
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import ts from "typescript";
import { sourceFiles } from "./markdown.js";

/** The exports a newcomer meets first (README, Getting started, the guide's first pages). */
const mostUsed = [
  "run", "sleep", "createTask", "spawn", "gather", "taskGroup", "timeout", "waitFor", "shield", "wait", "asCompleted",
  "Queue", "Lock", "Event", "Semaphore", "call", "callback", "fromPromise", "runAsync", "EventLoop", "CancelledError",
];

/** The doc comments of each exported top-level declaration of lib/, by name (overloads each add theirs). */
function docCommentsByName(): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const file of sourceFiles(".")) {
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    for (const statement of source.statements) {
      const exported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      const name = (statement as { name?: ts.Identifier }).name?.text;
      if (!exported || name === undefined) continue;
      const docs = ts.getJSDocCommentsAndTags(statement).map((doc) => doc.getText());
      byName.set(name, [...(byName.get(name) ?? []), ...docs]);
    }
  }
  return byName;
}

describe("the API reference", function () {
  this.timeout(120_000);

  it("builds with every export documented (TypeDoc validation, warnings as errors)", () => {
    try {
      execFileSync(process.execPath, ["node_modules/typedoc/bin/typedoc", "--emit", "none"], { encoding: "utf8", stdio: "pipe" });
    } catch (e) {
      const { stdout, stderr } = e as { stdout?: string; stderr?: string };
      expect.fail(`TypeDoc reported problems (document them, or run npm run docs to see them):\n${stdout ?? ""}${stderr ?? ""}`);
    }
  });

  it(`shows a runnable example on each of the ${mostUsed.length} most used exports`, () => {
    const docs = docCommentsByName();
    const runnable = /@example\s*\n\s*\*\s*```(ts|js)[ \t]*\n/;
    expect(mostUsed.filter((name) => !docs.has(name)), "not found as an exported declaration of lib/").to.deep.equal([]);
    expect(mostUsed.filter((name) => !docs.get(name)!.some((doc) => runnable.test(doc))), "without a ```ts @example").to.deep.equal([]);
  });
});
