/**
 * Weighted scorecard (客户关系评估表), SPEC §5: each criterion scaled 0–100 by percentile
 * among the customers with purchases, weighted into one score, graded by cut-offs
 * (A ≥ 80, B ≥ 60, C ≥ 40, D below, all settings).
 *
 * Percentile: 100 × (customers strictly worse + half of the other customers tied with it) /
 * (n − 1), so equal values get equal points, the best gets 100 and the worst 0; one customer
 * alone gets 100. Growth = (recent − previous) / previous window revenue (+∞ when it starts
 * from nothing); tenure = days since the first purchase or first contact, whichever is earlier.
 */
import type { Dataset, Measures } from "./types.js";
import type { Criterion, Grade, Settings } from "./settings.js";
import { windowRevenue } from "./windows.js";
import { ascendingOrder } from "./value.js";

export interface ScorecardResult {
  score: Float64Array;
  grade: (Grade | null)[];
  /** Points 0–100 per criterion (NaN for customers not scored). */
  points: Record<string, Float64Array>;
  criteria: Settings["scorecard"]["criteria"];
}

function criterionValues(c: Criterion, ds: Dataset, m: Measures, settings: Settings): Float64Array {
  const out = new Float64Array(m.count);
  if (c === "growth") {
    const w = windowRevenue(ds, m.asOf, settings.lifecycle.windowDays);
    for (let i = 0; i < m.count; i++) {
      const p = w.previous[i];
      const r = w.recent[i];
      out[i] = p > 0 ? (r - p) / p : r > 0 ? Infinity : r < 0 ? -Infinity : 0;
    }
    return out;
  }
  for (let i = 0; i < m.count; i++) {
    switch (c) {
      case "revenue":
        out[i] = m.monetary[i];
        break;
      case "frequency":
        out[i] = m.frequency[i];
        break;
      case "recency":
        out[i] = -m.recency[i];
        break;
      case "profit":
        out[i] = m.profit ? m.profit[i] : m.monetary[i];
        break;
      case "tenure": {
        const fc = ds.records[i]?.firstContact ?? NaN;
        const first = Number.isFinite(fc) && !(fc > m.firstDay[i]) ? fc : m.firstDay[i];
        out[i] = m.asOf - first;
        break;
      }
    }
  }
  return out;
}

/**
 * Percentile points 0–100 for included customers, ties sharing the mid-rank. The included
 * values are put in order by value.ts ascendingOrder (a radix sort of their bits: no comparator
 * call per pair, no search per customer, a million customers a criterion), and each run of
 * equal values gets its points (−0 and 0 are one run, as === has them). A NaN among them, which
 * has no place in that order, takes the comparator's way.
 */
export function percentilePoints(values: Float64Array, include: Uint8Array): Float64Array {
  return pointsInPlace(values.slice(), include, values);
}

/**
 * percentilePoints written over `values` itself (they are all read first), for the scorecard's
 * own criterion values: at a million customers that is 8 MB a criterion less outside the heap,
 * whose growth is what sets off V8's full collections. `original`: the values as given, which
 * the comparator's way reads when a NaN turns up.
 */
function pointsInPlace(
  values: Float64Array,
  include: Uint8Array,
  original: Float64Array = values,
): Float64Array {
  let n = 0;
  for (let c = 0; c < values.length; c++) if (include[c]) n++;
  if (n === 0) return percentilePointsByIndex(original, include);
  const keys = new Float64Array(n);
  const customer = new Int32Array(n);
  for (let c = 0, k = 0; c < values.length; c++) {
    if (!include[c]) continue;
    if (Number.isNaN(values[c])) return percentilePointsByIndex(original, include);
    keys[k] = values[c];
    customer[k++] = c;
  }
  const order = ascendingOrder(keys);
  // the values are all read: the points go in their place, NaN for those not included
  const out = values;
  for (let c = 0; c < out.length; c++) if (!include[c]) out[c] = NaN;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && keys[order[j + 1]] === keys[order[i]]) j++;
    const pts = n === 1 ? 100 : (100 * (i + (j - i) / 2)) / (n - 1);
    for (let m = i; m <= j; m++) out[customer[order[m]]] = pts;
    i = j + 1;
  }
  return out;
}

/** percentilePoints by sorting customer indices with a comparator (values holding NaN). */
function percentilePointsByIndex(values: Float64Array, include: Uint8Array): Float64Array {
  const idx: number[] = [];
  for (let c = 0; c < values.length; c++) if (include[c]) idx.push(c);
  const out = new Float64Array(values.length).fill(NaN);
  const n = idx.length;
  idx.sort((a, b) => (values[a] < values[b] ? -1 : values[a] > values[b] ? 1 : 0));
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[idx[j + 1]] === values[idx[i]]) j++;
    const tiedOthers = j - i;
    const pts = n === 1 ? 100 : (100 * (i + tiedOthers / 2)) / (n - 1);
    for (let k = i; k <= j; k++) out[idx[k]] = pts;
    i = j + 1;
  }
  return out;
}

export function scorecard(ds: Dataset, m: Measures, settings: Settings): ScorecardResult {
  const { criteria, cutoffs } = settings.scorecard;
  const totalWeight = criteria.reduce((s, c) => s + c.weight, 0);
  const score = new Float64Array(m.count).fill(NaN);
  const grade: (Grade | null)[] = new Array(m.count).fill(null);
  const points: Record<string, Float64Array> = {};
  for (const { criterion } of criteria)
    points[criterion] = pointsInPlace(criterionValues(criterion, ds, m, settings), m.purchased);
  // the criteria's points and weights in order, looked up once rather than per customer
  const columns = criteria.map(({ criterion }) => points[criterion]);
  const weights = criteria.map(({ weight }) => weight);
  for (let c = 0; c < m.count; c++) {
    if (!m.purchased[c] || totalWeight <= 0) continue;
    let s = 0;
    for (let k = 0; k < columns.length; k++) s += weights[k] * columns[k][c];
    const v = s / totalWeight;
    score[c] = v;
    grade[c] = v >= cutoffs.A ? "A" : v >= cutoffs.B ? "B" : v >= cutoffs.C ? "C" : "D";
  }
  return { score, grade, points, criteria };
}
