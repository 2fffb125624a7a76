// The fake backend of examples/browser: serves the page (bundled now with esbuild from the ESM
// build in dist/esm, so run `npm run build` first) and a search API that answers after a
// latency, recording every request and whether its client aborted it.
//
//   npm run build && npm run build:dev && node build/examples/browser/server.js   (then open the URL)
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const source = join(root, "examples/browser");

/** One request to the search API. */
export interface SearchRequest {
  query: string;
  /** "pending" until answered, or until its client went away ("aborted"). */
  state: "pending" | "answered" | "aborted";
}

export interface SearchServer {
  url: string;
  requests: SearchRequest[];
  close(): Promise<void>;
}

const titles = [
  "Concurrency in JavaScript without promises",
  "Concurrent tasks on plain generators",
  "Concurrent requests, one result: restartable",
  "Why concurrent code needs cancellation",
  "Cancellation: CancelledError at the yield",
  "Structured concurrency with task groups",
  "Channels with explicit backpressure",
  "Retry schedules with seeded jitter",
  "Search as you type with restartable",
  "AbortSignal both ways",
  "A virtual clock for tests",
  "Embedding genloop in a game loop",
];

/** The page script: page.ts bundled with the package's ESM build (lib/X.js imports → dist/esm/X.js). */
async function bundlePage(): Promise<string> {
  const fromEsmBuild: esbuild.Plugin = {
    name: "genloop-esm-build",
    setup(build) {
      build.onResolve({ filter: /\/lib\/.*\.js$/ }, (args) => {
        const file = resolve(args.resolveDir, args.path);
        const rel = relative(join(root, "lib"), file);
        return { path: join(root, "dist/esm", rel) };
      });
    },
  };
  const result = await esbuild.build({
    entryPoints: [join(source, "page.ts")],
    bundle: true,
    write: false,
    format: "esm",
    target: "es2020",
    plugins: [fromEsmBuild],
    logLevel: "warning",
  });
  return result.outputFiles[0].text;
}

/** Starts the server on 127.0.0.1 (`port` 0: any free port). */
export async function startSearchServer(options: { port?: number; latencyMs?: number } = {}): Promise<SearchServer> {
  const latency = options.latencyMs ?? 300;
  const page = readFileSync(join(source, "index.html"), "utf8");
  const script = await bundlePage();
  const requests: SearchRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/") return send(res, "text/html; charset=utf-8", page);
    if (url.pathname === "/page.js") return send(res, "text/javascript; charset=utf-8", script);
    if (url.pathname !== "/api/search") return send(res, "text/plain", "not found", 404);
    const entry: SearchRequest = { query: url.searchParams.get("q") ?? "", state: "pending" };
    requests.push(entry);
    const timer = setTimeout(() => {
      const query = entry.query.toLowerCase();
      const hits = titles.filter((t) => t.toLowerCase().includes(query)).map((title) => ({ title }));
      entry.state = "answered";
      send(res, "application/json", JSON.stringify(hits));
    }, latency);
    res.on("close", () => {
      if (entry.state === "pending") {
        clearTimeout(timer);
        entry.state = "aborted";
      }
    });
  });
  await new Promise<void>((ready) => server.listen(options.port ?? 0, "127.0.0.1", ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

function send(res: ServerResponse, type: string, body: string, status = 200): void {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  res.end(body);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void startSearchServer({ port: Number(process.env.PORT ?? 8080) }).then((server) => console.log(`search demo on ${server.url}`));
}
