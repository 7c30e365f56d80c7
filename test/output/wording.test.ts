/** Statements that say something (issue 18 §13): named cadences, and no empty whale peak. */
import { describe, expect, it } from "vitest";
import { cadence, gradesSheet } from "../../analysis/output/grades.js";
import { paretoKpis } from "../../analysis/output/pareto.js";
import { runAnalysis } from "../../analysis/index.js";
import { sampleWorkbook } from "../../analysis/sample.js";
import type { RawTable } from "../../analysis/types.js";

describe("cadences", () => {
  it("read daily, weekly, monthly, quarterly, half-yearly and yearly where they match", () => {
    expect([1, 7, 14, 30, 91, 182, 365].map((d) => cadence(d, "en"))).toEqual([
      "daily",
      "weekly",
      "every two weeks",
      "monthly",
      "quarterly",
      "every six months",
      "yearly",
    ]);
    expect([1, 7, 30, 91, 182, 365].map((d) => cadence(d, "zh"))).toEqual([
      "每天",
      "每周",
      "每月",
      "每季度",
      "每半年",
      "每年",
    ]);
    expect(cadence(45, "en")).toBe("every 45 days");
    expect(cadence(45, "zh")).toBe("每 45 天");
  });

  it("the Grades sheet's default policy table uses them", () => {
    const run = runAnalysis(sampleWorkbook({ lang: "en" }), { lang: "en" });
    const sheet = gradesSheet(run.analysis, "en");
    const abc = sheet.blocks.find((b) => b.id === "abc")!;
    const a = abc.rows[0];
    expect(a[0]).toBe("A");
    // review daily, call every 30 days, visit every 91 days by default
    expect(a.slice(4, 7)).toEqual(["daily", "monthly", "quarterly"]);
  });
});

describe("the whale KPI", () => {
  const ordersWithCost = (rows: [string, string, number, number][]): RawTable => ({
    source: "Orders",
    headers: ["Customer ID", "Date", "Amount", "Cost"],
    rows: rows.map((r) => [...r]),
    headerRow: 1,
    firstColumn: 1,
  });

  it("says 'no loss-making customers' instead of a 100% peak reached by 100% of customers", () => {
    const orders = ordersWithCost([
      ["A", "2024-01-05", 100, 60],
      ["B", "2024-01-06", 50, 20],
      ["C", "2024-01-07", 30, 10],
    ]);
    for (const lang of ["en", "zh"] as const) {
      const run = runAnalysis({ orders }, { lang, today: 20_000 });
      const kpis = paretoKpis(run.analysis, lang);
      const text = kpis.map((k) => `${k.label}: ${k.value} ${k.note ?? ""}`).join("\n");
      expect(text).not.toMatch(/Peak of cumulative profit|累计利润峰值/);
      expect(text).toContain(lang === "en" ? "no loss-making customers" : "没有亏损客户");
    }
  });

  it("keeps the peak when some customers lose money", () => {
    const orders = ordersWithCost([
      ["A", "2024-01-05", 100, 60],
      ["B", "2024-01-06", 50, 80],
    ]);
    const run = runAnalysis({ orders }, { lang: "en", today: 20_000 });
    const whale = paretoKpis(run.analysis, "en").find(
      (k) => k.label === "Peak of cumulative profit",
    );
    // profits 40 and −30: total 10, the peak 40 is 400% of it
    expect(whale?.value).toBe("400%");
  });
});
