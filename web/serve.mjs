// A small static server for the web build. It sets the cross-origin isolation
// headers (so the threaded build can start), sends the page, scripts and
// WebAssembly gzip-compressed to browsers that accept it (compressed once per
// file version and kept), and listens on loopback only unless told otherwise.
//   node web/serve.mjs --root DIR [--port 8080] [--host 127.0.0.1] [--no-isolation]
import { createServer } from "node:http";
import { readdir, readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import { gzipSync } from "node:zlib";

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

// Text and WebAssembly shrink to a third or less; PNGs are compressed already.
const compressible = new Set([".html", ".js", ".mjs", ".wasm", ".json", ".data"]);
const gzipped = new Map();  // file -> { mtimeMs, body }
function gzipOf(file, info, body) {
  const kept = gzipped.get(file);
  if (kept && kept.mtimeMs === info.mtimeMs && kept.size === info.size) return kept.body;
  const packed = gzipSync(body, { level: 9 });
  gzipped.set(file, { mtimeMs: info.mtimeMs, size: info.size, body: packed });
  return packed;
}

const server = createServer(async (req, res) => {
  let path;
  try { path = decodeURIComponent(new URL(req.url, "http://x").pathname); } catch {
    res.writeHead(400, { "Content-Type": "text/plain" }).end("bad request: the path is not valid percent-encoded UTF-8");
    return;
  }
  let file = normalize(join(root, path));
  if (!file.startsWith(root)) { res.writeHead(403).end("forbidden"); return; }
  try {
    if ((await stat(file)).isDirectory()) file = join(file, "index.html");
    const info = await stat(file);
    let body = await readFile(file);
    const headers = { "Content-Type": types[extname(file)] || "application/octet-stream", "Cache-Control": "no-cache" };
    if (compressible.has(extname(file))) {
      headers["Vary"] = "Accept-Encoding";
      if (/\bgzip\b/.test(req.headers["accept-encoding"] || "")) {
        body = gzipOf(file, info, body);
        headers["Content-Encoding"] = "gzip";
      }
    }
    headers["Content-Length"] = body.length;
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
// Compress the site's files before the first visitor asks for them.
for (const name of await readdir(root).catch(() => [])) {
  const file = join(root, name);
  const info = await stat(file).catch(() => null);
  if (info?.isFile() && compressible.has(extname(file))) gzipOf(file, info, await readFile(file));
}

server.on("error", (e) => { console.error(`serve: ${e.message}`); process.exit(1); });
server.listen(opts.port, opts.host, () => {
  const { port } = server.address();
  console.log(`Such Concurrency is at http://${opts.host}:${port}/` +
              (opts.isolation ? " (cross-origin isolated: threaded build)" : " (single-threaded build)"));
});
