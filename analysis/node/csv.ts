/**
 * CSV and delimited text → TableSource, without a string per cell: the file is decoded into
 * ONE string, its records are indexed by offset, and fields are offsets into it found when a
 * record is read, so number()/date() parse in place. Whole-column reads (scan) take all the
 * columns the cleaning needs in one pass over the text (csv-scan.ts); a large file's columns
 * are shared out between this thread and a worker (csv-parallel.ts). Quoted fields point
 * inside their quotes; only those containing "" are unescaped, on demand.
 *
 * Encoding: UTF-8 (BOM or not), UTF-16LE/BE with BOM, else — when the bytes are not valid
 * UTF-8 — GB18030 (a superset of GBK/GB2312, what Chinese Excel writes as "CSV").
 * Delimiter: comma, tab, semicolon or "|", whichever splits the sampled lines most
 * consistently; else runs of white space (CDNOW-style .txt). RFC 4180 quotes, CRLF or LF.
 * Row numbers are record numbers (equal to line numbers unless a quoted field spans lines).
 *
 * Besides the text, the reader keeps its char codes in a typed array (`Codes`): the file's own
 * bytes when it is ASCII (most exports), else the text's UTF-16 code units. Offsets are the
 * same in both, so records and fields are found with the text's indexOf (a native search) and
 * then read from the array: in V8 an element of a typed array is read about twice as fast as a
 * string's charCodeAt, and the hot loops (IDs, repeated dates, plain numbers) read every char.
 */
import type { Cell, TableSource, ValueOptions } from "../types.js";
import { locateHeaderRow } from "../headers.js";
import type { ColumnDictionary, ColumnJob, ColumnScans } from "../source.js";
import { isSpaceCode, parseDateText, parseNumberText, type Codes } from "../values.js";
import type { Delimiter, Records, ScanText } from "./csv-scan.js";
import {
  codesOf,
  Fields,
  fieldString,
  grow,
  memory,
  RowScanner,
  scanColumnsFor,
  splitQuoted,
  splitRecord,
  WHITESPACE,
} from "./csv-scan.js";
import { ScanHelper } from "./csv-parallel.js";

export { codesOf, WHITESPACE, type Codes, type Delimiter };

const hasUtf8Bom = (b: Uint8Array): boolean => b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;

/** Bytes → text by BOM, else strict UTF-8, else GB18030. */
export function decodeText(bytes: Uint8Array): string {
  const [a, b] = bytes;
  if (hasUtf8Bom(bytes)) return new TextDecoder("utf-8").decode(bytes.subarray(3));
  if (a === 0xff && b === 0xfe) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (a === 0xfe && b === 0xff) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("gb18030").decode(bytes);
  }
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
    .split(/\r?\n/)
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

class RecordsBuilder {
  start: Int32Array;
  end: Int32Array;
  quoted: Uint8Array;
  count = 0;

  /** `shared`: in shared memory (for the scan worker). */
  constructor(
    textLength: number,
    private readonly shared: boolean,
  ) {
    const guess = Math.max(16, textLength >> 5);
    this.start = new Int32Array(memory(guess * 4, shared));
    this.end = new Int32Array(memory(guess * 4, shared));
    this.quoted = new Uint8Array(memory(guess, shared));
  }

  add(start: number, end: number, quoted: boolean): void {
    if (this.count === this.start.length) {
      const n = this.count * 2;
      this.start = grow(this.start, n, this.shared);
      this.end = grow(this.end, n, this.shared);
      this.quoted = grow(this.quoted, n, this.shared);
    }
    this.start[this.count] = start;
    this.end[this.count] = end;
    if (quoted) this.quoted[this.count] = 1;
    this.count++;
  }

  done(): Records {
    return { start: this.start, end: this.end, quoted: this.quoted, count: this.count };
  }
}

/**
 * The records of delimited text `s` (char codes `u`; RFC 4180 quotes). Lines without a quote
 * are found with the string's indexOf (V8's native search: faster than any loop over the
 * codes), the next quote's position being cached, so the text is searched once for quotes; a
 * record with a quote is walked char by char, as its fields will be.
 */
function delimitedRecords(s: string, u: Codes, d: number, shared: boolean): Records {
  const out = new RecordsBuilder(s.length, shared);
  const n = s.length;
  let pos = 0;
  let nextQuote = -1;
  while (pos < n) {
    let nl = s.indexOf("\n", pos);
    if (nl < 0) nl = n;
    if (nextQuote < pos) {
      nextQuote = s.indexOf('"', pos);
      if (nextQuote < 0) nextQuote = n;
    }
    if (nextQuote < nl) {
      const end = splitQuoted(u, pos, d, null);
      out.add(pos, end, true);
      pos = end;
      if (pos < n) pos += u[pos] === 13 && u[pos + 1] === 10 ? 2 : 1;
      continue;
    }
    out.add(pos, nl > pos && u[nl - 1] === 13 ? nl - 1 : nl, false);
    pos = nl + 1;
  }
  return out.done();
}

/** Lines, for text split at runs of blanks (a line ends at LF, CR LF or CR; no quoting). */
function whitespaceRecords(u: Codes, shared: boolean): Records {
  const out = new RecordsBuilder(u.length, shared);
  const n = u.length;
  let pos = 0;
  while (pos < n) {
    let e = pos;
    while (e < n && u[e] !== 10 && u[e] !== 13) e++;
    out.add(pos, e, false);
    pos = e;
    if (pos < n && u[pos] === 13) pos++;
    if (pos < n && u[pos] === 10) pos++;
  }
  return out.done();
}

/**
 * A decoded delimited text as a TableSource: the rows after the located header row. No string
 * is made per cell: a record is split into field offsets when it is read, and whole-column
 * scans (scan) read all the columns asked for in one pass over the text.
 */
class CsvSource implements TableSource, ColumnScans {
  readonly headerRow: number;
  readonly firstColumn = 1;
  readonly headers: readonly string[];
  readonly rowCount: number;
  private readonly offset: number;
  private readonly view: ScanText;
  private readonly records: Records;
  /** The last record split by fieldsOf, and its fields. */
  private splitRecord = -1;
  private readonly fields = new Fields();

  constructor(
    readonly source: string,
    private readonly s: string,
    private readonly u: Codes,
    delimiter: Delimiter,
    /** A large text's scan worker (its records are then put in shared memory). */
    private readonly helper: ScanHelper | null = null,
  ) {
    const shared = helper !== null;
    this.records =
      delimiter === WHITESPACE
        ? whitespaceRecords(u, shared)
        : delimitedRecords(s, u, delimiter, shared);
    this.view = { s, base: 0, u, records: this.records, delimiter };
    const h = headerRecord(this);
    this.offset = h + 1;
    this.headerRow = h + 1;
    this.headers = this.recordTexts(h);
    this.rowCount = Math.max(0, this.records.count - h - 1);
  }

  get recordCount(): number {
    return this.records.count;
  }

  /** The fields of record `rec` (valid until the next call). */
  fieldsOf(rec: number): Fields {
    const f = this.fields;
    if (rec === this.splitRecord) return f;
    this.splitRecord = rec;
    f.count = 0;
    splitRecord(this.view, rec, f);
    return f;
  }

  /** Raw field text of (record, column), "" past the record's end (before the header is known). */
  rawText(rec: number, c: number): string {
    const f = this.fieldsOf(rec);
    return c < f.count ? fieldString(this.view, f, c) : "";
  }

  recordLength(rec: number): number {
    return this.fieldsOf(rec).count;
  }

  private recordTexts(rec: number): string[] {
    const out: string[] = [];
    for (let c = 0; rec >= 0 && rec < this.records.count && c < this.recordLength(rec); c++)
      out.push(this.rawText(rec, c).trim());
    return out;
  }

  /** The jobs in one pass over the rows (on two cores for a large text: csv-parallel.ts). */
  scan(jobs: readonly ColumnJob[]): (ColumnDictionary | Float64Array)[] {
    const n = this.rowCount;
    const shared = this.helper?.scan(this.view, this.offset, n, jobs);
    if (shared) return shared;
    const columns = scanColumnsFor(jobs, n, false);
    const tallies = jobs.map((j) => (j.kind === "dates" ? j.tally : undefined));
    const scanner = new RowScanner(this.view, this.offset, jobs, columns, tallies);
    scanner.rows(0, n);
    return scanner.results(columns);
  }

  private at(row: number, col: number): Fields | null {
    const f = this.fieldsOf(row + this.offset);
    return col < f.count ? f : null;
  }

  cell(row: number, col: number): Cell {
    const f = this.at(row, col);
    return f ? fieldString(this.view, f, col) : null;
  }

  isBlank(row: number, col: number): boolean {
    const f = this.at(row, col);
    if (!f) return true;
    const { u } = this;
    for (let i = f.starts[col], e = f.ends[col]; i < e; i++) if (!isSpaceCode(u[i])) return false;
    return true;
  }

  text(row: number, col: number): string {
    const f = this.at(row, col);
    if (!f) return "";
    if (f.escaped[col]) return fieldString(this.view, f, col).trim();
    const { s, u } = this;
    let i = f.starts[col];
    let e = f.ends[col];
    while (i < e && isSpaceCode(u[i])) i++;
    while (e > i && isSpaceCode(u[e - 1])) e--;
    return s.slice(i, e);
  }

  number(row: number, col: number, opts: ValueOptions): number {
    const f = this.at(row, col);
    if (!f) return NaN;
    if (f.escaped[col]) {
      const t = fieldString(this.view, f, col);
      return parseNumberText(t, 0, t.length, opts);
    }
    return parseNumberText(this.s, f.starts[col], f.ends[col], opts);
  }

  date(row: number, col: number, opts: ValueOptions): number {
    const f = this.at(row, col);
    if (!f) return NaN;
    if (f.escaped[col]) {
      const t = fieldString(this.view, f, col);
      return parseDateText(t, 0, t.length, opts);
    }
    return parseDateText(this.s, f.starts[col], f.ends[col], opts);
  }
}

/** The header record: the best match among the first 20 records, else the first non-blank one. */
function headerRecord(src: CsvSource): number {
  const sample: string[][] = [];
  for (let r = 0; r < src.recordCount && r < 20; r++) {
    const row: string[] = [];
    for (let c = 0; c < src.recordLength(r) && c < 200; c++) row.push(src.rawText(r, c));
    sample.push(row);
  }
  const h = locateHeaderRow(sample);
  if (h >= 0) return h;
  const firstNonBlank = sample.findIndex((row) => row.some((x) => x.trim() !== ""));
  return firstNonBlank >= 0 ? firstNonBlank : 0;
}

/** Read a CSV/TXT file's bytes as a table; `source` is the file name shown in messages. */
export function readCsv(bytes: Uint8Array, source: string): TableSource {
  const body = hasUtf8Bom(bytes) ? bytes.subarray(3) : bytes;
  ScanHelper.forText(bytes.length); // a large file's worker starts while the text is decoded
  return readCsvText(decodeText(bytes), source, undefined, body);
}

/** Same as readCsv for text already decoded (from `bytes`, when given: ASCII ones are reused). */
export function readCsvText(
  text: string,
  source: string,
  delimiter: Delimiter = detectDelimiter(text),
  bytes?: Uint8Array,
): TableSource {
  if (text.indexOf("\n") < 0 && text.indexOf("\r") >= 0) {
    text = text.replaceAll("\r", "\n"); // classic Mac line ends
    bytes = undefined;
  }
  // a large text is scanned on two cores: its codes are then put in shared memory
  const helper = ScanHelper.forText(text.length);
  return new CsvSource(source, text, codesOf(text, bytes, helper !== null), delimiter, helper);
}
