/**
 * Customer lifetime value (客户终身价值), SPEC §8:
 *
 *   orders ─ calibrationSummary ─▶ per customer x, t_x, T (weeks), z̄, holdout purchases
 *     ─ fitBgnbd ─▶ r, α, a, b ─▶ P(alive), E[Y(52 weeks)], E[Y(k months)]
 *     ─ fitGammaGamma (x > 0, z̄ > 0) ─▶ p, q, γ ─▶ E[M]
 *     ─ margin (Cost, else the setting) ─▶ CLV = Σ_k E[M]·margin·ΔE[Y]_k / (1+d)^k
 *     ─ holdout check, F×R matrices, P(alive) bins, value matrix (charts and sheets)
 *
 * Conventions (checked against the CDNOW summary): transactions are non-cancelled rows with
 * amount ≥ 0 dated on or before the as-of date; rows of one customer on one calendar day are one
 * transaction whose spend is their sum; x = distinct purchase days − 1; t_x = (last − first)/7;
 * T = (asOf − first)/7; z̄ = mean spend of the repeat transactions (the first day's excluded).
 *
 * Decisions:
 * - A BG/NBD fit no better than its no-dropout limit (every P(alive) would be 1) has a status of
 *   its own, "no-dropout": P(alive) says nothing there, so it and CLV are left empty too.
 * - Anything short of two converged fits is not "ok": the status says which and why, and every
 *   per-customer array is NaN, so nothing downstream prints numbers from a failed model; the
 *   parameters of a model that did not converge are null too (`fit` keeps its diagnostics).
 * - Customers without a purchase up to the as-of date (prospects, only cancellations, first
 *   purchase later) get NaN. x = 0 customers get the population mean spend from Gamma-Gamma.
 * - Margin per customer from Cost when that customer has costs and positive revenue, else the
 *   overall Cost margin, else settings.clv.margin; clamped to [−100%, 100%] so that one odd row
 *   cannot produce an absurd value.
 * - The holdout check and the tracking curve use rows after the as-of date, which the rest of
 *   the analysis ignores, for customers who bought in the calibration period.
 */
import type { Dataset, Measures, Message } from "./types.js";
import type { Settings } from "./settings.js";
import { orderSummary } from "./summary.js";
import quickselect from "quickselect";
import {
  conditionalExpectedTransactions,
  expectedTransactions,
  expectedTransactionsIfAlive,
  fitBgnbd,
  pAlive as bgnbdPAlive,
  type BgnbdFit,
  type BgnbdParams,
} from "./bgnbd.js";
import {
  conditionalExpectedSpend,
  fitGammaGamma,
  type GammaGammaFit,
  type GammaGammaParams,
} from "./gammagamma.js";

export const CLV_STATUS = {
  ok: { zh: "已拟合", en: "fitted" },
  "not-converged": { zh: "未收敛", en: "did not converge" },
  "no-dropout": { zh: "看不出客户流失", en: "no sign of customers leaving" },
  "too-few-customers": { zh: "客户太少", en: "too few customers" },
  disabled: { zh: "已关闭", en: "switched off" },
} as const;
export type ClvStatus = keyof typeof CLV_STATUS;
export const isClvStatus = (x: unknown): x is ClvStatus => typeof x === "string" && x in CLV_STATUS;

/** A month for the CLV sum: 30.4375 days, in weeks (the model's unit). */
export const MONTH_WEEKS = 30.4375 / 7;
/** Horizon of the "expected purchases" column. */
export const EXPECTED_WEEKS = 52;
/** Fewer calibration customers or repeat customers than this: no fit. */
export const MIN_CUSTOMERS = 20;
export const MIN_REPEATERS = 5;
/** Fewer repeat customers with positive spend than this: no spend model. */
export const MIN_SPENDERS = 5;

/** Per-customer calibration summary, indexed like Dataset.customerIds (NaN when no purchase). */
export interface CalibrationSummary {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  /** Mean spend of the repeat transactions; NaN when x = 0. */
  zbar: Float64Array;
  /** First purchase day (epoch day). */
  firstDay: Float64Array;
  /** Net revenue up to the as-of date, cancellations included (0 when no rows). */
  revenue: Float64Array;
  /** Distinct purchase days after the as-of date (0 when none; NaN without a calibration purchase). */
  holdoutPurchases: Float64Array;
  /** Customers with a purchase up to the as-of date. */
  customers: number;
  /** Of them, with x > 0. */
  repeaters: number;
  /** Of those, with z̄ > 0 (the Gamma-Gamma sample). */
  spenders: number;
  /** Latest order day in the data (rows after the as-of date included), NaN when none. */
  lastDataDay: number;
  /** The repeat purchase days (after the first, before and after asOf) of these customers: day → how many. */
  repeatDays: { day: Int32Array; n: Int32Array };
}

export interface ClvParameters {
  bgnbd: { r: number; alpha: number; a: number; b: number; ll: number } | null;
  gamma_gamma: { p: number; q: number; v: number } | null;
}

export interface FitInfo {
  converged: boolean;
  iterations: number;
  evaluations: number;
  customers: number;
  ll: number;
}

export interface PAliveBin {
  from: number;
  to: number;
  customers: number;
}

/** Model values on a grid of x (repeat purchases) × t_x (weeks) for a customer observed T weeks. */
export interface FrMatrix {
  T: number;
  horizonWeeks: number;
  cells: { x: number; tx: number; expected: number; pAlive: number }[];
}

export const VALUE_QUADRANTS = {
  star: { zh: "最有价值客户", en: "most valuable" },
  potential: { zh: "潜力客户", en: "potential" },
  maintain: { zh: "维持客户", en: "maintain" },
  low: { zh: "低价值客户", en: "low value" },
} as const;
export type ValueQuadrant = keyof typeof VALUE_QUADRANTS;
export const isValueQuadrant = (x: unknown): x is ValueQuadrant =>
  typeof x === "string" && x in VALUE_QUADRANTS;

/** One cell of the current × predicted value matrix (split at the medians). */
export interface ValueCell {
  quadrant: ValueQuadrant;
  current: "low" | "high";
  future: "low" | "high";
  customers: number;
  currentValue: number;
  predictedValue: number;
}

export interface HoldoutGroup {
  /** Calibration repeat purchases: 0..6, and 7 meaning "7 or more". */
  x: number;
  label: string;
  customers: number;
  /** Mean purchases per customer in the holdout period. */
  actual: number;
  predicted: number;
}

export interface TrackingPoint {
  week: number;
  /** Last day of the week (epoch day). */
  day: number;
  actual: number;
  predicted: number;
}

export interface Holdout {
  /** First and last day of the holdout period. */
  from: number;
  to: number;
  weeks: number;
  customers: number;
  actualTotal: number;
  predictedTotal: number;
  byFrequency: HoldoutGroup[];
  /** Cumulative repeat purchases from the first purchase day of the cohort to the end of the data. */
  tracking: TrackingPoint[];
  /** Week number in which the as-of date falls (for the marker in the chart). */
  asOfWeek: number;
}

export interface ClvResult {
  status: ClvStatus;
  /** Why the status is not ok (null when ok). */
  message: Message | null;
  asOf: number;
  customerIds: readonly string[];
  pAlive: Float64Array;
  expected52w: Float64Array;
  expectedSpend: Float64Array;
  clv: Float64Array;
  parameters: ClvParameters;
  fit: { bgnbd: FitInfo | null; gammaGamma: FitInfo | null };
  summary: CalibrationSummary;
  horizonMonths: number;
  monthlyDiscount: number;
  margin: { source: "cost" | "setting"; overall: number };
  totals: { customers: number; meanPAlive: number; totalClv: number; expected52w: number };
  pAliveBins: PAliveBin[];
  matrix: FrMatrix | null;
  valueMatrix: ValueCell[] | null;
  holdout: Holdout | null;
}

/** BG/NBD + Gamma-Gamma on the orders up to measures.asOf; per-customer CLV (SPEC §8). */
export function customerLifetimeValue(
  ds: Dataset,
  measures: Measures,
  settings: Settings,
): ClvResult {
  const count = ds.customerIds.length;
  if (measures.count !== count) {
    throw new Error(
      `customerLifetimeValue: measures for ${measures.count} customers, dataset has ${count}`,
    );
  }
  if (!Number.isFinite(measures.asOf))
    throw new Error(`customerLifetimeValue: invalid as-of date ${measures.asOf}`);
  const { horizonMonths, monthlyDiscount } = settings.clv;
  if (!(Number.isInteger(horizonMonths) && horizonMonths >= 1))
    throw new Error(`invalid clv.horizonMonths: ${horizonMonths}`);
  if (!(monthlyDiscount > -1)) throw new Error(`invalid clv.monthlyDiscount: ${monthlyDiscount}`);
  return _customerLifetimeValue(ds, measures.asOf, settings);
}

function _customerLifetimeValue(ds: Dataset, asOf: number, settings: Settings): ClvResult {
  const count = ds.customerIds.length;
  const summary = calibrationSummary(ds, asOf);
  const margins = customerMargins(ds, asOf, settings.clv.margin);
  const empty = (): Float64Array => new Float64Array(count).fill(NaN);
  const base: ClvResult = {
    status: "disabled",
    message: null,
    asOf,
    customerIds: ds.customerIds,
    pAlive: empty(),
    expected52w: empty(),
    expectedSpend: empty(),
    clv: empty(),
    parameters: { bgnbd: null, gamma_gamma: null },
    fit: { bgnbd: null, gammaGamma: null },
    summary,
    horizonMonths: settings.clv.horizonMonths,
    monthlyDiscount: settings.clv.monthlyDiscount,
    margin: { source: margins.source, overall: margins.overall },
    totals: { customers: 0, meanPAlive: NaN, totalClv: NaN, expected52w: NaN },
    pAliveBins: [],
    matrix: null,
    valueMatrix: null,
    holdout: null,
  };
  const fail = (status: ClvStatus, message: Message): ClvResult => ({ ...base, status, message });

  if (!settings.clv.enabled) return fail("disabled", { key: "clv.status.disabled" });
  if (summary.customers < MIN_CUSTOMERS || summary.repeaters < MIN_REPEATERS) {
    return fail("too-few-customers", {
      key: "clv.status.tooFew",
      params: {
        customers: summary.customers,
        repeaters: summary.repeaters,
        minCustomers: MIN_CUSTOMERS,
        minRepeaters: MIN_REPEATERS,
      },
    });
  }
  if (summary.spenders < MIN_SPENDERS) {
    return fail("too-few-customers", {
      key: "clv.status.tooFewSpend",
      params: { n: summary.spenders, min: MIN_SPENDERS },
    });
  }

  const cal = calibrationCustomers(summary);
  const bg = fitBgnbd(cal.x, cal.tx, cal.T);
  const withBg: ClvResult = {
    ...base,
    parameters: { ...base.parameters, bgnbd: { ...bg.params, ll: bg.ll } },
    fit: { ...base.fit, bgnbd: fitInfo(bg) },
  };
  if (!bg.converged) {
    // Parameters of a fit that did not converge are not reported (fit.bgnbd says how it went).
    return {
      ...withBg,
      parameters: base.parameters,
      status: bg.failure === "no-dropout" ? "no-dropout" : "not-converged",
      message: { key: `clv.status.bgnbd.${bg.failure ?? "no-settle"}` },
    };
  }
  const spend = spendCustomers(summary);
  const gg = fitGammaGamma(spend.x, spend.zbar);
  const withBoth: ClvResult = {
    ...withBg,
    parameters: { ...withBg.parameters, gamma_gamma: { ...gg.params } },
    fit: { ...withBg.fit, gammaGamma: fitInfo(gg) },
  };
  if (!gg.converged) {
    return {
      ...withBoth,
      parameters: withBg.parameters,
      status: "not-converged",
      message: { key: `clv.status.gg.${gg.failure ?? "no-settle"}` },
    };
  }

  const groups = summaryGroups(summary, bg.params);
  const values = predict(summary, groups, gg.params, margins.margin, settings);
  const { pAlive, expected52w, expectedSpend, clv } = values;
  return {
    ...withBoth,
    status: "ok",
    message: null,
    pAlive,
    expected52w,
    expectedSpend,
    clv,
    totals: totals(values),
    pAliveBins: pAliveBins(pAlive),
    matrix: frequencyRecencyMatrix(summary, bg.params),
    valueMatrix: valueMatrix(summary.revenue, clv),
    holdout: holdoutCheck(summary, groups, asOf),
  };
}

/**
 * The result without the given customers' predictions: their P(alive), expected purchases,
 * spend and CLV become NaN (not applicable), and the totals, P(alive) bins and value matrix are
 * taken over the rest. Used for customers set to 终止期 Termination by hand ("company
 * dissolved"): the model knows nothing of that, so its numbers for them are not shown or summed.
 * The fit itself is unchanged (it describes the data, not the decision).
 */
export function withoutPredictions(r: ClvResult, drop: (c: number) => boolean): ClvResult {
  if (r.status !== "ok") return r;
  const values: Predictions = {
    pAlive: r.pAlive.slice(),
    expected52w: r.expected52w.slice(),
    expectedSpend: r.expectedSpend.slice(),
    clv: r.clv.slice(),
  };
  let dropped = 0;
  for (let c = 0; c < values.pAlive.length; c++) {
    if (!drop(c) || Number.isNaN(values.pAlive[c])) continue;
    values.pAlive[c] = values.expected52w[c] = values.expectedSpend[c] = values.clv[c] = NaN;
    dropped++;
  }
  if (dropped === 0) return r;
  return {
    ...r,
    ...values,
    totals: totals(values),
    pAliveBins: pAliveBins(values.pAlive),
    valueMatrix: valueMatrix(r.summary.revenue, values.clv),
  };
}

function fitInfo(f: BgnbdFit | GammaGammaFit): FitInfo {
  return {
    converged: f.converged,
    iterations: f.iterations,
    evaluations: f.evaluations,
    customers: f.customers,
    ll: f.ll,
  };
}

// ─── calibration summary ────────────────────────────────────────────────────────────────────

/**
 * Per-customer x, t_x, T, z̄ as of asOf (conventions in the file comment), and the number of
 * purchase days after asOf for the holdout check, from the order summary (summary.ts).
 */
export function calibrationSummary(ds: Dataset, asOf: number): CalibrationSummary {
  const o = orderSummary(ds, asOf);
  const count = o.count;
  const s: CalibrationSummary = {
    x: new Float64Array(count).fill(NaN),
    tx: new Float64Array(count).fill(NaN),
    T: new Float64Array(count).fill(NaN),
    zbar: new Float64Array(count).fill(NaN),
    firstDay: new Float64Array(count).fill(NaN),
    revenue: o.amount,
    holdoutPurchases: new Float64Array(count).fill(NaN),
    customers: 0,
    repeaters: 0,
    spenders: 0,
    lastDataDay: o.lastDataDay,
    repeatDays: o.repeatDays,
  };
  for (let c = 0; c < count; c++) {
    const first = o.txFirstDay[c];
    // no purchase, or the first one after the as-of date: not a calibration customer
    if (!(first <= asOf)) continue;
    const x = o.txDays[c] - 1;
    s.x[c] = x;
    s.tx[c] = (o.txLastDay[c] - first) / 7;
    s.T[c] = (asOf - first) / 7;
    s.firstDay[c] = first;
    s.holdoutPurchases[c] = o.holdoutDays[c];
    s.customers++;
    if (x > 0) {
      const zbar = (o.txTotal[c] - o.txFirstSpend[c]) / x;
      s.zbar[c] = zbar;
      s.repeaters++;
      if (zbar > 0) s.spenders++;
    }
  }
  return s;
}

/** The calibration customers' x, t_x, T, in customer order (typed: no array grown per customer). */
function calibrationCustomers(s: CalibrationSummary): {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
} {
  let n = 0;
  for (let c = 0; c < s.x.length; c++) if (!Number.isNaN(s.x[c])) n++;
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  for (let c = 0, i = 0; c < s.x.length; c++) {
    if (Number.isNaN(s.x[c])) continue;
    x[i] = s.x[c];
    tx[i] = s.tx[c];
    T[i++] = s.T[c];
  }
  return { x, tx, T };
}

/** The Gamma-Gamma sample: customers with x > 0 and z̄ > 0, in customer order. */
function spendCustomers(s: CalibrationSummary): { x: Float64Array; zbar: Float64Array } {
  let n = 0;
  for (let c = 0; c < s.x.length; c++) if (s.x[c] > 0 && s.zbar[c] > 0) n++;
  const x = new Float64Array(n);
  const zbar = new Float64Array(n);
  for (let c = 0, i = 0; c < s.x.length; c++) {
    if (s.x[c] > 0 && s.zbar[c] > 0) {
      x[i] = s.x[c];
      zbar[i++] = s.zbar[c];
    }
  }
  return { x, zbar };
}

// ─── margin ────────────────────────────────────────────────────────────────────────────────

const clampMargin = (m: number): number => Math.min(1, Math.max(-1, m));

/** Margin per customer: (revenue − cost) / revenue from Cost, else the overall one, else the setting. */
function customerMargins(
  ds: Dataset,
  asOf: number,
  setting: number,
): { margin: Float64Array; source: "cost" | "setting"; overall: number } {
  const count = ds.customerIds.length;
  const o = orderSummary(ds, asOf);
  const margin = new Float64Array(count);
  const cst = o.cost;
  if (!ds.hasCost || !cst)
    return { margin: margin.fill(setting), source: "setting", overall: setting };
  // every usable row has a finite cost (clean.ts counts a blank or unreadable one as 0)
  const rev = o.amount;
  let revAll = 0;
  let costAll = 0;
  let any = false;
  for (let c = 0; c < count; c++) {
    if (o.rows[c] === 0) continue;
    revAll += rev[c];
    costAll += cst[c];
    any = true;
  }
  if (!any || !(revAll > 0))
    return { margin: margin.fill(setting), source: "setting", overall: setting };
  const overall = clampMargin((revAll - costAll) / revAll);
  for (let c = 0; c < count; c++)
    margin[c] = o.rows[c] > 0 && rev[c] > 0 ? clampMargin((rev[c] - cst[c]) / rev[c]) : overall;
  return { margin, source: "cost", overall };
}

// ─── predictions ───────────────────────────────────────────────────────────────────────────

interface Predictions {
  pAlive: Float64Array;
  expected52w: Float64Array;
  expectedSpend: Float64Array;
  clv: Float64Array;
}

/**
 * Customers with the same (x, t_x, T) share every model value but spend, and groups with the same
 * x and T share E[Y(t) | alive] (bgnbd.ts): P(alive) once per group, the expectations once per
 * (x, T) — a million customers of a few years' data have some 10⁴ of those for 10⁵–10⁶ groups.
 * Each value is the same product conditionalExpectedTransactions forms, so the numbers are those
 * of calling it per customer, to the last bit.
 */
function predict(
  s: CalibrationSummary,
  g: SummaryGroups,
  gg: GammaGammaParams,
  margin: Float64Array,
  settings: Settings,
): Predictions {
  const count = s.x.length;
  const { horizonMonths: H, monthlyDiscount: d } = settings.clv;
  const { bg, of, first, groups, pAlive, xt, xts } = g;
  const out: Predictions = {
    pAlive: new Float64Array(count).fill(NaN),
    expected52w: new Float64Array(count).fill(NaN),
    expectedSpend: new Float64Array(count).fill(NaN),
    clv: new Float64Array(count).fill(NaN),
  };
  const discount = Array.from({ length: H + 1 }, (_, k) => Math.pow(1 + d, -k));
  // E[Y(t) | alive] per (x, T): at 52 weeks, and at the end of months 1..H
  const alive52 = new Float64Array(xts);
  const aliveMonth = new Float64Array(xts * H);
  const done = new Uint8Array(xts);
  for (let k = 0; k < groups; k++) {
    const j = xt[k];
    if (done[j]) continue;
    done[j] = 1;
    const c = first[k];
    const x = s.x[c];
    const T = s.T[c];
    alive52[j] = expectedTransactionsIfAlive(bg, EXPECTED_WEEKS, x, T);
    for (let m = 1; m <= H; m++)
      aliveMonth[j * H + m - 1] = expectedTransactionsIfAlive(bg, m * MONTH_WEEKS, x, T);
  }
  // per group: E[Y(52 weeks)] and the CLV of one unit of value per purchase (clvOf)
  const e52 = new Float64Array(groups);
  const perValue = new Float64Array(groups);
  for (let k = 0; k < groups; k++) {
    const j = xt[k];
    const p = pAlive[k];
    e52[k] = alive52[j] * p;
    let sum = 0;
    let prev = 0;
    for (let m = 1; m <= H; m++) {
      const ey = aliveMonth[j * H + m - 1] * p;
      sum += (ey - prev) * discount[m];
      prev = ey;
    }
    perValue[k] = 1 * sum;
  }
  for (let c = 0; c < count; c++) {
    const k = of[c];
    if (k < 0) continue;
    const x = s.x[c];
    out.pAlive[c] = pAlive[k];
    out.expected52w[c] = e52[k];
    const em = conditionalExpectedSpend(gg, x, x > 0 ? s.zbar[c] : 0);
    out.expectedSpend[c] = em;
    out.clv[c] = em * margin[c] * perValue[k];
  }
  return out;
}

/**
 * CLV = Σ_{k=1..H} valuePerPurchase · (E[Y(k·m)] − E[Y((k−1)·m)]) / (1+d)^k, m = one month in
 * weeks; discount[k] = (1+d)^−k.
 */
export function clvOf(
  bg: BgnbdParams,
  x: number,
  tx: number,
  T: number,
  valuePerPurchase: number,
  discount: readonly number[],
): number {
  let sum = 0;
  let prev = 0;
  for (let k = 1; k < discount.length; k++) {
    const ey = conditionalExpectedTransactions(bg, k * MONTH_WEEKS, x, tx, T);
    sum += (ey - prev) * discount[k];
    prev = ey;
  }
  return valuePerPurchase * sum;
}

/**
 * One number per (x, t_x, T): t_x and T are whole days / 7, so days identify them exactly — while
 * x < EXACT_KEY_X; from there on the key passes 2⁵³ and T's last day can round away.
 */
function summaryKey(x: number, tx: number, T: number): number {
  return (x * 2 ** 21 + Math.round(tx * 7)) * 2 ** 21 + Math.round(T * 7);
}
const EXACT_KEY_X = 2 ** 11;

/** A slot in a power-of-two table for a whole number below 2⁵³ (or any double: only its low bits and the 2³² above). */
function slotOf(key: number, mask: number): number {
  const lo = key >>> 0;
  const hi = (key / 4294967296) >>> 0;
  const h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  return (h ^ (h >>> 15)) & mask;
}

const sameSummary = (s: CalibrationSummary, a: number, b: number): boolean =>
  s.x[a] === s.x[b] && s.tx[a] === s.tx[b] && s.T[a] === s.T[b];

/** The calibration customers grouped by (x, t_x, T), and the groups by (x, T), with P(alive). */
interface SummaryGroups {
  bg: BgnbdParams;
  /** Customer → group (−1: not a calibration customer). */
  of: Int32Array;
  groups: number;
  /** Group → its first customer (groups numbered in order of appearance). */
  first: Int32Array;
  /** Group → P(alive) of its (x, t_x, T). */
  pAlive: Float64Array;
  /** Group → its (x, T), numbered in order of appearance; xts of them. */
  xt: Int32Array;
  xts: number;
}

/**
 * One pass over the customers through open-addressing tables on typed arrays (a Map held one
 * object per group, 10⁵–10⁶ of them at a million customers). Customers with equal (x, t_x, T)
 * share the values of the first of them; (x, T) are matched exactly.
 */
function summaryGroups(s: CalibrationSummary, bg: BgnbdParams): SummaryGroups {
  const count = s.x.length;
  let customers = 0;
  for (let c = 0; c < count; c++) if (!Number.isNaN(s.x[c])) customers++;
  const of = new Int32Array(count).fill(-1);
  const first = new Int32Array(customers);
  const keyOf = (c: number): number => summaryKey(s.x[c], s.tx[c], s.T[c]);
  // slot h → key at 2h, group at 2h + 1 (one cache line per probe); a slot per customer at first
  // (16 MB at a million; starting small and doubling all the way cost 25% more time at 563,023
  // groups), doubled when half full
  let mask = 1023;
  while (mask < customers - 1) mask = 2 * mask + 1;
  let table = new Float64Array(2 * (mask + 1)).fill(-1);
  let groups = 0;
  for (let c = 0; c < count; c++) {
    if (Number.isNaN(s.x[c])) continue;
    const key = keyOf(c);
    let h = slotOf(key, mask);
    // equal keys are the same (x, t_x, T) below EXACT_KEY_X; above, the first customer's says
    const x = s.x[c];
    while (
      table[2 * h + 1] >= 0 &&
      !(table[2 * h] === key && (x < EXACT_KEY_X || sameSummary(s, first[table[2 * h + 1]], c)))
    )
      h = (h + 1) & mask;
    if (table[2 * h + 1] >= 0) {
      of[c] = table[2 * h + 1];
      continue;
    }
    table[2 * h] = key;
    table[2 * h + 1] = groups;
    of[c] = groups;
    first[groups++] = c;
    if (2 * groups > mask) {
      mask = 2 * mask + 1;
      table = new Float64Array(2 * (mask + 1)).fill(-1);
      for (let k = 0; k < groups; k++) {
        const kk = keyOf(first[k]);
        let i = slotOf(kk, mask);
        while (table[2 * i + 1] >= 0) i = (i + 1) & mask;
        table[2 * i] = kk;
        table[2 * i + 1] = k;
      }
    }
  }
  // the groups' (x, T), matched exactly, numbered in order of appearance; P(alive) per group
  const xt = new Int32Array(groups);
  const xtFirst = new Int32Array(groups);
  const pAlive = new Float64Array(groups);
  const hashXT = (c: number): number => s.x[c] * 2 ** 21 + Math.round(s.T[c] * 7);
  mask = 1023;
  let xAt = new Float64Array(mask + 1);
  let tAt = new Float64Array(mask + 1);
  let xtAt = new Int32Array(mask + 1).fill(-1);
  let xts = 0;
  for (let k = 0; k < groups; k++) {
    const c = first[k];
    const x = s.x[c];
    const T = s.T[c];
    let h = slotOf(hashXT(c), mask);
    while (xtAt[h] >= 0 && !(xAt[h] === x && tAt[h] === T)) h = (h + 1) & mask;
    if (xtAt[h] < 0) {
      xAt[h] = x;
      tAt[h] = T;
      xtAt[h] = xts;
      xtFirst[xts++] = c;
      if (2 * xts > mask) {
        mask = 2 * mask + 1;
        xAt = new Float64Array(mask + 1);
        tAt = new Float64Array(mask + 1);
        xtAt = new Int32Array(mask + 1).fill(-1);
        for (let j = 0; j < xts; j++) {
          const cj = xtFirst[j];
          let i = slotOf(hashXT(cj), mask);
          while (xtAt[i] >= 0) i = (i + 1) & mask;
          xAt[i] = s.x[cj];
          tAt[i] = s.T[cj];
          xtAt[i] = j;
        }
      }
      xt[k] = xts - 1;
    } else xt[k] = xtAt[h];
    pAlive[k] = bgnbdPAlive(bg, x, s.tx[c], T);
  }
  return { bg, of, groups, first: first.subarray(0, groups), pAlive, xt, xts };
}

function totals(p: Predictions): ClvResult["totals"] {
  let customers = 0;
  let sumP = 0;
  let sumClv = 0;
  let sumE = 0;
  for (let c = 0; c < p.pAlive.length; c++) {
    if (Number.isNaN(p.pAlive[c])) continue;
    customers++;
    sumP += p.pAlive[c];
    sumClv += p.clv[c];
    sumE += p.expected52w[c];
  }
  return {
    customers,
    meanPAlive: customers ? sumP / customers : NaN,
    totalClv: sumClv,
    expected52w: sumE,
  };
}

/** Ten bins of width 0.1; the last one includes 1. */
export function pAliveBins(pAlive: Float64Array): PAliveBin[] {
  const bins: PAliveBin[] = Array.from({ length: 10 }, (_, k) => ({
    from: k / 10,
    to: (k + 1) / 10,
    customers: 0,
  }));
  const n = new Float64Array(10);
  for (let c = 0; c < pAlive.length; c++) {
    const p = pAlive[c];
    if (!Number.isNaN(p)) n[Math.min(9, Math.floor(p * 10))]++;
  }
  for (let k = 0; k < 10; k++) bins[k].customers = n[k];
  return bins;
}

/** Largest x shown in the frequency × recency matrices, and the number of recency columns. */
const MATRIX_MAX_X = 25;
const MATRIX_COLUMNS = 26;

/**
 * The model's expected purchases in the next 52 weeks and P(alive) for a customer observed for
 * the longest T, on a grid of x and t_x (the lifetimes "frequency/recency matrix"). x = 0 has
 * only t_x = 0, as in the data.
 */
function frequencyRecencyMatrix(s: CalibrationSummary, bg: BgnbdParams): FrMatrix {
  let T = 0;
  let maxX = 0;
  for (let c = 0; c < s.x.length; c++) {
    if (Number.isNaN(s.x[c])) continue;
    if (s.T[c] > T) T = s.T[c];
    if (s.x[c] > maxX) maxX = s.x[c];
  }
  const step = Math.max(1, Math.ceil(T / MATRIX_COLUMNS));
  const cells: FrMatrix["cells"] = [];
  const cell = (x: number, tx: number) =>
    cells.push({
      x,
      tx,
      expected: conditionalExpectedTransactions(bg, EXPECTED_WEEKS, x, tx, T),
      pAlive: bgnbdPAlive(bg, x, tx, T),
    });
  cell(0, 0);
  for (let x = 1; x <= Math.min(maxX, MATRIX_MAX_X); x++) {
    for (let tx = step; tx < T + step; tx += step) cell(x, Math.min(tx, T));
  }
  return { T, horizonWeeks: EXPECTED_WEEKS, cells };
}

/** The median of v (reordered in place): by selection, by a sort when v holds NaN or ±∞. */
function medianOf(v: Float64Array): number {
  const n = v.length;
  const m = n >> 1;
  let finite = true;
  for (let i = 0; i < n && finite; i++) finite = Number.isFinite(v[i]);
  if (!finite) {
    v.sort();
    return n % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
  }
  // typed as an array; any indexable works. v[m] is then the sorted array's v[m] (or its ±0
  // twin, which the comparisons with the median cannot tell apart), v[0..m−1] the ones below.
  quickselect(v as unknown as number[], m);
  if (n % 2) return v[m];
  let below = v[0];
  for (let i = 1; i < m; i++) if (v[i] > below) below = v[i];
  return (below + v[m]) / 2;
}

/** The value matrix's cells in their order: [current, future, quadrant]. */
const VALUE_CELLS = [
  ["low", "low", "low"],
  ["low", "high", "potential"],
  ["high", "low", "maintain"],
  ["high", "high", "star"],
] as const;

/** Current value (revenue to date) × predicted value (CLV), split at their medians. */
function valueMatrix(revenue: Float64Array, clv: Float64Array): ValueCell[] {
  let n = 0;
  for (let c = 0; c < clv.length; c++) if (!Number.isNaN(clv[c])) n++;
  const cur = new Float64Array(n);
  const fut = new Float64Array(n);
  for (let c = 0, i = 0; c < clv.length; c++) {
    if (Number.isNaN(clv[c])) continue;
    cur[i] = revenue[c];
    fut[i++] = clv[c];
  }
  const curMed = medianOf(cur);
  const futMed = medianOf(fut);
  // cell = 2·(current high) + (future high), in VALUE_CELLS' order
  const customers = new Float64Array(4);
  const currentValue = new Float64Array(4);
  const predictedValue = new Float64Array(4);
  for (let c = 0; c < clv.length; c++) {
    if (Number.isNaN(clv[c])) continue;
    const k = (revenue[c] > curMed ? 2 : 0) + (clv[c] > futMed ? 1 : 0);
    customers[k]++;
    currentValue[k] += revenue[c];
    predictedValue[k] += clv[c];
  }
  return VALUE_CELLS.map(([current, future, quadrant], k) => ({
    quadrant,
    current,
    future,
    customers: customers[k],
    currentValue: currentValue[k],
    predictedValue: predictedValue[k],
  }));
}

// ─── holdout ───────────────────────────────────────────────────────────────────────────────

const HOLDOUT_GROUPS = 8;

/**
 * Predicted vs actual purchases after the as-of date (Fader, Hardie & Lee 2005, fig. 4 and 2):
 * by calibration repeat purchases 0..6 and 7+, and the cumulative repeat purchases week by week
 * against Σ over first-purchase days of (customers that day) · E[X(t)].
 */
function holdoutCheck(s: CalibrationSummary, g: SummaryGroups, asOf: number): Holdout | null {
  const bg = g.bg;
  const end = s.lastDataDay;
  if (!(end > asOf)) return null;
  const weeks = (end - asOf) / 7;
  const groups = Array.from({ length: HOLDOUT_GROUPS }, () => ({
    customers: 0,
    actual: 0,
    predicted: 0,
  }));
  let startDay = Infinity;
  let customers = 0;
  let actualTotal = 0;
  let predictedTotal = 0;
  // E[Y(weeks)] per group, as conditionalExpectedTransactions forms it (see predict)
  const alive = new Float64Array(g.xts).fill(NaN);
  const byGroup = new Float64Array(g.groups);
  for (let k = 0; k < g.groups; k++) {
    const j = g.xt[k];
    if (Number.isNaN(alive[j])) {
      const c = g.first[k];
      alive[j] = expectedTransactionsIfAlive(bg, weeks, s.x[c], s.T[c]);
    }
    byGroup[k] = alive[j] * g.pAlive[k];
  }
  for (let c = 0; c < s.x.length; c++) {
    const x = s.x[c];
    if (Number.isNaN(x)) continue;
    const group = groups[Math.min(HOLDOUT_GROUPS - 1, x)];
    const predicted = byGroup[g.of[c]];
    group.customers++;
    group.actual += s.holdoutPurchases[c];
    group.predicted += predicted;
    customers++;
    actualTotal += s.holdoutPurchases[c];
    predictedTotal += predicted;
    if (s.firstDay[c] < startDay) startDay = s.firstDay[c];
  }
  const byFrequency: HoldoutGroup[] = groups.map((g, x) => ({
    x,
    label: x === HOLDOUT_GROUPS - 1 ? `${x}+` : String(x),
    customers: g.customers,
    actual: g.customers ? g.actual / g.customers : NaN,
    predicted: g.customers ? g.predicted / g.customers : NaN,
  }));
  return {
    from: asOf + 1,
    to: end,
    weeks,
    customers,
    actualTotal,
    predictedTotal,
    byFrequency,
    tracking: trackingCurve(s, bg, startDay),
    asOfWeek: Math.floor((asOf - startDay) / 7) + 1,
  };
}

/**
 * Cumulative repeat purchases week by week from the cohort's first purchase day to the end of
 * the data: actual, and the model's Σ_d n_d E[X((e_w − d)/7)] with n_d the customers whose first
 * purchase was on day d and e_w the last day of week w (the T convention: a purchase on e_w
 * counts by then).
 */
function trackingCurve(s: CalibrationSummary, bg: BgnbdParams, startDay: number): TrackingPoint[] {
  const span = s.lastDataDay - startDay;
  const repeatsOn = new Float64Array(span + 1);
  const { day: repeatDay, n: repeatsThatDay } = s.repeatDays;
  for (let k = 0; k < repeatDay.length; k++)
    repeatsOn[repeatDay[k] - startDay] += repeatsThatDay[k];
  const cohort = new Float64Array(span + 1);
  for (const f of s.firstDay) if (!Number.isNaN(f)) cohort[f - startDay]++;
  // E[X(k/7)] for every whole number of days k the curve needs.
  const ex = new Float64Array(span + 1);
  for (let k = 0; k <= span; k++) ex[k] = expectedTransactions(bg, k / 7);
  const points: TrackingPoint[] = [];
  let actual = 0;
  const lastWeek = Math.ceil((span + 1) / 7);
  for (let w = 1; w <= lastWeek; w++) {
    const e = Math.min(span, 7 * w - 1);
    for (let k = 7 * (w - 1); k <= e; k++) actual += repeatsOn[k];
    let predicted = 0;
    for (let d = 0; d <= e; d++) if (cohort[d]) predicted += cohort[d] * ex[e - d];
    points.push({ week: w, day: startDay + e, actual, predicted });
  }
  return points;
}
