// A small static server for the web build. It sets the cross-origin isolation
// headers (so the threaded build can start) and listens on loopback only
// unless told otherwise.
//   node web/serve.mjs --root DIR [--port 8080] [--host 127.0.0.1] [--no-isolation]
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";

const usage = "usage: serve.mjs --root DIR [--port N] [--host ADDR] [--no-isolation]";
const opts = { root: null, port: 8080, host: "127.0.0.1", isolation: true };
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === "--root") opts.root = args[++i];
  else if (a === "--port") opts.port = Number(args[++i]);
  else if (a === "--host") opts.host = args[++i];
  else if (a === "--no-isolation") opts.isolation = false;
  else { console.error(`serve: unknown argument '${a}'\n${usage}`); process.exit(2); }
}
if (!opts.root) { console.error(`serve: --root is required\n${usage}`); process.exit(2); }
if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
  console.error(`serve: --port must be a whole number from 0 to 65535\n${usage}`);
  process.exit(2);
}
const root = resolve(opts.root);
const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript",
                ".wasm": "application/wasm", ".png": "image/png", ".json": "application/json",
                ".data": "application/octet-stream" };

const server = createServer(async (req, res) => {
  const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  let file = normalize(join(root, path));
  if (!file.startsWith(root)) { res.writeHead(403).end("forbidden"); return; }
  try {
    if ((await stat(file)).isDirectory()) file = join(file, "index.html");
    const body = await readFile(file);
    const headers = { "Content-Type": types[extname(file)] || "application/octet-stream", "Cache-Control": "no-cache" };
    if (opts.isolation) {
      headers["Cross-Origin-Opener-Policy"] = "same-origin";
      headers["Cross-Origin-Embedder-Policy"] = "require-corp";
      headers["Cross-Origin-Resource-Policy"] = "same-origin";
    }
    res.writeHead(200, headers).end(body);
  } catch {
    res.writeHead(404, { "Content-Type": "text/plain" }).end("not found: " + path);
  }
});
server.on("error", (e) => { console.error(`serve: ${e.message}`); process.exit(1); });
server.listen(opts.port, opts.host, () => {
  const { port } = server.address();
  console.log(`Such Concurrency is at http://${opts.host}:${port}/` +
              (opts.isolation ? " (cross-origin isolated: threaded build)" : " (single-threaded build)"));
});
