/**
 * The manifest, checked offline (office-addin-manifest validate needs Microsoft's service):
 * schema order and required elements, every resid resolved, one https origin, icons built at
 * the declared sizes, the function file's command registered, minimal permissions.
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { checkManifest, parseXml } from "./manifest-check.js";

const root = join(import.meta.dirname, "..", "..");
const xml = readFileSync(join(root, "manifest.xml"), "utf8");
let dist = "";

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { w: number; h: number } {
  const b = readFileSync(file);
  if (b.readUInt32BE(0) !== 0x89504e47) throw new Error(`${file} is not a PNG`);
  return { w: b.readUInt32BE(16), h: b.readUInt32BE(20) };
}

beforeAll(async () => {
  const { buildAddin } = await import("../../addin/build.mjs");
  dist = await buildAddin({ quiet: true, outDir: mkdtempSync(join(tmpdir(), "crm-addin-")) });
}, 120_000);

describe("manifest.xml", () => {
  it("passes the offline schema checks with zh-CN strings everywhere", () => {
    const { problems, facts } = checkManifest(xml, { locales: ["zh-CN"] });
    expect(problems).toEqual([]);
    expect(facts.origin).toBe("https://localhost:3000");
    expect(facts.supportUrl).toBe("https://localhost:3000/help.html");
    expect(facts.requirements).toEqual([{ name: "ExcelApi", minVersion: "1.8" }]);
    expect(facts.functionNames).toEqual(["analyze"]);
  });

  it("asks for ReadWriteDocument only, and names the ribbon group in both languages", () => {
    const doc = parseXml(xml);
    expect(doc.children.find((c) => c.name === "Permissions")?.text).toBe("ReadWriteDocument");
    expect(xml).toMatch(
      /<bt:String id="Group.Label" DefaultValue="Customer Lifecycle">\s*<bt:Override Locale="zh-CN" Value="客户生命周期"\/>/,
    );
    for (const label of ["Analyze", "Follow-ups", "Settings", "Show pane"])
      expect(xml).toContain(`DefaultValue="${label}"`);
    expect(xml).toContain('<OfficeTab id="TabHome">');
  });

  it("points at files the build produces: pages, and PNG icons at their declared sizes", () => {
    const { facts } = checkManifest(xml);
    for (const u of facts.urls) {
      const path = new URL(u).pathname;
      const file = join(dist, path);
      expect(existsSync(file), `${u} → ${file}`).toBe(true);
      const m = /-(\d+)\.png$/.exec(path);
      if (m) expect(pngSize(file)).toEqual({ w: Number(m[1]), h: Number(m[1]) });
    }
    const doc = parseXml(readFileSync(join(dist, "manifest.xml"), "utf8"));
    expect(doc.name).toBe("OfficeApp");
  });

  it("registers the ExecuteFunction command in the function file, and checks 1.9 features before use", () => {
    const commands = readFileSync(join(root, "addin/commands/commands.ts"), "utf8");
    expect(commands).toMatch(/Office\.actions\.associate\("analyze"/);
    const adapter = readFileSync(join(root, "addin/excel-adapter.ts"), "utf8");
    expect(adapter).toMatch(/isSetSupported\("ExcelApi", "1\.9"\)/);
  });

  it("fails broken manifests", () => {
    const broken = {
      missingResource: xml.replace(/<bt:String id="Analyze.Label"[\s\S]*?<\/bt:String>/, ""),
      outOfOrder: xml.replace(
        /(<Version>1.0.0.0<\/Version>)\s*(<ProviderName>[^<]*<\/ProviderName>)/,
        "$2$1",
      ),
      otherOrigin: xml.replace(
        "https://localhost:3000/commands.html",
        "https://example.com/commands.html",
      ),
      plainHttp: xml.replace(
        'https://localhost:3000/taskpane.html"/>',
        'http://localhost:3000/taskpane.html"/>',
      ),
      noPermissions: xml.replace(/<Permissions>.*<\/Permissions>/, ""),
      badXml: xml.replace("</Hosts>", "</Host>"),
      noOverride: xml.replace('<bt:Override Locale="zh-CN" Value="分析"/>', ""),
      missingIconSize: xml.replace('<bt:Image size="80" resid="Analyze.80"/>', ""),
    };
    const expected: Record<keyof typeof broken, RegExp> = {
      missingResource: /resid Analyze.Label .* not defined in ShortStrings/,
      outOfOrder: /out of order/,
      otherOrigin: /more than one origin/,
      plainHttp: /not https/,
      noPermissions: /required <Permissions> missing/,
      badXml: /not well-formed/,
      noOverride: /Analyze.Label has no <Override Locale="zh-CN">/,
      missingIconSize: /lacks size 80|Analyze.80 is never used/,
    };
    for (const [name, text] of Object.entries(broken)) {
      expect(text, name).not.toBe(xml);
      const { problems } = checkManifest(text, { locales: ["zh-CN"] });
      expect(problems.join("\n"), name).toMatch(expected[name as keyof typeof broken]);
    }
  });
});

describe("the production manifest (ADDIN_ORIGIN)", () => {
  const ORIGIN = "https://crm.example.com";

  it("has its own add-in Id and a support URL, on the production origin, and validates offline", async () => {
    const { manifestFor, PRODUCTION_ID, buildAddin } = await import("../../addin/build.mjs");
    const prod = manifestFor(xml, { origin: ORIGIN });
    const dev = checkManifest(xml).facts;
    const { problems, facts } = checkManifest(prod, { locales: ["zh-CN"] });
    expect(problems).toEqual([]);
    expect(facts.id).toBe(PRODUCTION_ID);
    expect(facts.id).not.toBe(dev.id);
    expect(facts.supportUrl).toBe(`${ORIGIN}/help.html`);
    expect(facts.origin).toBe(ORIGIN);
    expect(prod).not.toContain("localhost");
    // the build writes it
    const out = await buildAddin({
      quiet: true,
      outDir: mkdtempSync(join(tmpdir(), "crm-prod-")),
      origin: `${ORIGIN}/`,
    });
    expect(readFileSync(join(out, "manifest.xml"), "utf8")).toBe(prod);
  }, 120_000);

  it("takes a support site on another origin and an Id of your own; refuses what AppSource would", async () => {
    const { manifestFor } = await import("../../addin/build.mjs");
    const id = "0b5c4d1e-2f3a-4b5c-8d9e-0f1a2b3c4d5e";
    const prod = manifestFor(xml, {
      origin: ORIGIN,
      id,
      supportUrl: "https://support.example.org/crm?lang=en&x=1",
    });
    const { problems, facts } = checkManifest(prod, { locales: ["zh-CN"] });
    expect(problems).toEqual([]);
    expect(facts.id).toBe(id);
    expect(facts.supportUrl).toBe("https://support.example.org/crm?lang=en&x=1");
    expect(facts.origin).toBe(ORIGIN);
    expect(() => manifestFor(xml, { origin: "http://crm.example.com" })).toThrow(/https/);
    expect(() => manifestFor(xml, { origin: `${ORIGIN}/addin` })).toThrow(/origin/);
    expect(() => manifestFor(xml, { origin: ORIGIN, id: "crm-1" })).toThrow(/GUID/);
    expect(() =>
      manifestFor(xml, { origin: ORIGIN, supportUrl: "http://support.example.org" }),
    ).toThrow(/https/);
    // the offline check wants a support URL, https
    const none = checkManifest(prod.replace(/\s*<SupportUrl [^>]*\/>/, "")).problems;
    expect(none.join("\n")).toMatch(/SupportUrl> missing/);
    const plain = checkManifest(
      prod.replace("https://support.example.org", "http://support.example.org"),
    ).problems;
    expect(plain.join("\n")).toMatch(/SupportUrl is not https/);
  });
});
