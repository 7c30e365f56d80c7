/**
 * Values that used to pass silently (issue 16, items 9 and 10): amounts that overflow or are
 * beyond any real order, and order dates after the run's date or outside 1900–9999. Each is a
 * data issue naming the row and column, and nothing non-finite reaches any output.
 */
import { describe, expect, it } from "vitest";
import type { Cell, Issue, RawTable } from "../analysis/types.js";
import { LAST_DAY, MAX_AMOUNT, readDataset } from "../analysis/clean.js";
import { cellSource } from "../analysis/source.js";
import { makeSettings } from "../analysis/settings.js";
import { dayFromDate, dayFromYmd, isoDay, todayFromClock } from "../analysis/dates.js";
import { readCsvText } from "../analysis/node/csv.js";
import { runAnalysis } from "../analysis/index.js";
import { hasMessage, t } from "../analysis/messages/index.js";

const table = (headers: string[], rows: Cell[][]): RawTable => ({
  source: "Orders",
  headerRow: 1,
  firstColumn: 1,
  headers,
  rows,
});
const brief = (issues: Issue[]): [number, string, string, string, string][] =>
  issues.map((i) => [i.row, i.column, i.value, i.reason.key, i.severity]);
const TODAY = dayFromYmd(2026, 12, 6);
const settings = makeSettings();

describe("amounts beyond ±10^15 (item 9)", () => {
  it("1e309 (infinity) and 2e15 are skipped with a data issue; 10^15 itself is read", () => {
    const ds = readDataset(
      {
        orders: cellSource(
          table(
            ["Customer ID", "Date", "Amount", "Cost"],
            [
              ["A", "2024-01-01", "1e309", 1],
              ["B", "2024-01-02", "-2e15", 1],
              ["C", "2024-01-03", 1e15, 1],
              ["D", "2024-01-04", 5, "1e400"],
            ],
          ),
        ),
        today: TODAY,
      },
      settings,
    );
    expect(brief(ds.issues)).toEqual([
      [2, "Amount", "1e309", "reading.amountTooLarge", "skipped"],
      [3, "Amount", "-2e15", "reading.amountTooLarge", "skipped"],
      [5, "Cost", "1e400", "reading.costTooLarge", "warning"],
    ]);
    expect(ds.customerIds).toEqual(["C", "D"]);
    expect([...ds.orders.amount]).toEqual([MAX_AMOUNT, 5]);
    expect([...(ds.orders.cost ?? [])]).toEqual([1, 0]);
    expect(ds.counts.skipped).toEqual({ "reading.amountTooLarge": 2 });
    expect(t("en", ds.issues[0].reason)).toBe(
      "Amount beyond ±1,000,000,000,000,000: a typo or an overflow, so the row was left out",
    );
  });

  it("quantity × unit price that overflows is skipped too", () => {
    const ds = readDataset(
      {
        orders: cellSource(
          table(
            ["Customer ID", "Date", "Quantity", "Unit price"],
            [
              ["A", "2024-01-01", 1e200, 1e200],
              ["B", "2024-01-02", 2, 3],
            ],
          ),
        ),
        today: TODAY,
      },
      settings,
    );
    expect(brief(ds.issues)).toEqual([
      [2, "Unit price", "1e+200", "reading.amountTooLarge", "skipped"],
    ]);
    expect([...ds.orders.amount]).toEqual([6]);
  });

  it("a CSV of 1e308 sums: every figure of summary.json and customers finite, issues listed", () => {
    const rows = ["Customer ID,Date,Amount"];
    for (let i = 0; i < 6; i++) rows.push(`K${i % 3},2024-0${1 + i}-01,1e308`);
    rows.push("K9,2024-06-02,100", "K8,2024-06-03,250");
    const run = runAnalysis(
      { orders: readCsvText(rows.join("\n"), "orders.csv") },
      { lang: "en", today: TODAY },
    );
    const json = JSON.stringify(run.summary);
    expect(json).not.toMatch(/NaN|Infinity|null,"gini"/);
    expect(run.summary.pareto.gini).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(run.analysis.pareto.gini)).toBe(true);
    expect(run.issues.filter((i) => i.reason.key === "reading.amountTooLarge")).toHaveLength(6);
    expect(run.analysis.customers.map((c) => [c.id, c.monetary, c.grade])).toEqual([
      ["K9", 100, "A"],
      ["K8", 250, "A"],
    ]);
    const report = JSON.stringify(run.report);
    expect(report).not.toMatch(/NaN|Infinity/);
  });
});

describe("order dates after the run's date or outside 1900–9999 (item 10)", () => {
  const rows: Cell[][] = [];
  for (let i = 0; i < 30; i++) rows.push([`K${i}`, `2024-0${1 + (i % 9)}-1${i % 10}`, 100]);
  rows.push(["K5", "2099-06-01", 100]); // the typo
  rows.push(["K6", "0202-01-05", 100]);
  rows.push(["K7", new Date(Date.UTC(1899, 11, 31)), 100]);
  const orders = table(["Customer ID", "Date", "Amount"], rows);

  it("default as-of: a 2099 typo is a data issue and the as-of date the latest plausible one", () => {
    const ds = readDataset({ orders: cellSource(orders), today: TODAY }, settings);
    expect(brief(ds.issues)).toEqual([
      [32, "Date", "2099-06-01", "reading.futureDate", "skipped"],
      [33, "Date", "0202-01-05", "reading.implausibleDate", "skipped"],
      [34, "Date", "1899-12-31", "reading.implausibleDate", "skipped"],
    ]);
    expect(ds.issues.every((i) => hasMessage(i.reason.key))).toBe(true);
    expect(t("en", ds.issues[0].reason)).toContain("Date after today (2026-12-06)");
    expect(isoDay(ds.maxDay)).toBe("2024-09-18");
    const run = runAnalysis({ orders }, { lang: "en", today: TODAY });
    expect(run.analysis.asOf).toBe(dayFromYmd(2024, 9, 18));
    const stages = run.analysis.customers.map((c) => c.stage);
    expect(stages.filter((s) => s === "termination")).toEqual([]);
  });

  it("one day of grace for time zones: tomorrow is read, the day after is not", () => {
    const near = table(
      ["Customer ID", "Date", "Amount"],
      [
        ["A", isoDay(TODAY + 1), 1],
        ["B", isoDay(TODAY + 2), 1],
      ],
    );
    const ds = readDataset({ orders: cellSource(near), today: TODAY }, settings);
    expect(brief(ds.issues)).toEqual([[3, "Date", "2026-12-08", "reading.futureDate", "skipped"]]);
    expect(ds.maxDay).toBe(TODAY + 1);
  });

  it("an as-of date given keeps later orders (after the as-of date), implausible ones still go", () => {
    const withAsOf = makeSettings({ asOf: dayFromYmd(2024, 6, 30) });
    const ds = readDataset({ orders: cellSource(orders), today: TODAY }, withAsOf);
    expect(brief(ds.issues).map((i) => i[3])).toEqual([
      "reading.implausibleDate",
      "reading.implausibleDate",
    ]);
    expect(ds.orders.n).toBe(31);
  });

  it("an Excel serial past 9999-12-31 (or a Date after it) is unreadable, never 10000-01-01", () => {
    expect(dayFromDate(new Date(Date.UTC(10000, 0, 1)))).toBeNaN();
    expect(dayFromDate(new Date(Date.UTC(9999, 11, 31)))).toBe(LAST_DAY);
    const far = table(
      ["Customer ID", "Date", "Amount"],
      [
        ["A", 2958466, 1],
        ["B", new Date(Date.UTC(10000, 0, 1)), 1],
        ["C", 45000, 1],
      ],
    );
    const run = runAnalysis({ orders: far }, { lang: "en", today: TODAY });
    expect(brief(run.issues).map((i) => i[3])).toEqual(["reading.badDate", "reading.badDate"]);
    expect(isoDay(run.analysis.asOf)).toBe("2023-03-15");
    expect(JSON.stringify(run.summary)).not.toMatch(/NaN|10000-/);
  });

  it("interactions after today or before 1900 are skipped too; later than the last order is fine", () => {
    const log = cellSource({
      ...table(
        ["Customer ID", "Date", "Channel"],
        [
          ["K1", "2025-03-01", "phone"],
          ["K1", "2099-06-01", "phone"],
          ["K2", "1850-01-01", "email"],
        ],
      ),
      source: "Interactions",
    });
    const ds = readDataset(
      { orders: cellSource(orders), interactions: log, today: TODAY },
      settings,
    );
    expect(ds.interactions.map((i) => [i.customer, isoDay(i.day)])).toEqual([["K1", "2025-03-01"]]);
    expect(brief(ds.issues.filter((i) => i.source === "Interactions"))).toEqual([
      [3, "Date", "2099-06-01", "reading.futureDate", "skipped"],
      [4, "Date", "1850-01-01", "reading.implausibleDate", "skipped"],
    ]);
  });

  it("a first-contact or next-contact date before 1900 is left empty with a warning", () => {
    const customers = cellSource({
      ...table(
        ["Customer ID", "First contact"],
        [
          ["K1", "0202-03-04"],
          ["K2", "2023-03-04"],
        ],
      ),
      source: "Customers",
    });
    const ds = readDataset({ orders: cellSource(orders), customers, today: TODAY }, settings);
    expect(ds.records.slice(0, 2).map((c) => c?.firstContact)).toEqual([
      null,
      dayFromYmd(2023, 3, 4),
    ]);
    expect(brief(ds.issues.filter((i) => i.source === "Customers"))).toEqual([
      [2, "First contact", "0202-03-04", "reading.badFirstContact", "warning"],
    ]);
  });

  it("today from the clock is the local calendar date", () => {
    expect(todayFromClock(new Date(2026, 11, 6, 23, 59))).toBe(TODAY);
    expect(todayFromClock(new Date(2026, 11, 7, 0, 1))).toBe(TODAY + 1);
  });
});
