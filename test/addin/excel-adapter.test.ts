import { describe, expect, it } from "vitest";
import { ExcelPort, TEXT_FORMAT, cellValue } from "../../addin/excel-adapter.js";
import { FakeError, FakeExcel, FakeWorkbook, REQUEST_LIMIT_BYTES } from "../../addin/fake-excel.js";
import { AddinError, CancelledError } from "../../addin/workbook-port.js";
import {
  ownedState,
  sampleOutput,
  SERIAL_2024_01_05,
  userCells,
  userWorkbook,
} from "./fixtures.js";

const DAY_2024_01_05 = Math.round(Date.parse("2024-01-05") / 86_400_000);

describe("fake Excel semantics", () => {
  it("throws when a property is read before load + sync, as Excel does", async () => {
    const book = new FakeWorkbook();
    book.put("S", "A1", [[1, 2]]);
    const excel = new FakeExcel(book);
    await excel.run(async (ctx) => {
      const r = ctx.workbook.worksheets.getItem("S").getRange("A1:B1");
      expect(() => r.values).toThrow(/not available/);
      r.load("values");
      expect(() => r.values).toThrow(/not available/);
      await ctx.sync();
      expect(r.values).toEqual([[1, 2]]);
      expect(() => r.address).toThrow(/not available/);
    });
  });

  it("fails a request above 4 MB", async () => {
    const book = new FakeWorkbook();
    book.addSheet("S");
    const excel = new FakeExcel(book);
    const big = Array.from({ length: 50_000 }, () => ["x".repeat(90)]);
    await expect(
      excel.run(async (ctx) => {
        ctx.workbook.worksheets.getItem("S").getRangeByIndexes(0, 0, big.length, 1).values = big;
        await ctx.sync();
      }),
    ).rejects.toThrow(/payload size/);
    expect(excel.stats[0].requestBytes).toBeGreaterThan(REQUEST_LIMIT_BYTES);
  });

  it("writes text that looks like a number as Excel would read it, unless quoted", async () => {
    const book = new FakeWorkbook();
    book.addSheet("S");
    await new FakeExcel(book).run(async (ctx) => {
      ctx.workbook.worksheets.getItem("S").getRange("A1:C1").values = [
        ["00123", cellValue("00123", "text", "1900"), cellValue("=1+1", "text", "1900")],
      ];
      await ctx.sync();
    });
    expect(book.read(book.sheet("S"), { row: 0, col: 0, rows: 1, cols: 3 })).toEqual([
      [123, "00123", "=1+1"],
    ]);
  });
});

describe("ExcelPort.read", () => {
  it("finds the tables by name and reads them as RawTables with sheet positions", async () => {
    const port = new ExcelPort(new FakeExcel(userWorkbook()));
    const { input, found, plainRanges } = await port.read();
    expect(found.map((f) => [f.kind, f.sheet, f.table, f.rows])).toEqual([
      ["customers", "客户", "Customers", 6],
      ["orders", "订单", "Orders", 8],
    ]);
    expect(plainRanges).toEqual([]);
    expect(input.orders!.headerRow).toBe(1);
    expect(input.orders!.rows[0]).toEqual(["SO-1", "C001", SERIAL_2024_01_05, 12000, "电机"]);
    expect(input.customers!.headerRow).toBe(3);
    expect(input.customers!.headers).toEqual([
      "客户编号",
      "客户名称",
      "联系人",
      "区域",
      "客户经理",
      "手动阶段",
      "备注",
    ]);
    expect(input.customers!.rows[1]).toEqual([
      "C002",
      '=HYPERLINK("x")',
      "张敏",
      "华南",
      "李娜",
      null,
      null,
    ]);
    expect(input.interactions).toBeNull();
  });

  it("finds a plain range by its headers and offers to convert it", async () => {
    const book = new FakeWorkbook();
    book.put("Sheet1", "B2", [
      ["Sales export"],
      [null],
      ["Customer ID", "Date", "Amount"],
      ["A", 45296, 10],
      ["B", 45297, 20],
    ]);
    const port = new ExcelPort(new FakeExcel(book));
    const r = await port.read();
    expect(r.found).toEqual([{ kind: "orders", sheet: "Sheet1", table: null, rows: 2 }]);
    expect(r.input.orders!.headerRow).toBe(4);
    expect(r.input.orders!.firstColumn).toBe(2);
    expect(r.plainRanges).toEqual([{ kind: "orders", sheet: "Sheet1", address: "B4:D6" }]);
    const name = await port.convertToTable(r.plainRanges[0]);
    expect(name).toBe("Orders");
    expect(book.tables[0]).toMatchObject({ name: "Orders", row: 3, col: 1, rows: 3, cols: 3 });
  });

  it("drops the owned result columns from the Customers input after a run", async () => {
    const excel = new FakeExcel(userWorkbook());
    const port = new ExcelPort(excel);
    const before = await port.read(); // its headers are pinned by the first test
    await port.write(sampleOutput(), { dateSystem: "1900" });
    const again = await port.read();
    expect(again.input.customers!.headers).toEqual(before.input.customers!.headers);
    expect(again.input.customers!.rows[0]).toHaveLength(7);
  });
});

describe("a user's column with a result column's name", () => {
  it("is read as input before and after a run; only the recorded result columns are left out", async () => {
    const book = userWorkbook();
    book.put("客户", "H3", [["等级"], ["VIP"], ["Std"], ["VIP"], ["Std"], ["Std"], ["VIP"]]);
    book.tables.find((x) => x.name === "Customers")!.cols = 8;
    const port = new ExcelPort(new FakeExcel(book));
    const before = await port.read();
    expect(before.input.customers!.headers.at(-1)).toBe("等级");
    expect(before.input.customers!.rows.map((r) => r.at(-1))).toEqual([
      "VIP",
      "Std",
      "VIP",
      "Std",
      "Std",
      "VIP",
    ]);
    const report = await port.write(sampleOutput(), { dateSystem: "1900" });
    expect(report.columns).toContain("等级（2）");
    const after = await port.read();
    expect(after.input.customers!.headers).toEqual(before.input.customers!.headers);
    expect(after.input.customers!.rows).toEqual(before.input.customers!.rows);
  });
});

describe("a user's table on a sheet with an owned name", () => {
  it("is read as input, and the results go beside the sheet", async () => {
    const book = new FakeWorkbook();
    book.put("Analysis", "A1", [
      ["Customer ID", "Date", "Amount"],
      ["A", 45296, 10],
      ["B", 45297, 20],
    ]);
    book.addTable("Analysis", "A1:C3", "Orders");
    const before = structuredClone(book.snapshot().Analysis);
    const port = new ExcelPort(new FakeExcel(book));
    const r = await port.read();
    expect(r.found).toEqual([{ kind: "orders", sheet: "Analysis", table: "Orders", rows: 2 }]);
    const out = sampleOutput("en");
    out.columns = [];
    const report = await port.write(out, { dateSystem: "1900" });
    expect(report.names?.analysis).toBe("Analysis (2)");
    expect(book.snapshot().Analysis).toEqual(before);
    const again = (await port.read()).found;
    expect(again.filter((f) => f.kind === "orders")).toEqual(r.found);
    expect(again.find((f) => f.kind === "settings")?.sheet).toBe("Settings");
  });
});

describe("ExcelPort.write", () => {
  it("appends the owned columns to the Customers table with values, formats and colours", async () => {
    const book = userWorkbook();
    const port = new ExcelPort(new FakeExcel(book));
    await port.read();
    const report = await port.write(sampleOutput(), { dateSystem: "1900" });
    expect(report.columns).toEqual(["阶段", "阶段原因", "等级", "R", "终身价值", "下次联系"]);
    const t = book.tables.find((x) => x.name === "Customers")!;
    expect(t.cols).toBe(13);
    const sheet = book.sheet("客户");
    const block = book.read(sheet, { row: 2, col: 7, rows: 7, cols: 6 });
    expect(block[0]).toEqual(["阶段", "阶段原因", "等级", "R", "终身价值", "下次联系"]);
    expect(block[1][0]).toBe("成长期");
    // dates become 1900-system serials with a date format
    expect(block[1][5]).toBe(45505); // 2024-08-01
    expect(book.cell(sheet, 3, 12)?.numberFormat).toBe("yyyy-mm-dd");
    // empty stays empty
    expect(block[5][2]).toBeNull();
    // stage colours on the stage column, a drop-down on 手动阶段 (column F)
    const stageRules = sheet.conditionalFormats.filter((f) => f.block.col === 7);
    expect(stageRules).toHaveLength(6);
    expect(stageRules[0]).toMatchObject({
      type: "CellValue",
      rule: { formula1: '="潜在期"', operator: "EqualTo" },
      fill: "#FFEB9C",
    });
    expect(sheet.validations).toEqual([
      {
        block: { row: 3, col: 5, rows: 6, cols: 1 },
        rule: {
          list: { inCellDropDown: true, source: "潜在期,开发期,成长期,成熟期,衰退期,终止期" },
        },
      },
    ]);
  });

  it("uses the 1904 date system when asked", async () => {
    const book = userWorkbook();
    const port = new ExcelPort(new FakeExcel(book));
    await port.read();
    await port.write(sampleOutput(), { dateSystem: "1904" });
    expect(book.cell(book.sheet("客户"), 3, 12)?.value).toBe(45505 - 1462);
    expect(cellValue(DAY_2024_01_05, "date", "1900")).toBe(SERIAL_2024_01_05);
  });

  it("builds the chart sheets: Pareto columns + cumulative line on the secondary axis + 80% line", async () => {
    const book = userWorkbook();
    const port = new ExcelPort(new FakeExcel(book));
    await port.read();
    const report = await port.write(sampleOutput(), { dateSystem: "1900" });
    expect(report.charts).toBe(2);
    const pareto = book.sheet("帕累托");
    expect(book.read(pareto, { row: 0, col: 0, rows: 3, cols: 4 })).toEqual([
      ["帕累托：客户价值集中度", null, null, null],
      ["客户", "价值", "累计占比", "80%"],
      ["北方物流", 70000, 0.729, 0.8],
    ]);
    const [chart] = pareto.charts;
    expect(chart.type).toBe("ColumnClustered");
    expect(chart.title).toBe("帕累托图");
    expect(chart.series.map((s) => [s.name, s.chartType, s.axisGroup])).toEqual([
      ["价值", null, "Primary"],
      ["累计占比", "Line", "Secondary"],
      ["80%", "Line", "Secondary"],
    ]);
    expect(chart.series[0].values).toMatchObject({ row: 2, col: 1, rows: 5, cols: 1 });
    expect(chart.series[0].xValues).toMatchObject({ row: 2, col: 0, rows: 5, cols: 1 });
    expect(chart.axes["Value/Secondary"]).toEqual({ minimum: 0, maximum: 1, numberFormat: "0%" });
    expect(chart.from).toEqual({ row: 1, col: 5, rows: 1, cols: 1 });
    expect(chart.to).toEqual({ row: 18, col: 13, rows: 1, cols: 1 });
    expect(book.sheet("生命周期").charts[0].type).toBe("Funnel");
    expect(book.sheet("RFM").conditionalFormats[0]).toMatchObject({
      type: "ColorScale",
      block: { row: 2, col: 1, rows: 3, cols: 3 },
      // one hue, white to blue: more is only more (issue 18 §5)
      criteria: {
        minimum: { type: "LowestValue", color: "#FFFFFF" },
        maximum: { type: "HighestValue", color: "#5B8FC9" },
      },
    });
    expect(book.sheet("分析").freezeRows).toBe(1);
    expect(book.cell(book.sheet("分析"), 2, 3)).toMatchObject({
      value: 45306,
      numberFormat: "yyyy-mm-dd",
    });
    expect(book.cell(book.sheet("分析"), 6, 0)?.value).toBe("00123");
    expect(book.cell(book.sheet("分析"), 2, 1)).toMatchObject({ value: '=HYPERLINK("x")' });
    expect(book.cell(book.sheet("分析"), 2, 1)?.formula).toBeUndefined();
  });

  it("plots the 80% line from the block's own reference column when it has one", async () => {
    const book = userWorkbook();
    const out = sampleOutput();
    const pareto = out.sheets.find((x) => x.key === "pareto")!;
    pareto.blocks[0].columns.push({ header: "参考线", format: "pct" });
    pareto.blocks[0].rows.forEach((r) => r.push(0.8));
    const port = new ExcelPort(new FakeExcel(book));
    await port.read();
    await port.write(out, { dateSystem: "1900" });
    const sheet = book.sheet("帕累托");
    expect(book.read(sheet, { row: 1, col: 0, rows: 1, cols: 5 })[0]).toEqual([
      "客户",
      "价值",
      "累计占比",
      "参考线",
      null,
    ]);
    expect(sheet.charts[0].series[2]).toMatchObject({
      name: "参考线",
      chartType: "Line",
      axisGroup: "Secondary",
      values: { col: 3, row: 2, rows: 5 },
    });
  });

  it("falls back to bars without funnel charts and never suspends screen updating below ExcelApi 1.9", async () => {
    const book = userWorkbook();
    const excel = new FakeExcel(book, { excelApi: "1.8" });
    const port = new ExcelPort(excel);
    expect(port.support()).toEqual({ funnel: false, screenUpdating: false, pageLayout: false });
    await port.read();
    await port.write(sampleOutput(), { dateSystem: "1900" });
    expect(book.sheet("生命周期").charts[0].type).toBe("BarClustered");
    expect(excel.screenUpdatingSuspensions).toBe(0);
  });

  it("suspends screen updating once per write request on ExcelApi 1.9", async () => {
    const excel = new FakeExcel(userWorkbook());
    const port = new ExcelPort(excel);
    await port.read();
    excel.resetStats();
    await port.write(sampleOutput(), { dateSystem: "1900" });
    expect(excel.screenUpdatingSuspensions).toBeGreaterThan(0);
    expect(excel.screenUpdatingSuspensions).toBeLessThanOrEqual(excel.stats.length);
  });

  it("leaves every user cell alone, twice, and the second run writes the same as the first", async () => {
    const book = userWorkbook();
    const before = userCells(book);
    const port = new ExcelPort(new FakeExcel(book));
    await port.read();
    await port.write(sampleOutput(), { dateSystem: "1900" });
    expect(userCells(book)).toEqual(before);
    const first = structuredClone(ownedState(book));
    await port.read();
    await port.write(sampleOutput("zh", false), { dateSystem: "1900" });
    expect(userCells(book)).toEqual(before);
    expect(ownedState(book)).toEqual(first);
    expect(book.sheets.map((s) => s.name)).toEqual([
      "客户",
      "订单",
      "Notes",
      "汇总",
      "分析",
      "帕累托",
      "RFM",
      "生命周期",
      "设置",
    ]);
  });

  it("creates the Settings sheet once and never overwrites the user's edits", async () => {
    const book = userWorkbook();
    const port = new ExcelPort(new FakeExcel(book));
    await port.read();
    await port.write(sampleOutput(), { dateSystem: "1900" });
    book.put("设置", "B2", [["2024-06-30"]]);
    const r = await port.read();
    expect(r.input.settings!.rows[0]).toEqual([
      "asOf",
      "2024-06-30",
      "截止日期；留空 = 最近一笔订单的日期",
    ]);
    const report = await port.write(sampleOutput(), { dateSystem: "1900" });
    expect(report.kept).toEqual(["设置"]);
    expect(book.cell(book.sheet("设置"), 1, 1)?.value).toBe("2024-06-30");
  });

  it("switching language updates the owned columns and sheets in place, not beside them", async () => {
    const book = userWorkbook();
    const port = new ExcelPort(new FakeExcel(book));
    await port.read();
    await port.write(sampleOutput("zh"), { dateSystem: "1900" });
    await port.read();
    await port.write(sampleOutput("en", false), { dateSystem: "1900" });
    expect(book.tables.find((t) => t.name === "Customers")!.cols).toBe(13);
    expect(book.read(book.sheet("客户"), { row: 2, col: 7, rows: 1, cols: 6 })[0]).toEqual([
      "Stage",
      "Stage reason",
      "Grade",
      "R",
      "CLV",
      "Next contact",
    ]);
    expect(book.sheets.map((s) => s.name)).toEqual([
      "客户",
      "订单",
      "Notes",
      "汇总",
      "Analysis",
      "Pareto",
      "RFM",
      "Lifecycle",
      "设置",
    ]);
    expect(book.sheet("Pareto").charts).toHaveLength(1);
  });

  it("refuses to append result columns over the user's cells and changes nothing", async () => {
    const book = userWorkbook();
    book.put("客户", "J5", [["my note"]]);
    const before = book.snapshot();
    const port = new ExcelPort(new FakeExcel(book));
    await port.read();
    const err = await port.write(sampleOutput(), { dateSystem: "1900" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AddinError);
    expect((err as AddinError).msg).toEqual({
      key: "addin.error.rightNotEmpty",
      params: { table: "Customers", sheet: "客户", cell: "J5" },
    });
    expect(book.snapshot()).toEqual(before);
  });

  it("selects the cell of a data issue by sheet, row and header", async () => {
    const book = userWorkbook();
    const port = new ExcelPort(new FakeExcel(book));
    await port.read();
    await port.select("订单", 4, "日期");
    expect(book.selection).toEqual({ sheet: "订单", address: "C4" });
    await port.select("客户", 5, "区域");
    expect(book.selection).toEqual({ sheet: "客户", address: "D5" });
  });
});

describe("progress and cancel", () => {
  it("reports read progress up to the row count and stops at the next request when cancelled", async () => {
    const book = userWorkbook();
    const port = new ExcelPort(new FakeExcel(book));
    const seen: number[] = [];
    await port.read({ onProgress: (p) => p.phase === "read" && seen.push(p.done) });
    expect(seen[seen.length - 1]).toBe(14);
    const before = userCells(book);
    const ctl = new AbortController();
    let flushes = 0;
    const err = await port
      .write(sampleOutput(), {
        dateSystem: "1900",
        signal: ctl.signal,
        onProgress: () => {
          if (++flushes === 1) ctl.abort(); // Cancel after the first request
        },
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CancelledError);
    expect(flushes).toBe(1);
    expect(userCells(book)).toEqual(before);
  });
});

describe("cancel before writing", () => {
  it("a write cancelled before it starts sends no request at all, loads included", async () => {
    const book = userWorkbook();
    const excel = new FakeExcel(book);
    const port = new ExcelPort(excel);
    await port.read();
    const before = userCells(book);
    const requests = excel.stats.length;
    const ctl = new AbortController();
    ctl.abort();
    const err = await port
      .write(sampleOutput(), { dateSystem: "1900", signal: ctl.signal })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CancelledError);
    expect(excel.stats.length).toBe(requests);
    expect(userCells(book)).toEqual(before);
  });
});

describe("request sizes on a 100,000-row Orders table", () => {
  it("reads in a few requests, none above 4 MB, and writes 100,000 rows the same way", async () => {
    const book = new FakeWorkbook();
    const rows: (string | number)[][] = [["订单号", "客户编号", "日期", "金额", "产品", "备注"]];
    for (let i = 0; i < 100_000; i++)
      rows.push([
        `SO-${100000 + i}`,
        `C${String(i % 9973).padStart(5, "0")}`,
        44927 + (i % 700),
        100 + (i % 977) * 3.5,
        `产品 ${i % 37}`,
        i % 5 === 0 ? "加急订单，客户要求周五前送达" : "",
      ]);
    book.put("订单", "A1", rows);
    book.addTable("订单", `A1:F${rows.length}`, "Orders");
    const excel = new FakeExcel(book);
    const port = new ExcelPort(excel);
    const r = await port.read();
    expect(r.input.orders!.rows).toHaveLength(100_000);
    expect(r.input.orders!.rows[99_999][0]).toBe("SO-199999");
    const readBytes = excel.stats.reduce((s, x) => s + x.responseBytes, 0);
    expect(Math.max(...excel.stats.map((s) => s.responseBytes))).toBeLessThan(REQUEST_LIMIT_BYTES);
    expect(excel.stats.length).toBeLessThanOrEqual(
      4 + Math.ceil(readBytes / REQUEST_LIMIT_BYTES) * 2,
    );

    excel.resetStats();
    const n = 100_000;
    const out = {
      lang: "zh" as const,
      columns: [],
      sheets: [
        {
          key: "analysis" as const,
          name: "分析",
          freezeRows: 1,
          charts: [],
          blocks: [
            {
              id: "all",
              title: null,
              anchor: { row: 0, col: 0 },
              columns: [
                { header: "客户编号", format: "text" as const },
                { header: "金额", format: "money" as const },
                { header: "最近消费", format: "date" as const },
                { header: "阶段原因", format: "text" as const },
              ],
              rows: Array.from({ length: n }, (_, i) => [
                `C${i}`,
                i * 1.5,
                19700 + (i % 300),
                "近 180 天消费比前 180 天增长 20% 以上",
              ]),
            },
          ],
        },
      ],
    };
    await port.write(out, { dateSystem: "1900" });
    const written = excel.stats.reduce((s, x) => s + x.requestBytes, 0);
    expect(Math.max(...excel.stats.map((s) => s.requestBytes))).toBeLessThan(REQUEST_LIMIT_BYTES);
    expect(excel.stats.length).toBeLessThanOrEqual(
      4 + Math.ceil(written / REQUEST_LIMIT_BYTES) * 2,
    );
    expect(book.cell(book.sheet("分析"), n, 0)?.value).toBe(`C${n - 1}`);
  }, 60_000);
});

/** Strings Excel turns into something else when typed into a General cell. */
const TRICKY = [
  "007",
  "1E5",
  "Jan 5",
  "5-Jan",
  "March 2024",
  "12:30 PM",
  "#N/A",
  "#REF!",
  "TRUE",
  "1/2",
  "=1+1",
  " 12",
];

describe("text stays text", () => {
  it("the in-memory workbook converts them in a General cell as Excel does", async () => {
    const book = new FakeWorkbook();
    book.addSheet("S");
    await new FakeExcel(book).run(async (ctx) => {
      ctx.workbook.worksheets.getItem("S").getRangeByIndexes(0, 0, 1, TRICKY.length).values = [
        TRICKY,
      ];
      await ctx.sync();
    });
    const cells = TRICKY.map((_, j) => book.cell(book.sheet("S"), 0, j)!);
    expect(cells.map((c) => c.value)).toEqual([
      7,
      100000,
      45296, // 5 Jan (of the fake's fixed year, 2024)
      45296,
      45352, // 1 Mar 2024
      0.5208333333333334,
      "#N/A",
      "#REF!",
      true,
      45293, // 2 Jan
      0,
      12,
    ]);
    expect(cells[6].error).toBe(true);
    expect(cells[7].error).toBe(true);
    expect(cells[10].formula).toBe("=1+1");
    expect(cells[2].numberFormat).toBe("d-mmm");
    // a Text ("@") cell keeps each as it is, but "=1+1" is a formula whatever the format;
    // a quote prefix is never part of the value
    await new FakeExcel(book).run(async (ctx) => {
      const r = ctx.workbook.worksheets.getItem("S").getRangeByIndexes(1, 0, 1, TRICKY.length);
      r.numberFormat = [TRICKY.map(() => TEXT_FORMAT)];
      r.values = [TRICKY];
      ctx.workbook.worksheets.getItem("S").getRangeByIndexes(2, 0, 1, 1).values = [["'007"]];
      await ctx.sync();
    });
    expect(book.read(book.sheet("S"), { row: 1, col: 0, rows: 2, cols: 1 })).toEqual([
      ["007"],
      ["007"],
    ]);
    expect(book.read(book.sheet("S"), { row: 1, col: 0, rows: 1, cols: TRICKY.length })[0]).toEqual(
      TRICKY.map((x) => (x === "=1+1" ? 0 : x)),
    );
    expect(book.cell(book.sheet("S"), 1, TRICKY.indexOf("=1+1"))?.formula).toBe("=1+1");
  });

  it("every string the add-in writes reads back as the same string: IDs, names, reasons, raw values, titles", async () => {
    const book = userWorkbook();
    const port = new ExcelPort(new FakeExcel(book));
    await port.read();
    const out = sampleOutput();
    const all = [...TRICKY, "'quoted", "+5", "-x"];
    // result columns of the Customers table (text), six customers
    out.columns.find((c) => c.key === "stageReason")!.values = all.slice(0, 6);
    out.columns.find((c) => c.key === "grade")!.values = all.slice(6, 12);
    // an owned sheet: a Data-issues-like block of raw values, a title, a number column holding text
    out.sheets[0].blocks.push({
      id: "raw",
      title: "1E5",
      anchor: { row: 40, col: 0 },
      columns: [
        { header: "Jan 5", format: "text" },
        { header: "原始值", format: "text" },
        { header: "金额", format: "money" },
      ],
      rows: all.map((s) => [s, s, s]),
    });
    await port.write(out, { dateSystem: "1900" });
    const cust = book.sheet("客户");
    const col = (c: number) =>
      Array.from({ length: 6 }, (_, i) => book.cell(cust, 3 + i, c)).map((x) => [
        x?.value,
        x?.formula,
        x?.error,
      ]);
    expect(col(8)).toEqual(all.slice(0, 6).map((s) => [s, undefined, undefined]));
    expect(col(9)).toEqual(all.slice(6, 12).map((s) => [s, undefined, undefined]));
    const sheet = book.sheet(out.sheets[0].name);
    expect(book.cell(sheet, 40, 0)?.value).toBe("1E5");
    expect(book.read(sheet, { row: 41, col: 0, rows: 1, cols: 1 })[0]).toEqual(["Jan 5"]);
    for (let i = 0; i < all.length; i++)
      for (let j = 0; j < 3; j++) {
        const c = book.cell(sheet, 42 + i, j);
        expect([c?.value, c?.formula, c?.error], `${all[i]} in column ${j}`).toEqual([
          all[i],
          undefined,
          undefined,
        ]);
      }
    // text columns carry the Text format
    expect(book.cell(sheet, 42, 1)?.numberFormat).toBe("@");
    expect(book.cell(cust, 3, 8)?.numberFormat).toBe("@");
  });
});

describe("the in-memory workbook's request accounting", () => {
  it("counts what a load returns, never what a setter returns (a setter returning a string hid the response-size check)", async () => {
    const book = new FakeWorkbook();
    book.put(
      "S",
      "A1",
      Array.from({ length: 60_000 }, () => ["x".repeat(80)]),
    );
    const excel = new FakeExcel(book);
    const err = await excel
      .run(async (ctx) => {
        const ws = ctx.workbook.worksheets.getItem("S");
        const chart = ws.charts.add("ColumnClustered" as Excel.ChartType, ws.getRange("A1:A2"));
        chart.title.text = "a title"; // a setter whose run returns the string
        ws.getRange("A1:A60000").load("values");
        await ctx.sync();
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FakeError);
    expect((err as FakeError).code).toBe("ResponsePayloadSizeLimitExceeded");
    const s = excel.stats[0];
    expect(typeof s.responseBytes).toBe("number");
    expect(s.responseBytes).toBeGreaterThan(REQUEST_LIMIT_BYTES);
    expect(s.cellsRead).toBe(60_000);
  });
});

describe("charts", () => {
  const counts = (book: FakeWorkbook) =>
    book.sheets.map((s) => [s.name, s.charts.map((c) => [c.type, c.title, c.from !== null])]);

  it.each(["rejectAdd", "rejectMember"] as const)(
    "a funnel Excel rejects (%s) is replaced by bars; every other chart is drawn",
    async (mode) => {
      const ok = userWorkbook();
      const okPort = new ExcelPort(new FakeExcel(ok));
      await okPort.read();
      await okPort.write(sampleOutput(), { dateSystem: "1900" });
      expect(ok.sheet("生命周期").charts.map((c) => c.type)).toEqual(["Funnel"]);

      const book = userWorkbook();
      const port = new ExcelPort(new FakeExcel(book, { funnel: mode }));
      await port.read();
      const report = await port.write(sampleOutput(), { dateSystem: "1900" });
      const life = book.sheet("生命周期").charts;
      expect(life.map((c) => [c.type, c.title, c.from !== null, c.legend])).toEqual([
        ["BarClustered", ok.sheet("生命周期").charts[0].title, true, expect.anything()],
      ]);
      expect(life[0].axes["Category/Primary"]).toEqual({ reversePlotOrder: true });
      expect(counts(book).filter(([n]) => n !== "生命周期")).toEqual(
        counts(ok).filter(([n]) => n !== "生命周期"),
      );
      expect(report.warnings).toContainEqual({
        key: "addin.warn.funnelRejected",
        params: { sheet: "生命周期" },
      });
      expect(report.charts).toBe(2);
    },
  );

  it("loads charts by name only (items/name), never every chart property", async () => {
    const excel = new FakeExcel(userWorkbook());
    const port = new ExcelPort(excel);
    for (let i = 0; i < 2; i++) {
      await port.read();
      await port.write(sampleOutput(), { dateSystem: "1900" });
    }
    const chartLoads = excel.loads.filter((l) => l.startsWith("ChartCollectionProxy:"));
    expect(chartLoads.length).toBeGreaterThan(0);
    expect(new Set(chartLoads)).toEqual(new Set(["ChartCollectionProxy:items/name"]));
  });
});

describe("names the add-in creates", () => {
  it("a table converted from a range avoids the defined names too (Excel rejects a clash)", async () => {
    const book = new FakeWorkbook();
    book.put("Sheet1", "A1", [
      ["Customer ID", "Date", "Amount"],
      ["A", 45296, 10],
    ]);
    book.names.push({ name: "Orders", formula: "=Sheet1!$A$1:$C$2" });
    const port = new ExcelPort(new FakeExcel(book));
    const r = await port.read();
    expect(await port.convertToTable(r.plainRanges[0])).toBe("Table1");
  });

  it("the sample workbook is refused when a defined name holds one of its table names", async () => {
    const book = new FakeWorkbook();
    book.addSheet("Sheet1");
    book.names.push({ name: "Orders", formula: "=Sheet1!$A$1" });
    const before = structuredClone(book.sheets);
    const err = await new ExcelPort(new FakeExcel(book))
      .addTables(
        [
          {
            sheet: "订单",
            table: "Orders",
            data: { source: "x", headerRow: 1, firstColumn: 1, headers: ["a"], rows: [["1"]] },
            dateColumns: [],
          },
        ],
        { dateSystem: "1900" },
      )
      .catch((e: unknown) => e);
    expect((err as AddinError).msg).toEqual({
      key: "addin.error.sampleExists",
      params: { sheet: "订单" },
    });
    expect(book.sheets).toEqual(before);
  });
});
