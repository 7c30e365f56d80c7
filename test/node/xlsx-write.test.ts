import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import {
  displayWidth,
  writeAnalysisXlsx,
  type CustomersTableRef,
} from "../../analysis/node/xlsx-write.js";
import type { ColumnOutput, SheetModel, WorkbookOutput } from "../../analysis/workbook.js";
import { ZipWriter, entryData, zipEntries } from "../../analysis/node/zip.js";

const DAY_2024_03_05 = 19787;
const CUSTOMERS: CustomersTableRef = { sheet: "客户", headerRow: 1, firstColumn: 1, rowCount: 3 };

async function userWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const notes = wb.addWorksheet("Notes");
  notes.getCell("A1").value = "Total";
  notes.getCell("B1").value = 42;
  notes.getCell("B1").numFmt = "0.00";
  notes.getCell("B1").font = { bold: true, color: { argb: "FFFF0000" } };
  notes.getCell("B1").fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFFF00" } };
  notes.getCell("C1").value = { formula: "B1*2", result: 84 };
  notes.getCell("D1").value = new Date(Date.UTC(2024, 0, 2));
  notes.getCell("D1").numFmt = "dd/mm/yyyy";
  notes.mergeCells("A3:C3");
  notes.getCell("A3").value = "merged";

  const ws = wb.addWorksheet("客户");
  ws.addTable({
    name: "Customers",
    ref: "A1",
    headerRow: true,
    style: { theme: "TableStyleMedium2", showRowStripes: true },
    columns: [
      { name: "客户编号", filterButton: true },
      { name: "客户名称", filterButton: true },
    ],
    rows: [
      ["C001", "华东贸易"],
      ["C002", "<script>alert(1)</script>"],
      ["C003", "Acme"],
    ],
  });
  ws.getCell("B2").font = { italic: true };
  ws.getCell("A6").value = { formula: "COUNTA(Customers[客户编号])", result: 3 };
  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}

function columns(lang: "zh" | "en"): ColumnOutput[] {
  const zh = lang === "zh";
  return [
    {
      key: "stage",
      header: zh ? "阶段" : "Stage",
      format: "text",
      values: zh ? ["成长期", "衰退期", null] : ["Growth", "Decline", null],
      colours: [
        { equals: zh ? "成长期" : "Growth", health: "green" },
        { equals: zh ? "衰退期" : "Decline", health: "red" },
      ],
      validation: zh ? ["潜在期", "成长期", "衰退期"] : ["Potential", "Growth", "Decline"],
    },
    {
      key: "pAlive",
      header: zh ? "存活概率" : "P(alive)",
      format: "pct",
      values: [0.9, 0.12, null],
    },
    {
      key: "nextContact",
      header: zh ? "下次联系" : "Next contact",
      format: "date",
      values: [DAY_2024_03_05, DAY_2024_03_05 + 7, null],
    },
  ];
}

function sheets(lang: "zh" | "en", settingsValue = "2024-03-05"): SheetModel[] {
  const zh = lang === "zh";
  return [
    {
      key: "lifecycle",
      name: zh ? "生命周期" : "Lifecycle",
      freezeRows: 2,
      blocks: [
        {
          id: "stages",
          title: zh ? "各阶段客户" : "Customers by stage",
          anchor: { row: 0, col: 0 },
          columns: [
            { header: zh ? "阶段" : "Stage", format: "text" },
            { header: zh ? "客户数" : "Customers", format: "int" },
            { header: zh ? "占比" : "Share", format: "pct" },
            { header: zh ? "销售额" : "Revenue", format: "money" },
          ],
          rows: [
            [zh ? "成长期" : "Growth", 2, 0.5, 12345.6],
            [zh ? "衰退期" : "Decline", 2, 0.5, 800],
          ],
          colours: [
            { column: 0, equals: zh ? "成长期" : "Growth", health: "green" },
            { column: 0, equals: zh ? "衰退期" : "Decline", health: "red" },
          ],
        },
      ],
      charts: [
        {
          id: "stageBar",
          kind: "bar",
          title: zh ? "各阶段客户" : "Customers by stage",
          block: "stages",
          category: 0,
          values: [1],
          anchor: { row: 0, col: 6 },
          size: { rows: 12, cols: 6 },
          vegaLite: {
            data: {
              values: [
                { s: zh ? "成长期" : "Growth", n: 2 },
                { s: zh ? "衰退期" : "Decline", n: 2 },
              ],
            },
            mark: "bar",
            encoding: {
              x: { field: "s", type: "nominal" },
              y: { field: "n", type: "quantitative" },
            },
          },
        },
      ],
    },
    {
      key: "rfm",
      name: "RFM",
      freezeRows: 1,
      blocks: [
        {
          id: "heat",
          title: null,
          anchor: { row: 0, col: 0 },
          columns: [
            { header: "R", format: "text" },
            { header: "F1", format: "int" },
            { header: "F2", format: "int" },
          ],
          rows: [
            ["R1", 1, 5],
            ["R2", 7, 3],
          ],
          colourScale: true,
          validation: { column: 0, list: ["R1", "R2"] },
        },
      ],
      charts: [],
    },
    {
      key: "settings",
      name: zh ? "设置" : "Settings",
      freezeRows: 1,
      blocks: [
        {
          id: "settings",
          title: null,
          anchor: { row: 0, col: 0 },
          columns: [
            { header: zh ? "参数" : "Setting", format: "text" },
            { header: zh ? "值" : "Value", format: "text" },
          ],
          rows: [[zh ? "截止日期" : "As of", settingsValue]],
        },
      ],
      charts: [],
    },
  ];
}

function output(lang: "zh" | "en"): WorkbookOutput {
  return { lang, columns: columns(lang), sheets: sheets(lang) };
}

/**
 * `edited` with the custom XML parts of `from` put back: Excel keeps them when it saves, exceljs
 * (used here to play the user's edit) drops them.
 */
async function withCustomXml(edited: Buffer, from: Buffer): Promise<Buffer> {
  const out = new ZipWriter();
  for (const e of zipEntries(edited)) out.copy(edited, e);
  for (const e of zipEntries(from))
    if (e.name.startsWith("customXml/")) await out.add(e.name, entryData(from, e));
  return out.finish();
}

async function read(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

/** Values and styles of every cell of a sheet inside a range, as plain data. */
function snapshot(ws: ExcelJS.Worksheet, rows: number, cols: number): unknown[] {
  const out: unknown[] = [];
  for (let r = 1; r <= rows; r++) {
    for (let c = 1; c <= cols; c++) {
      const cell = ws.getCell(r, c);
      out.push({
        at: cell.address,
        value: cell.value,
        formula: cell.formula ?? null,
        style: JSON.parse(JSON.stringify(cell.style)),
      });
    }
  }
  return out;
}

function headerCount(ws: ExcelJS.Worksheet, names: string[]): number {
  let n = 0;
  ws.getRow(1).eachCell((cell) => {
    if (names.includes(String(cell.value))) n++;
  });
  return n;
}

describe("writeAnalysisXlsx", async () => {
  const input = await userWorkbook();
  const before = await read(input);
  const first = await writeAnalysisXlsx({ input, output: output("zh"), customersTable: CUSTOMERS });
  const once = await read(first);
  // The user edits the Settings sheet, then runs again in English.
  once.getWorksheet("设置")!.getCell("B2").value = "2024-06-30";
  const edited = await withCustomXml(
    Buffer.from((await once.xlsx.writeBuffer()) as ArrayBuffer),
    first,
  );
  const second = await writeAnalysisXlsx({
    input: edited,
    output: output("en"),
    customersTable: CUSTOMERS,
  });
  const twice = await read(second);
  const again = await read(first);

  it("leaves user sheets and cells as they were", () => {
    for (const wb of [again, twice]) {
      expect(snapshot(wb.getWorksheet("Notes")!, 4, 5)).toEqual(
        snapshot(before.getWorksheet("Notes")!, 4, 5),
      );
      expect(snapshot(wb.getWorksheet("客户")!, 6, 2)).toEqual(
        snapshot(before.getWorksheet("客户")!, 6, 2),
      );
      const notes = wb.getWorksheet("Notes")!;
      expect(notes.getCell("B1").value).toBe(42);
      expect(notes.getCell("B1").numFmt).toBe("0.00");
      expect(notes.getCell("B1").font.bold).toBe(true);
      expect(notes.getCell("C1").formula).toBe("B1*2");
      expect(notes.getCell("A3").isMerged).toBe(true);
      expect(wb.getWorksheet("客户")!.getCell("A6").formula).toBe("COUNTA(Customers[客户编号])");
    }
  });

  it("appends the owned columns right of the Customers table, with values and formats", () => {
    const ws = again.getWorksheet("客户")!;
    expect(["C1", "D1", "E1"].map((a) => ws.getCell(a).value)).toEqual([
      "阶段",
      "存活概率",
      "下次联系",
    ]);
    expect(ws.getCell("C3").value).toBe("衰退期");
    expect(ws.getCell("D2").value).toBe(0.9);
    expect(ws.getCell("D2").numFmt).toBe("0.0%");
    expect(ws.getCell("C4").value).toBeNull();
  });

  it("writes dates as real Excel dates", () => {
    const cell = again.getWorksheet("客户")!.getCell("E2");
    expect(cell.value).toBeInstanceOf(Date);
    expect((cell.value as Date).toISOString()).toBe("2024-03-05T00:00:00.000Z");
    expect(cell.numFmt).toBe("yyyy-mm-dd");
  });

  it("updates owned columns in place on a second run, in the new language, never twice", () => {
    const ws = twice.getWorksheet("客户")!;
    expect(["C1", "D1", "E1", "F1"].map((a) => ws.getCell(a).value)).toEqual([
      "Stage",
      "P(alive)",
      "Next contact",
      null,
    ]);
    expect(headerCount(ws, ["阶段", "Stage"])).toBe(1);
    expect(headerCount(ws, ["存活概率", "P(alive)"])).toBe(1);
    expect(ws.getCell("C3").value).toBe("Decline");
  });

  it("extends the Excel table to cover the owned columns", () => {
    for (const [wb, names] of [
      [again, ["客户编号", "客户名称", "阶段", "存活概率", "下次联系"]],
      [twice, ["客户编号", "客户名称", "Stage", "P(alive)", "Next contact"]],
    ] as const) {
      const table = (
        wb.getWorksheet("客户")!.getTables()[0] as unknown as {
          table: { tableRef: string; columns: { name: string; filterButton?: boolean }[] };
        }
      ).table;
      expect(table.tableRef).toBe("A1:E4");
      expect(table.columns.map((c) => c.name)).toEqual(names);
      expect(table.columns.every((c) => c.filterButton === true)).toBe(true);
    }
  });

  it("colours and validates the owned columns once, however often it runs", () => {
    const ws = twice.getWorksheet("客户")! as unknown as {
      conditionalFormattings: {
        ref: string;
        rules: { formulae: string[]; style: { fill: { bgColor: { argb: string } } } }[];
      }[];
      dataValidations: { model: Record<string, { type: string; formulae: string[] } | undefined> };
    };
    const onStage = ws.conditionalFormattings.filter((cf) => cf.ref.startsWith("C"));
    expect(onStage).toHaveLength(1);
    expect(onStage[0].ref).toBe("C2:C4");
    expect(onStage[0].rules.map((r) => [r.formulae[0], r.style.fill.bgColor.argb])).toEqual([
      ['"Growth"', "FFC6EFCE"],
      ['"Decline"', "FFFFC7CE"],
    ]);
    const dv = Object.entries(ws.dataValidations.model).filter(([, v]) => v);
    expect(dv.map(([k]) => k).sort()).toEqual(["C2", "C3", "C4"]);
    expect(dv[0][1]!.formulae[0]).toBe('"Potential,Growth,Decline"');
  });

  it("replaces owned sheets (found by either-language name) at the end, in model order", () => {
    expect(again.worksheets.map((w) => w.name)).toEqual([
      "Notes",
      "客户",
      "生命周期",
      "RFM",
      "设置",
    ]);
    expect(twice.worksheets.map((w) => w.name)).toEqual([
      "Notes",
      "客户",
      "设置",
      "Lifecycle",
      "RFM",
    ]);
  });

  it("creates the Settings sheet only when there is none", () => {
    expect(twice.getWorksheet("Settings")).toBeUndefined();
    expect(twice.getWorksheet("设置")!.getCell("B2").value).toBe("2024-06-30");
  });

  it("writes blocks with title, styled header, number formats and frozen rows", () => {
    const ws = again.getWorksheet("生命周期")!;
    expect(ws.getCell("A1").value).toBe("各阶段客户");
    expect(ws.getCell("A1").font.bold).toBe(true);
    expect(ws.getCell("B2").value).toBe("客户数");
    expect(ws.getCell("B2").font.bold).toBe(true);
    expect(ws.getCell("D3").value).toBe(12345.6);
    expect(ws.getCell("D3").numFmt).toBe("#,##0.00");
    expect(ws.getCell("C3").numFmt).toBe("0.0%");
    expect(ws.getCell("B3").numFmt).toBe("#,##0");
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 2 });
  });

  it("sizes columns counting Chinese characters double", () => {
    // "存活概率": 4 characters, 8 columns wide, plus 2 of padding (values "90.0%" are narrower).
    const ws = again.getWorksheet("客户")!;
    expect(ws.getColumn(4).width).toBe(10);
    // "下次联系" (8) is narrower than a yyyy-mm-dd date (10), plus 2.
    expect(ws.getColumn(5).width).toBe(12);
  });

  it("adds health colours and a three-colour scale as conditional formatting", () => {
    const life = again.getWorksheet("生命周期")! as unknown as {
      conditionalFormattings: {
        ref: string;
        rules: { type: string; style?: { fill: { bgColor: { argb: string } } } }[];
      }[];
    };
    expect(life.conditionalFormattings.map((c) => c.ref)).toEqual(["A3:A4"]);
    expect(life.conditionalFormattings[0].rules.map((r) => r.style?.fill.bgColor.argb)).toEqual([
      "FFC6EFCE",
      "FFFFC7CE",
    ]);
    const rfm = again.getWorksheet("RFM")! as unknown as {
      conditionalFormattings: { ref: string; rules: { type: string; cfvo: unknown[] }[] }[];
      dataValidations: { model: Record<string, unknown> };
    };
    expect(rfm.conditionalFormattings).toHaveLength(1);
    expect(rfm.conditionalFormattings[0].ref).toBe("B2:C3");
    expect(rfm.conditionalFormattings[0].rules[0].type).toBe("colorScale");
    // one hue, white to blue (issue 18 §5: red–yellow–green made the largest count look healthy)
    const rule = rfm.conditionalFormattings[0].rules[0] as unknown as {
      cfvo: unknown[];
      color: { argb: string }[];
    };
    expect(rule.cfvo).toHaveLength(2);
    expect(rule.color.map((c) => c.argb)).toEqual(["FFFFFFFF", "FF5B8FC9"]);
    expect(Object.keys(rfm.dataValidations.model).sort()).toEqual(["A2", "A3"]);
  });

  it("places each chart as a PNG image at its anchor", () => {
    const images = again.getWorksheet("生命周期")!.getImages();
    expect(images).toHaveLength(1);
    expect(images[0].range.tl.nativeCol).toBe(6);
    expect(images[0].range.tl.nativeRow).toBe(0);
    const media = again.getImage(Number(images[0].imageId));
    expect(media.extension).toBe("png");
    expect(
      Buffer.from(media.buffer as ArrayBuffer)
        .subarray(1, 4)
        .toString(),
    ).toBe("PNG");
    expect(twice.getWorksheet("Lifecycle")!.getImages()).toHaveLength(1);
  });

  it("writes only the owned sheets for CSV input", async () => {
    const wb = await read(await writeAnalysisXlsx({ input: null, output: output("zh") }));
    expect(wb.worksheets.map((w) => w.name)).toEqual(["生命周期", "RFM", "设置"]);
  });

  it("never overwrites a user column standing right of the table", async () => {
    const wb = await read(input);
    wb.getWorksheet("客户")!.getCell("C3").value = "user note";
    const buf = Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    const ws = (
      await read(
        await writeAnalysisXlsx({ input: buf, output: output("zh"), customersTable: CUSTOMERS }),
      )
    ).getWorksheet("客户")!;
    expect(ws.getCell("C3").value).toBe("user note");
    expect(["D1", "E1", "F1"].map((a) => ws.getCell(a).value)).toEqual([
      "阶段",
      "存活概率",
      "下次联系",
    ]);
  });

  it("rejects owned columns whose length does not match the table", async () => {
    const bad: WorkbookOutput = {
      ...output("zh"),
      columns: [{ ...columns("zh")[1], values: [1] }],
    };
    await expect(
      writeAnalysisXlsx({ input, output: bad, customersTable: CUSTOMERS }),
    ).rejects.toThrow(/1 values for 3 rows/);
  });
});

describe("displayWidth", () => {
  it("counts CJK characters twice", () => {
    expect(displayWidth("客户ab")).toBe(6);
    expect(displayWidth("")).toBe(0);
  });
});
