/**
 * Follow-ups (客户跟进, SPEC §9): the next contact date per customer, why, and the list of
 * customers to call (overdue or due soon) with a suggested call slot.
 *
 * Pipeline: interactions per customer (last contact, deals, complaints, planned dates) →
 * candidate dates (cadence, delivery rhythm, open deal, closing deal, complaint, planned) →
 * the earliest wins → list of due customers sorted by grade, then days overdue → call slots.
 *
 * Decisions:
 * - The date counts from the latest of: last interaction (Interactions table), last purchase,
 *   first contact (Customers table). Purchases after the as-of date are ignored; so are
 *   interactions after it when the as-of date is set (Settings, --as-of: a look back in time).
 *   With the default as-of date — the latest order — a contact logged after it (up to the run's
 *   date; a later one is a typo, a data issue in clean.ts) counts: the desk's calls do not wait
 *   for the next order (contactHorizon). Without any of them the customer is due on the as-of
 *   date.
 * - Cadence = settings.grades[grade].callDays; in decline × followup.declineFactor (rounded,
 *   at least 1 day). A customer without a grade (prospect) uses grade C's cadence, or B's when
 *   its MAN qualification (money, authority, need) is all yes.
 * - Deals: the latest 商机 deal row decides. Outcome 进行中 / open → next contact at most
 *   openDealDays after the last interaction; 即将签约 / closing → closingDays. Other outcomes
 *   (won, lost …) close the deal. A deal stays open only until a later interaction of any type
 *   gives another deal status in its outcome (成交 / won, 丢单 / lost, 即将签约 / closing …), or
 *   until a later purchase (a won deal).
 * - Complaints: a 投诉 row not followed by a later non-complaint interaction (and whose outcome
 *   is not "resolved") must be answered within complaintDays of the complaint.
 * - Long-term customers (maturity with ≥ deliveryEvery orders and a typical gap): contact at
 *   least every deliveryEvery deliveries, i.e. no later than last contact + gap × deliveryEvery.
 * - A 下次联系 date entered in Interactions wins when earlier; it counts only while no later
 *   interaction has superseded it (it is after the last interaction day).
 * - Ties between candidates go to the more specific reason (planned, complaint, deal, delivery,
 *   cadence).
 * - Stale (久未处理): an item overdue by more than followup.staleDays (default 90) is listed
 *   apart with its age, and does not lead the list of whom to call (a deal logged a year ago
 *   and never closed is a data question, not today's first call).
 * - 终止期 terminated customers get no routine (cadence/delivery) contact; an entered plan, an
 *   unanswered complaint or an open deal still schedule one (explicit obligations).
 * - Call slot: the first weekday on or after the due date — for customers already due, on or
 *   after the as-of date — in the earliest best window (settings.followup.callWindows).
 */
import type { Dataset, Measures, Message } from "./types.js";
import type { Grade, Settings } from "./settings.js";
import type { Stage, Stage4 } from "./stages.js";
import { stageStrategy, type LifecycleResult } from "./lifecycle.js";
import { GRADE_KEYS } from "./history.js";

export interface FollowupInput {
  ds: Dataset;
  measures: Measures;
  settings: Settings;
  /** Grade per customer index (null for prospects). */
  grade: (Grade | null)[];
  lifecycle: LifecycleResult;
}

/** A suggested call: an epoch day and a window in minutes after midnight, [start, end). */
export interface CallSlot {
  day: number;
  start: number;
  end: number;
}

export interface FollowupItem {
  index: number;
  id: string;
  name: string;
  owner: string;
  grade: Grade | null;
  /** Six-stage key, and the key shown under the configured model. */
  stage: Stage;
  display: Stage | Stage4;
  due: number;
  /** asOf − due: positive when overdue, ≤ 0 when due within the coming days. */
  daysOverdue: number;
  reason: Message;
  strategy: Message;
  gradeStrategy: Message | null;
  slot: CallSlot;
}

export interface FollowupResult {
  /** Next contact per customer (epoch day), NaN when none is planned. */
  nextContact: Float64Array;
  reason: Message[];
  /** Overdue and due within dueSoonDays, by grade (A first, none last), then days overdue (desc), then ID. */
  items: FollowupItem[];
  /** Overdue by more than staleDays: oldest first, then ID; not in `items`. */
  stale: FollowupItem[];
  /** Items overdue (stale ones not counted), due within dueSoonDays, and stale. */
  overdue: number;
  dueSoon: number;
  staleCount: number;
}

/** Outcome words (结果) of a deal row, matched case-insensitively as substrings. */
export const DEAL_OUTCOMES = {
  closing: ["即将签约", "待签约", "closing", "about to sign"],
  open: ["进行中", "跟进中", "open", "in progress"],
  /** Words that end a deal when a later row of another type says them. */
  closed: [
    "成交",
    "已签约",
    "签约成功",
    "赢单",
    "丢单",
    "输单",
    "失败",
    "放弃",
    "won",
    "lost",
    "signed",
    "closed",
    "cancelled",
    "canceled",
  ],
} as const;

/** The deal status an outcome text names, checked in the order closing, open, closed. */
function dealStatus(outcome: string): "open" | "closing" | "closed" | null {
  if (matches(outcome, DEAL_OUTCOMES.closing)) return "closing";
  if (matches(outcome, DEAL_OUTCOMES.open)) return "open";
  if (matches(outcome, DEAL_OUTCOMES.closed)) return "closed";
  return null;
}

/** Outcome words that mark a complaint as dealt with. */
export const RESOLVED_OUTCOMES = ["已解决", "已处理", "resolved", "closed"] as const;

const normOutcome = (s: string) => s.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
const matches = (text: string, words: readonly string[]) => {
  const n = normOutcome(text);
  return n !== "" && words.some((w) => n.includes(w));
};

/** 0 = Sunday … 6 = Saturday (epoch day 0 was a Thursday). */
export const weekday = (day: number) => (((day + 4) % 7) + 7) % 7;

/** The first Monday–Friday on or after the day. */
export function nextWeekday(day: number): number {
  const w = weekday(day);
  return w === 6 ? day + 2 : w === 0 ? day + 1 : day;
}

/** Suggested call slot for a due date as of a date. */
export function callSlot(
  due: number,
  asOf: number,
  windows: readonly [number, number][],
): CallSlot {
  const [start, end] = firstWindow(windows);
  return { day: nextWeekday(Math.max(due, asOf)), start, end };
}

function firstWindow(windows: readonly [number, number][]): readonly [number, number] {
  let best: readonly [number, number] = [10 * 60 + 30, 11 * 60 + 30];
  windows.forEach((w, k) => {
    if (k === 0 || w[0] < best[0]) best = w;
  });
  return best;
}

/** "10:30–11:30". */
export function formatSlot(slot: { start: number; end: number }): string {
  const hm = (m: number) => `${Math.floor(m / 60)}:${String(m % 60).padStart(2, "0")}`;
  return `${hm(slot.start)}–${hm(slot.end)}`;
}

/** Grade strategy text: the user's text from settings, else the built-in one. */
export function gradeStrategy(grade: Grade, settings: Settings): Message {
  const own = settings.grades[grade].strategy;
  return own
    ? { key: "followup.text", params: { text: own } }
    : { key: `followup.grade.strategy.${grade}` };
}

/** Grade credit policy text: the user's text from settings, else the built-in one. */
export function creditPolicy(grade: Grade, settings: Settings): Message {
  const own = settings.grades[grade].credit;
  return own
    ? { key: "followup.text", params: { text: own } }
    : { key: `followup.grade.credit.${grade}` };
}

/** What the interactions say about one customer. */
interface Contacts {
  last: number;
  deal: "open" | "closing" | null;
  /** Day of the row that set the deal status. */
  dealDay: number;
  /** Day of an unanswered complaint, NaN when none. */
  complaint: number;
  /** Entered next-contact dates later than the last interaction, ascending. */
  planned: number[];
}

/**
 * The last day whose interactions count for the follow-ups: the as-of date when one is set on
 * Settings (a look back in time), else none (Infinity): with the default as-of date (the latest
 * order) a contact logged after it counts.
 */
export function contactHorizon(settings: Settings, asOf: number): number {
  return settings.asOf === null ? Infinity : asOf;
}

function contactsByCustomer(ds: Dataset, horizon: number): (Contacts | undefined)[] {
  const out: (Contacts | undefined)[] = new Array(ds.customerIds.length);
  if (ds.interactions.length === 0) return out;
  const index = new Map(ds.customerIds.map((id, i) => [id, i]));
  const rows = ds.interactions
    .map((x, k) => ({ x, k, i: index.get(x.customer) }))
    .filter(
      (r): r is { x: (typeof ds.interactions)[number]; k: number; i: number } =>
        r.i !== undefined && r.x.day <= horizon,
    )
    .sort((a, b) => a.x.day - b.x.day || a.k - b.k);
  for (const { x, i } of rows) {
    let c = out[i];
    if (!c) out[i] = c = { last: NaN, deal: null, dealDay: NaN, complaint: NaN, planned: [] };
    c.last = x.day;
    // A deal row always sets the status (any other outcome closes it); another row only when its
    // outcome names a status.
    const status = dealStatus(x.outcome);
    if (x.type === "deal" || status !== null) {
      c.deal = status === "open" || status === "closing" ? status : null;
      c.dealDay = x.day;
    }
    if (x.type === "complaint") {
      if (!Number.isFinite(c.complaint) && !matches(x.outcome, RESOLVED_OUTCOMES))
        c.complaint = x.day;
    } else if (x.day >= c.complaint) {
      c.complaint = NaN; // answered by a later contact
    }
  }
  for (const { x, i } of rows) {
    const c = out[i]!;
    if (x.nextContact !== null && x.nextContact > c.last) c.planned.push(x.nextContact);
  }
  for (const c of out) c?.planned.sort((a, b) => a - b);
  return out;
}

/** Public entry: checks the inputs line up, then plans. */
export function followUps(input: FollowupInput): FollowupResult {
  const n = input.ds.customerIds.length;
  if (
    input.measures.count !== n ||
    input.grade.length !== n ||
    input.lifecycle.stage.length !== n
  ) {
    throw new Error(`followUps: inputs cover different customer counts (dataset ${n})`);
  }
  return plan(input);
}

type Source = "interaction" | "purchase" | "firstContact";

/** What the date counts from: the latest of interaction, purchase, first contact (ties in that order). */
function baseOf(
  c: Contacts | undefined,
  purchased: boolean,
  lastPurchase: number,
  firstContact: number | null | undefined,
  asOf: number,
) {
  let day = -Infinity;
  let source: Source | null = null;
  if (c) {
    day = c.last;
    source = "interaction";
  }
  if (purchased && lastPurchase > day) {
    day = lastPurchase;
    source = "purchase";
  }
  if (firstContact != null && firstContact <= asOf && firstContact > day) {
    day = firstContact;
    source = "firstContact";
  }
  return source ? { day, source } : null;
}

/**
 * Candidate next-contact rules, most specific first (ties go to the earlier one). Each gives a
 * day (NaN = does not apply); only the winner's reason is built.
 */
interface Ctx {
  c: Contacts | undefined;
  /** The open deal, null once closed by a later status or a later purchase. */
  deal: "open" | "closing" | null;
  base: { day: number; source: Source } | null;
  stage: Stage;
  gap: number;
  orders: number;
  grade: Grade | null;
  rec: Dataset["records"][number];
  settings: Settings;
  asOf: number;
}
interface CandidateRule {
  id: string;
  day(x: Ctx): number;
  reason(x: Ctx, day: number): Message;
}

const routine = (x: Ctx) => x.stage !== "termination";
const deliveryDays = (x: Ctx) => Math.max(1, Math.round(x.gap * x.settings.followup.deliveryEvery));

export const CANDIDATE_RULES: readonly CandidateRule[] = [
  {
    id: "planned",
    // The earliest written date still ahead of the last contact: one is stale once anything
    // happened on or after it (a later purchase counts too), and a later one may still stand.
    day: (x) => {
      const after = x.base ? x.base.day : -Infinity;
      return x.c?.planned.find((d) => d > after) ?? NaN;
    },
    reason: (_, day) => ({ key: "followup.reason.planned", params: { due: day } }),
  },
  {
    id: "complaint",
    day: (x) => (x.c ? x.c.complaint + x.settings.followup.complaintDays : NaN),
    reason: (x) => ({
      key: "followup.reason.complaint",
      params: { day: x.c!.complaint, days: x.settings.followup.complaintDays },
    }),
  },
  {
    id: "closingDeal",
    day: (x) => (x.deal === "closing" ? x.c!.last + x.settings.followup.closingDays : NaN),
    reason: (x) => ({
      key: "followup.reason.closingDeal",
      params: { days: x.settings.followup.closingDays, last: x.c!.last },
    }),
  },
  {
    id: "openDeal",
    day: (x) => (x.deal === "open" ? x.c!.last + x.settings.followup.openDealDays : NaN),
    reason: (x) => ({
      key: "followup.reason.openDeal",
      params: { days: x.settings.followup.openDealDays, last: x.c!.last },
    }),
  },
  {
    id: "delivery",
    day: (x) =>
      routine(x) &&
      x.base &&
      x.stage === "maturity" &&
      x.orders >= x.settings.followup.deliveryEvery &&
      Number.isFinite(x.gap)
        ? x.base.day + deliveryDays(x)
        : NaN,
    reason: (x) => ({
      key: "followup.reason.delivery",
      params: {
        n: x.settings.followup.deliveryEvery,
        gap: Math.round(x.gap * 10) / 10,
        days: deliveryDays(x),
        last: x.base!.day,
      },
    }),
  },
  {
    id: "cadence",
    day: (x) => (!routine(x) ? NaN : x.base ? x.base.day + cadence(x).days : x.asOf),
    reason: (x) => {
      if (!x.base) return { key: "followup.reason.noContact" };
      const { kind, used, days, full } = cadence(x);
      return {
        key: `followup.reason.${kind}.${x.base.source}`,
        params: { grade: used, days, full, last: x.base.day },
      };
    },
  },
];

function plan({ ds, measures: m, settings, grade, lifecycle }: FollowupInput): FollowupResult {
  const n = ds.customerIds.length;
  const asOf = m.asOf;
  const f = settings.followup;
  const contacts = contactsByCustomer(ds, contactHorizon(settings, asOf));
  const window = firstWindow(f.callWindows);
  const nextContact = new Float64Array(n).fill(NaN);
  const reason: Message[] = new Array(n);
  const items: FollowupItem[] = [];
  const stale: FollowupItem[] = [];
  let overdue = 0;
  let dueSoon = 0;

  for (let i = 0; i < n; i++) {
    const c = contacts[i];
    const rec = ds.records[i];
    const stage = lifecycle.stage[i];
    const purchased = m.purchased[i] === 1;
    const x: Ctx = {
      c,
      deal: c?.deal && !(purchased && m.lastDay[i] > c.dealDay) ? c.deal : null,
      base: baseOf(c, purchased, m.lastDay[i], rec?.firstContact, asOf),
      stage,
      gap: lifecycle.typicalGap[i],
      orders: m.frequency[i],
      grade: grade[i],
      rec,
      settings,
      asOf,
    };
    let due = Infinity;
    let won: CandidateRule | null = null;
    for (const rule of CANDIDATE_RULES) {
      const d = rule.day(x);
      if (d < due) {
        due = d;
        won = rule;
      }
    }
    if (!won) {
      reason[i] = { key: "followup.reason.terminated" };
      continue;
    }
    const why = won.reason(x, due);
    nextContact[i] = due;
    reason[i] = why;

    const daysOverdue = asOf - due;
    if (daysOverdue < -f.dueSoonDays) continue;
    const isStale = daysOverdue > f.staleDays;
    if (!isStale && daysOverdue > 0) overdue++;
    else if (!isStale) dueSoon++;
    const g = grade[i];
    (isStale ? stale : items).push({
      index: i,
      id: ds.customerIds[i],
      name: rec?.name ?? "",
      owner: rec?.owner ?? "",
      grade: g,
      stage,
      display: lifecycle.display[i],
      due,
      daysOverdue,
      reason: why,
      strategy: stageStrategy(stage),
      gradeStrategy: g ? gradeStrategy(g, settings) : null,
      slot: { day: nextWeekday(Math.max(due, asOf)), start: window[0], end: window[1] },
    });
  }
  const order: Record<string, number> = Object.fromEntries(GRADE_KEYS.map((g, k) => [g, k]));
  const rank = (g: Grade | null) => (g ? order[g] : GRADE_KEYS.length);
  items.sort(
    (a, b) =>
      rank(a.grade) - rank(b.grade) ||
      b.daysOverdue - a.daysOverdue ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  stale.sort((a, b) => b.daysOverdue - a.daysOverdue || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { nextContact, reason, items, stale, overdue, dueSoon, staleCount: stale.length };
}

/** The grade cadence: which grade's policy is used, and the (possibly shortened) days. */
function cadence(x: Ctx) {
  const r = x.rec;
  const qualified = !!r && r.money === true && r.authority === true && r.need === true;
  const used: Grade = x.grade ?? (qualified ? "B" : "C");
  const full = x.settings.grades[used].callDays;
  const kind =
    x.stage === "decline"
      ? "decline"
      : x.grade
        ? "cadence"
        : qualified
          ? "prospectQualified"
          : "prospect";
  const days =
    kind === "decline" ? Math.max(1, Math.round(full * x.settings.followup.declineFactor)) : full;
  return { kind, used, days, full };
}
