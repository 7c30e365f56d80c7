/**
 * fillPurchaseDays (summary.ts): the median gap and the repeat days from each customer's list
 * of purchase days, which summarizeOrders hands over sorted and the DuckDB engine does not. The
 * lists handed over unsorted and out of order give what summarizeOrders gives from the rows —
 * customers with one day, with dozens (the median's two sorts), with days after the as-of date,
 * with their first purchase after it — and a median and repeat days worked out by hand.
 */
import { describe, expect, it } from "vitest";
import { readDataset } from "../analysis/clean.js";
import { makeSettings } from "../analysis/settings.js";
import { dayFromIso, isoDay } from "../analysis/dates.js";
import { emptySummary, fillPurchaseDays, summarizeOrders } from "../analysis/summary.js";
import { mulberry32 } from "../analysis/random.js";
import type { Cell } from "../analysis/types.js";
import { textTable } from "./helpers/table.js";

const AS_OF = dayFromIso("2024-06-30");

/** Orders of `customers` customers: up to 120 rows each over two years around AS_OF. */
function orders(customers: number, seed: number): Cell[][] {
  const rnd = mulberry32(seed);
  const rows: Cell[][] = [];
  let o = 0;
  for (let c = 0; c < customers; c++) {
    // most customers buy a few times; every tenth up to 120 (more than 64 days, 32 gaps)
    const n = c % 10 === 0 ? 1 + Math.floor(rnd() * 120) : 1 + Math.floor(rnd() * 6);
    for (let k = 0; k < n; k++) {
      const day = AS_OF - 400 + Math.floor(rnd() * 500);
      const cancelled = rnd() < 0.05;
      rows.push([
        cancelled ? `C${++o}` : `O${++o}`,
        `K${c}`,
        isoDay(day),
        (1 + rnd() * 99).toFixed(2),
      ]);
    }
  }
  return rows;
}

describe("fillPurchaseDays", () => {
  it("gives summarizeOrders' median gaps and repeat days from unsorted lists", () => {
    const table = textTable(
      "orders",
      ["Order ID", "Customer ID", "Date", "Amount"],
      orders(600, 7),
    );
    const settings = makeSettings({ asOf: AS_OF });
    const ds = readDataset({ orders: table, today: AS_OF + 400 }, settings);
    const want = summarizeOrders(ds, AS_OF, 180);

    // each customer's distinct purchase days (not cancelled, any date), shuffled, customers in
    // reverse order (row k is customer at[k])
    const { n, customer, day, cancelled } = ds.orders;
    const count = ds.customerIds.length;
    const perCustomer = Array.from({ length: count }, () => new Set<number>());
    for (let i = 0; i < n; i++) if (!cancelled[i]) perCustomer[customer[i]].add(day[i]);
    const rnd = mulberry32(11);
    const at = Int32Array.from({ length: count }, (_, k) => count - 1 - k);
    const start = new Int32Array(count + 1);
    const flat: number[] = [];
    at.forEach((c, k) => {
      const days = [...perCustomer[c]].sort(() => rnd() - 0.5);
      flat.push(...days);
      start[k + 1] = flat.length;
    });
    const got = emptySummary(count, AS_OF, 180, false);
    fillPurchaseDays(got, Int32Array.from(flat), start, at);

    // the cases the data must hold for the comparison to mean something
    const lengths = perCustomer.map((s) => s.size);
    expect(Math.max(...lengths)).toBeGreaterThan(64);
    expect(lengths.filter((x) => x === 1).length).toBeGreaterThan(0);
    expect(Array.from(want.holdoutDays).some((x) => x > 0)).toBe(true);
    expect(Array.from(want.txFirstDay).some((x) => x > AS_OF)).toBe(true);
    expect(Array.from(want.medianGap).filter((x) => x === x).length).toBeGreaterThan(count / 2);

    expect(Array.from(got.medianGap)).toEqual(Array.from(want.medianGap));
    expect(Array.from(got.repeatDays.day)).toEqual(Array.from(want.repeatDays.day));
    expect(Array.from(got.repeatDays.n)).toEqual(Array.from(want.repeatDays.n));
  });

  it("works out a median by hand: odd and even counts, few gaps and many", () => {
    const s = emptySummary(3, 1000, 180, false);
    // customer 0: days 10, 13, 20, 21 → gaps 3, 7, 1 → median 3
    // customer 1: days 0, 2, 6, 7, 1007 (after A = 1000) → gaps up to A 2, 4, 1 → median 2
    // customer 2: 41 days 0, 1, 3, 6, … (gaps 1..40) → even count 40: (20 + 21) / 2
    const many: number[] = [0];
    for (let g = 1; g <= 40; g++) many.push(many[many.length - 1] + g);
    const days = [21, 10, 20, 13, 1007, 7, 0, 6, 2, ...many.reverse()];
    fillPurchaseDays(
      s,
      Int32Array.from(days),
      Int32Array.from([0, 4, 9, 50]),
      Int32Array.from([0, 1, 2]),
    );
    expect(Array.from(s.medianGap)).toEqual([3, 2, 20.5]);
    // repeat days: every day but each customer's first, 1007 included (after A)
    const repeats = new Map<number, number>();
    for (const d of [13, 20, 21, 2, 6, 7, 1007, ...many.filter((d) => d !== 0)])
      repeats.set(d, (repeats.get(d) ?? 0) + 1);
    const sorted = [...repeats.keys()].sort((a, b) => a - b);
    expect(Array.from(s.repeatDays.day)).toEqual(sorted);
    expect(Array.from(s.repeatDays.n)).toEqual(sorted.map((d) => repeats.get(d)));
  });
});
