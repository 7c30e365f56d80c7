/**
 * Reading an .xlsx workbook with exceljs into RawTables: Excel tables (ListObjects) where a
 * sheet has them, else the sheet's used range under its located header row. Cell values
 * are normalised to the Cell type: rich text → text, formula → its cached result,
 * hyperlink → its text, error → "#N/A"-style text, dates stay Dates (exceljs already applied
 * the workbook's 1900/1904 flag to date-formatted cells; `date1904` is returned for the
 * plain serial numbers it leaves alone).
 */
import type ExcelJS from "exceljs";
import { excelLibrary } from "./libraries.js";
import type { Cell, RawTable } from "../types.js";
import type { TableKind } from "../headers.js";
import { classifyTable, kindByName, locateHeaderRow, normaliseName } from "../headers.js";
import { OWNED_SHEETS } from "../workbook.js";
import { cellText } from "../source.js";
import { UnusableInputError } from "../errors.js";
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { checkWorkbookSize } from "./xlsx-guard.js";
import { brokenSharedString, mendExcelCells, withoutExcelWarnings } from "./xlsx-cells.js";

export interface WorkbookTable {
  /** Excel table name, null for a plain range. */
  name: string | null;
  raw: RawTable;
  kind: TableKind | null;
}

export interface WorkbookSheet {
  name: string;
  tables: WorkbookTable[];
}

export interface ReadWorkbook {
  sheets: WorkbookSheet[];
  /** The workbook uses the 1904 date system. */
  date1904: boolean;
  /** The loaded workbook itself (read, not changed), for writing analysis.xlsx from it. */
  workbook: ExcelJS.Workbook;
}

/**
 * Load and read every sheet. `name` names the file in messages (its base name; a path given as
 * `input` names itself). Throws UnusableInputError when the file is not a readable .xlsx: not
 * a ZIP package, larger than the stated limits once decompressed (checked before exceljs
 * inflates anything, see xlsx-guard.ts), damaged, with a table whose range is not a range, or
 * with a cell that refers to text the file does not hold.
 */
export async function readWorkbook(
  input: string | Uint8Array | ArrayBuffer,
  name?: string,
): Promise<ReadWorkbook> {
  const file = name ?? (typeof input === "string" ? basename(input) : "workbook.xlsx");
  const bytes =
    typeof input === "string"
      ? await readFile(input)
      : input instanceof Uint8Array
        ? Buffer.from(input.buffer, input.byteOffset, input.byteLength)
        : Buffer.from(input);
  await checkWorkbookSize(bytes, file);
  mendExcelCells();
  const wb = new (await excelLibrary()).Workbook();
  try {
    await withoutExcelWarnings(() => wb.xlsx.load(bytes as never));
  } catch {
    // exceljs's own words ("Cannot set properties of undefined (setting 'sheetNo')") say
    // nothing to the user: the package holds parts exceljs cannot make sense of.
    throw new UnusableInputError({ key: "reading.damagedWorkbook", params: { file } });
  }
  const sheets = wb.worksheets.map((ws) => readSheet(ws, file));
  return {
    sheets,
    date1904: Boolean((wb.properties as { date1904?: boolean } | undefined)?.date1904),
    workbook: wb,
  };
}

/** exceljs cell value → Cell. */
export function normaliseCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean" || v instanceof Date)
    return v;
  if (typeof v !== "object") return null;
  const o = v as Record<string, unknown>;
  if (Array.isArray(o.richText))
    return (o.richText as { text?: string }[]).map((r) => r.text ?? "").join("");
  if ("error" in o) return String(o.error);
  if ("formula" in o || "sharedFormula" in o) return normaliseCell(o.result);
  if ("hyperlink" in o || "text" in o) return normaliseCell(o.text);
  return null;
}

function readSheet(ws: ExcelJS.Worksheet, file: string): WorkbookSheet {
  const grid = sheetGrid(ws, file);
  const tables = ws.getTables() as unknown as { table: ListObjectModel }[];
  const out: WorkbookTable[] =
    tables.length > 0
      ? tables.map(({ table }) => listObject(ws.name, table, grid, file))
      : usedRange(ws.name, grid);
  return { name: ws.name, tables: out };
}

interface ListObjectModel {
  name: string;
  tableRef?: string;
  ref?: string;
  headerRow?: boolean;
  totalsRow?: boolean;
  columns: { name: string }[];
}

/** Sheet cells as rows (0-based arrays over 1-based sheet rows/columns: grid[r][c]). */
function sheetGrid(ws: ExcelJS.Worksheet, file: string): Cell[][] {
  const grid: Cell[][] = [];
  ws.eachRow({ includeEmpty: false }, (row, r) => {
    const cells: Cell[] = [];
    row.eachCell({ includeEmpty: false }, (cell, c) => {
      const bad = brokenSharedString(cell.value);
      if (bad)
        throw new UnusableInputError({
          key: "reading.badSharedString",
          params: { file, sheet: ws.name, cell: cell.address, index: bad.index, count: bad.count },
        });
      cells[c] = normaliseCell(cell.value);
    });
    grid[r] = cells;
  });
  return grid;
}

/** Excel's last column (XFD) and row: "Excel specifications and limits". */
const MAX_COLUMN = 16_384;
const MAX_ROW = 1_048_576;

/** "B3:E50" → 1-based corners; null when it is not a range of cells within Excel's grid. */
export function decodeRange(
  ref: string,
): { top: number; left: number; bottom: number; right: number } | null {
  const m = /^\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?$/i.exec(ref.trim());
  if (!m) return null;
  const col = (s: string): number =>
    [...s.toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  const r = { top: +m[2], left: col(m[1]), bottom: +(m[4] ?? m[2]), right: col(m[3] ?? m[1]) };
  const ok = (row: number, c: number) => row >= 1 && row <= MAX_ROW && c >= 1 && c <= MAX_COLUMN;
  if (!ok(r.top, r.left) || !ok(r.bottom, r.right) || r.top > r.bottom || r.left > r.right)
    return null;
  return r;
}

function slice(grid: Cell[][], top: number, bottom: number, left: number, right: number): Cell[][] {
  const rows: Cell[][] = [];
  for (let r = top; r <= bottom; r++) {
    const src = grid[r] ?? [];
    const row: Cell[] = [];
    for (let c = left; c <= right; c++) row.push(src[c] ?? null);
    rows.push(row);
  }
  return rows;
}

function listObject(
  sheet: string,
  t: ListObjectModel,
  grid: Cell[][],
  file: string,
): WorkbookTable {
  const ref = t.tableRef ?? t.ref ?? "";
  const range = decodeRange(ref);
  if (!range)
    throw new UnusableInputError({
      key: "reading.badTableRef",
      params: { file, sheet, table: t.name ?? "", ref },
    });
  const { top, left, bottom, right } = range;
  const hasHeader = t.headerRow !== false;
  const last = t.totalsRow ? bottom - 1 : bottom;
  const headers = hasHeader
    ? slice(grid, top, top, left, right)[0].map((c, i) => cellText(c) || (t.columns[i]?.name ?? ""))
    : t.columns.map((c) => c.name);
  const first = hasHeader ? top + 1 : top;
  const raw: RawTable = {
    source: sheet,
    headerRow: hasHeader ? top : top - 1,
    firstColumn: left,
    headers,
    rows: slice(grid, first, last, left, right),
  };
  return { name: t.name, raw, kind: classifyTable(t.name, sheet, headers) };
}

/** The used range as one table: header row located (a title row above it is skipped). */
function usedRange(sheet: string, grid: Cell[][]): WorkbookTable[] {
  const top = grid.findIndex((row) => row !== undefined && row.some((c) => cellText(c) !== ""));
  if (top < 0) return [];
  let left = Infinity;
  let right = 0;
  for (let r = top; r < grid.length; r++) {
    (grid[r] ?? []).forEach((c, i) => {
      if (cellText(c) === "") return;
      left = Math.min(left, i);
      right = Math.max(right, i);
    });
  }
  const rows = slice(grid, top, grid.length - 1, left, right);
  const found = locateHeaderRow(rows);
  const h = found >= 0 ? found : 0;
  const headers = rows[h].map(cellText);
  const data = rows.slice(h + 1);
  while (data.length > 0 && data[data.length - 1].every((c) => cellText(c) === "")) data.pop();
  const raw: RawTable = {
    source: sheet,
    headerRow: top + h,
    firstColumn: left,
    headers,
    rows: data,
  };
  return [{ name: null, raw, kind: classifyTable(null, sheet, headers) }];
}

/** Names of the sheets the add-in owns, folded for comparison. */
const OWNED = new Set(
  Object.values(OWNED_SHEETS).flatMap((s) => [normaliseName(s.zh), normaliseName(s.en)]),
);

export interface InputTables {
  orders: RawTable | null;
  customers: RawTable | null;
  interactions: RawTable | null;
  settings: RawTable | null;
  history: RawTable | null;
}

/**
 * The tables to analyse: for each kind the table whose name says so, else whose sheet name
 * says so, else whose headers match (first in sheet order). Owned sheets (分析 Analysis,
 * 数据问题 Data issues …) are never input, except 设置 Settings and 阶段历史 Stage history.
 */
export function pickInputTables(wb: ReadWorkbook): InputTables {
  const best: Record<TableKind, { raw: RawTable; strength: number } | null> = {
    orders: null,
    customers: null,
    interactions: null,
    settings: null,
    history: null,
  };
  for (const sheet of wb.sheets) {
    const owned = OWNED.has(normaliseName(sheet.name));
    for (const t of sheet.tables) {
      const kind = owned ? kindByName(sheet.name) : t.kind;
      if (!kind || (owned && kind !== "settings" && kind !== "history")) continue;
      if (!owned && (kind === "settings" || kind === "history")) continue;
      const strength = kindByName(t.name) ? 3 : kindByName(sheet.name) ? 2 : 1;
      const cur = best[kind];
      if (!cur || strength > cur.strength) best[kind] = { raw: t.raw, strength };
    }
  }
  return {
    orders: best.orders?.raw ?? null,
    customers: best.customers?.raw ?? null,
    interactions: best.interactions?.raw ?? null,
    settings: best.settings?.raw ?? null,
    history: best.history?.raw ?? null,
  };
}
