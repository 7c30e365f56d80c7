/**
 * What the product writes into a workbook, described as plain data: the owned result columns
 * of the Customers table and the owned sheets with their tables and charts. Two writers
 * consume it — the Excel adapter (addin/excel-adapter.ts) and the .xlsx writer of the CLI
 * (analysis/node/xlsx-write.ts) — so both surfaces show the same thing.
 *
 * Decisions: owned sheets and columns are recognised by their name in either language, so a
 * user who switches Office's language gets them updated in place, not duplicated. Values are
 * plain: dates are epoch days with format "date" (each writer turns them into Excel dates).
 */
import type { Health } from "./stages.js";

export const OWNED_SHEETS = {
  analysis: { zh: "分析", en: "Analysis" },
  pareto: { zh: "帕累托", en: "Pareto" },
  rfm: { zh: "RFM", en: "RFM" },
  grades: { zh: "分级", en: "Grades" },
  lifecycle: { zh: "生命周期", en: "Lifecycle" },
  clv: { zh: "终身价值", en: "CLV" },
  followups: { zh: "待联系", en: "Follow-ups" },
  owners: { zh: "客户经理", en: "Account managers" },
  history: { zh: "阶段历史", en: "Stage history" },
  issues: { zh: "数据问题", en: "Data issues" },
  settings: { zh: "设置", en: "Settings" },
} as const;
export type OwnedSheet = keyof typeof OWNED_SHEETS;
export const isOwnedSheet = (x: unknown): x is OwnedSheet =>
  typeof x === "string" && x in OWNED_SHEETS;

/** Result columns appended to the Customers table, found again by exact header. */
export const OWNED_COLUMNS = {
  stage: { zh: "阶段", en: "Stage" },
  stageReason: { zh: "阶段原因", en: "Stage reason" },
  grade: { zh: "等级", en: "Grade" },
  r: { zh: "R", en: "R" },
  f: { zh: "F", en: "F" },
  m: { zh: "M", en: "M" },
  segment: { zh: "RFM 分群", en: "RFM segment" },
  pAlive: { zh: "存活概率", en: "P(alive)" },
  clv: { zh: "终身价值", en: "CLV" },
  nextContact: { zh: "下次联系", en: "Next contact" },
} as const;
export type OwnedColumn = keyof typeof OWNED_COLUMNS;
export const isOwnedColumn = (x: unknown): x is OwnedColumn =>
  typeof x === "string" && x in OWNED_COLUMNS;

/** Number/date format of a column; writers map these to Excel number formats. */
export type CellFormat = "text" | "int" | "number" | "money" | "pct" | "date" | "ratio";

/** Excel number format of each CellFormat, used by both writers (text: none, left as General). */
export const NUMBER_FORMATS = {
  text: null,
  int: "#,##0",
  number: "#,##0.00",
  money: "#,##0.00",
  pct: "0.0%",
  date: "yyyy-mm-dd",
  /** A coefficient read to three places (the Gini coefficient 0.742). */
  ratio: "0.000",
} as const satisfies Record<CellFormat, string | null>;

/** Fill and font colours (RRGGBB) of the traffic lights: Excel's own Good / Neutral / Bad styles. */
export const HEALTH_COLOURS: Record<Health, { fill: string; font: string }> = {
  green: { fill: "C6EFCE", font: "006100" },
  yellow: { fill: "FFEB9C", font: "9C5700" },
  red: { fill: "FFC7CE", font: "9C0006" },
};

export type OutValue = string | number | null;

export interface OutColumn {
  header: string;
  format: CellFormat;
  /**
   * Format of each data row's cell where it differs from `format` (null: the column's): a
   * column of figures of different kinds (a share, a coefficient, a sum of money) holds each as
   * a number with its own number format, so formulas can use them (issue 18 §9).
   */
  rowFormats?: (CellFormat | null)[];
}

/** The format of row i's cell of a column. */
export function cellFormatOf(c: OutColumn, i: number): CellFormat {
  return c.rowFormats?.[i] ?? c.format;
}

/** Conditional formatting: cells of a column equal to `equals` get the health colour. */
export interface ColourRule {
  column: number;
  equals: string;
  health: Health;
}

/** A table placed on an owned sheet. Anchors are 0-based (row 0, col 0 = A1). */
export interface SheetBlock {
  id: string;
  title: string | null;
  /** Top-left cell of the title (or of the header when there is no title). */
  anchor: { row: number; col: number };
  columns: OutColumn[];
  rows: OutValue[][];
  colours?: ColourRule[];
  /** Colour-scale the numeric body cells (the RFM heat map). */
  colourScale?: boolean;
  /** Attach a data-validation list to a column (index into columns). */
  validation?: { column: number; list: string[] };
}

/**
 * The colour scale of a block's numbers (heat maps, matrices): one hue from white (the least)
 * to blue (the most). A red–yellow–green scale said "healthy" of the largest count, so 30
 * lapsed customers in R1 looked good (issue 18 §5); more is only more.
 */
export const COLOUR_SCALE = { low: "#FFFFFF", high: "#5B8FC9" } as const;

export type ChartKind = "pareto" | "bar" | "column" | "funnel" | "line" | "scatter";

/** A chart drawn from one block's columns. */
export interface ChartModel {
  id: string;
  kind: ChartKind;
  title: string;
  /** Block id whose rows feed the chart. */
  block: string;
  /** Column index of the categories (x axis). */
  category: number;
  /** Column indices of the value series (primary axis). */
  values: number[];
  /** Pareto: column index of the cumulative share, drawn as a line on the secondary axis. */
  line?: number;
  /** Horizontal reference line on the secondary axis (0.8 for 80%). */
  reference?: number;
  /** Where the chart goes: 0-based top-left cell and size in cells. */
  anchor: { row: number; col: number };
  size: { rows: number; cols: number };
  /** The same chart as a vega-lite spec, for images (xlsx, report) and the playground. */
  vegaLite: Record<string, unknown>;
  /**
   * A picture only (heat maps, which Excel has no chart type for): analysis.xlsx shows the
   * vega-lite image; the add-in draws no native chart for it, the block's colour-scaled table
   * beside it carries the same numbers (addin/README.md).
   */
  picture?: boolean;
}

export interface SheetModel {
  key: OwnedSheet;
  /** Sheet name in the output language. */
  name: string;
  blocks: SheetBlock[];
  charts: ChartModel[];
  /** Rows to freeze at the top (0 = none). */
  freezeRows: number;
}

/** Values of one owned column, one per Customers-table data row, in table order. */
export interface ColumnOutput {
  key: OwnedColumn;
  header: string;
  format: CellFormat;
  values: OutValue[];
  colours?: { equals: string; health: Health }[];
  validation?: string[];
}

export interface WorkbookOutput {
  lang: "zh" | "en";
  /** Owned columns for the Customers table (empty when there is no Customers table). */
  columns: ColumnOutput[];
  /** Owned sheets, in tab order. The Settings sheet is included only when it must be created. */
  sheets: SheetModel[];
  /**
   * Allowed values for the user's 手动阶段 Stage override column (a data-validation list: it
   * restricts typing, it changes no value). Empty when the table has no such column.
   */
  stageOverrideList?: string[];
}

/** Both-language names, for finding owned things again whatever the language was. */
export function ownedSheetNames(key: OwnedSheet): string[] {
  return [OWNED_SHEETS[key].zh, OWNED_SHEETS[key].en];
}
export function ownedColumnHeaders(key: OwnedColumn): string[] {
  return [OWNED_COLUMNS[key].zh, OWNED_COLUMNS[key].en];
}
