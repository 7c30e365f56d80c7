/**
 * The customers' rows are made when read (pipeline.ts withCustomerRows): the rows made one at a
 * time (customerRows, as customers.csv is written) are the rows of `customers`, and the figures
 * summary.json takes from the columns are those of the rows.
 */
import { describe, expect, it } from "vitest";
import { customerRows, runAnalysis } from "../analysis/index.js";
import { sampleWorkbook } from "../analysis/sample.js";

describe("customer rows made when read", () => {
  const run = runAnalysis(sampleWorkbook(), { lang: "en" });
  const a = run.analysis;

  it("are a getter of the analysis (not a list made by it), and one row is made alone", () => {
    const d = Object.getOwnPropertyDescriptor(a, "customers")!;
    expect(typeof d.get).toBe("function");
    expect(d.enumerable).toBe(true);
    expect(customerRows(a).at(0).id).toBe(a.dataset.customerIds[0]);
  });

  it("one at a time equal the whole list, and summary.json's CLV total is theirs", () => {
    const rows = customerRows(a);
    expect(rows.length).toBe(301);
    const all = a.customers;
    expect(all).toHaveLength(301);
    for (let i = 0; i < rows.length; i++) expect(rows.at(i)).toEqual(all[i]);
    expect(a.customers).toBe(all); // made once
    const total = all.reduce((s, c) => s + (c.clv ?? 0), 0);
    expect(run.summary.clv.total).toBeGreaterThan(0);
    expect(run.summary.clv.total).toBeCloseTo(Math.round(total * 100) / 100, 2);
  });

  it("this run's snapshot: counted without being made, and made when read", () => {
    expect(a.history.dates).toBe(1);
    expect(a.history.snapshots).toHaveLength(301);
    expect(new Set(a.history.snapshots.map((s) => s.asOf))).toEqual(new Set([a.asOf]));
  });
});
