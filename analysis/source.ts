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
  /**
   * The first two UTF-16 code units of every key, at 2k and 2k + 1 (0 past a key's end): for
   * prefix tests over all keys in one pass, without making their texts.
   */
  leading(): Uint16Array;
  /** Key code per row; -1 for a blank cell. */
  codes: Int32Array;
}

/** ColumnDictionary.leading from the keys' texts. */
export function leadingOf(size: number, key: (k: number) => string): Uint16Array {
  const out = new Uint16Array(2 * size);
  for (let k = 0; k < size; k++) {
    const t = key(k);
    out[2 * k] = t.length > 0 ? t.charCodeAt(0) : 0;
    out[2 * k + 1] = t.length > 1 ? t.charCodeAt(1) : 0;
  }
  return out;
}

/** A whole-column read: dictionary codes, number() of every row, or date() of every row. */
export type ColumnJob =
  | { kind: "dictionary"; col: number }
  | { kind: "numbers"; col: number; opts: ValueOptions }
  /** With `tally`, the day/month evidence of the column's text dates is also added to it. */
  | { kind: "dates"; col: number; opts: ValueOptions; tally?: DateOrderTally };

export type ColumnResult<J extends ColumnJob> = J extends { kind: "dictionary" }
  ? ColumnDictionary
  : Float64Array;

/**
 * Whole-column reads a TableSource may offer when it can do them faster than cell by cell
 * (the CSV reader does several columns in one pass over its text). scanColumns uses it when
 * present and the cell methods otherwise; the results must equal the cell methods'.
 */
export interface ColumnScans {
  scan(jobs: readonly ColumnJob[]): (ColumnDictionary | Float64Array)[];
}

/**
 * Something a reader noticed about a table (a guessed encoding) or one of its rows (a quote
 * never closed): a warning on Data issues. `row` is a row index like the cell methods' (−1: the
 * table as a whole), `col` a column index (−1: none).
 */
export interface SourceNotice {
  row: number;
  col: number;
  key: string;
  params?: Record<string, string | number>;
}

/** Readers that notice such things (the CSV reader) offer them here. */
export interface SourceNotices {
  notices(): SourceNotice[];
}

/** The source's notices, none when it offers none. */
export function sourceNotices(src: TableSource): SourceNotice[] {
  const n = (src as Partial<SourceNotices>).notices;
  return typeof n === "function" ? n.call(src) : [];
}

const hasScans = (src: TableSource): src is TableSource & ColumnScans =>
  typeof (src as Partial<ColumnScans>).scan === "function";

/** The jobs' results, in their order. */
export function scanColumns<const J extends readonly ColumnJob[]>(
  src: TableSource,
  jobs: J,
): { [K in keyof J]: ColumnResult<J[K]> } {
  const out = hasScans(src) ? src.scan(jobs) : jobs.map((j) => scanCells(src, j));
  return out as { [K in keyof J]: ColumnResult<J[K]> };
}

function scanCells(src: TableSource, job: ColumnJob): ColumnDictionary | Float64Array {
  const { col } = job;
  if (job.kind === "dictionary") {
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
      leading: () => leadingOf(keys.length, (k) => keys[k]),
      codes,
    };
  }
  const out = new Float64Array(src.rowCount);
  if (job.kind === "numbers") {
    for (let r = 0; r < out.length; r++) out[r] = src.number(r, col, job.opts);
    return out;
  }
  for (let r = 0; r < out.length; r++) {
    out[r] = src.date(r, col, job.opts);
    const v = job.tally && src.cell(r, col);
    if (typeof v === "string") tallyDateText(job.tally as DateOrderTally, v, 0, v.length);
  }
  return out;
}

/** Dictionary encoding of a column's trimmed texts. */
export function columnDictionary(src: TableSource, col: number): ColumnDictionary {
  return scanColumns(src, [{ kind: "dictionary", col }])[0];
}

/** number() of every row of a column (NaN where unreadable). */
export function columnNumbers(src: TableSource, col: number, opts: ValueOptions): Float64Array {
  return scanColumns(src, [{ kind: "numbers", col, opts }])[0];
}

/**
 * date() of every row of a column (NaN where unreadable); with `tally`, the day/month evidence
 * of its text cells (numbers and Dates don't depend on it) is also added to it.
 */
export function columnDates(
  src: TableSource,
  col: number,
  opts: ValueOptions,
  tally?: DateOrderTally,
): Float64Array {
  return scanColumns(src, [{ kind: "dates", col, opts, tally }])[0];
}

/** Trimmed text of a cell; numbers without grouping, booleans TRUE/FALSE, dates ISO. */
export function cellText(v: Cell): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v.trim();
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  const day = dayFromDate(v);
  if (day === day) return isoDay(day);
  // a Date outside years 1..9999 is no date to read, but not blank either: its own ISO text
  return Number.isFinite(v.getTime()) ? v.toISOString().split("T")[0] : "";
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
