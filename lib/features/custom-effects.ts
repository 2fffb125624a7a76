// Handlers of user-defined effect kinds (`setEffectHandler`, `getEffectHandler` and the
// `effects` option): installed on EventLoop when this module is part of the program.
import { describeValue } from "../describe.js";
import { checkEffectHandler, type AnyEffectHandler, type EffectConstructor, type EffectHandler } from "../effects/custom.js";
import { EventLoop, loopOptionHandlers } from "../loop.js";
import { installMethods } from "./install.js";

installMethods(EventLoop.prototype, {
  setEffectHandler<P extends object, T>(kind: string | EffectConstructor<P, T>, handler: EffectHandler<P, T> | null): void {
    const name = typeof kind === "function" ? kind.kind : kind;
    checkEffectHandler("setEffectHandler", name, handler);
    if (handler === null) this._effectHandlers?.delete(name);
    else (this._effectHandlers ??= new Map()).set(name, handler as AnyEffectHandler);
  },

  getEffectHandler(kind: string): AnyEffectHandler | null {
    return this._effectHandlers?.get(kind) ?? null;
  },
});

loopOptionHandlers.effects = (loop, effects) => {
  if (effects === null || typeof effects !== "object") {
    throw new TypeError(`EventLoop: effects must be an object of handlers by kind, got ${describeValue(effects)}`);
  }
  for (const kind of Object.keys(effects)) loop.setEffectHandler(kind, effects[kind]);
};
