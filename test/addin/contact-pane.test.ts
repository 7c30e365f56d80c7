/**
 * A contact logged from the card (issue 17 §2), as the pane's form runs it (contact-form.ts,
 * without its DOM): after Analyze on the sample workbook (analysis kept in a worker stand-in,
 * every message structured-cloned), Save writes one row, the worker plans that customer's
 * follow-up again and sends the new card; the next contact moves as the follow-up rules say,
 * the card lists the new contact, the pane's Follow-ups entry follows — and a full re-analysis
 * of the workbook with that row gives the same next contact and reason. Also: the question
 * before creating a missing Interactions table, a protected sheet, invalid input, and a contact
 * after the as-of date.
 */
import { describe, expect, it } from "vitest";
import { analyzeWorkbook, type PaneSummary } from "../../addin/analyze.js";
import { workerAnalyser } from "../../addin/worker-client.js";
import { sampleBook, standIn } from "../helpers/pane-book.js";
import { contactForm, updateFollowupEntry } from "../../addin/taskpane/contact-form.js";
import { dealNote } from "../../addin/taskpane/card-view.js";
import type { LoggedUpdate } from "../../addin/contact-update.js";
import type { ExcelPort } from "../../addin/excel-adapter.js";
import type { FakeWorkbook } from "../../addin/fake-excel.js";
import { SAMPLE_SHEETS } from "../../analysis/sample.js";
import { dayFromIso } from "../../analysis/dates.js";
import { t } from "../../analysis/messages/index.js";
import type { Lang } from "../../analysis/types.js";

const TODAY = dayFromIso("2026-11-20");
const ASOF = dayFromIso("2026-11-15"); // the sample's last order

async function analyse(port: ExcelPort, lang: Lang): Promise<PaneSummary> {
  return analyzeWorkbook(port, {
    lang,
    today: TODAY,
    analyser: workerAnalyser(standIn, { keepForCards: true }),
  });
}

async function setup(lang: Lang, prepare: (book: FakeWorkbook) => void = () => {}) {
  const { book, port } = await sampleBook(lang);
  prepare(book);
  const summary = await analyse(port, lang);
  const updates: LoggedUpdate[] = [];
  const form = contactForm({
    port,
    lang: () => lang,
    summary: () => summary,
    dateSystem: () => summary.dateSystem,
    render: () => {},
    onLogged: (u) => {
      updates.push(u);
      if (summary.followups)
        updateFollowupEntry(summary.followups, u.card.id, u.followup, u.card.currency);
    },
    // local 2026-11-20 16:00, the run's today
    now: () => new Date(2026, 10, 20, 16, 0),
  });
  return { book, port, summary, form, updates };
}

const idCol = (s: PaneSummary, lang: Lang) =>
  s.followups!.current.columns.findIndex((c) => c.header === t(lang, "followup.col.customerId"));

describe("logging a contact from the card", () => {
  for (const lang of ["zh", "en"] as const)
    it(`moves the next contact as the rules say, lists the contact, and agrees with a full re-analysis (${lang})`, async () => {
      const { book, port, summary, form, updates } = await setup(lang);
      // the first customer of today's Follow-ups list
      const list = summary.followups!.current;
      const id = String(list.rows[0][idCol(summary, lang)]);
      const before = (await summary.card(id))!;
      expect(before.nextContact).not.toBe(dayFromIso("2026-11-18"));
      const table = book.tables.find((x) => x.name === "Interactions")!;
      const rows = table.rows;

      const s = form.open(id);
      s.fields = {
        type: "visit",
        when: "2026-11-15T10:00",
        note: "Agreed to send a quote",
        deal: "none",
        complaint: false,
        next: "2026-11-18",
      };
      await form.save();
      expect(s.problems).toEqual([]);
      expect(s.error).toBeNull();
      expect(table.rows).toBe(rows + 1);
      const sheet = SAMPLE_SHEETS.interactions[lang];
      const row = table.row + table.rows; // 1-based sheet row of the last table row
      expect(s.done.map((m) => t(lang, m))).toEqual([
        t(lang, { key: "contact.saved", params: { sheet, row } }),
        t(lang, { key: "contact.undo", params: { sheet, row } }),
      ]);
      expect(t("en", s.done[1])).toMatch(
        lang === "en"
          ? `delete row ${row} of sheet Interactions`
          : `delete row ${row} of sheet 联系记录`,
      );

      // the card and follow-up, at once: a planned date after the last contact wins (followup.ts)
      expect(updates).toHaveLength(1);
      const u = updates[0];
      expect(u.afterAsOf).toBe(false);
      expect(u.card.nextContact).toBe(dayFromIso("2026-11-18"));
      expect(u.card.nextReason).toEqual({
        key: "followup.reason.planned",
        params: { due: dayFromIso("2026-11-18") },
      });
      expect(u.card.interactions[0]).toEqual({
        day: ASOF,
        channel: "visit",
        type: "followup",
        outcome: "Agreed to send a quote",
        nextContact: dayFromIso("2026-11-18"),
      });
      expect(u.followup).toMatchObject({ nextContact: dayFromIso("2026-11-18"), daysOverdue: -3 });
      // a card asked for later (a new selection) shows the same
      expect((await summary.card(id))!.nextContact).toBe(dayFromIso("2026-11-18"));

      // the pane's Follow-ups entry: due in 3 days, the planned reason, still listed (due soon)
      const cols = (key: string) =>
        summary.followups!.current.columns.findIndex(
          (c) => c.header === t(lang, `followup.col.${key}`),
        );
      const entry = summary.followups!.current.rows.find(
        (r) => String(r[idCol(summary, lang)]) === id,
      )!;
      expect(entry[cols("daysOverdue")]).toBe(-3);
      expect(entry[cols("reason")]).toBe(t(lang, u.card.nextReason));

      // a full re-analysis of the workbook, with the row written, says the same
      const again = await analyse(port, lang);
      const full = (await again.card(id))!;
      expect([full.nextContact, full.nextReason]).toEqual([u.card.nextContact, u.card.nextReason]);
      expect(full.interactions).toEqual(u.card.interactions);
    });

  it("a won deal logged today ends the open deal and plans by cadence, as a full run does", async () => {
    const { port, summary, form, updates } = await setup("en");
    const list = summary.followups!.current;
    const id = String(list.rows[1][idCol(summary, "en")]);
    const s = form.open(id);
    s.fields = {
      type: "call",
      when: "2026-11-15 09:30",
      note: "Signed for 2027",
      deal: "won",
      complaint: false,
      next: "",
    };
    await form.save();
    const u = updates[0];
    expect(u.card.openDeal).toBeNull();
    expect(u.card.nextReason.key).not.toBe("followup.reason.planned");
    const full = (await (await analyse(port, "en")).card(id))!;
    expect([full.nextContact, full.nextReason, full.openDeal]).toEqual([
      u.card.nextContact,
      u.card.nextReason,
      null,
    ]);
  });

  it("shows each problem under its field and writes nothing", async () => {
    const { book, summary, form, updates } = await setup("en");
    const id = String(summary.followups!.current.rows[0][idCol(summary, "en")]);
    const rows = book.tables.find((x) => x.name === "Interactions")!.rows;
    const s = form.open(id);
    s.fields = { ...s.fields, when: "2026-11-15T10:00", next: "2026-11-10" };
    await form.save();
    expect(s.problems.map((p) => [p.field, t("en", p.msg)])).toEqual([
      [
        "next",
        "The next contact date (2026-11-10) is before the contact's own date (2026-11-15): pick a day on or after 2026-11-15.",
      ],
    ]);
    expect(book.tables.find((x) => x.name === "Interactions")!.rows).toBe(rows);
    expect(updates).toEqual([]);
  });

  it("says a protected Interactions sheet keeps the contact out, nothing written", async () => {
    const { book, summary, form, updates } = await setup("zh");
    const id = String(summary.followups!.current.rows[0][idCol(summary, "zh")]);
    book.sheet(SAMPLE_SHEETS.interactions.zh).protected = true;
    const s = form.open(id);
    s.fields = { ...s.fields, when: "2026-11-15T10:00" };
    await form.save();
    expect(s.error).toEqual({ key: "contact.error.protected", params: { sheet: "联系记录" } });
    expect(s.done).toEqual([]);
    expect(updates).toEqual([]);
  });

  it("asks before creating a missing Interactions table, and creates it only after", async () => {
    const { book, summary, form, updates } = await setup("zh", (b) =>
      b.deleteSheet(SAMPLE_SHEETS.interactions.zh),
    );
    const id = String(summary.followups!.current.rows[0][idCol(summary, "zh")]);
    const s = form.open(id);
    s.fields = { ...s.fields, when: "2026-11-15T10:00", note: "电话沟通" };
    const sheets = book.sheets.length;
    await form.save();
    expect(s.ask).toMatchObject({ sheet: "联系记录" });
    expect(
      t("zh", {
        key: "contact.missing.ask",
        params: { sheet: "联系记录", columns: s.ask!.headers.join("、") },
      }),
    ).toBe(
      "这个工作簿还没有联系记录表。要新建工作表 联系记录（Excel 表格，列为 日期、客户编号、方式、类型、结果、下次联系），并把这次联系记为第一行吗？",
    );
    expect(book.sheets.length).toBe(sheets);
    expect(updates).toEqual([]);
    await form.save(true);
    expect(s.ask).toBeNull();
    expect(book.findSheet("联系记录")).toBeDefined();
    expect(s.done[0]).toEqual({ key: "contact.created", params: { sheet: "联系记录" } });
    expect(updates[0].card.interactions[0]).toMatchObject({ day: ASOF, outcome: "电话沟通" });
  });

  it("counts a contact after the default as-of date (the latest order): the follow-up moves", async () => {
    const { summary, form, updates } = await setup("en");
    const id = String(summary.followups!.current.rows[0][idCol(summary, "en")]);
    const before = (await summary.card(id))!;
    expect(before.nextContact).not.toBe(dayFromIso("2026-11-25"));
    const s = form.open(id);
    s.fields = { ...s.fields, when: "2026-11-19T10:00", next: "2026-11-25" };
    await form.save();
    expect(updates[0].afterAsOf).toBe(false);
    expect(updates[0].card.nextContact).toBe(dayFromIso("2026-11-25"));
    expect(s.done.map((m) => m.key)).not.toContain("contact.afterAsOf");
  });

  it("says a contact after an as-of date set on Settings does not move the follow-up", async () => {
    const { book, port } = await sampleBook("en");
    await analyse(port, "en"); // makes the Settings sheet
    let set = false;
    for (const cells of book.findSheet("Settings")!.cells.values()) {
      if (cells.get(0)?.value !== "asOf") continue;
      cells.get(1)!.value = "2026-11-15";
      set = true;
    }
    expect(set).toBe(true);
    const summary = await analyse(port, "en");
    const updates: LoggedUpdate[] = [];
    const form = contactForm({
      port,
      lang: () => "en",
      summary: () => summary,
      dateSystem: () => summary.dateSystem,
      render: () => {},
      onLogged: (u) => void updates.push(u),
      now: () => new Date(2026, 10, 20, 16, 0),
    });
    const id = String(summary.followups!.current.rows[0][idCol(summary, "en")]);
    const before = (await summary.card(id))!;
    const s = form.open(id);
    s.fields = { ...s.fields, when: "2026-11-19T10:00", next: "2026-11-25" };
    await form.save();
    expect(updates[0].afterAsOf).toBe(true);
    expect(updates[0].card.nextContact).toBe(before.nextContact);
    expect(s.done.map((m) => m.key)).toEqual([
      "contact.saved",
      "contact.afterAsOf",
      "contact.undo",
    ]);
  });
});

describe("the card's open deal line", () => {
  it("does not repeat the status word a logged contact starts its outcome with", () => {
    expect(dealNote("进行中：约好下周送样", "open")).toBe("约好下周送样");
    expect(dealNote("open: call back Monday", "open")).toBe("call back Monday");
    expect(dealNote("进行中", "open")).toBe("");
    // a user's own outcome is left as written
    expect(dealNote("报价：进行中", "open")).toBe("报价：进行中");
    expect(dealNote("Open: see notes", "closing")).toBe("Open: see notes");
    expect(
      t("zh", {
        key: "cards.deal.open",
        params: { day: ASOF, outcome: dealNote("进行中：约好下周送样", "open") },
      }),
    ).toBe("自 2026年11月15日 起进行中：约好下周送样");
  });
});

describe("after the row is written", () => {
  it("still names the row and its undo when the worker cannot update the card", async () => {
    const { book, port } = await sampleBook("en");
    const summary = await analyse(port, "en");
    const id = String(summary.followups!.current.rows[0][idCol(summary, "en")]);
    const form = contactForm({
      port,
      lang: () => "en",
      summary: () => ({ ...summary, log: () => Promise.reject(new Error("worker gone")) }),
      render: () => {},
      onLogged: () => {
        throw new Error("no update expected");
      },
      now: () => new Date(2026, 10, 20, 16, 0),
    });
    const s = form.open(id);
    s.fields = { ...s.fields, when: "2026-11-15T10:00", note: "kept" };
    await form.save();
    const row = book.tables.find((x) => x.name === "Interactions")!.rows;
    expect(s.error).toBeNull();
    expect(s.done).toEqual([
      { key: "contact.saved", params: { sheet: "Interactions", row } },
      { key: "contact.error.noCard" },
      { key: "contact.undo", params: { sheet: "Interactions", row } },
    ]);
    // the form is cleared: a second Save does not log the same contact again
    expect(s.fields.note).toBe("");
  });

  it("updates the card the same way when the analysis ran on the pane's thread", async () => {
    const { port } = await sampleBook("en");
    const here = await analyzeWorkbook(port, { lang: "en", today: TODAY });
    const id = String(here.followups!.current.rows[0][idCol(here, "en")]);
    const u = await here.log(id, {
      row: 999,
      day: ASOF,
      channel: "phone",
      type: "followup",
      outcome: "ok",
      nextContact: dayFromIso("2026-11-16"),
    });
    expect(u?.card.nextContact).toBe(dayFromIso("2026-11-16"));
    expect(u?.card.interactions[0]).toMatchObject({ day: ASOF, outcome: "ok" });
    expect(await here.log("no such customer", { ...u!.card.interactions[0], row: 1 })).toBeNull();
  });
});

describe("the pane's Follow-ups entry after a logged contact", () => {
  const columns = ["customerId", "name", "due", "daysOverdue", "callDay", "callTime", "reason"].map(
    (k) => ({
      header: t("en", `followup.col.${k}`),
      format: k === "due" || k === "callDay" ? ("date" as const) : ("text" as const),
    }),
  );
  const lists = () => ({
    customersSheet: "Customers",
    current: {
      title: null,
      columns,
      rows: [
        ["A1", "Ann", 100, 3, 103, "10:30–11:30", "old A1"],
        ["B2", "Bob", 101, 2, 103, "10:30–11:30", "old B2"],
      ],
      contacts: [
        { phone: "1", contact: "a", row: 2 },
        { phone: "2", contact: "b", row: 3 },
      ],
    },
    stale: {
      title: "stale",
      columns,
      rows: [["C3", "Cy", 1, 102, 103, "10:30–11:30", "old C3"]],
      contacts: [{ phone: "3", contact: "c", row: 4 }],
    },
  });
  const reason = { key: "followup.reason.planned", params: { due: 110 } };

  it("updates the entry in place, leaving the others as they were", () => {
    const f = lists();
    const slot = { day: 110, start: 630, end: 690 };
    updateFollowupEntry(
      f,
      "B2",
      { nextContact: 110, reason, daysOverdue: -7, slot, list: "current" },
      "¥",
    );
    expect(f.current.rows).toEqual([
      ["A1", "Ann", 100, 3, 103, "10:30–11:30", "old A1"],
      ["B2", "Bob", 110, -7, 110, "10:30–11:30", t("en", reason)],
    ]);
    expect(f.current.contacts.map((c) => c.phone)).toEqual(["1", "2"]);
  });

  it("moves a long-overdue entry to today's list, and drops one no longer due", () => {
    const f = lists();
    updateFollowupEntry(
      f,
      "C3",
      {
        nextContact: 104,
        reason,
        daysOverdue: -1,
        slot: { day: 104, start: 630, end: 690 },
        list: "current",
      },
      "¥",
    );
    expect(f.stale.rows).toEqual([]);
    expect(f.current.rows.map((r) => r[0])).toEqual(["A1", "B2", "C3"]);
    expect(f.current.contacts.map((c) => c.phone)).toEqual(["1", "2", "3"]);
    updateFollowupEntry(
      f,
      "A1",
      { nextContact: 200, reason, daysOverdue: -97, slot: null, list: null },
      "¥",
    );
    expect(f.current.rows.map((r) => r[0])).toEqual(["B2", "C3"]);
    expect(f.current.contacts.map((c) => c.phone)).toEqual(["2", "3"]);
  });
});
