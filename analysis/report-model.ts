/**
 * The HTML report as plain data: sections of KPIs, text, figures (vega-lite specs) and tables.
 * Each area builds its own sections from its results; analysis/node/report.ts renders the
 * whole model to one self-contained page (inline SVG, no script, every string escaped).
 */
import type { CellFormat, OutValue } from "./workbook.js";

export interface Kpi {
  label: string;
  value: string;
  /** Optional small print under the value. */
  note?: string;
}

export type ReportItem =
  | { kind: "kpis"; items: Kpi[] }
  | { kind: "text"; text: string }
  | { kind: "figure"; title: string; spec: Record<string, unknown>; caption?: string }
  | {
      kind: "table";
      title: string;
      columns: { header: string; format: CellFormat }[];
      rows: OutValue[][];
      /** Rows shown; the rest are counted in a note. */
      limit?: number;
      /**
       * Rows in the whole table when `rows` holds only the first of them (a long list is not
       * formatted in full for a report that shows its top); default rows.length.
       */
      total?: number;
    };

export interface ReportSection {
  id: string;
  title: string;
  items: ReportItem[];
}

export interface ReportModel {
  lang: "zh" | "en";
  title: string;
  subtitle: string;
  currency: string;
  sections: ReportSection[];
}
