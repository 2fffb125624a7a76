/** Where the loop writes warnings (slow callbacks) and the default exception handler's reports. */
export interface Logger {
  /** Writes a warning (a slow callback in debug mode, a task destroyed while pending). */
  warn(message: string): void;
  /** Writes an error report (an unhandled error in a callback, an exception never retrieved). */
  error(message: string): void;
}

interface ConsoleLike {
  warn?(...args: unknown[]): void;
  error?(...args: unknown[]): void;
  log?(...args: unknown[]): void;
}
const host = globalThis as { console?: ConsoleLike; print?: (s: string) => void };

function write(level: "warn" | "error" | "log", message: string): void {
  const c = host.console;
  const f = c && (c[level] ?? c.log);
  if (typeof f === "function") f.call(c, message);
  else if (typeof host.print === "function") host.print(message);
}

/** The default logger: the host's `console` where there is one, else `print` (jsc, duk, …). */
export const hostLogger: Logger = {
  warn: (message) => write("warn", message),
  error: (message) => write("error", message),
};

/** Prints a report on the host's standard output: `console.log`, else `print`. */
export function hostPrint(message: string): void {
  write("log", message);
}
