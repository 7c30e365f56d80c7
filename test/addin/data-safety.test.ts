/**
 * Data safety through the real analysis core: a workbook with user data, formulas,
 * formatting and other sheets around the tables; after Analyze twice every cell outside what
 * the add-in owns is identical to before, and the second run's owned output equals the first.
 */
import { describe, expect, it } from "vitest";
import { analyzeWorkbook } from "../../addin/analyze.js";
import { ExcelPort } from "../../addin/excel-adapter.js";
import { FakeExcel } from "../../addin/fake-excel.js";
import { OWNED_SHEETS } from "../../analysis/workbook.js";
import { ownedState, userCells, userWorkbook } from "./fixtures.js";

const TODAY = Math.round(Date.parse("2024-07-15") / 86_400_000);

describe("Analyze leaves the user's workbook alone", () => {
  it("changes no user cell, twice, and repeats its own output exactly", async () => {
    const book = userWorkbook();
    const before = userCells(book);
    const port = new ExcelPort(new FakeExcel(book));

    const first = await analyzeWorkbook(port, { lang: "zh", today: TODAY });
    expect(userCells(book)).toEqual(before);
    const owned1 = structuredClone(ownedState(book));

    const second = await analyzeWorkbook(port, { lang: "zh", today: TODAY });
    expect(userCells(book)).toEqual(before);
    expect(ownedState(book)).toEqual(owned1);

    expect(first.customers).toBe(6);
    expect(second.customers).toBe(first.customers);
    expect(first.prospects).toBe(1); // C005 has no orders
    expect(first.read.map((f) => f.kind).sort()).toEqual(["customers", "orders"]);
    // the owned sheets exist, the user's sheets come first and in their order
    const names = book.sheets.map((s) => s.name);
    expect(names.slice(0, 4)).toEqual(["客户", "订单", "Notes", "汇总"]);
    for (const key of ["analysis", "pareto", "settings"] as const)
      expect(names).toContain(OWNED_SHEETS[key].zh);
    // the result columns sit in the Customers table
    const table = book.tables.find((t) => t.name === "Customers")!;
    expect(table.cols).toBeGreaterThan(7);
    const header = book.read(book.sheet("客户"), {
      row: 2,
      col: 7,
      rows: 1,
      cols: table.cols - 7,
    })[0];
    expect(header).toContain("阶段");
    expect(header).toContain("等级");
  });
});
