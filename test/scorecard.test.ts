import { describe, expect, it } from "vitest";
import { percentilePoints, scorecard } from "../analysis/scorecard.js";
import { measure } from "../analysis/rfm.js";
import { makeSettings } from "../analysis/settings.js";
import { buildDataset, day, idx } from "./helpers/dataset.js";

describe("scorecard", () => {
  it("scales by percentile with ties at the mid-rank", () => {
    const p = percentilePoints(
      Float64Array.from([10, 20, 20, 30, 99]),
      Uint8Array.from([1, 1, 1, 1, 0]),
    );
    expect(Array.from(p.subarray(0, 4))).toEqual([0, 50, 50, 100]);
    expect(Number.isNaN(p[4])).toBe(true);
  });

  it("weights criteria and grades by the cut-offs", () => {
    const { ds } = buildDataset(
      [
        ["top", "2024-06-01", 1000],
        ["top", "2024-06-20", 1000],
        ["top", "2023-09-01", 10],
        ["mid", "2024-05-01", 300],
        ["mid", "2023-11-01", 400],
        ["low", "2023-10-01", 50],
      ],
      { asOf: "2024-06-30" },
    );
    const settings = makeSettings({
      asOf: day("2024-06-30"),
      scorecard: {
        criteria: [
          { criterion: "revenue", weight: 0.5 },
          { criterion: "growth", weight: 0.5 },
        ],
      },
    });
    const r = scorecard(ds, measure(ds, settings), settings);
    // revenue ranks low < mid < top → 0, 50, 100; growth: top +∞ → 100, mid (300-400)/400 → 50, low -1 → 0
    expect(r.score[idx(ds, "top")]).toBe(100);
    expect(r.score[idx(ds, "mid")]).toBe(50);
    expect(r.score[idx(ds, "low")]).toBe(0);
    expect([r.grade[idx(ds, "top")], r.grade[idx(ds, "mid")], r.grade[idx(ds, "low")]]).toEqual([
      "A",
      "C",
      "D",
    ]);
    expect(r.points.revenue[idx(ds, "mid")]).toBe(50);
  });
});
