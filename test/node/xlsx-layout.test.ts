/**
 * The owned sheets as a manager reads and prints them (issue 18 §6, §8): every chart of the
 * report is on its sheet; columns are held to a readable width (long text wraps); charts sit
 * at the top, beside their tables, not 1,400–2,000 px to the right; each sheet prints fit to
 * one page wide, with a print area and its frozen header rows repeated.
 */
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { runAnalysis } from "../../analysis/index.js";
import { sampleWorkbook } from "../../analysis/sample.js";
import { writeAnalysisXlsx } from "../../analysis/node/xlsx-write.js";
import { MAX_COLUMN_WIDTH, columnPixels } from "../../analysis/node/xlsx-sheets.js";
import { OWNED_SHEETS } from "../../analysis/workbook.js";

const run = runAnalysis(sampleWorkbook(), { lang: "en" });
const owned = new Set<string>(Object.values(OWNED_SHEETS).map((n) => n.en));

describe("charts and layout of analysis.xlsx's owned sheets", async () => {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(
    (await writeAnalysisXlsx({ input: null, output: run.output })) as unknown as ArrayBuffer,
  );
  const sheets = wb.worksheets.filter((ws) => owned.has(ws.name));
  const left = (ws: ExcelJS.Worksheet, col: number) => {
    let x = 0;
    for (let c = 1; c <= col; c++) {
      const w = ws.getColumn(c).width;
      x += w === undefined ? 64 : columnPixels(w);
    }
    return x;
  };

  it("carries every chart of the report on its sheet, each drawn as a picture", () => {
    const specs = new Set(
      run.output.sheets.flatMap((s) => s.charts.map((c) => JSON.stringify(c.vegaLite))),
    );
    const figures = run.report.sections.flatMap((s) =>
      s.items.flatMap((it) => (it.kind === "figure" ? [[s.id, it.title, it.spec] as const] : [])),
    );
    expect(figures.length).toBeGreaterThanOrEqual(16);
    for (const [section, title, spec] of figures)
      expect(specs.has(JSON.stringify(spec)), `${section}: ${title}`).toBe(true);
    const charts = run.output.sheets.reduce((n, s) => n + s.charts.length, 0);
    const images = sheets.reduce((n, ws) => n + ws.getImages().length, 0);
    expect(images).toBe(charts);
  });

  it("holds every column to the cap, wrapping longer text", () => {
    for (const ws of sheets)
      for (let c = 1; c <= ws.columnCount; c++)
        expect(ws.getColumn(c).width ?? 0, `${ws.name} column ${c}`).toBeLessThanOrEqual(
          MAX_COLUMN_WIDTH,
        );
    // a long stage reason on Analysis wraps
    const analysis = wb.getWorksheet("Analysis")!;
    let wrapped = 0;
    analysis.eachRow((row) =>
      row.eachCell((cell) => {
        if (cell.alignment?.wrapText) wrapped++;
      }),
    );
    expect(wrapped).toBeGreaterThan(0);
  });

  it("anchors charts near the left, beside their tables; the Pareto chart at the top", () => {
    // Lifecycle's stage-by-grade chart sits right of a table with a column per stage
    const bound: Record<string, number> = { Lifecycle: 1000 };
    for (const name of ["Pareto", "RFM", "Grades", "CLV", "Lifecycle"]) {
      const ws = wb.getWorksheet(name)!;
      const images = ws.getImages();
      expect(images.length, name).toBeGreaterThan(0);
      for (const im of images)
        expect(
          left(ws, im.range.tl.nativeCol),
          `${name} picture at column ${im.range.tl.nativeCol}`,
        ).toBeLessThanOrEqual(bound[name] ?? 800);
    }
    const pareto = wb.getWorksheet("Pareto")!.getImages()[0];
    expect(pareto.range.tl.nativeRow).toBe(0);
  });

  it("prints each owned sheet fit to one page wide, with a print area and repeated headers", () => {
    for (const ws of sheets) {
      const ps = ws.pageSetup;
      expect(ps.fitToPage, ws.name).toBe(true);
      expect(ps.fitToWidth, ws.name).toBe(1);
      expect(ps.fitToHeight, ws.name).toBe(0);
      expect(ps.printArea, ws.name).toMatch(/^A1:[A-Z]+\d+$/);
    }
    expect(wb.getWorksheet("Analysis")!.pageSetup.orientation).toBe("landscape");
    expect(wb.getWorksheet("Analysis")!.pageSetup.printTitlesRow).toBe("1:1");
    // a narrow sheet prints portrait
    expect(wb.getWorksheet("Data issues")!.pageSetup.orientation).toBe("portrait");
    // the print area covers the Pareto chart
    const pareto = wb.getWorksheet("Pareto")!;
    const lastCol = pareto.pageSetup.printArea!.split(":")[1].replace(/\d+/, "");
    expect(pareto.getColumn(lastCol).number).toBeGreaterThan(
      pareto.getImages()[0].range.tl.nativeCol + 5,
    );
  });
});
