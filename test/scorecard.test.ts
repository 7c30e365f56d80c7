import { describe, expect, it } from "vitest";
import { percentilePoints, scorecard } from "../analysis/scorecard.js";
import { measure } from "../analysis/rfm.js";
import { makeSettings } from "../analysis/settings.js";
import { buildDataset, day, idx } from "./helpers/dataset.js";
import { mulberry32 } from "../analysis/random.js";

describe("scorecard", () => {
  it("scales by percentile with ties at the mid-rank", () => {
    const p = percentilePoints(
      Float64Array.from([10, 20, 20, 30, 99]),
      Uint8Array.from([1, 1, 1, 1, 0]),
    );
    expect(Array.from(p.subarray(0, 4))).toEqual([0, 50, 50, 100]);
    expect(Number.isNaN(p[4])).toBe(true);
  });

  it("gives the comparator sort's points on a large table: ties, −0 and 0, infinities, NaN", () => {
    /** The former way: customer indices sorted with a comparator, tie groups walked. */
    const reference = (values: Float64Array, include: Uint8Array): Float64Array => {
      const order: number[] = [];
      for (let c = 0; c < values.length; c++) if (include[c]) order.push(c);
      const out = new Float64Array(values.length).fill(NaN);
      const n = order.length;
      order.sort((a, b) => (values[a] < values[b] ? -1 : values[a] > values[b] ? 1 : 0));
      for (let i = 0; i < n;) {
        let j = i;
        while (j + 1 < n && values[order[j + 1]] === values[order[i]]) j++;
        for (let k = i; k <= j; k++)
          out[order[k]] = n === 1 ? 100 : (100 * (i + (j - i) / 2)) / (n - 1);
        i = j + 1;
      }
      return out;
    };
    const rand = mulberry32(5);
    const n = 20_000;
    const values = new Float64Array(n);
    const include = new Uint8Array(n);
    for (let c = 0; c < n; c++) {
      const u = rand();
      values[c] =
        u < 0.1
          ? 0
          : u < 0.2
            ? -0
            : u < 0.25
              ? Infinity
              : u < 0.3
                ? -Infinity
                : Math.round(rand() * 500) / 4 - 20;
      include[c] = rand() < 0.9 ? 1 : 0;
    }
    expect(Array.from(percentilePoints(values, include))).toEqual(
      Array.from(reference(values, include)),
    );
    // numbers of every size and sign, few ties: every 16 bits of the values tell them apart
    const wide = new Float64Array(n);
    for (let c = 0; c < n; c++) {
      const u = rand();
      wide[c] =
        u < 0.02
          ? [5e-324, -5e-324, Number.MAX_VALUE, -Number.MAX_VALUE, 2 ** -1074 * 3][c % 5]
          : u < 0.2
            ? // alike but in their last bits
              (u < 0.1 ? -1 : 1) * (1 + Math.floor(rand() * 64) * 2 ** -50)
            : (rand() < 0.5 ? -1 : 1) * rand() * 10 ** Math.floor(rand() * 40 - 20);
    }
    expect(Array.from(percentilePoints(wide, include))).toEqual(
      Array.from(reference(wide, include)),
    );
    // one NaN among the included: the comparator's order, whatever it makes of it
    values[7] = NaN;
    include[7] = 1;
    expect(Array.from(percentilePoints(values, include))).toEqual(
      Array.from(reference(values, include)),
    );
    // one customer alone gets 100
    expect(percentilePoints(Float64Array.from([3, 4]), Uint8Array.from([0, 1]))[1]).toBe(100);
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
