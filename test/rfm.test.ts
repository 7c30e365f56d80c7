import { describe, expect, it } from "vitest";
import { measure, scoreMeasure, scoreRfm } from "../analysis/rfm.js";
import { makeSettings } from "../analysis/settings.js";
import { buildDataset, day, idx } from "./helpers/dataset.js";
import { mulberry32 as rng } from "../analysis/random.js";

/** Reference scorer written straight from SPEC §4, O(n²). */
function naiveScores(values: number[], better: "higher" | "lower"): number[] {
  const n = values.length;
  return values.map((v) => {
    const worse = values.filter((w) => (better === "higher" ? w < v : w > v)).length;
    return Math.min(5, 1 + Math.floor((5 * worse) / n));
  });
}

describe("measure", () => {
  const { ds, measures: independent } = buildDataset(
    [
      ["A", "2024-01-05", 100, "o1"],
      ["A", "2024-01-05", 50, "o1"], // second line of the same order
      ["A", "2024-03-01", 80, "o2"],
      ["A", "2024-03-02", -30, "C9"], // cancellation: reduces money, not a purchase
      ["B", "2024-02-10", 40, "o3"],
      ["B", "2024-07-01", 999, "o4"], // after the as-of date
      ["P", "2024-02-01", -20, "C1"], // only a cancellation
    ],
    { asOf: "2024-06-30" },
  );
  const m = measure(ds, makeSettings({ asOf: day("2024-06-30") }));

  it("follows SPEC §4 on line items, cancellations and the as-of date", () => {
    const a = idx(ds, "A");
    expect(m.frequency[a]).toBe(2);
    expect(m.monetary[a]).toBe(200);
    expect(m.firstDay[a]).toBe(day("2024-01-05"));
    expect(m.lastDay[a]).toBe(day("2024-03-01"));
    expect(m.recency[a]).toBe(day("2024-06-30") - day("2024-03-01"));
    const b = idx(ds, "B");
    expect(m.frequency[b]).toBe(1);
    expect(m.monetary[b]).toBe(40);
    const p = idx(ds, "P");
    expect(m.purchased[p]).toBe(0);
    expect(m.hasRows[p]).toBe(1);
    expect(m.monetary[p]).toBe(-20);
    expect(Number.isNaN(m.recency[p])).toBe(true);
  });

  it("agrees with the independent computation of the test helper", () => {
    expect(Array.from(m.frequency)).toEqual(Array.from(independent.frequency));
    expect(Array.from(m.monetary)).toEqual(Array.from(independent.monetary));
    expect(Array.from(m.recency)).toEqual(Array.from(independent.recency));
  });

  it("defaults the as-of date to the latest usable row", () => {
    expect(measure(ds, makeSettings()).asOf).toBe(day("2024-07-01"));
  });

  it("counts an order ID shared by two customers once for each", () => {
    const { ds: d2 } = buildDataset(
      [
        ["X", "2024-01-01", 10, "same"],
        ["Y", "2024-01-02", 10, "same"],
        ["X", "2024-01-03", 10, "same"],
      ],
      { asOf: "2024-02-01" },
    );
    const m2 = measure(d2, makeSettings());
    expect(m2.frequency[idx(d2, "X")]).toBe(1);
    expect(m2.frequency[idx(d2, "Y")]).toBe(1);
  });
});

describe("score formula", () => {
  it("gives the known answer with ties (SPEC §4)", () => {
    // 10 customers, frequency: six bought once, so they all share the lowest score
    const f = [1, 1, 1, 1, 1, 1, 2, 2, 3, 7];
    const s = scoreMeasure(f, new Uint8Array(10).fill(1), "higher");
    expect(Array.from(s)).toEqual([1, 1, 1, 1, 1, 1, 4, 4, 5, 5]);
    // scores 2 and 3 are unused: intended
  });

  it("scores recency with larger = worse", () => {
    const r = [0, 10, 10, 400];
    expect(Array.from(scoreMeasure(r, new Uint8Array(4).fill(1), "lower"))).toEqual([4, 2, 2, 1]);
  });

  it("leaves excluded customers at 0 and does not count them", () => {
    const s = scoreMeasure([5, 999, 1], Uint8Array.from([1, 0, 1]), "higher");
    expect(Array.from(s)).toEqual([3, 0, 1]);
  });

  it("matches the O(n²) definition on random data, with equal values equal (property)", () => {
    const rand = rng(42);
    for (let trial = 0; trial < 30; trial++) {
      const n = 1 + Math.floor(rand() * 80);
      const values = Array.from({ length: n }, () => Math.floor(rand() * 12));
      for (const better of ["higher", "lower"] as const) {
        const got = Array.from(scoreMeasure(values, new Uint8Array(n).fill(1), better));
        expect(got).toEqual(naiveScores(values, better));
        for (let i = 0; i < n; i++) {
          expect(got[i]).toBeGreaterThanOrEqual(1);
          expect(got[i]).toBeLessThanOrEqual(5);
          for (let j = 0; j < n; j++) if (values[i] === values[j]) expect(got[i]).toBe(got[j]);
        }
      }
    }
  });

  it("matches the definition on fractional values, ±0, infinities and NaN (property)", () => {
    // fractional values, signed zeros and infinities sort natively; NaN sorts last
    const rand = rng(7);
    const pool = [0, -0, Infinity, -Infinity, 0.1, 0.2, 0.1 + 0.2, -1.5, 1e-300];
    for (let trial = 0; trial < 30; trial++) {
      const n = 1 + Math.floor(rand() * 80);
      const values = Array.from({ length: n }, () =>
        rand() < 0.5 ? pool[Math.floor(rand() * pool.length)] : rand() * 100 - 20,
      );
      const include = Uint8Array.from({ length: n }, () => (rand() < 0.8 ? 1 : 0));
      const kept = values.filter((_, i) => include[i]);
      for (const better of ["higher", "lower"] as const) {
        const got = Array.from(scoreMeasure(values, include, better));
        const want = naiveScores(kept, better);
        expect(got.filter((_, i) => include[i])).toEqual(want);
        expect(got.filter((_, i) => !include[i]).every((x) => x === 0)).toBe(true);
      }
    }
    // NaN: never smaller or larger than anything, as the sorted path treats it
    expect(
      Array.from(scoreMeasure([1, NaN, 3, 2, 5], new Uint8Array(5).fill(1), "higher")),
    ).toEqual([1, 1, 3, 2, 4]);
  });

  it("scores R, F, M and the mean line for the cube", () => {
    const { ds } = buildDataset(
      [
        ["A", "2024-06-01", 500],
        ["A", "2024-06-10", 500],
        ["B", "2024-01-01", 50],
        ["C", "2024-05-01", 100],
      ],
      { asOf: "2024-06-30" },
    );
    const sc = scoreRfm(measure(ds, makeSettings({ asOf: day("2024-06-30") })));
    const a = idx(ds, "A");
    expect([sc.r[a], sc.f[a], sc.m[a]]).toEqual([4, 4, 4]);
    const b = idx(ds, "B");
    expect([sc.r[b], sc.f[b], sc.m[b]]).toEqual([1, 1, 1]);
    expect(sc.scored).toBe(3);
    expect(sc.mean.r).toBeCloseTo((4 + 1 + 2) / 3, 12);
  });
});

describe("money at cent precision (issue 18 §16)", () => {
  it("values that print equal are equal: 37.91 + 11.77 and 49.68 get the same M score", () => {
    // 37.91 + 11.77 is 49.67999999999999 in floating point
    expect(37.91 + 11.77).not.toBe(49.68);
    const rows: [string, string, number][] = [
      ["SUM", "2024-01-05", 37.91],
      ["SUM", "2024-02-05", 11.77],
      ["ONE", "2024-03-05", 49.68],
    ];
    for (let k = 0; k < 8; k++) rows.push([`K${k}`, "2024-01-10", 10 + 10 * k]);
    const { ds } = buildDataset(rows, { asOf: "2024-06-30" });
    const m = measure(ds, makeSettings({ asOf: day("2024-06-30") }));
    expect(m.monetary[idx(ds, "SUM")]).toBe(49.68);
    expect(m.monetary[idx(ds, "SUM")]).toBe(m.monetary[idx(ds, "ONE")]);
    const s = scoreRfm(m);
    expect(s.m[idx(ds, "SUM")]).toBe(s.m[idx(ds, "ONE")]);
  });

  it("profit is rounded to the cent too", () => {
    const { ds } = buildDataset([["A", "2024-01-05", 0.3]], { asOf: "2024-06-30" });
    const withCost = { ...ds, orders: { ...ds.orders, cost: Float64Array.from([0.1]) } };
    const m = measure(withCost, makeSettings({ asOf: day("2024-06-30") }));
    // 0.3 − 0.1 is 0.19999999999999998
    expect(m.profit![0]).toBe(0.2);
  });
});
