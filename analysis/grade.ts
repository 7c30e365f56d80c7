/**
 * ABC grading by Pareto (客户分级), SPEC §5. Customers with positive value, sorted by value
 * descending (ties by ID): A while the cumulative value share of the customers before it is
 * below the A cut-off (so the one that crosses it is A), B below the B cut-off, else C;
 * D = zero or negative value. Prospects (no rows) get no grade.
 * With basis "count" the cut-offs are shares of customers instead ("top 10% are A").
 */
import type { Dataset } from "./types.js";
import type { Grade, Settings } from "./settings.js";
import { isPositive, rankByValue, sumOver } from "./value.js";

/** The grades given by rank, best first. */
const RANKED = ["A", "B", "C"] as const satisfies readonly Grade[];

export interface AbcResult {
  grade: (Grade | null)[];
  counts: Record<Grade, number>;
  /** Value share held by each grade (of the positive total). */
  share: Record<Grade, number>;
  cutoffs: Settings["abc"];
}

/** `ranking`: valueRanking(value, ds) when the caller has it (saves the sort). */
export function gradeAbc(
  value: Float64Array,
  ds: Dataset,
  settings: Settings,
  ranking?: Int32Array,
): AbcResult {
  const { a, b, basis } = settings.abc;
  const grade: (Grade | null)[] = new Array(value.length).fill(null);
  const counts: Record<Grade, number> = { A: 0, B: 0, C: 0, D: 0 };
  const sums: Record<Grade, number> = { A: 0, B: 0, C: 0, D: 0 };
  const order = rankByValue(value, ds, isPositive, ranking);
  const total = sumOver(value, order);
  // per-grade tallies by position in RANKED (0 = A): a counter array, not keyed properties
  const tally = [0, 0, 0];
  const held = [0, 0, 0];
  let before = 0;
  for (let i = 0; i < order.length; i++) {
    const c = order[i];
    const position = basis === "value" ? before / total : i / order.length;
    const k = position < a ? 0 : position < b ? 1 : 2;
    grade[c] = RANKED[k];
    tally[k]++;
    held[k] += value[c];
    before += value[c];
  }
  RANKED.forEach((g, k) => {
    counts[g] = tally[k];
    sums[g] = held[k];
  });
  for (let c = 0; c < value.length; c++) {
    if (value[c] <= 0) {
      grade[c] = "D";
      counts.D++;
    }
  }
  const share: Record<Grade, number> = { A: 0, B: 0, C: 0, D: 0 };
  if (total > 0) for (const g of ["A", "B", "C"] as const) share[g] = sums[g] / total;
  return { grade, counts, share, cutoffs: settings.abc };
}
