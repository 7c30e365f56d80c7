import { describe, expect, it } from "vitest";
import { gradeAbc } from "../analysis/grade.js";
import { customerPyramid } from "../analysis/pyramid.js";
import { pareto } from "../analysis/pareto.js";
import { valueRanking } from "../analysis/value.js";
import { makeSettings } from "../analysis/settings.js";
import { buildDataset, idx } from "./helpers/dataset.js";
import { measure } from "../analysis/rfm.js";
import { CDNOW_AS_OF, cdnowDataset, HAVE_CDNOW } from "./helpers/cdnow.js";

function values(spec: [string, number][]) {
  const { ds } = buildDataset(
    spec.map(([id, v]) => [id, "2024-01-01", v] as [string, string, number]),
    { asOf: "2024-06-30" },
  );
  const value = new Float64Array(ds.customerIds.length);
  spec.forEach(([id, v]) => (value[idx(ds, id)] = v));
  return { ds, value };
}

describe("ABC by Pareto", () => {
  it("makes the customer that crosses 80% an A, with D for zero or negative", () => {
    // total 100: before-shares 0, .50, .75, .85, .95, .98
    const { ds, value } = values([
      ["a", 50],
      ["b", 25],
      ["c", 10],
      ["d", 10],
      ["e", 3],
      ["f", 2],
      ["z", 0],
      ["n", -5],
    ]);
    const r = gradeAbc(value, ds, makeSettings());
    const g = (id: string) => r.grade[idx(ds, id)];
    expect([g("a"), g("b"), g("c"), g("d"), g("e"), g("f"), g("z"), g("n")]).toEqual([
      "A",
      "A",
      "A",
      "B",
      "C",
      "C",
      "D",
      "D",
    ]);
    expect(r.counts).toEqual({ A: 3, B: 1, C: 2, D: 2 });
    expect(r.share.A).toBeCloseTo(0.85, 12);
  });

  it("breaks ties by customer ID so the result does not depend on row order", () => {
    const one = values([
      ["k2", 40],
      ["k1", 40],
      ["k3", 20],
    ]);
    const two = values([
      ["k1", 40],
      ["k3", 20],
      ["k2", 40],
    ]);
    const s = makeSettings({ abc: { a: 0.4, b: 0.9 } });
    const g1 = gradeAbc(one.value, one.ds, s);
    const g2 = gradeAbc(two.value, two.ds, s);
    for (const id of ["k1", "k2", "k3"])
      expect(g1.grade[idx(one.ds, id)]).toBe(g2.grade[idx(two.ds, id)]);
    expect(g1.grade[idx(one.ds, "k1")]).toBe("A");
    expect(g1.grade[idx(one.ds, "k2")]).toBe("B");
  });

  it("supports count cut-offs: top 10% of customers are A", () => {
    const spec = Array.from(
      { length: 20 },
      (_, i) => [`c${String(i).padStart(2, "0")}`, 100 - i] as [string, number],
    );
    const { ds, value } = values(spec);
    const r = gradeAbc(value, ds, makeSettings({ abc: { basis: "count", a: 0.1, b: 0.3 } }));
    expect(r.counts).toEqual({ A: 2, B: 4, C: 14, D: 0 });
  });

  it("gives prospects (no value) no grade", () => {
    const { ds, value } = values([["a", 10]]);
    const v2 = Float64Array.from([...value, NaN]);
    const ds2 = { ...ds, customerIds: [...ds.customerIds, "p"] };
    expect(gradeAbc(v2, ds2, makeSettings()).grade).toEqual(["A", null]);
  });
});

describe("a shared ranking", () => {
  it("gives the same grades, tiers and Pareto figures as ranking inside each rule", () => {
    // ties (equal values) and non-positive values, so the ranking's order matters
    const spec = Array.from(
      { length: 60 },
      (_, i) => [`c${(i * 37) % 61}`, (i % 7) * 10 - 10] as [string, number],
    );
    const { ds, value } = values(spec);
    const settings = makeSettings();
    const ranking = valueRanking(value, ds);
    const hasRows = new Uint8Array(value.length).fill(1);
    expect(gradeAbc(value, ds, settings, ranking)).toEqual(gradeAbc(value, ds, settings));
    expect(customerPyramid(value, ds, settings, ranking)).toEqual(
      customerPyramid(value, ds, settings),
    );
    expect(pareto(value, ds, null, hasRows, ranking)).toEqual(pareto(value, ds, null, hasRows));
    expect(gradeAbc(value, ds, settings).counts.D).toBe(18);
  });
});

describe("customer pyramid", () => {
  it("cuts 1% / 4% / 15% / 80% of 200 customers", () => {
    const spec = Array.from(
      { length: 200 },
      (_, i) => [`c${String(i).padStart(3, "0")}`, 1000 - i] as [string, number],
    );
    const { ds, value } = values(spec);
    const p = customerPyramid(value, ds, makeSettings());
    expect(p.counts).toEqual({ platinum: 2, gold: 8, iron: 30, lead: 160 });
    expect(p.tier[idx(ds, "c000")]).toBe("platinum");
    expect(p.tier[idx(ds, "c002")]).toBe("gold");
    expect(p.tier[idx(ds, "c199")]).toBe("lead");
  });
});

if (!HAVE_CDNOW)
  console.warn(
    "grade.test: ../shared/data/cdnow is absent; the CDNOW cent-precision check is skipped",
  );

describe("grades on money at cent precision (issue 18 §16)", () => {
  it.skipIf(!HAVE_CDNOW)(
    "on CDNOW, customers whose value prints equal are ordered by ID, never the other way",
    () => {
      const { ds } = cdnowDataset();
      const settings = makeSettings({ asOf: CDNOW_AS_OF });
      const m = measure(ds, settings);
      const abc = gradeAbc(m.monetary, ds, settings);
      const rank = { A: 0, B: 1, C: 2, D: 3 } as const;
      const byPrinted = new Map<string, number[]>();
      for (let c = 0; c < m.count; c++) {
        if (!(m.monetary[c] > 0)) continue;
        const key = m.monetary[c].toFixed(2);
        byPrinted.set(key, [...(byPrinted.get(key) ?? []), c]);
      }
      let ties = 0;
      for (const group of byPrinted.values()) {
        if (group.length < 2) continue;
        ties++;
        // equal printed values are equal values
        expect(new Set(group.map((c) => m.monetary[c])).size).toBe(1);
        const sorted = [...group].sort((a, b) => (ds.customerIds[a] < ds.customerIds[b] ? -1 : 1));
        for (let k = 1; k < sorted.length; k++)
          expect(rank[abc.grade[sorted[k]]!]).toBeGreaterThanOrEqual(
            rank[abc.grade[sorted[k - 1]]!],
          );
      }
      expect(ties).toBeGreaterThan(10);
    },
  );
});
