/**
 * `npm run dev-server` on a machine without admin rights: a local CA and a localhost
 * certificate made in a folder of the user's (nothing installed in the system store), reused
 * while valid, made anew when expiring; the server answers over https with it.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { X509Certificate } from "node:crypto";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { localCertificates, serve, trustHelp } from "../../addin/dev-server.mjs";

describe("dev server certificates", () => {
  it("makes a CA and a localhost certificate it signs, reuses them, renews them before expiry", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "crm-certs-")), "certs");
    const first = await localCertificates({ dir });
    expect(first.made).toBe(true);
    const ca = new X509Certificate(readFileSync(first.caPath));
    const cert = new X509Certificate(readFileSync(first.certPath));
    expect(ca.ca).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.checkHost("localhost")).toBe("localhost");
    expect(cert.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(
      cert.checkPrivateKey(
        await import("node:crypto").then((c) => c.createPrivateKey(readFileSync(first.keyPath))),
      ),
    ).toBe(true);
    expect(statSync(first.keyPath).mode & 0o777).toBe(0o600);

    const again = await localCertificates({ dir });
    expect(again.made).toBe(false);
    expect(again.tls.cert.equals(first.tls.cert)).toBe(true);

    // within a day of expiry (or broken files) they are made anew
    const later = await localCertificates({ dir, now: Date.parse(cert.validTo) - 3_600_000 });
    expect(later.made).toBe(true);
    writeFileSync(later.certPath, "not a certificate");
    expect((await localCertificates({ dir })).made).toBe(true);
  }, 60_000);

  it("serves https://localhost with them, trusted through the local CA", async () => {
    const dir = mkdtempSync(join(tmpdir(), "crm-certs-"));
    const certs = await localCertificates({ dir });
    const site = mkdtempSync(join(tmpdir(), "crm-site-"));
    writeFileSync(join(site, "taskpane.html"), "<p>pane</p>");
    const server = await serve({ dir: site, port: 0, host: "127.0.0.1", tls: certs.tls });
    try {
      expect(server.url).toMatch(/^https:\/\/localhost:\d+\/$/);
      const body = await new Promise<string>((resolve, reject) => {
        const req = request(
          `${server.url}taskpane.html`,
          {
            ca: certs.tls.ca,
            lookup: (_h, _o, cb) => cb(null, [{ address: "127.0.0.1", family: 4 }]),
          },
          (res) => {
            let text = "";
            res.on("data", (d: Buffer) => (text += d.toString()));
            res.on("end", () => resolve(`${res.statusCode} ${text}`));
          },
        );
        req.on("error", reject);
        req.end();
      });
      expect(body).toBe("200 <p>pane</p>");
    } finally {
      await server.close();
    }
    const help = trustHelp(certs.caPath, "https://localhost:3000/");
    expect(help).toContain(`-i ${certs.caPath}`);
    expect(help).toMatch(/Firefox/);
    expect(help).not.toMatch(/sudo/);
  }, 60_000);
});
