/**
 * Adds `methods` to a class's prototype as the class body would have (non-enumerable, writable,
 * configurable): how the modules of lib/features/ install the methods of optional features on
 * `EventLoop`, so a program that leaves a feature's module out does not carry its code.
 */
export function installMethods<T>(prototype: T, methods: Partial<T> & ThisType<T>): void {
  for (const name of Object.keys(methods)) {
    Object.defineProperty(prototype, name, { value: (methods as Record<string, unknown>)[name], writable: true, configurable: true });
  }
}
