/**
 * The customer card in the pane (issue 17 §1), through the in-memory workbook: the user
 * selects a cell of a customer's row in Customers, Orders or Interactions; the adapter's
 * selection event (workbook.onSelectionChanged) names the row's customer ID and the kept
 * analysis (in a worker stand-in, every message structured-cloned) builds that customer's card.
 */
import { describe, expect, it } from "vitest";
import { analyzeWorkbook } from "../../addin/analyze.js";
import { workerAnalyser } from "../../addin/worker-client.js";
import { sampleBook, standIn } from "../helpers/pane-book.js";
import type { FakeWorkbook } from "../../addin/fake-excel.js";
import { cardForSelection } from "../../addin/card-model.js";
import type { SelectedRow } from "../../addin/workbook-port.js";
import { sampleWorkbook, SAMPLE_SHEETS } from "../../analysis/sample.js";
import { t } from "../../analysis/messages/index.js";
import type { Lang } from "../../analysis/types.js";

const TODAY = Math.round(Date.parse("2026-11-20") / 86_400_000);

/** The value under `header` in 1-based row `row` of a sheet. */
function cell(book: FakeWorkbook, sheet: string, row: number, header: string): unknown {
  const s = book.findSheet(sheet)!;
  for (const [c, v] of s.cells.get(0) ?? [])
    if (v.value === header) return s.cells.get(row - 1)?.get(c)?.value;
  throw new Error(`no header ${header} on ${sheet}`);
}

async function setup(lang: Lang) {
  const { book, port } = await sampleBook(lang);
  const summary = await analyzeWorkbook(port, {
    lang,
    today: TODAY,
    analyser: workerAnalyser(standIn, { keepForCards: true }),
  });
  const seen: SelectedRow[] = [];
  const off = await port.onSelection((r) => seen.push(r));
  /** Select like a user and wait for the event's row. */
  const select = async (sheet: string, address: string): Promise<SelectedRow> => {
    const before = seen.length;
    book.userSelect(sheet, address);
    for (let i = 0; i < 1000 && seen.length === before; i++)
      await new Promise((r) => setTimeout(r, 5));
    expect(seen.length).toBe(before + 1);
    return seen[seen.length - 1];
  };
  return { book, port, summary, select, off, seen };
}

describe("the customer card of a selected row", () => {
  for (const lang of ["en", "zh"] as const)
    it(`shows the selected customer's card from Customers, Orders and Interactions (${lang})`, async () => {
      const { book, summary, select } = await setup(lang);
      const sheets = {
        customers: SAMPLE_SHEETS.customers[lang],
        orders: SAMPLE_SHEETS.orders[lang],
        interactions: SAMPLE_SHEETS.interactions[lang],
      };
      const sample = sampleWorkbook({ lang });
      const [idH, nameH] = sample.customers.headers;
      const phoneH = sample.customers.headers.find((h) => /电话|Phone/.test(h))!;
      const idOf = (k: "orders" | "interactions") =>
        sample[k].headers.find((h) => h === idH || /客户编号|Customer ID/.test(h))!;
      /** The Customers sheet's row of an ID. */
      const customerRowOf = (id: unknown) => {
        for (let r = 2; r <= sample.customers.rows.length + 1; r++)
          if (cell(book, sheets.customers, r, idH) === id) return r;
        throw new Error(`no customer ${String(id)}`);
      };

      // Customers: a cell in the middle of row 7
      const fromCustomers = await select(sheets.customers, "D7");
      expect(fromCustomers).toMatchObject({ sheet: sheets.customers, row: 7, kind: "customers" });
      const v1 = await cardForSelection(fromCustomers, summary);
      expect(v1.kind).toBe("card");
      if (v1.kind !== "card") return;
      expect(v1.card.id).toBe(String(cell(book, sheets.customers, 7, idH)));
      expect(v1.card.name).toBe(cell(book, sheets.customers, 7, nameH));
      expect(v1.card.phone).toBe(String(cell(book, sheets.customers, 7, phoneH)));
      expect(v1.card.monthly).toHaveLength(24);
      expect(v1.stale).toBe(false);

      // Orders and Interactions: the row's customer, whose name is on the Customers sheet
      for (const k of ["orders", "interactions"] as const) {
        const id = cell(book, sheets[k], 12, idOf(k));
        const sel = await select(sheets[k], "B12");
        expect(sel).toMatchObject({ sheet: sheets[k], row: 12, kind: k, id: String(id) });
        const v = await cardForSelection(sel, summary);
        expect(v.kind).toBe("card");
        if (v.kind !== "card") return;
        const r = customerRowOf(id);
        expect(v.card.id).toBe(String(id));
        expect(v.card.name).toBe(cell(book, sheets.customers, r, nameH));
        expect(v.card.phone).toBe(String(cell(book, sheets.customers, r, phoneH)));
      }
    });

  it("shows the card of a Follow-ups row, and none for its title and header rows", async () => {
    const { book, summary, select } = await setup("zh");
    const sheet = summary.written.names!.followups!;
    expect(sheet).toBe("待联系");
    const rows = book.findSheet(sheet)!.cells;
    // the sheet: a title in row 1, the list's headers in row 2 (客户编号, 客户名称, …), then IDs
    expect(rows.get(1)?.get(0)?.value).toBe("客户编号");
    expect(rows.get(1)?.get(1)?.value).toBe("客户名称");
    const id = rows.get(2)?.get(0)?.value;
    expect(id).toMatch(/^KH\d+$/);
    const sel = await select(sheet, "C3");
    expect(sel).toMatchObject({ kind: "followups", id: String(id) });
    const v = await cardForSelection(sel, summary);
    expect(v).toMatchObject({ kind: "card", card: { id: String(id) } });
    if (v.kind === "card") expect(v.card.name).toBe(rows.get(2)?.get(1)?.value);
    for (const row of [1, 2]) {
      const head = await cardForSelection(await select(sheet, `A${row}`), summary);
      expect(head).toMatchObject({ kind: "message", msg: { key: "addin.card.noId" } });
    }
  });

  it("says clearly when the selected row carries no customer ID, or is outside the tables", async () => {
    const { book, summary, select } = await setup("en");
    const sheet = SAMPLE_SHEETS.interactions.en;
    const sample = sampleWorkbook({ lang: "en" });
    const idCol = sample.interactions.headers.findIndex((h) => /Customer ID/.test(h));
    expect(idCol).toBeGreaterThanOrEqual(0);
    // the user clears the ID of row 5 after the analysis
    book.findSheet(sheet)!.cells.get(4)!.delete(idCol);
    const sel = await select(sheet, "A5");
    expect(sel.id).toBeNull();
    const v = await cardForSelection(sel, summary);
    expect(v).toMatchObject({ kind: "message", msg: { key: "addin.card.noId" } });
    if (v.kind === "message")
      expect(t("en", v.msg)).toBe(
        `${sheet} row 5 has no customer ID, so there is no card to show. Select a row that carries a customer ID.`,
      );
    // the header row has no customer ID either
    const head = await cardForSelection(await select(sheet, "C1"), summary);
    expect(head).toMatchObject({ kind: "message", msg: { key: "addin.card.noId" } });
    // below the table: not a row of any table read
    const below = await select(sheet, `A${sample.interactions.rows.length + 5}`);
    expect(below.kind).toBe("interactions");
    expect(await cardForSelection(below, summary)).toMatchObject({
      kind: "message",
      msg: { key: "addin.card.noId" },
    });
    // before any analysis
    expect(await cardForSelection(sel, null)).toMatchObject({
      msg: { key: "addin.card.noAnalysis" },
    });
  });

  it("says the analysis is older than the data once the Orders table has grown", async () => {
    const { book, summary, select } = await setup("en");
    const sheet = SAMPLE_SHEETS.customers.en;
    expect((await select(sheet, "B3")).stale).toBe(false);
    book.tables.find((x) => x.name === "Orders")!.rows += 1; // a row added to the table
    const sel = await select(sheet, "B3");
    expect(sel.stale).toBe(true);
    expect(await cardForSelection(sel, summary)).toMatchObject({ kind: "card", stale: true });
  });

  it("stops calling the handler once unsubscribed", async () => {
    const { book, off, seen, select } = await setup("en");
    await select(SAMPLE_SHEETS.customers.en, "A2");
    await off();
    const n = seen.length;
    book.userSelect(SAMPLE_SHEETS.customers.en, "A3");
    await new Promise((r) => setTimeout(r, 30));
    expect(seen.length).toBe(n);
  });
});
