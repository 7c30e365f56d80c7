/**
 * Logging a contact (issue 17 §2), the pure part: each validation message in both languages,
 * the one row built for Chinese and English headers in any order, and what the analysis reads
 * back from that row (channel, type, deal status, next contact).
 */
import { describe, expect, it } from "vitest";
import {
  entryInteraction,
  INTERACTION_HEADERS,
  interactionRow,
  newTableRow,
  outcomeText,
  readDealStatus,
  validateContact,
  type ContactEntry,
  type ContactForm,
} from "../analysis/contact-log.js";
import { t } from "../analysis/messages/index.js";
import { dayFromIso } from "../analysis/dates.js";
import { SAMPLE_HEADERS } from "../analysis/sample.js";
import { readDataset } from "../analysis/clean.js";
import { makeSettings } from "../analysis/settings.js";
import { cellSource } from "../analysis/source.js";
import type { Cell } from "../analysis/types.js";

const NOW = { day: dayFromIso("2026-12-06"), minutes: 14 * 60 + 30 };
const form = (over: Partial<ContactForm> = {}): ContactForm => ({
  type: "call",
  when: "2026-12-06T10:15",
  note: "Agreed on a trial order",
  deal: "none",
  complaint: false,
  next: "2026-12-20",
  ...over,
});
/** The problems of a form, rendered in a language: field → text. */
function problems(f: ContactForm, lang: "zh" | "en" = "en"): Record<string, string> {
  const v = validateContact(f, "KH0001", NOW, lang);
  if (v.ok) return {};
  return Object.fromEntries(v.problems.map((p) => [p.field, t(lang, p.msg)]));
}

describe("validating a logged contact", () => {
  it("accepts a complete form", () => {
    const v = validateContact(form(), "KH0001", NOW, "en");
    expect(v).toEqual({
      ok: true,
      entry: {
        customer: "KH0001",
        type: "call",
        day: dayFromIso("2026-12-06"),
        minutes: 10 * 60 + 15,
        note: "Agreed on a trial order",
        deal: "none",
        complaint: false,
        next: dayFromIso("2026-12-20"),
      },
    });
  });

  it("rejects an empty or unknown type", () => {
    expect(problems(form({ type: "" }))).toEqual({
      type: "Choose how you contacted the customer: call, visit, email, WeChat or other.",
    });
    expect(problems(form({ type: "fax" }))).toEqual({
      type: "“fax” is not a contact type: choose call, visit, email, WeChat or other.",
    });
    expect(problems(form({ type: "fax" }), "zh").type).toBe(
      "“fax”不是联系方式：请选电话、拜访、邮件、微信或其他。",
    );
  });

  it("rejects an empty or unreadable date", () => {
    expect(problems(form({ when: " " }))).toEqual({
      when: "Enter the date and time of the contact.",
    });
    for (const bad of ["2026-02-30T10:00", "2026-12-06T25:00", "yesterday", "06/12/2026"])
      expect(problems(form({ when: bad, next: "" })).when).toBe(
        `“${bad}” is not a date and time that can be read: write it as 2026-12-06 14:30.`,
      );
  });

  it("rejects a date more than a day ahead, and takes one within the day", () => {
    expect(problems(form({ when: "2026-12-07T14:30", next: "" }))).toEqual({});
    expect(problems(form({ when: "2026-12-07T14:31", next: "" }))).toEqual({
      when: "The contact is dated 2026-12-07, more than a day after today (2026-12-06): a contact cannot be logged ahead of time. Check the date.",
    });
    expect(problems(form({ when: "2026-12-09", next: "" }), "zh").when).toBe(
      "联系日期是 2026年12月9日，比今天（2026年12月6日）晚了一天以上：不能提前记录联系，请检查日期。",
    );
  });

  it("rejects a next contact date before the contact's own date, naming both", () => {
    expect(problems(form({ when: "2026-12-01T09:00", next: "2026-11-28" }))).toEqual({
      next: "The next contact date (2026-11-28) is before the contact's own date (2026-12-01): pick a day on or after 2026-12-01.",
    });
    expect(problems(form({ when: "2026-12-01T09:00", next: "2026-11-28" }), "zh").next).toBe(
      "下次联系日期（2026年11月28日）早于本次联系的日期（2026年12月1日）：请选 2026年12月1日 当天或之后的日期。",
    );
    // the same day is allowed; an unreadable one is said as such
    expect(problems(form({ when: "2026-12-01T09:00", next: "2026-12-01" }))).toEqual({});
    expect(problems(form({ next: "next week" }))).toEqual({
      next: "“next week” is not a date: write the next contact date as 2026-12-20.",
    });
  });

  it("rejects a note longer than an Excel cell holds", () => {
    expect(problems(form({ note: "x".repeat(32_767) }))).toEqual({});
    expect(problems(form({ note: "x".repeat(32_768) }))).toEqual({
      note: "The outcome note has 32,768 characters with the deal status; an Excel cell holds at most 32,767. Shorten it.",
    });
    // the deal status word counts: "open: " + 32,762 characters is 32,768
    expect(problems(form({ note: "x".repeat(32_762), deal: "open" })).note).toMatch(/32,768/);
  });

  it("rejects a note the follow-up rules would read as another deal status", () => {
    expect(problems(form({ note: "Customer opened the parcel" }))).toEqual({
      note: "The note contains “open”, which the follow-up rules read as an open deal. Choose the deal status Open, or reword the note.",
    });
    expect(problems(form({ note: "项目跟进中", deal: "won" }), "zh")).toEqual({
      note: "结果里的“跟进中”会被跟进规则读作商机进行中。请把商机选为“进行中”，或改写结果。",
    });
    expect(problems(form({ note: "the deal is closed", deal: "none" }))).toEqual({
      note: "The note contains “closed”, which the follow-up rules read as a closed deal. Choose the deal status Won or Lost, or reword the note.",
    });
    // the status word leads the outcome, so the rules read the chosen status first
    expect(problems(form({ note: "合同已签约", deal: "won" }), "zh")).toEqual({});
    expect(problems(form({ note: "合同已签约", deal: "open" }), "zh")).toEqual({});
    expect(problems(form({ deal: "maybe" }))).toEqual({
      deal: "“maybe” is not a deal status: choose none, open, won or lost.",
    });
  });

  it("reports every problem of the form at once", () => {
    expect(Object.keys(problems(form({ type: "", when: "x", next: "y" })))).toEqual([
      "type",
      "when",
      "next",
    ]);
  });
});

const entry = (over: Partial<ContactEntry> = {}): ContactEntry => ({
  customer: "00123",
  type: "wechat",
  day: dayFromIso("2026-11-15"),
  minutes: 9 * 60 + 5,
  note: "=1+1",
  deal: "open",
  complaint: false,
  next: dayFromIso("2026-11-22"),
  ...over,
});

describe("the one Interactions row", () => {
  it("follows the table's English headers", () => {
    const built = interactionRow([...SAMPLE_HEADERS.interactions.en], entry());
    expect(built).toEqual({
      ok: true,
      lang: "en",
      dropped: [],
      cells: [
        { kind: "dateTime", day: dayFromIso("2026-11-15"), minutes: 545 },
        { kind: "text", text: "00123" },
        { kind: "text", text: "WeChat" },
        { kind: "text", text: "deal" },
        { kind: "text", text: "open: =1+1" },
        { kind: "date", day: dayFromIso("2026-11-22") },
      ],
    });
  });

  it("follows Chinese headers in another order, with a column of the user's in between", () => {
    const headers = ["结果", "备注人", "下次跟进日期", "联系方式", "客户编号", "联系日期"];
    const built = interactionRow(headers, entry({ deal: "won", complaint: true, note: "00123" }));
    expect(built).toEqual({
      ok: true,
      lang: "zh",
      // no 类型 Type column among these headers
      dropped: ["type"],
      cells: [
        { kind: "text", text: "成交：00123" },
        { kind: "blank" },
        { kind: "date", day: dayFromIso("2026-11-22") },
        { kind: "text", text: "微信" },
        { kind: "text", text: "00123" },
        { kind: "dateTime", day: dayFromIso("2026-11-15"), minutes: 545 },
      ],
    });
  });

  it("leaves out columns the table lacks and says which; refuses one without ID or date", () => {
    const built = interactionRow(["Date", "Customer ID", "Notes"], entry());
    expect(built).toMatchObject({ ok: true, dropped: ["channel", "type", "nextContact"] });
    expect(interactionRow(["Date", "Notes"], entry())).toEqual({
      ok: false,
      missing: ["customerId"],
    });
  });

  it("gives a new table the documented headers, the sample's", () => {
    expect(INTERACTION_HEADERS.zh).toEqual(SAMPLE_HEADERS.interactions.zh);
    expect(INTERACTION_HEADERS.en).toEqual(SAMPLE_HEADERS.interactions.en);
    expect(newTableRow(entry(), "zh").headers).toEqual([...SAMPLE_HEADERS.interactions.zh]);
  });

  it("is read back by the analysis as the contact the form described", () => {
    for (const lang of ["zh", "en"] as const) {
      const cases: [Partial<ContactEntry>, string, string][] = [
        [{ type: "call", deal: "none", note: "ok" }, "phone", "followup"],
        [{ type: "visit", deal: "open" }, "visit", "deal"],
        [{ type: "email", deal: "lost", complaint: true }, "email", "complaint"],
        [{ type: "other", deal: "won", note: "" }, "other", "deal"],
      ];
      const headers = [...INTERACTION_HEADERS[lang]];
      const rows = cases.map(([over]) => {
        const built = interactionRow(headers, entry({ ...over }));
        if (!built.ok) throw new Error("not built");
        return built.cells.map((c) =>
          c.kind === "text"
            ? c.text
            : c.kind === "blank"
              ? null
              : new Date(c.day * 86_400_000 + (c.kind === "dateTime" ? c.minutes * 60_000 : 0)),
        );
      });
      const table = (source: string, h: string[], r: Cell[][]) => ({
        source,
        headerRow: 1,
        firstColumn: 1,
        headers: h,
        rows: r,
      });
      const ds = readDataset(
        {
          orders: cellSource(
            table("Orders", ["Customer ID", "Date", "Amount"], [["00123", "2026-11-15", 10]]),
          ),
          interactions: cellSource(table("Interactions", headers, rows)),
          today: dayFromIso("2026-12-06"),
        },
        makeSettings(),
      );
      expect(ds.interactions.map((x) => [x.channel, x.type])).toEqual(
        cases.map(([, ch, ty]) => [ch, ty]),
      );
      cases.forEach(([over], i) => {
        const e = entry(over);
        expect(ds.interactions[i]).toMatchObject(entryInteraction(e, lang, i + 2));
        expect(readDealStatus(ds.interactions[i].outcome).status).toBe(
          e.deal === "open" ? "open" : e.deal === "none" ? null : "closed",
        );
      });
      expect(ds.issues).toEqual([]);
    }
  });

  it("writes the deal word in the table's language", () => {
    expect(outcomeText({ deal: "lost", note: "价格太高" }, "zh")).toBe("丢单：价格太高");
    expect(outcomeText({ deal: "won", note: "" }, "en")).toBe("won");
    expect(outcomeText({ deal: "none", note: " hi " }, "en")).toBe("hi");
  });
});
