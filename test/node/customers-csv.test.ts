/**
 * customers.csv's line writer (customers-csv.ts) gives exactly the text of the generic CSV
 * stream over customerCsvRow: same BOM, header, quoting, formula guard, rounding and empties.
 */
import { describe, expect, it } from "vitest";
import { runAnalysis } from "../../analysis/index.js";
import { sampleWorkbook } from "../../analysis/sample.js";
import { CSV_COLUMNS, customerCsvRow } from "../../analysis/output/customers.js";
import { csvChunks, mapRows } from "../../analysis/node/csv-stream.js";
import { customerCsvChunks, customerCsvLine } from "../../analysis/node/customers-csv.js";
import { csvLine } from "../../analysis/node/csv-write.js";
import type { CustomerResult, Lang } from "../../analysis/types.js";

const generic = (customers: CustomerResult[], lang: Lang, currency: string, size?: number) =>
  [
    ...csvChunks(
      [...CSV_COLUMNS],
      mapRows(customers, (c) => customerCsvRow(c, lang, currency)),
      {},
      size,
    ),
  ].join("");

describe("customers.csv written line by line", () => {
  it("equals the generic CSV stream on the sample workbook's customers, in both languages", () => {
    for (const lang of ["zh", "en"] as const) {
      const run = runAnalysis(sampleWorkbook(), { lang });
      const customers = run.analysis.customers;
      expect(customers.length).toBeGreaterThan(100);
      expect(customers.some((c) => c.stageReason && c.pAlive !== null)).toBe(true);
      const text = [...customerCsvChunks(customers, lang, "¥")].join("");
      expect(text).toBe(generic(customers, lang, "¥"));
      expect(text.startsWith("\uFEFFcustomer_id,name,")).toBe(true);
    }
  });

  it("quotes, guards formulas and leaves empty what does not apply, as the generic writer does", () => {
    const base = runAnalysis(sampleWorkbook(), { lang: "en" }).analysis.customers[0];
    const odd: CustomerResult[] = [
      { ...base, id: "=HYPERLINK(1)", name: 'Li, "Wei"\r\nline two' },
      { ...base, id: "-12", name: "+x", segment: "@seg", rfmCode: null, cube: null },
      {
        ...base,
        id: "K1",
        name: "",
        firstPurchase: null,
        lastPurchase: null,
        recencyDays: null,
        monetary: -0,
        avgOrderValue: null,
        r: null,
        f: null,
        m: null,
        stageReason: null,
        pAlive: Number.NaN,
        expectedPurchases52w: Infinity,
        clv: -1234.5678,
        nextContact: null,
      },
      { ...base, id: "K2", monetary: 1.005, avgOrderValue: 1e21, pAlive: 1e-7, clv: 0.125 },
    ];
    expect([...customerCsvChunks(odd, "en", "$")].join("")).toBe(generic(odd, "en", "$"));
    for (const c of odd)
      expect(customerCsvLine(c, "zh", "¥")).toBe(csvLine(customerCsvRow(c, "zh", "¥")));
  });

  it("cuts chunks at about the size asked, whole lines each", () => {
    const customers = runAnalysis(sampleWorkbook(), { lang: "en" }).analysis.customers;
    const chunks = [...customerCsvChunks(customers, "en", "¥", 4096)];
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks.slice(0, -1)) {
      expect(c.length).toBeGreaterThanOrEqual(4096);
      expect(c.endsWith("\r\n")).toBe(true);
    }
    expect(chunks.join("")).toBe(generic(customers, "en", "¥", 4096));
  });
});
