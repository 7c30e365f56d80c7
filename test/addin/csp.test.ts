/**
 * The pages' Content Security Policy (taskpane.html, commands.html, notice.html and the
 * playground's copy of the pane): exactly what the add-in and office.js need and nothing more.
 * office.js loads its host scripts from appsforoffice.microsoft.com (script-src) and, in Excel
 * on the web, checks that the host is trusted in a hidden frame on the same CDN
 * (AgaveErrorUX/index.html: frame-src); the analysis runs in a worker from this origin
 * (worker-src). No 'unsafe-eval', no inline scripts, no other origin.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const OFFICE = "https://appsforoffice.microsoft.com";
const EXPECTED: Record<string, string[]> = {
  "default-src": ["'self'"],
  "script-src": ["'self'", OFFICE],
  "frame-src": [OFFICE],
  "worker-src": ["'self'"],
  "style-src": ["'self'", "'unsafe-inline'"],
  "img-src": ["'self'", "data:"],
  "connect-src": ["'self'"],
};

let dist = "";
beforeAll(async () => {
  const { buildAddin } = await import("../../addin/build.mjs");
  dist = await buildAddin({ quiet: true, outDir: mkdtempSync(join(tmpdir(), "crm-csp-")) });
}, 120_000);

const pages = () => ({
  "taskpane.html": readFileSync(join(root, "addin/taskpane/taskpane.html"), "utf8"),
  "commands.html": readFileSync(join(root, "addin/commands/commands.html"), "utf8"),
  "notice.html": readFileSync(join(root, "addin/commands/notice.html"), "utf8"),
  "playground/pane.html": readFileSync(join(dist, "playground/pane.html"), "utf8"),
});

/** The policy of a page's <meta http-equiv="Content-Security-Policy">, directive → sources. */
function policyOf(html: string): Map<string, string[]> {
  const metas = [
    ...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/g),
  ];
  if (metas.length !== 1) throw new Error(`${metas.length} CSP meta elements`);
  const out = new Map<string, string[]>();
  for (const part of metas[0][1].split(";")) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (!name) continue;
    if (out.has(name)) throw new Error(`directive ${name} twice`);
    out.set(name, sources);
  }
  return out;
}

/** The sources that govern a fetch of `kind`, with CSP Level 3's fallbacks. */
const FALLBACK: Record<string, string[]> = {
  script: ["script-src", "default-src"],
  frame: ["frame-src", "child-src", "default-src"],
  worker: ["worker-src", "child-src", "script-src", "default-src"],
  connect: ["connect-src", "default-src"],
  img: ["img-src", "default-src"],
};
function allows(policy: Map<string, string[]>, kind: string, url: string, self: string): boolean {
  const directive = FALLBACK[kind].find((d) => policy.has(d));
  if (!directive) return true;
  const u = new URL(url, self);
  return policy.get(directive)!.some((s) => {
    // 'self' matches this origin over http(s) only, never blob:, data: (CSP Level 3)
    if (s === "'self'") return /^https?:$/.test(u.protocol) && u.origin === new URL(self).origin;
    if (s.endsWith(":") && !s.includes("/")) return u.protocol === s;
    if (s.startsWith("'")) return false;
    return u.origin === new URL(s).origin && u.pathname.startsWith(new URL(s).pathname);
  });
}

describe("Content Security Policy", () => {
  it("is exactly the expected policy on every page", () => {
    for (const [name, html] of Object.entries(pages()))
      expect(Object.fromEntries(policyOf(html)), name).toEqual(EXPECTED);
  });

  it("allows office.js, its trust-check frame and the analysis worker; blocks the rest", () => {
    const self = "https://localhost:3000/taskpane.html";
    const p = policyOf(pages()["taskpane.html"]);
    expect(allows(p, "script", `${OFFICE}/lib/1/hosted/office.js`, self)).toBe(true);
    expect(allows(p, "script", `${OFFICE}/lib/1/hosted/excel-web-16.00.js`, self)).toBe(true);
    expect(allows(p, "frame", `${OFFICE}/lib/1/hosted/AgaveErrorUX/index.html#x`, self)).toBe(true);
    expect(allows(p, "worker", "analysis-worker.js", self)).toBe(true);
    expect(allows(p, "script", "taskpane.js", self)).toBe(true);
    expect(allows(p, "img", "data:image/png;base64,AAAA", self)).toBe(true);
    expect(allows(p, "script", "https://cdn.example.com/x.js", self)).toBe(false);
    expect(allows(p, "frame", "https://example.com/", self)).toBe(false);
    expect(allows(p, "frame", "taskpane.html", self)).toBe(false);
    expect(allows(p, "worker", "blob:https://localhost:3000/1", self)).toBe(false);
    expect(allows(p, "connect", "https://example.com/collect", self)).toBe(false);
    expect(p.get("script-src")).not.toContain("'unsafe-eval'");
    expect(p.get("script-src")).not.toContain("'unsafe-inline'");
  });

  it("every script a page loads is allowed: files from this origin or office.js, none inline", () => {
    for (const [name, html] of Object.entries(pages())) {
      const p = policyOf(html);
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length, name).toBeGreaterThan(0);
      for (const [, attrs, body] of scripts) {
        expect(body.trim(), `${name}: inline script`).toBe("");
        const src = /\bsrc="([^"]+)"/.exec(attrs)?.[1];
        expect(src, name).toBeTruthy();
        expect(allows(p, "script", src!, "https://localhost:3000/x/"), `${name}: ${src}`).toBe(
          true,
        );
      }
    }
  });

  it("the worker's script is built beside the pane's bundle, which creates it from its own URL", () => {
    expect(readFileSync(join(dist, "analysis-worker.js"), "utf8").length).toBeGreaterThan(1000);
    const boot = readFileSync(join(root, "addin/taskpane/taskpane.ts"), "utf8");
    expect(boot).toMatch(/new Worker\(new URL\("analysis-worker\.js", bundle\)\)/);
  });
});
