/**
 * Every chart the product draws, from a real analysis of the sample workbook in both
 * languages: valid against vega-lite's JSON schema, compiled without a warning, and drawn.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Ajv } from "ajv";
import { runAnalysis } from "../../analysis/index.js";
import { sampleWorkbook } from "../../analysis/sample.js";
import type { Lang } from "../../analysis/types.js";
import type { SizeOptions } from "../../analysis/node/render.js";
import { compileSpec, lintSpec, textWidthEm } from "../../analysis/node/render.js";
import { imageSize } from "../../analysis/node/xlsx-write.js";

// The schema file is not an export of the package: find it beside the package's main file.
const require = createRequire(import.meta.url);
const vlMain = require.resolve("vega-lite");
const schemaPath = join(
  vlMain.slice(0, vlMain.lastIndexOf("/build/") + 7),
  "vega-lite-schema.json",
);
const schema = JSON.parse(readFileSync(schemaPath, "utf8"));
const ajv = new Ajv({ allErrors: false, strict: false, validateFormats: false });
const validate = ajv.compile(schema);

/** Every chart spec, with the size it is drawn at in analysis.xlsx (report charts: their own). */
function allSpecs(lang: Lang): [string, Record<string, unknown>, SizeOptions][] {
  const wb = sampleWorkbook({ lang });
  const run = runAnalysis(wb, { lang });
  const out: [string, Record<string, unknown>, SizeOptions][] = [];
  for (const sheet of run.output.sheets) {
    for (const c of sheet.charts)
      out.push([`${lang} sheet ${sheet.name} / ${c.id}`, c.vegaLite, imageSize(c)]);
  }
  for (const section of run.report.sections) {
    section.items.forEach((it, i) => {
      if (it.kind === "figure")
        out.push([`${lang} report ${section.id} #${i} ${it.title}`, it.spec, {}]);
    });
  }
  return out;
}

describe.each(["zh", "en"] as const)("chart specs (%s)", (lang) => {
  const specs = allSpecs(lang);

  it("cover every area", () => {
    const names = specs.map(([n]) => n).join("\n");
    for (const area of ["pareto", "rfm", "grades", "lifecycle", "clv"]) {
      expect(names, area).toContain(area);
    }
    expect(specs.length).toBeGreaterThan(15);
  });

  it("are valid vega-lite and compile without warnings", async () => {
    for (const [name, spec] of specs) {
      const ok = validate(spec);
      expect(ok ? [] : (validate.errors ?? []).slice(0, 3), name).toEqual([]);
      expect(await lintSpec(spec), name).toEqual([]);
    }
  });

  it("have titles and subtitles that fit the picture", async () => {
    // measured as the renderer measures text, with a tenth to spare: a real font's glyphs run
    // up to some 5% wider than the estimate (bold Latin), and a longer line is cut off
    for (const [name, spec, size] of specs) {
      const title = spec.title as { text: string; subtitle?: string; fontSize: number };
      const { width } = await compileSpec(spec, size);
      const fits = (text: string, px: number) =>
        expect(textWidthEm(text) * px * 1.1, `${name}: ${text}`).toBeLessThanOrEqual(width);
      fits(title.text, title.fontSize * 1.05);
      if (title.subtitle) fits(title.subtitle, 11);
    }
  }, 60_000);

  it("draw to SVG", async () => {
    for (const [name, spec] of specs) {
      const { svg } = await compileSpec(spec);
      expect(svg.startsWith("<svg"), name).toBe(true);
    }
  }, 60_000);
});
