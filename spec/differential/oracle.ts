// Runs programs on CPython asyncio (oracle.py), one Python process per batch.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Program, TraceEvent } from "./program.js";

export interface Python {
  command: string;
  env: NodeJS.ProcessEnv;
  version: string;
}

/** Where oracle.py lives: next to this file's source (the compiled file is under build/). */
export const ORACLE_SCRIPT = fileURLToPath(new URL("../../../spec/differential/oracle.py", import.meta.url));

let found: Python | null | undefined;

/**
 * The Python to use as the oracle: `PYENV_VERSION=3.13.0 python3` first, then python3.13,
 * python3.12, python3.11, python3; null if none is 3.11 or newer. The environment variable
 * DIFFERENTIAL_PYTHON names another executable to use, or `none` to run as if there were none.
 */
export function findPython(): Python | null {
  if (found !== undefined) return found;
  const chosen = process.env.DIFFERENTIAL_PYTHON;
  const candidates: [string, NodeJS.ProcessEnv][] =
    chosen === "none"
      ? []
      : chosen
        ? [[chosen, process.env]]
        : [
            ["python3", { ...process.env, PYENV_VERSION: "3.13.0" }],
            ["python3.13", process.env],
            ["python3.12", process.env],
            ["python3.11", process.env],
            ["python3", process.env],
          ];
  found = null;
  for (const [command, env] of candidates) {
    const r = spawnSync(command, ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"], { env, encoding: "utf8" });
    if (r.status !== 0) continue;
    const version = r.stdout.trim();
    const [major, minor] = version.split(".").map(Number);
    if (major === 3 && minor >= 11) {
      found = { command, env, version };
      break;
    }
  }
  return found;
}

export type OracleResult = { trace: TraceEvent[] } | { crash: string };

/** Runs `programs` in one CPython process and returns their traces, in order. */
export function runOracle(python: Python, programs: readonly Program[]): OracleResult[] {
  const r = spawnSync(python.command, [ORACLE_SCRIPT], {
    env: python.env,
    input: JSON.stringify(programs),
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0) {
    throw new Error(`oracle.py failed (exit ${r.status}): ${r.error?.message ?? ""}\n${r.stderr}`);
  }
  const lines = r.stdout.split("\n").filter((line) => line.length > 0);
  if (lines.length !== programs.length) {
    throw new Error(`oracle.py answered ${lines.length} of ${programs.length} programs\n${r.stderr}`);
  }
  return lines.map((line) => JSON.parse(line) as OracleResult);
}
