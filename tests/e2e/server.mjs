// A minimal static file server for the browser tests: serves dist/ on 127.0.0.1 with the
// right content types, and nothing else. No dependencies.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".png": "image/png",
};

/**
 * Serves `root` on a free loopback port under `prefix` (a static host's base path); resolves to
 * { url, close, requests }, where `requests` lists every path asked for.
 */
export async function serve(root, { prefix = "/" } = {}) {
  const base = resolve(root);
  const requests = [];
  const server = createServer(async (request, response) => {
    try {
      const full = decodeURIComponent(new URL(request.url, "http://x").pathname);
      requests.push(full);
      if (!full.startsWith(prefix)) {
        response.writeHead(404).end("not found");
        return;
      }
      const path = "/" + full.slice(prefix.length);
      let file = normalize(join(base, path));
      if (!file.startsWith(base)) {
        response.writeHead(403).end();
        return;
      }
      if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
      response.end(body);
    } catch {
      response.writeHead(404).end("not found");
    }
  });
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    requests,
    close: () => new Promise((done) => server.close(done)),
  };
}
