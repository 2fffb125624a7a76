import type * as TS from "typescript";

/**
 * @internal Whether a value of a given static type is, by its type, one of genloop's effects whose
 * `yield*` is the same as a bare `yield`: an instance of a class genloop declares that derives from
 * genloop's `Effect`, and whose `[Symbol.iterator]` is genloop's own. Every genloop effect's
 * iterator yields the effect once and returns the value the coroutine is resumed with
 * (lib/yield-once.ts), and rethrows what is thrown in, exactly as `(yield effect)` does; a class of
 * the user's could define its own, so only genloop's count.
 *
 * genloop is recognised by where its declarations come from, not by names alone: a file whose
 * nearest package.json names the package `genloop` (node_modules/genloop, a pnpm store, a
 * workspace link, or genloop's own sources).
 *
 * Rejected: `any`, `unknown`, type parameters, futures and tasks (a `yield*` of a future that is
 * done already does not yield at all, where a bare `yield` goes through the loop: an instrument or
 * a durable journal would see one more effect), coroutines, and unions with any of those.
 */
export class EffectTypes {
  /** Per directory: whether its nearest package.json names genloop. */
  private readonly genloopDirs = new Map<string, boolean>();
  /** Per class symbol: whether it is genloop's Effect or a genloop class derived from it. */
  private readonly effectClasses = new Map<TS.Symbol, boolean>();

  constructor(
    private readonly ts: typeof TS,
    private readonly checker: TS.TypeChecker,
  ) {}

  /** Whether `yield* expression` can be compiled to `(yield expression)`. */
  isRewritable(expression: TS.Expression): boolean {
    return this.isEffectType(this.checker.getTypeAtLocation(expression));
  }

  /** Whether a value of `type` is one of genloop's effects whose `yield*` is a bare `yield`. */
  isEffectType(type: TS.Type): boolean {
    const flags = this.ts.TypeFlags;
    if (type.isUnion()) return type.types.every((member) => this.isEffectType(member));
    const parts = type.isIntersection() ? type.types : [type];
    if (parts.some((part) => (part.flags & flags.Object) === 0)) return false;
    // One of the parts is a genloop effect class (defineEffect's CustomEffect adds its payload's fields).
    if (!parts.some((part) => this.isEffectClassInstance(part))) return false;
    const iterator = this.checker.getPropertiesOfType(type).filter((p) => /^__@iterator(@\d+)?$/.test(String(p.escapedName)));
    if (iterator.length !== 1) return false;
    const declarations = iterator[0]!.declarations ?? [];
    return declarations.length > 0 && declarations.every((d) => this.ts.isClassLike(d.parent) && this.isEffectClassDeclaration(d.parent));
  }

  /** An instance type of genloop's Effect or of a genloop class derived from it. */
  private isEffectClassInstance(type: TS.Type): boolean {
    const symbol = type.getSymbol();
    if (symbol === undefined) return false;
    const declarations = symbol.declarations ?? [];
    return declarations.length > 0 && declarations.every((d) => this.ts.isClassLike(d) && this.isEffectClassDeclaration(d));
  }

  private isEffectClassDeclaration(declaration: TS.ClassLikeDeclaration): boolean {
    const symbol = declaration.name === undefined ? undefined : this.checker.getSymbolAtLocation(declaration.name);
    if (symbol === undefined) return false;
    let known = this.effectClasses.get(symbol);
    if (known === undefined) {
      this.effectClasses.set(symbol, false); // a cycle of bases (an error elsewhere) ends here
      known = this.fromGenloop(declaration.getSourceFile()) && (symbol.name === "Effect" || this.derivesFromEffect(declaration));
      this.effectClasses.set(symbol, known);
    }
    return known;
  }

  private derivesFromEffect(declaration: TS.ClassLikeDeclaration): boolean {
    const base = this.checker.getBaseTypes(this.checker.getTypeAtLocation(declaration) as TS.InterfaceType)[0];
    const baseDeclaration = base?.getSymbol()?.declarations?.[0];
    return baseDeclaration !== undefined && this.ts.isClassLike(baseDeclaration) && this.isEffectClassDeclaration(baseDeclaration);
  }

  /** Whether `file` is part of the genloop package: its nearest package.json says `"name": "genloop"`. */
  private fromGenloop(file: TS.SourceFile): boolean {
    const path = file.fileName.replace(/\\/g, "/");
    const sys = this.ts.sys as TS.System | undefined;
    if (sys === undefined) return /\/node_modules\/genloop\//.test(path); // a compiler without a file system
    const visited: string[] = [];
    let found = false;
    for (let dir = path.slice(0, path.lastIndexOf("/")); ; dir = dir.slice(0, dir.lastIndexOf("/"))) {
      const known = this.genloopDirs.get(dir);
      if (known !== undefined) {
        found = known;
        break;
      }
      visited.push(dir);
      const manifest = `${dir}/package.json`;
      if (sys.fileExists(manifest)) {
        found = packageName(sys.readFile(manifest)) === "genloop";
        break;
      }
      if (dir.lastIndexOf("/") <= 0) break;
    }
    for (const dir of visited) this.genloopDirs.set(dir, found);
    return found;
  }
}

function packageName(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : (JSON.parse(text) as { name?: unknown }).name;
  } catch {
    return undefined;
  }
}
