/**
 * Lifecycle stages (客户关系生命周期, SPEC §7): one stage per customer with its reason.
 *
 * Pipeline: per-customer facts (windows, typical gap, recency) → manual override → the ordered
 * STAGE_RULES (first match wins) → display key (six- or four-stage model) → counts, dormant list.
 *
 * Decisions:
 * - Windows by calendar date over the order rows with day ≤ as-of (read from the order
 *   summary, summary.ts): recent = (asOf − W, asOf],
 *   previous = (asOf − 2W, asOf − W]; revenue = net amount (cancellations included).
 * - When the previous window's revenue is not positive the growth/decline comparisons do not
 *   apply (no division by zero) and the maturity reason says so.
 * - Typical gap = median of the day gaps between consecutive distinct non-cancelled purchase
 *   days; NaN with fewer than two distinct days (the overdue rule then does not apply).
 * - P(alive) rules run only when `pAlive` is given (CLV model ran and converged) and the
 *   customer's value is finite; reasons of growth/maturity say whether they were checked.
 * - A customer without a non-cancelled purchase is 潜在期 potential (also with only
 *   cancellations — the reason says so).
 * - Manual override (手动阶段): a stage name of either model in either language, or a key.
 *   A four-stage name keeps the rules' stage when it falls in that group, else its
 *   representative (exploration → development/potential, formation → growth, stability →
 *   maturity, dissolution → decline). Unreadable text → a warning Issue, rules apply.
 * - Dormant (静止户): purchased, no purchase for more than dormantDays, stage not termination.
 *   The rule order is kept (a dormant customer may still be in development); the reason names
 *   the dormancy in a note.
 * - When the CLV model ran but gave no usable P(alive) (`pAliveSkipped`, e.g. the fit found no
 *   sign of customers leaving), the reason of every rule-decided buyer notes why the P(alive)
 *   rules were skipped.
 */
import type { Dataset, Issue, Measures, Message } from "./types.js";
import type { Settings } from "./settings.js";
import { orderSummary } from "./summary.js";
import {
  STAGES,
  STAGES4,
  STAGE_KEYS,
  STAGE4_KEYS,
  TO_FOUR,
  isStage,
  type Stage,
  type Stage4,
} from "./stages.js";

export interface LifecycleInput {
  ds: Dataset;
  measures: Measures;
  settings: Settings;
  /** P(alive) per customer from a converged CLV model; null = model not run (rules skipped). */
  pAlive: Float64Array | null;
  /** Why the P(alive) rules were skipped although the model ran; noted in the reasons. */
  pAliveSkipped?: Message | null;
}

export interface LifecycleResult {
  model: Settings["lifecycle"]["model"];
  /** Six-stage key per customer (what snapshots store). */
  stage: Stage[];
  /** Key shown to the user: the six-stage key, or its four-stage group in the four-stage model. */
  display: (Stage | Stage4)[];
  reason: Message[];
  /** True when the stage comes from the 手动阶段 Stage override column. */
  manual: boolean[];
  /** Rule id that decided the stage ("manual" for overrides). */
  rule: string[];
  /** Median days between consecutive distinct purchase days, NaN when fewer than two. */
  typicalGap: Float64Array;
  /** Net revenue in (asOf − W, asOf] and (asOf − 2W, asOf − W]. */
  recentRevenue: Float64Array;
  previousRevenue: Float64Array;
  /** Customers per displayed stage key, every key of the model present, in stage order. */
  counts: Record<string, number>;
  /** Dormant customer indices, longest without purchase first (ties by ID). */
  dormant: number[];
  issues: Issue[];
}

/** What the rules look at for one customer. */
export interface StageFacts {
  purchased: boolean;
  hasRows: boolean;
  first: number;
  last: number;
  /** Days since the last purchase (NaN without purchase). */
  recency: number;
  daysSinceFirst: number;
  orders: number;
  recent: number;
  previous: number;
  gap: number;
  /** NaN when the CLV model did not run or gave no value for this customer. */
  pAlive: number;
}

type LifecycleParams = Settings["lifecycle"];

/** A stage rule: evaluated in list order, the first whose test passes decides. */
export interface StageRule {
  id: string;
  stage: Stage;
  test(f: StageFacts, p: LifecycleParams): boolean;
  reason(f: StageFacts, p: LifecycleParams): Message;
}

/** a < ratio × b, robust to the float error of ratio × b at the exact boundary. */
const below = (a: number, ratio: number, b: number) =>
  a < ratio * b - 1e-9 * Math.max(1, Math.abs(b));
const above = (a: number, ratio: number, b: number) =>
  a > ratio * b + 1e-9 * Math.max(1, Math.abs(b));
const hasP = (f: StageFacts) => Number.isFinite(f.pAlive);
const round1 = (x: number) => Math.round(x * 10) / 10;

/** The ".pAlive" keys, made once each (a million customers' reasons built 1M such strings). */
const P_KEYS = new Map<string, string>();
const pKey = (key: string): string => {
  let k = P_KEYS.get(key);
  if (k === undefined) P_KEYS.set(key, (k = `${key}.pAlive`));
  return k;
};

/** The rule's reason, its P(alive) variant when there is one (params is the rule's own object). */
function withP(key: string, f: StageFacts, params: Record<string, number>): Message {
  if (!hasP(f)) return { key, params };
  params.p = f.pAlive;
  return { key: pKey(key), params };
}

/** SPEC §7 rules 2–7 (rule 1, the manual override, is applied before these). */
export const STAGE_RULES: readonly StageRule[] = [
  {
    id: "terminated.recency",
    stage: "termination",
    test: (f, p) => f.purchased && f.recency > p.terminatedDays,
    reason: (f, p) => ({
      key: "lifecycle.reason.terminated.recency",
      params: { days: f.recency, limit: p.terminatedDays, last: f.last },
    }),
  },
  {
    id: "terminated.pAlive",
    stage: "termination",
    test: (f, p) => f.purchased && hasP(f) && f.pAlive < p.pAliveTerminated,
    reason: (f, p) => ({
      key: "lifecycle.reason.terminated.pAlive",
      params: { p: f.pAlive, limit: p.pAliveTerminated },
    }),
  },
  {
    id: "potential.none",
    stage: "potential",
    test: (f) => !f.purchased && !f.hasRows,
    reason: () => ({ key: "lifecycle.reason.potential.none" }),
  },
  {
    id: "potential.cancelledOnly",
    stage: "potential",
    test: (f) => !f.purchased,
    reason: () => ({ key: "lifecycle.reason.potential.cancelledOnly" }),
  },
  {
    id: "development.new",
    stage: "development",
    test: (f, p) => f.daysSinceFirst <= p.developmentDays,
    reason: (f, p) => ({
      key: "lifecycle.reason.development.new",
      params: { days: f.daysSinceFirst, limit: p.developmentDays, orders: f.orders },
    }),
  },
  {
    id: "development.single",
    stage: "development",
    test: (f) => f.orders === 1,
    reason: (f) => ({
      key: "lifecycle.reason.development.single",
      params: { days: f.daysSinceFirst, first: f.first },
    }),
  },
  {
    id: "decline.revenue",
    stage: "decline",
    test: (f, p) => f.previous > 0 && below(f.recent, p.declineRatio, f.previous),
    reason: (f, p) => ({
      key: "lifecycle.reason.decline.revenue",
      params: {
        w: p.windowDays,
        recent: f.recent,
        previous: f.previous,
        drop: 1 - f.recent / f.previous,
        ratio: p.declineRatio,
      },
    }),
  },
  {
    id: "decline.overdue",
    stage: "decline",
    test: (f, p) => Number.isFinite(f.gap) && f.recency > p.overdueGapFactor * f.gap,
    reason: (f, p) => ({
      key: "lifecycle.reason.decline.overdue",
      params: { days: f.recency, gap: round1(f.gap), factor: p.overdueGapFactor },
    }),
  },
  {
    id: "decline.pAlive",
    stage: "decline",
    test: (f, p) => hasP(f) && f.pAlive < p.pAliveDecline,
    reason: (f, p) => ({
      key: "lifecycle.reason.decline.pAlive",
      params: { p: f.pAlive, limit: p.pAliveDecline },
    }),
  },
  {
    id: "growth",
    stage: "growth",
    test: (f, p) => f.previous > 0 && above(f.recent, p.growthRatio, f.previous),
    reason: (f, p) =>
      withP("lifecycle.reason.growth", f, {
        w: p.windowDays,
        recent: f.recent,
        previous: f.previous,
        rise: f.recent / f.previous - 1,
        ratio: p.growthRatio,
      }),
  },
  {
    id: "maturity",
    stage: "maturity",
    test: () => true,
    reason: (f, p) =>
      f.previous > 0
        ? withP("lifecycle.reason.maturity.stable", f, {
            w: p.windowDays,
            recent: f.recent,
            previous: f.previous,
            change: f.recent / f.previous,
            low: p.declineRatio,
            high: p.growthRatio,
            days: f.recency,
          })
        : withP("lifecycle.reason.maturity.noPrevious", f, {
            w: p.windowDays,
            recent: f.recent,
            days: f.recency,
          }),
  },
];

/** The stage's strategy text (SPEC §7). */
export function stageStrategy(stage: Stage): Message {
  return STRATEGIES[stage];
}
/** One message per stage, shared by every list entry of it (messages are never changed). */
const STRATEGIES = Object.fromEntries(
  STAGE_KEYS.map((s) => [s, Object.freeze({ key: `lifecycle.strategy.${s}` })]),
) as Record<Stage, Message>;

/** Label of a displayed key (six- or four-stage) in the language. */
export function stageLabel(key: Stage | Stage4, lang: "zh" | "en"): string {
  return isStage(key) ? STAGES[key][lang] : STAGES4[key][lang];
}

/** Health colour of a displayed key. */
export function stageHealth(key: Stage | Stage4): "green" | "yellow" | "red" {
  return isStage(key) ? STAGES[key].health : STAGES4[key].health;
}

/** Displayed keys of a model, in stage order. */
export function displayKeys(model: Settings["lifecycle"]["model"]): (Stage | Stage4)[] {
  return model === "four" ? [...STAGE4_KEYS] : [...STAGE_KEYS];
}

const norm = (s: string) => s.normalize("NFKC").replace(/\s+/g, "").toLowerCase();

const STAGE_NAMES: Map<string, { six?: Stage; four?: Stage4 }> = (() => {
  const m = new Map<string, { six?: Stage; four?: Stage4 }>();
  for (const k of STAGE_KEYS)
    for (const n of [k, STAGES[k].zh, STAGES[k].en]) m.set(norm(n), { six: k });
  for (const k of STAGE4_KEYS)
    for (const n of [k, STAGES4[k].zh, STAGES4[k].en]) m.set(norm(n), { four: k });
  return m;
})();

/** Read a stage name of either model in either language (or a key); null when unreadable. */
export function parseStageName(text: string): { six?: Stage; four?: Stage4 } | null {
  const n = norm(text);
  if (!n) return null;
  return STAGE_NAMES.get(n) ?? STAGE_NAMES.get(n.replace(/阶段$/, "期")) ?? null;
}

/** Six-stage key for a four-stage override, given what the rules decided. */
function fromFour(four: Stage4, ruled: Stage, purchased: boolean): Stage {
  if (TO_FOUR[ruled] === four) return ruled;
  switch (four) {
    case "exploration":
      return purchased ? "development" : "potential";
    case "formation":
      return "growth";
    case "stability":
      return "maturity";
    case "dissolution":
      return "decline";
  }
}

const OVERRIDE_COLUMN = "手动阶段";

/** Per-customer window revenue and typical gap (the order summary, summary.ts). */
function orderFacts(ds: Dataset, asOf: number, windowDays: number) {
  const s = orderSummary(ds, asOf, windowDays);
  return { recent: s.revRecent, previous: s.revPrevious, typicalGap: s.medianGap };
}

/** Public entry: checks the inputs line up, then runs the rules. */
export function lifecycleStages(input: LifecycleInput): LifecycleResult {
  const { ds, measures, settings, pAlive, pAliveSkipped = null } = input;
  const n = ds.customerIds.length;
  if (measures.count !== n)
    throw new Error(`lifecycleStages: measures cover ${measures.count} customers, dataset ${n}`);
  if (pAlive && pAlive.length !== n)
    throw new Error(`lifecycleStages: pAlive has ${pAlive.length} values, dataset ${n}`);
  const p = settings.lifecycle;
  if (!(p.windowDays > 0)) throw new Error(`lifecycleStages: invalid windowDays: ${p.windowDays}`);
  return classify(ds, measures, p, pAlive, settings.lifecycle.model, pAliveSkipped);
}

function classify(
  ds: Dataset,
  m: Measures,
  p: LifecycleParams,
  pAlive: Float64Array | null,
  model: Settings["lifecycle"]["model"],
  pAliveSkipped: Message | null,
): LifecycleResult {
  const n = ds.customerIds.length;
  const asOf = m.asOf;
  const { recent, previous, typicalGap } = orderFacts(ds, asOf, p.windowDays);
  const stage: Stage[] = new Array(n);
  const display: (Stage | Stage4)[] = new Array(n);
  const reason: Message[] = new Array(n);
  const manual: boolean[] = new Array(n).fill(false);
  const rule: string[] = new Array(n);
  const issues: Issue[] = [];
  const counts: Record<string, number> = Object.fromEntries(displayKeys(model).map((k) => [k, 0]));
  const dormant: number[] = [];
  // shared by every reason it goes on; nothing changes a reason after this loop
  const onlySkipped: Message[] | null = pAliveSkipped ? [pAliveSkipped] : null;
  // the dormant notes by days since the last purchase, one list per number of days: customers
  // dormant as long share it (a million customers' notes fall on a few thousand days)
  const notes = [new Map<number, Message[]>(), new Map<number, Message[]>()];
  const dormantNotes = (days: number, skipped: Message | null): Message[] => {
    const memo = notes[skipped ? 1 : 0];
    let also = memo.get(days);
    if (!also) {
      const note: Message = { key: "lifecycle.note.dormant", params: { days } };
      memo.set(days, (also = skipped ? [note, skipped] : [note]));
    }
    return also;
  };

  for (let i = 0; i < n; i++) {
    const purchased = m.purchased[i] === 1;
    const f: StageFacts = {
      purchased,
      hasRows: m.hasRows[i] === 1,
      first: m.firstDay[i],
      last: m.lastDay[i],
      recency: purchased ? asOf - m.lastDay[i] : NaN,
      daysSinceFirst: purchased ? asOf - m.firstDay[i] : NaN,
      orders: m.frequency[i],
      recent: recent[i],
      previous: previous[i],
      gap: typicalGap[i],
      pAlive: pAlive && Number.isFinite(pAlive[i]) ? pAlive[i] : NaN,
    };
    const hit = STAGE_RULES.find((r) => r.test(f, p))!;
    stage[i] = hit.stage;
    reason[i] = hit.reason(f, p);
    rule[i] = hit.id;

    const rec = ds.records[i];
    const text = rec?.stageOverride.trim() ?? "";
    if (rec && text) {
      const named = parseStageName(text);
      if (named) {
        stage[i] = named.six ?? fromFour(named.four!, hit.stage, purchased);
        reason[i] = { key: "lifecycle.reason.manual", params: { text } };
        manual[i] = true;
        rule[i] = "manual";
      } else {
        issues.push({
          source: ds.sources.customers ?? "",
          row: rec.row,
          column: OVERRIDE_COLUMN,
          value: text,
          reason: { key: "lifecycle.issue.badOverride", params: { value: text } },
          severity: "warning",
        });
      }
    }
    display[i] = model === "four" ? TO_FOUR[stage[i]] : stage[i];
    counts[display[i]]++;
    // The notes go on the reason the rule just made (its own object): no copy of it, and the
    // lists of notes are shared (dormantNotes, onlySkipped) — at a million customers the
    // reasons are the run's largest objects.
    const isDormant = purchased && stage[i] !== "termination" && f.recency > p.dormantDays;
    const skippedNote = purchased && !manual[i] && pAliveSkipped !== null;
    if (isDormant) {
      dormant.push(i);
      reason[i].also = dormantNotes(f.recency, skippedNote ? pAliveSkipped : null);
    } else if (skippedNote) reason[i].also = onlySkipped!;
  }
  dormant.sort((a, b) => m.lastDay[a] - m.lastDay[b] || cmp(ds.customerIds[a], ds.customerIds[b]));
  return {
    model,
    stage,
    display,
    reason,
    manual,
    rule,
    typicalGap,
    recentRevenue: recent,
    previousRevenue: previous,
    counts,
    dormant,
    issues,
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
