/**
 * One row per customer: the fixed machine columns of customers.csv (SPEC §10) and the
 * localized 分析 Analysis sheet built from the same values.
 */
import type { CustomerResult, Lang } from "../types.js";
import { isoDay } from "../dates.js";
import { t } from "../messages/index.js";
import { CUBE, isCubeCell } from "../segment.js";
import { segmentLabel } from "../segment.js";
import { isTier, TIERS } from "../pyramid.js";
import { isStage, STAGES, STAGES4, isStage4 } from "../stages.js";
import type { SegmentRule } from "../settings.js";
import type { CellFormat, OutColumn, OutValue, SheetModel } from "../workbook.js";
import { OWNED_SHEETS } from "../workbook.js";

/** Machine column names of customers.csv, fixed by the CLI contract. */
export const CSV_COLUMNS = [
  "customer_id",
  "name",
  "first_purchase",
  "last_purchase",
  "recency_days",
  "frequency",
  "monetary",
  "avg_order_value",
  "r_score",
  "f_score",
  "m_score",
  "rfm_code",
  "rfm_cube",
  "rfm_segment",
  "grade",
  "pyramid",
  "stage",
  "stage_reason",
  "p_alive",
  "expected_purchases_52w",
  "clv",
  "next_contact",
] as const;

const day = (d: number | null) => (d === null ? null : isoDay(d));
/** customers.csv's rounding of money (2 digits) and model figures (6 digits). */
export const round = (x: number | null, digits = 6) =>
  x === null ? null : Number(x.toFixed(digits));

/**
 * customers.csv rows: numbers unformatted, dates ISO, empty where a value does not apply.
 * Codes (cube, segment, stage, pyramid) are machine keys; stage_reason is text in `lang`.
 */
export function customerCsvRows(
  customers: CustomerResult[],
  lang: Lang,
  currency: string,
): OutValue[][] {
  return customers.map((c) => customerCsvRow(c, lang, currency));
}

/** One customers.csv row (for writers that stream a million of them). */
export function customerCsvRow(c: CustomerResult, lang: Lang, currency: string): OutValue[] {
  return [
    c.id,
    c.name,
    day(c.firstPurchase),
    day(c.lastPurchase),
    c.recencyDays,
    c.frequency,
    round(c.monetary, 2),
    round(c.avgOrderValue, 2),
    c.r,
    c.f,
    c.m,
    c.rfmCode,
    c.cube,
    c.segment,
    c.grade,
    c.pyramid,
    c.stage,
    c.stageReason ? t(lang, c.stageReason, { currency }) : null,
    round(c.pAlive),
    round(c.expectedPurchases52w),
    round(c.clv, 2),
    day(c.nextContact),
  ];
}

/** Label helpers shared by sheets and the report. */
export function cubeLabel(key: string | null, lang: Lang): string | null {
  return key && isCubeCell(key) ? CUBE[key][lang] : key;
}
export function tierLabel(key: string | null, lang: Lang): string | null {
  return key && isTier(key) ? TIERS[key][lang] : key;
}
export function stageLabel(key: string | null, lang: Lang): string | null {
  if (!key) return null;
  if (isStage(key)) return STAGES[key][lang];
  if (isStage4(key)) return STAGES4[key][lang];
  return key;
}

/** The 分析 Analysis sheet: every measure, one row per customer, labels in the language. */
export function analysisSheet(
  customers: CustomerResult[],
  lang: Lang,
  currency: string,
  segments: SegmentRule[],
  displayStage: (c: CustomerResult) => string | null,
): SheetModel {
  const col = (key: string, format: CellFormat): OutColumn => ({
    header: t(lang, `col.${key}`),
    format,
  });
  const columns: OutColumn[] = [
    col("customer_id", "text"),
    col("name", "text"),
    col("first_purchase", "date"),
    col("last_purchase", "date"),
    col("recency_days", "int"),
    col("frequency", "int"),
    col("monetary", "money"),
    col("avg_order_value", "money"),
    col("profit", "money"),
    col("r_score", "int"),
    col("f_score", "int"),
    col("m_score", "int"),
    col("rfm_code", "text"),
    col("rfm_cube", "text"),
    col("rfm_segment", "text"),
    col("grade", "text"),
    col("scorecard", "number"),
    col("pyramid", "text"),
    col("stage", "text"),
    col("stage_reason", "text"),
    col("p_alive", "pct"),
    col("expected_purchases_52w", "number"),
    col("clv", "money"),
    col("next_contact", "date"),
  ];
  const rows: OutValue[][] = customers.map((c) => [
    c.id,
    c.name,
    c.firstPurchase,
    c.lastPurchase,
    c.recencyDays,
    c.frequency,
    c.monetary,
    c.avgOrderValue,
    c.profit,
    c.r,
    c.f,
    c.m,
    c.rfmCode,
    cubeLabel(c.cube, lang),
    c.segment ? segmentLabel(c.segment, segments, lang) : null,
    c.grade,
    c.scorecard === null ? null : Math.round(c.scorecard * 10) / 10,
    tierLabel(c.pyramid, lang),
    stageLabel(displayStage(c), lang),
    c.stageReason ? t(lang, c.stageReason, { currency }) : null,
    c.pAlive,
    c.expectedPurchases52w,
    c.clv,
    c.nextContact,
  ]);
  return {
    key: "analysis",
    name: OWNED_SHEETS.analysis[lang],
    blocks: [{ id: "customers", title: null, anchor: { row: 0, col: 0 }, columns, rows }],
    charts: [],
    freezeRows: 1,
  };
}
