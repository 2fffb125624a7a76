declare const genloop: typeof import("../../lib/index.js");
declare function print(line: string): void;
