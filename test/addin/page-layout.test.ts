/**
 * The add-in's owned sheets as they print and read (issue 18 §6, §8): fit to one page wide with
 * a print area and repeated header rows where Excel has Worksheet.pageLayout (ExcelApi 1.9),
 * nothing of it (and no failure) before; long text held to a column width and wrapped; heat
 * maps left as their colour-scaled tables (no native chart for a picture-only chart). And the
 * in-memory workbook refuses page setups Excel refuses.
 */
import { describe, expect, it } from "vitest";
import { runAnalysis } from "../../analysis/index.js";
import { sampleWorkbook } from "../../analysis/sample.js";
import type { WorkbookOutput } from "../../analysis/workbook.js";
import { ExcelPort } from "../../addin/excel-adapter.js";
import { FakeExcel, FakeWorkbook } from "../../addin/fake-excel.js";

const run = runAnalysis(sampleWorkbook(), { lang: "en" });
const output: WorkbookOutput = { lang: "en", columns: [], sheets: run.output.sheets };

async function written(excelApi?: string): Promise<FakeWorkbook> {
  const book = new FakeWorkbook();
  book.put("Orders", "A1", [["x"]]);
  await new ExcelPort(new FakeExcel(book, excelApi ? { excelApi } : {})).write(output, {
    dateSystem: "1900",
  });
  return book;
}

describe("the add-in's owned sheets print and read", () => {
  it("sets each sheet fit to one page wide, with print area and repeated header rows (1.9)", async () => {
    const book = await written();
    for (const s of output.sheets) {
      const layout = book.sheet(s.name).pageLayout!;
      expect(layout, s.name).toBeDefined();
      expect(layout.zoom, s.name).toEqual({ horizontalFitToPages: 1, verticalFitToPages: 0 });
      expect(layout.printArea, s.name).toMatch(/^A1:[A-Z]+\d+$/);
    }
    const analysis = book.sheet("Analysis").pageLayout!;
    expect(analysis.orientation).toBe("Landscape");
    expect(analysis.printTitleRows).toBe("$1:$1");
    expect(book.sheet("Data issues").pageLayout!.orientation).toBe("Portrait");
  });

  it("writes without print setup where ExcelApi 1.9 is missing", async () => {
    const book = await written("1.8");
    for (const s of output.sheets) expect(book.sheet(s.name).pageLayout, s.name).toBeUndefined();
  });

  it("holds columns of long text to 30 characters and wraps them", async () => {
    const book = await written();
    const analysis = book.sheet("Analysis");
    const widths = Object.values(analysis.columnWidths ?? {});
    expect(widths.length).toBeGreaterThan(0);
    for (const w of widths) expect(w).toBeCloseTo((30 * 7 + 5) * 0.75, 5);
    // a stage reason longer than that wraps
    let wrapped = 0;
    for (const row of analysis.cells.values())
      for (const c of row.values())
        if (c.wrap && typeof c.value === "string" && c.value.length > 30) wrapped++;
    expect(wrapped).toBeGreaterThan(0);
  });

  it("draws native charts for all but the picture-only heat maps", async () => {
    const book = await written();
    for (const s of output.sheets) {
      const native = s.charts.filter((c) => !c.picture).length;
      expect(book.sheet(s.name).charts.length, s.name).toBe(native);
    }
    expect(output.sheets.find((s) => s.key === "pareto")!.charts.length).toBeGreaterThanOrEqual(3);
  });
});

describe("the in-memory workbook's page layout is as strict as Excel's", () => {
  const failing = async (f: (l: Excel.PageLayout) => void) => {
    const book = new FakeWorkbook();
    book.addSheet("S");
    return new FakeExcel(book).run(async (ctx) => {
      f(ctx.workbook.worksheets.getItem("S").pageLayout);
      await ctx.sync();
    });
  };
  it("rejects a scale outside 10–400, fractional pages, bad orientation and title rows", async () => {
    await expect(failing((l) => (l.zoom = { scale: 5 }))).rejects.toThrow(/between 10 and 400/);
    await expect(failing((l) => (l.zoom = { horizontalFitToPages: 1.5 }))).rejects.toThrow(
      /whole numbers/,
    );
    await expect(
      failing((l) => (l.orientation = "Sideways" as Excel.PageOrientation)),
    ).rejects.toThrow(/orientation/);
    await expect(failing((l) => l.setPrintTitleRows("A1:B2"))).rejects.toThrow(/whole rows/);
  });
  it("is not there before ExcelApi 1.9", async () => {
    const book = new FakeWorkbook();
    book.addSheet("S");
    await expect(
      new FakeExcel(book, { excelApi: "1.8" }).run(async (ctx) => {
        void ctx.workbook.worksheets.getItem("S").pageLayout;
        await ctx.sync();
      }),
    ).rejects.toThrow(/ExcelApi 1.9/);
  });
});
