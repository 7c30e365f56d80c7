import { describe, expect, it } from "vitest";
import { CATALOG, formatMoney, formatNumber, formatPct, t } from "../../analysis/messages/index.js";

describe("number formatting in both languages", () => {
  it("groups digits and rounds to the decimals asked, each combination kept apart", () => {
    expect(formatNumber(1234567.891, "en")).toBe("1,234,567.89");
    expect(formatNumber(1234567.891, "zh")).toBe("1,234,567.89");
    expect(formatNumber(1234567.891, "en", 0)).toBe("1,234,568");
    expect(formatNumber(0.125, "en", 1)).toBe("0.1");
    expect(formatNumber(2.5, "zh", 0)).toBe("3");
    expect(formatNumber(-1200, "en", 2)).toBe("-1,200");
    // the same language and decimals again, after others: the cached format is the right one
    expect(formatNumber(1234567.891, "en")).toBe("1,234,567.89");
    expect(formatNumber(Number.NaN, "en")).toBe("");
  });

  it("money and percentages", () => {
    expect(formatMoney(38641.4, "zh")).toBe("¥38,641");
    expect(formatMoney(-12.345, "en", "$")).toBe("-$12.35");
    expect(formatPct(0.2304, "zh")).toBe("23%");
    expect(formatPct(0.0456, "en")).toBe("4.6%");
  });
});

describe("English counts take the singular for exactly one", () => {
  const done = (n: number, issues: number, prospects = 0, lang: "en" | "zh" = "en") =>
    t(lang, {
      key: "cli.done",
      params: { n, buyers: n - prospects, prospects, issues, dir: "out" },
    });

  it("one customer, one data issue; otherwise plurals", () => {
    expect(done(1, 1)).toBe(
      "Analysed 1 customer: 1 with purchases, 0 prospects (1 data issue). Files in out:",
    );
    expect(done(2, 0, 1)).toBe(
      "Analysed 2 customers: 1 with purchases, 1 prospect (0 data issues). Files in out:",
    );
    expect(done(100_000, 5, 30)).toBe(
      "Analysed 100,000 customers: 99,970 with purchases, 30 prospects (5 data issues). Files in out:",
    );
  });

  it("a number with decimals is plural unless it is exactly 1", () => {
    const gap = (g: number) =>
      t("en", {
        key: "lifecycle.reason.decline.overdue",
        params: { days: 30, gap: g, factor: 2 },
      });
    expect(gap(1)).toContain("the usual gap of 1 day");
    expect(gap(1.5)).toContain("the usual gap of 1.5 days");
  });

  it("Chinese has no plural forms to pick", () => {
    expect(done(1, 1, 0, "zh")).not.toMatch(/[|{}]/);
  });

  it("no English template leaves a plural token unfilled or malformed", () => {
    for (const [key, template] of Object.entries(CATALOG.en)) {
      // every {name|one|other} has a name that a {name…} placeholder also uses
      for (const m of template.matchAll(/\{(\w+)\|([^|{}]*)\|([^|{}]*)\}/g)) {
        expect(template, key).toMatch(new RegExp(`\\{${m[1]}(?::\\w+)?\\}`));
        expect(m[2] && m[3], key).toBeTruthy();
      }
      expect(CATALOG.zh[key] ?? "", key).not.toMatch(/\{\w+\|/);
    }
  });
});
