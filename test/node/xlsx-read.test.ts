import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { normaliseCell, pickInputTables, readWorkbook } from "../../analysis/node/xlsx-read.js";
import { cellSource } from "../../analysis/source.js";
import { readDataset } from "../../analysis/clean.js";
import { makeSettings } from "../../analysis/settings.js";
import { dayFromYmd } from "../../analysis/dates.js";
import { UnusableInputError } from "../../analysis/errors.js";

async function workbook(date1904 = false): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  if (date1904) wb.properties.date1904 = true;
  const orders = wb.addWorksheet("销售数据");
  orders.getCell("A1").value = "2024 年一季度订单";
  orders.addTable({
    name: "Orders",
    ref: "B3",
    headerRow: true,
    columns: [{ name: "订单号" }, { name: "客户编号" }, { name: "日期" }, { name: "金额" }],
    rows: [
      ["A1", 12345, new Date(Date.UTC(2024, 0, 5)), 100],
      ["A2", { richText: [{ text: "C" }, { text: "9" }] }, 45_296, { formula: "40+2", result: 42 }],
      ["A3", "C9", "2024/1/7", { formula: "1/0", result: { error: "#DIV/0!" } }],
      ["C4", "12345", "2024-01-08", -10],
    ],
  });
  const customers = wb.addWorksheet("Sheet2");
  customers.addRow(["客户名单"]);
  customers.addRow([]);
  customers.addRow(["客户编号", "客户名称", "邮箱"]);
  customers.addRow(["12345", "甲公司", { text: "a@x.cn", hyperlink: "mailto:a@x.cn" }]);
  customers.addRow(["P1", "潜在客户", null]);
  const owned = wb.addWorksheet("数据问题");
  owned.addRow(["客户编号", "日期", "金额"]);
  owned.addRow(["X", "2024-01-01", 1]);
  const settings = wb.addWorksheet("设置");
  settings.addRow(["参数", "值", "说明"]);
  settings.addRow(["截止日期", "2024-03-31", ""]);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe("readWorkbook", () => {
  it("reads Excel tables and plain ranges, skipping title rows", async () => {
    const wb = await readWorkbook(await workbook());
    expect(wb.date1904).toBe(false);
    expect(wb.sheets.map((s) => s.name)).toEqual(["销售数据", "Sheet2", "数据问题", "设置"]);
    const [t] = wb.sheets[0].tables;
    expect(t.name).toBe("Orders");
    expect(t.kind).toBe("orders");
    expect(t.raw).toMatchObject({
      source: "销售数据",
      headerRow: 3,
      firstColumn: 2,
      headers: ["订单号", "客户编号", "日期", "金额"],
    });
    expect(t.raw.rows[1]).toEqual(["A2", "C9", 45_296, 42]);
    expect(t.raw.rows[2][3]).toBe("#DIV/0!");
    expect(t.raw.rows[0][2]).toEqual(new Date(Date.UTC(2024, 0, 5)));
    const [c] = wb.sheets[1].tables;
    expect(c).toMatchObject({ name: null, kind: "customers" });
    expect(c.raw).toMatchObject({
      headerRow: 3,
      firstColumn: 1,
      headers: ["客户编号", "客户名称", "邮箱"],
    });
    expect(c.raw.rows).toEqual([
      ["12345", "甲公司", "a@x.cn"],
      ["P1", "潜在客户", null],
    ]);
  });

  it("picks input tables, never an owned sheet except Settings", async () => {
    const picked = pickInputTables(await readWorkbook(await workbook()));
    expect(picked.orders?.source).toBe("销售数据");
    expect(picked.customers?.source).toBe("Sheet2");
    expect(picked.interactions).toBeNull();
    expect(picked.settings?.source).toBe("设置");
    expect(picked.history).toBeNull();
  });

  it("feeds readDataset: numeric and text IDs are one customer, errors are issues", async () => {
    const picked = pickInputTables(await readWorkbook(await workbook()));
    const ds = readDataset(
      { orders: cellSource(picked.orders!), customers: cellSource(picked.customers!) },
      makeSettings(),
    );
    expect(ds.customerIds).toEqual(["12345", "P1", "C9"]);
    expect([...ds.orders.customer]).toEqual([0, 2, 0]);
    expect([...ds.orders.day]).toEqual([
      dayFromYmd(2024, 1, 5),
      dayFromYmd(2024, 1, 5),
      dayFromYmd(2024, 1, 8),
    ]);
    expect([...ds.orders.amount]).toEqual([100, 42, -10]);
    expect([...ds.orders.cancelled]).toEqual([0, 0, 1]);
    expect(ds.records[0]).toMatchObject({ id: "12345", row: 4, name: "甲公司", email: "a@x.cn" });
    expect(ds.issues.map((i) => [i.source, i.row, i.column, i.value, i.reason.key])).toEqual([
      // C9 is not in the Customers table: a warning, still analysed (issue 18 §15)
      ["销售数据", 5, "客户编号", "C9", "reading.unknownCustomer"],
      ["销售数据", 6, "金额", "#DIV/0!", "reading.errorValue"],
    ]);
  });

  it("reports the 1904 date system", async () => {
    expect((await readWorkbook(await workbook(true))).date1904).toBe(true);
  });

  it("an unreadable file is unusable input", async () => {
    await expect(
      readWorkbook(new TextEncoder().encode("not a zip"), "bad.xlsx"),
    ).rejects.toBeInstanceOf(UnusableInputError);
  });
});

describe("normaliseCell", () => {
  it("exceljs value shapes", () => {
    expect(normaliseCell({ richText: [{ text: "a" }, { text: "b" }] })).toBe("ab");
    expect(normaliseCell({ formula: "A1", result: new Date(0) })).toEqual(new Date(0));
    expect(normaliseCell({ sharedFormula: "A1", result: 3 })).toBe(3);
    expect(normaliseCell({ formula: "A1" })).toBeNull();
    expect(normaliseCell({ error: "#N/A" })).toBe("#N/A");
    expect(normaliseCell({ text: { richText: [{ text: "link" }] }, hyperlink: "http://x" })).toBe(
      "link",
    );
    expect(normaliseCell(true)).toBe(true);
    expect(normaliseCell(undefined)).toBeNull();
  });
});
