/**
 * RFM (最近一次消费 / 消费频率 / 消费金额), SPEC §4: per-customer measures as of the as-of date
 * and quintile-like scores 1..5 with ties kept together.
 *
 * score = min(5, 1 + floor(5 · L / n)), n = scored customers, L = how many of them are
 * strictly worse on the measure (recency: larger; frequency, monetary: smaller).
 */
import type { Dataset, Measures } from "./types.js";
import type { Settings } from "./settings.js";
import { ascendingOrder } from "./value.js";

/** The as-of date in force: the setting, else the latest usable row's calendar date. */
export function resolveAsOf(ds: Dataset, settings: Settings): number {
  if (settings.asOf !== null) return settings.asOf;
  return Number.isFinite(ds.maxDay) ? ds.maxDay : 0;
}

/** Per-customer measures from the clean orders; rows after the as-of date are left out. */
export function measure(ds: Dataset, settings: Settings): Measures {
  const asOf = resolveAsOf(ds, settings);
  const count = ds.customerIds.length;
  const { n, customer, day, amount, cost, order, cancelled, orderCount } = ds.orders;
  const firstDay = new Float64Array(count).fill(NaN);
  const lastDay = new Float64Array(count).fill(NaN);
  const frequency = new Int32Array(count);
  const monetary = new Float64Array(count);
  const costSum = cost ? new Float64Array(count) : null;
  const hasRows = new Uint8Array(count);
  const owner = new Int32Array(orderCount).fill(-1);
  let shared: Set<string> | null = null;
  for (let i = 0; i < n; i++) {
    const d = day[i];
    if (d > asOf) continue;
    const c = customer[i];
    hasRows[c] = 1;
    monetary[c] += amount[i];
    if (costSum && cost) costSum[c] += cost[i];
    if (cancelled[i]) continue;
    if (!(firstDay[c] <= d)) firstDay[c] = d;
    if (!(lastDay[c] >= d)) lastDay[c] = d;
    const o = order[i];
    const own = owner[o];
    if (own === -1) {
      owner[o] = c;
      frequency[c]++;
    } else if (own !== c) {
      // The same order ID under two customers: count it once for each of them.
      shared ??= new Set();
      const key = `${o}:${c}`;
      if (!shared.has(key)) {
        shared.add(key);
        frequency[c]++;
      }
    }
  }
  const recency = new Float64Array(count);
  const purchased = new Uint8Array(count);
  for (let c = 0; c < count; c++) {
    recency[c] = asOf - lastDay[c];
    purchased[c] = frequency[c] > 0 ? 1 : 0;
  }
  let profit: Float64Array | null = null;
  if (costSum) {
    profit = new Float64Array(count);
    for (let c = 0; c < count; c++) profit[c] = monetary[c] - costSum[c];
  }
  return {
    asOf,
    count,
    firstDay,
    lastDay,
    recency,
    frequency,
    monetary,
    profit,
    hasRows,
    purchased,
  };
}

/** Direction of "better" for a measure. */
export type Better = "higher" | "lower";

/**
 * Scores 1..5 for the customers where `include` is 1 (0 elsewhere).
 * Equal values always get equal scores; O(n log n).
 */
export function scoreMeasure(
  values: ArrayLike<number>,
  include: Uint8Array,
  better: Better,
): Uint8Array {
  const count = include.length;
  const scores = new Uint8Array(count);
  let n = 0;
  for (let c = 0; c < count; c++) if (include[c]) n++;
  if (n === 0) return scores;
  if (scoresByOrder(values, include, better, n, scores)) return scores;
  const sorted = new Float64Array(n);
  for (let c = 0, j = 0; c < count; c++) if (include[c]) sorted[j++] = values[c];
  sorted.sort();
  for (let c = 0; c < count; c++) {
    if (!include[c]) continue;
    const v = values[c];
    // worse = smaller when higher is better; larger when lower is better
    const worse = better === "higher" ? lowerBound(sorted, v) : n - upperBound(sorted, v);
    scores[c] = Math.min(5, 1 + Math.floor((5 * worse) / n));
  }
  return scores;
}

/**
 * scoreMeasure's scores from one ascending ordering (ascendingOrder) when no included value
 * is NaN: each run of equal values has `worse` = the customers before it (higher is better)
 * or after it (lower is better). False, with nothing written, when a value is NaN.
 */
function scoresByOrder(
  values: ArrayLike<number>,
  include: Uint8Array,
  better: Better,
  n: number,
  scores: Uint8Array,
): boolean {
  const customers = new Int32Array(n);
  const keys = new Float64Array(n);
  for (let c = 0, j = 0; c < include.length; c++) {
    if (!include[c]) continue;
    const v = values[c];
    if (v !== v) return false;
    customers[j] = c;
    keys[j++] = v;
  }
  const order = ascendingOrder(keys);
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && keys[order[j]] === keys[order[i]]) j++;
    const worse = better === "higher" ? i : n - j;
    const score = Math.min(5, 1 + Math.floor((5 * worse) / n));
    for (let k = i; k < j; k++) scores[customers[order[k]]] = score;
    i = j;
  }
  return true;
}

/** First index whose value is ≥ v. */
function lowerBound(a: Float64Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose value is > v. */
function upperBound(a: Float64Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface RfmScores {
  r: Uint8Array;
  f: Uint8Array;
  m: Uint8Array;
  /** Number of scored customers. */
  scored: number;
  /** Mean score of each measure over scored customers (the RFM cube's high/low line). */
  mean: { r: number; f: number; m: number };
}

/** R, F and M scores for every customer with a purchase (0 = not scored). */
export function scoreRfm(measures: Measures): RfmScores {
  const inc = measures.purchased;
  const r = scoreMeasure(measures.recency, inc, "lower");
  const f = scoreMeasure(measures.frequency, inc, "higher");
  const m = scoreMeasure(measures.monetary, inc, "higher");
  let scored = 0;
  let sr = 0;
  let sf = 0;
  let sm = 0;
  for (let c = 0; c < inc.length; c++) {
    if (!inc[c]) continue;
    scored++;
    sr += r[c];
    sf += f[c];
    sm += m[c];
  }
  const mean = scored ? { r: sr / scored, f: sf / scored, m: sm / scored } : { r: 0, f: 0, m: 0 };
  return { r, f, m, scored, mean };
}
