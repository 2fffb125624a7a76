// The package's entry points: `subpath` in package.json "exports", `module` the lib/ module
// (without extension) behind it, `name` its files in dist/cjs, `cjsKey` its property in the
// CommonJS bundle. A `standalone` entry shares no class with the others (a build-time tool): it gets
// its own CommonJS file instead, so `require("genloop")` does not load its code. scripts/build.mjs builds from this list; spec/package-contents.spec.ts checks
// that package.json's "exports" and "typesVersions" name exactly these.
export const entryPoints = [
  { subpath: ".", module: "index", name: "index", cjsKey: "main" },
  { subpath: "./core", module: "core", name: "core", cjsKey: "core" },
  { subpath: "./promise", module: "interop/promise", name: "promise", cjsKey: "promise" },
  { subpath: "./trace", module: "trace/index", name: "trace", cjsKey: "trace" },
  { subpath: "./durable", module: "durable/index", name: "durable", cjsKey: "durable" },
  { subpath: "./channels", module: "channels/index", name: "channels", cjsKey: "channels" },
  { subpath: "./testing", module: "testing/index", name: "testing", cjsKey: "testing" },
  { subpath: "./schedules", module: "schedules/index", name: "schedules", cjsKey: "schedules" },
  { subpath: "./transform", module: "transform/index", name: "transform", cjsKey: "transform", standalone: true },
];
