// The compile step with types (lib/transform/typed-yields.ts): which `yield*` it rewrites, by the
// static type of what is delegated to, which it leaves alone, what it emits, and its errors.
import { expect } from "chai";
import ts from "typescript";
import { typedYields } from "../../lib/transform/index.js";
import { compile, type Compiled } from "./compile.js";

const expressions = (compiled: Compiled, file: string): string[] => (compiled.sites.get(file) ?? []).map((s) => s.expression);

describe("transform: typedYields (with types)", function () {
  this.timeout(60_000);
  let compiled: Compiled;

  before(function () {
    if (!compile.length) this.skip();
    compiled = compile({
      "effects.ts": `import { sleep as nap, gather, spawn, shield, Lock, Queue, Event, Semaphore, defineEffect, taskGroup, type Coroutine, type Effect } from "genloop";
import * as g from "genloop";
const tick = defineEffect<{ n: number }, number>("tick");
function* child(): Coroutine<number> { return 1; }
export function* main(flag: boolean, e: Effect<number>): Coroutine<number> {
  yield* nap(0);
  const v: string = yield* nap(1, "v");
  const [a, b] = yield* gather(child(), nap(2, 3));
  yield* spawn(child());
  yield* shield(child());
  const lock = new Lock();
  yield* lock.acquire();
  const queue = new Queue<number>();
  const item = yield* queue.get();
  yield* new Event().wait();
  yield* new Semaphore(1).acquire();
  yield* g.sleep(3);
  const t = yield* tick({ n: 1 });
  yield* (flag ? nap(4) : nap(5));
  yield* e;
  yield* taskGroup(function* () { yield* nap(6); });
  return v.length + a + b + item + t;
}
`,
      "left-alone.ts": `import { sleep, createTask, ensureFuture, Effect, Future, type Coroutine } from "genloop";
function* child(): Coroutine<number> { return 1; }
class OwnIterator extends Effect<number> {
  readonly kind = "own";
  *[Symbol.iterator](): Generator<Effect<number>, number, any> { return yield* sleep(0, 2); }
}
class Subclass extends Effect<number> { readonly kind = "sub"; }
export function* main<E extends Effect<number>>(x: any, u: unknown, e: E, mixed: Coroutine<number> | Effect<number>, own: OwnIterator, sub: Subclass, f: Future<number>): Coroutine<void> {
  yield* child();
  yield* createTask(child());
  yield* ensureFuture(child());
  yield* f;
  yield* x;
  yield* (u as Coroutine<unknown>);
  yield* e;
  yield* mixed;
  yield* own;
  yield* sub;
}
`,
      "fake.ts": `class Effect<T> { *[Symbol.iterator](): Generator<unknown, T, any> { return (yield this) as T; } }
function sleep(ms: number): Effect<void> { void ms; return new Effect<void>(); }
export function* main() { yield* sleep(1); }
`,
      "shapes.ts": `import { sleep, type Coroutine } from "genloop";
export function* outer(): Coroutine<void> {
  // a comment before
  yield* sleep(/* inside */ 1); // after
  const inner = function* (): Coroutine<number> { return yield* sleep(2, 7); };
  const arrow = () => (function* (): Coroutine<void> { yield* sleep(yield* sleep(3, 4)); })();
  yield* inner();
  yield* arrow();
  const x = (yield* sleep(5, 1)) + 1;
  void x;
}
`,
    });
    expect(compiled.errors).to.deep.equal([]);
  });

  it("rewrites yield* of genloop's effects: functions, aliases, namespaces, methods of primitives, defineEffect, unions of effects", () => {
    expect(expressions(compiled, "effects.ts")).to.deep.equal([
      "nap(0)", 'nap(1, "v")', "gather(child(), nap(2, 3))", "spawn(child())", "shield(child())", "lock.acquire()",
      "queue.get()", "new Event().wait()", "new Semaphore(1).acquire()", "g.sleep(3)", "tick({ n: 1 })", "(flag ? nap(4) : nap(5))", "e",
      "taskGroup(function* () { yield* nap(6); })", "nap(6)",
    ]);
    const js = compiled.js.get("effects.ts")!;
    expect(js).to.contain("const v = yield nap(1, \"v\");").and.contain("yield lock.acquire();").and.not.match(/yield\*/);
  });

  it("leaves coroutines, tasks, futures, any, unknown, type parameters, mixed unions and effect classes of the user's own alone", () => {
    expect(compiled.sites.get("left-alone.ts")?.map((s) => s.expression)).to.deep.equal(["sleep(0, 2)"]);
    expect(compiled.js.get("left-alone.ts")!.match(/yield\* /g)).to.have.length(10);
  });

  it("recognises genloop by where its declarations come from, not by the names Effect and sleep", () => {
    expect(compiled.sites.get("fake.ts")).to.equal(undefined);
    expect(compiled.js.get("fake.ts")).to.contain("yield* sleep(1)");
  });

  it("rewrites nested and inner generators, keeps comments, and parenthesises where needed", () => {
    expect(expressions(compiled, "shapes.ts")).to.deep.equal(["sleep(/* inside */ 1)", "sleep(2, 7)", "sleep(yield* sleep(3, 4))", "sleep(3, 4)", "sleep(5, 1)"]);
    const js = compiled.js.get("shapes.ts")!;
    expect(js).to.contain("// a comment before").and.contain("yield sleep(/* inside */ 1); // after");
    expect(js).to.contain("return yield sleep(2, 7);").and.contain("yield sleep(yield sleep(3, 4));").and.contain("const x = (yield sleep(5, 1)) + 1;");
    expect(js).to.contain("yield* inner();").and.contain("yield* arrow();");
    expect(compiled.sites.get("shapes.ts")![0]).to.include({ line: 4, column: 3 });
  });

  it("emits the program unchanged when disabled", () => {
    const program = ts.createProgram({ rootNames: [], options: {} });
    const factory = typedYields(program, { typescript: ts, enabled: false }) as unknown as ts.TransformerFactory<ts.SourceFile>;
    const source = ts.createSourceFile("a.ts", 'import { sleep } from "genloop";\nfunction* f() { yield* sleep(1); }', ts.ScriptTarget.ES2020, true);
    const result = ts.transform(source, [factory]);
    expect(result.transformed[0]).to.equal(source);
  });

  it("takes the typescript module from ts-patch's extras, and says what to do without it", () => {
    const program = ts.createProgram({ rootNames: [], options: {} });
    expect(typedYields(program, {}, { ts })).to.be.a("function");
    expect(() => typedYields(program)).to.throw(TypeError, /typedYields: options.typescript must be the typescript module, got nothing.*typedYields\(program, \{ typescript: ts \}\)/);
    expect(() => typedYields(program, { typescript: {} as never })).to.throw(TypeError, /must be the typescript module/);
    expect(() => typedYields({} as never, { typescript: ts })).to.throw(TypeError, /typedYields: program must be a ts.Program/);
    expect(() => typedYields(program, null as never)).to.throw(TypeError, /typedYields: options must be an object/);
    expect(() => typedYields(program, { typescript: ts, enabled: 1 as never })).to.throw(TypeError, /options.enabled must be true or false/);
  });
});
