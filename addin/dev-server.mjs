/**
 * Static server for dist/addin/.
 *
 *   node addin/dev-server.mjs               https://localhost:3000 for Office, with a local CA and
 *                                           localhost certificate made on first use in
 *                                           ~/.office-addin-dev-certs (no sudo, no system store)
 *   node addin/dev-server.mjs --playground  http://127.0.0.1:3001/playground/ (no certificates)
 *   --port N, --no-build, --cert-dir DIR
 *
 * `serve()` is also used by the browser test (plain http on 127.0.0.1, ephemeral port).
 */
import { createServer as createHttp } from "node:http";
import { createServer as createHttps } from "node:https";
import { readFile, stat } from "node:fs/promises";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
} from "node:fs";
import { X509Certificate } from "node:crypto";
import { homedir } from "node:os";
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
  const dirArg = args.indexOf("--cert-dir");
  const certDir = dirArg >= 0 ? args[dirArg + 1] : DEFAULT_CERT_DIR;
  let certs;
  try {
    certs = await localCertificates({ dir: certDir });
  } catch (e) {
    process.stderr.write(
      `Could not make a localhost certificate in ${certDir} (${e?.message ?? e}).\n` +
        `Use "npm run playground" to try the pane without certificates.\n`,
    );
    process.exitCode = 1;
    return;
  }
  const { url } = await serve({ port, host: "localhost", tls: certs.tls });
  process.stdout.write(
    `Add-in served at ${url}taskpane.html — sideload manifest.xml (see addin/README.md).\n` +
      (certs.made ? `Made a local CA and a localhost certificate in ${certDir}.\n` : "") +
      trustHelp(certs.caPath, url),
  );
}

export const DEFAULT_CERT_DIR = join(homedir(), ".office-addin-dev-certs");
const DAYS = 30;

/**
 * A local CA and a certificate for localhost / 127.0.0.1 signed by it, in `dir`: reused while
 * the certificate is valid for another day, else made anew (office-addin-dev-certs'
 * generateCertificates, which only writes files: nothing is installed, no admin rights).
 */
export async function localCertificates({ dir = DEFAULT_CERT_DIR, now = Date.now() } = {}) {
  const caPath = join(dir, "ca.crt");
  const certPath = join(dir, "localhost.crt");
  const keyPath = join(dir, "localhost.key");
  let made = false;
  if (!usable(caPath, certPath, keyPath, now)) {
    const { generateCertificates } = await import("office-addin-dev-certs/lib/generate.js");
    // It writes only where no CA exists yet: made in a new folder, then renamed into place
    // (a run stopped halfway leaves files that do not match, and they are made again).
    mkdirSync(dir, { recursive: true });
    const fresh = mkdtempSync(join(dir, ".new-"));
    const log = console.log;
    console.log = () => {}; // it announces itself; we say what happened below
    try {
      const [ca, cert, key] = ["ca.crt", "localhost.crt", "localhost.key"].map((f) =>
        join(fresh, f),
      );
      await generateCertificates(ca, cert, key, DAYS, ["127.0.0.1", "localhost"]);
      chmodSync(key, 0o600);
      renameSync(key, keyPath);
      renameSync(cert, certPath);
      renameSync(ca, caPath);
    } finally {
      console.log = log;
      rmSync(fresh, { recursive: true, force: true });
    }
    made = true;
    if (!usable(caPath, certPath, keyPath, Date.now()))
      throw new Error("the certificate made is not valid for localhost");
  }
  return {
    made,
    caPath,
    certPath,
    keyPath,
    tls: { cert: readFileSync(certPath), key: readFileSync(keyPath), ca: readFileSync(caPath) },
  };
}

function usable(caPath, certPath, keyPath, now) {
  if (![caPath, certPath, keyPath].every((p) => existsSync(p))) return false;
  try {
    const ca = new X509Certificate(readFileSync(caPath));
    const cert = new X509Certificate(readFileSync(certPath));
    return (
      cert.verify(ca.publicKey) &&
      Date.parse(cert.validTo) > now + 86_400_000 &&
      Date.parse(cert.validFrom) <= Math.max(now, Date.now()) + 300_000 &&
      cert.checkHost("localhost") === "localhost"
    );
  } catch {
    return false;
  }
}

/** How to make the browser trust the local CA, for the current user only. */
export function trustHelp(caPath, url) {
  return [
    "",
    "Trust the local CA in the browser that opens Excel on the web (once; no admin rights):",
    `  Chrome / Edge / Chromium on Linux:  certutil -d sql:$HOME/.pki/nssdb -A -t "C,," -n "Office Add-in dev CA" -i ${caPath}`,
    "                                      (certutil is in libnss3-tools), then restart the browser;",
    `                                      or Settings > Privacy and security > Security > Manage certificates > Authorities > Import ${caPath}`,
    `  Firefox:  Settings > Privacy & Security > Certificates > View Certificates > Authorities > Import ${caPath},`,
    '            tick "Trust this CA to identify websites"',
    `  Check: open ${url}taskpane.html in that browser; it must load without a certificate warning.`,
    "",
  ].join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    process.stderr.write(`dev-server failed: ${e?.stack ?? e}\n`);
    process.exitCode = 1;
  });
}
