/**
 * The RFM heat map reads (issue 18 §5): a one-hue scale, blank empty cells, labels that stand
 * out on dark cells, no gridline through them; the sheet's blocks leave empty cells blank too.
 */
import { describe, expect, it } from "vitest";
import { compile } from "vega-lite";
import { rfHeatmap, type RfCell } from "../../analysis/charts/rfm.js";
import { rfmSheet } from "../../analysis/output/rfm.js";
import { runAnalysis } from "../../analysis/index.js";
import { sampleWorkbook } from "../../analysis/sample.js";

const cells: RfCell[] = [];
for (let r = 1; r <= 5; r++)
  for (let f = 1; f <= 5; f++)
    cells.push({
      r,
      f,
      customers: r === 1 && f > 2 ? 0 : r * f,
      meanMonetary: r === 1 && f > 2 ? 0 : 100 * f,
    });

describe("R × F heat map", () => {
  interface HeatSpec {
    data: { values: RfCell[] };
    encoding: { x: { scale: { domain: number[] } } };
    layer: {
      encoding: {
        color: { scale?: { scheme: string }; condition?: unknown; value?: string };
      };
    }[];
  }
  const spec = rfHeatmap(cells, "en", "customers") as unknown as HeatSpec;

  it("draws no rectangle and no 0 for an empty cell", () => {
    expect(spec.data.values.length).toBe(22);
    expect(spec.data.values.every((c) => c.customers > 0)).toBe(true);
    // the axes still show all five scores
    expect(spec.encoding.x.scale.domain).toEqual([1, 2, 3, 4, 5]);
  });

  it("uses one hue (no red–green meaning) and turns labels white on the dark cells", () => {
    const [rect, text] = spec.layer;
    expect(rect.encoding.color.scale?.scheme).toBe("blues");
    // largest value 25: white from 55% of it
    expect(text.encoding.color.condition).toEqual({
      test: "datum['customers'] > 13.750000000000002",
      value: "white",
    });
    expect(text.encoding.color.value).toBe("#1f2933");
  });

  it("has no gridlines through the numbers", () => {
    const vg = compile(spec as never).spec;
    const grids = (vg.axes ?? []).filter((a) => a.grid);
    expect(grids).toEqual([]);
  });
});

describe("RFM sheet blocks", () => {
  it("leave empty R × F cells blank (null), not 0", () => {
    const run = runAnalysis(sampleWorkbook({ lang: "en" }), { lang: "en", today: 21_000 });
    const sheet = rfmSheet(run.analysis, "en");
    for (const id of ["rf-count", "rf-monetary"]) {
      const rows = sheet.blocks.find((b) => b.id === id)!.rows;
      const body = rows.flatMap((r) => r.slice(1));
      expect(body).not.toContain(0);
      expect(body.filter((v) => v === null).length).toBeGreaterThan(0);
    }
  });
});
