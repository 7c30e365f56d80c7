/**
 * summary.json (SPEC §10): as-of date, counts, Pareto figures, stage and grade counts and the
 * model parameters. Machine keys in snake_case; numbers unrounded; dates ISO.
 */
import type { Analysis } from "../pipeline.js";
import { isoDay } from "../dates.js";
import { issueCount, issueTally } from "./issues.js";
import type { Grade } from "../settings.js";

export interface Summary {
  as_of: string;
  counts: {
    /** Rows read and used over every table (orders, customers, interactions). */
    rows_read: number;
    rows_used: number;
    /** Rows of the order table alone. */
    order_rows_read: number;
    order_rows_used: number;
    rows_skipped: number;
    skipped_by_reason: Record<string, number>;
    /** Warnings (the row was used, or the note is about a whole table) by reason key. */
    warnings_by_reason: Record<string, number>;
    rows_after_as_of: number;
    customers: number;
    customers_with_purchases: number;
    prospects: number;
    data_issues: number;
  };
  pareto: {
    value_basis: "monetary" | "profit";
    customers: number;
    non_positive: number;
    total_value: number;
    top20_share: number;
    customers_for_80: number;
    count_for_80: number;
    gini: number;
    whale_peak: number | null;
    loss_makers: number;
  };
  grades: Record<Grade, number>;
  abc_cutoffs: { basis: "value" | "count"; a: number; b: number };
  scorecard_grades: Record<Grade, number>;
  pyramid: Record<string, number>;
  rfm: {
    scored: number;
    mean_scores: { r: number; f: number; m: number };
    cube: Record<string, number>;
    segments: Record<string, number>;
  };
  lifecycle_model: "six" | "four";
  stages: Record<string, number>;
  dormant: number;
  /** Overdue (stale ones apart), due within dueSoonDays, and stale (overdue beyond staleDays). */
  followups: { overdue: number; due_soon: number; stale: number };
  clv: {
    status: string;
    message: string | null;
    total: number | null;
    horizon_months: number;
    monthly_discount: number;
  };
  bgnbd: { r: number; alpha: number; a: number; b: number; ll: number } | null;
  gamma_gamma: { p: number; q: number; v: number } | null;
  history: {
    snapshots: number;
    previous: string | null;
    stage_down: number;
    grade_down: number;
  } | null;
}

function count<T extends string>(xs: (T | null)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) if (x !== null) out[x] = (out[x] ?? 0) + 1;
  return out;
}

export function buildSummary(a: Analysis): Summary {
  const { dataset: ds, measures: m, pareto: p, clv } = a;
  let purchased = 0;
  for (let c = 0; c < m.count; c++) purchased += m.purchased[c];
  const skipped = Object.values(ds.counts.skipped).reduce((s, n) => s + n, 0);
  const scoreGrades: Record<Grade, number> = { A: 0, B: 0, C: 0, D: 0 };
  for (const g of a.scorecard.grade) if (g) scoreGrades[g]++;
  let clvTotal = 0;
  // from the columns: the customers' rows are not made for summary.json (pipeline.ts)
  if (a.clv.status === "ok")
    for (let c = 0; c < m.count; c++) if (Number.isFinite(a.clv.clv[c])) clvTotal += a.clv.clv[c];
  const mv = a.history.movement;
  return {
    as_of: isoDay(a.asOf),
    counts: {
      rows_read: ds.counts.rowsRead,
      rows_used: ds.counts.rowsUsed,
      order_rows_read: ds.counts.orderRowsRead,
      order_rows_used: ds.counts.orderRowsUsed,
      rows_skipped: skipped,
      skipped_by_reason: ds.counts.skipped,
      warnings_by_reason: warningCounts(a),
      rows_after_as_of: ds.counts.afterAsOf,
      customers: m.count,
      customers_with_purchases: purchased,
      prospects: m.count - purchased,
      data_issues: issueCount(a.issues),
    },
    pareto: {
      value_basis: a.basis,
      customers: p.customers,
      non_positive: p.nonPositive,
      total_value: p.total,
      top20_share: p.top20Share,
      customers_for_80: p.customersFor80,
      count_for_80: p.countFor80,
      gini: p.gini,
      whale_peak: p.whalePeak ? p.whalePeak.share : null,
      loss_makers: p.lossMakers.length,
    },
    grades: a.abc.counts,
    abc_cutoffs: a.settings.abc,
    scorecard_grades: scoreGrades,
    pyramid: a.pyramid.counts,
    rfm: {
      scored: a.scores.scored,
      mean_scores: a.scores.mean,
      cube: count(a.segments.cube),
      segments: count(a.segments.named),
    },
    lifecycle_model: a.settings.lifecycle.model,
    stages: a.lifecycle.counts,
    dormant: a.lifecycle.dormant.length,
    followups: {
      overdue: a.followups.overdue,
      due_soon: a.followups.dueSoon,
      stale: a.followups.staleCount,
    },
    clv: {
      status: clv.status,
      message: clv.message ? clv.message.key : null,
      total: clv.status === "ok" ? clvTotal : null,
      horizon_months: a.settings.clv.horizonMonths,
      monthly_discount: a.settings.clv.monthlyDiscount,
    },
    bgnbd: clv.parameters.bgnbd ?? null,
    gamma_gamma: clv.parameters.gamma_gamma ?? null,
    history: mv
      ? {
          snapshots: a.history.dates,
          previous: isoDay(mv.from),
          stage_down: mv.stageDown,
          grade_down: mv.gradeDown,
        }
      : a.history.dates
        ? {
            snapshots: a.history.dates,
            previous: null,
            stage_down: 0,
            grade_down: 0,
          }
        : null,
  };
}

/** The run's warnings by reason key (an encoding guessed, an unclosed quote, a cost read as 0…). */
function warningCounts(a: Analysis): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of a.issues) {
    if (i.severity !== "warning") continue;
    const { reason, rows } = issueTally(i);
    out[reason] = (out[reason] ?? 0) + rows;
  }
  return out;
}
