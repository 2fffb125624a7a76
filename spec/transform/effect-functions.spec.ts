// The rule both forms of the compile step rest on, checked from both sides: every genloop effect's
// `yield*` behaves as `(yield effect)` at run time, and the list of functions the untyped form
// rewrites is exactly the exported functions whose declared result is such an effect.
import { expect } from "chai";
import ts from "typescript";
import { Effect, Lock, Queue, call, callback, defineEffect, gather, shield, sleep, spawn, timeout, waitFor } from "../../lib/index.js";
import { fromPromise } from "../../lib/interop/promise.js";
import { EffectTypes } from "../../lib/transform/effect-type.js";
import { effectFunctions } from "../../lib/transform/effect-functions.js";
import { FIXTURES, prepareFixtures } from "./compile.js";

function* nothing(): Generator<never, number, unknown> {
  return 1;
}

describe("transform: which effects may lose their yield*", function () {
  this.timeout(60_000);

  it("yield* of each genloop effect yields the effect once, returns the resume value and rethrows what is thrown in, as (yield effect)", () => {
    const effects: Effect<unknown>[] = [
      sleep(0), sleep(5, "r"), spawn(nothing()), call(nothing()), callback(() => undefined), gather(), shield(sleep(1)),
      waitFor(sleep(1), 5), timeout(5, () => sleep(1)), new Lock().acquire(), new Queue<number>().get(), defineEffect("mine")(),
      fromPromise({ then() {} } as PromiseLike<number>),
    ];
    for (const effect of effects) {
      const delegating = (function* () {
        return yield* effect;
      })();
      // Read field by field: the iterator result may be any object (sleep(0)'s can be the descriptor itself).
      const yielded = delegating.next();
      expect([yielded.value, yielded.done], effect.kind).to.deep.equal([effect, false]);
      const resumed = delegating.next("resumed");
      expect([resumed.value, resumed.done], effect.kind).to.deep.equal(["resumed", true]);
      const failing = (function* () {
        yield* effect;
      })();
      failing.next();
      expect(() => failing.throw(null), effect.kind).to.throw().that.satisfies((e: unknown) => e === null);
      const returning = (function* (): Generator<unknown, unknown, unknown> {
        return yield* effect;
      })();
      returning.next();
      const returned = returning.return(7);
      expect([returned.value, returned.done], effect.kind).to.deep.equal([7, true]);
    }
  });

  it("the functions rewritten without types are exactly the exported functions that return a genloop effect", () => {
    prepareFixtures();
    const entries = Object.keys(effectFunctions).concat(["genloop/channels", "genloop/durable", "genloop/schedules", "genloop/testing", "genloop/trace"]);
    const file = `${FIXTURES}/entries.ts`;
    const source = entries.map((e, i) => `import * as m${i} from "${e}";`).join("\n") + `\nexport const all = [${entries.map((_, i) => `m${i}`).join(", ")}];\n`;
    const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ES2020, moduleResolution: ts.ModuleResolutionKind.Bundler, strict: true, types: [] };
    const host = ts.createCompilerHost(options);
    const { readFile, fileExists } = host;
    host.readFile = (name) => (name === file ? source : readFile.call(host, name));
    host.fileExists = (name) => name === file || fileExists.call(host, name);
    const program = ts.createProgram([file], options, host);
    const checker = program.getTypeChecker();
    const effects = new EffectTypes(ts, checker);
    const sourceFile = program.getSourceFile(file)!;
    const found: Record<string, string[]> = {};
    sourceFile.statements.filter(ts.isImportDeclaration).forEach((declaration, i) => {
      const namespace = checker.getSymbolAtLocation((declaration.importClause!.namedBindings as ts.NamespaceImport).name)!;
      const exports = checker.getExportsOfModule(checker.getAliasedSymbol(namespace));
      expect(exports.length, entries[i]).to.be.greaterThan(0);
      const names = exports
        .filter((symbol) => {
          const type = checker.getTypeOfSymbolAtLocation(symbol, declaration);
          const signatures = type.getCallSignatures();
          return type.getConstructSignatures().length === 0 && signatures.length > 0 && signatures.every((s) => effects.isEffectType(s.getReturnType()));
        })
        .map((symbol) => symbol.name)
        .sort();
      if (names.length > 0) found[entries[i]!] = names;
    });
    const listed = Object.fromEntries(Object.entries(effectFunctions).map(([entry, names]) => [entry, [...names].sort()]));
    expect(listed).to.deep.equal(found);
  });
});
