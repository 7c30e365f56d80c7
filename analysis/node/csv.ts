/**
 * CSV and delimited text → TableSource, without a string per cell: the file is decoded into
 * ONE string, its records are indexed by offset, and fields are offsets into it found when a
 * record is read, so number()/date() parse in place. Whole-column reads (scan) take all the
 * columns the cleaning needs in one pass over the text. Quoted fields point inside their
 * quotes; only those containing "" are unescaped, on demand.
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
import { Buffer, isAscii } from "node:buffer";
import type { Cell, TableSource, ValueOptions } from "../types.js";
import { locateHeaderRow } from "../headers.js";
import type { ColumnDictionary, ColumnJob, ColumnScans } from "../source.js";
import type { DateOrderTally } from "../values.js";
import {
  isSpaceCode,
  newDateOrderTally,
  parseDateText,
  parseNumberText,
  plainNumberCodes,
  tallyDateText,
  type Codes,
} from "../values.js";

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

export type { Codes };

/**
 * Codes of `text`; `bytes` are the bytes it was decoded from (without a BOM), used as they are
 * when they are ASCII. Node runs little-endian, so UTF-16LE bytes are the code units in order.
 */
export function codesOf(text: string, bytes?: Uint8Array): Codes {
  if (bytes && bytes.length === text.length && isAscii(bytes)) return bytes;
  if (Buffer.byteLength(text, "utf8") === text.length) return Buffer.from(text, "latin1");
  const b = Buffer.from(text, "utf16le");
  return b.byteOffset % 2 === 0
    ? new Uint16Array(b.buffer, b.byteOffset, text.length)
    : new Uint16Array(new Uint8Array(b).buffer);
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

/**
 * Where each record of the text is: [start[r], end[r]), without its line break. A record with a
 * quote in it is `quoted`: its fields are split the careful way.
 */
interface Records {
  start: Int32Array;
  end: Int32Array;
  quoted: Uint8Array;
  count: number;
}

class RecordsBuilder {
  start: Int32Array;
  end: Int32Array;
  quoted: Uint8Array;
  count = 0;

  constructor(textLength: number) {
    const guess = Math.max(16, textLength >> 5);
    this.start = new Int32Array(guess);
    this.end = new Int32Array(guess);
    this.quoted = new Uint8Array(guess);
  }

  add(start: number, end: number, quoted: boolean): void {
    if (this.count === this.start.length) {
      const n = this.count * 2;
      this.start = grow(this.start, n);
      this.end = grow(this.end, n);
      const q = new Uint8Array(n);
      q.set(this.quoted);
      this.quoted = q;
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

function grow(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

/**
 * The records of delimited text (RFC 4180 quotes). Lines without a quote are found with
 * indexOf (the next quote's position is cached, so the text is searched once for quotes); a
 * record with a quote is walked character by character, as its fields will be.
 */
function delimitedRecords(s: string, d: number): Records {
  const out = new RecordsBuilder(s.length);
  const n = s.length;
  let pos = 0;
  let nextQuote = -1;
  while (pos < n) {
    let nl = s.indexOf("\n", pos);
    if (nl < 0) nl = n;
    if (nextQuote < pos) nextQuote = indexOrEnd(s, '"', pos);
    if (nextQuote < nl) {
      const end = splitQuoted(s, pos, d, null);
      out.add(pos, end, true);
      pos = end;
      if (pos < n) pos += s.charCodeAt(pos) === 13 && s.charCodeAt(pos + 1) === 10 ? 2 : 1;
      continue;
    }
    out.add(pos, nl > pos && s.charCodeAt(nl - 1) === 13 ? nl - 1 : nl, false);
    pos = nl + 1;
  }
  return out.done();
}

/** Lines, for text split at runs of blanks (a line ends at LF, CR LF or CR; no quoting). */
function whitespaceRecords(u: Codes): Records {
  const out = new RecordsBuilder(u.length);
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

function indexOrEnd(s: string, x: string, from: number): number {
  const i = s.indexOf(x, from);
  return i < 0 ? s.length : i;
}

/** Field offsets of one record (reused from record to record). */
class Fields {
  count = 0;
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  /** 1 when the quoted field contains "" and must be unescaped. */
  escaped = new Uint8Array(64);

  push(start: number, end: number, escaped: boolean): void {
    if (this.count === this.starts.length) {
      this.starts = grow(this.starts, this.count * 2);
      this.ends = grow(this.ends, this.count * 2);
      const e = new Uint8Array(this.count * 2);
      e.set(this.escaped);
      this.escaped = e;
    }
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.escaped[this.count++] = escaped ? 1 : 0;
  }
}

/**
 * Walks one record that contains quotes from `pos`, pushing its fields to `into` (when given);
 * returns where the record ends (its line break, or the end of the text). A field that starts
 * with a quote runs to the closing quote ("" inside is an escaped quote) and any stray text
 * after it is ignored; a quote inside an unquoted field is an ordinary character.
 */
function splitQuoted(s: string, pos: number, d: number, into: Fields | null): number {
  const n = s.length;
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
      pos = fieldEnd(s, pos, d);
    } else {
      end = pos = fieldEnd(s, pos, d);
    }
    into?.push(start, end, esc);
    if (pos >= n || s.charCodeAt(pos) !== d) return pos;
    pos++;
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

/**
 * FNV-1a over s[a, b), then murmur3's finaliser: FNV's low bits are weak for digit-only IDs,
 * and linear probing turns weak low bits into long probe chains.
 */
function hashRange(u: Codes, a: number, b: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = a; i < b; i++) h = Math.imul(h ^ u[i], 16_777_619);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

const NEW = -1;
const OUT_OF_ORDER = -2;

/**
 * An open-addressing table of [key, value] Int32 pairs (value 0 = empty slot) at twice the
 * size; `hash` gives a pair's hash from its key and value.
 */
function doubled(
  old: Int32Array,
  hash: (key: number, value: number) => number,
): Int32Array<ArrayBuffer> {
  const table = new Int32Array(old.length * 2);
  const mask = table.length / 2 - 1;
  for (let o = 0; o < old.length; o += 2) {
    if (old[o + 1] === 0) continue;
    let slot = hash(old[o], old[o + 1]) & mask;
    while (table[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
    table[2 * slot] = old[o];
    table[2 * slot + 1] = old[o + 1];
  }
  return table;
}

/** Slot hash of a numbered key. */
function mixNumber(v: number, digits: number): number {
  const h = Math.imul(v ^ (digits << 28), 0x9e3779b1);
  return h ^ (h >>> 15);
}

/**
 * Set of strings, looked up by (string, start, end) without slicing; codes in first-seen order.
 *
 * Ordered mode first: while every new key sorts after the largest key seen so far with the same
 * first character, it cannot have been seen, so it is appended with no hashing at all (an
 * export's order or invoice numbers usually ascend, cancellations' "C…" numbers in their own
 * run), and nothing is copied: a key is where it is in the text. The latest key of its class
 * seen again is found too (a line item after a blank row). The first key that breaks the order
 * switches the set, for good, to an open-addressing hash table built from the keys so far.
 *
 * A hash slot is 8 bytes, [hash, arena position + 1], so the table stays small enough to be
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
  /** Texts the keys are in: the file text first, then e.g. unescaped quoted fields. */
  private readonly bases: string[];
  /** The char codes of each of `bases`, which lookups read. */
  private readonly baseCodes: Codes[];
  /** Per key: which text it is in, where it starts and its length. */
  private baseOf: Int32Array;
  private starts: Int32Array;
  private lengths: Int32Array;
  /** Per key: its position in `arena`. */
  private packed: Int32Array;
  private arena: Uint16Array;
  private used = 0;
  /** Ordered mode: the largest key so far per first character (128 = any non-ASCII), or −1. */
  private readonly classMax = new Int32Array(129).fill(-1);
  private ordered = true;
  private slots = new Int32Array(0);
  private mask = 0;
  /**
   * Hashed mode's numbered keys: when the first key is a prefix and 1–9 digits ("K094103",
   * "17850"), every key of that form is looked up by its number: no text to hash or compare.
   * A number below the size of `direct` has its slot there ((code + 1) · 16 + digit count), so
   * customer numbers, which are usually dense, need no hashing and a table a quarter the size
   * (the lookups are random: cache misses are what they cost). Larger numbers, and a number
   * whose slot holds another digit count, go to `numbers` (hash slots of [number, same]). The
   * digit count keeps "00004" and "4" apart. Other keys go through `slots` and the arena.
   */
  private prefix: Codes | null = null;
  private direct = new Int32Array(0);
  private numbers = new Int32Array(0);
  private numberMask = 0;
  private numberCount = 0;
  /** Digit count of the key numberOf last read. */
  private digits = 0;

  /** `expected`: a guess of the number of keys (the arrays grow as needed). */
  constructor(
    base: string,
    codes: Codes,
    private readonly expected: number,
  ) {
    this.bases = [base];
    this.baseCodes = [codes];
    this.baseOf = new Int32Array(Math.max(16, expected));
    this.starts = new Int32Array(Math.max(16, expected));
    this.lengths = new Int32Array(Math.max(16, expected));
    this.packed = new Int32Array(Math.max(16, expected));
    this.arena = new Uint16Array(256); // filled when the set leaves ordered mode
  }

  key(k: number): string {
    const a = this.starts[k];
    return this.bases[this.baseOf[k]].slice(a, a + this.lengths[k]);
  }

  /** Char code of key k at position i (NaN past its end). */
  codeAt(k: number, i: number): number {
    return i < this.lengths[k] ? this.baseCodes[this.baseOf[k]][this.starts[k] + i] : NaN;
  }

  /** Code of the key base[a, b) (the text the set was made for), added when new. */
  add(a: number, b: number): number {
    return this.addIn(0, a, b);
  }

  /** Code of a key given as a string of its own (an unescaped quoted field). */
  addString(key: string): number {
    const t = this.bases.push(key) - 1;
    this.baseCodes.push(codesOf(key));
    const size = this.size;
    const k = this.addIn(t, 0, key.length);
    if (this.size === size) {
      this.bases.pop(); // known already
      this.baseCodes.pop();
    }
    return k;
  }

  /** Code of the key bases[t][a, b), added when new. */
  private addIn(t: number, a: number, b: number): number {
    const str = this.baseCodes[t];
    if (this.ordered) {
      const f = this.follows(str, a, b);
      if (f === NEW) return this.insert(t, a, b, false);
      if (f >= 0) return f;
      this.ordered = false;
      this.buildTable();
    }
    if (this.prefix !== null) {
      const v = this.numberOf(str, a, b);
      if (v >= 0) return this.addNumber(v, this.digits, t, a, b);
    }
    const h = hashRange(str, a, b);
    const { slots, mask, arena } = this;
    const n = b - a;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const p1 = slots[2 * slot + 1];
      if (p1 === 0) {
        const k = this.insert(t, a, b, true);
        slots[2 * slot] = h;
        slots[2 * slot + 1] = this.packed[k] + 1;
        if (this.size * 2 > this.mask) this.rehash();
        return k;
      }
      if (slots[2 * slot] !== h) continue;
      const p = p1 - 1;
      const k = arena[p + 1] | (arena[p + 2] << 16);
      // the arena holds lengths up to 0xffff; longer keys check their full length
      if (arena[p] !== Math.min(n, 0xffff) || (n >= 0xffff && this.lengths[k] !== n)) continue;
      let i = 0;
      while (i < n && arena[p + 3 + i] === str[a + i]) i++;
      if (i === n) return k;
    }
  }

  /**
   * Ordered mode: NEW when str[a, b) sorts after every key of its class so far (so it is new),
   * the code of that largest key when it is the same text, else OUT_OF_ORDER. The largest key
   * is read where it is (usually a few lines back in the file text).
   */
  private follows(str: Codes, a: number, b: number): number {
    const first = str[a];
    const cls = first < 128 ? first : 128;
    const { classMax } = this;
    const m = classMax[cls];
    if (m >= 0) {
      const text = this.baseCodes[this.baseOf[m]];
      const p = this.starts[m];
      const n = b - a;
      const len = this.lengths[m];
      const common = Math.min(n, len);
      let i = 0;
      while (i < common && text[p + i] === str[a + i]) i++;
      if (i === common && n === len) return m;
      if (i < common ? str[a + i] < text[p + i] : n < len) return OUT_OF_ORDER;
    }
    classMax[cls] = this.size;
    return NEW;
  }

  /** The number of str[a, b) when it is the prefix and 1–9 digits (this.digits), else −1. */
  private numberOf(str: Codes, a: number, b: number): number {
    const prefix = this.prefix as Codes;
    const p = prefix.length;
    const digits = b - a - p;
    if (digits < 1 || digits > 9) return -1;
    for (let i = 0; i < p; i++) if (str[a + i] !== prefix[i]) return -1;
    let v = 0;
    for (let i = a + p; i < b; i++) {
      const d = str[i] - 48;
      if (d < 0 || d > 9) return -1;
      v = v * 10 + d;
    }
    this.digits = digits;
    return v;
  }

  /** Code of the numbered key (v, digits) that is bases[t][a, b), added when new. */
  private addNumber(v: number, digits: number, t: number, a: number, b: number): number {
    const { direct } = this;
    if (v < direct.length) {
      const w = direct[v];
      if (w === 0) {
        const k = this.insert(t, a, b, false);
        direct[v] = (k + 1) * 16 + digits;
        return k;
      }
      if ((w & 15) === digits) return (w >>> 4) - 1;
    }
    const { numbers, numberMask } = this;
    for (let slot = mixNumber(v, digits) & numberMask; ; slot = (slot + 1) & numberMask) {
      const w = numbers[2 * slot + 1];
      if (w === 0) {
        const k = this.insert(t, a, b, false);
        this.placeNumber(slot, v, digits, k);
        return k;
      }
      if (numbers[2 * slot] === v && (w & 15) === digits) return (w >>> 4) - 1;
    }
  }

  /** Puts numbered key k in `slot` of the numbers table (the first free one from there). */
  private placeNumber(slot: number, v: number, digits: number, k: number): void {
    const { numbers, numberMask } = this;
    while (numbers[2 * slot + 1] !== 0) slot = (slot + 1) & numberMask;
    numbers[2 * slot] = v;
    numbers[2 * slot + 1] = (k + 1) * 16 + digits;
    if (++this.numberCount * 2 > numberMask) this.rehashNumbers();
  }

  private rehashNumbers(): void {
    this.numbers = doubled(this.numbers, (v, w) => mixNumber(v, w & 15));
    this.numberMask = this.numbers.length / 2 - 1;
  }

  /** Appends key bases[t][a, b) (with `pack`, also to the arena). */
  private insert(t: number, a: number, b: number, pack: boolean): number {
    const k = this.size++;
    if (k === this.starts.length) {
      this.baseOf = grow(this.baseOf, k * 2);
      this.starts = grow(this.starts, k * 2);
      this.lengths = grow(this.lengths, k * 2);
      this.packed = grow(this.packed, k * 2);
    }
    this.baseOf[k] = t;
    this.starts[k] = a;
    this.lengths[k] = b - a;
    if (pack) this.pack(k);
    return k;
  }

  /** Copies key k to the arena: its length, its code as two 16-bit halves, its char codes. */
  private pack(k: number): void {
    const n = this.lengths[k];
    const need = this.used + 3 + n;
    if (need > this.arena.length) {
      const bigger = new Uint16Array(Math.max(this.arena.length * 2, need));
      bigger.set(this.arena);
      this.arena = bigger;
    }
    const { arena } = this;
    const str = this.baseCodes[this.baseOf[k]];
    const a = this.starts[k];
    let u = this.used;
    this.packed[k] = u;
    arena[u++] = Math.min(n, 0xffff);
    arena[u++] = k & 0xffff;
    arena[u++] = k >>> 16;
    for (let i = a; i < a + n; i++) arena[u++] = str[i];
    this.used = u;
  }

  /**
   * Leaving ordered mode: the numbered form (from the first key), and the keys so far in the
   * numbers table or the arena and the hash table.
   */
  private buildTable(): void {
    let size = 1024;
    while (size < Math.max(this.expected, this.size) * 2 && size < 1 << 24) size *= 2;
    const slots = new Int32Array(size * 2);
    const mask = size - 1;
    this.direct = new Int32Array(size);
    this.numbers = new Int32Array(size * 2);
    this.numberMask = mask;
    const first = this.key(0);
    const p = first.search(/[0-9]+$/);
    this.prefix = p >= 0 && first.length - p <= 9 ? codesOf(first.slice(0, p)) : null;
    for (let k = 0; k < this.size; k++) {
      const str = this.baseCodes[this.baseOf[k]];
      const v =
        this.prefix === null
          ? -1
          : this.numberOf(str, this.starts[k], this.starts[k] + this.lengths[k]);
      if (v >= 0) {
        if (v < size && this.direct[v] === 0) this.direct[v] = (k + 1) * 16 + this.digits;
        else this.placeNumber(mixNumber(v, this.digits) & this.numberMask, v, this.digits, k);
        continue;
      }
      this.pack(k);
      const a = this.starts[k];
      const h = hashRange(this.baseCodes[this.baseOf[k]], a, a + this.lengths[k]);
      let slot = h & mask;
      while (slots[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
      slots[2 * slot] = h;
      slots[2 * slot + 1] = this.packed[k] + 1;
    }
    this.slots = slots;
    this.mask = mask;
    if (this.size * 2 > this.mask) this.rehash();
  }

  private rehash(): void {
    this.slots = doubled(this.slots, (h) => h);
    this.mask = this.slots.length / 2 - 1;
  }
}

function dictionaryOf(keys: Interner, codes: Int32Array): ColumnDictionary {
  return { size: keys.size, key: (k) => keys.key(k), codeAt: (k, i) => keys.codeAt(k, i), codes };
}

/**
 * s[a, a+n) equals s[b, b+n) (line items repeat the previous row's IDs and dates: checked
 * before hashing or parsing). Compared from the end: consecutive IDs and dates usually differ
 * in their last characters, so a mismatch is found at once.
 */
function sameRange(u: Codes, a: number, b: number, n: number): boolean {
  for (let i = n - 1; i >= 0; i--) if (u[a + i] !== u[b + i]) return false;
  return true;
}

/**
 * One column being read in a whole-column scan. Each row gives it the field's range in the
 * text (`field`), or its unescaped text when the field was quoted with "" inside (`text`), or
 * nothing when the record is too short (`missing`).
 */
interface ColumnReader {
  readonly col: number;
  field(r: number, a: number, b: number): void;
  text(r: number, t: string): void;
  missing(r: number): void;
  result(): ColumnDictionary | Float64Array;
}

/**
 * Dictionary encoding by hashing text offsets: no string is made per row or per key. A row
 * repeating the previous row's ID (line items) reuses its code without hashing.
 */
class DictionaryReader implements ColumnReader {
  private readonly codes: Int32Array;
  private readonly keys: Interner;
  private prevStart = 0;
  private prevEnd = -1;
  private prevCode = -1;

  constructor(
    readonly col: number,
    s: string,
    private readonly u: Codes,
    rows: number,
  ) {
    this.codes = new Int32Array(rows);
    // sized for one key per 8 rows: a customer column then never grows, an order-ID column a few times
    this.keys = new Interner(s, u, rows >> 3);
  }

  field(r: number, a: number, b: number): void {
    const { u } = this;
    if (a < b && (isSpaceCode(u[a]) || isSpaceCode(u[b - 1]))) {
      while (a < b && isSpaceCode(u[a])) a++;
      while (b > a && isSpaceCode(u[b - 1])) b--;
    }
    const n = b - a;
    if (n === 0) this.codes[r] = -1;
    else if (n === this.prevEnd - this.prevStart && sameRange(u, a, this.prevStart, n))
      this.codes[r] = this.prevCode;
    else {
      this.codes[r] = this.prevCode = this.keys.add(a, b);
      this.prevStart = a;
      this.prevEnd = b;
    }
  }

  text(r: number, t: string): void {
    t = t.trim();
    this.codes[r] = t === "" ? -1 : this.keys.addString(t);
  }

  missing(r: number): void {
    this.codes[r] = -1;
  }

  result(): ColumnDictionary {
    return dictionaryOf(this.keys, this.codes);
  }
}

/** A column read as one number per row (NaN where the record is too short). */
abstract class ValueReader implements ColumnReader {
  protected readonly out: Float64Array;

  constructor(
    readonly col: number,
    protected readonly s: string,
    protected readonly u: Codes,
    rows: number,
    protected readonly opts: ValueOptions,
  ) {
    this.out = new Float64Array(rows);
  }

  abstract field(r: number, a: number, b: number): void;
  abstract text(r: number, t: string): void;

  missing(r: number): void {
    this.out[r] = NaN;
  }

  result(): Float64Array {
    return this.out;
  }
}

/**
 * number() of every row. Plain decimals ("193.72", "-5", "12") are read from the codes; the
 * rest (grouping, currency, brackets, spaces, decimal commas…) by parseNumberText.
 */
class NumberReader extends ValueReader {
  field(r: number, a: number, b: number): void {
    const plain = this.opts.decimalComma ? NaN : plainNumberCodes(this.u, a, b);
    this.out[r] = plain === plain ? plain : parseNumberText(this.s, a, b, this.opts);
  }

  text(r: number, t: string): void {
    this.out[r] = parseNumberText(t, 0, t.length, this.opts);
  }
}

/**
 * date() of every row, and with `tally` the day/month evidence of its texts. A field with the
 * same text as the previous row's gets its day (and its tally evidence) without parsing again:
 * exports are usually in date order, so most rows repeat a date. Quoted fields with "" inside
 * are read but not tallied.
 */
class DateReader extends ValueReader {
  private prevStart = 0;
  private prevEnd = -1;
  private prevDay = NaN;
  /** What the previous text added to the tally. */
  private readonly added = newDateOrderTally();

  constructor(
    col: number,
    s: string,
    u: Codes,
    rows: number,
    opts: ValueOptions,
    private readonly tally: DateOrderTally | undefined,
  ) {
    super(col, s, u, rows, opts);
  }

  field(r: number, a: number, b: number): void {
    const { s, u, tally, added } = this;
    const n = b - a;
    if (n !== this.prevEnd - this.prevStart || !sameRange(u, a, this.prevStart, n)) {
      this.prevDay = parseDateText(s, a, b, this.opts);
      this.prevStart = a;
      this.prevEnd = b;
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
    this.out[r] = this.prevDay;
  }

  text(r: number, t: string): void {
    this.out[r] = parseDateText(t, 0, t.length, this.opts);
  }
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
  private readonly records: Records;
  /** The last record split by fieldsOf, and its fields. */
  private splitRecord = -1;
  private readonly fields = new Fields();

  constructor(
    readonly source: string,
    private readonly s: string,
    private readonly u: Codes,
    private readonly delimiter: Delimiter,
  ) {
    this.records = delimiter === WHITESPACE ? whitespaceRecords(u) : delimitedRecords(s, delimiter);
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
    this.split(rec, f, Infinity);
    return f;
  }

  /** Pushes the fields of record `rec` to `into`, up to column `last` when that is cheaper. */
  private split(rec: number, into: Fields, last: number): void {
    const { s } = this;
    const a = this.records.start[rec];
    const e = this.records.end[rec];
    if (this.records.quoted[rec]) {
      splitQuoted(s, a, this.delimiter, into);
    } else if (this.delimiter === WHITESPACE) {
      const { u } = this;
      let pos = a;
      for (;;) {
        while (pos < e && (u[pos] === 32 || u[pos] === 9)) pos++;
        if (pos >= e) break;
        const start = pos;
        while (pos < e && u[pos] !== 32 && u[pos] !== 9) pos++;
        into.push(start, pos, false);
      }
    } else {
      const d = String.fromCharCode(this.delimiter);
      let p = a;
      for (let c = 0; c < last; c++) {
        const q = s.indexOf(d, p);
        if (q < 0 || q >= e) break;
        into.push(p, q, false);
        p = q + 1;
      }
      into.push(p, e, false);
    }
  }

  /** Raw field text of (record, column), "" past the record's end (before the header is known). */
  rawText(rec: number, c: number): string {
    const f = this.fieldsOf(rec);
    return c < f.count ? this.fieldString(f, c) : "";
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

  private fieldString(f: Fields, c: number): string {
    const t = this.s.slice(f.starts[c], f.ends[c]);
    return f.escaped[c] ? t.replaceAll('""', '"') : t;
  }

  /**
   * The jobs in one pass over the rows. A record without quotes is split with indexOf, only up
   * to the last column asked for, and the next delimiter's position is kept from field to field
   * (so the text between is searched once); each column reader then takes its field.
   */
  scan(jobs: readonly ColumnJob[]): (ColumnDictionary | Float64Array)[] {
    const n = this.rowCount;
    const { s, u } = this;
    const readers = jobs.map((j): ColumnReader => {
      if (j.kind === "dictionary") return new DictionaryReader(j.col, s, u, n);
      if (j.kind === "numbers") return new NumberReader(j.col, s, u, n, j.opts);
      return new DateReader(j.col, s, u, n, j.opts, j.tally);
    });
    const dictionaries = readers.filter((x) => x instanceof DictionaryReader);
    const dates = readers.filter((x) => x instanceof DateReader);
    const numbers = readers.filter((x) => x instanceof NumberReader);
    const last = Math.max(0, ...jobs.map((j) => j.col));
    const starts = new Int32Array(last + 1);
    const ends = new Int32Array(last + 1);
    const { start, end, quoted } = this.records;
    const fast = this.delimiter !== WHITESPACE;
    const d = String.fromCharCode(this.delimiter);
    const slow = new Fields();
    let nextDelim = -1;
    for (let r = 0; r < n; r++) {
      const rec = r + this.offset;
      if (fast && !quoted[rec]) {
        // fields 0..count-1 of this record, as far as `last`
        const e = end[rec];
        let p = start[rec];
        let count = 0;
        for (;;) {
          if (nextDelim < p) nextDelim = indexOrEnd(s, d, p);
          starts[count] = p;
          if (nextDelim >= e) {
            ends[count++] = e;
            break;
          }
          ends[count++] = nextDelim;
          if (count > last) break;
          p = nextDelim + 1;
        }
        // a loop per reader class: each call site then sees one class, and inlines it
        for (const reader of dictionaries) {
          const c = reader.col;
          if (c < count) reader.field(r, starts[c], ends[c]);
          else reader.missing(r);
        }
        for (const reader of dates) {
          const c = reader.col;
          if (c < count) reader.field(r, starts[c], ends[c]);
          else reader.missing(r);
        }
        for (const reader of numbers) {
          const c = reader.col;
          if (c < count) reader.field(r, starts[c], ends[c]);
          else reader.missing(r);
        }
      } else {
        slow.count = 0;
        this.split(rec, slow, Infinity);
        for (const reader of readers) {
          const c = reader.col;
          if (c >= slow.count) reader.missing(r);
          else if (slow.escaped[c]) reader.text(r, this.fieldString(slow, c));
          else reader.field(r, slow.starts[c], slow.ends[c]);
        }
      }
    }
    return readers.map((reader) => reader.result());
  }

  private at(row: number, col: number): Fields | null {
    const f = this.fieldsOf(row + this.offset);
    return col < f.count ? f : null;
  }

  cell(row: number, col: number): Cell {
    const f = this.at(row, col);
    return f ? this.fieldString(f, col) : null;
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
    if (f.escaped[col]) return this.fieldString(f, col).trim();
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
      const t = this.fieldString(f, col);
      return parseNumberText(t, 0, t.length, opts);
    }
    return parseNumberText(this.s, f.starts[col], f.ends[col], opts);
  }

  date(row: number, col: number, opts: ValueOptions): number {
    const f = this.at(row, col);
    if (!f) return NaN;
    if (f.escaped[col]) {
      const t = this.fieldString(f, col);
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
  return new CsvSource(source, text, codesOf(text, bytes), delimiter);
}
