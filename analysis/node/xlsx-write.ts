/**
 * analysis.xlsx: the user's workbook (or a new one for CSV input) plus the owned columns and
 * owned sheets of a WorkbookOutput, written with exceljs.
 *
 * Pipeline: load input → owned columns into the Customers table → owned sheets removed (by
 * either-language name) → exceljs writes the user's workbook → charts rendered to PNG images →
 * the owned sheets added at the end in model order, streamed row by row into the package
 * (xlsx-sheets.ts: values, formats, conditional formatting, validation, widths, frozen rows,
 * pictures), so their size costs time, not memory.
 *
 * Decisions:
 * - User sheets and cells are left as exceljs read them. exceljs keeps values, formulas,
 *   styles, merged cells, tables, conditional formatting, data validation and images, but NOT
 *   native charts, pivot tables, slicers or VBA: those are lost in analysis.xlsx (the input
 *   file itself is never touched).
 * - exceljs reads a table's filter buttons as hidden when the file does not list them (Excel
 *   usually doesn't) and would write them hidden; we restore "shown" for such columns so the
 *   user's tables come back as they were.
 * - Owned columns sit right of the Customers table and are found again only where a record
 *   lists them (crm's, written into analysis.xlsx, or the add-in's): an existing one is rewritten
 *   in place (header switched to the output language), a missing one is appended after the last
 *   header (under a free name when a user's column has the name) — skipping any column that
 *   holds something of the user's in the header or data rows, so no user cell is overwritten. When the Customers data is an
 *   Excel table whose header row is the given header row, new columns that touch its right edge
 *   join the table (table ref, autofilter and column list are extended in the table model; no
 *   cells are re-stored, so user formatting stays). Otherwise they are written beside it.
 * - Everything in an owned column below its header is ours: old values below the current data
 *   rows are cleared, our old conditional formats and validations on it are replaced.
 * - Dates are real Excel dates (epoch day → UTC Date, format yyyy-mm-dd).
 * - The Settings sheet is only created when there is none (the user may have edited it).
 * - A chart that cannot be drawn leaves a one-line note at its anchor instead of failing.
 * - Excel's limits hold on the owned sheets: a block is cut at row 1,048,576 (with a note and a
 *   warning) and text at 32,767 characters (listed on Data issues), see xlsx-sheets.ts.
 */
import type ExcelJS from "exceljs";
import { excelLibrary } from "./libraries.js";
import type { Health } from "../stages.js";
import type { Lang } from "../types.js";
import {
  OWNED_SHEETS,
  type OwnedColumn,
  type CellFormat,
  type ChartModel,
  type ColumnOutput,
  type OutValue,
  type SheetModel,
  type WorkbookOutput,
  HEALTH_COLOURS,
  NUMBER_FORMATS,
} from "../workbook.js";
import { compileSpec, svgToPng } from "./render.js";
import {
  CRM_SHEETS_NAMESPACE,
  addOwnedSheets,
  columnWidth,
  crmSheetsFromXml,
  listFormula,
  type ChartImage,
  type CrmColumnsRecord,
  type CrmRecord,
} from "./xlsx-sheets.js";
import { entryData, zipEntries } from "./zip.js";
import {
  OWNERSHIP_NAMESPACE,
  clashName,
  emptyRecord,
  recordFromXml,
  type OwnershipRecord,
} from "../../addin/ownership.js";
import { CUSTOMER_COLUMNS, matchColumns } from "../headers.js";
import { t } from "../messages/index.js";

export { displayWidth } from "./xlsx-sheets.js";

/** Where the Customers table sits; same conventions as RawTable (1-based row and column). */
export interface CustomersTableRef {
  sheet: string;
  /** 1-based sheet row of the header row. */
  headerRow: number;
  /** 1-based column of the table's first column (A = 1). */
  firstColumn: number;
  /** Number of data rows under the header. */
  rowCount: number;
}

export interface WriteXlsxOptions {
  /**
   * The user's .xlsx to copy: its bytes, or the workbook as readWorkbook loaded it (then it is
   * not parsed a second time, and is changed in place); null for CSV input.
   */
  input?: Buffer | ExcelJS.Workbook | null;
  /**
   * The input file's bytes when `input` is a loaded workbook: read for the add-in's ownership
   * record (a custom XML part, which exceljs does not keep). Without it no sheet is the add-in's.
   */
  inputBytes?: Buffer | null;
  output: WorkbookOutput;
  customersTable?: CustomersTableRef | null;
  /** Told what was cut to fit Excel's limits (rows past 1,048,576, text past 32,767). */
  warn?: (line: string) => void;
}

const DAY_MS = 86_400_000;
/** Default Excel cell size in pixels, for chart images sized in cells. */
const CELL_PX = { width: 64, height: 20 };

/** Write analysis.xlsx and return its bytes. */
export function writeAnalysisXlsx(opts: WriteXlsxOptions): Promise<Buffer> {
  return writeXlsx(opts);
}

/**
 * Write analysis.xlsx through `sink` in pieces of about 1 MB as it is made (e.g. into the
 * temporary file of an atomic write), so a workbook of a million customers is never held whole.
 */
export async function writeAnalysisXlsxTo(
  sink: (chunk: Buffer) => Promise<void>,
  opts: WriteXlsxOptions,
): Promise<void> {
  await writeXlsx(opts, sink);
}

async function writeXlsx(
  opts: WriteXlsxOptions,
  sink?: (chunk: Buffer) => Promise<void>,
): Promise<Buffer> {
  const { output } = opts;
  if (!output || !Array.isArray(output.sheets) || !Array.isArray(output.columns)) {
    throw new TypeError("invalid workbook output: sheets and columns are required");
  }
  const lang: Lang = output.lang === "en" ? "en" : "zh";
  const { Workbook } = await excelLibrary();
  const loaded = opts.input instanceof Workbook ? opts.input : null;
  const wb = loaded ?? new Workbook();
  try {
    if (opts.input && !loaded) await wb.xlsx.load(opts.input as unknown as ArrayBuffer);
  } catch (e) {
    throw new Error(
      `cannot read the input workbook: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  keepFilterButtons(wb);

  const bytes = Buffer.isBuffer(opts.input) ? opts.input : (opts.inputBytes ?? null);
  const records = bytes ? ownershipRecords(bytes) : noRecords();
  let columns: CrmColumnsRecord | null = null;
  if (opts.input && opts.customersTable && output.columns.length > 0) {
    columns = writeOwnedColumns(wb, opts.customersTable, output.columns, records, lang, opts.warn);
  }
  if (opts.input && opts.customersTable && output.stageOverrideList?.length) {
    addStageOverrideList(wb, opts.customersTable, output.stageOverrideList);
  }
  const todo = dropOwnedSheets(wb, output.sheets, records, lang, opts.warn);

  let base: Buffer;
  try {
    base = Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
  } catch (e) {
    throw new Error(`cannot write the workbook: ${e instanceof Error ? e.message : String(e)}`);
  }
  const images = await renderCharts(todo.flatMap((s) => s.charts));
  return addOwnedSheets({ base, sheets: todo, images, lang, warn: opts.warn, sink, columns });
}

// ---------------------------------------------------------------------------------------------
// Small helpers.

interface TableModel {
  name: string;
  tableRef?: string;
  ref?: string;
  autoFilterRef?: string;
  headerRow?: boolean;
  totalsRow?: boolean;
  columns: {
    name: string;
    filterButton?: boolean;
    totalsRowFunction?: string;
    totalsRowLabel?: string;
  }[];
}

function tablesOf(ws: ExcelJS.Worksheet): { table: TableModel }[] {
  return ws.getTables() as unknown as { table: TableModel }[];
}

function keepFilterButtons(wb: ExcelJS.Workbook): void {
  wb.eachSheet((ws) => {
    for (const t of tablesOf(ws)) {
      for (const c of t.table.columns ?? [])
        if (c.filterButton === undefined) c.filterButton = true;
    }
  });
}

/** "A1" → { row: 1, col: 1 } (1-based). */
function decodeCell(a: string): { row: number; col: number } {
  const m = /^\$?([A-Z]+)\$?(\d+)$/.exec(a.trim().toUpperCase());
  if (!m) return { row: 0, col: 0 };
  let col = 0;
  for (const ch of m[1]) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { row: Number(m[2]), col };
}

function decodeRange(ref: string): { top: number; left: number; bottom: number; right: number } {
  const [a, b = a] = ref.split(":");
  const p = decodeCell(a);
  const q = decodeCell(b);
  return {
    top: Math.min(p.row, q.row),
    left: Math.min(p.col, q.col),
    bottom: Math.max(p.row, q.row),
    right: Math.max(p.col, q.col),
  };
}

function colLetter(col: number): string {
  let s = "";
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26))
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function address(row: number, col: number): string {
  return `${colLetter(col)}${row}`;
}

function rangeRef(top: number, left: number, bottom: number, right: number): string {
  return `${address(top, left)}:${address(bottom, right)}`;
}

/** Header text of a cell, trimmed ("" for empty); rich text and formulas give their text. */
function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return "";
  if (typeof v === "object" && !(v instanceof Date)) return (cell.text ?? "").trim();
  return String(v).trim();
}

/** Excel value of an OutValue under a format: epoch days become dates. */
function excelValue(v: OutValue, format: CellFormat): ExcelJS.CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return null;
    if (format === "date") return new Date(Math.round(v) * DAY_MS);
  }
  return v;
}

/** Excel string literal for a formula: quotes doubled. */
function quoted(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

function healthRules(
  ref: string,
  rules: { equals: string; health: Health }[],
  priority: number,
): ExcelJS.ConditionalFormattingOptions {
  return {
    ref,
    rules: rules.map((r, i) => ({
      type: "cellIs",
      operator: "equal",
      formulae: [quoted(r.equals)],
      priority: priority + i,
      style: {
        fill: {
          type: "pattern",
          pattern: "solid",
          bgColor: { argb: `FF${HEALTH_COLOURS[r.health].fill}` },
        },
        font: { color: { argb: `FF${HEALTH_COLOURS[r.health].font}` } },
      },
    })),
  };
}

/** Inline list validation (Excel limits the list text to 255 characters). */
function listValidation(list: string[]): ExcelJS.DataValidation {
  return { type: "list", allowBlank: true, showErrorMessage: true, formulae: [listFormula(list)] };
}

/** Parts of exceljs's Worksheet that exist at run time but not in its typings. */
interface WorksheetExtras {
  conditionalFormattings?: ExcelJS.ConditionalFormattingOptions[];
  dataValidations: {
    model: Record<string, ExcelJS.DataValidation | undefined>;
    add(address: string, v: ExcelJS.DataValidation): void;
  };
}
function extras(ws: ExcelJS.Worksheet): WorksheetExtras {
  return ws as unknown as WorksheetExtras;
}

function nextPriority(ws: ExcelJS.Worksheet): number {
  let p = 0;
  for (const cf of extras(ws).conditionalFormattings ?? [])
    for (const r of cf.rules) p = Math.max(p, r.priority ?? 0);
  return p + 1;
}

// ---------------------------------------------------------------------------------------------
// Owned columns.

function writeOwnedColumns(
  wb: ExcelJS.Workbook,
  ref: CustomersTableRef,
  columns: ColumnOutput[],
  records: Records,
  lang: Lang,
  warn?: (line: string) => void,
): CrmColumnsRecord {
  const ws = wb.getWorksheet(ref.sheet);
  if (!ws) throw new Error(`customers sheet not found: ${ref.sheet}`);
  const { headerRow, firstColumn, rowCount } = ref;
  if (!(headerRow >= 1 && firstColumn >= 1 && rowCount >= 0)) {
    throw new RangeError(
      `invalid customers table position: row ${headerRow}, column ${firstColumn}`,
    );
  }
  for (const c of columns) {
    if (c.values.length !== rowCount) {
      throw new RangeError(`owned column ${c.key}: ${c.values.length} values for ${rowCount} rows`);
    }
  }

  // Owned headers already present anywhere right of the first column, and the right edge of
  // the table's contiguous headers.
  const header = ws.getRow(headerRow);
  const written: CrmColumnsRecord = { sheet: ref.sheet, headerRow, columns: {} };
  const clashed: string[] = [];
  // Ours only where a record says so (crm's: column and header; the add-in's: position in the
  // table and header). A user's column that merely carries a result column's name ("Grade"
  // holding VIP/Std) is theirs: kept, and ours goes beside it under a free name.
  const found = new Map<string, number>();
  const crm = records.crm.columns;
  const addin = records.addin.table;
  for (const c of columns) {
    const mine =
      crm?.sheet === ref.sheet && crm.headerRow === headerRow ? crm.columns[c.key] : undefined;
    if (mine && cellText(header.getCell(mine.col)) === mine.header) {
      found.set(c.key, mine.col);
      continue;
    }
    const rec = addin?.columns[c.key as OwnedColumn];
    if (rec) {
      const col = firstColumn + rec.index;
      const text = cellText(header.getCell(col));
      if (text === rec.header || (rec.was !== undefined && text === rec.was)) found.set(c.key, col);
    }
  }
  let edge = firstColumn - 1;
  while (cellText(header.getCell(edge + 1)) !== "") edge++;

  const table = tablesOf(ws).find((tb) => {
    const r = decodeRange(tb.table.tableRef ?? tb.table.ref ?? "");
    return (
      tb.table.headerRow !== false &&
      r.top === headerRow &&
      r.left <= firstColumn &&
      firstColumn <= r.right
    );
  })?.table;

  const styleFrom = edge >= firstColumn ? header.getCell(edge).style : undefined;
  let next = Math.max(edge, ...found.values()) + 1;
  const firstData = headerRow + 1;
  const lastRow = Math.max(ws.rowCount, headerRow + rowCount);
  let priority = nextPriority(ws);

  for (const c of columns) {
    let col = found.get(c.key);
    if (col === undefined) {
      while (!isFreeColumn(ws, next, headerRow, rowCount)) next++;
      col = next++;
    }
    const headCell = header.getCell(col);
    // a user's column already has this name: ours takes a free one ("Grade (2)", "等级（2）")
    const taken = new Set<string>();
    for (let k = firstColumn; k <= Math.max(ws.columnCount, col); k++)
      if (k !== col) taken.add(cellText(header.getCell(k)).toLowerCase());
    const name = taken.has(c.header.toLowerCase())
      ? clashName(c.header, lang, (n) => taken.has(n.toLowerCase()))
      : c.header;
    if (name !== c.header) clashed.push(name);
    written.columns[c.key] = { col, header: name };
    headCell.value = name;
    if (!found.has(c.key) && styleFrom) headCell.style = structuredClone(styleFrom);
    const fmt = NUMBER_FORMATS[c.format];
    for (let i = 0; i < rowCount; i++) {
      const cell = ws.getCell(firstData + i, col);
      cell.value = excelValue(c.values[i], c.format);
      if (fmt) cell.numFmt = fmt;
    }
    for (let r = firstData + rowCount; r <= lastRow; r++) {
      const cell = ws.findCell(r, col);
      if (cell && cell.value !== null && !isTotalsRow(table, r)) cell.value = null;
    }

    // Our previous conditional formats and validations on this column go; fresh ones come.
    ws.removeConditionalFormatting(
      (cf: ExcelJS.ConditionalFormattingOptions) => !onlyInColumn(cf.ref, col, firstData),
    );
    dropValidations(ws, col, firstData);
    const bottom = Math.max(firstData, headerRow + rowCount);
    if (c.colours?.length) {
      ws.addConditionalFormatting(
        healthRules(rangeRef(firstData, col, bottom, col), c.colours, priority),
      );
      priority += c.colours.length;
    }
    if (c.validation?.length) {
      extras(ws).dataValidations.add(
        rangeRef(firstData, col, bottom, col),
        listValidation(c.validation),
      );
    }

    const column = ws.getColumn(col);
    if (!found.has(c.key) || !column.width)
      column.width = columnWidth(c.header, c.values, c.format);
    if (table) joinTable(table, col, name);
  }
  if (clashed.length)
    warn?.(t(lang, { key: "reading.xlsx.columnNameClash", params: { names: clashed.join(", ") } }));
  return written;
}

/** A column we may take: nothing in its header cell or in the table's data rows. */
function isFreeColumn(
  ws: ExcelJS.Worksheet,
  col: number,
  headerRow: number,
  rowCount: number,
): boolean {
  for (let r = headerRow; r <= headerRow + rowCount; r++) {
    const cell = ws.findCell(r, col);
    if (cell && cell.value !== null && cell.value !== undefined && cell.value !== "") return false;
  }
  return true;
}

function isTotalsRow(table: TableModel | undefined, row: number): boolean {
  if (!table?.totalsRow) return false;
  return decodeRange(table.tableRef ?? table.ref ?? "").bottom === row;
}

/** True when every range of the (space-separated) ref lies in `col` at or below `fromRow`. */
function onlyInColumn(ref: string, col: number, fromRow: number): boolean {
  return ref.split(/\s+/).every((part) => {
    const r = decodeRange(part);
    return r.left === col && r.right === col && r.top >= fromRow;
  });
}

function dropValidations(ws: ExcelJS.Worksheet, col: number, fromRow: number): void {
  const { model } = extras(ws).dataValidations;
  for (const key of Object.keys(model)) {
    if (onlyInColumn(key, col, fromRow)) delete model[key];
  }
}

/** Rename a table column in place, or extend the table by one column at its right edge. */
function joinTable(table: TableModel, col: number, header: string): void {
  const refKey = table.tableRef !== undefined ? "tableRef" : "ref";
  const r = decodeRange(table[refKey] ?? "");
  if (col >= r.left && col <= r.right) {
    const tc = table.columns[col - r.left];
    if (tc) tc.name = header;
    return;
  }
  if (col !== r.right + 1) return; // not touching the table: written beside it
  if (table.columns.some((c) => c.name === header)) return; // Excel needs unique names
  table.columns.push({ name: header, filterButton: true, totalsRowFunction: "none" });
  table[refKey] = rangeRef(r.top, r.left, r.bottom, col);
  if (table.autoFilterRef) {
    const a = decodeRange(table.autoFilterRef);
    table.autoFilterRef = rangeRef(a.top, a.left, a.bottom, col);
  }
}

// ---------------------------------------------------------------------------------------------
// Owned sheets.

/**
 * The ownership records in the input package (custom XML parts): the add-in's
 * (addin/ownership.ts) and the one an earlier crm run wrote (xlsx-sheets.ts). Without them every
 * sheet is the user's; a damaged part counts as none.
 */
interface Records {
  addin: OwnershipRecord;
  crm: CrmRecord;
}
const noRecords = (): Records => ({ addin: emptyRecord(), crm: { sheets: {}, columns: null } });

export function ownershipRecords(bytes: Buffer): Records {
  const out = noRecords();
  try {
    for (const e of zipEntries(bytes)) {
      if (!/^customXml\/item\d+\.xml$/i.test(e.name)) continue;
      const xml = entryData(bytes, e, 16 * 2 ** 20).toString("utf8");
      if (xml.includes(OWNERSHIP_NAMESPACE)) out.addin = recordFromXml(xml);
      else if (xml.includes(CRM_SHEETS_NAMESPACE)) out.crm = crmSheetsFromXml(xml);
    }
  } catch {
    // not a package we can read parts of: nothing is recorded as ours
  }
  return out;
}

/**
 * Remove the input's sheets that the add-in recorded as its own and the model brings anew; a
 * user's sheet that only carries an owned name (a list of account managers called 客户经理) is
 * kept, and ours is written under a free name ("客户经理（2）", "Analysis (2)"), with a warning.
 *
 * Ours is what a record lists: the add-in's names sheets by Excel's worksheet ID, which the
 * file does not hold in a form we can match, so a sheet counts as the add-in's when the record
 * lists that owned sheet under the sheet's present name; crm's own record (written into every
 * analysis.xlsx) by the file's sheetId and name. A user's Settings sheet is kept and used.
 */
function dropOwnedSheets(
  wb: ExcelJS.Workbook,
  sheets: SheetModel[],
  records: Records,
  lang: Lang,
  warn?: (line: string) => void,
): SheetModel[] {
  // Excel's sheet names are unique regardless of case: "analysis" would clash with "Analysis"
  const lower = (n: string) => n.toLowerCase();
  const ours = (key: keyof typeof OWNED_SHEETS, ws: ExcelJS.Worksheet) => {
    const a = records.addin.sheets[key];
    const c = records.crm.sheets[key];
    return (
      (a !== undefined && lower(a.name) === lower(ws.name)) ||
      (c !== undefined && c.id === ws.id && lower(c.name) === lower(ws.name))
    );
  };
  const hasSettings = wb.worksheets.some(
    (ws) =>
      [OWNED_SHEETS.settings.zh, OWNED_SHEETS.settings.en].some(
        (n) => lower(n) === lower(ws.name),
      ) || ours("settings", ws),
  );
  const todo = sheets.filter((s) => !(s.key === "settings" && hasSettings));
  for (const s of todo)
    for (const ws of [...wb.worksheets]) if (ours(s.key, ws)) wb.removeWorksheet(ws.id);
  const taken = new Set(wb.worksheets.map((ws) => lower(ws.name)));
  const renamed: string[] = [];
  const out = todo.map((s) => {
    let name = s.name;
    if (taken.has(lower(name))) {
      name = clashName(s.name, lang, (n) => taken.has(lower(n)));
      renamed.push(name);
    }
    taken.add(lower(name));
    return name === s.name ? s : { ...s, name };
  });
  if (renamed.length)
    warn?.(t(lang, { key: "reading.xlsx.sheetNameClash", params: { names: renamed.join(", ") } }));
  return out;
}

/**
 * A drop-down list on the user's 手动阶段 Stage override column (SPEC §10), as the add-in adds
 * one: it restricts what is typed, it changes no value. A validation the user set there stays.
 */
function addStageOverrideList(wb: ExcelJS.Workbook, ref: CustomersTableRef, list: string[]): void {
  const ws = wb.getWorksheet(ref.sheet);
  if (!ws || ref.rowCount <= 0) return;
  const header = ws.getRow(ref.headerRow);
  const headers: string[] = [];
  for (let col = ref.firstColumn; col <= ws.columnCount; col++)
    headers.push(cellText(header.getCell(col)));
  let end = headers.indexOf("");
  if (end < 0) end = headers.length;
  const at = matchColumns(headers.slice(0, end), CUSTOMER_COLUMNS).stageOverride;
  if (at < 0) return;
  const col = ref.firstColumn + at;
  const first = ref.headerRow + 1;
  const last = ref.headerRow + ref.rowCount;
  const { model } = extras(ws).dataValidations;
  for (const key of Object.keys(model)) {
    const r = decodeRange(key);
    if (r.left <= col && col <= r.right && r.top <= last && r.bottom >= first) return;
  }
  extras(ws).dataValidations.add(rangeRef(first, col, last, col), listValidation(list));
}

/** The size in pixels of a chart's picture: the cells its sheet gives it. */
export function imageSize(c: ChartModel): { width: number; height: number } {
  return {
    width: Math.max(2, c.size.cols) * CELL_PX.width,
    height: Math.max(4, c.size.rows) * CELL_PX.height,
  };
}

async function renderCharts(charts: ChartModel[]): Promise<Map<ChartModel, ChartImage>> {
  const out = new Map<ChartModel, ChartImage>();
  await Promise.all(
    charts.map(async (c, i) => {
      try {
        const chart = await compileSpec(c.vegaLite, { ...imageSize(c), idPrefix: `x${i}-` });
        out.set(c, {
          png: await svgToPng(chart.svg, { scale: 2 }),
          width: chart.width,
          height: chart.height,
        });
      } catch (e) {
        out.set(c, { error: e instanceof Error ? e.message : String(e) });
      }
    }),
  );
  return out;
}
