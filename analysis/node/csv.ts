/**
 * CSV and delimited text → TableSource, without a string per cell: the file is decoded into
 * ONE string and each field is a pair of offsets (Int32Array), so number()/date() parse in
 * place. Quoted fields point inside their quotes; only those containing "" are unescaped,
 * on demand.
 *
 * Encoding: UTF-8 (BOM or not), UTF-16LE/BE with BOM, else — when the bytes are not valid
 * UTF-8 — GB18030 (a superset of GBK/GB2312, what Chinese Excel writes as "CSV").
 * Delimiter: comma, tab, semicolon or "|", whichever splits the sampled lines most
 * consistently; else runs of white space (CDNOW-style .txt). RFC 4180 quotes, CRLF or LF.
 * Row numbers are record numbers (equal to line numbers unless a quoted field spans lines).
 */
import type { Cell, TableSource, ValueOptions } from "../types.js";
import { locateHeaderRow } from "../headers.js";
import type { ColumnDictionary, ColumnScans } from "../source.js";
import type { DateOrderTally } from "../values.js";
import {
  isSpaceCode,
  newDateOrderTally,
  parseDateText,
  parseNumberText,
  tallyDateText,
} from "../values.js";

/** Bytes → text by BOM, else strict UTF-8, else GB18030. */
export function decodeText(bytes: Uint8Array): string {
  const [a, b, c] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf)
    return new TextDecoder("utf-8").decode(bytes.subarray(3));
  if (a === 0xff && b === 0xfe) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (a === 0xfe && b === 0xff) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("gb18030").decode(bytes);
  }
}

/** Char code of the delimiter, or 32 for "runs of white space". */
export type Delimiter = number;
export const WHITESPACE: Delimiter = 32;
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

/** Field offsets of the whole file; fields of record r are first[r] .. first[r+1]-1. */
interface Grid {
  starts: Int32Array;
  ends: Int32Array;
  /** Bit per field: 1 when the quoted field contains "" and must be unescaped. */
  escaped: Uint8Array;
  first: Int32Array;
  records: number;
}

class GridBuilder {
  starts: Int32Array;
  ends: Int32Array;
  escaped: Uint8Array;
  first: Int32Array;
  fields = 0;
  records = 0;

  constructor(textLength: number) {
    const guess = Math.max(64, textLength >> 3);
    this.starts = new Int32Array(guess);
    this.ends = new Int32Array(guess);
    this.escaped = new Uint8Array(guess);
    this.first = new Int32Array(Math.max(16, guess >> 2));
  }

  field(start: number, end: number, escaped: boolean): void {
    if (this.fields === this.starts.length) this.growFields();
    this.starts[this.fields] = start;
    this.ends[this.fields] = end;
    if (escaped) this.escaped[this.fields] = 1;
    this.fields++;
  }

  record(): void {
    if (this.records + 1 >= this.first.length) this.first = grow(this.first, this.first.length * 2);
    this.first[this.records++] = this.fields;
  }

  private growFields(): void {
    const n = this.starts.length * 2;
    this.starts = grow(this.starts, n);
    this.ends = grow(this.ends, n);
    const e = new Uint8Array(n);
    e.set(this.escaped);
    this.escaped = e;
  }

  done(): Grid {
    this.first[this.records] = this.fields;
    return {
      starts: this.starts,
      ends: this.ends,
      escaped: this.escaped,
      first: this.first,
      records: this.records,
    };
  }
}

function grow(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

/**
 * Splits delimited text (RFC 4180 quotes) into field offsets. Lines without a quote take a
 * fast path on indexOf (the next newline, delimiter and quote positions are cached, so the
 * whole file is searched once for each); records with quotes go character by character.
 */
function scanDelimited(s: string, d: number): Grid {
  const g = new GridBuilder(s.length);
  const n = s.length;
  const dc = String.fromCharCode(d);
  let pos = 0;
  let nextQuote = -1;
  let nextDelim = -1;
  while (pos < n) {
    let nl = s.indexOf("\n", pos);
    if (nl < 0) nl = n;
    if (nextQuote < pos) nextQuote = indexOrEnd(s, '"', pos);
    if (nextQuote < nl) {
      pos = scanQuotedRecord(s, pos, d, g);
      continue;
    }
    const lineEnd = nl > pos && s.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    g.record();
    let p = pos;
    for (;;) {
      if (nextDelim < p) nextDelim = indexOrEnd(s, dc, p);
      if (nextDelim >= lineEnd) break;
      g.field(p, nextDelim, false);
      p = nextDelim + 1;
    }
    g.field(p, lineEnd, false);
    pos = nl + 1;
  }
  return g.done();
}

function indexOrEnd(s: string, x: string, from: number): number {
  const i = s.indexOf(x, from);
  return i < 0 ? s.length : i;
}

/** One record that contains quotes, character by character; returns the next record's start. */
function scanQuotedRecord(s: string, pos: number, d: number, g: GridBuilder): number {
  const n = s.length;
  g.record();
  for (;;) {
    let start = pos;
    let end: number;
    let esc = false;
    if (s.charCodeAt(pos) === 34) {
      start = ++pos;
      for (;;) {
        const q = s.indexOf('"', pos);
        if (q < 0) {
          end = pos = n;
          break;
        }
        if (s.charCodeAt(q + 1) === 34) {
          esc = true;
          pos = q + 2;
          continue;
        }
        end = q;
        pos = q + 1;
        break;
      }
      pos = fieldEnd(s, pos, d); // stray text after the closing quote is ignored
    } else {
      end = pos = fieldEnd(s, pos, d);
    }
    g.field(start, end, esc);
    if (pos >= n) return n;
    const c = s.charCodeAt(pos++);
    if (c === d) continue;
    if (c === 13 && s.charCodeAt(pos) === 10) pos++;
    return pos;
  }
}

/** Position of the next delimiter, CR or LF from pos (or the end). */
function fieldEnd(s: string, pos: number, d: number): number {
  const n = s.length;
  while (pos < n) {
    const c = s.charCodeAt(pos);
    if (c === d || c === 10 || c === 13) break;
    pos++;
  }
  return pos;
}

/** Splits lines into fields at runs of spaces and tabs (no quoting). */
function scanWhitespace(s: string): Grid {
  const g = new GridBuilder(s.length);
  const n = s.length;
  let pos = 0;
  while (pos < n) {
    g.record();
    for (;;) {
      while (pos < n && (s.charCodeAt(pos) === 32 || s.charCodeAt(pos) === 9)) pos++;
      if (pos >= n || s.charCodeAt(pos) === 10 || s.charCodeAt(pos) === 13) break;
      const start = pos;
      while (pos < n) {
        const c = s.charCodeAt(pos);
        if (c === 32 || c === 9 || c === 10 || c === 13) break;
        pos++;
      }
      g.field(start, pos, false);
    }
    if (pos < n && s.charCodeAt(pos) === 13) pos++;
    if (pos < n && s.charCodeAt(pos) === 10) pos++;
  }
  return g.done();
}

/**
 * FNV-1a over s[a, b), then murmur3's finaliser: FNV's low bits are weak for digit-only IDs,
 * and linear probing turns weak low bits into long probe chains.
 */
function hashRange(s: string, a: number, b: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = a; i < b; i++) h = Math.imul(h ^ s.charCodeAt(i), 16_777_619);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Open-addressing hash set of strings, looked up by (string, start, end) without slicing.
 * A slot is 8 bytes, [hash, arena position + 1], so the table stays small enough to be
 * cache-friendly (a column of 700,000 distinct order IDs fits in 16 MB). When the 32-bit
 * hashes agree the key's text is compared exactly, against a packed copy of the keys (`arena`:
 * per key its length, its code as two 16-bit halves, then its char codes, so a lookup reads
 * one place) rather than the file text: a customer column hits its keys on almost every row,
 * and reading the 40 MB file text at each key's first occurrence would be a cache miss per row.
 * Keys are not made into strings here: `key(k)` slices one on demand (an order-ID column
 * has hundreds of thousands of keys that nothing ever reads as text).
 */
class Interner {
  size = 0;
  /** Per key: its start in `base`, or −1 with the text in `own` (unescaped quoted fields). */
  private starts: Int32Array;
  private lengths: Int32Array;
  private arena: Uint16Array;
  private used = 0;
  private readonly own = new Map<number, string>();
  private slots: Int32Array;
  private mask: number;

  /** `expected`: a guess of the number of keys (the table grows as needed). */
  constructor(
    private readonly base: string,
    expected: number,
  ) {
    let size = 1024;
    while (size < expected * 2 && size < 1 << 24) size *= 2;
    this.slots = new Int32Array(size * 2);
    this.mask = size - 1;
    this.starts = new Int32Array(Math.max(16, expected));
    this.lengths = new Int32Array(Math.max(16, expected));
    this.arena = new Uint16Array(Math.max(256, expected * 14));
  }

  key(k: number): string {
    const a = this.starts[k];
    return a < 0 ? (this.own.get(k) as string) : this.base.slice(a, a + this.lengths[k]);
  }

  /** Char code of key k at position i (NaN past its end). */
  codeAt(k: number, i: number): number {
    if (i >= this.lengths[k]) return NaN;
    const a = this.starts[k];
    return a < 0 ? (this.own.get(k) as string).charCodeAt(i) : this.base.charCodeAt(a + i);
  }

  /** Code of the key str[a, b), added when new. */
  add(str: string, a: number, b: number): number {
    const h = hashRange(str, a, b);
    const { slots, mask, arena } = this;
    const n = b - a;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const p1 = slots[2 * slot + 1];
      if (p1 === 0) return this.insert(slot, h, str, a, b);
      if (slots[2 * slot] !== h) continue;
      const p = p1 - 1;
      const k = arena[p + 1] | (arena[p + 2] << 16);
      // the arena holds lengths up to 0xffff; longer keys check their full length
      if (arena[p] !== Math.min(n, 0xffff) || (n >= 0xffff && this.lengths[k] !== n)) continue;
      let i = 0;
      while (i < n && arena[p + 3 + i] === str.charCodeAt(a + i)) i++;
      if (i === n) return k;
    }
  }

  private insert(slot: number, h: number, str: string, a: number, b: number): number {
    const k = this.size++;
    if (k === this.starts.length) {
      this.starts = grow(this.starts, k * 2);
      this.lengths = grow(this.lengths, k * 2);
    }
    const need = this.used + 3 + (b - a);
    if (need > this.arena.length) {
      const bigger = new Uint16Array(Math.max(this.arena.length * 2, need));
      bigger.set(this.arena);
      this.arena = bigger;
    }
    const { arena } = this;
    let u = this.used;
    this.slots[2 * slot] = h;
    this.slots[2 * slot + 1] = u + 1;
    arena[u++] = Math.min(b - a, 0xffff);
    arena[u++] = k & 0xffff;
    arena[u++] = k >>> 16;
    for (let i = a; i < b; i++) arena[u++] = str.charCodeAt(i);
    this.used = u;
    const inBase = str === this.base;
    this.starts[k] = inBase ? a : -1;
    this.lengths[k] = b - a;
    if (!inBase) this.own.set(k, str.slice(a, b));
    if (this.size * 2 > this.mask) this.rehash();
    return k;
  }

  private rehash(): void {
    const old = this.slots;
    const size = (this.mask + 1) * 2;
    const slots = new Int32Array(size * 2);
    const mask = size - 1;
    for (let o = 0; o < old.length; o += 2) {
      if (old[o + 1] === 0) continue;
      let slot = old[o] & mask;
      while (slots[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
      slots[2 * slot] = old[o];
      slots[2 * slot + 1] = old[o + 1];
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/**
 * s[a, a+n) equals s[b, b+n) (line items repeat the previous row's IDs and dates: checked
 * before hashing or parsing). Compared from the end: consecutive IDs and dates usually differ
 * in their last characters, so a mismatch is found at once.
 */
function sameRange(s: string, a: number, b: number, n: number): boolean {
  for (let i = n - 1; i >= 0; i--) if (s.charCodeAt(a + i) !== s.charCodeAt(b + i)) return false;
  return true;
}

/** A decoded delimited text as a TableSource (rows after the located header row). */
class CsvSource implements TableSource, ColumnScans {
  readonly headerRow: number;
  readonly firstColumn = 1;
  readonly headers: readonly string[];
  readonly rowCount: number;
  private readonly offset: number;

  constructor(
    readonly source: string,
    private readonly s: string,
    private readonly g: Grid,
  ) {
    const h = headerRecord(this);
    this.offset = h + 1;
    this.headerRow = h + 1;
    this.headers = this.recordTexts(h);
    this.rowCount = Math.max(0, g.records - h - 1);
  }

  /** Field index of (record, column), -1 when the record is shorter. */
  private at(rec: number, c: number): number {
    const a = this.g.first[rec];
    return c < this.g.first[rec + 1] - a ? a + c : -1;
  }

  /** Raw field text of a record (before the header is known). */
  rawText(rec: number, c: number): string {
    const f = this.at(rec, c);
    return f < 0 ? "" : this.fieldString(f);
  }

  recordLength(rec: number): number {
    return this.g.first[rec + 1] - this.g.first[rec];
  }

  get records(): number {
    return this.g.records;
  }

  private recordTexts(rec: number): string[] {
    const out: string[] = [];
    for (let c = 0; rec >= 0 && rec < this.g.records && c < this.recordLength(rec); c++)
      out.push(this.rawText(rec, c).trim());
    return out;
  }

  private fieldString(f: number): string {
    const t = this.s.slice(this.g.starts[f], this.g.ends[f]);
    return this.g.escaped[f] ? t.replaceAll('""', '"') : t;
  }

  /**
   * Field index of every data row's column `col` (-1 where the record is shorter): the
   * whole-column scans below walk this instead of calling at() per row.
   */
  private columnFields(col: number): Int32Array {
    const { first } = this.g;
    const out = new Int32Array(this.rowCount);
    for (let r = 0, rec = this.offset; r < out.length; r++, rec++) {
      const f = first[rec] + col;
      out[r] = f < first[rec + 1] ? f : -1;
    }
    return out;
  }

  /**
   * Dictionary encoding by hashing text offsets: no string is made per row or per key. A row
   * repeating the previous row's ID (line items) reuses its code without hashing.
   */
  dictionary(col: number): ColumnDictionary {
    const n = this.rowCount;
    const codes = new Int32Array(n);
    // sized for one key per 8 rows: a customer column then never rehashes, an order-ID column a few times
    const keys = new Interner(this.s, n >> 3);
    const { s } = this;
    const { starts, ends, escaped } = this.g;
    const fields = this.columnFields(col);
    let prevStart = 0;
    let prevEnd = -1;
    let prevCode = -1;
    for (let r = 0; r < n; r++) {
      const f = fields[r];
      if (f < 0) {
        codes[r] = -1;
        continue;
      }
      if (escaped[f]) {
        const t = this.fieldString(f).trim();
        codes[r] = t === "" ? -1 : keys.add(t, 0, t.length);
        continue;
      }
      let a = starts[f];
      let b = ends[f];
      if (a < b && (isSpaceCode(s.charCodeAt(a)) || isSpaceCode(s.charCodeAt(b - 1)))) {
        while (a < b && isSpaceCode(s.charCodeAt(a))) a++;
        while (b > a && isSpaceCode(s.charCodeAt(b - 1))) b--;
      }
      if (a === b) codes[r] = -1;
      else if (b - a === prevEnd - prevStart && sameRange(s, a, prevStart, b - a))
        codes[r] = prevCode;
      else codes[r] = prevCode = keys.add(s, (prevStart = a), (prevEnd = b));
    }
    return { size: keys.size, key: (k) => keys.key(k), codeAt: (k, i) => keys.codeAt(k, i), codes };
  }

  tallyDates(col: number, tally: DateOrderTally): void {
    const { s } = this;
    const { starts, ends, escaped } = this.g;
    const fields = this.columnFields(col);
    for (let r = 0; r < fields.length; r++) {
      const f = fields[r];
      if (f >= 0 && !escaped[f]) tallyDateText(tally, s, starts[f], ends[f]);
    }
  }

  /** number() of every row. */
  numbers(col: number, opts: ValueOptions): Float64Array {
    const { s } = this;
    const { starts, ends, escaped } = this.g;
    const fields = this.columnFields(col);
    const out = new Float64Array(fields.length);
    for (let r = 0; r < out.length; r++) {
      const f = fields[r];
      if (f < 0) out[r] = NaN;
      else if (escaped[f]) out[r] = this.number(r, col, opts);
      else out[r] = parseNumberText(s, starts[f], ends[f], opts);
    }
    return out;
  }

  /**
   * date() of every row, and with `tally` what tallyDates would add to it, in one pass. A field
   * with the same text as the previous row's gets its day (and its tally evidence) without
   * parsing again: exports are usually in date order, so most rows repeat a date.
   */
  dates(col: number, opts: ValueOptions, tally?: DateOrderTally): Float64Array {
    const { s } = this;
    const { starts, ends, escaped } = this.g;
    const fields = this.columnFields(col);
    const out = new Float64Array(fields.length);
    let prevStart = 0;
    let prevEnd = -1;
    let prevDay = NaN;
    const added = newDateOrderTally(); // what the previous text added to the tally
    for (let r = 0; r < out.length; r++) {
      const f = fields[r];
      if (f < 0) out[r] = NaN;
      else if (escaped[f])
        out[r] = this.date(r, col, opts); // (tallyDates leaves these out too)
      else {
        const a = starts[f];
        const b = ends[f];
        if (b - a !== prevEnd - prevStart || !sameRange(s, a, prevStart, b - a)) {
          prevDay = parseDateText(s, a, b, opts);
          prevStart = a;
          prevEnd = b;
          if (tally) {
            const { mdy, dmy, ambiguous } = tally;
            tallyDateText(tally, s, a, b);
            added.mdy = tally.mdy - mdy;
            added.dmy = tally.dmy - dmy;
            added.ambiguous = tally.ambiguous - ambiguous;
          }
        } else if (tally) {
          tally.mdy += added.mdy;
          tally.dmy += added.dmy;
          tally.ambiguous += added.ambiguous;
        }
        out[r] = prevDay;
      }
    }
    return out;
  }

  cell(row: number, col: number): Cell {
    const f = this.at(row + this.offset, col);
    return f < 0 ? null : this.fieldString(f);
  }

  isBlank(row: number, col: number): boolean {
    const f = this.at(row + this.offset, col);
    if (f < 0) return true;
    const { s } = this;
    for (let i = this.g.starts[f], e = this.g.ends[f]; i < e; i++)
      if (!isSpaceCode(s.charCodeAt(i))) return false;
    return true;
  }

  text(row: number, col: number): string {
    const f = this.at(row + this.offset, col);
    if (f < 0) return "";
    if (this.g.escaped[f]) return this.fieldString(f).trim();
    const { s } = this;
    let i = this.g.starts[f];
    let e = this.g.ends[f];
    while (i < e && isSpaceCode(s.charCodeAt(i))) i++;
    while (e > i && isSpaceCode(s.charCodeAt(e - 1))) e--;
    return s.slice(i, e);
  }

  number(row: number, col: number, opts: ValueOptions): number {
    const f = this.at(row + this.offset, col);
    if (f < 0) return NaN;
    if (this.g.escaped[f]) {
      const t = this.fieldString(f);
      return parseNumberText(t, 0, t.length, opts);
    }
    return parseNumberText(this.s, this.g.starts[f], this.g.ends[f], opts);
  }

  date(row: number, col: number, opts: ValueOptions): number {
    const f = this.at(row + this.offset, col);
    if (f < 0) return NaN;
    if (this.g.escaped[f]) {
      const t = this.fieldString(f);
      return parseDateText(t, 0, t.length, opts);
    }
    return parseDateText(this.s, this.g.starts[f], this.g.ends[f], opts);
  }
}

/** The header record: the best match among the first 20 records, else the first non-blank one. */
function headerRecord(src: CsvSource): number {
  const sample: string[][] = [];
  for (let r = 0; r < src.records && r < 20; r++) {
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
  return readCsvText(decodeText(bytes), source);
}

/** Same as readCsv for text already decoded. */
export function readCsvText(
  text: string,
  source: string,
  delimiter: Delimiter = detectDelimiter(text),
): TableSource {
  if (text.indexOf("\n") < 0 && text.indexOf("\r") >= 0) text = text.replaceAll("\r", "\n"); // classic Mac line ends
  const grid = delimiter === WHITESPACE ? scanWhitespace(text) : scanDelimited(text, delimiter);
  return new CsvSource(source, text, grid);
}
