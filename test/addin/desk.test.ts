/**
 * The account manager's desk in the pane (issue 17 §3–§5), through the in-memory workbook and
 * a worker stand-in (every message structured-cloned): Today's order (overdue before due
 * today, then long overdue; by call slot within each), the owner filter ("王磊" and "王磊 " one
 * owner, "Wang Lei" another; an unknown owner falls back to all with a notice), a customer ID
 * twice in Customers (the first row selected, the other named), a click's row selecting that
 * customer in the fake, Review equal to analysis/cards.ts's review, the owners table equal to
 * owners.csv's figures, and the printable page: one card per customer, each ID as text.
 */
import { describe, expect, it } from "vitest";
import { analyzeWorkbook, type PaneSummary } from "../../addin/analyze.js";
import { workerAnalyser } from "../../addin/worker-client.js";
import { ExcelPort } from "../../addin/excel-adapter.js";
import { FakeExcel, FakeWorkbook } from "../../addin/fake-excel.js";
import {
  deskDate,
  deskLookup,
  PRINT_LIMIT,
  type PaneDesk,
  type DeskQuery,
} from "../../addin/desk.js";
import { standIn } from "../helpers/pane-book.js";
import { sampleWorkbook, SAMPLE_SHEETS } from "../../analysis/sample.js";
import { runAnalysis } from "../../analysis/index.js";
import { review, todaysCards } from "../../analysis/cards.js";
import { ownerCsvRows } from "../../analysis/output/owners.js";
import { ownerKey } from "../../analysis/owners.js";
import type { Cell, Lang, RawTable } from "../../analysis/types.js";
import type { SelectedRow } from "../../addin/workbook-port.js";
import { isoDay } from "../../analysis/dates.js";

const TODAY = Math.round(Date.parse("2026-11-20") / 86_400_000);
const OWNER = 7; // the sample's 客户经理 / Owner column

type Edit = (customers: RawTable) => void;

/** The sample workbook (customers edited by `edit`) analysed in the fake through the worker. */
async function analysed(lang: Lang, edit: Edit = () => {}) {
  const book = new FakeWorkbook();
  const port = new ExcelPort(new FakeExcel(book));
  const sample = sampleWorkbook({ lang });
  edit(sample.customers);
  const tables = (["customers", "orders", "interactions"] as const).map((k) => {
    const data = sample[k];
    const dateColumns = data.headers
      .map((_, j) => j)
      .filter((j) => data.rows.some((r) => r[j] instanceof Date));
    return {
      sheet: SAMPLE_SHEETS[k][lang],
      table: k[0].toUpperCase() + k.slice(1),
      data,
      dateColumns,
    };
  });
  await port.addTables(tables, { dateSystem: "1900" });
  const summary = await analyzeWorkbook(port, {
    lang,
    today: TODAY,
    analyser: workerAnalyser(standIn, { keepForCards: true }),
  });
  // the same tables (and the stage history just written) analysed here, for the models
  const read = await port.read();
  const i = read.input;
  const core = runAnalysis(
    {
      orders: i.orders!,
      customers: i.customers,
      interactions: i.interactions,
      settings: i.settings,
      history: i.history,
    },
    { lang, today: TODAY },
  );
  return { book, port, summary, a: core.analysis, sample };
}

async function deskOf(s: PaneSummary, q: Omit<DeskQuery, "kind">): Promise<PaneDesk> {
  const answer = await s.desk({ kind: "desk", ...q });
  if (answer?.kind !== "desk") throw new Error("no desk");
  return answer.desk;
}

/** Select a row as the pane's click does (port.select) and wait for the selection event. */
async function selectLikeTheClick(port: ExcelPort, sheet: string, row: number) {
  const seen: SelectedRow[] = [];
  const off = await port.onSelection((r) => seen.push(r));
  await port.select(sheet, row, "");
  for (let k = 0; k < 400 && !seen.length; k++) await new Promise((r) => setTimeout(r, 5));
  await off();
  return seen[seen.length - 1];
}

describe("Today in the pane", () => {
  for (const lang of ["zh", "en"] as const)
    it(`lists overdue before due today before long overdue, by call slot, as crm cards does (${lang})`, async () => {
      const { summary, a } = await analysed(lang);
      const desk = await deskOf(summary, { owner: null, lang });
      const cards = todaysCards(a, { date: deskDate(a, TODAY) });
      // no as-of date on Settings: Today is the run's date, after the last order (a.asOf)
      expect(desk.date).toBe(TODAY);
      expect(deskDate(a, TODAY)).toBe(TODAY);
      expect(a.asOf).toBeLessThan(TODAY);
      expect(desk.todayCounts.total).toBe(cards.length);
      expect(desk.today.map((e) => e.id)).toEqual(
        cards.slice(0, desk.today.length).map((c) => c.id),
      );
      expect(desk.todayCounts).toEqual({ total: 125, overdue: 82, due: 8, stale: 35 });
      // groups in order: overdue (not long), due on the date, long overdue
      const group = (e: PaneDesk["today"][number]) => (e.stale ? 2 : e.daysOverdue > 0 ? 0 : 1);
      const groups = desk.today.map(group);
      expect(groups).toEqual([...groups].sort((x, y) => x - y));
      expect(groups[0]).toBe(0);
      expect(groups.filter((g) => g === 1)).toHaveLength(8);
      // within a group: call slot (day, then window start) never goes back
      for (let k = 1; k < desk.today.length; k++) {
        const [p, q] = [desk.today[k - 1], desk.today[k]];
        if (group(p) !== group(q)) continue;
        const ps = p.slot!.day * 1440 + p.slot!.start;
        const qs = q.slot!.day * 1440 + q.slot!.start;
        expect(qs).toBeGreaterThanOrEqual(ps);
      }
      // each entry: name, ID, phone, one-line reason, slot on a weekday on or after the date
      const first = desk.today[0];
      expect(first.phone).toMatch(/^1\d{10}$/);
      expect(first.name.length).toBeGreaterThan(1);
      expect(first.reason.key).toMatch(/^followup\./);
      expect(first.slot!.day).toBeGreaterThanOrEqual(desk.date);
      expect([1, 2, 3, 4, 5]).toContain((((first.slot!.day + 4) % 7) + 7) % 7);
    });

  it("selects the entry's customer row in the Customers table when clicked", async () => {
    const { port, summary } = await analysed("zh");
    const desk = await deskOf(summary, { owner: null, lang: "zh" });
    for (const e of [desk.today[0], desk.today[7], desk.today[desk.today.length - 1]]) {
      const sel = await selectLikeTheClick(port, desk.customersSheet!, e.row!);
      expect(sel).toMatchObject({ sheet: SAMPLE_SHEETS.customers.zh, row: e.row, id: e.id });
      expect(sel.kind).toBe("customers");
      // and the card the pane then shows is that customer's
      expect((await summary.card(sel.id!))?.name).toBe(e.name);
    }
  });
});

describe("Today after a logged contact", () => {
  it("drops a customer whose logged contact planned the next one later", async () => {
    const { summary } = await analysed("en");
    const before = await deskOf(summary, { owner: null, lang: "en" });
    const e = before.today[0];
    expect(e.daysOverdue).toBeGreaterThan(0);
    const update = await summary.log(e.id, {
      row: 9999,
      day: before.date,
      channel: "phone",
      type: "followup",
      outcome: "call back in ten days",
      nextContact: before.date + 10,
    });
    expect(update?.followup.nextContact).toBe(before.date + 10);
    const after = await deskOf(summary, { owner: null, lang: "en" });
    expect(after.todayCounts.total).toBe(before.todayCounts.total - 1);
    // the list shows the first entries only: the next one due moves up into it
    expect(after.today.slice(0, before.today.length - 1).map((x) => x.id)).toEqual(
      before.today.slice(1).map((x) => x.id),
    );
  });
});

describe("the owner filter (my customers)", () => {
  /** 王磊 written "王磊 " on one row; one of 张伟's customers given to "Wang Lei". */
  const twoWays: Edit = (c) => {
    const wang = c.rows.filter((r) => r[OWNER] === "王磊");
    wang[1][OWNER] = "王磊 ";
    c.rows.find((r) => r[OWNER] === "张伟")![OWNER] = "Wang Lei";
  };

  it('counts "王磊" and "王磊 " as one owner and "Wang Lei" as another', async () => {
    const { summary, a, sample } = await analysed("zh", twoWays);
    const all = await deskOf(summary, { owner: null, lang: "zh" });
    const keys = all.owners.map((o) => o.key);
    expect(keys).toContain("王磊");
    expect(keys).toContain("Wang Lei");
    expect(keys.filter((k) => ownerKey(k) === "王磊")).toHaveLength(1);
    const wang = all.owners.find((o) => o.key === "王磊")!;
    const rowsOf = (name: string) =>
      sample.customers.rows.flatMap((r, i) => (r[OWNER] === name ? [i + 2] : []));
    expect(wang.count).toBe(rowsOf("王磊").length + 1);
    // both spellings named, with their rows
    expect(rowsOf("王磊").length).toBeGreaterThan(5);
    expect(wang.spellings).toEqual([
      { text: "王磊", rows: rowsOf("王磊").slice(0, 5), more: true },
      { text: "王磊 ", rows: rowsOf("王磊 "), more: false },
    ]);
    expect(all.owners.find((o) => o.key === "Wang Lei")!.count).toBe(1);

    // "王磊 " asked for is 王磊: the same customers as crm cards --owner 王磊
    const typed = await deskOf(summary, { owner: "王磊 ", lang: "zh" });
    expect(typed.owner).toBe("王磊");
    const mine = todaysCards(a, { owner: "王磊", date: deskDate(a, TODAY) });
    expect(typed.todayCounts.total).toBe(mine.length);
    expect(typed.today.map((e) => e.id)).toEqual(mine.map((c) => c.id));
    expect(new Set(typed.today.map((e) => ownerKey(e.owner)))).toEqual(new Set(["王磊"]));
    const other = await deskOf(summary, { owner: "Wang Lei", lang: "zh" });
    expect(other.owner).toBe("Wang Lei");
    const ids = new Set(typed.today.map((e) => e.id));
    expect(other.today.every((e) => !ids.has(e.id))).toBe(true);
    expect(other.today.map((e) => e.id)).toEqual(
      todaysCards(a, { owner: "Wang Lei", date: deskDate(a, TODAY) }).map((c) => c.id),
    );
    // review for the owner: only the owner's customers
    const rev = review(a, { owner: "王磊", date: deskDate(a, TODAY) });
    expect(typed.review.grades.map((g) => g.total)).toEqual(
      rev.grades.map((g) => g.customers.length),
    );
  });

  it("falls back to every owner, saying so, for an owner this workbook does not have", async () => {
    const { summary } = await analysed("en");
    const d = await deskOf(summary, { owner: "Nobody Here", lang: "en" });
    expect(d.owner).toBeNull();
    expect(d.notice).toEqual({ key: "desk.owner.gone", params: { owner: "Nobody Here" } });
    expect(d.todayCounts.total).toBe(125);
  });

  it("gives the unassigned customers their own choice", async () => {
    const { summary, a } = await analysed("zh");
    const d = await deskOf(summary, { owner: "", lang: "zh" });
    expect(d.owner).toBe("");
    const unassigned = d.owners.find((o) => o.key === "")!;
    expect(unassigned.count).toBe(1);
    expect(d.today.map((e) => e.id)).toEqual(
      todaysCards(a, { owner: "", date: deskDate(a, TODAY) }).map((c) => c.id),
    );
  });
});

describe("a customer ID twice in Customers", () => {
  it("keeps and selects the first row, and names the other", async () => {
    // the first customer of today's list, written again as the table's last row
    const plain = await analysed("zh");
    const target = (await deskOf(plain.summary, { owner: null, lang: "zh" })).today[0];
    let dupRow = 0;
    const { port, summary } = await analysed("zh", (c) => {
      const copy = [...c.rows.find((r) => r[0] === target.id)!] as Cell[];
      copy[1] = "重复的客户";
      c.rows.push(copy);
      dupRow = c.rows.length + 1;
    });
    const desk = await deskOf(summary, { owner: null, lang: "zh" });
    const e = desk.today.find((x) => x.id === target.id)!;
    expect(e.row).toBe(target.row);
    expect(e.dupRows).toEqual([dupRow]);
    expect(e.name).toBe(target.name);
    const sel = await selectLikeTheClick(port, desk.customersSheet!, e.row!);
    expect(sel.row).toBe(target.row);
  });
});

describe("Review in the pane", () => {
  it("lists the cards due by grade cadence and the changes since the previous snapshot, as analysis/cards.ts", async () => {
    const { book, port, summary, a } = await analysed("en");
    const d = await deskOf(summary, { owner: null, lang: "en" });
    const rev = review(a, { date: deskDate(a, TODAY) });
    expect(d.review.previous).toBeNull();
    expect(d.review.grades.map((g) => [g.grade, g.reviewDays, g.due, g.total])).toEqual(
      rev.grades.map((g) => [g.grade, g.reviewDays, g.due, g.customers.length]),
    );
    // A daily: due, listed best first (40 shown); B weekly and C monthly not due on this date
    expect(d.review.grades.map((g) => [g.grade, g.reviewDays, g.due])).toEqual([
      ["A", 1, true],
      ["B", 7, false],
      ["C", 30, false],
      ["D", 30, false],
    ]);
    const gA = d.review.grades[0];
    expect(gA.entries.map((x) => x.id)).toEqual(
      rev.grades[0].customers.slice(0, 40).map((c) => a.dataset.customerIds[c]),
    );

    // a run two weeks on (Settings' as-of date) has the first run's snapshot to compare with
    const second = await analysedAgain(book, port, a.asOf);
    const d2 = await deskOf(second.summary, { owner: null, lang: "en" });
    const rev2 = review(second.a);
    expect(d2.review.previous).toBe(a.asOf);
    expect(rev2.previous).toBe(a.asOf);
    expect(d2.review.changes.map((x) => [x.id, x.move])).toEqual(
      rev2.changes.slice(0, 100).map((x) => [x.id, x.move]),
    );
    expect(d2.review.changesTotal).toBe(rev2.changes.length);
    expect(rev2.changes.length).toBeGreaterThan(0);
    // down first
    const moves = d2.review.changes.map((x) => x.move);
    const firstOther = moves.findIndex((m) => m !== "down");
    if (firstOther >= 0) expect(moves.slice(firstOther)).not.toContain("down");
  });
});

/** Analyze again with the Settings sheet's as-of date 14 days later. */
async function analysedAgain(book: FakeWorkbook, port: ExcelPort, asOf: number) {
  const settings = book.findSheet("Settings")!;
  let set = false;
  for (const cells of settings.cells.values()) {
    if (cells.get(0)?.value !== "asOf") continue;
    cells.get(1)!.value = isoDay(asOf + 14);
    set = true;
  }
  expect(set).toBe(true);
  const summary = await analyzeWorkbook(port, {
    lang: "en",
    today: TODAY + 14,
    analyser: workerAnalyser(standIn, { keepForCards: true }),
  });
  const i = (await port.read()).input;
  const core = runAnalysis(
    {
      orders: i.orders!,
      customers: i.customers,
      interactions: i.interactions,
      settings: i.settings,
      history: i.history,
    },
    { lang: "en", today: TODAY + 14 },
  );
  return { summary, a: core.analysis };
}

describe("the owners table and the printable page", () => {
  it("shows owners.csv's figures per owner", async () => {
    const { summary, a } = await analysed("en");
    const d = await deskOf(summary, { owner: "Wang Lei", lang: "en" });
    expect(d.ownersTable.rows.map((r) => r.slice(0, 15))).toEqual(
      ownerCsvRows(a, "en").map((r) => r.slice(0, 15)),
    );
    expect(d.ownersTable.columns[0].header).toBe("Account manager");
    expect(d.ownersTable.keys).toEqual(a.owners.rows.map((r) => r.key));
    expect(d.ownersTable.keys).toContain("Wang Lei");
  });

  it("prints at most the page's limit of cards, in calling order, and says how many are due", async () => {
    const { a } = await analysed("en");
    const p = deskLookup(a, [], 10, TODAY)({ kind: "print", owner: null, lang: "en" });
    if (p.kind !== "print") throw new Error("no page");
    expect([p.cards, p.total]).toEqual([10, 125]);
    const ids = [...p.html.matchAll(/<span class="id" title="[^"]*">([^<]*)<\/span>/g)].map(
      (m) => m[1],
    );
    expect(ids).toEqual(
      todaysCards(a, { date: deskDate(a, TODAY) })
        .slice(0, 10)
        .map((c) => c.id),
    );
    expect(PRINT_LIMIT).toBeGreaterThanOrEqual(100);
  });

  for (const lang of ["zh", "en"] as const)
    it(`prints one card per customer of today's list, each with its ID as text (${lang})`, async () => {
      const { summary, a } = await analysed(lang);
      const owner = lang === "zh" ? "王磊" : "Wang Lei";
      const p = await summary.desk({ kind: "print", owner, lang });
      if (p?.kind !== "print") throw new Error("no page");
      const cards = todaysCards(a, { owner, date: deskDate(a, TODAY) });
      expect(p.cards).toBe(cards.length);
      expect(p.total).toBe(cards.length);
      const articles = p.html.match(/<article class="card /g) ?? [];
      expect(articles).toHaveLength(cards.length);
      const ids = [...p.html.matchAll(/<span class="id" title="[^"]*">([^<]*)<\/span>/g)].map(
        (m) => m[1],
      );
      expect(ids).toEqual(cards.map((c) => c.id));
      expect(p.html).toContain("break-inside: avoid");
      expect(p.html).toContain("@page { size: A4 portrait");
      expect(p.html).toContain(lang === "zh" ? "客户经理：王磊" : "Account manager: Wang Lei");
      expect(p.html).toMatch(lang === "zh" ? /任务窗格/ : /task pane/);
      expect(p.html).not.toMatch(/<script/i);
    });
});
