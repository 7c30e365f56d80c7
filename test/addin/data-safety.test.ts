/**
 * Data safety through the real analysis core: a workbook with user data, formulas,
 * formatting and other sheets around the tables; after Analyze twice every cell outside what
 * the add-in owns is identical to before, and the second run's owned output equals the first.
 */
import { describe, expect, it } from "vitest";
import { analyzeWorkbook } from "../../addin/analyze.js";
import { ExcelPort, excelErrorMessage } from "../../addin/excel-adapter.js";
import { FakeError, FakeExcel, FakeWorkbook } from "../../addin/fake-excel.js";
import { AddinError, CancelledError } from "../../addin/workbook-port.js";
import { OWNED_SHEETS } from "../../analysis/workbook.js";
import {
  ownedSheetIds,
  ownedState,
  recordOf,
  sampleOutput,
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
      expect(first.written.names?.analysis).toBe(analysis2);
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
    // the Pareto chart and the concentration and whale curves (issue 18 §6)
    const drawn = book.sheet("帕累托").charts.length;
    expect(drawn).toBeGreaterThanOrEqual(2);
    book.sheet("帕累托").name = "我的帕累托";
    const r = await analyzeWorkbook(port, { lang: "zh", today: TODAY });
    expect(names(book)).toContain("我的帕累托");
    expect(names(book)).not.toContain("帕累托");
    expect(book.sheet("我的帕累托").charts).toHaveLength(drawn);
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

  it("an owned sheet whose own cells the user changed becomes the user's, the change kept", async () => {
    const book = userWorkbook();
    const port = new ExcelPort(new FakeExcel(book));
    const first = await analyzeWorkbook(port, { lang: "zh", today: TODAY });
    expect(first.notices.filter((n) => n.key.startsWith("addin.warn.owned"))).toEqual([]);
    // a note typed over a cell the add-in wrote (row 3 of its follow-up table)
    const sheet = book.sheet("待联系");
    const used = book.usedBlock(sheet, false)!;
    setCell(sheet, used.row + 2, used.col + 1, { value: "已电话联系，周五回访" });
    const edited = structuredClone(book.snapshot()["待联系"]);
    const r = await analyzeWorkbook(port, { lang: "zh", today: TODAY });
    expect(book.snapshot()["待联系"]).toEqual(edited);
    expect(r.notices).toContainEqual({
      key: "addin.warn.ownedEdited",
      params: {
        sheet: "待联系",
        range: expect.stringMatching(/^A\d+:[A-Z]+\d+$/),
        name: "待联系（2）",
      },
    });
    // a run with no edit notices nothing
    const again = await analyzeWorkbook(port, { lang: "zh", today: TODAY });
    expect(again.notices.filter((n) => n.key.startsWith("addin.warn.owned"))).toEqual([]);
  });

  it("an owned sheet the user added a chart to becomes the user's, chart and all", async () => {
    const book = userWorkbook();
    const port = new ExcelPort(new FakeExcel(book));
    await analyzeWorkbook(port, { lang: "zh", today: TODAY });
    const sheet = book.sheet("帕累托");
    const drawn = sheet.charts.length;
    sheet.charts.push({ ...structuredClone(sheet.charts[0]), id: "u1", name: "My copy" });
    const r = await analyzeWorkbook(port, { lang: "zh", today: TODAY });
    expect(book.sheet("帕累托").charts.map((c) => c.name)).toContain("My copy");
    expect(book.sheet("帕累托").charts).toHaveLength(drawn + 1);
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
    // the pane names the sheet the issues really went to
    expect(r.issuesSheet).toBe("数据问题（2）");
    // the old Settings sheet is still read as the settings (it is input)
    expect(r.read).toContainEqual(expect.objectContaining({ kind: "settings", sheet: "设置" }));
    expect(names(book)).not.toContain("设置（2）");
  });
});

/** Everything a run could change: cells, charts, formats, tables, the record, the tabs. */
const whole = (book: FakeWorkbook) =>
  structuredClone({
    sheets: book.sheets,
    tables: book.tables,
    xmlParts: book.xmlParts,
  });

async function fails(p: Promise<unknown>): Promise<AddinError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AddinError);
  return e as AddinError;
}

describe("checks before anything is written", () => {
  it("a protected Customers sheet: stops naming the sheet, nothing changed", async () => {
    const book = userWorkbook();
    book.sheet("客户").protected = true;
    const before = whole(book);
    const e = await fails(
      analyzeWorkbook(new ExcelPort(new FakeExcel(book)), { lang: "zh", today: TODAY }),
    );
    expect(e.msg).toEqual({ key: "addin.error.sheetProtected", params: { sheet: "客户" } });
    expect(whole(book)).toEqual(before);
  });

  it("a protected owned sheet, a protected workbook: stops, nothing changed", async () => {
    const book = userWorkbook();
    const port = new ExcelPort(new FakeExcel(book));
    await analyzeWorkbook(port, { lang: "zh", today: TODAY });
    book.sheet("帕累托").protected = true;
    let before = whole(book);
    let e = await fails(analyzeWorkbook(port, { lang: "en", today: TODAY }));
    expect(e.msg).toEqual({ key: "addin.error.sheetProtected", params: { sheet: "帕累托" } });
    expect(whole(book)).toEqual(before);
    book.sheet("帕累托").protected = false;
    book.protected = true;
    before = whole(book);
    e = await fails(analyzeWorkbook(port, { lang: "en", today: TODAY }));
    expect(e.msg).toEqual({ key: "addin.error.workbookProtected" });
    expect(whole(book)).toEqual(before);
  });

  it("cell edit mode: Excel refuses every call; the pane says so, nothing changed", async () => {
    const book = userWorkbook();
    const excel = new FakeExcel(book);
    const port = new ExcelPort(excel);
    excel.editMode = true;
    let e = await fails(analyzeWorkbook(port, { lang: "zh", today: TODAY }));
    expect(e.msg).toEqual({ key: "addin.error.editMode" });
    // editing starts while the analysis runs: the write's first request is refused
    excel.editMode = false;
    await port.read();
    const before = whole(book);
    excel.editMode = true;
    e = await fails(port.write(sampleOutput(), { dateSystem: "1900" }));
    expect(e.msg).toEqual({ key: "addin.error.editMode" });
    expect(whole(book)).toEqual(before);
    expect(excelErrorMessage(new FakeError("InvalidOperationInCellEditMode", "x"))).toEqual({
      key: "addin.error.editMode",
    });
  });

  it.each(["Hidden", "VeryHidden"] as const)("a %s owned sheet: stops naming it", async (v) => {
    const book = userWorkbook();
    const port = new ExcelPort(new FakeExcel(book));
    await analyzeWorkbook(port, { lang: "zh", today: TODAY });
    book.sheet("RFM").visibility = v;
    const before = whole(book);
    const e = await fails(analyzeWorkbook(port, { lang: "zh", today: TODAY }));
    expect(e.msg).toEqual({ key: "addin.error.ownedHidden", params: { sheet: "RFM" } });
    expect(whole(book)).toEqual(before);
  });

  it("a Customers table with a totals row: stops naming the row; an Orders totals row is not read as an order", async () => {
    const book = userWorkbook();
    const orders = book.tables.find((t) => t.name === "Orders")!;
    book.put("订单", "A10", [["合计", null, null, 95100, null]]);
    orders.rows += 1;
    orders.showTotals = true;
    const r = await new ExcelPort(new FakeExcel(book)).read();
    expect(r.input.orders!.rows).toHaveLength(8);
    const cust = book.tables.find((t) => t.name === "Customers")!;
    book.put("客户", "A10", [["合计", null, null, null, null, null, null]]);
    cust.rows += 1;
    cust.showTotals = true;
    const before = whole(book);
    const e = await fails(
      analyzeWorkbook(new ExcelPort(new FakeExcel(book)), { lang: "en", today: TODAY }),
    );
    expect(e.msg).toEqual({
      key: "addin.error.totalsRow",
      params: { table: "Customers", sheet: "客户", row: 10 },
    });
    expect(whole(book)).toEqual(before);
  });

  function mergedHeaders(): FakeWorkbook {
    const book = new FakeWorkbook();
    book.put("Export", "B4", [
      ["Customer ID", "Date", "Amount", null],
      ["A", 45296, 10, "paid"],
      ["B", 45297, 20, "open"],
    ]);
    book.sheet("Export").merges = [{ row: 3, col: 3, rows: 1, cols: 2 }];
    return book;
  }

  it("a user table whose headers are merged: named by the merged cells (ExcelApi 1.13) or the blank header", async () => {
    let book = mergedHeaders();
    let e = await fails(new ExcelPort(new FakeExcel(book, { excelApi: "1.13" })).read());
    expect(e.msg).toEqual({
      key: "addin.error.headerMerged",
      params: { sheet: "Export", cell: "D4:E4" },
    });
    book = mergedHeaders();
    e = await fails(new ExcelPort(new FakeExcel(book)).read());
    expect(e.msg).toEqual({
      key: "addin.error.headerBlank",
      params: { sheet: "Export", cell: "E4" },
    });
  });

  it("duplicate headers in a user range: named, first and second", async () => {
    const book = new FakeWorkbook();
    book.put("Export", "A1", [
      ["Customer ID", "Date", "Amount", "amount"],
      ["A", 45296, 10, 12],
    ]);
    const e = await fails(new ExcelPort(new FakeExcel(book)).read());
    expect(e.msg).toEqual({
      key: "addin.error.headerDuplicate",
      params: { sheet: "Export", header: "amount", first: "C1", cell: "D1" },
    });
  });

  it("merged empty cells where the result columns go (ExcelApi 1.13): stops naming them", async () => {
    const book = userWorkbook();
    book.sheet("客户").merges = [{ row: 4, col: 8, rows: 1, cols: 2 }];
    const before = whole(book);
    const e = await fails(
      analyzeWorkbook(new ExcelPort(new FakeExcel(book, { excelApi: "1.13" })), {
        lang: "zh",
        today: TODAY,
      }),
    );
    expect(e.msg).toEqual({
      key: "addin.error.mergedBeside",
      params: { table: "Customers", sheet: "客户", cell: "I5:J5" },
    });
    expect(whole(book)).toEqual(before);
  });
});

describe("merged cells where the result columns go, on a host without ExcelApi 1.13", () => {
  it("Excel refuses the new column; the user's cells are intact and the message says what is left", async () => {
    const book = userWorkbook();
    book.sheet("客户").merges = [{ row: 4, col: 8, rows: 1, cols: 2 }];
    const user = userCells(book);
    const e = await fails(
      analyzeWorkbook(new ExcelPort(new FakeExcel(book)), { lang: "zh", today: TODAY }),
    );
    expect(e.msg.key).toBe("addin.error.midwayColumns");
    expect(e.msg.params).toMatchObject({ table: "Customers", sheet: "客户" });
    expect(userCells(book)).toEqual(user);
    // the column appended before the merged cells is the add-in's (recorded before it was added)
    const t = book.tables.find((x) => x.name === "Customers")!;
    expect(t.cols).toBe(8);
    expect(book.cell(book.sheet("客户"), 2, 7)?.value).toBe("阶段");
    expect(recordOf(book).table!.columns.stage).toMatchObject({ index: 7, header: "阶段" });
  });
});

describe("a failure midway", () => {
  /**
   * For every request N of a full run (the second, in the other language, so that old and new
   * results differ): fail it — whole, or after `part` of its operations — and check that the
   * user's cells are intact, the result sheets are the previous ones or all the new ones, no
   * temporary sheet is left, and the next run completes the job.
   */
  async function sweep(part: ((ops: number) => number) | null): Promise<Set<string>> {
    const base = userWorkbook();
    await analyzeWorkbook(new ExcelPort(new FakeExcel(base)), { lang: "zh", today: TODAY });
    const sheetsOf = (book: FakeWorkbook) =>
      (structuredClone(ownedState(book)) as { sheets: { name: string }[] }).sheets.sort((a, b) =>
        a.name.localeCompare(b.name),
      );
    const previous = sheetsOf(base);
    const user = userCells(base);
    // The same run without a fault: the new results, and its requests.
    const clean = base.reopen();
    const cleanExcel = new FakeExcel(clean);
    await analyzeWorkbook(new ExcelPort(cleanExcel), { lang: "en", today: TODAY });
    const total = cleanExcel.requests;
    const ops = cleanExcel.stats.map((x) => x.operations);
    expect(ops).toHaveLength(total);
    const next = sheetsOf(clean);
    const nextColumns = (ownedState(clean) as { columns: unknown }).columns;
    expect(next).not.toEqual(previous);
    expect(total).toBeGreaterThan(10);
    const seen = new Set<string>();
    for (let n = 1; n <= total; n++) {
      const at = part ? part(ops[n - 1]) : null;
      const where = `request ${n}${at === null ? "" : ` after ${at} of ${ops[n - 1]} operations`}`;
      const book = base.reopen();
      const excel = new FakeExcel(book);
      excel.failRequest(n, at);
      const e = await analyzeWorkbook(new ExcelPort(excel), { lang: "en", today: TODAY }).then(
        () => null,
        (x: unknown) => x,
      );
      expect(e, where).not.toBeNull();
      const msg = excelErrorMessage(e);
      seen.add(msg.key);
      expect(
        ["addin.error.excel", "addin.error.midwaySheets", "addin.error.midwayColumns"],
        where,
      ).toContain(msg.key);
      expect(userCells(book), where).toEqual(user);
      const now = sheetsOf(book);
      if (msg.key === "addin.error.midwayColumns") expect(now, where).toEqual(next);
      else expect(now, where).toEqual(previous);
      expect(
        book.sheets.filter((s) => s.name.startsWith("~crm") || s.visibility === "Hidden"),
        where,
      ).toEqual([]);
      expect(recordOf(book).staging, where).toEqual([]);
      expect(recordOf(book).retire, where).toEqual([]);
      // and the next run completes the job
      excel.failRequest(null);
      await analyzeWorkbook(new ExcelPort(excel), { lang: "en", today: TODAY });
      expect(sheetsOf(book), `retry after ${where}`).toEqual(next);
      expect((ownedState(book) as { columns: unknown }).columns, where).toEqual(nextColumns);
      expect(userCells(book), where).toEqual(user);
    }
    return seen;
  }

  it("fails request N, whole, for every N of a full run: the user's cells intact, the previous results intact or fully replaced", async () => {
    const seen = await sweep(null);
    expect([...seen].sort()).toEqual([
      "addin.error.excel",
      "addin.error.midwayColumns",
      "addin.error.midwaySheets",
    ]);
  }, 120_000);

  it("fails request N halfway through its operations (Excel keeps the ones before), for every N", async () => {
    const seen = await sweep((ops) => Math.floor(ops / 2));
    expect(seen.has("addin.error.midwayColumns")).toBe(true);
    expect(seen.has("addin.error.midwaySheets")).toBe(true);
  }, 120_000);

  it("fails the swap after each of its operations: finished from the record, never half done", async () => {
    const base = userWorkbook();
    await analyzeWorkbook(new ExcelPort(new FakeExcel(base)), { lang: "zh", today: TODAY });
    const clean = base.reopen();
    const cleanExcel = new FakeExcel(clean);
    await analyzeWorkbook(new ExcelPort(cleanExcel), { lang: "en", today: TODAY });
    // the swap: the request that deletes the previous sheets (and names the new ones)
    const names = (book: FakeWorkbook) => book.sheets.map((s) => s.name).sort();
    const swap = cleanExcel.stats.findIndex((x) => x.labels.includes("worksheet.delete")) + 1;
    expect(cleanExcel.stats.filter((x) => x.labels.includes("worksheet.delete"))).toHaveLength(1);
    const ops = cleanExcel.stats[swap - 1].operations;
    expect(ops).toBeGreaterThan(4);
    const seen = new Set<string>();
    for (let k = 1; k < ops; k++) {
      const book = base.reopen();
      const excel = new FakeExcel(book);
      excel.failRequest(swap, k);
      const e = await analyzeWorkbook(new ExcelPort(excel), { lang: "en", today: TODAY }).then(
        () => null,
        (x: unknown) => x,
      );
      // before the record is written (screen updating is the first operation): the previous
      // sheets; after it: all the new ones, whatever else of the request ran
      const key = excelErrorMessage(e).key;
      seen.add(key);
      if (key === "addin.error.midwaySheets")
        expect(names(book), `after ${k}`).toEqual(names(base));
      else {
        expect(key, `after ${k}`).toBe("addin.error.midwayColumns");
        expect(names(book), `after ${k}`).toEqual(names(clean));
      }
      expect(book.sheets.filter((s) => s.visibility === "Hidden")).toEqual([]);
      expect(recordOf(book).retire).toEqual([]);
    }
    expect(seen).toEqual(new Set(["addin.error.midwaySheets", "addin.error.midwayColumns"]));
    // The same, and the recovery request fails too (the connection is gone): the next run
    // finishes the job from the record.
    for (let k = 1; k < ops; k++) {
      const book = base.reopen();
      const excel = new FakeExcel(book);
      excel.failRequest(swap, k);
      let runs = 0;
      const host = {
        run: <T>(b: (ctx: Excel.RequestContext) => Promise<T>) =>
          ++runs === 3 ? Promise.reject(new FakeError("RequestAborted", "gone")) : excel.run(b),
        isSetSupported: (n: string, v: string) => excel.isSetSupported(n, v),
      };
      await analyzeWorkbook(new ExcelPort(host), { lang: "en", today: TODAY }).catch(() => null);
      expect(runs, `after ${k}`).toBe(3);
      excel.failRequest(null);
      const r = await analyzeWorkbook(new ExcelPort(excel), { lang: "en", today: TODAY });
      expect(names(book), `after ${k}, next run`).toEqual(names(clean));
      expect(book.sheets.filter((s) => s.visibility === "Hidden")).toEqual([]);
      expect(
        r.notices.filter((n) => n.key.startsWith("addin.warn.owned")),
        `after ${k}`,
      ).toEqual([]);
    }
  }, 120_000);
});

describe("result columns are found by position, not by name", () => {
  it("a column the user inserts inside the table moves them; they are found from the right end and updated in place", async () => {
    const book = userWorkbook();
    const port = new ExcelPort(new FakeExcel(book));
    await analyzeWorkbook(port, { lang: "zh", today: TODAY });
    const t = book.tables.find((x) => x.name === "Customers")!;
    const cols = t.cols;
    // The user inserts a column at D (index 3) inside the table: cells from D rightwards move.
    const sheet = book.sheet("客户");
    for (let r = t.row; r < t.row + t.rows; r++) {
      const line = sheet.cells.get(r);
      if (!line) continue;
      const moved = new Map<number, typeof line extends Map<number, infer C> ? C : never>();
      for (const [c, cell] of line) moved.set(c >= 3 && c < t.col + t.cols ? c + 1 : c, cell);
      sheet.cells.set(r, moved);
    }
    t.cols += 1;
    book.put("客户", "D3", [["渠道"], ["线上"], ["线下"], ["线上"], ["线上"], ["线下"], ["线上"]]);
    const before = userCells(book);
    const second = await analyzeWorkbook(port, { lang: "zh", today: TODAY });
    expect(t.cols).toBe(cols + 1); // nothing appended
    expect(userCells(book)).toEqual(before);
    expect(second.notices.filter((n) => n.key === "addin.warn.nameClash")).toEqual([]);
    const header = book.read(sheet, { row: 2, col: 0, rows: 1, cols: t.cols })[0];
    expect(header.filter((h) => h === "阶段")).toHaveLength(1);
    expect(header.indexOf("渠道")).toBe(3);
  });
});

describe("Cancel while the new result sheets are written", () => {
  it("removes the half-written sheets and keeps the previous ones", async () => {
    const book = userWorkbook();
    const port = new ExcelPort(new FakeExcel(book));
    await port.read();
    await port.write(sampleOutput(), { dateSystem: "1900" });
    const previous = structuredClone(ownedState(book));
    const user = userCells(book);
    for (const k of [2, 3, 4, 5, 6, 7]) {
      await port.read();
      const ctl = new AbortController();
      let flushes = 0;
      const out = sampleOutput("en", false);
      const err = await port
        .write(out, {
          dateSystem: "1900",
          signal: ctl.signal,
          onProgress: () => {
            if (++flushes === k) ctl.abort();
          },
        })
        .catch((e: unknown) => e);
      expect(err, `cancel after request ${k}`).toBeInstanceOf(CancelledError);
      expect(userCells(book)).toEqual(user);
      expect(ownedState(book)).toEqual(previous);
      expect(book.sheets.filter((s) => s.name.startsWith("~crm"))).toEqual([]);
      expect(recordOf(book).staging).toEqual([]);
    }
  });
});
