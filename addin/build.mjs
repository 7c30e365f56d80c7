/**
 * Build the add-in into dist/addin/: the task pane and the ribbon's function file (esbuild
 * bundles of the pane + analysis core), the playground, HTML, CSS, PNG icons rendered from
 * SVG, and the manifest.
 *
 *   node addin/build.mjs            # production bundles (minified), manifest for localhost
 *   node addin/build.mjs --dev      # unminified, inline source maps
 *   ADDIN_ORIGIN=https://your.host [ADDIN_SUPPORT_URL=https://…] node addin/build.mjs
 *                                   # the production manifest: served from your host, with
 *                                   # its own add-in Id (PRODUCTION_ID, or ADDIN_ID) and a
 *                                   # support URL (your host's help.html unless given)
 */
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { renderIcon, ICONS, SIZES } from "./icons.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const DEFAULT_OUT = join(root, "dist", "addin");
const dev = process.argv.includes("--dev");
const DEV_ORIGIN = "https://localhost:3000";

/**
 * The engines the pane supports, and so the bundles' syntax: ECMAScript 2020 (`?.`, `??`
 * stay) and nothing newer, for the oldest web views that have the built-ins the code uses
 * (structuredClone: Chromium 98 / WebView2, Safari 15.4, Firefox 94). Older web views
 * (Trident, EdgeHTML) get legacy.js's message instead of a blank pane. See addin/README.md
 * ("Supported Office hosts"); test/addin/bundle.test.ts checks the output against this.
 */
export const BROWSER_TARGET = ["es2020", "chrome98", "edge98", "firefox94", "safari15.4"];
/**
 * The production add-in's Id: AppSource and Office tell add-ins apart by Id, so the one
 * served from your host must not share the localhost one's (manifest.xml). ADDIN_ID overrides.
 */
export const PRODUCTION_ID = "13b29aad-a10e-48cc-b42e-27075389940f";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The manifest for `origin`: manifest.xml as is for the dev origin; otherwise every URL moved
 * to `origin`, the production Id, and <SupportUrl> set to `supportUrl` (default: the help
 * page on `origin`).
 */
export function manifestFor(xml, { origin = DEV_ORIGIN, id, supportUrl } = {}) {
  const o = new URL(origin);
  if (o.protocol !== "https:" || o.pathname !== "/" || o.search || o.hash)
    throw new Error(
      `ADDIN_ORIGIN must be an https origin such as https://crm.example.com: ${origin}`,
    );
  const base = o.origin;
  if (base === DEV_ORIGIN && !id && !supportUrl) return xml;
  const productionId = id ?? PRODUCTION_ID;
  if (!GUID.test(productionId)) throw new Error(`ADDIN_ID is not a GUID: ${productionId}`);
  const support = supportUrl ?? `${base}/help.html`;
  if (new URL(support).protocol !== "https:")
    throw new Error(`ADDIN_SUPPORT_URL must be https: ${support}`);
  const out = xml
    .replaceAll(DEV_ORIGIN, base)
    .replace(/<Id>[^<]*<\/Id>/, `<Id>${productionId}</Id>`)
    .replace(
      /<SupportUrl DefaultValue="[^"]*"\/>/,
      `<SupportUrl DefaultValue="${support.replaceAll("&", "&amp;").replaceAll('"', "&quot;")}"/>`,
    );
  if (!out.includes(`<Id>${productionId}</Id>`) || !out.includes("<SupportUrl "))
    throw new Error("manifest.xml lacks <Id> or <SupportUrl>");
  return out;
}

/** Build into `outDir` (default dist/addin); returns the directory. */
export async function buildAddin({
  quiet = false,
  outDir = DEFAULT_OUT,
  origin = process.env.ADDIN_ORIGIN || DEV_ORIGIN,
  id = process.env.ADDIN_ID || undefined,
  supportUrl = process.env.ADDIN_SUPPORT_URL || undefined,
} = {}) {
  const out = outDir;
  mkdirSync(join(out, "assets"), { recursive: true });
  mkdirSync(join(out, "playground"), { recursive: true });
  const common = {
    bundle: true,
    format: "iife",
    platform: "browser",
    target: BROWSER_TARGET,
    minify: !dev,
    sourcemap: dev ? "inline" : false,
    legalComments: "none",
    logLevel: quiet ? "silent" : "warning",
    define: { "process.env.NODE_ENV": JSON.stringify(dev ? "development" : "production") },
  };
  await Promise.all([
    build({
      ...common,
      entryPoints: [join(here, "taskpane/taskpane.ts")],
      outfile: join(out, "taskpane.js"),
    }),
    build({
      ...common,
      entryPoints: [join(here, "commands/commands.ts")],
      outfile: join(out, "commands.js"),
    }),
    build({
      ...common,
      entryPoints: [join(here, "commands/notice.ts")],
      outfile: join(out, "notice.js"),
    }),
    build({
      ...common,
      entryPoints: [join(here, "analysis-worker.ts")],
      outfile: join(out, "analysis-worker.js"),
    }),
    build({
      ...common,
      entryPoints: [join(here, "playground/playground.ts")],
      outfile: join(out, "playground/playground.js"),
    }),
    build({
      ...common,
      entryPoints: [join(here, "legacy/legacy.ts")],
      outfile: join(out, "legacy.js"),
      target: "es5",
      define: { LEGACY_TEXT: JSON.stringify(await legacyText()) },
    }),
  ]);
  for (const [from, to] of [
    ["taskpane/taskpane.html", "taskpane.html"],
    ["taskpane/taskpane.css", "taskpane.css"],
    ["taskpane/help.html", "help.html"],
    ["commands/commands.html", "commands.html"],
    ["commands/notice.html", "notice.html"],
    ["playground/index.html", "playground/index.html"],
    ["playground/playground.css", "playground/playground.css"],
  ])
    copyFileSync(join(here, from), join(out, to));
  // The playground's copy of the pane page: same bundle and CSS, without office.js (which,
  // loaded in an iframe outside Office, waits for a host that never comes).
  const paneHtml = readFileSync(join(here, "taskpane/taskpane.html"), "utf8")
    .replace(/\s*<script src="https:\/\/appsforoffice[^"]*"><\/script>/, "")
    .replace('href="taskpane.css"', 'href="../taskpane.css"')
    .replace('src="legacy.js"', 'src="../legacy.js"')
    .replace('src="taskpane.js"', 'src="../taskpane.js"');
  if (paneHtml.includes('<script src="https://appsforoffice'))
    throw new Error("could not strip office.js from the playground pane");
  writeFileSync(join(out, "playground", "pane.html"), paneHtml);
  for (const name of Object.keys(ICONS)) {
    writeFileSync(join(out, "assets", `${name}.svg`), ICONS[name]);
    for (const size of SIZES)
      writeFileSync(join(out, "assets", `${name}-${size}.png`), renderIcon(name, size));
  }
  const manifest = manifestFor(readFileSync(join(root, "manifest.xml"), "utf8"), {
    origin: origin.replace(/\/$/, ""),
    id,
    supportUrl,
  });
  writeFileSync(join(out, "manifest.xml"), manifest);
  if (!quiet)
    process.stdout.write(
      `add-in built into ${out}${origin.replace(/\/$/, "") !== DEV_ORIGIN ? ` for ${origin} (production manifest: its own Id, support URL)` : ""}\n`,
    );
  return out;
}

/** The legacy page's texts in both languages, from the message catalogue (analysis/messages). */
async function legacyText() {
  const bundled = await build({
    entryPoints: [join(root, "analysis/messages/index.ts")],
    bundle: true,
    format: "esm",
    platform: "neutral",
    write: false,
    logLevel: "silent",
  });
  const code = Buffer.from(bundled.outputFiles[0].text).toString("base64");
  const { t } = await import(`data:text/javascript;base64,${code}`);
  const text = (lang) => ({
    title: t(lang, "addin.legacy.title"),
    body: t(lang, "addin.legacy.body"),
  });
  return { zh: text("zh"), en: text("en") };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildAddin().catch((e) => {
    process.stderr.write(`build:addin failed: ${e?.stack ?? e}\n`);
    process.exitCode = 1;
  });
}
