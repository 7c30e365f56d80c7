import { describe, expect, it } from "vitest";
import { formatMoney, formatNumber, formatPct } from "../../analysis/messages/index.js";

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
