/**
 * What a manager reads (issue 18): words and numbers that agree, on the sample workbook, whose
 * KH0009 is set to Termination by hand ("company dissolved") and whose dormant accounts are
 * still in development by the rules.
 */
import { describe, expect, it } from "vitest";
import { runAnalysis } from "../analysis/index.js";
import { sampleWorkbook } from "../analysis/sample.js";
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
