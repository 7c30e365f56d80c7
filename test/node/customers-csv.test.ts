/**
 * customers.csv's line writer (customers-csv.ts) gives exactly the text of the generic CSV
 * stream over customerCsvRow: same BOM, header, quoting, formula guard, rounding and empties.
 */
import { describe, expect, it } from "vitest";
import { runAnalysis } from "../../analysis/index.js";
import { sampleWorkbook } from "../../analysis/sample.js";
import { CSV_COLUMNS, customerCsvRow } from "../../analysis/output/customers.js";
import { csvChunks, mapRows } from "../../analysis/node/csv-stream.js";
import {
  customerCsvBytes,
  customerCsvChunks,
  customerCsvLine,
} from "../../analysis/node/customers-csv.js";
import { csvLine } from "../../analysis/node/csv-write.js";
import type { CustomerResult, Lang, Message } from "../../analysis/types.js";

const generic = (customers: CustomerResult[], lang: Lang, currency: string, size?: number) =>
  [
    ...csvChunks(
      [...CSV_COLUMNS],
      mapRows(customers, (c) => customerCsvRow(c, lang, currency)),
      {},
      size,
    ),
  ].join("");

/** customerCsvBytes' chunks, each copied as it comes (the next overwrites it), as a file write. */
function bytesOf(customers: CustomerResult[], lang: Lang, size?: number): Buffer[] {
  const out: Buffer[] = [];
  for (const b of customerCsvBytes(customers, lang, "¥", size)) out.push(Buffer.from(b));
  return out;
}

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

  it("writes as bytes the UTF-8 of its text, in chunks of about the size asked, whole lines each", () => {
    for (const lang of ["zh", "en"] as const) {
      const customers = runAnalysis(sampleWorkbook(), { lang }).analysis.customers;
      const text = generic(customers, lang, "¥");
      const whole = Buffer.from(text, "utf8");
      const copies = (size?: number) => bytesOf(customers, lang, size);
      expect(Buffer.concat(copies()).equals(whole)).toBe(true);
      const small = copies(4096);
      expect(small.length).toBeGreaterThan(3);
      for (const b of small.slice(0, -1)) {
        expect(b.length).toBeGreaterThanOrEqual(4096);
        expect(b.subarray(-2).toString()).toBe("\r\n");
      }
      expect(Buffer.concat(small).equals(whole)).toBe(true);
    }
  });

  it("writes a line longer than its buffer whole", () => {
    const base = runAnalysis(sampleWorkbook(), { lang: "zh" }).analysis.customers;
    const long = "客户名称,".repeat(40_000);
    const odd = [base[0], { ...base[1], name: long }, base[2]];
    const bytes = Buffer.concat(bytesOf(odd, "zh", 1024));
    expect(bytes.toString("utf8") === generic(odd, "zh", "¥")).toBe(true);
  });

  it("writes money and model figures as round() and csvField do, whatever the number", () => {
    const base = runAnalysis(sampleWorkbook(), { lang: "en" }).analysis.customers[0];
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const special = [
      0,
      -0,
      1.005,
      0.125,
      -0.001,
      -0.004,
      0.005,
      0.015,
      1e-7,
      5e-7,
      0.0000005,
      1e12,
      9999999999999.995,
      1e13,
      1e13 + 0.01,
      123456789012345.67,
      1e21,
      -1e21,
      0.1 + 0.2,
      1 / 3,
      -2 / 3,
      999.995,
      1000.005,
      Number.MAX_VALUE,
      Number.MIN_VALUE,
      -12.5,
      4.35,
      8.675,
      1.45,
    ];
    const values = [...special];
    for (let k = 0; k < 3000; k++) {
      const scale = 10 ** Math.floor(random() * 16 - 8);
      const x = (random() - 0.2) * scale;
      values.push(x, Math.round(x * 100) / 100, Math.round(x * 1e6) / 1e6);
    }
    for (const x of values) {
      const c = {
        ...base,
        monetary: x,
        avgOrderValue: x,
        pAlive: x,
        expectedPurchases52w: -x,
        clv: -x,
      };
      expect(customerCsvLine(c, "en", "¥")).toBe(csvLine(customerCsvRow(c, "en", "¥")));
    }
  });

  it("renders stage reasons and their notes as t() does, in both languages", () => {
    const base = runAnalysis(sampleWorkbook(), { lang: "en" }).analysis.customers[0];
    const skipped: Message = { key: "lifecycle.note.pAlive.no-dropout" };
    const shared = [skipped];
    const reasons: Message[] = [
      { key: "lifecycle.reason.potential.none" },
      {
        key: "lifecycle.reason.terminated.recency",
        params: { days: 400, limit: 365, last: 19000 },
      },
      { key: "lifecycle.reason.terminated.recency", params: { days: -0, limit: 1, last: -3 } },
      {
        key: "lifecycle.reason.terminated.recency",
        params: { days: 1.5, limit: NaN, last: 19000.5 },
      },
      { key: "lifecycle.reason.development.single", params: { days: 1, first: 200_000 } },
      { key: "lifecycle.reason.manual", params: { text: '=SUM(1), "quoted"\u0007' } },
      { key: "lifecycle.reason.decline.overdue", params: { days: "5", gap: 2.25, factor: 2 } },
      {
        key: "lifecycle.reason.decline.revenue",
        params: { w: 180, recent: 77.85, previous: 1234.5, drop: 0.937, ratio: 0.8 },
        also: shared,
      },
      {
        key: "lifecycle.reason.growth",
        params: { w: 180, recent: -0.004, previous: 1e21, rise: Infinity, ratio: 1.2 },
        also: shared,
      },
      {
        key: "lifecycle.reason.maturity.noPrevious",
        params: { w: 180, recent: 12, days: 30 },
        also: [{ key: "lifecycle.note.dormant", params: { days: 1 } }, skipped],
      },
      {
        key: "lifecycle.reason.maturity.noPrevious",
        params: { w: 180, recent: 12, days: 30 },
        also: [{ key: "lifecycle.note.dormant", params: { days: "1" } }, skipped],
      },
      {
        key: "no.such.key",
        also: [{ key: "lifecycle.note.dormant", params: { days: 2 }, also: [skipped] }],
      },
      { key: "lifecycle.reason.potential.none", also: [] },
    ];
    // amounts of every kind: whole cents (and not) around 1,000, tiny, negative, −0
    let seed = 3;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const amounts = [0, -0, 0.01, 0.005, 999.99, 999.995, 1000, -999.99, 1e-7, 0.1 + 0.2];
    for (let k = 0; k < 2000; k++) {
      const x = (random() - 0.3) * 10 ** Math.floor(random() * 5);
      amounts.push(x, Math.round(x * 100) / 100);
    }
    for (let k = 0; k + 1 < amounts.length; k += 2)
      reasons.push({
        key: "lifecycle.reason.decline.revenue",
        params: { w: 180, recent: amounts[k], previous: amounts[k + 1], drop: 0.5, ratio: 0.8 },
      });
    for (const lang of ["zh", "en"] as const) {
      const customers = reasons.map((stageReason) => ({ ...base, stageReason }));
      for (const currency of ["¥", "US$"]) {
        const text = [...customerCsvChunks(customers, lang, currency)].join("");
        expect(text).toBe(generic(customers, lang, currency));
      }
    }
  });
});
