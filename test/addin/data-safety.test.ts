/**
 * Data safety through the real analysis core: a workbook with user data, formulas,
 * formatting and other sheets around the tables; after Analyze twice every cell outside what
 * the add-in owns is identical to before, and the second run's owned output equals the first.
 */
import { describe, expect, it } from "vitest";
import { analyzeWorkbook } from "../../addin/analyze.js";
import { ExcelPort } from "../../addin/excel-adapter.js";
import { FakeExcel, FakeWorkbook } from "../../addin/fake-excel.js";
import { OWNED_SHEETS } from "../../analysis/workbook.js";
import {
  ownedSheetIds,
  ownedState,
  recordOf,
  setCell,
  userCells,
  userWorkbook,
} from "./fixtures.js";

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

/** The user's own "Analysis"/"分析" sheet with notes and a chart, and a "Grade"/"等级" column. */
function clashWorkbook(lang: "zh" | "en") {
  const book = userWorkbook();
  const sheet = lang === "zh" ? "分析" : "Analysis";
  const grade = lang === "zh" ? "等级" : "Grade";
  book.put(sheet, "A1", [
    ["会议纪要 / meeting notes", null],
    ["2024-07-01", "Call C003 about the renewal"],
    ["007", "=1+1"],
  ]);
  const notes = book.sheet(sheet);
  setCell(notes, 0, 0, { bold: true, fill: "#FFF2CC" });
  notes.charts.push({
    id: "user-chart",
    name: "My chart",
    type: "Pie",
    title: "mine",
    series: [],
    from: null,
    to: null,
    axes: {},
    legend: {},
  });
  // A Grade column of the user's inside the Customers table (column H), VIP / Std.
  book.put("客户", "H3", [[grade], ["VIP"], ["Std"], ["VIP"], ["Std"], ["Std"], ["VIP"]]);
  const t = book.tables.find((x) => x.name === "Customers")!;
  t.cols = 8;
  return { book, sheet, grade };
}

describe.each(["zh", "en"] as const)(
  "a user's sheet and column with the add-in's names (%s)",
  (lang) => {
    it("come through two Analyze runs unchanged; the results go beside them, said once", async () => {
      const { book, sheet, grade } = clashWorkbook(lang);
      const before = userCells(book);
      const notesBefore = structuredClone(book.snapshot()[sheet]);
      const chartsBefore = structuredClone(book.sheet(sheet).charts);
      const port = new ExcelPort(new FakeExcel(book));

      const first = await analyzeWorkbook(port, { lang, today: TODAY });
      expect(userCells(book)).toEqual(before);
      expect(book.snapshot()[sheet]).toEqual(notesBefore);
      expect(book.sheet(sheet).charts).toEqual(chartsBefore);
      // the user's Grade column is read as input, not as a result
      expect(first.read.find((f) => f.kind === "customers")!.rows).toBe(6);
      const gradeCol = book.read(book.sheet("客户"), { row: 2, col: 7, rows: 7, cols: 1 });
      expect(gradeCol.map((r) => r[0])).toEqual([grade, "VIP", "Std", "VIP", "Std", "Std", "VIP"]);
      // the results went under other names, and the pane is told once
      const analysis2 = lang === "zh" ? "分析（2）" : "Analysis (2)";
      const grade2 = lang === "zh" ? "等级（2）" : "Grade (2)";
      expect(book.sheets.map((s) => s.name)).toContain(analysis2);
      const header = book.read(book.sheet("客户"), {
        row: 2,
        col: 0,
        rows: 1,
        cols: book.tables.find((x) => x.name === "Customers")!.cols,
      })[0];
      expect(header.filter((h) => h === grade)).toHaveLength(1);
      expect(header).toContain(grade2);
      const clash = first.notices.filter((n) => n.key === "addin.warn.nameClash");
      expect(clash).toHaveLength(1);
      expect(String(clash[0].params?.names)).toContain(`${sheet} → ${analysis2}`);
      expect(String(clash[0].params?.names)).toContain(`${grade} → ${grade2}`);
      const owned1 = structuredClone(ownedState(book));

      const second = await analyzeWorkbook(port, { lang, today: TODAY });
      expect(userCells(book)).toEqual(before);
      expect(book.snapshot()[sheet]).toEqual(notesBefore);
      expect(book.sheet(sheet).charts).toEqual(chartsBefore);
      expect(ownedState(book)).toEqual(owned1);
      expect(second.notices.filter((n) => n.key === "addin.warn.nameClash")).toEqual([]);
      expect(second.customers).toBe(first.customers);
      // no third copy
      expect(book.sheets.filter((s) => s.name.startsWith(sheet)).map((s) => s.name)).toEqual([
        sheet,
        analysis2,
      ]);
    });
  },
);

describe("the ownership record survives what users do", () => {
  const names = (book: FakeWorkbook) => book.sheets.map((s) => s.name);

  it("a save and reopen: the sheets and columns are found again by ID, nothing duplicated", async () => {
    const book = userWorkbook();
    await analyzeWorkbook(new ExcelPort(new FakeExcel(book)), { lang: "zh", today: TODAY });
    const owned1 = structuredClone(ownedState(book));
    const reopened = book.reopen();
    expect(reopened.xmlParts).toEqual(book.xmlParts);
    const before = userCells(reopened);
    const r = await analyzeWorkbook(new ExcelPort(new FakeExcel(reopened)), {
      lang: "zh",
      today: TODAY,
    });
    expect(r.notices.filter((n) => n.key.startsWith("addin.warn.owned"))).toEqual([]);
    expect(names(reopened)).toEqual(names(book));
    expect(userCells(reopened)).toEqual(before);
    expect(ownedState(reopened)).toEqual(owned1);
  });

  it("a renamed owned sheet is found by its ID, keeps the user's name and is refreshed", async () => {
    const book = userWorkbook();
    const port = new ExcelPort(new FakeExcel(book));
    await analyzeWorkbook(port, { lang: "zh", today: TODAY });
    book.sheet("帕累托").name = "我的帕累托";
    const r = await analyzeWorkbook(port, { lang: "zh", today: TODAY });
    expect(names(book)).toContain("我的帕累托");
    expect(names(book)).not.toContain("帕累托");
    expect(book.sheet("我的帕累托").charts).toHaveLength(1);
    expect(r.notices).toContainEqual({
      key: "addin.warn.ownedRenamed",
      params: { was: "帕累托", sheet: "我的帕累托" },
    });
    // said once
    const again = await analyzeWorkbook(port, { lang: "zh", today: TODAY });
    expect(again.notices.filter((n) => n.key === "addin.warn.ownedRenamed")).toEqual([]);
  });

  it("a deleted owned sheet is pruned from the record and created again", async () => {
    const book = userWorkbook();
    const port = new ExcelPort(new FakeExcel(book));
    await analyzeWorkbook(port, { lang: "zh", today: TODAY });
    const owned1 = structuredClone(ownedState(book));
    book.deleteSheet("帕累托");
    const r = await analyzeWorkbook(port, { lang: "zh", today: TODAY });
    expect(r.notices).toContainEqual({
      key: "addin.warn.ownedDeleted",
      params: { sheet: "帕累托" },
    });
    expect(names(book)).toContain("帕累托");
    // the same output; the recreated sheet is the last tab
    const byName = (x: unknown) =>
      (x as { sheets: { name: string }[] }).sheets.sort((a, b) => a.name.localeCompare(b.name));
    expect(byName(ownedState(book))).toEqual(byName(owned1));
    expect(names(book).at(-1)).toBe("帕累托");
  });

  it("a switch of language renames the owned sheets and columns in place (by ID), when the name is free", async () => {
    const book = userWorkbook();
    const port = new ExcelPort(new FakeExcel(book));
    await analyzeWorkbook(port, { lang: "zh", today: TODAY });
    const count = book.sheets.length;
    const ids = structuredClone(recordOf(book));
    book.put("Notes", "A10", [["x"]]); // a user edit elsewhere changes nothing
    book.addSheet("Pareto"); // a user's sheet holds the English name of one owned sheet
    await analyzeWorkbook(port, { lang: "en", today: TODAY });
    expect(book.sheets.length).toBe(count + 1);
    expect(names(book)).toContain("Analysis");
    expect(names(book)).toContain("Pareto (2)");
    expect(book.sheet("Pareto").cells.size).toBe(0);
    const rec = recordOf(book);
    expect(rec.table!.id).toBe(ids.table!.id);
    expect(Object.keys(rec.table!.columns)).toEqual(Object.keys(ids.table!.columns));
    const header = book.read(book.sheet("客户"), { row: 2, col: 7, rows: 1, cols: 3 })[0];
    expect(header).toEqual(["Stage", "Stage reason", "Grade"]);
  });

  it("an owned sheet the user typed into becomes the user's, untouched; the results go beside it", async () => {
    const book = userWorkbook();
    const port = new ExcelPort(new FakeExcel(book));
    await analyzeWorkbook(port, { lang: "zh", today: TODAY });
    const used = book.usedBlock(book.sheet("待联系"), false)!;
    book.put("待联系", `${String.fromCharCode(65 + used.cols + 1)}2`, [
      ["called, call back Friday"],
    ]);
    const typed = structuredClone(book.snapshot()["待联系"]);
    const r = await analyzeWorkbook(port, { lang: "zh", today: TODAY });
    expect(book.snapshot()["待联系"]).toEqual(typed);
    expect(names(book)).toContain("待联系（2）");
    const notice = r.notices.find((n) => n.key === "addin.warn.ownedTypedInto");
    expect(notice?.params).toMatchObject({ sheet: "待联系", name: "待联系（2）" });
    expect(ownedSheetIds(book).has(book.sheet("待联系").id)).toBe(false);
  });

  it("an owned sheet the user added a chart to becomes the user's, chart and all", async () => {
    const book = userWorkbook();
    const port = new ExcelPort(new FakeExcel(book));
    await analyzeWorkbook(port, { lang: "zh", today: TODAY });
    const sheet = book.sheet("帕累托");
    sheet.charts.push({ ...structuredClone(sheet.charts[0]), id: "u1", name: "My copy" });
    const r = await analyzeWorkbook(port, { lang: "zh", today: TODAY });
    expect(book.sheet("帕累托").charts.map((c) => c.name)).toContain("My copy");
    expect(book.sheet("帕累托").charts).toHaveLength(2);
    expect(r.notices).toContainEqual({
      key: "addin.warn.ownedChartAdded",
      params: { sheet: "帕累托", chart: "My copy", name: "帕累托（2）" },
    });
  });

  it("a workbook from a version without the record: its sheets and columns are the user's, nothing cleared", async () => {
    const book = userWorkbook();
    await analyzeWorkbook(new ExcelPort(new FakeExcel(book)), { lang: "zh", today: TODAY });
    book.xmlParts = []; // as the old version left it: owned by name only
    const before = userCells(book);
    expect(Object.keys(before)).toContain("分析");
    const r = await analyzeWorkbook(new ExcelPort(new FakeExcel(book)), {
      lang: "zh",
      today: TODAY,
    });
    expect(userCells(book)).toEqual(before);
    expect(names(book)).toContain("分析（2）");
    expect(r.notices.some((n) => n.key === "addin.warn.nameClash")).toBe(true);
    // the old Settings sheet is still read as the settings (it is input)
    expect(r.read).toContainEqual(expect.objectContaining({ kind: "settings", sheet: "设置" }));
    expect(names(book)).not.toContain("设置（2）");
  });
});
