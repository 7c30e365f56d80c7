/**
 * After a contact is logged (issue 17 §2): the customer's follow-up and card from the kept
 * analysis, at once, without a full re-analysis.
 *
 * Decisions (where and how):
 * - In the analysis worker, which keeps the Analysis for cards: the interaction is added to
 *   its dataset and that ONE customer's follow-up is planned again by followup.ts's own
 *   `followUps`, over a one-customer slice of the same inputs (dataset, measures, grade,
 *   lifecycle). The rules plan each customer from that customer's rows alone, so the slice
 *   gives exactly what a full run would — no rule is copied here — in microseconds, where a
 *   re-analysis of 100,000 order rows takes seconds. The pane could not do it itself: it holds
 *   neither the interactions nor the measures.
 * - Nothing else a contact could change is recomputed: stages, grades, RFM and CLV are built
 *   from orders only. The kept analysis's follow-up (next contact, reason, its list entry) is
 *   updated in place, so the next card, Today and Review asked of the worker agree with it.
 * - With the default as-of date (the latest order) a contact logged after it counts, as in a
 *   full run (followup.ts contactHorizon). Only after an as-of date set on Settings is it kept
 *   but changes nothing, as in a full run; the pane says why.
 */
import type { Analysis } from "../analysis/pipeline.js";
import type { Interaction, Message } from "../analysis/types.js";
import {
  contactHorizon,
  followUps,
  type CallSlot,
  type FollowupItem,
} from "../analysis/followup.js";
import { normaliseId } from "../analysis/clean.js";
import type { CardLookup, PaneCard } from "./analysis-run.js";

/** A customer's follow-up after a logged contact, as the pane's list shows it. */
export interface LoggedFollowup {
  /** Epoch day; null when no contact is planned. */
  nextContact: number | null;
  reason: Message;
  /** as-of − next contact (> 0 overdue); null without a next contact. */
  daysOverdue: number | null;
  slot: CallSlot | null;
  /** Which list of the Follow-ups sheet it belongs to now: today's, the stale one, or none. */
  list: "current" | "stale" | null;
}

export interface LoggedUpdate {
  card: PaneCard;
  followup: LoggedFollowup;
  /** The analysis's as-of date: a contact after it is not counted (see above). */
  asOf: number;
  /**
   * The contact is after an as-of date set on Settings, so it changed nothing (with the default
   * as-of date, the latest order, later contacts count: followup.ts contactHorizon).
   */
  afterAsOf: boolean;
}

/** Add a logged contact to a kept analysis; null for a customer the analysis does not know. */
export type ContactLogger = (id: string, x: Omit<Interaction, "customer">) => LoggedUpdate | null;

export function contactLogger(a: Analysis, card: CardLookup): ContactLogger {
  let index: Map<string, number> | null = null;
  return (id, x) => {
    index ??= new Map(a.dataset.customerIds.map((v, i) => [v, i]));
    const c = index.get(normaliseId(id.trim()));
    if (c === undefined) return null;
    const customer = a.dataset.customerIds[c];
    a.dataset.interactions.push({ ...x, customer });
    const followup = replan(a, c);
    const built = card(customer);
    if (!built) return null;
    return {
      card: built,
      followup,
      asOf: a.asOf,
      afterAsOf: x.day > contactHorizon(a.settings, a.asOf),
    };
  };
}

/** followup.ts's plan for customer c alone, written back into the kept analysis. */
function replan(a: Analysis, c: number): LoggedFollowup {
  const { dataset: ds, measures: m, lifecycle: lc } = a;
  const id = ds.customerIds[c];
  const one = followUps({
    ds: {
      ...ds,
      customerIds: [id],
      records: [ds.records[c]],
      interactions: ds.interactions.filter((x) => x.customer === id),
    },
    measures: {
      ...m,
      count: 1,
      firstDay: Float64Array.of(m.firstDay[c]),
      lastDay: Float64Array.of(m.lastDay[c]),
      recency: Float64Array.of(m.recency[c]),
      frequency: Int32Array.of(m.frequency[c]),
      monetary: Float64Array.of(m.monetary[c]),
      profit: m.profit ? Float64Array.of(m.profit[c]) : null,
      hasRows: Uint8Array.of(m.hasRows[c]),
      purchased: Uint8Array.of(m.purchased[c]),
    },
    settings: a.settings,
    grade: [a.abc.grade[c]],
    lifecycle: {
      ...lc,
      stage: [lc.stage[c]],
      display: [lc.display[c]],
      reason: [lc.reason[c]],
      manual: [lc.manual[c]],
      rule: [lc.rule[c]],
      typicalGap: Float64Array.of(lc.typicalGap[c]),
      recentRevenue: Float64Array.of(lc.recentRevenue[c]),
      previousRevenue: Float64Array.of(lc.previousRevenue[c]),
    },
  });
  const f = a.followups;
  const next = one.nextContact[0];
  f.nextContact[c] = next;
  f.reason[c] = one.reason[0];
  // the customer's list entry: out of both lists, then into the one it belongs to now
  const was = (xs: FollowupItem[]) => {
    const k = xs.findIndex((x) => x.index === c);
    if (k >= 0) xs.splice(k, 1);
  };
  was(f.items);
  was(f.stale);
  const item = one.items[0] ?? one.stale[0] ?? null;
  if (item) (one.items.length ? f.items : f.stale).push({ ...item, index: c });
  const counted = (xs: FollowupItem[], pred: (x: FollowupItem) => boolean) =>
    xs.filter(pred).length;
  f.overdue = counted(f.items, (x) => x.daysOverdue > 0);
  f.dueSoon = f.items.length - f.overdue;
  f.staleCount = f.stale.length;
  const has = Number.isFinite(next);
  return {
    nextContact: has ? next : null,
    reason: one.reason[0],
    daysOverdue: has ? a.asOf - next : null,
    slot: item ? item.slot : null,
    list: one.items.length ? "current" : one.stale.length ? "stale" : null,
  };
}
