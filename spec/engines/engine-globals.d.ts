declare const genloop: typeof import("../../lib/index.js") & {
  channels?: typeof import("../../lib/channels/index.js");
  schedules?: typeof import("../../lib/schedules/index.js");
  trace?: typeof import("../../lib/trace/index.js");
};
declare function print(line: string): void;
/** Set by the harness on hosts that differ from a plain shell (see conformance.ts). */
declare const conformanceHost: { frozenClock?: boolean } | undefined;
