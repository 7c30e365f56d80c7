import { describe, expect, it } from "vitest";
import {
  compileSpec,
  FONT_STACK,
  hasCjkFont,
  lintSpec,
  renumberIds,
  svgToPng,
  textWidthEm,
} from "../../analysis/node/render.js";
import { sampleReport } from "./report-fixture.js";

/**
 * Specs that must compile without a single vega-lite or vega warning. Spec producers
 * (analysis/charts …) add theirs here — or call compileSpec in their own tests.
 */
function specs(): [string, Record<string, unknown>][] {
  const out: [string, Record<string, unknown>][] = [];
  for (const lang of ["zh", "en"] as const) {
    for (const s of sampleReport(lang).sections) {
      for (const it of s.items)
        if (it.kind === "figure") out.push([`report ${lang}: ${it.title}`, it.spec]);
    }
  }
  out.push([
    "pareto, bars + cumulative line on a secondary axis",
    {
      width: 400,
      height: 200,
      data: {
        values: [
          { c: "甲", v: 50, cum: 0.5 },
          { c: "乙", v: 30, cum: 0.8 },
          { c: "丙", v: 20, cum: 1 },
        ],
      },
      layer: [
        {
          mark: "bar",
          encoding: {
            x: { field: "c", type: "nominal", sort: null, title: "客户" },
            y: { field: "v", type: "quantitative", title: "销售额" },
          },
        },
        {
          layer: [
            {
              mark: { type: "line", point: true, color: "#e07b39" },
              encoding: {
                x: { field: "c", type: "nominal", sort: null },
                y: { field: "cum", type: "quantitative", axis: { format: "%" }, title: "累计占比" },
              },
            },
            { mark: { type: "rule", strokeDash: [4, 3] }, encoding: { y: { datum: 0.8 } } },
          ],
        },
      ],
      resolve: { scale: { y: "independent" } },
    },
  ]);
  return out;
}

describe("compileSpec", () => {
  it.each(specs())("%s compiles without warnings", async (_name, spec) => {
    const { svg, warnings } = await compileSpec(spec);
    expect(warnings).toEqual([]);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  });

  it("collects warnings instead of printing them", async () => {
    const spec = {
      data: { values: [{ a: 1 }] },
      mark: "bar",
      encoding: { x: { field: "a", type: "quantitative" }, shape: { field: "a", type: "nominal" } },
    };
    const { warnings } = await compileSpec(spec);
    expect(warnings.some((w) => /shape/i.test(w))).toBe(true);
    const lint = await lintSpec(spec);
    expect(lint.length).toBeGreaterThan(0);
    for (const w of lint) expect(warnings).toContain(w);
  });

  it("throws on something that is not a spec", async () => {
    await expect(compileSpec(null as unknown as Record<string, unknown>)).rejects.toThrow(
      /invalid vega-lite spec/,
    );
  });

  it("writes the CJK font stack and escapes text", async () => {
    const { svg } = await compileSpec({
      title: "a<b & 客户",
      data: { values: [{ k: "x" }] },
      mark: "text",
      encoding: { text: { field: "k" } },
    });
    expect(svg).toContain(`font-family="${FONT_STACK}"`);
    expect(svg).toContain("a&lt;b &amp; 客户");
  });

  it("fits single views into a requested size", async () => {
    const { width, height } = await compileSpec(specs()[0][1], { width: 480, height: 300 });
    expect([width, height]).toEqual([480, 300]);
  });

  it("gives the same bytes for the same spec, whatever was rendered before", async () => {
    const clipped = (n: number) => ({
      data: { values: [{ a: n }] },
      mark: { type: "bar", clip: true },
      encoding: { y: { field: "a", type: "quantitative" } },
    });
    const a = await compileSpec(clipped(1));
    await compileSpec(clipped(2));
    const b = await compileSpec(clipped(1));
    expect(b.svg).toBe(a.svg);
    expect(a.svg).toMatch(/id="v0"/);
  });
});

describe("renumberIds", () => {
  it("renames ids and their references in tags only", () => {
    const svg = `<svg><defs><clipPath id="clip7"><rect/></clipPath></defs><g clip-path="url(#clip7)"><use href="#clip7"/><text>url(#clip7)</text></g></svg>`;
    expect(renumberIds(svg, "f1-")).toBe(
      `<svg><defs><clipPath id="f1-0"><rect/></clipPath></defs><g clip-path="url(#f1-0)"><use href="#f1-0"/><text>url(#clip7)</text></g></svg>`,
    );
  });
});

describe("textWidthEm", () => {
  it("counts CJK characters as full width", () => {
    expect(textWidthEm("客户")).toBe(2);
    expect(textWidthEm("il")).toBeCloseTo(0.6);
    expect(textWidthEm("A1")).toBeCloseTo(1.24);
  });
});

describe("svgToPng", () => {
  it("rasterises deterministically, at the requested scale", async () => {
    const { svg, width, height } = await compileSpec(specs()[0][1]);
    const a = await svgToPng(svg);
    const b = await svgToPng(svg);
    expect(a.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(a.equals(b)).toBe(true);
    // IHDR width/height at bytes 16..24.
    expect(a.readUInt32BE(16)).toBe(Math.round(width * 2));
    expect(a.readUInt32BE(20)).toBe(Math.round(height * 2));
  });

  it.skipIf(!hasCjkFont())("draws Chinese glyphs (not blank boxes) with the CJK font", async () => {
    // The same box with and without Chinese text must differ: missing glyphs draw nothing.
    const box = (s: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><text x="4" y="28" font-size="24" font-family="${FONT_STACK}">${s}</text></svg>`;
    const blank = await svgToPng(box(""), { scale: 1 });
    const chinese = await svgToPng(box("客户"), { scale: 1 });
    expect(chinese.equals(blank)).toBe(false);
    expect(chinese.length).toBeGreaterThan(blank.length + 200);
  });
});
