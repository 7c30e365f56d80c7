/**
 * A planned next contact (下次联系) dated before the contact it was written on is a data
 * question (issue 17, "bad input"): a warning on that Interactions row. The row is still used;
 * follow-up planning already ignores such a date (followup.ts counts a planned date only when
 * it lies after the last contact), and the warning says so.
 */
import type { Dataset, Issue } from "./types.js";
import { isoDay } from "./dates.js";

/** The column the warnings name (as lifecycle.ts names 手动阶段). */
const NEXT_CONTACT_COLUMN = "下次联系";

export function nextContactIssues(ds: Dataset): Issue[] {
  const out: Issue[] = [];
  for (const x of ds.interactions) {
    if (x.nextContact === null || x.nextContact >= x.day) continue;
    out.push({
      source: ds.sources.interactions ?? "",
      row: x.row,
      column: NEXT_CONTACT_COLUMN,
      value: isoDay(x.nextContact),
      reason: {
        key: "owners.issue.nextBeforeContact",
        params: { next: x.nextContact, day: x.day, customer: x.customer },
      },
      severity: "warning",
    });
  }
  return out;
}
