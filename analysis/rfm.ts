/**
 * RFM (最近一次消费 / 消费频率 / 消费金额), SPEC §4: per-customer measures as of the as-of date
 * and quintile-like scores 1..5 with ties kept together.
 *
 * score = min(5, 1 + floor(5 · L / n)), n = scored customers, L = how many of them are
 * strictly worse on the measure (recency: larger; frequency, monetary: smaller).
 */
import quickselect from "quickselect";
import type { Dataset, Measures } from "./types.js";
import type { Settings } from "./settings.js";
import { orderSummary, toCents } from "./summary.js";

/** The as-of date in force: the setting, else the latest usable row's calendar date. */
export function resolveAsOf(ds: Dataset, settings: Settings): number {
  if (settings.asOf !== null) return settings.asOf;
  return Number.isFinite(ds.maxDay) ? ds.maxDay : 0;
}

export { toCents };

/**
 * Per-customer measures as of the as-of date, from the order summary (summary.ts: taken from the
 * clean rows, or by SQL); rows after the as-of date are left out. Money (monetary, profit) is
 * rounded to the cent (toCents).
 */
export function measure(ds: Dataset, settings: Settings): Measures {
  const asOf = resolveAsOf(ds, settings);
  const s = orderSummary(ds, asOf, settings.lifecycle.windowDays);
  const count = s.count;
  const monetary = new Float64Array(count);
  const recency = new Float64Array(count);
  const frequency = new Int32Array(count);
  const hasRows = new Uint8Array(count);
  const purchased = new Uint8Array(count);
  for (let c = 0; c < count; c++) {
    monetary[c] = toCents(s.amount[c]);
    recency[c] = asOf - s.lastPurchase[c];
    frequency[c] = s.orders[c];
    hasRows[c] = s.rows[c] > 0 ? 1 : 0;
    purchased[c] = s.orders[c] > 0 ? 1 : 0;
  }
  let profit: Float64Array | null = null;
  if (s.cost) {
    profit = new Float64Array(count);
    for (let c = 0; c < count; c++) profit[c] = toCents(s.amount[c] - s.cost[c]);
  }
  return {
    asOf,
    count,
    firstDay: s.firstPurchase.slice(),
    lastDay: s.lastPurchase.slice(),
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
 * Scores 1..5 for the customers where `include` is 1 (0 elsewhere): with n customers and
 * `worse` of them strictly worse than this one, 1 + ⌊5·worse/n⌋ (at most 5). Equal values
 * always get equal scores.
 *
 * Score k+1 is reached exactly when the value passes the value at a fixed rank,
 * m = ⌈k·n/5⌉ (higher is better: more than the m-th smallest; lower is better: less than the
 * m-th largest), so each customer takes four comparisons. The four rank values are found by
 * selection (Floyd–Rivest, O(n)) rather than a sort: the ranks are positions in the ascending
 * order with NaN last, so a rank among the NaNs is NaN, which passes no "more than" and every
 * "less than". (−0 and 0 may trade places; the comparisons cannot tell them apart.)
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
  // the included values that are numbers; NaNs would sort after them
  const known = new Float64Array(n);
  let numbers = 0;
  for (let c = 0; c < count; c++) {
    const v = values[c];
    if (include[c] && v === v) known[numbers++] = v;
  }
  // cut[k-1]: the value to pass for score k+1, at an ascending position; taken largest position
  // first, so each selection only rearranges the part below the one before
  const position = (k: number) => {
    const m = Math.ceil((k * n) / 5);
    return better === "higher" ? m - 1 : n - m;
  };
  const ks = [1, 2, 3, 4].sort((x, y) => position(y) - position(x));
  const cut = new Float64Array(4);
  let right = numbers - 1;
  for (const k of ks) {
    const at = position(k);
    if (at >= numbers) {
      cut[k - 1] = NaN;
      continue;
    }
    quickselect(known as unknown as number[], at, 0, right); // typed as an array; any indexable works
    cut[k - 1] = known[at];
    right = at;
  }
  const [c1, c2, c3, c4] = cut;
  for (let c = 0; c < count; c++) {
    if (!include[c]) continue;
    const v = values[c];
    scores[c] =
      better === "higher"
        ? 1 + +(c1 < v) + +(c2 < v) + +(c3 < v) + +(c4 < v)
        : 1 + +!(c1 <= v) + +!(c2 <= v) + +!(c3 <= v) + +!(c4 <= v);
  }
  return scores;
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
