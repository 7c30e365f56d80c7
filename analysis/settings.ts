/**
 * Every rule's parameters, as one typed object with defaults (SPEC §2 "Settings").
 * Rules that are data stay data: segment tables, cut-offs, windows and cadences live here,
 * not as branches in the rules. The Settings sheet is a flat view of this object
 * (`settings-sheet.ts`).
 */

/** The three grade letters of ABC analysis plus D for zero or negative value. */
export const GRADES = {
  A: { zh: "A 类", en: "A" },
  B: { zh: "B 类", en: "B" },
  C: { zh: "C 类", en: "C" },
  D: { zh: "D 类", en: "D" },
} as const;
export type Grade = keyof typeof GRADES;
export const isGrade = (x: unknown): x is Grade => typeof x === "string" && x in GRADES;

/** A row of the named-segment table (R `rfm` package scheme): inclusive score ranges. */
export interface SegmentRule {
  /** Stable key (English name for the built-in rows; what the user typed otherwise). */
  name: string;
  zh: string;
  r: [number, number];
  f: [number, number];
  m: [number, number];
}

export const DEFAULT_SEGMENTS: SegmentRule[] = [
  { name: "Champions", zh: "冠军客户", r: [4, 5], f: [4, 5], m: [4, 5] },
  { name: "Loyal Customers", zh: "忠诚客户", r: [2, 5], f: [3, 5], m: [3, 5] },
  { name: "Potential Loyalist", zh: "潜力忠诚客户", r: [3, 5], f: [1, 3], m: [1, 3] },
  { name: "New Customers", zh: "新客户", r: [4, 5], f: [1, 1], m: [1, 1] },
  { name: "Promising", zh: "有望客户", r: [3, 4], f: [1, 1], m: [1, 1] },
  { name: "Need Attention", zh: "需要关注", r: [2, 3], f: [2, 3], m: [2, 3] },
  { name: "About To Sleep", zh: "即将沉睡", r: [2, 3], f: [1, 2], m: [1, 2] },
  { name: "At Risk", zh: "流失风险", r: [1, 2], f: [2, 5], m: [2, 5] },
  { name: "Can't Lose Them", zh: "不能失去", r: [1, 1], f: [4, 5], m: [4, 5] },
  { name: "Lost", zh: "已流失", r: [1, 2], f: [1, 2], m: [1, 2] },
];

/** Scorecard criteria the core knows how to measure per customer. */
export const CRITERIA = {
  revenue: { zh: "消费金额", en: "revenue" },
  frequency: { zh: "消费频率", en: "frequency" },
  tenure: { zh: "合作年限", en: "years of relationship" },
  growth: { zh: "增长", en: "growth" },
  recency: { zh: "最近消费", en: "recency" },
  profit: { zh: "利润", en: "profit" },
} as const;
export type Criterion = keyof typeof CRITERIA;
export const isCriterion = (x: unknown): x is Criterion => typeof x === "string" && x in CRITERIA;

/** Per-grade service policy (SPEC §5): cadences in days; text null = the built-in text. */
export interface GradePolicy {
  /** Customer-card review cadence. */
  reviewDays: number;
  /** Call cadence. */
  callDays: number;
  /** Visit cadence. */
  visitDays: number;
  strategy: string | null;
  credit: string | null;
}

export type LifecycleModel = "six" | "four";

export interface Settings {
  /** As-of date (epoch day); null = the calendar date of the latest usable row. */
  asOf: number | null;
  /** Excel date system of numeric date cells (Excel's API cannot read the workbook flag). */
  dateSystem: "1900" | "1904";
  /** Slash dates with the year last: "auto" decides per column, else the given order. */
  dateOrder: "auto" | "mdy" | "dmy";
  /** Locale default used when "auto" cannot decide a column. */
  dateOrderFallback: "mdy" | "dmy";
  /** Read "1 234,50" with a decimal comma (only when the workbook's locale says so). */
  decimalComma: boolean;
  /** Currency symbol used in reports and reasons. */
  currency: string;
  /** Value used for ABC, pyramid and Pareto: profit needs a Cost column. */
  value: "auto" | "monetary" | "profit";
  /**
   * ABC cut-offs: with basis "value", a customer is A while the cumulative value share of
   * the customers before it is below `a`, B below `b`; with basis "count", A is the top `a`
   * share of customers by value and B the next up to `b` (for "top 10% of customers" rules).
   */
  abc: { basis: "value" | "count"; a: number; b: number };
  scorecard: {
    criteria: { criterion: Criterion; weight: number }[];
    cutoffs: { A: number; B: number; C: number };
  };
  /** Cumulative customer shares of the pyramid tiers (top 1%, next 4%, next 15%, rest). */
  pyramid: { platinum: number; gold: number; iron: number };
  segments: SegmentRule[];
  grades: Record<Grade, GradePolicy>;
  lifecycle: {
    model: LifecycleModel;
    /** W: the comparison window in days. */
    windowDays: number;
    terminatedDays: number;
    developmentDays: number;
    declineRatio: number;
    growthRatio: number;
    overdueGapFactor: number;
    pAliveTerminated: number;
    pAliveDecline: number;
    dormantDays: number;
  };
  clv: {
    enabled: boolean;
    horizonMonths: number;
    monthlyDiscount: number;
    /** Margin on revenue when there is no Cost column. */
    margin: number;
  };
  followup: {
    declineFactor: number;
    openDealDays: number;
    closingDays: number;
    complaintDays: number;
    /** Long-term customers: contact at least every n-th delivery. */
    deliveryEvery: number;
    /** Days ahead that count as "due this week". */
    dueSoonDays: number;
    /** Overdue by more than this many days: listed apart as stale, not leading the list. */
    staleDays: number;
    /** Best call windows, minutes after midnight, [start, end). */
    callWindows: [number, number][];
  };
}

export const DEFAULT_SETTINGS: Settings = {
  asOf: null,
  dateSystem: "1900",
  dateOrder: "auto",
  dateOrderFallback: "mdy",
  decimalComma: false,
  currency: "¥",
  value: "auto",
  abc: { basis: "value", a: 0.8, b: 0.95 },
  scorecard: {
    criteria: [
      { criterion: "revenue", weight: 0.4 },
      { criterion: "frequency", weight: 0.2 },
      { criterion: "tenure", weight: 0.2 },
      { criterion: "growth", weight: 0.2 },
    ],
    cutoffs: { A: 80, B: 60, C: 40 },
  },
  pyramid: { platinum: 0.01, gold: 0.05, iron: 0.2 },
  segments: DEFAULT_SEGMENTS,
  grades: {
    A: { reviewDays: 1, callDays: 30, visitDays: 91, strategy: null, credit: null },
    B: { reviewDays: 7, callDays: 91, visitDays: 182, strategy: null, credit: null },
    C: { reviewDays: 30, callDays: 182, visitDays: 365, strategy: null, credit: null },
    D: { reviewDays: 30, callDays: 365, visitDays: 730, strategy: null, credit: null },
  },
  lifecycle: {
    model: "six",
    windowDays: 180,
    terminatedDays: 365,
    developmentDays: 90,
    declineRatio: 0.8,
    growthRatio: 1.2,
    overdueGapFactor: 2,
    pAliveTerminated: 0.1,
    pAliveDecline: 0.5,
    dormantDays: 180,
  },
  clv: { enabled: true, horizonMonths: 12, monthlyDiscount: 0.01, margin: 0.3 },
  followup: {
    declineFactor: 0.5,
    openDealDays: 7,
    closingDays: 2,
    complaintDays: 7,
    deliveryEvery: 3,
    dueSoonDays: 7,
    staleDays: 90,
    callWindows: [
      [10 * 60 + 30, 11 * 60 + 30],
      [15 * 60, 18 * 60],
    ],
  },
};

/** A deep copy of `from` (the defaults) with the overrides merged in, object by object. */
export function makeSettings(
  overrides: DeepPartial<Settings> = {},
  from: Settings = DEFAULT_SETTINGS,
): Settings {
  return mergeDeep(structuredClone(from), overrides) as unknown as Settings;
}

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  !!x && typeof x === "object" && !Array.isArray(x);

/** Objects merge key by key; arrays and scalars replace; undefined leaves the value as it was. */
function mergeDeep(a: object, b: object): object {
  const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
  for (const [k, v] of Object.entries(b)) {
    if (v === undefined) continue;
    const cur = out[k];
    out[k] = isPlainObject(cur) && isPlainObject(v) ? mergeDeep(cur, v) : v;
  }
  return out;
}
export type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends (infer U)[] ? U[] : T[K] extends object ? DeepPartial<T[K]> : T[K];
};
