/**
 * One pass over the rows of a delimited text, reading the columns the cleaning asks for: the
 * column readers (dictionary codes, numbers, dates), the key set they intern IDs in, the
 * record splitting they share, and the row loop itself (RowScanner). Used by the CSV reader
 * (csv.ts) on this thread, and by the scan worker (csv-worker.ts) for the columns it is given
 * of a large file (csv-parallel.ts): both run this same code over the same char codes, so a
 * column comes out the same whichever thread reads it.
 */
import { Buffer, isAscii } from "node:buffer";
import type { ColumnDictionary, ColumnJob } from "../source.js";
import type { DateOrderTally, Codes } from "../values.js";
import type { ValueOptions } from "../types.js";
import {
  isSpaceCode,
  newDateOrderTally,
  parseDateText,
  parseNumberText,
  plainNumberCodes,
  tallyDateText,
} from "../values.js";

/**
 * Codes of `text`; `bytes` are the bytes it was decoded from (without a BOM), used as they are
 * when they are ASCII. Node runs little-endian, so UTF-16LE bytes are the code units in order.
 */
export function codesOf(text: string, bytes?: Uint8Array, shared = false): Codes {
  if (bytes && bytes.length === text.length && isAscii(bytes))
    return !shared || bytes.buffer instanceof SharedArrayBuffer ? bytes : grow(bytes, 0, true);
  const ascii = Buffer.byteLength(text, "utf8") === text.length;
  // a buffer of its own starts at offset 0, so its UTF-16 units are aligned
  const b = Buffer.from(memory(ascii ? text.length : 2 * text.length, shared));
  b.write(text, ascii ? "latin1" : "utf16le");
  return ascii ? b : new Uint16Array(b.buffer, 0, text.length);
}

/** `bytes` of memory, shared with the scan worker or not. */
export const memory = (bytes: number, shared: boolean): ArrayBufferLike =>
  shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);

/** The text of codes u[a, b) (ASCII when they are bytes: see codesOf). */
export function textOfCodes(u: Codes, a: number, b: number): string {
  const { BYTES_PER_ELEMENT: size } = u;
  const bytes = Buffer.from(u.buffer, u.byteOffset + a * size, (b - a) * size);
  return bytes.toString(size === 1 ? "latin1" : "utf16le");
}

/** Char code of the delimiter, or 32 for "runs of white space". */
export type Delimiter = number;
export const WHITESPACE: Delimiter = 32;

/**
 * Where each record of the text is: [start[r], end[r]), without its line break. A record with a
 * quote in it is `quoted`: its fields are split the careful way.
 */
export interface Records {
  start: Int32Array;
  end: Int32Array;
  quoted: Uint8Array;
  count: number;
}

/** A copy of `a` with room for n elements (at least its own), shared or not. */
export function grow<T extends Int32Array | Uint8Array>(a: T, n: number, shared = false): T {
  const size = Math.max(n, a.length);
  const b = (
    a instanceof Int32Array
      ? new Int32Array(memory(size * 4, shared))
      : new Uint8Array(memory(size, shared))
  ) as T;
  b.set(a);
  return b;
}

/** Field offsets of one record (reused from record to record). */
export class Fields {
  count = 0;
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  /** 1 when the quoted field contains "" and must be unescaped. */
  escaped = new Uint8Array(64);

  push(start: number, end: number, escaped: boolean): void {
    if (this.count === this.starts.length) {
      this.starts = grow(this.starts, this.count * 2);
      this.ends = grow(this.ends, this.count * 2);
      this.escaped = grow(this.escaped, this.count * 2);
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
export function splitQuoted(u: Codes, pos: number, d: number, into: Fields | null): number {
  const n = u.length;
  for (;;) {
    let start = pos;
    let end: number;
    let esc = false;
    if (u[pos] === 34) {
      start = ++pos;
      for (;;) {
        let q = pos;
        while (q < n && u[q] !== 34) q++;
        if (q === n) {
          end = pos = n;
          break;
        }
        if (u[q + 1] === 34) {
          esc = true;
          pos = q + 2;
          continue;
        }
        end = q;
        pos = q + 1;
        break;
      }
      pos = fieldEnd(u, pos, d);
    } else {
      end = pos = fieldEnd(u, pos, d);
    }
    into?.push(start, end, esc);
    if (pos >= n || u[pos] !== d) return pos;
    pos++;
  }
}

/** Position of the next delimiter, CR or LF from pos (or the end). */
function fieldEnd(u: Codes, pos: number, d: number): number {
  const n = u.length;
  while (pos < n) {
    const c = u[pos];
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
 * The keys of a set, as where they are: key k is text[starts[k], starts[k] + lengths[k]), or,
 * when starts[k] is −1, the next string of `own` (a key not in the text as it is: an unescaped
 * quoted field). Small to send to another thread, which has the same text.
 */
export interface KeyPositions {
  starts: Int32Array;
  lengths: Int32Array;
  own: string[];
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
export class Interner {
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

  /** Where each key is in the text the set was made for (see KeyPositions). */
  positions(): KeyPositions {
    const starts = new Int32Array(this.size);
    const lengths = new Int32Array(this.size);
    const own: string[] = [];
    for (let k = 0; k < this.size; k++) {
      if (this.baseOf[k] === 0) {
        starts[k] = this.starts[k];
        lengths[k] = this.lengths[k];
      } else {
        starts[k] = -1;
        own.push(this.key(k));
      }
    }
    return { starts, lengths, own };
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
    if (t !== 0) this.baseOf[k] = t; // zero already: memory left unwritten costs nothing
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
    // from the codes: in the scan worker the set's text is a window that has moved on
    const first = textOfCodes(
      this.baseCodes[this.baseOf[0]],
      this.starts[0],
      this.starts[0] + this.lengths[0],
    );
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
  readonly keys: Interner;
  private readonly u: Codes;
  private prevStart = 0;
  private prevEnd = -1;
  private prevCode = -1;

  constructor(
    readonly col: number,
    t: ScanText,
    readonly codes: Int32Array,
  ) {
    this.u = t.u;
    // sized for one key per 8 rows: a customer column then never grows, an order-ID column a few times
    this.keys = new Interner(t.s, t.u, codes.length >> 3);
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
  constructor(
    readonly col: number,
    /** The text read (`s` may be a window of it: see ScanText). */
    protected readonly t: ScanText,
    protected readonly out: Float64Array,
    protected readonly opts: ValueOptions,
  ) {}

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
    const { t, opts } = this;
    const plain = opts.decimalComma ? NaN : plainNumberCodes(t.u, a, b);
    this.out[r] = plain === plain ? plain : parseNumberText(t.s, a - t.base, b - t.base, opts);
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
    t: ScanText,
    out: Float64Array,
    opts: ValueOptions,
    private readonly tally: DateOrderTally | undefined,
  ) {
    super(col, t, out, opts);
  }

  field(r: number, a: number, b: number): void {
    const { t, tally, added } = this;
    const n = b - a;
    if (n !== this.prevEnd - this.prevStart || !sameRange(t.u, a, this.prevStart, n)) {
      const { s, base } = t;
      this.prevDay = parseDateText(s, a - base, b - base, this.opts);
      this.prevStart = a;
      this.prevEnd = b;
      if (tally) {
        const { mdy, dmy, ambiguous } = tally;
        tallyDateText(tally, s, a - base, b - base);
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
 * A delimited text being read: its char codes, its records, and its string `s`, which holds
 * the chars from `base` on: the whole text (base 0), or in the scan worker a window of it, the
 * rows being read (so the worker needs no copy of the whole text). Positions are always
 * positions in the whole text (in `u`); `s` is indexed at position − base.
 */
export interface ScanText {
  s: string;
  base: number;
  readonly u: Codes;
  readonly records: Records;
  readonly delimiter: Delimiter;
  /** A window's text: makes `s` hold [a, b) (absent for the whole text). */
  cover?(a: number, b: number): void;
}

/** Rows per window: some 80 KB of text, a string small enough for V8's young generation. */
const WINDOW_ROWS = 2048;

/**
 * The text without a string of its own: `s` is a window of it, set by `cover`, and decoded
 * from the codes when a reader first asks for it (most of a plain file's fields are read from
 * the codes alone). The scan worker reads through one, so it needs no copy of the whole text.
 */
export class WindowText implements ScanText {
  base = 0;
  private end = 0;
  private text: string | null = null;

  constructor(
    readonly u: Codes,
    readonly records: Records,
    readonly delimiter: Delimiter,
  ) {}

  cover(a: number, b: number): void {
    this.base = a;
    this.end = b;
    this.text = null;
  }

  get s(): string {
    return (this.text ??= textOfCodes(this.u, this.base, this.end));
  }
}

/** Pushes the fields of record `rec` to `into`. */
export function splitRecord(t: ScanText, rec: number, into: Fields): void {
  const { u, records, delimiter } = t;
  const a = records.start[rec];
  const e = records.end[rec];
  if (records.quoted[rec]) {
    splitQuoted(u, a, delimiter, into);
  } else if (delimiter === WHITESPACE) {
    let pos = a;
    for (;;) {
      while (pos < e && (u[pos] === 32 || u[pos] === 9)) pos++;
      if (pos >= e) break;
      const start = pos;
      while (pos < e && u[pos] !== 32 && u[pos] !== 9) pos++;
      into.push(start, pos, false);
    }
  } else {
    let p = a;
    for (let q = a; q < e; q++) {
      if (u[q] !== delimiter) continue;
      into.push(p, q, false);
      p = q + 1;
    }
    into.push(p, e, false);
  }
}

/** The text of field c of `f`, unescaped when it was quoted with "" inside. */
export function fieldString(t: ScanText, f: Fields, c: number): string {
  const x = t.s.slice(f.starts[c] - t.base, f.ends[c] - t.base);
  return f.escaped[c] ? x.replaceAll('""', '"') : x;
}

/** A job's output column: codes for a dictionary, else values. */
export type ScanColumn = Int32Array | Float64Array;

/**
 * Output columns for `jobs`, `rows` long; `shared` puts them in shared memory, so that the scan
 * worker can write its rows into them.
 */
export function scanColumnsFor(
  jobs: readonly ColumnJob[],
  rows: number,
  shared: boolean,
): ScanColumn[] {
  return jobs.map((j) => {
    const buffer = memory(rows * (j.kind === "dictionary" ? 4 : 8), shared);
    return j.kind === "dictionary" ? new Int32Array(buffer) : new Float64Array(buffer);
  });
}

/**
 * Reads rows of a text into the jobs' columns: one pass over the rows for all the jobs. A
 * record without quotes is split by reading its char codes, only up to the last column asked
 * for (no string is read: the scan worker decodes its window of the text only when a reader
 * needs it); each column reader then takes its field. `tallies`: per date job, the tally it
 * adds its evidence to (the job's own on one thread; one per thread when the jobs are shared
 * out).
 */
export class RowScanner {
  private readonly readers: ColumnReader[];
  private readonly dictionaries: DictionaryReader[];
  private readonly dates: DateReader[];
  private readonly numbers: NumberReader[];
  private readonly last: number;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly slow = new Fields();

  constructor(
    private readonly t: ScanText,
    /** Rows are records from this one on (the header's records come before). */
    private readonly offset: number,
    jobs: readonly ColumnJob[],
    columns: readonly ScanColumn[],
    tallies: readonly (DateOrderTally | undefined)[],
  ) {
    this.readers = jobs.map((j, i): ColumnReader => {
      if (j.kind === "dictionary") return new DictionaryReader(j.col, t, columns[i] as Int32Array);
      const out = columns[i] as Float64Array;
      if (j.kind === "numbers") return new NumberReader(j.col, t, out, j.opts);
      return new DateReader(j.col, t, out, j.opts, tallies[i]);
    });
    this.dictionaries = this.readers.filter((x) => x instanceof DictionaryReader);
    this.dates = this.readers.filter((x) => x instanceof DateReader);
    this.numbers = this.readers.filter((x) => x instanceof NumberReader);
    this.last = Math.max(0, ...jobs.map((j) => j.col));
    this.starts = new Int32Array(this.last + 1);
    this.ends = new Int32Array(this.last + 1);
  }

  /**
   * A scanner for the jobs numbered `of` only (indices into jobs, columns and tallies): what
   * each thread reads of a scan shared out between two.
   */
  static part(
    t: ScanText,
    offset: number,
    jobs: readonly ColumnJob[],
    columns: readonly ScanColumn[],
    tallies: readonly (DateOrderTally | undefined)[],
    of: readonly number[],
  ): RowScanner {
    const pick = <T>(xs: readonly T[]) => of.map((i) => xs[i]);
    return new RowScanner(t, offset, pick(jobs), pick(columns), pick(tallies));
  }

  /** The key set of job i (a dictionary job). */
  keysOf(i: number): Interner {
    return (this.readers[i] as DictionaryReader).keys;
  }

  /** The jobs' results: a dictionary per dictionary job, else its values. */
  results(columns: readonly ScanColumn[]): (ColumnDictionary | Float64Array)[] {
    return this.readers.map((reader, i) =>
      reader instanceof DictionaryReader
        ? dictionaryOf(reader.keys, columns[i] as Int32Array)
        : (columns[i] as Float64Array),
    );
  }

  /** Reads rows [r0, r1) (a window of the text at a time, when it is read through one). */
  rows(r0: number, r1: number): void {
    const { t, offset } = this;
    if (!t.cover) return this.rowsIn(r0, r1);
    const { start, end } = t.records;
    for (let r = r0; r < r1; r += WINDOW_ROWS) {
      const last = Math.min(r1, r + WINDOW_ROWS) - 1;
      t.cover(start[r + offset], end[last + offset]);
      this.rowsIn(r, last + 1);
    }
  }

  /** Reads rows [r0, r1), whose records' text is in t.s. */
  private rowsIn(r0: number, r1: number): void {
    const { t, offset, last, starts, ends, slow, dictionaries, dates, numbers } = this;
    const { u, records, delimiter } = t;
    const { start, end, quoted } = records;
    const fast = delimiter !== WHITESPACE;
    for (let r = r0; r < r1; r++) {
      const rec = r + offset;
      if (fast && !quoted[rec]) {
        // fields 0..count-1 of this record, as far as `last`
        const e = end[rec];
        let p = start[rec];
        let count = 0;
        for (;;) {
          starts[count] = p;
          let q = p;
          while (q < e && u[q] !== delimiter) q++;
          ends[count++] = q;
          if (q >= e || count > last) break;
          p = q + 1;
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
        splitRecord(t, rec, slow);
        for (const reader of this.readers) {
          const c = reader.col;
          if (c >= slow.count) reader.missing(r);
          else if (slow.escaped[c]) reader.text(r, fieldString(t, slow, c));
          else reader.field(r, slow.starts[c], slow.ends[c]);
        }
      }
    }
  }
}
