import { describe, expect, it } from "vitest";
import {
  clvOf,
  customerLifetimeValue,
  withoutPredictions,
  type ValueCell,
} from "../analysis/clv.js";
import {
  conditionalExpectedTransactions,
  expectedTransactionsIfAlive,
  pAlive,
} from "../analysis/bgnbd.js";
import { conditionalExpectedSpend } from "../analysis/gammagamma.js";
import { makeSettings } from "../analysis/settings.js";
import { mulberry32 } from "../analysis/random.js";
import { buildDataset, iso, day, type OrderRow } from "./helpers/dataset.js";

/**
 * customerLifetimeValue computes the model values once per (x, t_x, T) group and the
 * expectations once per (x, T): the results must be those of the plain per-customer formulas,
 * to the last bit (the CLI's customers.csv is compared byte for byte across versions).
 */

const rng = mulberry32;

const AS_OF = "2024-06-30";
const END = day("2024-12-31");

/**
 * 3,000 customers arriving on one of 40 days, buying every few weeks until they leave: many
 * share x and T with different t_x; rows after the as-of date feed the holdout check.
 */
function orders(): OrderRow[] {
  const rand = rng(19);
  const rows: OrderRow[] = [];
  const start = day("2023-01-02");
  for (let i = 0; i < 3000; i++) {
    const id = `C${i}`;
    let d = start + 9 * Math.floor(rand() * 40);
    const rate = 0.02 + 0.1 * rand();
    const lifetime = -Math.log(1 - rand()) * 200;
    const leave = d + lifetime;
    const spend = 20 + Math.floor(rand() * 200);
    rows.push([id, iso(d), spend]);
    for (;;) {
      d += 1 + Math.floor(-Math.log(1 - rand()) / rate);
      if (d > leave || d > END) break;
      rows.push([id, iso(d), spend + Math.floor(rand() * 50)]);
    }
  }
  return rows;
}

const mismatches = (got: Float64Array, want: (c: number) => number): number => {
  let n = 0;
  for (let c = 0; c < got.length; c++) if (!Object.is(got[c], want(c))) n++;
  return n;
};

/** The value matrix as first written: medians of sorted copies, cells in a Map. */
function plainValueMatrix(revenue: Float64Array, clv: Float64Array): ValueCell[] {
  const idx: number[] = [];
  for (let c = 0; c < clv.length; c++) if (!Number.isNaN(clv[c])) idx.push(c);
  const medianOf = (v: number[]): number => {
    const s = Float64Array.from(v).sort();
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  };
  const curMed = medianOf(idx.map((c) => revenue[c]));
  const futMed = medianOf(idx.map((c) => clv[c]));
  const names = { "low,low": "low", "low,high": "potential", "high,low": "maintain" } as const;
  const cells = new Map<string, ValueCell>();
  for (const current of ["low", "high"] as const)
    for (const future of ["low", "high"] as const) {
      const key = `${current},${future}`;
      const quadrant = key in names ? names[key as keyof typeof names] : "star";
      cells.set(key, {
        quadrant,
        current,
        future,
        customers: 0,
        currentValue: 0,
        predictedValue: 0,
      });
    }
  for (const c of idx) {
    const cell = cells.get(
      `${revenue[c] > curMed ? "high" : "low"},${clv[c] > futMed ? "high" : "low"}`,
    )!;
    cell.customers++;
    cell.currentValue += revenue[c];
    cell.predictedValue += clv[c];
  }
  return [...cells.values()];
}

describe("CLV per group equals CLV per customer", () => {
  const { ds, measures } = buildDataset(orders(), { asOf: AS_OF });
  const settings = makeSettings({ asOf: day(AS_OF) });
  const r = customerLifetimeValue(ds, measures, settings);
  const s = r.summary;

  it("fits a model with dropout on data where groups share x and T", () => {
    expect(r.status).toBe("ok");
    const groups = new Set<string>();
    const xT = new Set<string>();
    for (let c = 0; c < s.x.length; c++) {
      groups.add(`${s.x[c]},${s.tx[c]},${s.T[c]}`);
      xT.add(`${s.x[c]},${s.T[c]}`);
    }
    expect(s.customers).toBe(3000);
    // most groups share their (x, T) with others, so the sharing is exercised
    expect(groups.size).toBeGreaterThan(2 * xT.size);
    // groups past half of 4,096 slots and (x, T) past half of 1,024: both tables double
    expect(groups.size).toBeGreaterThan(2048);
    expect(xT.size).toBeGreaterThan(512);
  });

  it("gives each customer the per-customer formulas' values, bit for bit", () => {
    const bg = r.parameters.bgnbd!;
    const gg = r.parameters.gamma_gamma!;
    const { horizonMonths: H, monthlyDiscount: d, margin } = settings.clv;
    const discount = Array.from({ length: H + 1 }, (_, k) => Math.pow(1 + d, -k));
    const at = (c: number) => [s.x[c], s.tx[c], s.T[c]] as const;
    expect(mismatches(r.pAlive, (c) => pAlive(bg, ...at(c)))).toBe(0);
    expect(
      mismatches(r.expected52w, (c) => conditionalExpectedTransactions(bg, 52, ...at(c))),
    ).toBe(0);
    const spend = (c: number) => conditionalExpectedSpend(gg, s.x[c], s.x[c] > 0 ? s.zbar[c] : 0);
    expect(mismatches(r.expectedSpend, spend)).toBe(0);
    expect(mismatches(r.clv, (c) => spend(c) * margin * clvOf(bg, ...at(c), 1, discount))).toBe(0);
    expect(r.clv.some((v) => v > 0)).toBe(true);
  });

  it("sums the holdout predictions customer by customer as before", () => {
    const bg = r.parameters.bgnbd!;
    const h = r.holdout!;
    expect(h.weeks).toBeGreaterThan(20);
    const total = {
      predicted: 0,
      byX: new Array<number>(8).fill(0),
      n: new Array<number>(8).fill(0),
    };
    for (let c = 0; c < s.x.length; c++) {
      const p = conditionalExpectedTransactions(bg, h.weeks, s.x[c], s.tx[c], s.T[c]);
      total.predicted += p;
      total.byX[Math.min(7, s.x[c])] += p;
      total.n[Math.min(7, s.x[c])]++;
    }
    expect(h.predictedTotal).toBe(total.predicted);
    expect(h.byFrequency.map((g) => g.predicted)).toEqual(
      total.byX.map((p, x) => (total.n[x] ? p / total.n[x] : NaN)),
    );
  });

  it("splits the value matrix at the same medians as a full sort", () => {
    expect(r.valueMatrix).toEqual(plainValueMatrix(s.revenue, r.clv));
    // an even and an odd number of customers, and one without a prediction
    for (const drop of [(c: number) => c === 7, (c: number) => c % 2 === 0 || c === 1]) {
      const w = withoutPredictions(r, drop);
      expect(w.valueMatrix).toEqual(plainValueMatrix(s.revenue, w.clv));
    }
  });

  it("splits at the sorted median when a revenue is not finite", () => {
    const revenue = s.revenue.slice();
    revenue[3] = Infinity;
    revenue[5] = -Infinity;
    const w = withoutPredictions({ ...r, summary: { ...s, revenue } }, (c) => c === 0);
    expect(w.valueMatrix).toEqual(plainValueMatrix(revenue, w.clv));
  });
});

describe("expectedTransactionsIfAlive", () => {
  it("times P(alive) is conditionalExpectedTransactions exactly", () => {
    const p = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    for (const [t, x, tx, T] of [
      [52, 0, 0, 30],
      [4.35, 3, 10.5, 38.86],
      [13, 12, 1, 78],
      [0, 2, 1, 5],
      [1e-3, 40, 70, 70],
    ])
      expect(
        Object.is(
          conditionalExpectedTransactions(p, t, x, tx, T),
          expectedTransactionsIfAlive(p, t, x, T) * pAlive(p, x, tx, T),
        ) || t === 0,
      ).toBe(true);
    expect(expectedTransactionsIfAlive(p, 0, 2, 5)).toBe(0);
    expect(expectedTransactionsIfAlive(p, 52, 0, 30)).toBeCloseTo(
      conditionalExpectedTransactions(p, 52, 0, 0, 30),
      15,
    );
  });
});

describe("CLV for customers with thousands of purchase days", () => {
  // x = 2,100, the same t_x, and T one day apart: (x, t_x, T) as one number passes 2⁵³ there and
  // the two keys round to the same value, which gave B the P(alive) of A.
  const asOf = day(AS_OF);
  const daily = (id: string, from: number): OrderRow[] =>
    Array.from({ length: 2101 }, (_, k) => [id, iso(from + k), 10] as OrderRow);
  const { ds, measures } = buildDataset(
    [...orders(), ...daily("A", asOf - 2200), ...daily("B", asOf - 2201)],
    { asOf: AS_OF },
  );
  const r = customerLifetimeValue(ds, measures, makeSettings({ asOf }));

  it("keeps customers apart whose summaries differ only in T", () => {
    expect(r.status).toBe("ok");
    const bg = r.parameters.bgnbd!;
    const s = r.summary;
    const [a, b] = [ds.customerIds.indexOf("A"), ds.customerIds.indexOf("B")];
    expect([s.x[a], s.x[b], s.tx[a] * 7, s.tx[b] * 7]).toEqual([2100, 2100, 2100, 2100]);
    expect([s.T[a] * 7, s.T[b] * 7].map(Math.round)).toEqual([2200, 2201]);
    for (const c of [a, b]) {
      expect(r.pAlive[c]).toBe(pAlive(bg, s.x[c], s.tx[c], s.T[c]));
      expect(r.expected52w[c]).toBe(
        conditionalExpectedTransactions(bg, 52, s.x[c], s.tx[c], s.T[c]),
      );
    }
    expect(r.pAlive[a]).not.toBe(r.pAlive[b]);
  });
});
