/**
 * The account manager's desk in the pane (issue 17 §3–§5), as plain data built from the kept
 * Analysis in the analysis worker, one answer per owner asked for: today's customers to
 * contact, the review, the per-owner figures and the owner chooser's list; and the printable
 * page of today's cards. No DOM here: the views (taskpane/today-view.ts, review-view.ts,
 * owners-view.ts, print-view.ts) draw it and the tests read it.
 *
 * Decisions:
 * - One model with `crm cards`: Today is analysis/cards.ts's `todaysCards` for the desk's date
 *   (deskDate: the as-of date, or the run's date when it is later and Settings sets no as-of
 *   date; `crm cards --date` gives any date), in its order — overdue, due on the date, long
 *   overdue; within each by call slot in the best windows, grade, days overdue, ID. The
 *   printable page is analysis/cards-page.ts's page of those same cards; Review is `review`.
 * - The owner is asked for by key (owners.ts ownerKey: "王磊" and "王磊 " are one owner, "Wang
 *   Lei" another); "" is the unassigned customers, null everyone. An owner the analysis does
 *   not know (remembered from another workbook) falls back to everyone, and the answer says so.
 * - Only what the pane shows crosses to it: the first TODAY_LIMIT entries of Today and
 *   REVIEW_LIST_LIMIT customers per due grade (counts give the rest); the printable page holds
 *   the first PRINT_LIMIT cards (see there).
 * - A customer ID written twice in Customers: the analysis keeps the first row (its data issue
 *   names it); each entry carries the other rows, so the pane can say which rows and that the
 *   first is the one it selects.
 */
import type { Analysis } from "../analysis/pipeline.js";
import type { Issue, Lang, Message } from "../analysis/types.js";
import type { Grade } from "../analysis/settings.js";
import type { Stage, Stage4 } from "../analysis/stages.js";
import type { CallSlot } from "../analysis/followup.js";
import type { OutColumn, OutValue } from "../analysis/workbook.js";
import {
  ownerCustomers,
  review,
  reviewDue,
  todaysCards,
  UnknownOwnerError,
  type CustomerCard,
} from "../analysis/cards.js";
import { REVIEW_LIST_LIMIT, renderCardsHtml } from "../analysis/cards-page.js";
import { ownersSheet } from "../analysis/output/owners.js";
import { ownerKey, UNASSIGNED } from "../analysis/owners.js";
import { t } from "../analysis/messages/index.js";
import { todayFromClock } from "../analysis/dates.js";

/** Today's entries sent to the pane (the printable page has them all). */
export const TODAY_LIMIT = 100;
/**
 * Cards on the pane's printable page. An account manager's day is tens of cards; a workbook
 * where thousands are due (every owner at once, 100,000 orders) made a 15 MB page that took
 * the pane's frame 25 s to lay out, for 2,500 A4 pages nobody prints. The first PRINT_LIMIT in
 * calling order are printed and the pane says how many are left out (crm cards prints all).
 */
export const PRINT_LIMIT = 300;
/** Changes listed in the pane's review (the rest counted). */
export const CHANGES_LIMIT = 100;

/** Which customers: null = every owner's, "" = the unassigned, else an owner's key. */
export type OwnerChoice = string | null;

export interface DeskQuery {
  kind: "desk" | "print";
  owner: OwnerChoice;
  lang: Lang;
}

/** One entry of the owner chooser. */
export interface DeskOwner {
  /** ownerKey; UNASSIGNED ("") for the customers without an owner. */
  key: string;
  /** As first written (trimmed); "" for unassigned. */
  name: string;
  /** Every row of the owner's (customers and prospects). */
  count: number;
  /**
   * When written more than one way: each spelling as typed and its Customers rows (the first
   * spelling's first five only, `more` when it has others, as the data issue names them).
   */
  spellings: Spelling[];
}

export interface Spelling {
  text: string;
  rows: number[];
  more: boolean;
}

/** Where a customer's row is on the Customers sheet, and any other row with the same ID. */
export interface DeskRow {
  id: string;
  name: string;
  /** 1-based row on the Customers sheet (the first when written twice); null when not there. */
  row: number | null;
  /** Other rows of the Customers sheet with the same customer ID (skipped by the analysis). */
  dupRows: number[];
}

export interface TodayEntry extends DeskRow {
  phone: string;
  contact: string;
  owner: string;
  grade: Grade | null;
  stage: Stage | Stage4;
  reason: Message;
  slot: CallSlot | null;
  /** date − next contact: > 0 overdue, 0 due. */
  daysOverdue: number;
  stale: boolean;
}

export interface ReviewEntry extends DeskRow {
  stage: Stage | Stage4;
  nextContact: number | null;
}

export interface DeskReviewGrade {
  grade: Grade;
  reviewDays: number;
  due: boolean;
  /** The next day after the date on which this grade is due. */
  nextDue: number;
  total: number;
  /** The first REVIEW_LIST_LIMIT customers (best value first) when due; else none. */
  entries: ReviewEntry[];
}

export interface DeskChange extends DeskRow {
  fromStage: Stage;
  toStage: Stage;
  fromGrade: Grade | null;
  toGrade: Grade | null;
  move: "down" | "up" | "changed";
}

export interface PaneDesk {
  asOf: number;
  /** The day Today and Review are for (the as-of date). */
  date: number;
  /** The owner answered for (null = all); differs from the question after a fallback. */
  owner: OwnerChoice;
  /** Said when the owner asked for is unknown to this analysis (the answer is for all). */
  notice: Message | null;
  owners: DeskOwner[];
  customersSheet: string | null;
  today: TodayEntry[];
  todayCounts: { total: number; overdue: number; due: number; stale: number };
  review: {
    grades: DeskReviewGrade[];
    /** The previous snapshot's date; null without one. */
    previous: number | null;
    changes: DeskChange[];
    changesTotal: number;
  };
  /** The Account managers sheet's table in the asked language, and each row's owner key. */
  ownersTable: { title: string; columns: OutColumn[]; rows: OutValue[][]; keys: string[] };
  /** Whether there is a previous snapshot (moved down is empty without one). */
  movement: boolean;
  /** Settings' currency symbol, for the money columns. */
  currency: string;
}

export type DeskAnswer =
  | { kind: "desk"; desk: PaneDesk }
  | {
      kind: "print";
      html: string;
      /** Cards on the page (at most PRINT_LIMIT) and due in all. */
      cards: number;
      total: number;
      owner: OwnerChoice;
      notice: Message | null;
    };

/** Answers desk questions over one kept analysis. */
export type DeskLookup = (q: DeskQuery) => DeskAnswer;

/** The first row of each customer ID written twice in Customers → the other rows. */
function duplicateRows(a: Analysis, issues: readonly Issue[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  const sheet = a.dataset.sources.customers;
  for (const i of issues) {
    if (i.reason.key !== "reading.duplicateCustomer" || i.source !== sheet) continue;
    const first = Number(i.reason.params?.first);
    if (!Number.isFinite(first)) continue;
    const rows = out.get(first) ?? [];
    rows.push(i.row);
    out.set(first, rows);
  }
  return out;
}

/** Every spelling of each owner written more than one way, from owners.ts's warnings. */
function spellingsOf(a: Analysis): Map<string, Spelling[]> {
  const byKey = new Map<string, Map<string, Spelling>>();
  for (const i of a.owners.issues) {
    if (i.reason.key !== "owners.issue.spelling") continue;
    const p = i.reason.params ?? {};
    const key = String(p.owner);
    const forms = byKey.get(key) ?? new Map<string, Spelling>();
    byKey.set(key, forms);
    const first = JSON.parse(String(p.first)) as string;
    if (!forms.has(first)) {
      // owners.ts names the first spelling's first five rows, then "…"
      const listed = String(p.rows).split(", ");
      const rows = listed.map(Number).filter((n) => Number.isFinite(n));
      forms.set(first, { text: first, rows, more: rows.length < listed.length });
    }
    const other = forms.get(i.value) ?? { text: i.value, rows: [], more: false };
    other.rows.push(i.row);
    forms.set(i.value, other);
  }
  const out = new Map<string, Spelling[]>();
  for (const [k, forms] of byKey) out.set(k, [...forms.values()]);
  return out;
}

/**
 * The day Today and Review are for: the as-of date when one is set on Settings (a look back in
 * time), else the later of the as-of date (the latest order) and the run's date — a salesperson
 * opening the pane on Monday wants Monday's calls, not those of Friday's last order. Contacts
 * logged after the latest order count for the follow-ups then too (followup.ts contactHorizon).
 */
export function deskDate(a: Analysis, today: number): number {
  return a.settings.asOf === null ? Math.max(a.asOf, today) : a.asOf;
}

/** The desk over a kept analysis and its data issues. */
export function deskLookup(
  a: Analysis,
  issues: readonly Issue[],
  /** Tests lower the printable page's limit. */
  printLimit = PRINT_LIMIT,
  /** The run's date, an epoch day (tests fix it; default: today's local calendar date). */
  today: number = todayFromClock(),
): DeskLookup {
  const date = deskDate(a, today);
  let dups: Map<number, number[]> | null = null;
  let spellings: Map<string, Spelling[]> | null = null;
  const rowOf = (c: number): DeskRow => {
    dups ??= duplicateRows(a, issues);
    const rec = a.dataset.records[c];
    const row = rec ? rec.row : null;
    return {
      id: a.dataset.customerIds[c],
      name: rec?.name ?? "",
      row,
      dupRows: row === null ? [] : (dups.get(row) ?? []),
    };
  };
  /** The owner's customers; an unknown owner falls back to everyone, with a notice. */
  const resolve = (owner: OwnerChoice) => {
    if (owner === null) return { owner: null, notice: null };
    try {
      ownerCustomers(a, owner);
      return { owner: owner === UNASSIGNED ? UNASSIGNED : ownerKey(owner), notice: null };
    } catch (e) {
      if (!(e instanceof UnknownOwnerError)) throw e;
      return {
        owner: null,
        notice: { key: "desk.owner.gone", params: { owner } } satisfies Message,
      };
    }
  };
  return (q) => {
    const { owner, notice } = resolve(q.owner);
    const cards = todaysCards(a, { date, owner });
    if (q.kind === "print") {
      const rev = review(a, { date, owner });
      const name = owner === null ? null : ownerName(a, owner, q.lang);
      const printed = cards.slice(0, printLimit);
      const html = renderCardsHtml({
        analysis: a,
        cards: printed,
        review: rev,
        lang: q.lang,
        date,
        owner: name,
        from: "pane",
      });
      return { kind: "print", html, cards: printed.length, total: cards.length, owner, notice };
    }
    spellings ??= spellingsOf(a);
    const counts = new Int32Array(a.owners.rows.length);
    for (const o of a.owners.ownerOf) counts[o]++;
    const owners: DeskOwner[] = a.owners.rows.map((r, i) => ({
      key: r.key,
      name: r.name,
      count: counts[i],
      spellings: spellings!.get(r.key) ?? [],
    }));
    const rev = review(a, { date, owner });
    const sheet = ownersSheet(a, q.lang).blocks[0];
    return {
      kind: "desk",
      desk: {
        asOf: a.asOf,
        date,
        owner,
        notice,
        owners,
        customersSheet: a.dataset.sources.customers,
        today: cards.slice(0, TODAY_LIMIT).map((c) => todayEntry(c, rowOf(c.index))),
        todayCounts: {
          total: cards.length,
          overdue: cards.filter((c) => !c.stale && c.daysOverdue! > 0).length,
          due: cards.filter((c) => c.daysOverdue === 0).length,
          stale: cards.filter((c) => c.stale).length,
        },
        review: {
          grades: rev.grades.map((g) => ({
            grade: g.grade,
            reviewDays: g.reviewDays,
            due: g.due,
            nextDue: nextDue(g.reviewDays, date),
            total: g.customers.length,
            entries: g.due
              ? g.customers.slice(0, REVIEW_LIST_LIMIT).map((c) => {
                  const next = a.followups.nextContact[c];
                  return {
                    ...rowOf(c),
                    stage: a.lifecycle.display[c],
                    nextContact: Number.isFinite(next) ? next : null,
                  };
                })
              : [],
          })),
          previous: rev.previous,
          changes: rev.changes.slice(0, CHANGES_LIMIT).map((x) => ({
            ...rowOf(x.index),
            fromStage: x.fromStage,
            toStage: x.toStage,
            fromGrade: x.fromGrade,
            toGrade: x.toGrade,
            move: x.move,
          })),
          changesTotal: rev.changes.length,
        },
        ownersTable: {
          title: sheet.title ?? "",
          columns: sheet.columns,
          rows: sheet.rows,
          keys: a.owners.rows.map((r) => r.key),
        },
        movement: a.history.movement !== null,
        currency: a.settings.currency,
      },
    };
  };
}

function todayEntry(c: CustomerCard, row: DeskRow): TodayEntry {
  return {
    ...row,
    phone: c.phone,
    contact: c.contact,
    owner: c.owner,
    grade: c.grade,
    stage: c.stage,
    reason: c.nextReason,
    slot: c.slot,
    daysOverdue: c.daysOverdue ?? 0,
    stale: c.stale,
  };
}

/** The owner's name as the printable page heads it (the unassigned label translated). */
function ownerName(a: Analysis, key: string, lang: Lang): string {
  if (key === UNASSIGNED) return t(lang, "owners.unassigned");
  return a.owners.rows.find((r) => r.key === key)?.name ?? key;
}

/** The next day after `date` on which a cadence of `days` is due (within a year). */
function nextDue(days: number, date: number): number {
  for (let d = date + 1; d <= date + 366; d++) if (reviewDue(days, d)) return d;
  return date + days;
}
