/**
 * Revenue in two calendar windows before the as-of date (SPEC §7, issue "Lifecycle"):
 * recent = (asOf − W, asOf], previous = (asOf − 2W, asOf − W]; net amounts, cancellations
 * included. Used by the lifecycle rules and by the scorecard's growth criterion. Read from the
 * order summary (summary.ts), whatever took it.
 */
import type { Dataset } from "./types.js";
import { orderSummary } from "./summary.js";

export interface WindowRevenue {
  recent: Float64Array;
  previous: Float64Array;
}

export function windowRevenue(ds: Dataset, asOf: number, windowDays: number): WindowRevenue {
  const s = orderSummary(ds, asOf, windowDays);
  return { recent: s.revRecent, previous: s.revPrevious };
}
