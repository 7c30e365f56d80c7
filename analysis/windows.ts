/**
 * Revenue in two calendar windows before the as-of date (SPEC §7, issue "Lifecycle"):
 * recent = (asOf − W, asOf], previous = (asOf − 2W, asOf − W]; net amounts, cancellations
 * included. Used by the lifecycle rules and by the scorecard's growth criterion.
 */
import type { Dataset } from "./types.js";

export interface WindowRevenue {
  recent: Float64Array;
  previous: Float64Array;
}

export function windowRevenue(ds: Dataset, asOf: number, windowDays: number): WindowRevenue {
  const count = ds.customerIds.length;
  const recent = new Float64Array(count);
  const previous = new Float64Array(count);
  const { n, day, customer, amount } = ds.orders;
  const startRecent = asOf - windowDays;
  const startPrevious = asOf - 2 * windowDays;
  for (let i = 0; i < n; i++) {
    const d = day[i];
    if (d > asOf || d <= startPrevious) continue;
    if (d > startRecent) recent[customer[i]] += amount[i];
    else previous[customer[i]] += amount[i];
  }
  return { recent, previous };
}
