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

/**
 * What the candidate rules read of one customer. One object, filled in place for each customer
 * (issue 19 §5: no object per customer); a rule's reason copies what it needs.
 */
interface Ctx {
  c: Contacts | undefined;
  /** The open deal, null once closed by a later status or a later purchase. */
  deal: "open" | "closing" | null;
  /**
   * What the date counts from: the latest of interaction, purchase, first contact (ties in
   * that order); baseSource null when there is none.
   */
  baseDay: number;
  baseSource: Source | null;
  stage: Stage;
  gap: number;
  orders: number;
  grade: Grade | null;
  rec: Dataset["records"][number];
  settings: Settings;
  asOf: number;
}

/** Fill x.baseDay and x.baseSource (what the date counts from). */
function setBase(
  x: Ctx,
  purchased: boolean,
  lastPurchase: number,
  firstContact: number | null | undefined,
): void {
  let day = -Infinity;
  let source: Source | null = null;
  if (x.c) {
    day = x.c.last;
    source = "interaction";
  }
  if (purchased && lastPurchase > day) {
    day = lastPurchase;
    source = "purchase";
  }
  if (firstContact != null && firstContact <= x.asOf && firstContact > day) {
    day = firstContact;
    source = "firstContact";
  }
  x.baseDay = day;
  x.baseSource = source;
}

/**
 * Candidate next-contact rules, most specific first (ties go to the earlier one). Each gives a
 * day (NaN = does not apply); only the winner's reason is built.
 */
interface CandidateRule {
  id: string;
  day(x: Ctx): number;
  reason(x: Ctx, day: number): Message;
}

const routine = (x: Ctx) => x.stage !== "termination";
const deliveryDays = (x: Ctx) => Math.max(1, Math.round(x.gap * x.settings.followup.deliveryEvery));

/** followup.reason.<kind>.<source>, made once each: the same few keys for a million reasons. */
const CADENCE_KINDS = ["decline", "cadence", "prospectQualified", "prospect"] as const;
const SOURCES: readonly Source[] = ["interaction", "purchase", "firstContact"];
const CADENCE_KEYS = Object.fromEntries(
  CADENCE_KINDS.map((kind) => [
    kind,
    Object.fromEntries(SOURCES.map((source) => [source, `followup.reason.${kind}.${source}`])),
  ]),
) as Record<(typeof CADENCE_KINDS)[number], Record<Source, string>>;
const cadenceKey = (kind: (typeof CADENCE_KINDS)[number], source: Source) =>
  CADENCE_KEYS[kind][source];

/** The earliest written date after `after`, NaN when none (planned is ascending). */
function plannedAfter(planned: readonly number[], after: number): number {
  for (let k = 0; k < planned.length; k++) if (planned[k] > after) return planned[k];
  return NaN;
}

export const CANDIDATE_RULES: readonly CandidateRule[] = [
  {
    id: "planned",
    // The earliest written date still ahead of the last contact: one is stale once anything
    // happened on or after it (a later purchase counts too), and a later one may still stand.
    day: (x) => (x.c ? plannedAfter(x.c.planned, x.baseSource ? x.baseDay : -Infinity) : NaN),
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
      x.baseSource &&
      x.stage === "maturity" &&
      x.orders >= x.settings.followup.deliveryEvery &&
      Number.isFinite(x.gap)
        ? x.baseDay + deliveryDays(x)
        : NaN,
    reason: (x) => ({
      key: "followup.reason.delivery",
      params: {
        n: x.settings.followup.deliveryEvery,
        gap: Math.round(x.gap * 10) / 10,
        days: deliveryDays(x),
        last: x.baseDay,
      },
    }),
  },
  {
    id: "cadence",
    day: (x) => (!routine(x) ? NaN : x.baseSource ? x.baseDay + cadenceDays(x) : x.asOf),
    reason: (x) => {
      if (!x.baseSource) return { key: "followup.reason.noContact" };
      const { kind, used, days, full } = cadence(x);
      return {
        key: cadenceKey(kind, x.baseSource),
        params: { grade: used, days, full, last: x.baseDay },
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

  const x: Ctx = {
    c: undefined,
    deal: null,
    baseDay: -Infinity,
    baseSource: null,
    stage: "potential",
    gap: NaN,
    orders: 0,
    grade: null,
    rec: null,
    settings,
    asOf,
  };
  // one strategy message per grade, shared by the list's entries (messages are never changed)
  const gradeStrategies = new Map<Grade, Message>();
  const strategyOf = (g: Grade) => {
    let msg = gradeStrategies.get(g);
    if (!msg) gradeStrategies.set(g, (msg = Object.freeze(gradeStrategy(g, settings))));
    return msg;
  };
  const terminated: Message = Object.freeze({ key: "followup.reason.terminated" });

  for (let i = 0; i < n; i++) {
    const c = contacts[i];
    const rec = ds.records[i];
    const stage = lifecycle.stage[i];
    const purchased = m.purchased[i] === 1;
    x.c = c;
    x.deal = c?.deal && !(purchased && m.lastDay[i] > c.dealDay) ? c.deal : null;
    x.stage = stage;
    x.gap = lifecycle.typicalGap[i];
    x.orders = m.frequency[i];
    x.grade = grade[i];
    x.rec = rec;
    setBase(x, purchased, m.lastDay[i], rec?.firstContact);
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
      reason[i] = terminated;
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
      gradeStrategy: g ? strategyOf(g) : null,
      slot: { day: nextWeekday(Math.max(due, asOf)), start: window[0], end: window[1] },
    });
  }
  const order: Record<string, number> = Object.fromEntries(GRADE_KEYS.map((g, k) => [g, k]));
  const rank = (g: Grade | null) => (g ? order[g] : GRADE_KEYS.length);
  // by grade (A first), then days overdue (most first), then ID
  const sortedItems = byKeyThenId(
    items,
    (a) => rank(a.grade),
    (a) => -a.daysOverdue,
  );
  // oldest first, then ID
  const sortedStale = byKeyThenId(
    stale,
    () => 0,
    (a) => -a.daysOverdue,
  );
  return {
    nextContact,
    reason,
    items: sortedItems,
    stale: sortedStale,
    overdue,
    dueSoon,
    staleCount: stale.length,
  };
}

const TWO_28 = 2 ** 28;
const TWO_21 = 2 ** 21;

/**
 * The entries sorted by (first, second) ascending, ties by ID: what a comparator sort gives,
 * faster for a million customers. With whole numbers in range (small `first`, |second| < 2^21
 * days, fewer than 2^28 entries) the keys and positions go into one Float64Array, sorted as
 * numbers; entries of equal keys then go by ID, which is already their order when the IDs
 * ascend in table order (the usual case). Else a comparator sort.
 */
function byKeyThenId(
  entries: FollowupItem[],
  first: (e: FollowupItem) => number,
  second: (e: FollowupItem) => number,
): FollowupItem[] {
  const n = entries.length;
  const cmpId = (a: FollowupItem, b: FollowupItem) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const composite = new Float64Array(n);
  let packed = n < TWO_28;
  for (let k = 0; k < n && packed; k++) {
    const f = first(entries[k]);
    const s = second(entries[k]);
    packed = Number.isInteger(f) && f >= 0 && f < 8 && Number.isInteger(s) && Math.abs(s) < TWO_21;
    composite[k] = (f * 2 * TWO_21 + (s + TWO_21)) * TWO_28 + k;
  }
  if (!packed) {
    return entries
      .map((e) => ({ e, f: first(e), s: second(e) }))
      .sort((a, b) => a.f - b.f || a.s - b.s || cmpId(a.e, b.e))
      .map((x) => x.e);
  }
  composite.sort();
  const out = new Array<FollowupItem>(n);
  for (let k = 0; k < n; k++) out[k] = entries[composite[k] % TWO_28];
  let idsAscend = true;
  for (let k = 1; k < n && idsAscend; k++) idsAscend = entries[k - 1].id < entries[k].id;
  if (idsAscend) return out;
  // runs of equal keys, each by ID
  for (let a = 0; a < n;) {
    const key = Math.floor(composite[a] / TWO_28);
    let b = a + 1;
    while (b < n && Math.floor(composite[b] / TWO_28) === key) b++;
    if (b - a > 1) {
      const run = out.slice(a, b).sort(cmpId);
      for (let k = a; k < b; k++) out[k] = run[k - a];
    }
    a = b;
  }
  return out;
}

const isQualified = (x: Ctx) => {
  const r = x.rec;
  return !!r && r.money === true && r.authority === true && r.need === true;
};

/** cadence(x).days, without building the cadence's description. */
function cadenceDays(x: Ctx): number {
  const used: Grade = x.grade ?? (isQualified(x) ? "B" : "C");
  const full = x.settings.grades[used].callDays;
  return x.stage === "decline"
    ? Math.max(1, Math.round(full * x.settings.followup.declineFactor))
    : full;
}

/** The grade cadence: which grade's policy is used, and the (possibly shortened) days. */
function cadence(x: Ctx) {
  const qualified = isQualified(x);
  const used: Grade = x.grade ?? (qualified ? "B" : "C");
  const full = x.settings.grades[used].callDays;
  const kind: (typeof CADENCE_KINDS)[number] =
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
