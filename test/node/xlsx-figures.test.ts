/**
 * Figures stored as numbers (issue 18 §9): the Pareto summary ("77%", "0.742", "¥13,528,674")
 * was text; each figure is now a number with its own number format, in analysis.xlsx and in the
 * add-in's sheet, so formulas can use them. The note stands in a third column.
 */
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { runAnalysis } from "../../analysis/index.js";
import { sampleWorkbook } from "../../analysis/sample.js";
import { writeAnalysisXlsx } from "../../analysis/node/xlsx-write.js";
import { NUMBER_FORMATS, type WorkbookOutput } from "../../analysis/workbook.js";
import { ExcelPort } from "../../addin/excel-adapter.js";
import { FakeExcel, FakeWorkbook } from "../../addin/fake-excel.js";
import { t } from "../../analysis/messages/index.js";

const run = runAnalysis(sampleWorkbook(), { lang: "en" });
const pareto = run.output.sheets.find((s) => s.key === "pareto")!;
const output: WorkbookOutput = { lang: "en", columns: [], sheets: [pareto] };
const p = run.analysis.pareto;
const expected: [string, number, string][] = [
  [t("en", "pareto.kpi.top20"), p.top20Share, NUMBER_FORMATS.pct],
  [t("en", "pareto.kpi.for80"), p.customersFor80, NUMBER_FORMATS.pct],
  [t("en", "pareto.kpi.gini"), p.gini, NUMBER_FORMATS.ratio],
  [t("en", "pareto.kpi.total"), p.total, NUMBER_FORMATS.money],
  [t("en", "pareto.kpi.excluded"), p.nonPositive, NUMBER_FORMATS.int],
];

describe("the Pareto figures are numbers with number formats", () => {
  it("in analysis.xlsx (read back with exceljs)", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(
      (await writeAnalysisXlsx({ input: null, output })) as unknown as ArrayBuffer,
    );
    const ws = wb.getWorksheet("Pareto")!;
    const byLabel = new Map<string, ExcelJS.Cell>();
    for (let r = 1; r <= 12; r++) byLabel.set(String(ws.getCell(r, 1).value), ws.getCell(r, 2));
    for (const [label, value, fmt] of expected) {
      const cell = byLabel.get(label)!;
      expect(cell, label).toBeDefined();
      expect(typeof cell.value, label).toBe("number");
      expect(cell.value as number, label).toBeCloseTo(value, 9);
      expect(cell.numFmt, label).toBe(fmt);
    }
    // the note of "customers for 80%" beside its value, not inside it
    const for80 = [...byLabel.entries()].find(([l]) => l === expected[1][0])!;
    expect(ws.getCell(Number(for80[1].row), 3).value).toBe(
      t("en", { key: "pareto.kpi.for80.note", params: { n: p.countFor80, of: p.customers } }),
    );
  });

  it("in the add-in's sheet (read back from the in-memory workbook)", async () => {
    const book = new FakeWorkbook();
    book.put("Orders", "A1", [["x"]]);
    await new ExcelPort(new FakeExcel(book)).write(output, { dateSystem: "1900" });
    const sheet = book.sheet("Pareto");
    const byLabel = new Map<string, number>();
    for (let r = 0; r < 12; r++) {
      const c = book.cell(sheet, r, 0);
      if (c?.value !== undefined) byLabel.set(String(c.value), r);
    }
    for (const [label, value, fmt] of expected) {
      const r = byLabel.get(label)!;
      expect(r, label).toBeDefined();
      const cell = book.cell(sheet, r, 1)!;
      expect(typeof cell.value, label).toBe("number");
      expect(cell.value as number, label).toBeCloseTo(value, 9);
      expect(cell.numberFormat, label).toBe(fmt);
    }
  });
});
