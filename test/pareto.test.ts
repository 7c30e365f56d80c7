import { describe, expect, it } from "vitest";
import { mulberry32 } from "../analysis/random.js";
import { pareto } from "../analysis/pareto.js";
import { buildDataset, idx } from "./helpers/dataset.js";

function setup(spec: [string, number][]) {
  const { ds } = buildDataset(
    spec.map(([id]) => [id, "2024-01-01", 1] as [string, string, number]),
    { asOf: "2024-06-30" },
  );
  const value = new Float64Array(ds.customerIds.length);
  spec.forEach(([id, v]) => (value[idx(ds, id)] = v));
  return { ds, value, hasRows: new Uint8Array(ds.customerIds.length).fill(1) };
}

describe("Pareto figures", () => {
  it("computes top-20% share, customers for 80% and Gini on a known case", () => {
    // 10 customers: one with 80, nine with 20/9 each → top 20% (2 customers) = 80 + 20/9
    const spec: [string, number][] = [
      ["big", 80],
      ...Array.from({ length: 9 }, (_, i) => [`s${i}`, 20 / 9] as [string, number]),
    ];
    const { ds, value, hasRows } = setup(spec);
    const p = pareto(value, ds, null, hasRows);
    expect(p.top20Share).toBeCloseTo((80 + 20 / 9) / 100, 12);
    expect(p.countFor80).toBe(1);
    expect(p.customersFor80).toBeCloseTo(0.1, 12);
    // Gini by definition: mean absolute difference / (2 · mean)
    let diff = 0;
    for (const x of value) for (const y of value) diff += Math.abs(x - y);
    const gini = diff / (2 * value.length * value.length * (100 / value.length));
    expect(p.gini).toBeCloseTo(gini, 12);
  });

  it("gives Gini 0 for equal customers and leaves zero/negative out of the curve", () => {
    const { ds, value, hasRows } = setup([
      ["a", 5],
      ["b", 5],
      ["c", 0],
      ["d", -3],
    ]);
    const p = pareto(value, ds, null, hasRows);
    expect(p.gini).toBeCloseTo(0, 12);
    expect(p.customers).toBe(2);
    expect(p.nonPositive).toBe(2);
  });

  it("has a monotone cumulative share ending at exactly 100% (property)", () => {
    const rand = mulberry32(7);
    for (let trial = 0; trial < 20; trial++) {
      const spec = Array.from(
        { length: 5 + Math.floor(rand() * 200) },
        (_, i) => [`c${i}`, Math.round(rand() * 1e4) / 7 - 100] as [string, number],
      );
      const { ds, value, hasRows } = setup(spec);
      const p = pareto(value, ds, null, hasRows);
      const { cumShare } = p.curve;
      for (let i = 1; i < cumShare.length; i++)
        expect(cumShare[i]).toBeGreaterThanOrEqual(cumShare[i - 1]);
      if (cumShare.length) expect(cumShare[cumShare.length - 1]).toBe(1);
      expect(p.gini).toBeGreaterThanOrEqual(0);
      expect(p.gini).toBeLessThan(1);
    }
  });

  it("draws the whale curve above 100% and lists loss-makers worst first", () => {
    const { ds, value, hasRows } = setup([
      ["a", 1],
      ["b", 1],
      ["c", 1],
    ]);
    const profit = new Float64Array(3);
    profit[idx(ds, "a")] = 300;
    profit[idx(ds, "b")] = -50;
    profit[idx(ds, "c")] = -150;
    const p = pareto(value, ds, profit, hasRows);
    expect([...(p.whale?.cumShare ?? [])]).toEqual([3, 2.5, 1]);
    expect(p.whalePeak).toEqual({ share: 3, customerShare: 1 / 3 });
    expect(p.lossMakers).toEqual([idx(ds, "c"), idx(ds, "b")]);
  });
});
