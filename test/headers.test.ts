import { describe, expect, it } from "vitest";
import {
  CUSTOMER_COLUMNS,
  INTERACTION_COLUMNS,
  ORDER_COLUMNS,
  classifyTable,
  locateHeaderRow,
  matchColumns,
  normaliseHeader,
} from "../analysis/headers.js";

describe("matchColumns", () => {
  it("Chinese headers, any case/space/width", () => {
    const m = matchColumns(["订单号", " 客户编号 ", "日期", "金额（元）", "成本"], ORDER_COLUMNS);
    expect(m).toEqual({
      orderId: 0,
      customerId: 1,
      date: 2,
      amount: 3,
      quantity: -1,
      unitPrice: -1,
      cost: 4,
      product: -1,
    });
  });
  it("the Online Retail export", () => {
    const h = [
      "InvoiceNo",
      "StockCode",
      "Description",
      "Quantity",
      "InvoiceDate",
      "UnitPrice",
      "CustomerID",
      "Country",
    ];
    expect(matchColumns(h, ORDER_COLUMNS)).toEqual({
      orderId: 0,
      customerId: 6,
      date: 4,
      amount: -1,
      quantity: 3,
      unitPrice: 5,
      cost: -1,
      product: 2,
    });
  });
  it("CDNOW-like and English variants", () => {
    expect(matchColumns(["customer_id", "date", "amount"], ORDER_COLUMNS)).toMatchObject({
      customerId: 0,
      date: 1,
      amount: 2,
    });
    expect(
      matchColumns(["CUSTOMER ID", "Order-Date", "Total Amount (USD)"], ORDER_COLUMNS),
    ).toMatchObject({
      customerId: 0,
      date: 1,
      amount: 2,
    });
  });
  it("a header serves one role", () => {
    const m = matchColumns(
      ["客户编号", "客户名称", "联系人", "手机", "购买力", "决策权", "需求", "手动阶段"],
      CUSTOMER_COLUMNS,
    );
    expect(m).toMatchObject({
      customerId: 0,
      name: 1,
      contact: 2,
      phone: 3,
      money: 4,
      authority: 5,
      need: 6,
      stageOverride: 7,
    });
    const x = matchColumns(
      ["日期", "客户编号", "方式", "类型", "结果", "下次联系"],
      INTERACTION_COLUMNS,
    );
    expect(x).toEqual({ date: 0, customerId: 1, channel: 2, type: 3, outcome: 4, nextContact: 5 });
  });
  it("normalises width and case", () => {
    expect(normaliseHeader("Ｃｕｓｔｏｍｅｒ　ＩＤ")).toBe("customerid");
    expect(normaliseHeader("金额（元）")).toBe("金额(元)");
  });
});

describe("locateHeaderRow", () => {
  it("skips a title row and a blank row", () => {
    const rows = [
      ["2024 年订单明细"],
      [],
      ["订单号", "客户编号", "日期", "金额"],
      ["A1", "C1", "2024-01-05", 1],
    ];
    expect(locateHeaderRow(rows)).toBe(2);
  });
  it("-1 when nothing looks like a header", () => {
    expect(locateHeaderRow([["00004", "0001", "19970101", "2", "29.33"]])).toBe(-1);
  });
});

describe("classifyTable", () => {
  it("by table name, then sheet name, then headers", () => {
    expect(classifyTable("tblOrders", "Sheet1", [])).toBe("orders");
    expect(classifyTable("Table1", "客户", ["a"])).toBe("customers");
    expect(classifyTable("客户表", "订单", [])).toBe("customers");
    expect(classifyTable(null, "Sheet1", ["日期", "客户编号", "方式", "结果"])).toBe(
      "interactions",
    );
    expect(classifyTable(null, "Sheet1", ["客户编号", "日期", "金额"])).toBe("orders");
    expect(classifyTable(null, "Sheet2", ["客户编号", "客户名称", "电话"])).toBe("customers");
    expect(classifyTable(null, "设置", [])).toBe("settings");
    expect(classifyTable(null, "Stage history", [])).toBe("history");
    expect(classifyTable(null, "Sheet3", ["a", "b"])).toBeNull();
  });
});
