/** The 分级 Grades sheet and report section: ABC, policy per grade, scorecard, pyramid. */
import type { Lang } from "../types.js";
import type { Analysis } from "../pipeline.js";
import { t } from "../messages/index.js";
import { gradeBars, pyramidChart } from "../charts/grade.js";
import { TIER_KEYS, TIERS } from "../pyramid.js";
import { CRITERIA, type Grade } from "../settings.js";
import type { ReportSection } from "../report-model.js";
import type { ColourRule, OutColumn, OutValue, SheetModel } from "../workbook.js";
import { OWNED_SHEETS } from "../workbook.js";
import { SheetLayout } from "./layout.js";
import { cutoffNote } from "./pareto.js";
import { creditPolicy, gradeStrategy } from "../followup.js";

export const GRADE_HEALTH: Record<Grade, "green" | "yellow" | "red"> = {
  A: "green",
  B: "green",
  C: "yellow",
  D: "red",
};
const GRADE_KEYS: Grade[] = ["A", "B", "C", "D"];

/** Strategy and credit text of a grade: the user's setting, else the built-in text. */
export function gradeText(a: Analysis, g: Grade, what: "strategy" | "credit", lang: Lang): string {
  return t(lang, what === "strategy" ? gradeStrategy(g, a.settings) : creditPolicy(g, a.settings));
}

/**
 * Cadences with a name of their own: "daily", "quarterly" and "half-yearly" read better than
 * "every 1 / 91 / 182 days". A month counts as 30 or 31 days, a quarter 90–92, half a year
 * 180–183, a year 365 or 366; anything else stays "every n days".
 */
const NAMED_CADENCES: readonly { days: readonly number[]; key: string }[] = [
  { days: [1], key: "cadence.daily" },
  { days: [7], key: "cadence.weekly" },
  { days: [14], key: "cadence.fortnightly" },
  { days: [30, 31], key: "cadence.monthly" },
  { days: [90, 91, 92], key: "cadence.quarterly" },
  { days: [180, 181, 182, 183], key: "cadence.halfYearly" },
  { days: [365, 366], key: "cadence.yearly" },
];

export function cadence(days: number, lang: Lang): string {
  const named = NAMED_CADENCES.find((c) => c.days.includes(days));
  return t(lang, named ? { key: named.key } : { key: "cadence.days", params: { n: days } });
}

function abcRows(a: Analysis, lang: Lang): OutValue[][] {
  return GRADE_KEYS.map((g) => {
    const p = a.settings.grades[g];
    return [
      g,
      a.abc.counts[g],
      g === "D" ? null : a.abc.share[g],
      gradeText(a, g, "strategy", lang),
      cadence(p.reviewDays, lang),
      cadence(p.callDays, lang),
      cadence(p.visitDays, lang),
      gradeText(a, g, "credit", lang),
    ];
  });
}

function abcColumns(lang: Lang): OutColumn[] {
  const h = (k: string) => t(lang, k);
  return [
    { header: h("col.grade"), format: "text" },
    { header: h("grade.col.customers"), format: "int" },
    { header: h("grade.axis.valueShare"), format: "pct" },
    { header: h("grade.col.strategy"), format: "text" },
    { header: h("grade.col.review"), format: "text" },
    { header: h("grade.col.call"), format: "text" },
    { header: h("grade.col.visit"), format: "text" },
    { header: h("grade.col.credit"), format: "text" },
  ];
}

const gradeColours = (column: number): ColourRule[] =>
  GRADE_KEYS.map((g) => ({ column, equals: g, health: GRADE_HEALTH[g] }));

function pyramidRows(a: Analysis, lang: Lang) {
  const total = TIER_KEYS.reduce((s, k) => s + Math.max(0, a.pyramid.value[k]), 0);
  return TIER_KEYS.map((k) => ({
    tier: TIERS[k][lang],
    customers: a.pyramid.counts[k],
    valueShare: total > 0 ? Math.max(0, a.pyramid.value[k]) / total : 0,
  }));
}

/** Scorecard criteria in force and their weights. */
function criteriaRows(a: Analysis, lang: Lang): OutValue[][] {
  return a.settings.scorecard.criteria.map((c) => [CRITERIA[c.criterion][lang], c.weight]);
}

/** Customers per scorecard grade, with the points each grade needs. */
function scorecardGradeRows(a: Analysis): OutValue[][] {
  const counts: Record<Grade, number> = { A: 0, B: 0, C: 0, D: 0 };
  for (const g of a.scorecard.grade) if (g) counts[g]++;
  return GRADE_KEYS.map((g) => [g, g === "D" ? 0 : a.settings.scorecard.cutoffs[g], counts[g]]);
}

function scorecardColumns(lang: Lang): { criteria: OutColumn[]; grades: OutColumn[] } {
  const h = (k: string) => t(lang, k);
  return {
    criteria: [
      { header: h("grade.scorecard.criterion"), format: "text" },
      { header: h("grade.scorecard.weight"), format: "pct" },
    ],
    grades: [
      { header: h("col.grade"), format: "text" },
      { header: h("grade.scorecard.minPoints"), format: "int" },
      { header: h("grade.col.customers"), format: "int" },
    ],
  };
}

export function gradesSheet(a: Analysis, lang: Lang): SheetModel {
  const h = (k: string) => t(lang, k);
  const pyr = pyramidRows(a, lang);
  const sc = scorecardColumns(lang);
  // each chart right beside its table, the next table below both (layout.ts)
  const layout = new SheetLayout();
  layout.section(
    {
      id: "abc",
      title: `${h("grade.abc.title")} — ${cutoffNote(a, lang)}`,
      columns: abcColumns(lang),
      rows: abcRows(a, lang),
      colours: gradeColours(0),
    },
    [
      {
        id: "abc-bars",
        kind: "column",
        title: h("grade.chart.title"),
        block: "abc",
        category: 0,
        values: [1],
        size: { rows: 16, cols: 7 },
        vegaLite: gradeBars(
          GRADE_KEYS.map((g) => ({
            grade: g,
            customers: a.abc.counts[g],
            valueShare: a.abc.share[g],
          })),
          lang,
          cutoffNote(a, lang),
        ),
      },
    ],
  );
  layout.section(
    {
      id: "pyramid",
      title: h("pyramid.chart.title"),
      columns: [
        { header: h("pyramid.col.tier"), format: "text" },
        { header: h("grade.col.customers"), format: "int" },
        { header: h("grade.axis.valueShare"), format: "pct" },
      ],
      rows: pyr.map((r) => [r.tier, r.customers, r.valueShare]),
    },
    [
      {
        // the report's pyramid (issue 18 §6)
        id: "pyramid",
        kind: "bar",
        title: h("pyramid.chart.title"),
        block: "pyramid",
        category: 0,
        values: [1],
        size: { rows: 16, cols: 7 },
        vegaLite: pyramidChart(pyr, lang),
      },
    ],
  );
  layout.section({
    id: "scorecard",
    title: h("grade.scorecard.title"),
    columns: sc.criteria,
    rows: criteriaRows(a, lang),
  });
  layout.section({
    id: "scorecard-grades",
    title: h("grade.scorecard.grades"),
    columns: sc.grades,
    rows: scorecardGradeRows(a),
    colours: gradeColours(0),
  });
  return {
    key: "grades",
    name: OWNED_SHEETS.grades[lang],
    blocks: layout.blocks,
    charts: layout.charts,
    freezeRows: 0,
  };
}

export function gradesSection(a: Analysis, lang: Lang): ReportSection {
  const h = (k: string) => t(lang, k);
  const pyr = pyramidRows(a, lang);
  return {
    id: "grades",
    title: h("grade.section"),
    items: [
      {
        kind: "kpis",
        items: GRADE_KEYS.map((g) => ({
          label: t(lang, { key: "grade.kpi", params: { g } }),
          value: String(a.abc.counts[g]),
          note:
            g === "D"
              ? h("grade.kpi.d")
              : t(lang, { key: "grade.kpi.share", params: { share: a.abc.share[g] } }),
        })),
      },
      { kind: "text", text: cutoffNote(a, lang) },
      {
        kind: "figure",
        title: h("grade.chart.title"),
        spec: gradeBars(
          GRADE_KEYS.map((g) => ({
            grade: g,
            customers: a.abc.counts[g],
            valueShare: a.abc.share[g],
          })),
          lang,
          cutoffNote(a, lang),
        ),
      },
      {
        kind: "table",
        title: h("grade.abc.title"),
        columns: abcColumns(lang),
        rows: abcRows(a, lang),
      },
      { kind: "figure", title: h("pyramid.chart.title"), spec: pyramidChart(pyr, lang) },
      {
        kind: "table",
        title: h("grade.scorecard.title"),
        columns: scorecardColumns(lang).criteria,
        rows: criteriaRows(a, lang),
      },
      {
        kind: "table",
        title: h("grade.scorecard.grades"),
        columns: scorecardColumns(lang).grades,
        rows: scorecardGradeRows(a),
      },
    ],
  };
}
