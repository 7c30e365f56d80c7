/**
 * The 生命周期 Lifecycle, 待联系 Follow-ups and 阶段历史 Stage history sheets, and the
 * lifecycle and follow-up report sections.
 *
 * Decisions: stage labels follow the configured model (six or four stages); the movement
 * matrix is aggregated to the four-stage groups in the four-stage model. Stages set by hand
 * carry a "(manual)" suffix in lists. The heat map exists as a colour-scaled block on the sheet
 * (Excel has no heat-map chart) and as a figure in the report.
 */
import type { Lang } from "../types.js";
import type { Analysis } from "../pipeline.js";
import { formatDay, t } from "../messages/index.js";
import { STAGES, STAGE_KEYS, TO_FOUR, type Stage, type Stage4 } from "../stages.js";
import { GRADES, type Grade } from "../settings.js";
import { displayKeys, stageHealth, stageLabel, stageStrategy } from "../lifecycle.js";
import { formatSlot, type FollowupItem } from "../followup.js";
import { GRADE_KEYS, historyTable, type Movement, type Snapshot } from "../history.js";
import {
  movementHeatmap,
  stageByGrade,
  stageDistribution,
  type StageCount,
} from "../charts/lifecycle.js";
import type { ReportSection } from "../report-model.js";
import type { ColourRule, OutColumn, OutValue, SheetBlock, SheetModel } from "../workbook.js";
import { OWNED_SHEETS } from "../workbook.js";

type Key = Stage | Stage4;

const isSnapshots = (x: Analysis | readonly Snapshot[]): x is readonly Snapshot[] =>
  Array.isArray(x);

const text = (a: Analysis, lang: Lang, msg: Parameters<typeof t>[1]) =>
  t(lang, msg, { currency: a.settings.currency });

/** Strategy text of a displayed key (a four-stage group joins its six-stage strategies). */
function strategyOf(key: Key, lang: Lang): string {
  const six = STAGE_KEYS.filter((s) => s === key || TO_FOUR[s] === key);
  return six.map((s) => t(lang, stageStrategy(s))).join(" ");
}

function stageCounts(a: Analysis, lang: Lang): StageCount[] {
  return displayKeys(a.lifecycle.model).map((key) => ({
    key,
    label: stageLabel(key, lang),
    count: a.lifecycle.counts[key] ?? 0,
  }));
}

const stageColours = (
  column: number,
  model: Analysis["lifecycle"]["model"],
  lang: Lang,
): ColourRule[] =>
  displayKeys(model).flatMap((k) => [
    { column, equals: stageLabel(k, lang), health: stageHealth(k) },
    {
      column,
      equals: stageLabel(k, lang) + t(lang, "lifecycle.manualSuffix"),
      health: stageHealth(k),
    },
  ]);

/** A customer's displayed stage label, with "(manual)" when set by hand. */
function customerStage(a: Analysis, i: number, lang: Lang): string {
  const label = stageLabel(a.lifecycle.display[i], lang);
  return a.lifecycle.manual[i] ? label + t(lang, "lifecycle.manualSuffix") : label;
}

/** Six-stage key → displayed key of the model. */
const shown = (a: Analysis, s: Stage): Key => (a.lifecycle.model === "four" ? TO_FOUR[s] : s);

/** The stage matrix in displayed keys (aggregated to four groups in the four-stage model). */
function displayedMatrix(a: Analysis, m: Movement): { keys: Key[]; matrix: number[][] } {
  const keys = displayKeys(a.lifecycle.model);
  const matrix = keys.map(() => keys.map(() => 0));
  STAGE_KEYS.forEach((from, i) =>
    STAGE_KEYS.forEach((to, j) => {
      matrix[keys.indexOf(shown(a, from))][keys.indexOf(shown(a, to))] += m.stage[i][j];
    }),
  );
  return { keys, matrix };
}

function stageGradeRows(a: Analysis, lang: Lang) {
  const keys = displayKeys(a.lifecycle.model);
  const groups: (Grade | null)[] = [...GRADE_KEYS, null];
  const counts = groups.map(() => keys.map(() => 0));
  a.lifecycle.display.forEach((k, i) => {
    counts[groups.indexOf(a.abc.grade[i] ?? null)][keys.indexOf(k)]++;
  });
  const gradeName = (g: Grade | null) => (g ? GRADES[g][lang] : t(lang, "lifecycle.col.noGrade"));
  return { keys, groups, counts, gradeName };
}

function movedDownRows(a: Analysis, m: Movement, lang: Lang): OutValue[][] {
  const index = new Map(a.dataset.customerIds.map((id, i) => [id, i]));
  return m.movedDown.map((c) => {
    const rec = a.dataset.records[index.get(c.id) ?? -1] ?? null;
    const change = c.stageDown && c.gradeDown ? "both" : c.stageDown ? "stage" : "grade";
    return [
      c.id,
      rec?.name ?? "",
      rec?.owner ?? "",
      stageLabel(shown(a, c.fromStage), lang),
      stageLabel(shown(a, c.toStage), lang),
      c.fromGrade ?? "",
      c.toGrade ?? "",
      t(lang, `lifecycle.change.${change}`),
    ];
  });
}

function movedDownColumns(lang: Lang): OutColumn[] {
  return [
    "customerId",
    "name",
    "owner",
    "fromStage",
    "toStage",
    "fromGrade",
    "toGrade",
    "change",
  ].map((k) => ({ header: t(lang, `lifecycle.col.${k}`), format: "text" as const }));
}

function dormantTable(a: Analysis, lang: Lang): { columns: OutColumn[]; rows: OutValue[][] } {
  const m = a.measures;
  const h = (k: string) => t(lang, `lifecycle.col.${k}`);
  return {
    columns: [
      { header: h("customerId"), format: "text" },
      { header: h("name"), format: "text" },
      { header: h("owner"), format: "text" },
      { header: h("grade"), format: "text" },
      { header: h("stage"), format: "text" },
      { header: h("lastPurchase"), format: "date" },
      { header: h("daysSince"), format: "int" },
    ],
    rows: a.lifecycle.dormant.map((i) => [
      a.dataset.customerIds[i],
      a.dataset.records[i]?.name ?? "",
      a.dataset.records[i]?.owner ?? "",
      a.abc.grade[i] ?? "",
      customerStage(a, i, lang),
      m.lastDay[i],
      m.asOf - m.lastDay[i],
    ]),
  };
}

/** The 生命周期 Lifecycle sheet. */
export function lifecycleSheet(a: Analysis, lang: Lang): SheetModel {
  const h = (k: string) => t(lang, k);
  const counts = stageCounts(a, lang);
  const total = counts.reduce((s, c) => s + c.count, 0);
  const blocks: SheetBlock[] = [];
  let row = 0;
  const place = (b: Omit<SheetBlock, "anchor">) => {
    blocks.push({ ...b, anchor: { row, col: 0 } });
    row += (b.title ? 1 : 0) + 1 + Math.max(1, b.rows.length) + 2;
  };

  place({
    id: "stages",
    title: h("lifecycle.sheet.stagesTitle"),
    columns: [
      { header: h("lifecycle.col.stage"), format: "text" },
      { header: h("lifecycle.col.customers"), format: "int" },
      { header: h("lifecycle.col.share"), format: "pct" },
      { header: h("lifecycle.col.strategy"), format: "text" },
    ],
    rows: counts.map((c) => [
      c.label,
      c.count,
      total > 0 ? c.count / total : 0,
      strategyOf(c.key, lang),
    ]),
    colours: stageColours(0, a.lifecycle.model, lang),
  });

  const sg = stageGradeRows(a, lang);
  // below the funnel beside the stages (14 rows), so that chart covers no cell of this table
  row = Math.max(row, 15);
  const byGradeRow = row;
  place({
    id: "stage-by-grade",
    title: h("lifecycle.sheet.byGradeTitle"),
    columns: [
      { header: h("lifecycle.col.grade"), format: "text" },
      ...sg.keys.map((k) => ({ header: stageLabel(k, lang), format: "int" as const })),
    ],
    rows: sg.groups.map((g, gi) => [sg.gradeName(g), ...sg.counts[gi]]),
  });
  // the next table below the stage-by-grade chart beside this one (14 rows)
  row = Math.max(row, byGradeRow + 15);

  const mv = a.history.movement;
  const matrixColumns = (keys: string[]): OutColumn[] => [
    { header: h("lifecycle.col.fromTo"), format: "text" },
    ...keys.map((k) => ({ header: k, format: "int" as const })),
  ];
  if (mv) {
    const { keys, matrix } = displayedMatrix(a, mv);
    place({
      id: "movement",
      title: t(lang, {
        key: "lifecycle.sheet.movementTitle",
        params: { from: mv.from, to: mv.to },
      }),
      columns: matrixColumns(keys.map((k) => stageLabel(k, lang))),
      rows: keys.map((k, i) => [stageLabel(k, lang), ...matrix[i]]),
      colourScale: true,
    });
    place({
      id: "grade-movement",
      title: t(lang, {
        key: "lifecycle.sheet.gradeMovementTitle",
        params: { from: mv.from, to: mv.to },
      }),
      columns: matrixColumns([...GRADE_KEYS]),
      rows: GRADE_KEYS.map((g, i) => [g, ...mv.grade[i]]),
      colourScale: true,
    });
    place({
      id: "moved-down",
      title: h("lifecycle.sheet.movedDownTitle"),
      columns: movedDownColumns(lang),
      rows: movedDownRows(a, mv, lang),
    });
  } else {
    place({
      id: "movement",
      title: h("lifecycle.sheet.noHistory"),
      columns: matrixColumns(displayKeys(a.lifecycle.model).map((k) => stageLabel(k, lang))),
      rows: [],
    });
  }
  const dormant = dormantTable(a, lang);
  place({
    id: "dormant",
    title: t(lang, {
      key: "lifecycle.sheet.dormantTitle",
      params: { days: a.settings.lifecycle.dormantDays },
    }),
    ...dormant,
  });

  return {
    key: "lifecycle",
    name: OWNED_SHEETS.lifecycle[lang],
    blocks,
    charts: [
      {
        id: "stage-funnel",
        kind: "funnel",
        title: h("lifecycle.chart.funnel"),
        block: "stages",
        category: 0,
        values: [1],
        anchor: { row: 0, col: 5 },
        size: { rows: 14, cols: 7 },
        vegaLite: stageDistribution(counts, lang),
      },
      {
        id: "stage-by-grade",
        kind: "column",
        title: h("lifecycle.chart.byGrade"),
        block: "stage-by-grade",
        category: 0,
        values: sg.keys.map((_, i) => i + 1),
        // right beside its table (grade column + one per stage), one empty column between
        anchor: { row: byGradeRow, col: sg.keys.length + 2 },
        size: { rows: 14, cols: 7 },
        vegaLite: byGradeSpec(a, lang),
      },
    ],
    freezeRows: 0,
  };
}

function byGradeSpec(a: Analysis, lang: Lang) {
  const sg = stageGradeRows(a, lang);
  const rows = sg.groups.flatMap((g, gi) =>
    sg.keys.map((k, ki) => ({
      grade: sg.gradeName(g),
      key: k,
      label: stageLabel(k, lang),
      count: sg.counts[gi][ki],
    })),
  );
  return stageByGrade(
    rows.filter((r) => r.count > 0),
    sg.keys.map((k) => ({ key: k, label: stageLabel(k, lang) })),
    lang,
  );
}

/** Follow-ups listed in the report (the sheet lists all of them). */
const REPORT_FOLLOWUPS = 100;

/**
 * A column of the follow-up list: `sheet` columns only on the sheet, `report` columns only in
 * the report's compact table.
 */
interface FollowupColumn {
  key: string;
  format: OutColumn["format"];
  value: (x: FollowupItem) => OutValue;
  only?: "sheet" | "report";
}

/**
 * The follow-up list as a table: every item, or with `limit` only the first; `stale` gives the
 * stale list (overdue beyond followup.staleDays) instead. The sheet has every column; the report
 * (`compact`) leaves out the due date (days overdue say it) and the stage strategy, which it
 * shows once per stage beside the list, and gives the call's day and time in one cell, so that
 * a row takes a line or two of a laptop screen.
 */
function followupTable(
  a: Analysis,
  lang: Lang,
  opts: { limit?: number; stale?: boolean; compact?: boolean } = {},
): { columns: OutColumn[]; rows: OutValue[][]; total: number } {
  const h = (k: string) => t(lang, `followup.col.${k}`);
  const items = opts.stale ? a.followups.stale : a.followups.items;
  const all: FollowupColumn[] = [
    { key: "customerId", format: "text", value: (x) => x.id },
    { key: "name", format: "text", value: (x) => x.name },
    { key: "owner", format: "text", value: (x) => x.owner },
    { key: "grade", format: "text", value: (x) => x.grade ?? "" },
    { key: "stage", format: "text", value: (x) => customerStage(a, x.index, lang) },
    { key: "due", format: "date", value: (x) => x.due, only: "sheet" },
    { key: "daysOverdue", format: "int", value: (x) => x.daysOverdue },
    { key: "callDay", format: "date", value: (x) => x.slot.day, only: "sheet" },
    { key: "callTime", format: "text", value: (x) => formatSlot(x.slot), only: "sheet" },
    {
      key: "call",
      format: "text",
      value: (x) => `${formatDay(x.slot.day, lang)} ${formatSlot(x.slot)}`,
      only: "report",
    },
    { key: "reason", format: "text", value: (x) => text(a, lang, x.reason) },
    { key: "strategy", format: "text", value: (x) => t(lang, x.strategy), only: "sheet" },
  ];
  const cols = all.filter((c) => c.only !== (opts.compact ? "sheet" : "report"));
  return {
    columns: cols.map((c) => ({ header: h(c.key), format: c.format })),
    total: items.length,
    rows: items.slice(0, opts.limit ?? Infinity).map((x) => cols.map((c) => c.value(x))),
  };
}

/** What to do at each stage found in the listed follow-ups, once per stage, in stage order. */
function stageStrategyTable(a: Analysis, lang: Lang, items: readonly FollowupItem[]) {
  const shown = new Set(items.map((x) => x.display));
  const keys = displayKeys(a.lifecycle.model).filter((k) => shown.has(k));
  return {
    columns: [
      { header: t(lang, "followup.col.stage"), format: "text" as const },
      { header: t(lang, "followup.col.strategy"), format: "text" as const },
    ],
    rows: keys.map((k) => [stageLabel(k, lang), strategyOf(k, lang)]),
  };
}

/** The 待联系 Follow-ups sheet: title row, then the list with a frozen header. */
export function followupSheet(a: Analysis, lang: Lang): SheetModel {
  const { columns, rows } = followupTable(a, lang);
  const stale = followupTable(a, lang, { stale: true });
  return {
    key: "followups",
    name: OWNED_SHEETS.followups[lang],
    blocks: [
      {
        id: "followups",
        title: t(lang, {
          key: "followup.sheet.title",
          params: { days: a.settings.followup.dueSoonDays, asOf: a.asOf },
        }),
        anchor: { row: 0, col: 0 },
        columns,
        rows,
        colours: stageColours(4, a.lifecycle.model, lang),
      },
      ...(stale.rows.length
        ? [
            {
              id: "stale",
              title: staleTitle(a, lang),
              anchor: { row: rows.length + 3, col: 0 },
              columns: stale.columns,
              rows: stale.rows,
              colours: stageColours(4, a.lifecycle.model, lang),
            },
          ]
        : []),
    ],
    charts: [],
    freezeRows: 2,
  };
}

/** The 阶段历史 Stage history sheet: every snapshot row (this run's included), header frozen. */
export function historySheet(from: Analysis | readonly Snapshot[], lang: Lang): SheetModel {
  const snapshots = isSnapshots(from) ? from : from.history.snapshots;
  const table = historyTable(snapshots, lang);
  return {
    key: "history",
    name: OWNED_SHEETS.history[lang],
    blocks: [
      {
        id: "history",
        title: null,
        anchor: { row: 0, col: 0 },
        ...table,
        colours: STAGE_KEYS.map((k) => ({
          column: 2,
          equals: STAGES[k][lang],
          health: STAGES[k].health,
        })),
      },
    ],
    charts: [],
    freezeRows: 1,
  };
}

/** Lifecycle section of the HTML report. */
export function lifecycleSection(a: Analysis, lang: Lang): ReportSection {
  const h = (k: string) => t(lang, k);
  const p = a.settings.lifecycle;
  const counts = stageCounts(a, lang);
  const c = a.lifecycle.counts;
  const healthy =
    a.lifecycle.model === "four"
      ? (c.formation ?? 0) + (c.stability ?? 0)
      : (c.growth ?? 0) + (c.maturity ?? 0);
  const atRisk = a.lifecycle.stage.filter((s) => s === "decline").length;
  const mv = a.history.movement;
  const items: ReportSection["items"] = [
    {
      kind: "kpis",
      items: [
        { label: h("lifecycle.report.kpiHealthy"), value: String(healthy) },
        { label: h("lifecycle.report.kpiAtRisk"), value: String(atRisk) },
        { label: h("lifecycle.report.kpiDormant"), value: String(a.lifecycle.dormant.length) },
        ...(mv
          ? [{ label: h("lifecycle.report.kpiMovedDown"), value: String(mv.movedDown.length) }]
          : []),
      ],
    },
    {
      kind: "text",
      text: t(lang, {
        key: "lifecycle.report.intro",
        params: {
          terminated: p.terminatedDays,
          development: p.developmentDays,
          w: p.windowDays,
          decline: p.declineRatio,
          growth: p.growthRatio,
          factor: p.overdueGapFactor,
          model: h(`lifecycle.report.model.${a.lifecycle.model}`),
        },
      }),
    },
    { kind: "figure", title: h("lifecycle.chart.funnel"), spec: stageDistribution(counts, lang) },
    {
      kind: "table",
      title: h("lifecycle.sheet.stagesTitle"),
      columns: [
        { header: h("lifecycle.col.stage"), format: "text" },
        { header: h("lifecycle.col.customers"), format: "int" },
        { header: h("lifecycle.col.strategy"), format: "text" },
      ],
      rows: counts.map((s) => [s.label, s.count, strategyOf(s.key, lang)]),
    },
    { kind: "figure", title: h("lifecycle.chart.byGrade"), spec: byGradeSpec(a, lang) },
  ];
  if (mv) {
    const { keys, matrix } = displayedMatrix(a, mv);
    items.push(
      {
        kind: "figure",
        title: h("lifecycle.chart.movement"),
        spec: movementHeatmap(
          keys.map((k) => stageLabel(k, lang)),
          matrix,
          lang,
        ),
        caption: t(lang, {
          key: "lifecycle.sheet.movementTitle",
          params: { from: mv.from, to: mv.to },
        }),
      },
      {
        kind: "table",
        title: h("lifecycle.sheet.movedDownTitle"),
        columns: movedDownColumns(lang),
        rows: movedDownRows(a, mv, lang),
        limit: 50,
      },
    );
  } else {
    items.push({ kind: "text", text: h("lifecycle.sheet.noHistory") });
  }
  const dormant = dormantTable(a, lang);
  items.push({
    kind: "table",
    title: t(lang, { key: "lifecycle.sheet.dormantTitle", params: { days: p.dormantDays } }),
    ...dormant,
    limit: 50,
  });
  return { id: "lifecycle", title: h("lifecycle.report.title"), items };
}

const staleTitle = (a: Analysis, lang: Lang) =>
  t(lang, {
    key: "followup.stale.title",
    params: { days: a.settings.followup.staleDays, n: a.followups.staleCount },
  });

/** Follow-up section of the HTML report. */
export function followupSection(a: Analysis, lang: Lang): ReportSection {
  const h = (k: string) => t(lang, k);
  const f = a.settings.followup;
  let planned = 0;
  for (const d of a.followups.nextContact) if (Number.isFinite(d)) planned++;
  return {
    id: "followups",
    title: h("followup.report.title"),
    items: [
      {
        kind: "kpis",
        items: [
          { label: h("followup.report.kpiOverdue"), value: String(a.followups.overdue) },
          {
            label: t(lang, { key: "followup.report.kpiDueSoon", params: { days: f.dueSoonDays } }),
            value: String(a.followups.dueSoon),
          },
          { label: h("followup.report.kpiPlanned"), value: String(planned) },
          ...(a.followups.staleCount
            ? [{ label: h("followup.report.kpiStale"), value: String(a.followups.staleCount) }]
            : []),
        ],
      },
      {
        kind: "text",
        text: t(lang, {
          key: "followup.report.intro",
          params: {
            open: f.openDealDays,
            closing: f.closingDays,
            complaint: f.complaintDays,
            windows: f.callWindows.map(([start, end]) => formatSlot({ start, end })).join(", "),
          },
        }),
      },
      {
        kind: "table",
        title: t(lang, {
          key: "followup.sheet.title",
          params: { days: f.dueSoonDays, asOf: a.asOf },
        }),
        ...followupTable(a, lang, { limit: REPORT_FOLLOWUPS, compact: true }),
        limit: REPORT_FOLLOWUPS,
      },
      {
        kind: "table",
        title: h("followup.report.strategies"),
        ...stageStrategyTable(a, lang, [
          ...a.followups.items.slice(0, REPORT_FOLLOWUPS),
          ...a.followups.stale.slice(0, REPORT_FOLLOWUPS),
        ]),
      },
      ...(a.followups.staleCount
        ? [
            {
              kind: "table" as const,
              title: staleTitle(a, lang),
              ...followupTable(a, lang, { limit: REPORT_FOLLOWUPS, stale: true, compact: true }),
              limit: REPORT_FOLLOWUPS,
            },
          ]
        : []),
    ],
  };
}
