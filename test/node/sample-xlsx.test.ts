import ExcelJS from "exceljs";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleXlsx, writeSampleXlsx } from "../../analysis/node/sample-xlsx.js";
import { SAMPLE_HEADERS, sampleWorkbook } from "../../analysis/sample.js";

/** exceljs needs a few seconds for ~7,000 rows, more on a busy machine. */
const SLOW = 120_000;

interface TableInfo {
  name: string;
  ref: string;
  headers: string[];
}

/** Tables of a sheet as exceljs read them (its typings do not describe the read model). */
function tables(ws: ExcelJS.Worksheet): TableInfo[] {
  return (
    ws.getTables() as unknown as {
      table: { name: string; tableRef?: string; ref?: string; columns: { name: string }[] };
    }[]
  ).map(({ table }) => ({
    name: table.name,
    ref: table.tableRef ?? table.ref ?? "",
    headers: table.columns.map((c) => c.name),
  }));
}

function headerRow(ws: ExcelJS.Worksheet, row: number, n: number): unknown[] {
  return Array.from({ length: n }, (_, i) => ws.getCell(row, i + 1).value);
}

describe("sample .xlsx", () => {
  const data = sampleWorkbook();
  let wb: ExcelJS.Workbook;
  beforeAll(async () => {
    wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await sampleXlsx()) as unknown as ArrayBuffer);
  }, SLOW);

  it("has the three sheets, each with its named table", () => {
    expect(wb.worksheets.map((w) => w.name)).toEqual(["客户", "订单", "联系记录"]);
    const [c, o, i] = wb.worksheets.map(tables);
    expect(c.map((t) => t.name)).toEqual(["Customers"]);
    expect(o.map((t) => t.name)).toEqual(["Orders"]);
    expect(i.map((t) => t.name)).toEqual(["Interactions"]);
    expect(c[0].ref).toBe(`A1:O${1 + data.customers.rows.length}`);
    expect(o[0].ref).toBe(`A3:G${3 + data.orders.rows.length}`);
    expect(i[0].ref).toBe(`A1:F${1 + data.interactions.rows.length}`);
    expect(c[0].headers).toEqual([...SAMPLE_HEADERS.customers.zh]);
    expect(o[0].headers).toEqual([...SAMPLE_HEADERS.orders.zh]);
    expect(i[0].headers).toEqual([...SAMPLE_HEADERS.interactions.zh]);
  });

  it("puts a title above the Orders table and the header row in row 3", () => {
    const ws = wb.getWorksheet("订单")!;
    expect(ws.getCell("A1").value).toBe("销售明细(2024-11 至 2026-11)");
    expect(ws.getCell("A2").value).toBeNull();
    expect(headerRow(ws, 3, 7)).toEqual([...SAMPLE_HEADERS.orders.zh]);
    expect(headerRow(wb.getWorksheet("客户")!, 1, 15)).toEqual([...SAMPLE_HEADERS.customers.zh]);
  });

  it("stores dates as formatted date cells, money as formatted numbers, errors as error cells", () => {
    const ws = wb.getWorksheet("订单")!;
    const first = data.orders.rows[0];
    const c = ws.getCell(4, 3);
    expect(c.value).toEqual(first[2]);
    expect(c.numFmt).toBe("yyyy-mm-dd");
    expect(ws.getCell(4, 1).value).toBe(first[0]);
    expect(ws.getCell(4, 6).value).toBe(first[5]);
    expect(ws.getCell(4, 6).numFmt).toBe("#,##0.00");
    // Data row 1500 holds "#N/A" in Quantity: a real error cell in the file.
    expect(ws.getCell(4 + 1500, 5).value).toEqual({ error: "#N/A" });
    expect(ws.getCell(4 + 400, 3).value).toBe("2025/13/45");
    const cust = wb.getWorksheet("客户")!;
    expect(cust.getCell(2, 9).value).toEqual(data.customers.rows[0][8]);
    expect(cust.getCell(2, 4).value).toBe(data.customers.rows[0][3]); // phone stays text
    expect(cust.getColumn(2).width).toBeGreaterThan(20);
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 3 });
  });

  it(
    "writes English sheet names and headers with lang en",
    async () => {
      const en = new ExcelJS.Workbook();
      await en.xlsx.load((await sampleXlsx({ lang: "en" })) as unknown as ArrayBuffer);
      expect(en.worksheets.map((w) => w.name)).toEqual(["Customers", "Orders", "Interactions"]);
      expect(tables(en.getWorksheet("Orders")!)[0].headers).toEqual([...SAMPLE_HEADERS.orders.en]);
    },
    SLOW,
  );

  describe("writeSampleXlsx", () => {
    let dir = "";
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), "crm-sample-"));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it(
      "writes a loadable file",
      async () => {
        const path = join(dir, "sample.xlsx");
        await writeSampleXlsx(path, { seed: 3 });
        const back = new ExcelJS.Workbook();
        await back.xlsx.load(readFileSync(path) as unknown as ArrayBuffer);
        const rows = sampleWorkbook({ seed: 3 }).orders.rows.length;
        expect(tables(back.getWorksheet("订单")!)[0].ref).toBe(`A3:G${3 + rows}`);
      },
      SLOW,
    );

    it(
      "reports where it could not write",
      async () => {
        await expect(writeSampleXlsx(join(dir, "missing", "x.xlsx"))).rejects.toThrow(
          /cannot write the sample workbook to .*x\.xlsx/,
        );
      },
      SLOW,
    );
  });
});
