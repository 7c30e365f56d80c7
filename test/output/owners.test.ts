/** The Account managers sheet, report section and owners.csv rows (issue 17 §5). */
import { describe, expect, it } from "vitest";
import { runAnalysis } from "../../analysis/index.js";
import {
  OWNER_CSV_COLUMNS,
  ownerCsvRows,
  ownersSection,
  ownersSheet,
} from "../../analysis/output/owners.js";
import { AS_OF, OWNER_OVERRIDES, ownersInput } from "../helpers/owners-fixture.js";

const run = (lang: "zh" | "en") =>
  runAnalysis(ownersInput(), { lang, overrides: OWNER_OVERRIDES, today: AS_OF });

describe("owners.csv", () => {
  it("has exactly the issue's columns, in its order", () => {
    expect(OWNER_CSV_COLUMNS.join(", ")).toBe(
      "owner, customers, prospects, grade_a, grade_b, grade_c, grade_d, overdue, due_7d, " +
        "contacts_7d, contacts_30d, revenue_90d, revenue_prev_90d, moved_down, dormant, cadence_kept",
    );
  });

  it("writes one row per owner; the unassigned label in the language, moved_down empty", () => {
    const en = ownerCsvRows(run("en").analysis, "en");
    expect(en).toEqual([
      ["王磊", 2, 1, 2, 0, 0, 0, 1, 2, 2, 4, 350, 50, null, 0, 0.5],
      ["Wang Lei", 1, 0, 0, 0, 1, 0, en[1][7], en[1][8], 0, 0, 0, 0, null, 1, 1],
      ["(unassigned)", 2, 0, 0, 1, 1, 0, 0, 0, 1, 1, 100, 0, null, 0, 0.5],
    ]);
    expect(ownerCsvRows(run("zh").analysis, "zh")[2][0]).toBe("（未分配）");
  });
});

describe("the Account managers sheet", () => {
  it("is an owned sheet with the table and a native bar chart over it", () => {
    for (const [lang, name] of [
      ["zh", "客户经理"],
      ["en", "Account managers"],
    ] as const) {
      const res = run(lang);
      const sheet = res.output.sheets.find((s) => s.key === "owners")!;
      expect(sheet.name).toBe(name);
      expect(sheet).toEqual(ownersSheet(res.analysis, lang));
      const block = sheet.blocks[0];
      expect(block.columns).toHaveLength(16);
      expect(block.rows.map((r) => r[0])).toEqual([
        "王磊",
        "Wang Lei",
        lang === "zh" ? "（未分配）" : "(unassigned)",
      ]);
      const chart = sheet.charts[0];
      expect(chart.kind).toBe("bar");
      expect(chart.block).toBe("owners");
      expect(chart.values.map((j) => block.columns[j].header)).toEqual(
        lang === "en"
          ? ["Customers", "Overdue", "Due within 7 days"]
          : ["客户数", "已逾期", "7 天内到期"],
      );
      // the chart sits below the table
      expect(chart.anchor.row).toBeGreaterThan(block.rows.length + 1);
      expect(JSON.stringify(chart.vegaLite)).toContain('"yOffset"');
    }
  });

  it("comes before the stage history in tab order", () => {
    const keys = run("en").output.sheets.map((s) => s.key);
    expect(keys.indexOf("owners")).toBe(keys.indexOf("followups") + 1);
  });
});

describe("the report section", () => {
  it("has the KPIs, the definitions, the no-history note, the chart and the table", () => {
    const res = run("en");
    const s = ownersSection(res.analysis, "en");
    expect(res.report.sections.map((x) => x.id)).toContain("owners");
    expect(s.title).toBe("Account managers");
    const kpis = s.items[0];
    expect(kpis.kind === "kpis" && kpis.items.map((k) => k.value)).toEqual([
      "2", // 王磊, Wang Lei
      "2", // K4, K6
      "60%", // kept: K1, K3, K6 of 5 graded customers
    ]);
    expect(s.items.map((i) => i.kind)).toEqual([
      "kpis",
      "text",
      "text",
      "figure",
      "table",
      "table",
    ]);
    const zh = ownersSection(run("zh").analysis, "zh");
    expect(zh.title).toBe("客户经理");
  });
});
