// A shell for engine262 (the ECMAScript specification's reference implementation, in JavaScript,
// an npm dev dependency): runs one script file in a fresh realm whose global object has `print`
// (its arguments as strings, space-separated, one line on stdout), like the other engines'
// shells. No feature flag, no inspector, no module loader: the file is evaluated as a Script.
// An uncaught exception is written to stderr and exits with status 1.
//   node scripts/engines/engine262-shell.mjs file.js
import { readFileSync } from "node:fs";
import engine262 from "@engine262/engine262";

const { Agent, ManagedRealm, setSurroundingAgent, CreateBuiltinFunction, CreateDataProperty, ToString, AbruptCompletion, Value, inspect } = engine262;

const file = process.argv[2];
if (file === undefined) {
  console.error("usage: node scripts/engines/engine262-shell.mjs <script file>");
  process.exit(2);
}
const source = readFileSync(file, "utf8");

setSurroundingAgent(new Agent());
const realm = new ManagedRealm();
realm.scope(() => {
  const print = CreateBuiltinFunction((args) => {
    const strings = [];
    for (const arg of args) {
      const string = ToString(arg);
      if (string instanceof AbruptCompletion) return string;
      strings.push(string.stringValue());
    }
    process.stdout.write(`${strings.join(" ")}\n`);
    return Value.undefined;
  }, 1, Value("print"), []);
  CreateDataProperty(realm.GlobalObject, Value("print"), print);
});
const completion = realm.evaluateScript(source, { specifier: file });
if (completion instanceof AbruptCompletion) {
  process.stderr.write(`${realm.scope(() => inspect(completion))}\n`);
  process.exitCode = 1;
}
