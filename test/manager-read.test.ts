/**
 * What a manager reads (issue 18): words and numbers that agree, on the sample workbook, whose
 * KH0009 is set to Termination by hand ("company dissolved") and whose dormant accounts are
 * still in development by the rules.
 */
import { describe, expect, it } from "vitest";
import { runAnalysis } from "../analysis/index.js";
import { SAMPLE_UNKNOWN_CUSTOMER, sampleWorkbook } from "../analysis/sample.js";
import { t } from "../analysis/messages/index.js";

const run = runAnalysis(sampleWorkbook(), { lang: "en" });
const { analysis } = run;
const byId = new Map(analysis.customers.map((c) => [c.id, c]));

describe("a manual Termination is not valued (§11)", () => {
  it("KH0009 has no P(alive) or CLV, and its reason is the manual one", () => {
    const c = byId.get("KH0009")!;
    expect(c.stage).toBe("termination");
    expect(c.stageReason?.key).toBe("lifecycle.reason.manual");
    expect(c.pAlive).toBeNull();
    expect(c.clv).toBeNull();
    expect(c.expectedPurchases52w).toBeNull();
    expect(c.nextContact).toBeNull();
  });

  it("leaves the CLV totals: they are the sums over the customers that show a CLV", () => {
    expect(analysis.clv.status).toBe("ok");
    const shown = analysis.customers.filter((c) => c.clv !== null);
    const sum = shown.reduce((s, c) => s + c.clv!, 0);
    expect(analysis.clv.totals.customers).toBe(shown.length);
    expect(analysis.clv.totals.totalClv).toBeCloseTo(sum, 6);
    expect(run.summary.clv.total).toBeCloseTo(sum, 6);
    const binned = analysis.clv.pAliveBins.reduce((s, b) => s + b.customers, 0);
    expect(binned).toBe(shown.length);
  });
});

describe("dormant accounts are named as such (§12)", () => {
  it("every dormant customer's reason carries the dormancy, with its days", () => {
    const dormant = analysis.lifecycle.dormant.map((i) => analysis.customers[i]);
    expect(dormant.length).toBeGreaterThan(0);
    for (const c of dormant) {
      const days = analysis.asOf - c.lastPurchase!;
      expect(days).toBeGreaterThan(analysis.settings.lifecycle.dormantDays);
      expect(t("en", c.stageReason!)).toContain(`dormant: no purchase for ${days} days`);
      expect(t("zh", c.stageReason!)).toContain(`静止户：已 ${days} 天未购买`);
    }
    // and nobody else's
    const notDormant = analysis.customers.filter((_, i) => !analysis.lifecycle.dormant.includes(i));
    for (const c of notDormant) expect(t("en", c.stageReason ?? "")).not.toContain("dormant:");
  });
});

describe("counts that agree (§14, §15)", () => {
  it("order rows count the Orders table alone", () => {
    const wb = sampleWorkbook();
    const orderRows = wb.orders.rows.filter((r) => r.some((c) => c !== null && c !== "")).length;
    const c = run.summary.counts;
    expect(c.order_rows_read).toBe(orderRows);
    expect(c.order_rows_used).toBeLessThanOrEqual(orderRows);
    expect(c.order_rows_used).toBe(analysis.dataset.orders.n);
    // every table's rows together are more
    expect(c.rows_read).toBeGreaterThan(c.order_rows_read);
  });

  it("an order for an ID the Customers table lacks is a warning, once, and still analysed", () => {
    const unknown = run.issues.filter((i) => i.reason.key === "reading.unknownCustomer");
    expect(unknown.map((i) => i.value)).toEqual([SAMPLE_UNKNOWN_CUSTOMER]);
    expect(unknown[0].severity).toBe("warning");
    expect(unknown[0].row).toBeGreaterThan(1);
    expect(byId.has(SAMPLE_UNKNOWN_CUSTOMER)).toBe(true);
  });

  it("without a Customers table no ID is unknown", () => {
    const alone = runAnalysis({ orders: sampleWorkbook().orders }, { lang: "en" });
    expect(alone.issues.some((i) => i.reason.key === "reading.unknownCustomer")).toBe(false);
  });
});
