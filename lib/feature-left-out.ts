/**
 * The error for `what` (an option, a method) of an optional feature whose module is not part of
 * the program: genloop/core leaves out the loop's optional features (lib/features/), which the
 * `genloop` entry installs.
 */
export function featureLeftOut(what: string): TypeError {
  return new TypeError(
    `${what} needs a feature genloop/core leaves out: import it from "genloop" ` +
      '(e.g. `import "genloop"` once in the program, or take run and EventLoop from "genloop" instead of "genloop/core")',
  );
}
