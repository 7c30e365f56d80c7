/**
 * Static server for dist/addin/.
 *
 *   node addin/dev-server.mjs               https://localhost:3000 for Office (certificates from
 *                                           office-addin-dev-certs, installed on first use)
 *   node addin/dev-server.mjs --playground  http://127.0.0.1:3001/playground/ (no certificates)
 *   --port N, --no-build
 *
 * `serve()` is also used by the browser test (plain http on 127.0.0.1, ephemeral port).
 */
import { createServer as createHttp } from "node:http";
import { createServer as createHttps } from "node:https";
import { readFile, stat } from "node:fs/promises";
import { dirname, extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const DIST = join(here, "..", "dist", "addin");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".xml": "application/xml; charset=utf-8",
  ".json": "application/json; charset=utf-8",
};

function handler(dir) {
  return async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://x");
      let rel = decodeURIComponent(url.pathname);
      if (rel.endsWith("/")) rel += "index.html";
      const file = normalize(join(dir, rel));
      if (!file.startsWith(dir + sep)) {
        res.writeHead(403).end();
        return;
      }
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found");
        return;
      }
      const body = await readFile(file);
      res.writeHead(200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "cache-control": "no-store",
      });
      res.end(body);
    } catch (e) {
      res.writeHead(500, { "content-type": "text/plain" }).end(String(e?.message ?? e));
    }
  };
}

/** Serve `dir` over http (or https with `tls`); resolves with the base URL and a close(). */
export function serve({ dir = DIST, port = 0, host = "127.0.0.1", tls = null } = {}) {
  const server = tls ? createHttps(tls, handler(dir)) : createHttp(handler(dir));
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const addr = server.address();
      const name = host === "127.0.0.1" && tls ? "localhost" : host;
      resolve({
        url: `${tls ? "https" : "http"}://${name}:${addr.port}/`,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

async function main() {
  const args = process.argv.slice(2);
  const playground = args.includes("--playground");
  const portArg = args.indexOf("--port");
  const port = portArg >= 0 ? Number(args[portArg + 1]) : playground ? 3001 : 3000;
  if (!args.includes("--no-build")) {
    const { buildAddin } = await import("./build.mjs");
    await buildAddin({ quiet: true });
  }
  if (playground) {
    const { url } = await serve({ port, host: "127.0.0.1" });
    process.stdout.write(`Playground: ${url}playground/   (Ctrl+C to stop)\n`);
    return;
  }
  let tls;
  try {
    const certs = await import("office-addin-dev-certs");
    tls = await (certs.getHttpsServerOptions ?? certs.default.getHttpsServerOptions)();
  } catch (e) {
    process.stderr.write(
      `Could not get a trusted localhost certificate from office-addin-dev-certs (${e?.message ?? e}).\n` +
        `Run "npx office-addin-dev-certs install" (it needs admin rights), or use "npm run playground" without certificates.\n`,
    );
    process.exitCode = 1;
    return;
  }
  const { url } = await serve({ port, host: "localhost", tls });
  process.stdout.write(
    `Add-in served at ${url}taskpane.html — sideload manifest.xml (see README).\n`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    process.stderr.write(`dev-server failed: ${e?.stack ?? e}\n`);
    process.exitCode = 1;
  });
}
