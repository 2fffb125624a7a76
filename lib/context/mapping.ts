// Context's reading methods (get, has, keys, values, entries, iteration): installed on
// Context.prototype when this module is part of the program. ContextVar's module and the
// `genloop` entry import it; a program of genloop/core, which has no context variables, does not.
import { describeValue } from "../describe.js";
import { installMethods } from "../features/install.js";
import { ABSENT } from "./absent.js";
import { Context, lookup } from "./context.js";
import type { ContextVar } from "./context-var.js";

/**
 * The ContextVar class, registered by context-var.ts when it is part of the program (a program
 * that never imports ContextVar has none, and then nothing is one).
 */
let contextVarClass: (abstract new (...args: never[]) => ContextVar<unknown>) | null = null;

/** @internal Called once by context-var.ts: lets `Context.get`/`has` check their argument. */
export function registerContextVarClass(ctor: abstract new (...args: never[]) => ContextVar<unknown>): void {
  contextVarClass = ctor;
}

installMethods(Context.prototype, {
  get<T, D>(variable: ContextVar<T>, fallback?: D): T | D | undefined {
    const value = lookup(this._data, checkVar("Context.get", variable));
    return value === ABSENT ? fallback : (value as T);
  },

  has(variable: ContextVar<any>): boolean {
    return lookup(this._data, checkVar("Context.has", variable)) !== ABSENT;
  },

  keys(): IterableIterator<ContextVar<unknown>> {
    return arrayIterator(collect(this, (key) => key));
  },

  values(): IterableIterator<unknown> {
    return arrayIterator(collect(this, (_key, value) => value));
  },

  entries(): IterableIterator<[ContextVar<unknown>, unknown]> {
    return arrayIterator(collect(this, (key, value): [ContextVar<unknown>, unknown] => [key, value]));
  },
} as Partial<Context> & ThisType<Context>);
Object.defineProperty(Context.prototype, Symbol.iterator, {
  value: function (this: Context): IterableIterator<[ContextVar<unknown>, unknown]> {
    return this.entries();
  },
  writable: true,
  configurable: true,
});

function collect<X>(context: Context, pick: (key: ContextVar<unknown>, value: unknown) => X): X[] {
  const out: X[] = [];
  if (context._data !== null) context._data.forEach((key, value) => out.push(pick(key as ContextVar<unknown>, value)));
  return out;
}

function checkVar<T>(where: string, variable: ContextVar<T>): ContextVar<T> {
  if (contextVarClass === null || !(variable instanceof contextVarClass)) {
    throw new TypeError(`${where}: a ContextVar was expected, got ${describeValue(variable)}`);
  }
  return variable;
}

/** An iterator over a snapshot array (arrays have no Symbol.iterator in the ES5 engines). */
function arrayIterator<X>(items: X[]): IterableIterator<X> {
  let i = 0;
  const iterator = {
    next: (): IteratorResult<X> => (i < items.length ? { value: items[i++], done: false } : { value: undefined, done: true }),
    [Symbol.iterator]: () => iterator,
  };
  return iterator as IterableIterator<X>;
}
