/**
 * CSV and delimited text → TableSource, read from the text's UTF-8 bytes without a string per
 * cell (or for the file): records are found and fields split in the bytes (csv-scan.ts), so
 * number()/date() read a field's text only, and whole-column reads (scan) take all the
 * columns the cleaning needs in one walk over the bytes, which also indexes the records.
 * Quoted fields point inside their quotes; only those containing "" are unescaped, on demand.
 *
 * Encoding (encoding.ts): UTF-8 (BOM or not), UTF-16LE/BE (BOM, or NUL bytes in every other
 * position), else — when the bytes are not valid UTF-8 — GB18030 (a superset of GBK/GB2312,
 * what Chinese Excel writes as "CSV") when they look like Chinese, else Windows-1252; a guess is
 * a warning on Data issues. A file in UTF-8 is read as it is; the others are turned into UTF-8
 * once.
 * Delimiter: comma, tab, semicolon or "|", whichever splits the sampled lines most
 * consistently; else runs of white space (CDNOW-style .txt). RFC 4180 quotes; a record ends at
 * LF, CR LF or CR (classic Mac files). Row numbers are record numbers (equal to line numbers
 * unless a quoted field spans lines). A quote that is never closed swallows the rest of the
 * file into one cell, and one closed only by a stray quote far below swallows the lines
 * between: both are warnings naming the row where the quote opened (see quoteNotices).
 */
import type { Cell, TableSource, ValueOptions } from "../types.js";
import { locateHeaderRow } from "../headers.js";
import type {
  ColumnDictionary,
  ColumnJob,
  ColumnScans,
  SourceNotice,
  SourceNotices,
} from "../source.js";
import { parseDateText, parseNumberText } from "../values.js";
import type { Delimiter, ScanText } from "./csv-scan.js";
import {
  Fields,
  fieldString,
  isBlankRange,
  nextRecord,
  RecordIndex,
  RowScan,
  splitAt,
  stopBytes,
  textOf,
  trimEnd,
  trimStart,
  WHITESPACE,
} from "./csv-scan.js";
import { ScanHelper, shareable } from "./csv-parallel.js";
import { decodeBytes, type Decoded } from "./encoding.js";

export { WHITESPACE, type Delimiter };

/** Bytes → text in the encoding decodeBytes finds (encoding.ts). */
export function decodeText(bytes: Uint8Array): string {
  const u = decodeBytes(bytes).bytes;
  return textOf(u, 0, u.length);
}

/** The text of a file's bytes as UTF-8: the bytes themselves (without a BOM) when they are. */
export function utf8Bytes(bytes: Uint8Array): Buffer {
  return decodeBytes(bytes).bytes;
}

/** The warning about an encoding that was guessed, or none. */
function encodingNotice(d: Decoded, file: string): SourceNotice[] {
  if (!d.guessed) return [];
  const key = d.invalid > 0 ? "reading.invalidUtf8" : `reading.encodingGuessed.${d.encoding}`;
  return [{ row: -1, col: -1, key, params: { file, n: d.invalid } }];
}

const CANDIDATES = [44, 9, 59, 124]; // , tab ; |

/** Delimiters outside quotes on one line. */
function countOutsideQuotes(line: string, d: number): number {
  let n = 0;
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 34) q = !q;
    else if (c === d && !q) n++;
  }
  return n;
}

/**
 * The delimiter that gives the most sampled lines the same (non-zero) field count, provided
 * at least half the lines agree (a stray tab is not a delimiter); else white space when the
 * lines have inner blanks, else comma (one column).
 */
export function detectDelimiter(text: string, sampleLines = 20): Delimiter {
  const lines = text
    .slice(0, 65_536)
    .split(/\r?\n|\r/)
    .filter((l) => l.trim() !== "")
    .slice(0, sampleLines);
  let best = -1;
  let bestLines = 0;
  let bestCount = 0;
  for (const d of CANDIDATES) {
    const freq = new Map<number, number>();
    for (const l of lines) {
      const k = countOutsideQuotes(l, d);
      if (k > 0) freq.set(k, (freq.get(k) ?? 0) + 1);
    }
    for (const [count, nLines] of freq) {
      if (nLines > bestLines || (nLines === bestLines && count > bestCount)) {
        best = d;
        bestLines = nLines;
        bestCount = count;
      }
    }
  }
  if (best >= 0 && bestLines * 2 >= lines.length) return best;
  return lines.some((l) => /\S[ \t]+\S/.test(l)) ? WHITESPACE : 44;
}

/** Records read to find the header row. */
const HEADER_SAMPLE = 20;

/**
 * A delimited text as a TableSource: the rows after the located header row. No string is made
 * per cell: a record is split into field offsets when it is read, and whole-column scans
 * (scan) read all the columns asked for in one walk over the bytes. The record index is built
 * by the first scan, or by a walk of its own when a row is asked for before any scan.
 */
class CsvSource implements TableSource, ColumnScans, SourceNotices {
  readonly headerRow: number;
  readonly firstColumn = 1;
  readonly headers: readonly string[];
  private readonly scanText: ScanText;
  private readonly records = new RecordIndex();
  /** Records before the rows: the header and any title lines above it. */
  private readonly offset: number;
  /** Records indexed before the rows (offset, or none in an empty text). */
  private readonly before: number;
  /** Where the first row's record starts. */
  private readonly rowsStart: number;
  private indexed = false;
  /** Some field of the rows was quoted (known once the rows are indexed). */
  private quoted = false;
  /** The last record split by fieldsOf, and its fields. */
  private splitRecord = -1;
  private readonly fields = new Fields();
  /** Bytes per record among the first ones: the scan's guess of the row count. */
  private readonly recordBytes: number;

  constructor(
    readonly source: string,
    private readonly u: Buffer,
    delimiter: Delimiter,
    /** What reading the file found (a guessed encoding); the quotes' are added when asked. */
    private readonly notes: SourceNotice[] = [],
  ) {
    this.scanText = { u, delimiter, stop: stopBytes(delimiter) };
    const sample = this.sampleRecords();
    const h = headerRecord(sample);
    this.offset = h + 1;
    this.headerRow = h + 1;
    this.headers = (sample[h] ?? []).map((x) => x.trim());
    this.records.count = this.before = Math.min(this.records.count, h + 1);
    this.rowsStart = this.records.count > h ? this.endOf(h) : u.length;
    // no rows after the header: a quote in it may have swallowed them (see notices)
    if (this.rowsStart >= u.length) this.indexed = this.quoted = true;
    this.recordBytes = sample.length > 0 ? this.endOf(sample.length - 1) / sample.length : 1;
  }

  /** The texts of the first records (at most 200 fields each), indexing them. */
  private sampleRecords(): string[][] {
    const { u } = this;
    const out: string[][] = [];
    for (let pos = 0; pos < u.length && out.length < HEADER_SAMPLE;) {
      this.records.add(pos);
      const f = this.fieldsOf(out.length);
      out.push(Array.from({ length: Math.min(f.count, 200) }, (_, c) => fieldString(u, f, c)));
      pos = this.endOf(out.length - 1);
    }
    return out;
  }

  /** Where the record after record `rec` starts. */
  private endOf(rec: number): number {
    const f = new Fields();
    return nextRecord(this.u, splitAt(this.scanText, this.records.start[rec], f));
  }

  /** The records, all of them indexed. */
  private index(): RecordIndex {
    if (!this.indexed) this.scan([]);
    return this.records;
  }

  get rowCount(): number {
    return Math.max(0, this.index().count - this.offset);
  }

  /** The fields of record `rec` (valid until the next call). */
  private fieldsOf(rec: number): Fields {
    const f = this.fields;
    if (rec === this.splitRecord) return f;
    this.splitRecord = rec;
    f.count = 0;
    splitAt(this.scanText, this.records.start[rec], f);
    return f;
  }

  /**
   * The jobs in one walk over the rows, which indexes the records too; a large text's second
   * half of the rows on the scan worker (csv-parallel.ts).
   */
  scan(jobs: readonly ColumnJob[]): (ColumnDictionary | Float64Array)[] {
    const { records, u, rowsStart } = this;
    const n = u.length;
    records.count = this.before;
    const guess = Math.ceil(((n - rowsStart) / this.recordBytes) * 1.1) + 16;
    const scan = new RowScan(this.scanText, jobs, guess);
    const shared = u.buffer instanceof SharedArrayBuffer;
    const helper = jobs.length > 0 && shared ? ScanHelper.forText(n) : null;
    const asked = helper
      ? helper.post(u, this.scanText.delimiter, rowsStart, jobs, guess >> 1)
      : null;
    const pos = scan.walk(rowsStart, asked ? asked.split : n, records);
    // the worker's rows when its first record is where this walk stopped (see csv-parallel.ts)
    const part = asked && pos === asked.split ? helper?.receive(asked.task, n) : null;
    if (part) scan.append(part, records);
    else scan.walk(pos, n, records);
    this.indexed = true;
    this.quoted = scan.quoted;
    this.splitRecord = -1;
    return scan.results();
  }

  /** The reader's warnings: a guessed encoding, quotes that swallow lines (see quoteNotices). */
  notices(): SourceNotice[] {
    const records = this.index();
    // no quoted field among the rows (the usual export): no quote can swallow a line
    if (!this.quoted) return this.notes;
    return [...this.notes, ...quoteNotices(this.u, this.scanText, records, this.offset)];
  }

  private at(row: number, col: number): Fields | null {
    if (row < 0 || row >= this.rowCount) return null;
    const f = this.fieldsOf(row + this.offset);
    return col < f.count ? f : null;
  }

  cell(row: number, col: number): Cell {
    const f = this.at(row, col);
    return f ? fieldString(this.u, f, col) : null;
  }

  isBlank(row: number, col: number): boolean {
    const f = this.at(row, col);
    return !f || isBlankRange(this.u, f.starts[col], f.ends[col]);
  }

  text(row: number, col: number): string {
    const f = this.at(row, col);
    if (!f) return "";
    if (f.escaped[col]) return fieldString(this.u, f, col).trim();
    const { u } = this;
    const a = trimStart(u, f.starts[col], f.ends[col]);
    return textOf(u, a, trimEnd(u, a, f.ends[col]));
  }

  number(row: number, col: number, opts: ValueOptions): number {
    const f = this.at(row, col);
    if (!f) return NaN;
    const t = fieldString(this.u, f, col);
    return parseNumberText(t, 0, t.length, opts);
  }

  date(row: number, col: number, opts: ValueOptions): number {
    const f = this.at(row, col);
    if (!f) return NaN;
    const t = fieldString(this.u, f, col);
    return parseDateText(t, 0, t.length, opts);
  }
}

/** A quoted field over more lines than this is taken for a quote that was not closed. */
export const MAX_QUOTED_LINES = 20;
/**
 * Records longer than this many bytes are looked at for quoted fields that swallow lines: more
 * than MAX_QUOTED_LINES swallowed rows take at least this many (a row has an ID, a date and an
 * amount).
 */
const LONG_RECORD = 10 * MAX_QUOTED_LINES;

/**
 * Warnings about quoted fields that swallow lines: one that is never closed (it runs to the
 * end of the text) and one over more than MAX_QUOTED_LINES lines (closed only by a stray quote
 * far below). Read from the record index: only a record longer than LONG_RECORD bytes with a
 * line break inside (or the last record) can hold one, so a normal file costs a pass over the
 * record starts, and a file of wide rows a memchr over each.
 */
function quoteNotices(
  u: Buffer,
  t: ScanText,
  records: RecordIndex,
  offset: number,
): SourceNotice[] {
  const out: SourceNotice[] = [];
  const { start, count } = records;
  const n = u.length;
  const f = new Fields();
  // the byte records end with: LF (LF or CR LF files), or CR in a classic Mac file
  const nl = count > 1 && u[start[1] - 1] === 13 ? 13 : 10;
  for (let r = 0; r < count; r++) {
    const end = r + 1 < count ? start[r + 1] : n;
    if (r + 1 < count) {
      if (end - start[r] <= LONG_RECORD) continue;
      const inner = u.indexOf(nl, start[r]); // at most its own line break away
      if (inner < 0 || inner >= end - 1) continue;
    }
    f.count = 0;
    splitAt(t, start[r], f);
    for (let c = 0; c < f.count; c++) {
      const a = f.starts[c];
      if (a === 0 || u[a - 1] !== 34 || t.delimiter === WHITESPACE) continue; // not quoted
      const open = f.ends[c] === n; // no closing quote: the field runs to the end
      // lines swallowed: the line breaks inside, but for the file's own last one
      const last = open && (u[n - 1] === 10 || u[n - 1] === 13) ? 1 : 0;
      const lines = lineBreaks(u, a, f.ends[c]) - last;
      if (!open && lines <= MAX_QUOTED_LINES) continue;
      out.push({
        row: r - offset,
        col: c,
        key: open ? "reading.unclosedQuote" : "reading.longQuote",
        params: { lines, line: lineBreaks(u, 0, a) + 1 },
      });
    }
  }
  return out;
}

/** Line breaks (LF, CR LF or a lone CR) in u[a, b). */
function lineBreaks(u: Buffer, a: number, b: number): number {
  let k = 0;
  for (let i = a; i < b; i++) {
    const c = u[i];
    if (c === 10 || (c === 13 && u[i + 1] !== 10)) k++;
  }
  return k;
}

/** The header record: the best match among the sampled records, else the first non-blank one. */
function headerRecord(sample: string[][]): number {
  const h = locateHeaderRow(sample);
  if (h >= 0) return h;
  const firstNonBlank = sample.findIndex((row) => row.some((x) => x.trim() !== ""));
  return firstNonBlank >= 0 ? firstNonBlank : 0;
}

/** The delimiter of UTF-8 bytes, from their first 64 KB. */
const delimiterOf = (u: Buffer): Delimiter =>
  detectDelimiter(textOf(u, 0, Math.min(u.length, 65_536)));

/** Read a CSV/TXT file's bytes as a table; `source` is the file name shown in messages. */
export function readCsv(bytes: Uint8Array, source: string): TableSource {
  ScanHelper.forText(bytes.length); // a large file's worker starts while the bytes are checked
  const decoded = decodeBytes(bytes);
  const u = shareable(decoded.bytes);
  return new CsvSource(source, u, delimiterOf(u), encodingNotice(decoded, source));
}

/** Same as readCsv for text already decoded. */
export function readCsvText(
  text: string,
  source: string,
  delimiter: Delimiter = detectDelimiter(text),
): TableSource {
  return new CsvSource(source, shareable(Buffer.from(text, "utf8")), delimiter);
}
