/**
 * What the pane's follow-up cards are built from (issue 18 §3): after Analyze on the sample
 * workbook, each listed follow-up carries its customer's phone, contact person and row on the
 * Customers sheet (read back from that sheet here), through the worker's structured-clone
 * crossing too; stale items come apart from today's list. And the sample workbook made by a
 * pane in another frame (the playground): its Dates fail `instanceof Date` in the adapter's
 * realm and were written as text ("e.trim is not a function", issue 18 §18).
 */
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { analyzeWorkbook, type PaneFollowupList } from "../../addin/analyze.js";
import { workerAnalyser } from "../../addin/worker-client.js";
import { sampleBook, standIn } from "../helpers/pane-book.js";
import type { FakeWorkbook } from "../../addin/fake-excel.js";
import { SAMPLE_SHEETS } from "../../analysis/sample.js";
import { t } from "../../analysis/messages/index.js";
import type { Lang } from "../../analysis/types.js";

const TODAY = Math.round(Date.parse("2026-11-20") / 86_400_000);

/** The Customers sheet's row `row` (1-based) as header → value. */
function customerRow(book: FakeWorkbook, lang: Lang, row: number): Record<string, unknown> {
  const sheet = book.findSheet(SAMPLE_SHEETS.customers[lang])!;
  const out: Record<string, unknown> = {};
  for (const [c, cell] of sheet.cells.get(0) ?? [])
    out[String(cell.value)] = sheet.cells.get(row - 1)?.get(c)?.value;
  return out;
}

const col = (list: PaneFollowupList, lang: Lang, key: string) =>
  list.columns.findIndex((c) => c.header === t(lang, `followup.col.${key}`));

describe("follow-up cards in the pane", () => {
  for (const lang of ["en", "zh"] as const)
    it(`carry each customer's phone, contact person and Customers row (${lang}, via the worker)`, async () => {
      const { book, port } = await sampleBook(lang);
      const s = await analyzeWorkbook(port, {
        lang,
        today: TODAY,
        analyser: workerAnalyser(standIn),
      });
      const f = s.followups!;
      expect(f.customersSheet).toBe(SAMPLE_SHEETS.customers[lang]);
      const lists = [f.current, ...(f.stale ? [f.stale] : [])];
      expect(f.current.rows.length).toBeGreaterThan(5);
      let checked = 0;
      for (const list of lists) {
        expect(list.contacts).toHaveLength(list.rows.length);
        const idCol = col(list, lang, "customerId");
        const ownerCol = col(list, lang, "owner");
        expect(idCol).toBeGreaterThanOrEqual(0);
        list.rows.forEach((r, i) => {
          const c = list.contacts[i];
          expect(c.row).not.toBeNull();
          const sheetRow = customerRow(book, lang, c.row!);
          const values = Object.values(sheetRow);
          // the row the card selects is this customer's: its ID, phone, contact and owner
          expect(values[0]).toBe(r[idCol]);
          expect(values).toContain(c.phone);
          expect(values).toContain(c.contact);
          expect(values).toContain(r[ownerCol]);
          expect(c.phone).toMatch(/^1\d{10}$/);
          expect(c.contact.length).toBeGreaterThan(1);
          checked++;
        });
      }
      expect(checked).toBe(f.current.rows.length + (f.stale?.rows.length ?? 0));
    });

  it("keeps stale items out of today's list, in a list of their own", async () => {
    // a year after the sample's last day: many follow-ups are overdue beyond the stale setting
    const { port } = await sampleBook("en");
    const s = await analyzeWorkbook(port, { lang: "en", today: TODAY + 365 });
    const f = s.followups!;
    expect(f.stale).not.toBeNull();
    const stale = f.stale!;
    const days = (list: PaneFollowupList) =>
      list.rows.map((r) => r[col(list, "en", "daysOverdue")] as number);
    expect(stale.rows.length).toBeGreaterThan(0);
    expect(stale.title).toMatch(/^Stale: overdue by more than \d+ days/);
    const staleDays = Number(/more than (\d+)/.exec(stale.title!)![1]);
    for (const d of days(stale)) expect(d).toBeGreaterThan(staleDays);
    for (const d of days(f.current)) expect(d).toBeLessThanOrEqual(staleDays);
    const ids = (list: PaneFollowupList) => list.rows.map((r) => r[0]);
    expect(ids(f.current).filter((id) => ids(stale).includes(id))).toEqual([]);
  });
});

describe("the sample workbook from another frame", () => {
  it("writes Dates made in another realm as dates, not text", async () => {
    const make = runInNewContext("(t) => new Date(t)") as (t: number) => unknown;
    const foreign = (d: Date) => make(d.getTime());
    expect(foreign(new Date(0)) instanceof Date).toBe(false); // the case of the playground
    const { book } = await sampleBook("en", foreign);
    const { book: same } = await sampleBook("en");
    const orders = (b: FakeWorkbook) => {
      const sheet = b.findSheet(SAMPLE_SHEETS.orders.en)!;
      return [...sheet.cells.values()].slice(1, 4).map((r) => [...r.values()].map((c) => c.value));
    };
    expect(orders(book)).toEqual(orders(same));
    expect(orders(book)[0].some((v) => typeof v === "number" && v > 40_000)).toBe(true);
  });
});
