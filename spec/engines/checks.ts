// The checks the engine programs (conformance.ts, parts.ts) report with: the harness puts this
// script before each program (programText in scripts/engines/harness.mjs), so they count and
// print alike. Output protocol, one line per check: "ok <name>", "not ok <name>: <why>" or
// "skip <name>: <why>" (not counted), then "done <passed>/<total>".

// The one global this script declares; each program takes its own counters from it.
// eslint-disable-next-line no-var
var engineChecks = function () {
  let passed = 0;
  let total = 0;
  const fail = (message: string): never => {
    throw new Error(message);
  };
  const eq = (actual: unknown, expected: unknown, what: string): void => {
    const a = JSON.stringify(actual);
    const e = JSON.stringify(expected);
    if (a !== e) fail(`${what}: expected ${e}, got ${a}`);
  };
  // A body that returns a reason skips its check on this host.
  const check = (name: string, body: () => void | string): void => {
    total++;
    try {
      const skipped = body();
      if (typeof skipped === "string") {
        total--;
        print(`skip ${name}: ${skipped}`);
        return;
      }
      passed++;
      print(`ok ${name}`);
    } catch (e) {
      const error = e as Error;
      print(`not ok ${name}: ${error && error.message ? error.message : String(e)}`);
    }
  };
  const done = (): void => print(`done ${passed}/${total}`);
  return { fail, eq, check, done };
};
