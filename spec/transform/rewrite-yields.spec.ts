// The compile step without types (lib/transform/rewrite-yields.ts): which `yield*` it rewrites,
// which it leaves alone, that it moves no character, and its errors.
import { expect } from "chai";
import ts from "typescript";
import { rewriteYields, type RewriteSite } from "../../lib/transform/index.js";

/** The source with each rewritten `yield*` marked, and the sites reported. */
function rewrite(code: string, fileName = "app.ts"): { code: string; sites: RewriteSite[] } {
  const sites: RewriteSite[] = [];
  const out = rewriteYields(code, { typescript: ts, fileName, onRewrite: (site) => sites.push(site) });
  expect(out.length, "same length").to.equal(code.length);
  for (let i = 0; i < code.length; i++) {
    if (out[i] !== code[i]) expect([code[i], out[i]], `only stars become spaces (at ${i})`).to.deep.equal(["*", " "]);
  }
  return { code: out, sites };
}

/** The expressions rewritten in `body`, placed after genloop imports. */
function rewrittenIn(body: string, imports = 'import { sleep, gather, spawn, call, timeout, createTask, type Coroutine } from "genloop";'): string[] {
  return rewrite(`${imports}\n${body}\n`).sites.map((s) => s.expression);
}

describe("transform: rewriteYields (no types)", () => {
  it("rewrites yield* of genloop's effect functions, imported by name", () => {
    const { code, sites } = rewrite('import { sleep, gather } from "genloop";\nfunction* main() {\n  yield* sleep(0);\n  const [a] = yield* gather(child());\n}\n');
    expect(code).to.equal('import { sleep, gather } from "genloop";\nfunction* main() {\n  yield  sleep(0);\n  const [a] = yield  gather(child());\n}\n');
    expect(sites).to.deep.equal([
      { fileName: "app.ts", line: 3, column: 3, expression: "sleep(0)" },
      { fileName: "app.ts", line: 4, column: 15, expression: "gather(child())" },
    ]);
  });

  it("follows aliases and namespace imports, from genloop and genloop/promise", () => {
    const code = [
      'import { sleep as nap } from "genloop";',
      'import * as g from "genloop";',
      'import { fromPromise as fp } from "genloop/promise";',
      "function* main() { yield* nap(1); yield* g.sleep(2); yield* g.spawn(child()); yield* fp(p); yield* g.createTask(child()); }",
    ].join("\n");
    expect(rewrite(code).sites.map((s) => s.expression)).to.deep.equal(["nap(1)", "g.sleep(2)", "g.spawn(child())", "fp(p)"]);
  });

  it("leaves a name alone where a parameter, a variable, a function, a class or a catch binding shadows it", () => {
    expect(rewrittenIn("function* a(sleep: any) { yield* sleep(1); }")).to.deep.equal([]);
    expect(rewrittenIn("function* b() { { var sleep = (n: number) => n; } yield* sleep(1); }")).to.deep.equal([]);
    expect(rewrittenIn("function* c() { function* sleep(n: number) {} yield* sleep(1); }")).to.deep.equal([]);
    expect(rewrittenIn("function* d() { try { } catch (sleep) { yield* (sleep as any)(1); yield* sleep(2); } }")).to.deep.equal([]);
    expect(rewrittenIn("const outer = (sleep: any) => function* () { yield* sleep(1); };")).to.deep.equal([]);
    expect(rewrittenIn("function* e() { const { sleep } = helpers; yield* sleep(1); }")).to.deep.equal([]);
    expect(rewrittenIn("class K { *m(this: K, gather: any) { yield* gather(); } }")).to.deep.equal([]);
    // A block's own declaration shadows only inside it.
    expect(rewrittenIn("function* f() { { const sleep = (n: number) => n; yield* sleep(1); } yield* sleep(2); }")).to.deep.equal(["sleep(2)"]);
  });

  it("rewrites inside nested generators, methods and generators inside arrow functions", () => {
    const body = [
      "function* outer() { function* inner() { yield* sleep(1); } yield* call(inner()); }",
      "const make = () => function* () { yield* sleep(2); };",
      "class Worker { *run(): Coroutine<void> { yield* timeout(5, sleep(3)); } }",
      "const o = { *g() { yield* sleep(4); } };",
      "function* p() { return (yield* ((sleep(5, 6)))) + 1; }",
    ].join("\n");
    expect(rewrittenIn(body)).to.deep.equal(["sleep(1)", "call(inner())", "sleep(2)", "timeout(5, sleep(3))", "sleep(4)", "((sleep(5, 6)))"]);
  });

  it("never rewrites yield* of a coroutine, a task, a method call, a value, or a function not imported from genloop", () => {
    const body = [
      "function* child(): Coroutine<number> { return 1; }",
      "function* main(someUnknown: any, effect: any) {",
      "  yield* child();",
      "  yield* createTask(child());",
      "  yield* someUnknown;",
      "  yield* effect;",
      "  yield* lock.acquire();",
      "  yield* sleep;",
      "  yield* sleep?.(1);",
      "  yield* local(1);",
      "  yield* (cond ? sleep(1) : child());",
      "}",
    ].join("\n");
    expect(rewrittenIn(body, 'import { sleep, createTask, type Coroutine } from "genloop";\nimport { sleep as local } from "./my-sleep";')).to.deep.equal([]);
  });

  it("leaves type-only imports, other modules and files that do not import genloop alone", () => {
    expect(rewrittenIn("function* f() { yield* sleep(1); }", 'import type { sleep } from "genloop";')).to.deep.equal([]);
    expect(rewrittenIn("function* f() { yield* sleep(1); }", 'import { type sleep } from "genloop";')).to.deep.equal([]);
    expect(rewrittenIn("function* f() { yield* sleep(1); }", 'import { sleep } from "genloop-fake";')).to.deep.equal([]);
    expect(rewrittenIn("function* f() { yield* sleep(1); }", 'import { sleep } from "./genloop";')).to.deep.equal([]);
    expect(rewrittenIn("declare function sleep(n: number): any;\nfunction* f() { yield* sleep(1); } // genloop", "")).to.deep.equal([]);
  });

  it("keeps comments and every other character in place, and parses JavaScript and JSX", () => {
    const code = 'import { sleep } from "genloop";\nfunction* f() {\n  yield/* a comment */*sleep(1); // and another\n  yield *  sleep(2);\n}\n';
    expect(rewrite(code, "f.js").code).to.equal('import { sleep } from "genloop";\nfunction* f() {\n  yield/* a comment */ sleep(1); // and another\n  yield    sleep(2);\n}\n');
    const jsx = 'import { sleep } from "genloop";\nfunction* f() { yield* sleep(1); return <div className="x">{1}</div>; }\n';
    expect(rewrite(jsx, "f.tsx").sites.map((s) => s.expression)).to.deep.equal(["sleep(1)"]);
    expect(rewrite(jsx, "/src/f.jsx?v=3").sites.map((s) => s.expression)).to.deep.equal(["sleep(1)"]);
  });

  it("returns the same string when there is nothing to rewrite, when disabled, and for text that does not parse", () => {
    const code = 'import { sleep } from "genloop";\nfunction* f() { yield* sleep(1); }\n';
    expect(rewriteYields(code, { typescript: ts, enabled: false })).to.equal(code);
    expect(rewriteYields("const x = 1;", { typescript: ts })).to.equal("const x = 1;");
    const broken = 'import { sleep } from "genloop";\nfunction* f() { yield* sleep(1); \n';
    expect(rewriteYields(broken, { typescript: ts })).to.equal(broken);
  });

  it("says what to do when typescript is missing or is not the module, and checks its other arguments", () => {
    const code = 'import { sleep } from "genloop";';
    expect(() => rewriteYields(code, {} as never)).to.throw(TypeError, /rewriteYields: options.typescript must be the typescript module, got nothing.*npm install -D typescript.*rewriteYields\(code, \{ typescript: ts/);
    expect(() => rewriteYields(code, { typescript: { version: "5" } })).to.throw(TypeError, /got an object \{ version \}\. genloop does not depend on TypeScript/);
    const partial = { version: "5", createSourceFile: ts.createSourceFile, createProgram: ts.createProgram };
    expect(() => rewriteYields(code, { typescript: partial })).to.throw(TypeError, /\(without visitEachChild, isYieldExpression, isCallExpression, getLineAndCharacterOfPosition, factory\)/);
    expect(() => rewriteYields(code, { typescript: null as never })).to.throw(TypeError, /got null/);
    expect(() => rewriteYields(42 as never, { typescript: ts })).to.throw(TypeError, /rewriteYields: code must be a string/);
    expect(() => rewriteYields(code, null as never)).to.throw(TypeError, /options must be an object/);
    expect(() => rewriteYields(code, { typescript: ts, fileName: 3 as never })).to.throw(TypeError, /options.fileName must be a string/);
    expect(() => rewriteYields(code, { typescript: ts, enabled: "yes" as never })).to.throw(TypeError, /options.enabled must be true or false/);
    expect(() => rewriteYields(code, { typescript: ts, onRewrite: 1 as never })).to.throw(TypeError, /options.onRewrite must be a function/);
  });
});
