/**
 * TableSource over cell values as they come from Excel's `values` or exceljs (RawTable):
 * numbers in date columns are Excel serials in the given date system, Date objects are read
 * by their UTC fields, text goes through values.ts, booleans are never numbers and Excel
 * error texts ("#N/A") are unreadable.
 */
import type { Cell, RawTable, TableSource, ValueOptions } from "./types.js";
import { dayFromDate, excelSerialToDay, isoDay } from "./dates.js";
import type { DateOrderTally } from "./values.js";
import { parseDateText, parseNumberText, tallyDateText } from "./values.js";

/** A column dictionary-encoded: distinct trimmed texts in first-seen order, a code per row. */
export interface ColumnDictionary {
  /** Number of distinct keys. */
  size: number;
  /** Text of key k (made on demand: most keys of an order-ID column are never read). */
  key(k: number): string;
  /** Char code of key k at position i, NaN past its end (cheap prefix tests). */
  codeAt(k: number, i: number): number;
  /** Key code per row; -1 for a blank cell. */
  codes: Int32Array;
}

/**
 * Whole-column scans a TableSource may offer when it can do them faster than cell by cell
 * (the CSV reader works on text offsets). `columnDictionary`, `tallyColumnDates`,
 * `columnNumbers` and `columnDates` use them when present and fall back to the cell methods
 * otherwise; the results must equal the cell methods'.
 */
export interface ColumnScans {
  dictionary(col: number): ColumnDictionary;
  tallyDates(col: number, tally: DateOrderTally): void;
  /** number(r, col, opts) of every row. */
  numbers(col: number, opts: ValueOptions): Float64Array;
  /** date(r, col, opts) of every row; with `tally`, also tallyDates(col, tally) (one pass). */
  dates(col: number, opts: ValueOptions, tally?: DateOrderTally): Float64Array;
}

const hasScans = (src: TableSource): src is TableSource & ColumnScans =>
  typeof (src as Partial<ColumnScans>).dictionary === "function";

/** Dictionary encoding of a column's trimmed texts. */
export function columnDictionary(src: TableSource, col: number): ColumnDictionary {
  if (hasScans(src)) return src.dictionary(col);
  const index = new Map<string, number>();
  const keys: string[] = [];
  const codes = new Int32Array(src.rowCount);
  for (let r = 0; r < src.rowCount; r++) {
    const t = src.text(r, col);
    let k = t === "" ? -1 : index.get(t);
    if (k === undefined) index.set(t, (k = keys.push(t) - 1));
    codes[r] = k;
  }
  return {
    size: keys.length,
    key: (k) => keys[k],
    codeAt: (k, i) => (i < keys[k].length ? keys[k].charCodeAt(i) : NaN),
    codes,
  };
}

/** Adds every text cell of a column to a day/month order tally (numbers and Dates don't depend on it). */
export function tallyColumnDates(src: TableSource, col: number, tally: DateOrderTally): void {
  if (hasScans(src)) return src.tallyDates(col, tally);
  for (let r = 0; r < src.rowCount; r++) {
    const v = src.cell(r, col);
    if (typeof v === "string") tallyDateText(tally, v, 0, v.length);
  }
}

/** number() of every row of a column (NaN where unreadable). */
export function columnNumbers(src: TableSource, col: number, opts: ValueOptions): Float64Array {
  if (hasScans(src)) return src.numbers(col, opts);
  const out = new Float64Array(src.rowCount);
  for (let r = 0; r < out.length; r++) out[r] = src.number(r, col, opts);
  return out;
}

/**
 * date() of every row of a column (NaN where unreadable); with `tally`, the column's dates are
 * also added to it as tallyColumnDates does.
 */
export function columnDates(
  src: TableSource,
  col: number,
  opts: ValueOptions,
  tally?: DateOrderTally,
): Float64Array {
  if (hasScans(src)) return src.dates(col, opts, tally);
  if (tally) tallyColumnDates(src, col, tally);
  const out = new Float64Array(src.rowCount);
  for (let r = 0; r < out.length; r++) out[r] = src.date(r, col, opts);
  return out;
}

/** Trimmed text of a cell; numbers without grouping, booleans TRUE/FALSE, dates ISO. */
export function cellText(v: Cell): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v.trim();
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  return isoDay(dayFromDate(v));
}

export function cellNumber(v: Cell, opts: ValueOptions): number {
  if (typeof v === "number") return Number.isFinite(v) ? v : NaN;
  if (typeof v === "string") return parseNumberText(v, 0, v.length, opts);
  return NaN;
}

export function cellDate(v: Cell, opts: ValueOptions): number {
  if (typeof v === "number") return excelSerialToDay(v, opts.dateSystem);
  if (typeof v === "string") return parseDateText(v, 0, v.length, opts);
  if (v instanceof Date) return dayFromDate(v);
  return NaN;
}

/** A TableSource reading a RawTable (never mutated). */
export function cellSource(raw: RawTable): TableSource {
  const { rows } = raw;
  const at = (r: number, c: number): Cell => rows[r]?.[c];
  return {
    source: raw.source,
    headerRow: raw.headerRow,
    firstColumn: raw.firstColumn,
    headers: raw.headers,
    rowCount: rows.length,
    cell: at,
    isBlank: (r, c) => cellText(at(r, c)) === "",
    text: (r, c) => cellText(at(r, c)),
    number: (r, c, opts) => cellNumber(at(r, c), opts),
    date: (r, c, opts) => cellDate(at(r, c), opts),
  };
}
