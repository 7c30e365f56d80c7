/**
 * The built scripts match the decision in addin/build.mjs (BROWSER_TARGET) and
 * addin/README.md ("Supported Office hosts"): the pane, the ribbon's function file, the
 * notice dialog, the analysis worker and the playground are ECMAScript 2020 at most (parsed
 * with acorn at ecmaVersion 2020: syntax of 2021 or later fails); legacy.js, loaded before the
 * pane's bundle, is ECMAScript 5 and tells the web views that are too old what to use instead
 * of leaving a blank pane.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import { parse } from "acorn";
import { beforeAll, describe, expect, it } from "vitest";
import { t } from "../../analysis/messages/index.js";

const root = join(import.meta.dirname, "..", "..");
let dist = "";
let target: string[] = [];

beforeAll(async () => {
  const build = await import("../../addin/build.mjs");
  target = build.BROWSER_TARGET;
  dist = await build.buildAddin({ quiet: true, outDir: mkdtempSync(join(tmpdir(), "crm-js-")) });
}, 120_000);

const SCRIPTS = [
  "taskpane.js",
  "commands.js",
  "notice.js",
  "analysis-worker.js",
  "playground/playground.js",
];

describe("the bundles' JavaScript", () => {
  it("is ECMAScript 2020 at most, built for the engines the README lists", () => {
    expect(target[0]).toBe("es2020");
    for (const f of SCRIPTS) {
      const code = readFileSync(join(dist, f), "utf8");
      expect(() => parse(code, { ecmaVersion: 2020, sourceType: "script" }), f).not.toThrow();
    }
    // the parser does hold the line: newer syntax fails at 2020
    for (const newer of ["a ??= b;", "class A { x = 1 }", "1_000;", "a.at?.(-1) ?? #x in a;"])
      expect(() => parse(newer, { ecmaVersion: 2020 }), newer).toThrow();
    const readme = readFileSync(join(root, "addin/README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Supported Office hosts"));
    expect(section.length).toBeGreaterThan(100);
    for (const engine of target.slice(1)) {
      const [, name, version] = /^([a-z]+)([\d.]+)$/.exec(engine)!;
      const label = { chrome: "Chromium", edge: "Edge", firefox: "Firefox", safari: "Safari" }[
        name
      ];
      expect(section, engine).toContain(`${label} ${version}`);
    }
  });

  it("loads legacy.js, ECMAScript 5, before the pane's bundle", () => {
    const legacy = readFileSync(join(dist, "legacy.js"), "utf8");
    expect(() => parse(legacy, { ecmaVersion: 5 })).not.toThrow();
    for (const page of ["taskpane.html", "playground/pane.html"]) {
      const html = readFileSync(join(dist, page), "utf8");
      const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
      const at = (name: string) => scripts.findIndex((s) => s.endsWith(name));
      expect(at("legacy.js"), page).toBeGreaterThanOrEqual(0);
      expect(at("legacy.js"), page).toBeLessThan(at("taskpane.js"));
    }
  });

  /** Run legacy.js in a fresh context: a window with or without the built-ins the pane uses. */
  function runLegacy(modern: boolean, language: string) {
    const app = { children: [] as Record<string, unknown>[] };
    const el = (tag: string) => {
      const node: Record<string, unknown> & { children: unknown[] } = { tag, children: [] };
      node.appendChild = (c: unknown) => node.children.push(c);
      node.setAttribute = (k: string, v: string) => (node[k] = v);
      return node;
    };
    const appNode = {
      get firstChild() {
        return app.children[0] ?? null;
      },
      removeChild: (c: Record<string, unknown>) => app.children.splice(app.children.indexOf(c), 1),
      appendChild: (c: Record<string, unknown>) => app.children.push(c),
    };
    app.children.push({ tag: "p", text: "Loading…" });
    const window: Record<string, unknown> = {
      navigator: { language },
      document: {
        getElementById: (id: string) => (id === "app" ? appNode : null),
        createElement: el,
        createTextNode: (text: string) => ({ text }),
      },
    };
    if (modern) window.structuredClone = structuredClone;
    window.window = window;
    const code = readFileSync(join(dist, "legacy.js"), "utf8");
    runInNewContext(code, window);
    return { window, app: app.children };
  }

  it("legacy.js shows the message in the user's language where the built-ins are missing", () => {
    for (const [language, lang] of [
      ["zh-CN", "zh"],
      ["en-US", "en"],
    ] as const) {
      const { window, app } = runLegacy(false, language);
      expect(window.crmLegacy).toBe(true);
      expect(app).toHaveLength(1);
      const main = app[0] as { className: string; children: { children: { text: string }[] }[] };
      expect(main.className).toBe("outside");
      expect(main.children.map((c) => c.children[0].text)).toEqual([
        t(lang, "addin.legacy.title"),
        t(lang, "addin.legacy.body"),
      ]);
    }
  });

  it("legacy.js leaves the page alone in a web view that has them", () => {
    const { window, app } = runLegacy(true, "zh-CN");
    expect(window.crmLegacy).toBeUndefined();
    expect(app).toEqual([{ tag: "p", text: "Loading…" }]);
  });
});
