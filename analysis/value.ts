/**
 * The customer value that grading, the pyramid and Pareto rank by (SPEC §5): monetary, or
 * profit when the orders carry a Cost column (setting `value`: auto | monetary | profit).
 */
import type { Dataset, Measures } from "./types.js";
import type { Settings } from "./settings.js";

export type ValueBasis = "monetary" | "profit";

export function valueBasis(measures: Measures, settings: Settings): ValueBasis {
  if (settings.value === "monetary" || !measures.profit) return "monetary";
  return "profit";
}

/** Value per customer; NaN for customers with no rows up to the as-of date (prospects). */
export function customerValue(measures: Measures, basis: ValueBasis): Float64Array {
  const src = basis === "profit" && measures.profit ? measures.profit : measures.monetary;
  const out = new Float64Array(measures.count);
  for (let c = 0; c < measures.count; c++) out[c] = measures.hasRows[c] ? src[c] : NaN;
  return out;
}

/** Index of the high 32-bit word of a float64 seen as two Uint32 words (platform byte order). */
const HIGH = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 1 : 0;

/**
 * Indices 0..n−1 ordered by `keys` ascending, stable (equal keys keep index order); keys must
 * not be NaN, and −0 comes before 0 (callers that treat them as equal compare runs with ===).
 * An LSD radix sort on the keys' bits, 16 at a time: four linear passes, no comparisons.
 */
export function ascendingOrder(keys: Float64Array): Int32Array {
  const n = keys.length;
  // the bits of a double, made to sort as unsigned integers: negatives flipped, sign bit set on the rest
  const words = new Uint32Array(Float64Array.from(keys).buffer);
  for (let i = 0; i < n; i++) {
    const hi = 2 * i + HIGH;
    const lo = 2 * i + 1 - HIGH;
    if (words[hi] & 0x80000000) {
      words[hi] = ~words[hi];
      words[lo] = ~words[lo];
    } else {
      words[hi] |= 0x80000000;
    }
  }
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let next = new Int32Array(n);
  const start = new Int32Array(65_536);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass < 2 ? 1 - HIGH : HIGH;
    const shift = (pass & 1) * 16;
    start.fill(0);
    for (let i = 0; i < n; i++) start[(words[2 * i + word] >>> shift) & 0xffff]++;
    let sum = 0;
    let skip = false; // every key has the same digit: the pass would not move anything
    for (let d = 0; d < 65_536; d++) {
      const k = start[d];
      if (k === n) skip = true;
      start[d] = sum;
      sum += k;
    }
    if (skip) continue;
    for (let i = 0; i < n; i++) {
      const x = order[i];
      next[start[(words[2 * x + word] >>> shift) & 0xffff]++] = x;
    }
    [order, next] = [next, order];
  }
  return order;
}

/**
 * Every customer with a value (not NaN), by value descending, ties by customer ID (so the
 * order, and everything cut from it, is deterministic). Grading, the pyramid and Pareto all
 * cut from this one order: compute it once and pass it to them.
 *
 * The values are ordered as numbers (ascendingOrder on the negated values); only runs of
 * equal values are then ordered by ID.
 */
export function valueRanking(value: Float64Array, ds: Dataset): Int32Array {
  let n = 0;
  for (let c = 0; c < value.length; c++) if (value[c] === value[c]) n++;
  const customers = new Int32Array(n);
  const negated = new Float64Array(n);
  for (let c = 0, j = 0; c < value.length; c++) {
    if (value[c] !== value[c]) continue;
    customers[j] = c;
    negated[j++] = -value[c];
  }
  const order = ascendingOrder(negated);
  for (let i = 0; i < n; i++) order[i] = customers[order[i]];
  const ids = ds.customerIds;
  const byId = (x: number, y: number) => (ids[x] < ids[y] ? -1 : ids[x] > ids[y] ? 1 : x - y);
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && value[order[j]] === value[order[i]]) j++;
    if (j - i > 1) order.subarray(i, j).sort(byId);
    i = j;
  }
  issued.set(order, value);
  return order;
}

/**
 * The rankings valueRanking made, each with the values it ranks: given back to rankByValue
 * with those same values they need no check (the pipeline passes one ranking to three rules;
 * checking it each time cost as much as a third of a sort). Neither array is changed after.
 */
const issued = new WeakMap<Int32Array, Float64Array>();

/**
 * True when `ranking` is exactly valueRanking(value, ds): every customer with a value once,
 * in order. O(n); a ranking passed in is checked with it, never trusted.
 */
export function isValueRanking(ranking: Int32Array, value: Float64Array, ds: Dataset): boolean {
  let n = 0;
  for (let c = 0; c < value.length; c++) if (value[c] === value[c]) n++;
  if (ranking.length !== n) return false;
  const seen = new Uint8Array(value.length);
  const ids = ds.customerIds;
  for (let i = 0; i < n; i++) {
    const c = ranking[i];
    if (!(c >= 0 && c < value.length) || seen[c] || value[c] !== value[c]) return false;
    seen[c] = 1;
    if (i === 0) continue;
    const p = ranking[i - 1];
    if (value[p] < value[c]) return false;
    if (value[p] === value[c] && !(ids[p] < ids[c] || (ids[p] === ids[c] && p < c))) return false;
  }
  return true;
}

/** Σ value[c] over the customers c in `order` (a ranking), summed in its order. */
export function sumOver(value: Float64Array, order: Int32Array): number {
  let total = 0;
  for (let i = 0; i < order.length; i++) total += value[order[i]];
  return total;
}

/**
 * rankByValue's usual tests. Pass these rather than a new arrow function each call: a test
 * made per call is a new function each run, and V8 throws away the compiled loops it was
 * inlined into when that function dies.
 */
export const isPositive = (v: number): boolean => v > 0;
export const isNumber = (v: number): boolean => v === v;

/**
 * Customer indices with a value satisfying `keep`, sorted by value descending, ties by
 * customer ID: valueRanking filtered. Pass `ranking` (valueRanking of the same values) to save
 * the sort when several rules rank the same values (the pipeline computes it once).
 */
export function rankByValue(
  value: Float64Array,
  ds: Dataset,
  keep: (v: number) => boolean,
  ranking?: Int32Array,
): Int32Array {
  if (ranking && issued.get(ranking) !== value && !isValueRanking(ranking, value, ds))
    throw new Error("rankByValue: the ranking given is not the ranking of these values");
  const all = ranking ?? valueRanking(value, ds);
  let n = 0;
  for (let i = 0; i < all.length; i++) if (keep(value[all[i]])) n++;
  if (n === all.length) return all.slice();
  const out = new Int32Array(n);
  for (let i = 0, j = 0; i < all.length; i++) if (keep(value[all[i]])) out[j++] = all[i];
  return out;
}
