/**
 * The owned sheets of analysis.xlsx, streamed into the package: Excel's limits (1,048,576 rows
 * a sheet, 32,767 characters a cell), text Excel cannot hold in XML, the 1904 date system.
 */
import ExcelJS from "exceljs";
import { describe, expect, it, vi } from "vitest";
import { writeAnalysisXlsx, writeAnalysisXlsxTo } from "../../analysis/node/xlsx-write.js";
import { EXCEL_MAX_ROWS, xmlText } from "../../analysis/node/xlsx-sheets.js";
import { entryData, zipEntries } from "../../analysis/node/zip.js";
import type { SheetModel, WorkbookOutput } from "../../analysis/workbook.js";
import { issuesSheet } from "../../analysis/output/issues.js";

// exceljs reads of large workbooks take seconds on a busy machine
vi.setConfig({ testTimeout: 60_000 });

function sheet(
  rows: (string | number | null)[][],
  key: SheetModel["key"] = "analysis",
): SheetModel {
  return {
    key,
    name: key === "analysis" ? "Analysis" : "Follow-ups",
    freezeRows: 1,
    blocks: [
      {
        id: "b",
        title: null,
        anchor: { row: 0, col: 0 },
        columns: [
          { header: "Customer", format: "text" },
          { header: "Next contact", format: "date" },
        ],
        rows,
      },
    ],
    charts: [],
  };
}

const output = (sheets: SheetModel[]): WorkbookOutput => ({ lang: "en", columns: [], sheets });

async function read(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as never);
  return wb;
}

function part(buf: Buffer, name: string): string {
  const e = zipEntries(buf).find((x) => x.name === name);
  if (!e) throw new Error(`no ${name}`);
  return entryData(buf, e, 2 ** 30).toString("utf8");
}

describe("owned sheets at Excel's limits", () => {
  it("cuts a block at row 1,048,576, says so on the sheet and warns", async () => {
    const total = EXCEL_MAX_ROWS + 3; // header + rows: 4 rows past the last one
    const rows = Array.from({ length: total }, (_, i) => [`K${i}`, null]);
    const warnings: string[] = [];
    const buf = await writeAnalysisXlsx({
      output: output([sheet(rows)]),
      warn: (l) => warnings.push(l),
    });
    const xml = part(buf, "xl/worksheets/sheet1.xml");
    expect(xml).toContain(`<row r="${EXCEL_MAX_ROWS}"><c r="A${EXCEL_MAX_ROWS}"`);
    expect(xml).not.toContain(`<row r="${EXCEL_MAX_ROWS + 1}"`);
    expect(xml).toContain(`>K${EXCEL_MAX_ROWS - 2}</t>`);
    expect(xml).not.toContain(`>K${EXCEL_MAX_ROWS - 1}</t>`);
    // the note stands right of the header
    expect(xml).toMatch(
      /<c r="C1" s="\d+" t="inlineStr"><is><t>Only the first 1,048,575 of 1,048,579 rows are on this sheet: Excel holds at most 1,048,576 rows in a sheet. Every row is in customers.csv.<\/t>/,
    );
    expect(warnings).toEqual([
      "Sheet “Analysis” of analysis.xlsx shows the first 1,048,575 of 1,048,579 rows (Excel's limit is 1,048,576 rows); every row is in customers.csv.",
    ]);
  }, 120_000);

  it("shortens text past 32,767 characters and lists it on Data issues", async () => {
    const long = "名".repeat(40_000);
    const warnings: string[] = [];
    const buf = await writeAnalysisXlsx({
      output: output([
        sheet([
          ["K1", null],
          [long, 19787],
        ]),
        issuesSheet([], "en"),
      ]),
      warn: (l) => warnings.push(l),
    });
    const wb = await read(buf);
    const ws = wb.getWorksheet("Analysis")!;
    expect(String(ws.getCell("A3").value)).toHaveLength(32_767);
    expect((ws.getCell("B3").value as Date).toISOString()).toBe("2024-03-05T00:00:00.000Z");
    const issues = wb.getWorksheet("Data issues")!;
    expect(issues.getRow(2).values).toEqual([
      undefined,
      "Analysis",
      3,
      "Customer",
      `${"名".repeat(60)}…`,
      "Sheet “Analysis”, cell A3: the text has 40,000 characters; Excel holds at most 32,767 in a cell, so it was shortened to 32,767",
    ]);
    // the "no data issues" line went
    expect(issues.rowCount).toBe(2);
    expect(warnings).toHaveLength(1);
  });

  it("never cuts a surrogate pair in two", async () => {
    const long = "😀".repeat(20_000); // character 32,767 would be the first half of a pair
    const buf = await writeAnalysisXlsx({ output: output([sheet([[long, null]])]) });
    const v = String((await read(buf)).getWorksheet("Analysis")!.getCell("A2").value);
    expect(v.length).toBe(32_766);
    expect(v.endsWith("😀")).toBe(true);
  });
});

describe("streaming", () => {
  it("hands the package on in pieces as it is made, the same parts as in memory", async () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => [
      `K${i} ${"x".repeat(i % 50)}`,
      19_000 + (i % 900),
    ]);
    const out = output([sheet(rows)]);
    const pieces: Buffer[] = [];
    await writeAnalysisXlsxTo(async (b) => void pieces.push(Buffer.from(b)), { output: out });
    const whole = await writeAnalysisXlsx({ output: out });
    const streamed = Buffer.concat(pieces);
    // the same parts (core.xml holds exceljs's time of writing, so whole bytes differ)
    const parts = (b: Buffer) => zipEntries(b).map((e) => [e.name, e.size, e.crc]);
    expect(parts(streamed).filter(([n]) => n !== "docProps/core.xml")).toEqual(
      parts(whole).filter(([n]) => n !== "docProps/core.xml"),
    );
    // about a megabyte at a time, never the whole package at once
    expect(pieces.length).toBeGreaterThanOrEqual(3);
    for (const p of pieces) expect(p.length).toBeLessThan(1.2 * 2 ** 20);
    const ws = (await read(streamed)).getWorksheet("Analysis")!;
    expect(ws.rowCount).toBe(200_001);
    expect(ws.getCell("A200001").value).toBe(`K199999 ${"x".repeat(199_999 % 50)}`);
  }, 60_000);
});

describe("sheet names", () => {
  it("keeps a user's sheet whose name differs from an owned one only in case; ours goes beside it", async () => {
    const user = new ExcelJS.Workbook();
    user.addWorksheet("Notes").getCell("A1").value = "hi";
    user.addWorksheet("ANALYSIS").getCell("A1").value = "my own results";
    const input = Buffer.from((await user.xlsx.writeBuffer()) as ArrayBuffer);
    const buf = await writeAnalysisXlsx({ input, output: output([sheet([["K1", null]])]) });
    const wb = await read(buf);
    // Excel's names are unique regardless of case: ours cannot be "Analysis" beside "ANALYSIS"
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Notes", "ANALYSIS", "Analysis (2)"]);
    expect(wb.getWorksheet("ANALYSIS")!.getCell("A1").value).toBe("my own results");
  });
});

describe("text and dates", () => {
  it("writes control characters as Excel does and keeps the XML well formed", async () => {
    expect(xmlText('a\u0001b<&>"')).toBe("a_x0001_b&lt;&amp;&gt;&quot;");
    expect(xmlText("_x0041_")).toBe("_x005F_x0041_");
    expect(xmlText("\ud800x")).toBe("\ufffdx");
    const buf = await writeAnalysisXlsx({
      output: output([
        sheet([
          ["bell\u0007 <b>&amp;", null],
          ["  padded  ", null],
        ]),
      ]),
    });
    const ws = (await read(buf)).getWorksheet("Analysis")!;
    expect(String(ws.getCell("A2").value)).toContain("<b>&amp;");
    expect(ws.getCell("A3").value).toBe("  padded  ");
  });

  it("writes dates in the input workbook's 1904 date system", async () => {
    const user = new ExcelJS.Workbook();
    user.properties.date1904 = true;
    user.addWorksheet("Notes").getCell("A1").value = "hi";
    const input = Buffer.from((await user.xlsx.writeBuffer()) as ArrayBuffer);
    const buf = await writeAnalysisXlsx({ input, output: output([sheet([["K1", 19787]])]) });
    expect(part(buf, "xl/worksheets/sheet2.xml")).toContain(`<v>${19787 + 25569 - 1462}</v>`);
    const wb = await read(buf);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Notes", "Analysis"]);
    expect((wb.getWorksheet("Analysis")!.getCell("B2").value as Date).toISOString()).toBe(
      "2024-03-05T00:00:00.000Z",
    );
  });
});
