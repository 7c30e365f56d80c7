/**
 * The order summary (analysis/summary.ts, issue 19 §1): every column on a small table worked
 * out by hand, and the rules run on a summary alone (a dataset without rows, as the engine
 * path gives them) answering exactly as they do on the rows.
 */
import { describe, expect, it } from "vitest";
import { readDataset } from "../analysis/clean.js";
import { analyze } from "../analysis/pipeline.js";
import { makeSettings } from "../analysis/settings.js";
import { dayFromIso } from "../analysis/dates.js";
import { orderSummary, summarizeOrders } from "../analysis/summary.js";
import type { Dataset } from "../analysis/types.js";
import { textTable } from "./helpers/table.js";
import { sampleWorkbook } from "../analysis/sample.js";
import { resolveAsOf } from "../analysis/rfm.js";
import { cellSource } from "../analysis/source.js";

const d = (iso: string) => dayFromIso(iso);
const AS_OF = d("2024-06-30");

// W = 30 days for the lifecycle windows.
const settings = makeSettings({ asOf: AS_OF, lifecycle: { windowDays: 30 } });

const orders = textTable(
  "orders",
  ["Order ID", "Customer ID", "Date", "Amount", "Cost"],
  [
    // K1: three purchase days (two rows on the first day), one cancellation, one after A
    ["O1", "K1", "2024-01-01", "100", "60"],
    ["O1", "K1", "2024-01-01", "20", "10"],
    ["O2", "K1", "2024-03-01", "50", "30"],
    ["C9", "K1", "2024-06-20", "30", "10"], // cancellation: −30, cost −10
    ["O3", "K1", "2024-06-10", "80", "40"],
    ["O4", "K1", "2024-07-15", "70", "35"], // after A: holdout
    // K2: one purchase day with two orders, a row 100 days old
    ["O5", "K2", "2024-03-22", "10", "4"],
    ["O6", "K2", "2024-03-22", "15", "5"],
    // K3: its only purchase after A
    ["O7", "K3", "2024-08-01", "40", "20"],
  ],
);

describe("summarizeOrders", () => {
  const ds = readDataset({ orders, today: d("2024-12-31") }, settings);
  const s = summarizeOrders(ds, AS_OF, 30);
  const at = (id: string) => ds.customerIds.indexOf(id);
  const k1 = at("K1");
  const k2 = at("K2");
  const k3 = at("K3");

  it("takes sums, days and orders up to the as-of date", () => {
    expect([s.rows[k1], s.rows[k2], s.rows[k3]]).toEqual([5, 2, 0]);
    expect([s.firstRow[k1], s.firstRow[k2], s.firstRow[k3]]).toEqual([1, 7, 9]);
    expect(s.firstPurchase[k1]).toBe(d("2024-01-01"));
    expect(s.lastPurchase[k1]).toBe(d("2024-06-10"));
    expect(s.orders[k1]).toBe(3); // O1, O2, O3; the cancellation and O4 (after A) not
    expect(s.orders[k2]).toBe(2);
    expect(s.amount[k1]).toBe(100 + 20 + 50 - 30 + 80);
    expect(s.cost![k1]).toBe(60 + 10 + 30 - 10 + 40);
    expect(s.amount[k3]).toBe(0);
    expect(Number.isNaN(s.firstPurchase[k3])).toBe(true);
  });

  it("splits revenue into the windows by age", () => {
    // ages: 06-20 → 10 days, 06-10 → 20 (recent, < 30); 03-22 → 100 (previous 90-day window)
    expect(s.revRecent[k1]).toBe(80 - 30);
    expect(s.revPrevious[k1]).toBe(0);
    expect(s.rev90d[k1]).toBe(50);
    expect(s.revPrev90d[k1]).toBe(50); // 03-01: 121 days
    expect(s.rev90d[k2]).toBe(0);
    expect(s.revPrev90d[k2]).toBe(25);
  });

  it("gives the median gap between distinct purchase days", () => {
    // K1 purchase days ≤ A: 01-01, 03-01, 06-10 → gaps 60, 101 → median 80.5
    expect(s.medianGap[k1]).toBe(80.5);
    expect(Number.isNaN(s.medianGap[k2])).toBe(true); // one purchase day
  });

  it("gives the CLV calibration figures and the holdout", () => {
    expect(s.txFirstDay[k1]).toBe(d("2024-01-01"));
    expect(s.txDays[k1]).toBe(3);
    expect(s.txLastDay[k1]).toBe(d("2024-06-10"));
    expect(s.txTotal[k1]).toBe(100 + 20 + 50 + 80);
    expect(s.txFirstSpend[k1]).toBe(120);
    expect(s.holdoutDays[k1]).toBe(1);
    expect(s.txFirstDay[k3]).toBe(d("2024-08-01")); // not a calibration customer
    expect(s.txDays[k3]).toBe(0);
    expect(s.lastDataDay).toBe(d("2024-08-01"));
    expect(s.afterAsOf).toBe(2);
    // K1's repeat days (03-01, 06-10, 07-15); K2 none; K3 is not a calibration customer
    expect([...s.repeatDays.day]).toEqual([d("2024-03-01"), d("2024-06-10"), d("2024-07-15")]);
    expect([...s.repeatDays.n]).toEqual([1, 1, 1]);
  });
});

describe("the rules on a summary alone", () => {
  const ds = readDataset({ orders, today: d("2024-12-31") }, settings);
  const summary = summarizeOrders(ds, AS_OF, 30);
  const noRows: Dataset = {
    ...ds,
    summary,
    orders: {
      n: 0,
      customer: new Int32Array(0),
      day: new Int32Array(0),
      amount: new Float64Array(0),
      cost: null,
      order: new Int32Array(0),
      cancelled: new Uint8Array(0),
      orderCount: 0,
    },
  };

  it("answers as on the rows", () => {
    const a = analyze(ds, settings);
    const b = analyze(noRows, settings);
    expect(b.customers).toEqual(a.customers);
    expect(b.owners.rows).toEqual(a.owners.rows);
    expect(b.dataset.counts.afterAsOf).toBe(2);
  });

  it("refuses a summary taken at another as-of date", () => {
    expect(() => orderSummary(noRows, AS_OF - 1)).toThrow(/taken at day/);
  });
});

describe("sums an engine added in another order", () => {
  it("give the same CLV to the last bit: money is rounded to the cent, costs to the millionth", () => {
    const wb = sampleWorkbook({ lang: "en" });
    const st = makeSettings();
    const ds = readDataset(
      {
        orders: cellSource(wb.orders),
        customers: cellSource(wb.customers!),
        today: d("2026-12-06"),
      },
      st,
    );
    const asOf = resolveAsOf(ds, st);
    const taken = summarizeOrders(ds, asOf, st.lifecycle.windowDays);
    /** The summary as an engine hands it over (its sums not yet rounded), the last bit of
     * every sum moved up when `bump`, as another order of adding leaves them. */
    const withSums = (bump: boolean): Dataset => {
      const f = bump ? 1 + 2 ** -52 : 1;
      const copy = (a: Float64Array) => a.map((x) => x * f);
      const summary = {
        ...taken,
        amount: copy(taken.amount),
        txTotal: copy(taken.txTotal),
        txFirstSpend: copy(taken.txFirstSpend),
        revRecent: copy(taken.revRecent),
        cost: taken.cost && copy(taken.cost),
      };
      return { ...ds, summary };
    };
    const a = analyze(withSums(false), st);
    const b = analyze(withSums(true), st);
    expect(a.clv.status).toBe("ok");
    expect(ds.hasCost).toBe(true);
    expect(Array.from(b.clv.clv)).toEqual(Array.from(a.clv.clv));
  });
});
