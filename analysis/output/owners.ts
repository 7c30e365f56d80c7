/**
 * The 客户经理 Account managers sheet, its report section and owners.csv: one row per owner
 * (owners.ts), the unassigned customers last under a translated label.
 */
import type { Lang } from "../types.js";
import type { Analysis } from "../pipeline.js";
import type { ReportSection } from "../report-model.js";
import type { OutColumn, OutValue, SheetModel } from "../workbook.js";
import { OWNED_SHEETS } from "../workbook.js";
import { t } from "../messages/index.js";
import { UNASSIGNED, type OwnerRow } from "../owners.js";
import { ownerBars } from "../charts/owners.js";

/** owners.csv's fixed machine columns (README "owners.csv"). */
export const OWNER_CSV_COLUMNS = [
  "owner",
  "customers",
  "prospects",
  "grade_a",
  "grade_b",
  "grade_c",
  "grade_d",
  "overdue",
  "due_7d",
  "contacts_7d",
  "contacts_30d",
  "revenue_90d",
  "revenue_prev_90d",
  "moved_down",
  "dormant",
  "cadence_kept",
] as const;

/** Header message key and format of each column, in OWNER_CSV_COLUMNS order. */
const COLUMNS: { key: string; format: OutColumn["format"] }[] = [
  { key: "owners.col.owner", format: "text" },
  { key: "owners.col.customers", format: "int" },
  { key: "owners.col.prospects", format: "int" },
  { key: "owners.col.gradeA", format: "int" },
  { key: "owners.col.gradeB", format: "int" },
  { key: "owners.col.gradeC", format: "int" },
  { key: "owners.col.gradeD", format: "int" },
  { key: "owners.col.overdue", format: "int" },
  { key: "owners.col.due7d", format: "int" },
  { key: "owners.col.contacts7d", format: "int" },
  { key: "owners.col.contacts30d", format: "int" },
  { key: "owners.col.revenue90d", format: "money" },
  { key: "owners.col.revenuePrev90d", format: "money" },
  { key: "owners.col.movedDown", format: "int" },
  { key: "owners.col.dormant", format: "int" },
  { key: "owners.col.cadenceKept", format: "pct" },
];

/** The owner as shown: the name, or the translated unassigned label. */
export function ownerLabel(row: Pick<OwnerRow, "key" | "name">, lang: Lang): string {
  return row.key === UNASSIGNED ? t(lang, "owners.unassigned") : row.name;
}

function ownerValues(r: OwnerRow, lang: Lang): OutValue[] {
  return [
    ownerLabel(r, lang),
    r.customers,
    r.prospects,
    r.grades.A,
    r.grades.B,
    r.grades.C,
    r.grades.D,
    r.overdue,
    r.due7d,
    r.contacts7d,
    r.contacts30d,
    r.revenue90d,
    r.revenuePrev90d,
    r.movedDown,
    r.dormant,
    r.cadenceKept,
  ];
}

/** owners.csv rows: the same values as the sheet; cadence_kept a share 0..1 with 4 decimals. */
export function ownerCsvRows(a: Analysis, lang: Lang): OutValue[][] {
  return a.owners.rows.map((r) => {
    const v = ownerValues(r, lang);
    v[15] = r.cadenceKept === null ? null : Math.round(r.cadenceKept * 10_000) / 10_000;
    return v;
  });
}

function ownerColumns(lang: Lang): OutColumn[] {
  return COLUMNS.map((c) => ({ header: t(lang, c.key), format: c.format }));
}

const chartRows = (a: Analysis, lang: Lang) =>
  a.owners.rows.map((r) => ({
    owner: ownerLabel(r, lang),
    customers: r.customers,
    overdue: r.overdue,
    due7d: r.due7d,
  }));

export function ownersSheet(a: Analysis, lang: Lang): SheetModel {
  const rows = a.owners.rows.map((r) => ownerValues(r, lang));
  return {
    key: "owners",
    name: OWNED_SHEETS.owners[lang],
    blocks: [
      {
        id: "owners",
        title: t(lang, { key: "owners.sheet.title", params: { asOf: a.asOf } }),
        anchor: { row: 0, col: 0 },
        columns: ownerColumns(lang),
        rows,
      },
    ],
    charts: [
      {
        id: "owner-bars",
        kind: "bar",
        title: t(lang, "owners.chart.title"),
        block: "owners",
        category: 0,
        values: [1, 7, 8],
        anchor: { row: rows.length + 4, col: 0 },
        size: { rows: Math.max(14, rows.length * 3 + 6), cols: 8 },
        vegaLite: ownerBars(chartRows(a, lang), lang),
      },
    ],
    freezeRows: 2,
  };
}

/** The report's two tables: column indices into the sheet's columns. */
const REPORT_TABLES = [
  { title: "owners.table.customers", columns: [0, 1, 2, 3, 4, 5, 6, 14, 13] },
  { title: "owners.table.work", columns: [0, 7, 8, 9, 10, 15, 11, 12] },
];

export function ownersSection(a: Analysis, lang: Lang): ReportSection {
  const rows = a.owners.rows;
  const named = rows.filter((r) => r.key !== UNASSIGNED);
  const unassigned = rows.find((r) => r.key === UNASSIGNED);
  let graded = 0;
  let kept = 0;
  for (const r of rows) {
    const g = r.grades.A + r.grades.B + r.grades.C + r.grades.D;
    graded += g;
    if (r.cadenceKept !== null) kept += r.cadenceKept * g;
  }
  return {
    id: "owners",
    title: t(lang, "owners.section"),
    items: [
      {
        kind: "kpis",
        items: [
          { label: t(lang, "owners.kpi.owners"), value: String(named.length) },
          {
            label: t(lang, "owners.kpi.unassigned"),
            value: String(unassigned ? unassigned.customers + unassigned.prospects : 0),
          },
          {
            label: t(lang, "owners.kpi.cadence"),
            value: graded
              ? t(lang, { key: "owners.kpi.share", params: { x: kept / graded } })
              : "—",
          },
        ],
      },
      { kind: "text", text: t(lang, { key: "owners.intro", params: { asOf: a.asOf } }) },
      ...(a.history.movement === null
        ? [{ kind: "text" as const, text: t(lang, "owners.noMovement") }]
        : []),
      {
        kind: "figure",
        title: t(lang, "owners.chart.title"),
        spec: ownerBars(chartRows(a, lang), lang),
      },
      // two tables of the sheet's columns: sixteen side by side do not fit a report page
      ...REPORT_TABLES.map((cols) => ({
        kind: "table" as const,
        title: t(lang, cols.title),
        columns: cols.columns.map((j) => ownerColumns(lang)[j]),
        rows: rows.map((r) => {
          const v = ownerValues(r, lang);
          return cols.columns.map((j) => v[j]);
        }),
      })),
    ],
  };
}
