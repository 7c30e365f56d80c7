/**
 * Customer cards (客户资料卡, issue 17 §1, §3, §4): what a salesperson reads before a call,
 * as plain typed data built from the last Analysis. The CLI prints them (node/cards-html.ts);
 * the task pane can show the same model.
 *
 * Decisions:
 * - Today's cards for a date D (default the as-of date): every customer whose next contact is
 *   on or before D, for one owner (compared by owners.ts ownerKey) or all. Order: overdue
 *   (not stale) first, then due on D, then long overdue (stale: overdue by more than
 *   followup.staleDays, as on the Follow-ups sheet, where they do not lead the list either);
 *   within a group by suggested call slot, grade (A first), days overdue (most first), ID.
 * - The call slot for D: the first weekday on or after D in the earliest best window.
 * - Monthly revenue: net order amounts per calendar month, the 24 months ending with the
 *   as-of date's month; orders after the as-of date are left out as everywhere else.
 * - Interactions shown: the last five on or before the as-of date, newest first.
 * - Open deal: the latest deal status of the interactions (a 商机 deal row, or any row whose
 *   outcome names a status) when it is open or closing and no purchase came after it — the
 *   rule of followup.ts. Complaints: every 投诉 row, newest first (at most five), marked open
 *   while no later contact of another type answered it and its outcome does not say resolved.
 * - Review (§4): a grade's cards are due for review on D by settings.grades[g].reviewDays:
 *   1 = every day; 7 = Mondays; 28–31 = the first weekday (Mon–Fri) of the month; any other n =
 *   every n days counted from Monday 1970-01-05. Changes against the previous snapshot of the
 *   stage history: customers whose grade or stage changed, those down (history.ts's
 *   definition) first, then those up, then other changes; best previous grade first, then ID.
 */
import type { Channel, InteractionType, Message } from "./types.js";
import { customerResult, type Analysis } from "./pipeline.js";
import type { Grade } from "./settings.js";
import type { Stage, Stage4 } from "./stages.js";
import { STAGES } from "./stages.js";
import { ymdFromDay } from "./dates.js";
import {
  contactHorizon,
  creditPolicy,
  DEAL_OUTCOMES,
  gradeStrategy,
  nextWeekday,
  RESOLVED_OUTCOMES,
  weekday,
  type CallSlot,
} from "./followup.js";
import { GRADE_KEYS, makeSnapshot, movement, previousSnapshot, type Snapshot } from "./history.js";
import { findOwner, ownerKey, UNASSIGNED } from "./owners.js";
import { t } from "./messages/index.js";

/** Months of revenue on a card. */
export const CARD_MONTHS = 24;
/** Interactions and complaints listed on a card. */
export const CARD_INTERACTIONS = 5;

export interface CardInteraction {
  day: number;
  channel: Channel;
  type: InteractionType;
  outcome: string;
  nextContact: number | null;
}

export interface CardComplaint extends CardInteraction {
  open: boolean;
}

export interface CustomerCard {
  index: number;
  id: string;
  name: string;
  contact: string;
  phone: string;
  email: string;
  region: string;
  industry: string;
  /** The owner as written (trimmed); "" when none. */
  owner: string;
  /** Displayed stage key (six- or four-stage model) and its reason. */
  stage: Stage | Stage4;
  stageReason: Message;
  grade: Grade | null;
  gradeStrategy: Message | null;
  creditPolicy: Message | null;
  r: number | null;
  f: number | null;
  m: number | null;
  segment: string | null;
  pAlive: number | null;
  clv: number | null;
  /** Net revenue per month, oldest first; `month` is "YYYY-MM". */
  monthly: { month: string; revenue: number }[];
  interactions: CardInteraction[];
  openDeal: { status: "open" | "closing"; day: number; outcome: string } | null;
  complaints: CardComplaint[];
  /** Epoch day, null when no contact is planned (terminated). */
  nextContact: number | null;
  nextReason: Message;
  /** The suggested call for the cards' date; null without a next contact. */
  slot: CallSlot | null;
  /** date − next contact: > 0 overdue, 0 due on the date, < 0 ahead. */
  daysOverdue: number | null;
  /** Overdue by more than followup.staleDays. */
  stale: boolean;
}

export interface CardOptions {
  /** The day the cards are for (default the as-of date). */
  date?: number;
  /**
   * Only this owner's customers (compared by ownerKey); "" or the unassigned label
   * ("(unassigned)", "（未分配）") = the customers without an owner.
   */
  owner?: string | null;
}

/** No owner of that name: the names that exist, for the message. */
export class UnknownOwnerError extends Error {
  constructor(
    readonly owner: string,
    readonly known: string[],
  ) {
    super(`no owner named ${owner}`);
    this.name = "UnknownOwnerError";
  }
}

const matches = (text: string, words: readonly string[]) => {
  const n = text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
  return n !== "" && words.some((w) => n.includes(w));
};
function dealStatus(outcome: string): "open" | "closing" | "closed" | null {
  if (matches(outcome, DEAL_OUTCOMES.closing)) return "closing";
  if (matches(outcome, DEAL_OUTCOMES.open)) return "open";
  if (matches(outcome, DEAL_OUTCOMES.closed)) return "closed";
  return null;
}

const monthKey = (day: number) => {
  const { y, m } = ymdFromDay(day);
  return y * 12 + (m - 1);
};
const monthLabel = (k: number) => `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, "0")}`;

/** Customer indices of one owner (all when owner is null/undefined). Throws UnknownOwnerError. */
export function ownerCustomers(a: Analysis, owner: string | null | undefined): number[] {
  const n = a.dataset.customerIds.length;
  if (owner === null || owner === undefined) return Array.from({ length: n }, (_, i) => i);
  // "(unassigned)" / "（未分配）", as the sheet and owners.csv show it, names the unassigned row
  const label = ownerKey(owner);
  const unassigned = (["en", "zh"] as const).some(
    (l) => ownerKey(t(l, "owners.unassigned")) === label,
  );
  const row = unassigned
    ? a.owners.rows.findIndex((r) => r.key === UNASSIGNED)
    : findOwner(a.owners, owner);
  if (row < 0)
    throw new UnknownOwnerError(
      owner,
      a.owners.rows.filter((r) => r.key !== UNASSIGNED).map((r) => r.name),
    );
  const out: number[] = [];
  for (let c = 0; c < n; c++) if (a.owners.ownerOf[c] === row) out.push(c);
  return out;
}

/** Cards for the given customer indices, in the given order. */
export function buildCards(a: Analysis, indices: readonly number[], date = a.asOf): CustomerCard[] {
  const asOf = a.asOf;
  const wanted = new Map<number, number>();
  indices.forEach((c, k) => wanted.set(c, k));
  const lastMonth = monthKey(asOf);
  const firstMonth = lastMonth - CARD_MONTHS + 1;
  const revenue = indices.map(() => new Float64Array(CARD_MONTHS));
  const lastPurchase = indices.map(() => -Infinity);
  const { orders } = a.dataset;
  for (let k = 0; k < orders.n; k++) {
    const slotOf = wanted.get(orders.customer[k]);
    if (slotOf === undefined || orders.day[k] > asOf) continue;
    const mk = monthKey(orders.day[k]) - firstMonth;
    if (mk >= 0) revenue[slotOf][mk] += orders.amount[k];
    if (!orders.cancelled[k] && orders.day[k] > lastPurchase[slotOf])
      lastPurchase[slotOf] = orders.day[k];
  }
  const rows = indices.map(() => [] as (typeof a.dataset.interactions)[number][]);
  const horizon = contactHorizon(a.settings, asOf);
  const idIndex = new Map(indices.map((c, k) => [a.dataset.customerIds[c], k]));
  for (const x of a.dataset.interactions) {
    const k = idIndex.get(x.customer);
    if (k !== undefined && x.day <= horizon) rows[k].push(x);
  }
  const window = firstWindow(a.settings.followup.callWindows);
  return indices.map((c, k) => {
    const rec = a.dataset.records[c];
    const res = customerResult(a, c);
    const mine = rows[k].map((x, i) => ({ x, i })).sort((p, q) => p.x.day - q.x.day || p.i - q.i);
    let deal: CustomerCard["openDeal"] = null;
    const complaints: CardComplaint[] = [];
    for (const { x } of mine) {
      const status = dealStatus(x.outcome);
      if (x.type === "deal" || status !== null)
        deal =
          status === "open" || status === "closing"
            ? { status, day: x.day, outcome: x.outcome }
            : null;
      if (x.type === "complaint") {
        complaints.push({ ...plain(x), open: !matches(x.outcome, RESOLVED_OUTCOMES) });
      } else {
        for (const cp of complaints) if (x.day >= cp.day) cp.open = false;
      }
    }
    if (deal && lastPurchase[k] > deal.day) deal = null;
    const next = a.followups.nextContact[c];
    const hasNext = Number.isFinite(next);
    const grade = a.abc.grade[c];
    const days = hasNext ? date - next : null;
    return {
      index: c,
      id: a.dataset.customerIds[c],
      name: rec?.name ?? "",
      contact: rec?.contact ?? "",
      phone: rec?.phone ?? "",
      email: rec?.email ?? "",
      region: rec?.region ?? "",
      industry: rec?.industry ?? "",
      owner: rec?.owner.trim() ?? "",
      stage: a.lifecycle.display[c],
      stageReason: a.lifecycle.reason[c],
      grade,
      gradeStrategy: grade ? gradeStrategy(grade, a.settings) : null,
      creditPolicy: grade ? creditPolicy(grade, a.settings) : null,
      r: res.r,
      f: res.f,
      m: res.m,
      segment: res.segment,
      pAlive: res.pAlive,
      clv: res.clv,
      monthly: Array.from(revenue[k], (v, i) => ({
        month: monthLabel(firstMonth + i),
        revenue: Math.round(v * 100) / 100,
      })),
      interactions: mine
        .slice(-CARD_INTERACTIONS)
        .reverse()
        .map(({ x }) => plain(x)),
      openDeal: deal,
      complaints: complaints.reverse().slice(0, CARD_INTERACTIONS),
      nextContact: hasNext ? next : null,
      nextReason: a.followups.reason[c],
      slot: hasNext
        ? { day: nextWeekday(Math.max(next, date)), start: window[0], end: window[1] }
        : null,
      daysOverdue: days,
      stale: days !== null && days > a.settings.followup.staleDays,
    };
  });
}

function plain(x: Analysis["dataset"]["interactions"][number]): CardInteraction {
  return {
    day: x.day,
    channel: x.channel,
    type: x.type,
    outcome: x.outcome,
    nextContact: x.nextContact,
  };
}

function firstWindow(windows: readonly [number, number][]): readonly [number, number] {
  let best: readonly [number, number] = [10 * 60 + 30, 11 * 60 + 30];
  windows.forEach((w, k) => {
    if (k === 0 || w[0] < best[0]) best = w;
  });
  return best;
}

const gradeRank = (g: Grade | null) => (g ? GRADE_KEYS.indexOf(g) : GRADE_KEYS.length);
const group = (c: CustomerCard) => (c.stale ? 2 : c.daysOverdue! > 0 ? 0 : 1);

/** Today's cards (§3): next contact on or before the date, for the owner, in calling order. */
export function todaysCards(a: Analysis, opts: CardOptions = {}): CustomerCard[] {
  const date = opts.date ?? a.asOf;
  const due = ownerCustomers(a, opts.owner).filter((c) => a.followups.nextContact[c] <= date);
  const cards = buildCards(a, due, date);
  return cards.sort(
    (p, q) =>
      group(p) - group(q) ||
      p.slot!.day - q.slot!.day ||
      p.slot!.start - q.slot!.start ||
      gradeRank(p.grade) - gradeRank(q.grade) ||
      q.daysOverdue! - p.daysOverdue! ||
      (p.id < q.id ? -1 : p.id > q.id ? 1 : 0),
  );
}

/** Whether a review cadence of `days` falls on `date` (see the decisions above). */
export function reviewDue(days: number, date: number): boolean {
  if (days <= 1) return true;
  if (days === 7) return weekday(date) === 1;
  if (days >= 28 && days <= 31) {
    const { d } = ymdFromDay(date);
    const first = date - d + 1;
    return date === nextWeekday(first);
  }
  return (((date - 4) % days) + days) % days === 0;
}

export interface ReviewGrade {
  grade: Grade;
  reviewDays: number;
  due: boolean;
  /** The owner's customers of this grade (indices), best value first. */
  customers: number[];
}

export interface ReviewChange {
  index: number;
  id: string;
  name: string;
  fromStage: Stage;
  toStage: Stage;
  fromGrade: Grade | null;
  toGrade: Grade | null;
  /** Down or up by history.ts's definitions (to decline/termination, grade lowered; the reverse); neither for other changes. */
  move: "down" | "up" | "changed";
}

export interface Review {
  date: number;
  grades: ReviewGrade[];
  /** Date of the previous snapshot compared with; null without one. */
  previous: number | null;
  changes: ReviewChange[];
}

/**
 * The manager's review (§4) for a date and owner: cards due by grade cadence, and changes
 * against `earlier` snapshots (the previous one before the as-of date is used; default the
 * analysis's own history).
 */
export function review(
  a: Analysis,
  opts: CardOptions & { earlier?: readonly Snapshot[] } = {},
): Review {
  const date = opts.date ?? a.asOf;
  const mine = ownerCustomers(a, opts.owner);
  const byValue = [...mine].sort(
    (p, q) =>
      (a.value[q] || 0) - (a.value[p] || 0) ||
      (a.dataset.customerIds[p] < a.dataset.customerIds[q] ? -1 : 1),
  );
  const grades = GRADE_KEYS.map((g) => {
    const reviewDays = a.settings.grades[g].reviewDays;
    return {
      grade: g,
      reviewDays,
      due: reviewDue(reviewDays, date),
      customers: byValue.filter((c) => a.abc.grade[c] === g),
    };
  });
  const all = opts.earlier ?? a.history.snapshots;
  const prev = previousSnapshot(all, a.asOf);
  const ids = a.dataset.customerIds;
  const now = makeSnapshot(ids, a.asOf, a.lifecycle.stage, a.abc.grade);
  const moved = movement(prev, now);
  const down = new Set(moved?.movedDown.map((d) => d.id) ?? []);
  const before = new Map(prev.map((s) => [s.id, s]));
  const changes: ReviewChange[] = [];
  for (const c of mine) {
    const old = before.get(ids[c]);
    const cur = now[c];
    if (!old || (old.stage === cur.stage && old.grade === cur.grade)) continue;
    changes.push({
      index: c,
      id: ids[c],
      name: a.dataset.records[c]?.name ?? "",
      fromStage: old.stage,
      toStage: cur.stage,
      fromGrade: old.grade,
      toGrade: cur.grade,
      move: down.has(ids[c]) ? "down" : isUp(old, cur) ? "up" : "changed",
    });
  }
  const rank = (x: ReviewChange) => gradeRank(x.fromGrade ?? x.toGrade);
  changes.sort(
    (p, q) =>
      MOVES.indexOf(p.move) - MOVES.indexOf(q.move) ||
      rank(p) - rank(q) ||
      STAGES[q.toStage].order - STAGES[p.toStage].order ||
      (p.id < q.id ? -1 : p.id > q.id ? 1 : 0),
  );
  return { date, grades, previous: prev.length ? prev[0].asOf : null, changes };
}

const MOVES = ["down", "up", "changed"] as const;
const RED_STAGES: ReadonlySet<Stage> = new Set(["decline", "termination"]);

/** Up as history.ts counts it: out of decline/termination to a better stage, or grade raised. */
function isUp(old: Snapshot, cur: Snapshot): boolean {
  const stageUp = RED_STAGES.has(old.stage) && STAGES[cur.stage].order < STAGES[old.stage].order;
  const gradeUp =
    !!old.grade && !!cur.grade && GRADE_KEYS.indexOf(cur.grade) < GRADE_KEYS.indexOf(old.grade);
  return stageUp || gradeUp;
}

/** The owner key of a name, for callers that compare owners themselves. */
export { ownerKey };
