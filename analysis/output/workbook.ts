/**
 * Assemble the WorkbookOutput: the owned result columns of the Customers table and every owned
 * sheet, in tab order. Each area builds its own sheet; this file only puts them together.
 */
import type { CustomerResult, Lang } from "../types.js";
import type { Analysis } from "../pipeline.js";
import { t } from "../messages/index.js";
import { segmentLabel } from "../segment.js";
import { STAGES, STAGES4, STAGE_KEYS, STAGE4_KEYS } from "../stages.js";
import {
  OWNED_COLUMNS,
  type CellFormat,
  type ColumnOutput,
  type OutValue,
  type OwnedColumn,
  type SheetModel,
  type WorkbookOutput,
} from "../workbook.js";
import { analysisSheet, stageLabel } from "./customers.js";
import { GRADE_HEALTH, gradesSheet } from "./grades.js";
import { issuesSheet } from "./issues.js";
import { paretoSheet } from "./pareto.js";
import { rfmSheet } from "./rfm.js";
import { clvSheet } from "./clv.js";
import { followupSheet, historySheet, lifecycleSheet } from "./lifecycle.js";
import { ownersSheet } from "./owners.js";

export interface WorkbookOutputOptions {
  /** The Settings sheet to create, or null when the workbook already has one. */
  settingsSheet: SheetModel | null;
}

/** Health colour rules for every stage label of both models, in the language. */
function stageColours(lang: Lang) {
  return [
    ...STAGE_KEYS.map((k) => ({ equals: STAGES[k][lang], health: STAGES[k].health })),
    ...STAGE4_KEYS.map((k) => ({ equals: STAGES4[k][lang], health: STAGES4[k].health })),
  ];
}

function ownedColumns(a: Analysis, lang: Lang): ColumnOutput[] {
  const rows = new Map<number, CustomerResult>();
  for (const c of a.customers) {
    const rec = a.dataset.records[c.index];
    if (rec) rows.set(rec.row, c);
  }
  const custSource = a.dataset.sources.customers;
  if (!custSource || rows.size === 0) return [];
  const ctx = { currency: a.settings.currency };
  // a loop, not Math.min(...keys): 100,000 customers' rows overflow a Web Worker's stack
  let first = Infinity;
  let last = -Infinity;
  for (const r of rows.keys()) {
    if (r < first) first = r;
    if (r > last) last = r;
  }
  const headerRow = a.dataset.customerTable?.headerRow ?? first - 1;
  const rowCount = a.dataset.customerTable?.rowCount ?? last - headerRow;
  const column = (
    key: OwnedColumn,
    format: CellFormat,
    value: (c: CustomerResult) => OutValue,
    extra: Partial<ColumnOutput> = {},
  ): ColumnOutput => {
    const values: OutValue[] = new Array(rowCount).fill(null);
    for (const [row, c] of rows) {
      const i = row - headerRow - 1;
      if (i >= 0 && i < rowCount) values[i] = value(c);
    }
    return { key, header: OWNED_COLUMNS[key][lang], format, values, ...extra };
  };
  return [
    column("stage", "text", (c) => stageLabel(c.stage, lang), { colours: stageColours(lang) }),
    column("stageReason", "text", (c) => (c.stageReason ? t(lang, c.stageReason, ctx) : null)),
    column("grade", "text", (c) => c.grade, {
      colours: (["A", "B", "C", "D"] as const).map((g) => ({ equals: g, health: GRADE_HEALTH[g] })),
    }),
    column("r", "int", (c) => c.r),
    column("f", "int", (c) => c.f),
    column("m", "int", (c) => c.m),
    column("segment", "text", (c) =>
      c.segment ? segmentLabel(c.segment, a.settings.segments, lang) : null,
    ),
    column("pAlive", "pct", (c) => c.pAlive),
    column("clv", "money", (c) => (c.clv === null ? null : Math.round(c.clv * 100) / 100)),
    column("nextContact", "date", (c) => c.nextContact),
  ];
}

export function buildWorkbookOutput(
  a: Analysis,
  lang: Lang,
  opts: WorkbookOutputOptions,
): WorkbookOutput {
  const currency = a.settings.currency;
  const analysis = analysisSheet(a.customers, lang, currency, a.settings.segments, (c) => c.stage);
  analysis.blocks[0].colours = [
    ...(["A", "B", "C", "D"] as const).map((g) => ({
      column: 15,
      equals: g,
      health: GRADE_HEALTH[g],
    })),
    ...stageColours(lang).map((r) => ({ column: 18, ...r })),
  ];
  const sheets: SheetModel[] = [
    analysis,
    paretoSheet(a, lang),
    rfmSheet(a, lang),
    gradesSheet(a, lang),
    lifecycleSheet(a, lang),
    clvSheet(a.clv, a.dataset, lang, currency),
    followupSheet(a, lang),
    ownersSheet(a, lang),
    historySheet(a, lang),
    issuesSheet(a.issues, lang),
  ];
  if (opts.settingsSheet) sheets.push(opts.settingsSheet);
  const model = a.settings.lifecycle.model;
  const stageOverrideList =
    a.dataset.customerTable?.hasStageOverride === false
      ? []
      : model === "four"
        ? STAGE4_KEYS.map((k) => STAGES4[k][lang])
        : STAGE_KEYS.map((k) => STAGES[k][lang]);
  return { lang, columns: ownedColumns(a, lang), sheets, stageOverrideList };
}
