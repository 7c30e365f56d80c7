/**
 * The sample workbook (analysis/sample.ts) as a real .xlsx, the way users keep their data:
 * three sheets, each holding an Excel table (ListObject) named Customers, Orders and
 * Interactions. The Orders sheet has a title in row 1 and its table from row 3, so header
 * location is exercised; the others start at A1.
 *
 * Decisions: dates are date cells formatted yyyy-mm-dd, money #,##0.00, quantities #,##0;
 * cells holding an Excel error text ("#N/A") become real error cells, as in a user's export;
 * header rows are frozen; workbook timestamps are fixed so the content is reproducible.
 */
import type ExcelJS from "exceljs";
import { excelLibrary } from "./libraries.js";
import { writeFile } from "node:fs/promises";
import { SAMPLE_END, sampleWorkbook, type SampleSheet } from "../sample.js";
import type { Cell, Lang, RawTable } from "../types.js";
import { NUMBER_FORMATS } from "../workbook.js";

export interface SampleXlsxOptions {
  seed?: number;
  lang?: Lang;
}

type Format = "text" | "date" | "money" | "int";

/** Per sheet: Excel table name, first row of the table, number format of each column. */
const LAYOUT: Record<SampleSheet, { table: string; headerRow: number; formats: Format[] }> = {
  customers: {
    table: "Customers",
    headerRow: 1,
    formats: [
      "text",
      "text",
      "text",
      "text",
      "text",
      "text",
      "text",
      "text",
      "date",
      "text",
      "text",
      "text",
      "text",
      "text",
      "text",
    ],
  },
  orders: {
    table: "Orders",
    headerRow: 3,
    formats: ["text", "text", "date", "text", "int", "money", "money"],
  },
  interactions: {
    table: "Interactions",
    headerRow: 1,
    formats: ["date", "text", "text", "text", "text", "date"],
  },
};

const ORDERS_TITLE = {
  zh: "销售明细(2024-11 至 2026-11)",
  en: "Sales lines, Nov 2024 – Nov 2026",
} as const;

const EXCEL_ERRORS = new Set(["#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!"]);

function excelValue(c: Cell): ExcelJS.CellValue {
  if (c === undefined) return null;
  if (typeof c === "string" && EXCEL_ERRORS.has(c)) return { error: c } as ExcelJS.CellErrorValue;
  return c;
}

/** Display width of a value: CJK characters take two columns. */
function width(c: Cell, format: Format): number {
  if (c === null || c === undefined) return 0;
  if (format === "date") return 10;
  const s =
    typeof c === "number" ? c.toLocaleString("en-US", { maximumFractionDigits: 2 }) : String(c);
  let w = 0;
  for (const ch of s) w += /[\u2e80-\uffff]/.test(ch) ? 2 : 1;
  return w;
}

function addTableSheet(wb: ExcelJS.Workbook, sheet: SampleSheet, raw: RawTable, lang: Lang): void {
  const layout = LAYOUT[sheet];
  const ws = wb.addWorksheet(raw.source, {
    views: [{ state: "frozen", ySplit: layout.headerRow }],
  });
  if (sheet === "orders") {
    const title = ws.getCell(1, 1);
    title.value = ORDERS_TITLE[lang];
    title.font = { bold: true, size: 14 };
  }
  ws.addTable({
    name: layout.table,
    displayName: layout.table,
    ref: `A${layout.headerRow}`,
    headerRow: true,
    style: { theme: "TableStyleMedium2", showRowStripes: true },
    columns: raw.headers.map((name) => ({ name, filterButton: true })),
    rows: raw.rows.map((r) => r.map(excelValue)),
  });
  layout.formats.forEach((format, i) => {
    const col = ws.getColumn(i + 1);
    if (format !== "text") {
      for (let r = 0; r < raw.rows.length; r++)
        ws.getCell(layout.headerRow + 1 + r, i + 1).numFmt = NUMBER_FORMATS[format];
    }
    let w = width(raw.headers[i], "text") + 4; // room for the filter button
    for (const r of raw.rows) w = Math.max(w, width(r[i], format));
    col.width = Math.min(48, w + 2);
  });
}

/** The sample workbook as .xlsx bytes. */
export async function sampleXlsx(opts: SampleXlsxOptions = {}): Promise<Buffer> {
  const lang = opts.lang ?? "zh";
  const data = sampleWorkbook({ seed: opts.seed, lang });
  const wb = new (await excelLibrary()).Workbook();
  wb.creator = "Customer Lifecycle for Excel";
  wb.created = wb.modified = new Date(SAMPLE_END * 86_400_000);
  addTableSheet(wb, "customers", data.customers, lang);
  addTableSheet(wb, "orders", data.orders, lang);
  addTableSheet(wb, "interactions", data.interactions, lang);
  try {
    return Buffer.from(await wb.xlsx.writeBuffer());
  } catch (e) {
    throw new Error(`cannot build the sample workbook: ${(e as Error).message}`, { cause: e });
  }
}

/** Write the sample workbook to `path` (.xlsx). */
export async function writeSampleXlsx(path: string, opts: SampleXlsxOptions = {}): Promise<void> {
  try {
    await writeFile(path, await sampleXlsx(opts));
  } catch (e) {
    throw new Error(`cannot write the sample workbook to ${path}: ${(e as Error).message}`, {
      cause: e,
    });
  }
}
