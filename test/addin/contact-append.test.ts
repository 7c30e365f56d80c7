/**
 * Logging a contact writes exactly one row (issue 17 §2), through the adapter over the
 * in-memory workbook: the Interactions table grows by one row and no other cell of the
 * workbook changes; text stays text; a missing table is created only when asked (the pane asks
 * first), beside a user's sheet of that name; a protected sheet refuses with a message and
 * nothing is written. Also the fake's TableRowCollection.add as Excel documents it.
 */
import { describe, expect, it } from "vitest";
import { sampleBook } from "../helpers/pane-book.js";
import { ExcelPort, CONTACT_FORMATS } from "../../addin/excel-adapter.js";
import { FakeExcel, FakeWorkbook, type FakeWorkbook as Book } from "../../addin/fake-excel.js";
import { AddinError } from "../../addin/workbook-port.js";
import { SAMPLE_SHEETS, sampleWorkbook } from "../../analysis/sample.js";
import { dayFromIso, dayToExcelSerial } from "../../analysis/dates.js";
import type { ContactEntry } from "../../analysis/contact-log.js";
import { t } from "../../analysis/messages/index.js";

const entry = (over: Partial<ContactEntry> = {}): ContactEntry => ({
  customer: "00123",
  type: "call",
  day: dayFromIso("2026-11-15"),
  minutes: 14 * 60 + 30,
  note: "=1+1",
  deal: "none",
  complaint: false,
  next: dayFromIso("2026-11-29"),
  ...over,
});

/** Every cell of every sheet, as "sheet!row,col" → cell JSON. */
function cells(book: Book): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of book.sheets)
    for (const [r, line] of s.cells)
      for (const [c, cell] of line) out.set(`${s.name}!${r},${c}`, JSON.stringify(cell));
  return out;
}

/** What changed between two snapshots: keys added, removed or different. */
function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => before.get(k) !== after.get(k)).sort();
}

describe("appendInteraction: one row, nothing else", () => {
  for (const lang of ["zh", "en"] as const)
    it(`adds exactly one row to the Interactions table and changes no other cell (${lang})`, async () => {
      const { book, port } = await sampleBook(lang);
      const sheet = SAMPLE_SHEETS.interactions[lang];
      const table = book.tables.find((x) => x.name === "Interactions")!;
      const rowsBefore = table.rows;
      const before = cells(book);
      const res = await port.appendInteraction(entry({ deal: "open", note: "00123" }), {
        dateSystem: "1900",
        lang,
      });
      const dataRows = sampleWorkbook({ lang }).interactions.rows.length;
      expect(res).toEqual({
        status: "written",
        sheet,
        row: dataRows + 2,
        created: false,
        lang,
        dropped: [],
      });
      expect(table.rows).toBe(rowsBefore + 1);
      const diff = changed(before, cells(book));
      // the six cells of the new row (0-based sheet row = res.row - 1), and nothing else
      expect(diff).toEqual(
        [0, 1, 2, 3, 4, 5]
          .map((c) => `${sheet}!${res.status === "written" ? res.row - 1 : -1},${c}`)
          .sort(),
      );
      const row = book.read(book.sheet(sheet), { row: dataRows + 1, col: 0, rows: 1, cols: 6 })[0];
      const serial = dayToExcelSerial(dayFromIso("2026-11-15"), "1900");
      expect(row).toEqual([
        serial + (14 * 60 + 30) / 1440,
        "00123",
        lang === "zh" ? "电话" : "phone",
        lang === "zh" ? "商机" : "deal",
        lang === "zh" ? "进行中：00123" : "open: 00123",
        dayToExcelSerial(dayFromIso("2026-11-29"), "1900"),
      ]);
      const s = book.sheet(sheet);
      expect(s.cells.get(dataRows + 1)?.get(0)?.numberFormat).toBe(CONTACT_FORMATS.dateTime);
      expect(s.cells.get(dataRows + 1)?.get(5)?.numberFormat).toBe(CONTACT_FORMATS.date);
    });

  it("keeps text as text: an outcome '=1+1', an ID '00123', 'Jan 5'", async () => {
    const { book, port } = await sampleBook("en");
    const sheet = SAMPLE_SHEETS.interactions.en;
    for (const note of ["=1+1", "Jan 5", "TRUE", "#N/A"]) {
      const res = await port.appendInteraction(entry({ note }), { dateSystem: "1900", lang: "en" });
      if (res.status !== "written") throw new Error("not written");
      const c = book.sheet(sheet).cells.get(res.row - 1)!;
      expect([c.get(1)?.value, c.get(4)?.value, c.get(4)?.formula, c.get(4)?.error]).toEqual([
        "00123",
        note,
        undefined,
        undefined,
      ]);
    }
  });

  it("writes below a totals row's table body, the totals row moving down", async () => {
    const { book, port } = await sampleBook("en");
    const table = book.tables.find((x) => x.name === "Interactions")!;
    const s = book.sheet(SAMPLE_SHEETS.interactions.en);
    // the user's last row becomes a totals row
    table.showTotals = true;
    const lastRow = table.row + table.rows - 1;
    const totals = JSON.stringify([...s.cells.get(lastRow)!]);
    const res = await port.appendInteraction(entry(), { dateSystem: "1900", lang: "en" });
    expect(res).toMatchObject({ status: "written", row: lastRow + 1 });
    expect(JSON.stringify([...s.cells.get(lastRow + 1)!])).toBe(totals);
  });
});

describe("appendInteraction without an Interactions table", () => {
  async function withoutInteractions(lang: "zh" | "en") {
    const { book, port } = await sampleBook(lang);
    book.deleteSheet(SAMPLE_SHEETS.interactions[lang]);
    return { book, port };
  }

  for (const lang of ["zh", "en"] as const)
    it(`says it is missing and writes nothing; creates it when asked (${lang})`, async () => {
      const { book, port } = await withoutInteractions(lang);
      const before = cells(book);
      const sheets = book.sheets.length;
      const name = lang === "zh" ? "联系记录" : "Interactions";
      const headers = sampleWorkbook({ lang }).interactions.headers;
      const asked = await port.appendInteraction(entry(), { dateSystem: "1900", lang });
      expect(asked).toEqual({ status: "missing", sheet: name, headers });
      expect(book.sheets.length).toBe(sheets);
      expect(changed(before, cells(book))).toEqual([]);

      const res = await port.appendInteraction(entry(), { dateSystem: "1900", create: true, lang });
      expect(res).toEqual({
        status: "written",
        sheet: name,
        row: 2,
        created: true,
        lang,
        dropped: [],
      });
      const table = book.tables.find((x) => x.name === "Interactions")!;
      expect(table).toMatchObject({ row: 0, col: 0, rows: 2, cols: 6 });
      expect(book.sheetById(table.sheetId).name).toBe(name);
      const grid = book.read(book.sheet(name), { row: 0, col: 0, rows: 2, cols: 6 });
      expect(grid[0]).toEqual(headers);
      expect(grid[1].slice(1, 5)).toEqual([
        "00123",
        lang === "zh" ? "电话" : "phone",
        lang === "zh" ? "跟进" : "follow-up",
        "=1+1",
      ]);
      // no other sheet changed
      expect(changed(before, cells(book)).every((k) => k.startsWith(`${name}!`))).toBe(true);
      // and the next contact goes into that table
      const next = await port.appendInteraction(entry(), { dateSystem: "1900", lang: "en" });
      expect(next).toMatchObject({ status: "written", sheet: name, row: 3, created: false });
      expect(table.rows).toBe(3);
    });

  it("creates it under a free name beside a user's sheet of that name", async () => {
    const { book, port } = await withoutInteractions("zh");
    book.addSheet("联系记录");
    book.put("联系记录", "A1", [["我的笔记"]]);
    const asked = await port.appendInteraction(entry(), { dateSystem: "1900", lang: "zh" });
    expect(asked).toMatchObject({ status: "missing", sheet: "联系记录（2）" });
    const res = await port.appendInteraction(entry(), {
      dateSystem: "1900",
      create: true,
      lang: "zh",
    });
    expect(res).toMatchObject({ status: "written", sheet: "联系记录（2）", row: 2 });
    expect(book.sheet("联系记录").cells.get(0)?.get(0)?.value).toBe("我的笔记");
  });

  it("refuses on a protected workbook structure, nothing written", async () => {
    const { book, port } = await withoutInteractions("en");
    book.protected = true;
    const before = cells(book);
    const err = await port
      .appendInteraction(entry(), { dateSystem: "1900", create: true, lang: "en" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AddinError);
    expect(t("en", (err as AddinError).msg)).toBe(
      "The workbook's structure is protected, so the sheet Interactions cannot be added and nothing was written. Unprotect the workbook (Review › Protect Workbook) and save again.",
    );
    expect(changed(before, cells(book))).toEqual([]);
  });
});

describe("appendInteraction on a protected sheet", () => {
  for (const lang of ["zh", "en"] as const)
    it(`says the sheet is protected and writes nothing (${lang})`, async () => {
      const { book, port } = await sampleBook(lang);
      const sheet = SAMPLE_SHEETS.interactions[lang];
      book.sheet(sheet).protected = true;
      const table = book.tables.find((x) => x.name === "Interactions")!;
      const rows = table.rows;
      const before = cells(book);
      const err = await port
        .appendInteraction(entry(), { dateSystem: "1900", lang: "en" })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AddinError);
      expect(t(lang, (err as AddinError).msg)).toBe(
        lang === "zh"
          ? "工作表 联系记录 受保护，联系没有记录，什么也没有写入。请先撤销工作表保护（审阅 › 撤销工作表保护），再保存一次。"
          : "Sheet Interactions is protected, so the contact was not logged and nothing was written. Unprotect the sheet (Review › Unprotect Sheet) and save again.",
      );
      expect(table.rows).toBe(rows);
      expect(changed(before, cells(book))).toEqual([]);
    });

  it("names the missing column of a table without customer IDs, nothing written", async () => {
    const book = new FakeWorkbook();
    const port = new ExcelPort(new FakeExcel(book));
    book.addSheet("Log");
    book.put("Log", "A1", [
      ["Date", "Client", "Channel", "Notes"],
      [46000, "x", "phone", "hi"],
    ]);
    book.tables.push({
      id: "t1",
      name: "Interactions",
      sheetId: book.sheet("Log").id,
      row: 0,
      col: 0,
      rows: 2,
      cols: 4,
    });
    const before = cells(book);
    const err = await port
      .appendInteraction(entry(), { dateSystem: "1900", lang: "en" })
      .catch((e: unknown) => e);
    expect(t("en", (err as AddinError).msg)).toBe(
      "The Interactions table on sheet Log has no Customer ID column, which the analysis needs to read a contact. Add the column and save again; nothing was written.",
    );
    expect(changed(before, cells(book))).toEqual([]);
  });
});

describe("the in-memory workbook's TableRowCollection.add", () => {
  function book3() {
    const book = new FakeWorkbook();
    book.addSheet("S");
    book.put("S", "A1", [
      ["H1", "H2"],
      [1, 2],
    ]);
    book.put("S", "A3", [["below the table"]]);
    book.put("S", "D3", [["beside, below"]]);
    book.tables.push({
      id: "t1",
      name: "T",
      sheetId: book.sheet("S").id,
      row: 0,
      col: 0,
      rows: 2,
      cols: 2,
    });
    return book;
  }

  it("adds at the end, shifting the cells below in the table's columns only", async () => {
    const book = book3();
    const index = await new FakeExcel(book).run(async (ctx) => {
      const row = ctx.workbook.tables
        .getItem("T")
        .rows.add(null as unknown as undefined, [["007", 5]]);
      row.load("index");
      await ctx.sync();
      return row.index;
    });
    expect(index).toBe(1);
    expect(book.read(book.sheet("S"), { row: 0, col: 0, rows: 4, cols: 4 })).toEqual([
      ["H1", "H2", null, null],
      [1, 2, null, null],
      [7, 5, null, "beside, below"], // "007" read as in a General cell; D3 stays
      ["below the table", null, null, null],
    ]);
    expect(book.tables[0].rows).toBe(3);
  });

  it("refuses a row of the wrong width and a protected sheet, changing nothing", async () => {
    const book = book3();
    const excel = new FakeExcel(book);
    await expect(
      excel.run(async (ctx) => {
        ctx.workbook.tables.getItem("T").rows.add(undefined, [[1, 2, 3]]);
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: "InvalidArgument" });
    book.sheet("S").protected = true;
    await expect(
      excel.run(async (ctx) => {
        ctx.workbook.tables.getItem("T").rows.add(undefined, [[1, 2]]);
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: "AccessDenied" });
    expect(book.tables[0].rows).toBe(2);
    expect(book.read(book.sheet("S"), { row: 2, col: 0, rows: 1, cols: 1 })).toEqual([
      ["below the table"],
    ]);
  });
});
