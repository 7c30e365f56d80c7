/**
 * The CDNOW reference sample (../shared/data/cdnow, see its README) as a Dataset built by hand:
 * one order row per line, customer IDs as written ("00004"), each line its own order, no cost.
 * Tests that use it skip when ../shared is absent.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import type { Dataset, Measures } from "../../analysis/types.js";
import type { ClvResult } from "../../analysis/clv.js";
import { conditionalExpectedTransactions } from "../../analysis/bgnbd.js";

export const CDNOW_DIR = fileURLToPath(new URL("../../../shared/data/cdnow/", import.meta.url));
export const CDNOW_RAW = `${CDNOW_DIR}CDNOW_sample.txt`;
export const CDNOW_SUMMARY = `${CDNOW_DIR}cdnow_sample_summary.csv`;
export const HAVE_CDNOW = existsSync(CDNOW_RAW) && existsSync(CDNOW_SUMMARY);

/** Calibration end of the published figures: 1997-09-30. */
export const CDNOW_AS_OF = Date.UTC(1997, 8, 30) / 86_400_000;

export interface CdnowLine {
  id: string;
  panel: number;
  day: number;
  cds: number;
  amount: number;
}

export function cdnowLines(): CdnowLine[] {
  return readFileSync(CDNOW_RAW, "utf8")
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .map((l) => {
      const [id, panel, ymd, cds, amount] = l.trim().split(/\s+/);
      const day = Date.UTC(+ymd.slice(0, 4), +ymd.slice(4, 6) - 1, +ymd.slice(6, 8)) / 86_400_000;
      return { id, panel: Number(panel), day, cds: Number(cds), amount: Number(amount) };
    });
}

/** The published per-customer summary: ID (panel id), x, t_x, T, zbar. */
export function cdnowSummary(): { id: number; x: number; tx: number; T: number; zbar: number }[] {
  return readFileSync(CDNOW_SUMMARY, "utf8")
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => {
      const [id, x, tx, T, zbar] = l.split(",").map(Number);
      return { id, x, tx, T, zbar };
    });
}

/** The raw sample as a Dataset, and the minimal Measures (as-of date and count) CLV needs. */
export function cdnowDataset(asOf = CDNOW_AS_OF): {
  ds: Dataset;
  measures: Measures;
  lines: CdnowLine[];
} {
  const lines = cdnowLines();
  const customerIds: string[] = [];
  const index = new Map<string, number>();
  const n = lines.length;
  const customer = new Int32Array(n);
  const day = new Int32Array(n);
  const amount = new Float64Array(n);
  let maxDay = -Infinity;
  lines.forEach((l, i) => {
    let c = index.get(l.id);
    if (c === undefined) {
      c = customerIds.length;
      index.set(l.id, c);
      customerIds.push(l.id);
    }
    customer[i] = c;
    day[i] = l.day;
    amount[i] = l.amount;
    maxDay = Math.max(maxDay, l.day);
  });
  const count = customerIds.length;
  const ds: Dataset = {
    customerIds,
    records: customerIds.map(() => null),
    orders: {
      n,
      customer,
      day,
      amount,
      cost: null,
      order: Int32Array.from({ length: n }, (_, i) => i),
      cancelled: new Uint8Array(n),
      orderCount: n,
    },
    interactions: [],
    issues: [],
    counts: {
      rowsRead: n,
      rowsUsed: n,
      orderRowsRead: n,
      orderRowsUsed: n,
      skipped: {},
      afterAsOf: lines.filter((l) => l.day > asOf).length,
    },
    hasCost: false,
    maxDay,
    sources: { orders: "CDNOW_sample.txt", customers: null, interactions: null },
  };
  return { ds, measures: minimalMeasures(asOf, count), lines };
}

/** Measures with only what customerLifetimeValue reads (asOf, count); the rest empty. */
export function minimalMeasures(asOf: number, count: number): Measures {
  const nan = () => new Float64Array(count).fill(NaN);
  return {
    asOf,
    count,
    firstDay: nan(),
    lastDay: nan(),
    recency: nan(),
    frequency: new Int32Array(count),
    monetary: new Float64Array(count),
    profit: null,
    hasRows: new Uint8Array(count),
    purchased: new Uint8Array(count),
  };
}

const within = (got: number, want: number, rel = 0.005) =>
  expect(Math.abs(got - want)).toBeLessThanOrEqual(rel * Math.abs(want));

/** Published figures (../shared/data/README.md). */
export const CDNOW_PUBLISHED = {
  bgnbd: { r: 0.2426, alpha: 4.4136, a: 0.7929, b: 2.4259, ll: -9582.43 },
  gamma_gamma: { p: 6.2496, q: 3.7442, v: 15.4435 },
  pAlive: [0.7266, 0.2122],
  expectedSpend: [24.66, 18.91, 35.17],
};

/** The published checks on a CLV result for the CDNOW sample (customer index 0, 1, 2 = IDs 1, 2, 3). */
export function expectCdnowFigures(r: ClvResult): void {
  expect(r.status).toBe("ok");
  expect(r.message).toBeNull();
  const bg = r.parameters.bgnbd!;
  const gg = r.parameters.gamma_gamma!;
  for (const k of ["r", "alpha", "a", "b", "ll"] as const) within(bg[k], CDNOW_PUBLISHED.bgnbd[k]);
  for (const k of ["p", "q", "v"] as const) within(gg[k], CDNOW_PUBLISHED.gamma_gamma[k]);
  expect(r.fit.bgnbd!.customers).toBe(2357);
  expect(r.fit.gammaGamma!.customers).toBe(946);
  within(r.pAlive[0], CDNOW_PUBLISHED.pAlive[0]);
  within(r.pAlive[1], CDNOW_PUBLISHED.pAlive[1]);
  CDNOW_PUBLISHED.expectedSpend.forEach((em, i) => within(r.expectedSpend[i], em));
  // Customer 1 (x = 2, t_x = 30.43, T = 38.86): E[Y(39)] = 1.226 at the fitted parameters.
  within(
    conditionalExpectedTransactions(bg, 39, r.summary.x[0], r.summary.tx[0], r.summary.T[0]),
    1.226,
  );
}
