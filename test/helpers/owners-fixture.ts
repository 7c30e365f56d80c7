/**
 * The crafted dataset of the account-manager tests (issue 17 §5): owners written two ways, an
 * unassigned customer and one only in Orders, windows that end on the as-of date.
 */
import type { WorkbookInput } from "../../analysis/index.js";
import { dayFromIso, isoDay } from "../../analysis/dates.js";
import type { Cell } from "../../analysis/types.js";
import { textTable } from "./table.js";

export const AS_OF = dayFromIso("2024-06-30");
export const d = (n: number) => isoDay(AS_OF - n);

/**
 * K1, K2, K5 belong to 王磊 (K2 written "王磊 "), K3 to "Wang Lei", K4 has no owner and K6 is
 * only in Orders: K4 and K6 are unassigned. Values: K1 1200, K2 200, K4 60, K6 40, K3 10
 * (total 1510); with cut-offs 0.8 / 0.95 K1 and K2 are A (K2's value before it: 79.5%), K4 B
 * (92.7%), K6 and K3 C. K5 is a prospect.
 */
export function ownersInput(): WorkbookInput {
  const orders: Cell[][] = [
    ["K1", d(0), 100], // as-of date itself: in the 90 days
    ["K1", d(89), 50], // last day of the 90 days
    ["K1", d(90), 30], // first day of the previous 90
    ["K1", d(179), 20], // last day of the previous 90
    ["K1", d(180), 1000], // in neither window
    ["K2", d(10), 200],
    ["K3", d(200), 10],
    ["K4", d(5), 60],
    ["K6", d(30), 40],
  ];
  const customers: Cell[][] = [
    ["K1", "Alpha Co", "Li", "138-0000-0001", "王磊"],
    ["K2", "Beta Co", "Zhao", "138-0000-0002", "王磊 "],
    ["K3", "Gamma Co", "Sun", "138-0000-0003", "Wang Lei"],
    ["K4", "Delta Co", "Qian", "138-0000-0004", ""],
    ["K5", "Epsilon Co", "Zhou", "138-0000-0005", " 王磊"],
  ];
  const interactions: Cell[][] = [
    ["K1", d(0), "phone", "followup", "ok", d(-3)], // planned: due as-of + 3
    ["K1", d(6), "phone", "followup", "ok", ""],
    ["K1", d(7), "phone", "followup", "ok", ""],
    ["K1", d(29), "phone", "followup", "ok", ""],
    ["K1", d(30), "phone", "followup", "ok", ""],
    ["K1", d(-1), "phone", "followup", "after the as-of date", ""],
    ["K2", d(31), "phone", "complaint", "late delivery", d(40)], // next before its own date
    ["K3", d(182), "visit", "followup", "ok", ""],
    ["K6", d(1), "phone", "followup", "ok", ""],
    ["ZZ", d(1), "phone", "followup", "not a customer", ""],
  ];
  return {
    orders: textTable("Orders", ["Customer ID", "Date", "Amount"], orders),
    customers: textTable(
      "Customers",
      ["Customer ID", "Name", "Contact", "Phone", "Owner"],
      customers,
    ),
    interactions: textTable(
      "Interactions",
      ["Customer ID", "Date", "Channel", "Type", "Outcome", "Next Contact"],
      interactions,
    ),
  };
}

export const OWNER_OVERRIDES = { asOf: AS_OF, abc: { basis: "value" as const, a: 0.8, b: 0.95 } };
