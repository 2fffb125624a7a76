// Embedding genloop in QuickJS (compiled to WebAssembly), with the Promise intrinsic turned off:
// the host loads dist/genloop.iife.js (the ES2015 bundle, global `genloop`) into a fresh
// context and runs a workflow there. The workflow calls back into the host through a
// user-defined effect, so the script's I/O stays inert data that the host implements. Then
// the host drives a guest loop itself (runDue) and delivers events into it.
//   npm run build && node build/examples/quickjs-embed.js
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DefaultIntrinsics, newQuickJSWASMModuleFromVariant } from "quickjs-emscripten-core";
import variant from "@jitl/quickjs-wasmfile-release-sync";

const bundlePath = fileURLToPath(new URL("../../dist/genloop.iife.js", import.meta.url));
if (!existsSync(bundlePath)) {
  console.error("quickjs-embed: dist/genloop.iife.js is missing; build the bundles first: npm run build");
  process.exit(1);
}
const bundle = readFileSync(bundlePath, "utf8");

// The guest script: plain ES2015, no promises anywhere.
const workflow = `
  var g = genloop;
  var lookup = g.defineEffect("host.lookup");          // { kind: "host.lookup", key }
  function* fetchUser(id) {
    var name = yield* lookup({ key: "user:" + id });
    yield* g.sleep(100 * id);                            // virtual time: instant
    return name + " (loaded at " + g.getRunningLoop().time() + " ms)";
  }
  function* main() {
    var users = yield* g.gather(fetchUser(3), fetchUser(1), fetchUser(2));
    return users.join("; ");
  }
  g.run(main(), {
    clock: new g.VirtualClock(),
    effects: {
      // The handler is ordinary guest code here; it calls a function the host exposed.
      "host.lookup": function (effect, ctx) { ctx.resolve(hostLookup(effect.key)); },
    },
  });
`;

async function main(): Promise<void> {
  const QuickJS = await newQuickJSWASMModuleFromVariant(variant);
  const context = QuickJS.newContext({ intrinsics: { ...DefaultIntrinsics, Promise: false } });
  try {
    const names: Record<string, string> = { "user:1": "Ada", "user:2": "Grace", "user:3": "Barbara" };
    const hostLookup = context.newFunction("hostLookup", (keyHandle) => context.newString(names[context.getString(keyHandle)] ?? "?"));
    context.setProp(context.global, "hostLookup", hostLookup);
    hostLookup.dispose();
    const evaluate = (code: string, file: string): unknown => {
      const handle = context.unwrapResult(context.evalCode(code, file, { type: "global" }));
      const value = context.dump(handle);
      handle.dispose();
      return value;
    };
    console.log(`inside QuickJS, typeof Promise is ${String(evaluate("typeof Promise", "check.js"))}`);
    evaluate(bundle, "genloop.iife.js");
    console.log(`workflow result: ${String(evaluate(workflow, "workflow.js"))}`);

    // Host-driven: the guest keeps a loop; the host steps it on its own schedule and delivers
    // events into it (here, three "ticks"), never blocking inside the guest.
    evaluate(
      `var hostLoop = new genloop.EventLoop({ clock: new genloop.VirtualClock() });
       var deliver = null;
       var received = [];
       hostLoop.createTask((function* () {
         for (var i = 0; i < 3; i++) {
           var event = yield* genloop.callback(function (resolve) { deliver = resolve; });
           received.push(event);
         }
       })());`,
      "host-driven.js",
    );
    for (let tick = 1; tick <= 3; tick++) {
      evaluate("genloop.runDue(hostLoop)", "step.js"); // let the guest reach its next wait
      evaluate(`deliver("tick ${tick}")`, "event.js"); // a host event wakes the waiting task
    }
    evaluate("genloop.runDue(hostLoop)", "step.js");
    console.log(`host-driven guest received: ${String(evaluate("received.join(', ')", "read.js"))}`);
  } finally {
    context.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
