/**
 * The analysis, in one place:
 *
 *   tables ─ readDataset ─▶ Dataset (clean rows + data issues)
 *     ─ measure ─▶ per-customer R, F, M as of the as-of date
 *     ─ scoreRfm ─▶ scores 1..5 ─ segmentCustomers ─▶ RFM cube + named segments
 *     ─ customerValue ─▶ value (monetary or profit)
 *         ─ gradeAbc / scorecard / customerPyramid ─▶ grades
 *         ─ pareto ─▶ concentration figures
 *     ─ customerLifetimeValue ─▶ BG/NBD + Gamma-Gamma: P(alive), expected purchases, CLV
 *     ─ lifecycleStages (P(alive) rules only when the model converged) ─▶ stages + reasons
 *     ─ followUps ─▶ next contact and the call list
 *     ─ history ─▶ this run's snapshot, movement against the previous one
 *     ─ customerResult ─▶ one plain row per customer, made when read (withCustomerRows)
 *
 * Nothing here touches files, the DOM or Office: the CLI and the add-in call `analyze` and
 * turn the result into their outputs (output/*.ts).
 */
import type { CustomerResult, Dataset, Issue, Measures, TableSource } from "./types.js";
import type { Settings } from "./settings.js";
import { readDataset } from "./clean.js";
import { measure, resolveAsOf, scoreRfm, type RfmScores } from "./rfm.js";
import { orderSummary } from "./summary.js";
import { segmentCustomers, type Segments } from "./segment.js";
import { customerValue, valueBasis, valueRanking, type ValueBasis } from "./value.js";
import { gradeAbc, type AbcResult } from "./grade.js";
import { scorecard, type ScorecardResult } from "./scorecard.js";
import { customerPyramid, type PyramidResult } from "./pyramid.js";
import { pareto, type ParetoResult } from "./pareto.js";
import { customerLifetimeValue, withoutPredictions, type ClvResult } from "./clv.js";
import { lifecycleStages, type LifecycleResult } from "./lifecycle.js";
import { followUps, type FollowupResult } from "./followup.js";
import {
  appendSnapshot,
  makeSnapshot,
  movement,
  previousSnapshot,
  type Movement,
  type Snapshot,
} from "./history.js";
import { ownerFigures, type OwnersResult } from "./owners.js";
import { nextContactIssues } from "./contact-dates.js";

export interface Analysis {
  settings: Settings;
  asOf: number;
  dataset: Dataset;
  measures: Measures;
  scores: RfmScores;
  segments: Segments;
  basis: ValueBasis;
  value: Float64Array;
  abc: AbcResult;
  scorecard: ScorecardResult;
  pyramid: PyramidResult;
  pareto: ParetoResult;
  clv: ClvResult;
  lifecycle: LifecycleResult;
  followups: FollowupResult;
  history: {
    /** The earlier snapshots and this run's (made when first read). */
    snapshots: Snapshot[];
    movement: Movement | null;
    /** How many snapshot dates `snapshots` holds, without making it. */
    dates: number;
  };
  /** Figures per account manager (owners.ts). */
  owners: OwnersResult;
  customers: CustomerResult[];
  /** Data issues of reading plus those found by the rules (e.g. unreadable stage overrides). */
  issues: Issue[];
}

export interface AnalyzeOptions {
  /** Earlier snapshots (阶段历史 sheet or --history file); this run's is appended. */
  history?: Snapshot[];
  /**
   * Instead of `history`, for a history kept outside memory (the CLI's --history file): the
   * earlier snapshots the movement needs, asked for once the as-of date is known.
   */
  historyBefore?: (asOf: number) => Snapshot[];
  /** Told as each step starts (the add-in's progress while its worker runs); costs nothing. */
  onPhase?: (phase: AnalysisPhase) => void;
  /** The Customers table as read: owners as typed, for the owner-spelling warnings (owners.ts). */
  customersSource?: TableSource | null;
}

/** The steps `analyzeTables` reports through `onPhase`, in order. */
export const ANALYSIS_PHASES = ["clean", "score", "clv", "lifecycle"] as const;
export type AnalysisPhase = (typeof ANALYSIS_PHASES)[number];

/** Read the tables and analyse them. Throws UnusableInputError for unusable tables. */
export function analyzeTables(
  input: { orders: TableSource; customers?: TableSource | null; interactions?: TableSource | null },
  settings: Settings,
  opts: AnalyzeOptions = {},
): Analysis {
  opts.onPhase?.("clean");
  return analyze(readDataset(input, settings), settings, {
    customersSource: input.customers,
    ...opts,
  });
}

export function analyze(ds: Dataset, settings: Settings, opts: AnalyzeOptions = {}): Analysis {
  opts.onPhase?.("score");
  // Every rule reads the orders through one per-customer summary (summary.ts): taken here from
  // the rows, or given with the dataset when a database summarised them (the engine path).
  const summary = orderSummary(ds, resolveAsOf(ds, settings), settings.lifecycle.windowDays);
  const dataset: Dataset = {
    ...ds,
    summary,
    counts: { ...ds.counts, afterAsOf: summary.afterAsOf },
  };
  const measures = measure(dataset, settings);

  const scores = scoreRfm(measures);
  const segments = segmentCustomers(scores, settings.segments);
  const basis = valueBasis(measures, settings);
  const value = customerValue(measures, basis);
  const ranking = valueRanking(value, dataset); // shared by grades, pyramid and Pareto
  const abc = gradeAbc(value, dataset, settings, ranking);
  const card = scorecard(dataset, measures, settings);
  const pyr = customerPyramid(value, dataset, settings, ranking);
  const par = pareto(value, dataset, measures.profit, measures.hasRows, ranking);
  opts.onPhase?.("clv");
  const model = customerLifetimeValue(dataset, measures, settings);
  const pAlive = model.status === "ok" ? model.pAlive : null;
  // The model ran but its P(alive) cannot be used: the stage reasons say why (no-dropout limit, or
  // a fit that did not converge); too few customers or CLV switched off need no note per customer.
  const pAliveSkipped =
    model.status === "no-dropout" || model.status === "not-converged"
      ? { key: `lifecycle.note.pAlive.${model.status}` }
      : null;
  opts.onPhase?.("lifecycle");
  const lifecycle = lifecycleStages({ ds: dataset, measures, settings, pAlive, pAliveSkipped });
  // Terminated by hand: P(alive) and CLV do not apply, and leave the totals (issue 18 §11).
  const clv = withoutPredictions(
    model,
    (c) => lifecycle.manual[c] && lifecycle.stage[c] === "termination",
  );
  const followups = followUps({ ds: dataset, measures, settings, grade: abc.grade, lifecycle });

  const earlier = opts.historyBefore?.(measures.asOf) ?? opts.history ?? [];
  const m1 = measures.count > 0;
  // this run's snapshot, one row per customer, made when needed: for the movement (when there
  // is an earlier snapshot) or when the history is read (a run without one writes none)
  let now: Snapshot[] | undefined;
  const current = () =>
    (now ??= makeSnapshot(dataset.customerIds, measures.asOf, lifecycle.stage, abc.grade));
  const previous = previousSnapshot(earlier, measures.asOf);
  let snapshots: Snapshot[] | undefined;
  const history = {
    get snapshots() {
      return (snapshots ??= appendSnapshot(earlier, current()));
    },
    movement: previous.length ? movement(previous, current()) : null,
    dates: dateCount(earlier, m1 ? measures.asOf : null),
  };
  const owners = ownerFigures({
    ds: dataset,
    measures,
    settings,
    abc,
    followups,
    lifecycle,
    movement: history.movement,
    customersSource: opts.customersSource,
  });

  return withCustomerRows({
    settings,
    asOf: measures.asOf,
    dataset,
    measures,
    scores,
    segments,
    basis,
    value,
    abc,
    scorecard: card,
    pyramid: pyr,
    pareto: par,
    clv,
    lifecycle,
    followups,
    history,
    owners,
    issues: [
      ...dataset.issues,
      ...lifecycle.issues,
      ...nextContactIssues(dataset),
      ...owners.issues,
    ],
  });
}

const num = (x: number) => (Number.isFinite(x) ? x : null);

/** Distinct dates of the earlier snapshots and this run's (null: it has no customer). */
function dateCount(earlier: readonly Snapshot[], asOf: number | null): number {
  const dates = new Set<number>();
  for (const x of earlier) dates.add(x.asOf);
  if (asOf !== null) dates.add(asOf);
  return dates.size;
}

/** What customer rows are made from: the analysis's per-customer columns. */
export type CustomerColumns = Pick<
  Analysis,
  | "dataset"
  | "measures"
  | "scores"
  | "segments"
  | "value"
  | "abc"
  | "scorecard"
  | "pyramid"
  | "clv"
  | "lifecycle"
  | "followups"
>;

/**
 * The analysis with `customers`, its one plain row per customer, made when first read (issue
 * 19 §5: a million customers' rows took 0.6 GB that a run writing customers.csv and summary.json
 * never needs at once — it makes each row as it writes it, customerRows). The property is an
 * enumerable getter: spreading or cloning the analysis makes the rows; Object.assign onto it
 * does not.
 */
export function withCustomerRows<T extends CustomerColumns>(
  a: T,
): T & { customers: CustomerResult[] } {
  let rows: CustomerResult[] | undefined;
  return Object.defineProperty(a, "customers", {
    enumerable: true,
    configurable: true,
    get: () => {
      if (!rows) {
        const n = a.measures.count;
        rows = new Array<CustomerResult>(n);
        for (let c = 0; c < n; c++) rows[c] = customerResult(a, c);
      }
      return rows;
    },
  }) as T & { customers: CustomerResult[] };
}

/** The customers' rows one at a time (`at` makes customer i's row when asked). */
export function customerRows(a: CustomerColumns): {
  length: number;
  at: (i: number) => CustomerResult;
} {
  return { length: a.measures.count, at: (i) => customerResult(a, i) };
}

/** Customer c's plain row. */
export function customerResult(a: CustomerColumns, c: number): CustomerResult {
  const { dataset: ds, measures: m, scores, segments, value, abc, clv } = a;
  const { scorecard: card, pyramid: pyr, lifecycle: life, followups: fu } = a;
  const clvOk = clv.status === "ok";
  const r = scores.r[c];
  const freq = m.frequency[c];
  return {
    index: c,
    id: ds.customerIds[c],
    name: ds.records[c]?.name ?? "",
    firstPurchase: num(m.firstDay[c]),
    lastPurchase: num(m.lastDay[c]),
    recencyDays: num(m.recency[c]),
    frequency: freq,
    monetary: m.monetary[c],
    avgOrderValue: freq > 0 ? m.monetary[c] / freq : null,
    profit: m.profit && m.hasRows[c] ? m.profit[c] : null,
    value: num(value[c]),
    r: r || null,
    f: r ? scores.f[c] : null,
    m: r ? scores.m[c] : null,
    rfmCode: r ? `${r}${scores.f[c]}${scores.m[c]}` : null,
    cube: segments.cube[c],
    segment: segments.named[c],
    grade: abc.grade[c],
    pyramid: pyr.tier[c],
    scorecard: num(card.score[c]),
    scorecardGrade: card.grade[c],
    stage: life.display[c],
    stageReason: life.reason[c],
    stageManual: life.manual[c],
    pAlive: clvOk ? num(clv.pAlive[c]) : null,
    expectedPurchases52w: clvOk ? num(clv.expected52w[c]) : null,
    expectedSpend: clvOk ? num(clv.expectedSpend[c]) : null,
    clv: clvOk ? num(clv.clv[c]) : null,
    nextContact: num(fu.nextContact[c]),
  };
}
