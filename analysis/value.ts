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

/**
 * Customer indices with a value satisfying `keep`, sorted by value descending, ties by
 * customer ID (so the order, and everything cut from it, is deterministic).
 */
export function rankByValue(
  value: Float64Array,
  ds: Dataset,
  keep: (v: number) => boolean,
): Int32Array {
  const idx: number[] = [];
  for (let c = 0; c < value.length; c++) if (keep(value[c])) idx.push(c);
  const ids = ds.customerIds;
  idx.sort((x, y) => value[y] - value[x] || (ids[x] < ids[y] ? -1 : ids[x] > ids[y] ? 1 : x - y));
  return Int32Array.from(idx);
}
