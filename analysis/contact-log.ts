/**
 * Logging a contact from the customer card (联系记录, issue 17 §2), without I/O: the closed sets
 * of the form (contact type, deal status), the validation of what the user typed, and the ONE
 * Interactions row it becomes for a table's own headers. The add-in writes that row
 * (excel-adapter.ts appendInteraction); the analysis reads it back like any other row.
 *
 * Decisions:
 * - The form's contact type is the row's 方式 Channel (call → 电话 phone …). The row's 类型 Type
 *   is 投诉 complaint when the complaint box is ticked, else 商机 deal when a deal status is
 *   chosen, else 跟进 follow-up: the words clean.ts reads (CHANNEL_WORDS / TYPE_WORDS accept the
 *   labels of CHANNELS / INTERACTION_TYPES in both languages).
 * - The deal status goes into the 结果 Outcome text, ahead of the note ("进行中：…", "won: …"),
 *   because followup.ts reads a deal's status from the outcome (DEAL_OUTCOMES). A note that
 *   the rules would read as a different status ("opened the parcel" reads as an open deal,
 *   "closed the ticket" as a closed one) is refused with a message naming the word, so the
 *   row always means what the form said.
 * - Words are written in the table's language (CJK in any header → Chinese, else English); a
 *   new table gets the documented headers (SPEC §Interactions) in the pane's language.
 * - The date column holds the date and time of the contact; the next contact is a date. A
 *   contact may be dated up to one day ahead of now (time zones), not more; the next contact
 *   may not be before the contact's own day.
 * - Columns the table lacks are left out, and said (`dropped`); a table without a date or a
 *   customer ID column cannot hold a contact the analysis would read, and is refused.
 */
import { INTERACTION_COLUMNS, matchColumns, type InteractionRole } from "./headers.js";
import { dayFromYmd, daysInMonth } from "./dates.js";
import { DEAL_OUTCOMES } from "./followup.js";
import { CHANNELS, INTERACTION_TYPES, type Channel, type Interaction } from "./types.js";
import type { Lang, Message } from "./types.js";

/** The form's contact types, and the Interactions channel each is written as. */
export const CONTACT_TYPES = {
  call: { channel: "phone" },
  visit: { channel: "visit" },
  email: { channel: "email" },
  wechat: { channel: "wechat" },
  other: { channel: "other" },
} as const satisfies Record<string, { channel: Channel }>;
export type ContactType = keyof typeof CONTACT_TYPES;
export const isContactType = (x: unknown): x is ContactType =>
  typeof x === "string" && Object.prototype.hasOwnProperty.call(CONTACT_TYPES, x);

/**
 * Deal statuses of the form, the word written into the outcome (one that followup.ts's
 * DEAL_OUTCOMES reads as that status), and the status the rules read from it.
 */
export const DEAL_STATUSES = {
  none: { word: null, reads: null },
  open: { word: { zh: "进行中", en: "open" }, reads: "open" },
  won: { word: { zh: "成交", en: "won" }, reads: "closed" },
  lost: { word: { zh: "丢单", en: "lost" }, reads: "closed" },
} as const;
export type DealStatus = keyof typeof DEAL_STATUSES;
export const isDealStatus = (x: unknown): x is DealStatus =>
  typeof x === "string" && Object.prototype.hasOwnProperty.call(DEAL_STATUSES, x);
type ReadStatus = "open" | "closing" | "closed" | null;

/** Excel's limit for the text of one cell. */
export const MAX_CELL_TEXT = 32_767;
/** How far ahead of now a contact may be dated (time zones, a late evening entry). */
export const FUTURE_GRACE_MINUTES = 24 * 60;

/** The headers a new Interactions table gets (SPEC §Interactions, the sample's headers). */
export const INTERACTION_HEADERS = {
  zh: ["日期", "客户编号", "方式", "类型", "结果", "下次联系"],
  en: ["Date", "Customer ID", "Channel", "Type", "Outcome", "Next contact"],
} as const;
/** The role of each documented header, in order. */
const HEADER_ROLES: readonly InteractionRole[] = [
  "date",
  "customerId",
  "channel",
  "type",
  "outcome",
  "nextContact",
];
/** The sheet a new Interactions table goes on (a free "（2）" name beside a user's sheet). */
export const INTERACTIONS_SHEET = { zh: "联系记录", en: "Interactions" } as const;

/** What the form holds, as typed (strings from the inputs). */
export interface ContactForm {
  type: string;
  /** "2026-12-06T14:30" (datetime-local), "2026-12-06 14:30", or a date alone. */
  when: string;
  note: string;
  deal: string;
  complaint: boolean;
  /** "2026-12-20" or "" (none). */
  next: string;
}

/** A validated contact. */
export interface ContactEntry {
  customer: string;
  type: ContactType;
  /** Epoch day and minutes after midnight (local time) of the contact. */
  day: number;
  minutes: number;
  note: string;
  deal: DealStatus;
  complaint: boolean;
  next: number | null;
}

export type ContactField = "type" | "when" | "note" | "deal" | "next";
export interface ContactProblem {
  field: ContactField;
  msg: Message;
}

export type Validated =
  { ok: true; entry: ContactEntry } | { ok: false; problems: ContactProblem[] };

/** Now in local time, as an epoch day and minutes after midnight. */
export function localNow(d: Date = new Date()): { day: number; minutes: number } {
  return {
    day: dayFromYmd(d.getFullYear(), d.getMonth() + 1, d.getDate()),
    minutes: d.getHours() * 60 + d.getMinutes(),
  };
}

/** "2026-12-06T14:30" for a datetime-local input. */
export function formatWhen(day: number, minutes: number): string {
  const d = new Date(day * 86_400_000);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}T${p(Math.floor(minutes / 60))}:${p(minutes % 60)}`;
}

const DATE_TIME =
  /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?$/;

/** A date with an optional time; null when it is not a real date and time. */
export function parseWhen(s: string): { day: number; minutes: number; timed: boolean } | null {
  const m = DATE_TIME.exec(s.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  const timed = m[4] !== undefined;
  const h = timed ? Number(m[4]) : 0;
  const mi = timed ? Number(m[5]) : 0;
  if (h > 23 || mi > 59) return null;
  return { day: dayFromYmd(y, mo, d), minutes: h * 60 + mi, timed };
}

const norm = (s: string) => s.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();

/** The deal status followup.ts reads from an outcome, and the word that decides it. */
export function readDealStatus(outcome: string): { status: ReadStatus; word: string | null } {
  const n = norm(outcome);
  if (n === "") return { status: null, word: null };
  for (const status of ["closing", "open", "closed"] as const) {
    const word = DEAL_OUTCOMES[status].find((w) => n.includes(w));
    if (word) return { status, word };
  }
  return { status: null, word: null };
}

/** The 结果 Outcome text of a contact: the deal status word, then the note. */
export function outcomeText(e: Pick<ContactEntry, "deal" | "note">, lang: Lang): string {
  const word = DEAL_STATUSES[e.deal].word?.[lang] ?? null;
  const note = e.note.trim();
  if (!word) return note;
  if (!note) return word;
  return lang === "zh" ? `${word}：${note}` : `${word}: ${note}`;
}

/**
 * Check the form for a customer. `now` is the local date and time; `lang` the language the
 * outcome will be written in (the table's).
 */
export function validateContact(
  form: ContactForm,
  customer: string,
  now: { day: number; minutes: number },
  lang: Lang,
): Validated {
  const problems: ContactProblem[] = [];
  const type = form.type.trim();
  if (type === "") problems.push({ field: "type", msg: { key: "contact.error.typeEmpty" } });
  else if (!isContactType(type))
    problems.push({
      field: "type",
      msg: { key: "contact.error.typeUnknown", params: { value: type } },
    });

  const deal = form.deal.trim() || "none";
  if (!isDealStatus(deal))
    problems.push({
      field: "deal",
      msg: { key: "contact.error.dealUnknown", params: { value: deal } },
    });

  let when: { day: number; minutes: number } | null = null;
  if (form.when.trim() === "")
    problems.push({ field: "when", msg: { key: "contact.error.whenEmpty" } });
  else {
    when = parseWhen(form.when);
    if (!when)
      problems.push({
        field: "when",
        msg: { key: "contact.error.whenBad", params: { value: form.when.trim() } },
      });
    else if (when.day * 1440 + when.minutes > now.day * 1440 + now.minutes + FUTURE_GRACE_MINUTES) {
      problems.push({
        field: "when",
        msg: { key: "contact.error.whenFuture", params: { day: when.day, today: now.day } },
      });
    }
  }

  let next: number | null = null;
  if (form.next.trim() !== "") {
    const p = parseWhen(form.next);
    if (!p || p.timed)
      problems.push({
        field: "next",
        msg: { key: "contact.error.nextBad", params: { value: form.next.trim() } },
      });
    else {
      next = p.day;
      if (when && next < when.day)
        problems.push({
          field: "next",
          msg: { key: "contact.error.nextBefore", params: { next, day: when.day } },
        });
    }
  }

  if (isDealStatus(deal)) {
    const outcome = outcomeText({ deal, note: form.note }, lang);
    if (outcome.length > MAX_CELL_TEXT)
      problems.push({
        field: "note",
        msg: { key: "contact.error.noteLong", params: { n: outcome.length, max: MAX_CELL_TEXT } },
      });
    else {
      const read = readDealStatus(outcome);
      if (read.status !== DEAL_STATUSES[deal].reads)
        problems.push({
          field: "note",
          msg: {
            key: `contact.error.noteDeal.${read.status ?? "none"}`,
            params: { word: read.word ?? "" },
          },
        });
    }
  }

  if (problems.length || !when || !isContactType(type) || !isDealStatus(deal))
    return { ok: false, problems };
  return {
    ok: true,
    entry: {
      customer,
      type,
      day: when.day,
      minutes: when.minutes,
      note: form.note.trim(),
      deal,
      complaint: form.complaint,
      next,
    },
  };
}

/** The row's 类型 Type: complaint, else deal, else follow-up. */
export function interactionType(e: Pick<ContactEntry, "complaint" | "deal">) {
  return e.complaint ? "complaint" : e.deal !== "none" ? "deal" : "followup";
}

/** The Interaction the analysis will read from the row (for the card's update). */
export function entryInteraction(e: ContactEntry, lang: Lang, row: number): Interaction {
  return {
    customer: e.customer,
    row,
    day: e.day,
    channel: CONTACT_TYPES[e.type].channel,
    type: interactionType(e),
    outcome: outcomeText(e, lang),
    nextContact: e.next,
  };
}

/** A cell of the row: text (kept as text by the writer), a date with time, a date, or blank. */
export type RowCell =
  | { kind: "text"; text: string }
  | { kind: "dateTime"; day: number; minutes: number }
  | { kind: "date"; day: number }
  | { kind: "blank" };

/** The language of a table's words: Chinese when any header holds CJK characters. */
export function tableLang(headers: readonly string[]): Lang {
  return headers.some((h) => /[\u3400-\u9fff]/.test(h ?? "")) ? "zh" : "en";
}

export type BuiltRow =
  | { ok: true; cells: RowCell[]; lang: Lang; dropped: InteractionRole[] }
  | { ok: false; missing: InteractionRole[] };

/**
 * The ONE row for a table with these headers (any language, any order, matched as the reader
 * matches them): a cell per header, blank under headers that are not an Interactions role.
 * `dropped` names the roles the form filled that the table has no column for.
 */
export function interactionRow(headers: readonly string[], e: ContactEntry): BuiltRow {
  const cols = matchColumns(headers, INTERACTION_COLUMNS);
  const missing = (["date", "customerId"] as const).filter((r) => cols[r] < 0);
  if (missing.length) return { ok: false, missing };
  const lang = tableLang(headers);
  const cells: RowCell[] = headers.map(() => ({ kind: "blank" }));
  const value: Record<InteractionRole, RowCell> = {
    date: { kind: "dateTime", day: e.day, minutes: e.minutes },
    customerId: { kind: "text", text: e.customer },
    channel: { kind: "text", text: CHANNELS[CONTACT_TYPES[e.type].channel][lang] },
    type: { kind: "text", text: INTERACTION_TYPES[interactionType(e)][lang] },
    outcome: { kind: "text", text: outcomeText(e, lang) },
    nextContact: e.next === null ? { kind: "blank" } : { kind: "date", day: e.next },
  };
  const dropped: InteractionRole[] = [];
  for (const role of Object.keys(value) as InteractionRole[]) {
    const j = cols[role];
    if (j >= 0) cells[j] = value[role];
    else if (
      value[role].kind !== "blank" &&
      !(role === "outcome" && value.outcome.kind === "text" && value.outcome.text === "")
    )
      dropped.push(role);
  }
  return { ok: true, cells, lang, dropped };
}

/** The documented headers of a new table, and the row under them. */
export function newTableRow(e: ContactEntry, lang: Lang): { headers: string[]; cells: RowCell[] } {
  const headers = [...INTERACTION_HEADERS[lang]];
  const built = interactionRow(headers, e);
  if (!built.ok) throw new Error("documented Interactions headers not matched");
  return { headers, cells: built.cells };
}

/** The documented header of a role in a language (for messages about missing columns). */
export function roleHeader(role: InteractionRole, lang: Lang): string {
  return INTERACTION_HEADERS[lang][HEADER_ROLES.indexOf(role)];
}
