/**
 * The CSV reader's engine, over the text's UTF-8 bytes (csv.ts turns every encoding into
 * them): how a record splits into fields, the record index, the key set that dictionary
 * columns intern their IDs in, the column readers, and the row loop that walks the bytes
 * once, finding records, splitting them and reading the columns asked for as it goes.
 *
 * Why bytes: delimiters, quotes and line breaks are ASCII, and in UTF-8 no byte of a
 * multi-byte character is below 0x80, so records and fields are found in the bytes as they
 * are, with no decoded copy of the file (a 37 MB export decodes in some 20 ms, and its record
 * index takes as long again as a pass of its own). A field becomes a string only when
 * something needs its text: a key of a dictionary column (once per key), a date (once per
 * distinct text), a number that is not a plain decimal, a cell read for a message.
 */
import type { ColumnDictionary, ColumnJob } from "../source.js";
import type { ValueOptions } from "../types.js";
import {
  isSpaceCode,
  newDateOrderTally,
  parseDateText,
  parseNumberText,
  plainNumberCodes,
  tallyDateText,
  type DateOrderTally,
} from "../values.js";

/** Char code of the delimiter, or 32 for "runs of white space". */
export type Delimiter = number;
export const WHITESPACE: Delimiter = 32;

/** The text of bytes u[a, b). */
export const textOf = (u: Buffer, a: number, b: number): string => u.toString("utf8", a, b);

/** A copy of `a` with room for n elements (at least its own). */
export function grow<T extends Int32Array | Uint8Array | Uint16Array | Float64Array>(
  a: T,
  n: number,
): T {
  const Kind = a.constructor as new (n: number) => T;
  const b = new Kind(Math.max(n, a.length));
  b.set(a);
  return b;
}

// ---------------------------------------------------------------------------------------------
// White space at a field's edges: isSpaceCode's characters (String.prototype.trim's), as UTF-8

/** 1 for a byte that may begin white space, and for one that may end it (the UTF-8 of isSpaceCode's). */
const SPACE_FIRST = new Uint8Array(256);
const SPACE_LAST = new Uint8Array(256);
for (let c = 0; c <= 0xffff; c++)
  if (isSpaceCode(c)) {
    const b = Buffer.from(String.fromCharCode(c), "utf8");
    SPACE_FIRST[b[0]] = SPACE_LAST[b[b.length - 1]] = 1;
  }

/** Length of the white space starting at u[i] (within [i, j)), 0 when none. */
function spaceAt(u: Buffer, i: number, j: number): number {
  const c = u[i];
  if (c < 0x80) return c === 32 || (c >= 9 && c <= 13) ? 1 : 0;
  if (c === 0xc2) return i + 1 < j && u[i + 1] === 0xa0 ? 2 : 0; // U+00A0
  if (c < 0xe1 || c > 0xef || i + 2 >= j) return 0;
  return isSpaceCode(((c & 0x0f) << 12) | ((u[i + 1] & 0x3f) << 6) | (u[i + 2] & 0x3f)) &&
    (u[i + 1] & 0xc0) === 0x80 &&
    (u[i + 2] & 0xc0) === 0x80
    ? 3
    : 0;
}

/** Length of the white space ending at u[j - 1] (within [i, j)), 0 when none. */
function spaceBefore(u: Buffer, i: number, j: number): number {
  const z = u[j - 1];
  if (z < 0x80) return z === 32 || (z >= 9 && z <= 13) ? 1 : 0;
  if (z === 0xa0) return j - 2 >= i && u[j - 2] === 0xc2 ? 2 : 0;
  return j - 3 >= i && spaceAt(u, j - 3, j) === 3 ? 3 : 0;
}

/** Start of u[a, b) without its leading white space. */
export function trimStart(u: Buffer, a: number, b: number): number {
  for (let k; a < b && (k = spaceAt(u, a, b)) > 0;) a += k;
  return a;
}

/** End of u[a, b) without its trailing white space. */
export function trimEnd(u: Buffer, a: number, b: number): number {
  for (let k; b > a && (k = spaceBefore(u, a, b)) > 0;) b -= k;
  return b;
}

// ---------------------------------------------------------------------------------------------
// Records and fields

/**
 * Field offsets of one record (reused from record to record): field i is u[starts[i],
 * ends[i]), inside its quotes when it was quoted; `escaped` when it contains "" and must be
 * unescaped.
 */
export class Fields {
  count = 0;
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  escaped = new Uint8Array(64);

  push(start: number, end: number, escaped: number): void {
    if (this.count === this.starts.length) {
      this.starts = grow(this.starts, this.count * 2);
      this.ends = grow(this.ends, this.count * 2);
      this.escaped = grow(this.escaped, this.count * 2);
    }
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.escaped[this.count++] = escaped;
  }
}

/** The text of field c of `f`, unescaped when it was quoted with "" inside. */
export function fieldString(u: Buffer, f: Fields, c: number): string {
  const x = textOf(u, f.starts[c], f.ends[c]);
  return f.escaped[c] ? x.replaceAll('""', '"') : x;
}

/** 1 for the bytes that end an unquoted field: the delimiter, LF and CR. */
export function stopBytes(d: Delimiter): Uint8Array {
  const stop = new Uint8Array(256);
  stop[d] = stop[10] = stop[13] = 1;
  return stop;
}

/**
 * Splits the record that starts at `pos` into `into` (RFC 4180); returns where it ends, at
 * its line break or the end of the text. A record ends at LF, CR LF or a lone CR outside
 * quotes. A field that starts with a quote runs to the closing quote ("" inside is an escaped
 * quote, line breaks are part of it) and stray text after the closing quote is ignored; a
 * quote inside an unquoted field is an ordinary character. `stop` is stopBytes(d).
 */
export function splitRecord(
  u: Buffer,
  pos: number,
  d: Delimiter,
  stop: Uint8Array,
  into: Fields,
): number {
  const n = u.length;
  for (;;) {
    if (u[pos] === 34) {
      pos = quotedField(u, pos, stop, QUOTED);
      into.push(QUOTED.start, QUOTED.end, QUOTED.escaped);
    } else {
      const start = pos;
      while (pos < n && stop[u[pos]] === 0) pos++;
      into.push(start, pos, 0);
    }
    if (pos >= n || u[pos] !== d) return pos;
    pos++;
  }
}

/** Where quotedField found a quoted field: u[start, end), escaped when it contains "". */
interface Quoted {
  start: number;
  end: number;
  escaped: number;
}

/**
 * The quoted field whose opening quote is at u[pos], into `q`; returns where the field ends
 * (after any stray text behind the closing quote).
 */
function quotedField(u: Buffer, pos: number, stop: Uint8Array, q: Quoted): number {
  const n = u.length;
  let i = (q.start = pos + 1);
  q.escaped = 0;
  q.end = n; // no closing quote: the field runs to the end of the text
  for (;;) {
    while (i < n && u[i] !== 34) i++;
    if (i >= n) break;
    if (u[i + 1] === 34) {
      q.escaped = 1;
      i += 2;
      continue;
    }
    q.end = i++;
    break;
  }
  while (i < n && stop[u[i]] === 0) i++;
  return i;
}

const QUOTED: Quoted = { start: 0, end: 0, escaped: 0 };

/** Splits a line at runs of blanks (space, tab; no quoting); returns where it ends. */
export function splitWhitespaceRecord(u: Buffer, pos: number, into: Fields): number {
  const n = u.length;
  for (;;) {
    let c;
    while (pos < n && ((c = u[pos]) === 32 || c === 9)) pos++;
    if (pos >= n || c === 10 || c === 13) return pos;
    const start = pos;
    while (pos < n && (c = u[pos]) !== 32 && c !== 9 && c !== 10 && c !== 13) pos++;
    into.push(start, pos, 0);
  }
}

/** Where the record after the one ending at `end` starts (past LF, CR LF or CR). */
export function nextRecord(u: Buffer, end: number): number {
  if (end >= u.length) return end;
  return u[end] === 13 && u[end + 1] === 10 ? end + 2 : end + 1;
}

/** Where each record starts: record r is the one at start[r] (count of them). */
export class RecordIndex {
  start = new Int32Array(64);
  count = 0;

  add(pos: number): void {
    if (this.count === this.start.length) this.start = grow(this.start, this.count * 2);
    this.start[this.count++] = pos;
  }

  /** Room for n records without growing. */
  reserve(n: number): void {
    if (n > this.start.length) this.start = grow(this.start, Math.max(n, 2 * this.start.length));
  }
}

/** A delimited text's bytes and how its records are split. */
export interface ScanText {
  readonly u: Buffer;
  readonly delimiter: Delimiter;
  readonly stop: Uint8Array;
}

/** Splits the record at `pos` into `into` (its fields appended); returns where it ends. */
export function splitAt(t: ScanText, pos: number, into: Fields): number {
  return t.delimiter === WHITESPACE
    ? splitWhitespaceRecord(t.u, pos, into)
    : splitRecord(t.u, pos, t.delimiter, t.stop, into);
}

// ---------------------------------------------------------------------------------------------
// The key set of dictionary columns

/**
 * FNV-1a over u[a, b), then murmur3's finaliser: FNV's low bits are weak for digit-only IDs,
 * and linear probing turns weak low bits into long probe chains.
 */
function hashRange(u: Buffer, a: number, b: number): number {
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
 * The keys of a set, as where they are: key k is u[starts[k], starts[k] + lengths[k]), or,
 * when starts[k] is −1, the next string of `own` (a key not in the text as it is: an unescaped
 * quoted field). Small to send to another thread, which has the same bytes.
 */
export interface KeyPositions {
  starts: Int32Array;
  lengths: Int32Array;
  /** Per key its first two bytes, at 2k and 2k + 1 (0 past its end). */
  leads: Uint8Array;
  own: string[];
  /** When the set was still in ordered mode (and has no own strings): its keys' classes. */
  classes: KeyClasses | null;
}

/** Per class of an ordered set (a key's first byte; 128 = non-ASCII): its first and last key, or −1. */
export interface KeyClasses {
  first: Int32Array;
  last: Int32Array;
}

/** code[j] = first + (j − from) for j in [from, to): new keys appended in order (see merge). */
function numberRun(code: Int32Array, from: number, to: number, first: number): void {
  for (let j = from; j < to; j++) code[j] = first + (j - from);
}

/** −1, 0 or 1 as u[a, a+n) sorts before, with or after v[b, b+m) (bytewise). */
function compareBytes(u: Buffer, a: number, n: number, v: Buffer, b: number, m: number): number {
  const common = Math.min(n, m);
  let i = 0;
  while (i < common && u[a + i] === v[b + i]) i++;
  if (i < common) return u[a + i] < v[b + i] ? -1 : 1;
  return n === m ? 0 : n < m ? -1 : 1;
}

/**
 * Set of texts, looked up by where they are in the bytes (no string is made); codes in
 * first-seen order. Keys compare as bytes: in UTF-8, equal texts are equal bytes.
 *
 * Ordered mode first: while every new key sorts after the largest key seen so far with the same
 * first byte, it cannot have been seen, so it is appended with no hashing at all (an export's
 * order or invoice numbers usually ascend, cancellations' "C…" numbers in their own run), and
 * nothing is copied: a key is where it is in the text. The latest key of its class seen again
 * is found too (a line item after a blank row). The first key that breaks the order switches
 * the set, for good, to hashing.
 *
 * Hashed mode, numbered keys: when the first key is a prefix and 1–9 digits ("K094103",
 * "17850"), every key of that form is looked up by its number: no text to hash or compare. A
 * number below the size of `direct` has its slot there ((code + 1) · 16 + digit count), so
 * customer numbers, which are usually dense, need no hashing and a small table (the lookups
 * are random: cache misses are what they cost). Larger numbers, and a number whose slot holds
 * another digit count, go to `numbers` (hash slots of [number, same]). The digit count keeps
 * "00004" and "4" apart.
 *
 * Hashed mode, other keys: slots of [hash, arena position + 1] (8 bytes, so the table stays
 * cache-friendly). When the 32-bit hashes agree the key is compared exactly against a packed
 * copy of the keys (`arena`: per key its length, its code as two 16-bit halves, then its
 * bytes, so a lookup reads one place) rather than the file: reading the file at each key's
 * first occurrence would be a cache miss per row.
 */
export class Interner {
  size = 0;
  /** Texts the keys are in: the file's bytes first, then e.g. unescaped quoted fields. */
  private readonly bases: Buffer[];
  /** Per key: which text it is in, where it starts and its length in bytes. */
  private baseOf: Int32Array;
  private starts: Int32Array;
  private lengths: Int32Array;
  /**
   * Per key its first two bytes (0 past its end), taken when it is added, while its bytes are
   * in cache: leading() then reads no key's bytes (a pass over the file's scattered keys cost
   * some 10 ms for a million order IDs).
   */
  private leads: Uint8Array;
  /** Per key: its position in `arena`. */
  private packed: Int32Array;
  private arena = new Uint16Array(256); // filled when the set leaves ordered mode
  private used = 0;
  /** Ordered mode: the largest key so far per first byte (128 = any non-ASCII), or −1. */
  private readonly classMax = new Int32Array(129).fill(-1);
  /** Ordered mode: the first key per first byte, or −1. */
  private readonly classFirst = new Int32Array(129).fill(-1);
  private ordered = true;
  private slots = new Int32Array(0);
  private mask = 0;
  private prefix: Buffer | null = null;
  private direct = new Int32Array(0);
  private numbers = new Int32Array(0);
  private numberMask = 0;
  private numberCount = 0;
  /** Digit count of the key numberOf last read. */
  private digits = 0;

  /** `expected`: a guess of the number of keys (the arrays grow as needed). */
  constructor(
    u: Buffer,
    private readonly expected: number,
  ) {
    this.bases = [u];
    const size = Math.max(16, expected);
    this.baseOf = new Int32Array(size);
    this.starts = new Int32Array(size);
    this.lengths = new Int32Array(size);
    this.leads = new Uint8Array(2 * size);
    this.packed = new Int32Array(size);
  }

  key(k: number): string {
    const a = this.starts[k];
    return textOf(this.bases[this.baseOf[k]], a, a + this.lengths[k]);
  }

  /** Where each key is in the bytes the set was made for (see KeyPositions). */
  positions(): KeyPositions {
    const starts = this.starts.slice(0, this.size);
    const lengths = this.lengths.slice(0, this.size);
    const leads = this.leads.slice(0, 2 * this.size);
    const own: string[] = [];
    for (let k = 0; k < this.size && own.length < this.bases.length - 1; k++) {
      if (this.baseOf[k] === 0) continue;
      starts[k] = -1;
      own.push(this.key(k));
    }
    const ordered = this.ordered && own.length === 0;
    const classes = ordered
      ? { first: this.classFirst.slice(), last: this.classMax.slice() }
      : null;
    return { starts, lengths, leads, own, classes };
  }

  /**
   * Adds the keys of another set over the same bytes (read from rows after this set's), in
   * their order; returns the code here of each of their codes. When both sets are still in
   * ordered mode and each class of theirs starts after this set's largest key of that class,
   * all of theirs are new and in order: they are appended as they are, with no lookup.
   */
  merge(theirs: KeyPositions): Int32Array {
    // The loops over their keys are functions of their own. merge reads objects a structured
    // clone made, and V8 threw its compiled code away on those reads at every scan; loops
    // inside it then ran in the interpreter (~9 ms a million rows). Apart, they stay compiled.
    const { starts, lengths, leads, own, classes } = theirs;
    const code = new Int32Array(starts.length);
    const same = classes && this.ordered ? this.follow(theirs, classes) : null;
    if (same) {
      // theirs in order, but for the first key of a class that is this set's latest (an
      // order whose line items run on across the two parts)
      const at = this.size;
      this.reserve(at + starts.length);
      const dups = [...same.keys()].sort((x, y) => x - y);
      let added = 0;
      let from = 0;
      for (const k of [...dups, code.length]) {
        // their keys [from, k) are new, in order
        this.starts.set(starts.subarray(from, k), at + added);
        this.lengths.set(lengths.subarray(from, k), at + added);
        this.leads.set(leads.subarray(2 * from, 2 * k), 2 * (at + added));
        numberRun(code, from, k, at + added);
        added += k - from;
        if (k < code.length) code[k] = same.get(k)!;
        from = k + 1;
      }
      this.size += added;
      // the largest key of each class they have is now theirs
      classes!.last.forEach((k, cls) => {
        if (k < 0) return;
        this.classMax[cls] = code[k];
        if (this.classFirst[cls] < 0) this.classFirst[cls] = code[classes!.first[cls]];
      });
      return code;
    }
    this.addAll(starts, lengths, own, code);
    return code;
  }

  /** Adds their keys one by one (merge): code[k], the code here of their key k. */
  private addAll(starts: Int32Array, lengths: Int32Array, own: string[], code: Int32Array): void {
    for (let k = 0, o = 0; k < code.length; k++) {
      const a = starts[k];
      code[k] = a >= 0 ? this.add(a, a + lengths[k]) : this.addString(own[o++]);
    }
  }

  /**
   * When each class's first key of theirs sorts after this set's largest key of the class, or
   * is that key: those that are (their code → this set's code); else null.
   */
  private follow(theirs: KeyPositions, classes: KeyClasses): Map<number, number> | null {
    const u = this.bases[0];
    const same = new Map<number, number>();
    for (let cls = 0; cls < classes.first.length; cls++) {
      const k = classes.first[cls];
      const m = this.classMax[cls];
      if (k < 0 || m < 0) continue;
      const a = theirs.starts[k];
      const other = this.bases[this.baseOf[m]];
      const order = compareBytes(u, a, theirs.lengths[k], other, this.starts[m], this.lengths[m]);
      if (order < 0) return null;
      if (order === 0) same.set(k, m);
    }
    return same;
  }

  /** ColumnDictionary.leading: the keys' first bytes while they are ASCII, else their text's. */
  leading(): Uint16Array {
    const out = new Uint16Array(2 * this.size);
    const { leads } = this;
    for (let k = 0; k < this.size; k++) {
      const c0 = leads[2 * k];
      const c1 = leads[2 * k + 1];
      if (c0 < 0x80 && c1 < 0x80) {
        out[2 * k] = c0;
        out[2 * k + 1] = c1;
      } else {
        const t = this.key(k);
        out[2 * k] = t.charCodeAt(0);
        out[2 * k + 1] = t.length > 1 ? t.charCodeAt(1) : 0;
      }
    }
    return out;
  }

  /** Code of the key u[a, b) (in the bytes the set was made for), added when new. */
  add(a: number, b: number): number {
    return this.addIn(0, a, b);
  }

  /** Code of a key given as a string of its own (an unescaped quoted field). */
  addString(key: string): number {
    const t = this.bases.push(Buffer.from(key, "utf8")) - 1;
    const size = this.size;
    const k = this.addIn(t, 0, this.bases[t].length);
    if (this.size === size) this.bases.pop(); // known already
    return k;
  }

  /** Code of the key bases[t][a, b), added when new. */
  private addIn(t: number, a: number, b: number): number {
    const str = this.bases[t];
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
   * is read where it is (usually a few lines back in the file).
   */
  private follows(str: Buffer, a: number, b: number): number {
    const first = str[a];
    const cls = first < 128 ? first : 128;
    const { classMax } = this;
    const m = classMax[cls];
    if (m < 0) this.classFirst[cls] = this.size;
    else {
      const text = this.bases[this.baseOf[m]];
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
  private numberOf(str: Buffer, a: number, b: number): number {
    const prefix = this.prefix as Buffer;
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
    if (k === this.starts.length) this.reserve(k * 2);
    if (t !== 0) this.baseOf[k] = t; // zero already: memory left unwritten costs nothing
    this.starts[k] = a;
    this.lengths[k] = b - a;
    const str = this.bases[t];
    if (b > a) this.leads[2 * k] = str[a];
    if (b > a + 1) this.leads[2 * k + 1] = str[a + 1];
    if (pack) this.pack(k);
    return k;
  }

  /** Room for n keys. */
  reserve(n: number): void {
    if (n <= this.starts.length) return;
    this.baseOf = grow(this.baseOf, n);
    this.starts = grow(this.starts, n);
    this.lengths = grow(this.lengths, n);
    this.leads = grow(this.leads, 2 * n);
    this.packed = grow(this.packed, n);
  }

  /** Copies key k to the arena: its length, its code as two 16-bit halves, its bytes. */
  private pack(k: number): void {
    const n = this.lengths[k];
    const need = this.used + 3 + n;
    if (need > this.arena.length)
      this.arena = grow(this.arena, Math.max(this.arena.length * 2, need));
    const { arena } = this;
    const str = this.bases[this.baseOf[k]];
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
    this.prefix = p >= 0 && first.length - p <= 9 ? Buffer.from(first.slice(0, p), "utf8") : null;
    for (let k = 0; k < this.size; k++) {
      const str = this.bases[this.baseOf[k]];
      const a = this.starts[k];
      const v = this.prefix === null ? -1 : this.numberOf(str, a, a + this.lengths[k]);
      if (v >= 0) {
        if (v < size && this.direct[v] === 0) this.direct[v] = (k + 1) * 16 + this.digits;
        else this.placeNumber(mixNumber(v, this.digits) & this.numberMask, v, this.digits, k);
        continue;
      }
      this.pack(k);
      const h = hashRange(str, a, a + this.lengths[k]);
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

// ---------------------------------------------------------------------------------------------
// Column readers

/**
 * u[a, a+n) equals u[b, b+n) (line items repeat the previous row's IDs and dates: checked
 * before hashing or parsing). Compared from the end: consecutive IDs and dates usually differ
 * in their last characters, so a mismatch is found at once.
 */
function sameRange(u: Buffer, a: number, b: number, n: number): boolean {
  for (let i = n - 1; i >= 0; i--) if (u[a + i] !== u[b + i]) return false;
  return true;
}

/**
 * One column being read in a scan, a block of rows at a time. Each row gives it the field's
 * range in the bytes (`field`; an empty range when the record is too short, which reads as
 * a missing value), or its unescaped text when the field was quoted with "" inside (`text`).
 * `resize` makes room for more rows.
 */
abstract class ColumnReader {
  constructor(
    readonly col: number,
    protected readonly u: Buffer,
  ) {}

  abstract field(r: number, a: number, b: number): void;
  abstract text(r: number, t: string): void;
  abstract resize(rows: number): void;
  abstract result(rows: number): ColumnDictionary | Float64Array;
  /** Its column of the first `rows` rows, as a part of a scan (a view: see RowScan.part). */
  abstract part(rows: number): PartColumn;
  /** Takes `rows` rows of another scan's column as its rows from r0 on. */
  abstract append(r0: number, rows: number, column: PartColumn): void;
  /**
   * field() for rows r0 + i, i in [from, to), of a block's ranges (at i · width + col): a loop
   * per class, so that it inlines field.
   */
  abstract fields(r0: number, from: number, to: number, b: Block): void;

  /** The block's rows, from row r0 on, in order (escaped fields by their text). */
  block(r0: number, b: Block): void {
    const { col } = this;
    const escaped = b.escaped[col];
    let i = 0;
    for (let k = 0; k < b.escapedCount[col]; k++) {
      const j = escaped[k];
      const at = j * b.width + col;
      this.fields(r0, i, j, b);
      this.text(r0 + j, textOf(this.u, b.starts[at], b.ends[at]).replaceAll('""', '"'));
      i = j + 1;
    }
    this.fields(r0, i, b.rows, b);
  }
}

/**
 * Dictionary encoding by where the keys are in the bytes: no string is made per row or per
 * key. A row repeating the previous row's ID (line items) reuses its code without hashing.
 */
class DictionaryReader extends ColumnReader {
  readonly keys: Interner;
  private prevStart = 0;
  private prevEnd = -1;
  private prevCode = -1;

  constructor(
    col: number,
    u: Buffer,
    private codes: Int32Array,
  ) {
    super(col, u);
    // sized for one key per 8 rows: a customer column then never grows, an order-ID column a few times
    this.keys = new Interner(u, codes.length >> 3);
  }

  /**
   * After the first block, room for as many keys as its rows foretell (a quarter more) over
   * all the rows the scan expects: an order-ID column, nearly one key a row, would otherwise
   * double its key arrays four times (some 10 ms a million rows). Room not used is memory
   * never touched, which costs nothing.
   */
  override block(r0: number, b: Block): void {
    super.block(r0, b);
    if (r0 !== 0 || b.rows === 0) return;
    const rows = this.codes.length;
    this.keys.reserve(Math.min(rows, Math.ceil((this.keys.size / b.rows) * rows * 1.25)));
  }

  fields(r0: number, from: number, to: number, b: Block): void {
    const { starts, ends, width } = b;
    for (let i = from, at = from * width + this.col; i < to; i++, at += width)
      this.field(r0 + i, starts[at], ends[at]);
  }

  field(r: number, a: number, b: number): void {
    const { u } = this;
    if (a < b && (SPACE_FIRST[u[a]] === 1 || SPACE_LAST[u[b - 1]] === 1)) {
      a = trimStart(u, a, b);
      b = trimEnd(u, a, b);
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

  resize(rows: number): void {
    this.codes = grow(this.codes, rows);
  }

  part(rows: number): PartColumn {
    return { kind: "dictionary", codes: this.codes.subarray(0, rows), keys: this.keys.positions() };
  }

  append(r0: number, rows: number, column: PartColumn): void {
    if (column.kind !== "dictionary")
      throw new TypeError("a dictionary column takes a dictionary part");
    recode(this.codes, r0, column.codes, rows, this.keys.merge(column.keys));
  }

  result(rows: number): ColumnDictionary {
    return new ScannedDictionary(this.keys, this.codes.subarray(0, rows));
  }
}

/**
 * codes[r0 + i] = code[theirs[i]] for the first `rows` of another scan's codes (−1 stays −1).
 * A function over typed arrays only: the parts it reads come from a structured clone, whose
 * objects' shapes die with them, and V8 throws away compiled code that read them at the next
 * full garbage collection; a loop inside append then restarted in the interpreter every scan.
 */
function recode(
  codes: Int32Array,
  r0: number,
  theirs: Int32Array,
  rows: number,
  code: Int32Array,
): void {
  for (let i = 0; i < rows; i++) {
    const c = theirs[i];
    codes[r0 + i] = c < 0 ? -1 : code[c];
  }
}

/**
 * A scanned dictionary column. A class, not an object literal with closures: the cleaning's
 * compiled loops read it, and a class's instances keep one shape for the life of the process
 * (a literal's shape could die between files and take that compiled code with it).
 */
class ScannedDictionary implements ColumnDictionary {
  readonly size: number;
  constructor(
    private readonly keys: Interner,
    readonly codes: Int32Array,
  ) {
    this.size = keys.size;
  }

  key(k: number): string {
    return this.keys.key(k);
  }

  leading(): Uint16Array {
    return this.keys.leading();
  }
}

/** A column read as one number per row (NaN where the record is too short). */
abstract class ValueReader extends ColumnReader {
  /** The job's options, copied: an object of this module's own shape (see anchorShapes). */
  protected readonly opts: ValueOptions;

  constructor(
    col: number,
    u: Buffer,
    protected out: Float64Array,
    opts: ValueOptions,
  ) {
    super(col, u);
    const { decimalComma, dateOrder, dateSystem } = opts;
    this.opts = { decimalComma, dateOrder, dateSystem };
  }

  resize(rows: number): void {
    this.out = grow(this.out, rows);
  }

  result(rows: number): Float64Array {
    return this.out.subarray(0, rows);
  }

  part(rows: number): PartColumn {
    return { kind: "values", values: this.out.subarray(0, rows), evidence: null };
  }

  append(r0: number, rows: number, column: PartColumn): void {
    if (column.kind !== "values") throw new TypeError("a value column takes a value part");
    this.out.set(column.values.subarray(0, rows), r0);
  }
}

/**
 * number() of every row. Plain decimals ("193.72", "-5", "12") are read from the bytes; the
 * rest (grouping, currency, brackets, spaces, decimal commas…) from their text by
 * parseNumberText.
 */
class NumberReader extends ValueReader {
  fields(r0: number, from: number, to: number, b: Block): void {
    const { starts, ends, width } = b;
    for (let i = from, at = from * width + this.col; i < to; i++, at += width)
      this.field(r0 + i, starts[at], ends[at]);
  }

  field(r: number, a: number, b: number): void {
    const { u, opts } = this;
    const plain = opts.decimalComma ? NaN : plainNumberCodes(u, a, b);
    if (plain === plain) this.out[r] = plain;
    else this.text(r, textOf(u, a, b));
  }

  text(r: number, t: string): void {
    this.out[r] = parseNumberText(t, 0, t.length, this.opts);
  }
}

/** Date texts remembered by DateReader (a power of two). */
const DATE_CACHE = 1024;

/** What a date text adds to a tally: nothing, or one to mdy, dmy or ambiguous. */
const Evidence = { None: 0, Mdy: 1, Dmy: 2, Ambiguous: 3 } as const;
type Evidence = (typeof Evidence)[keyof typeof Evidence];

/**
 * date() of every row, and with `tally` the day/month evidence of its texts. A date's text is
 * parsed once: a row repeating the previous row's text (exports in date order) takes its day
 * at once, and other texts are remembered in a small cache by their bytes (a column in
 * customer order repeats a few thousand days), with what each adds to the tally. Quoted fields
 * with "" inside are read but not tallied.
 */
class DateReader extends ValueReader {
  private prevStart = 0;
  private prevLength = -1;
  private prevDay = NaN;
  private prevEvidence: Evidence = Evidence.None;
  private readonly cacheStart = new Int32Array(DATE_CACHE);
  private readonly cacheLength = new Int32Array(DATE_CACHE).fill(-1);
  private readonly cacheDay = new Float64Array(DATE_CACHE);
  private readonly cacheEvidence = new Uint8Array(DATE_CACHE);
  /** Rows' evidence so far, by Evidence. */
  private readonly counts = new Float64Array(4);
  private readonly scratch = newDateOrderTally();

  constructor(
    col: number,
    u: Buffer,
    out: Float64Array,
    opts: ValueOptions,
    private readonly tally: DateOrderTally | undefined,
  ) {
    super(col, u, out, opts);
  }

  fields(r0: number, from: number, to: number, b: Block): void {
    const { starts, ends, width } = b;
    for (let i = from, at = from * width + this.col; i < to; i++, at += width)
      this.field(r0 + i, starts[at], ends[at]);
  }

  field(r: number, a: number, b: number): void {
    const { u } = this;
    const n = b - a;
    if (n !== this.prevLength || !sameRange(u, a, this.prevStart, n)) this.lookUp(a, b);
    this.out[r] = this.prevDay;
    this.counts[this.prevEvidence]++;
  }

  /** The day and evidence of u[a, b), from the cache or parsed, as the previous text's. */
  private lookUp(a: number, b: number): void {
    const { u } = this;
    const n = b - a;
    const slot = hashRange(u, a, b) & (DATE_CACHE - 1);
    if (this.cacheLength[slot] !== n || !sameRange(u, a, this.cacheStart[slot], n)) {
      const s = textOf(u, a, b);
      this.cacheDay[slot] = parseDateText(s, 0, s.length, this.opts);
      this.cacheEvidence[slot] = this.tally ? this.evidence(s) : Evidence.None;
      this.cacheStart[slot] = a;
      this.cacheLength[slot] = n;
    }
    this.prevStart = a;
    this.prevLength = n;
    this.prevDay = this.cacheDay[slot];
    this.prevEvidence = this.cacheEvidence[slot] as Evidence;
  }

  private evidence(s: string): Evidence {
    const t = this.scratch;
    t.mdy = t.dmy = t.ambiguous = 0;
    tallyDateText(t, s, 0, s.length);
    if (t.mdy) return Evidence.Mdy;
    if (t.dmy) return Evidence.Dmy;
    return t.ambiguous ? Evidence.Ambiguous : Evidence.None;
  }

  text(r: number, t: string): void {
    this.out[r] = parseDateText(t, 0, t.length, this.opts);
  }

  override part(rows: number): PartColumn {
    return { kind: "values", values: this.out.subarray(0, rows), evidence: this.counts.slice() };
  }

  override append(r0: number, rows: number, column: PartColumn): void {
    super.append(r0, rows, column);
    if (column.kind === "values" && column.evidence)
      column.evidence.forEach((x, i) => (this.counts[i] += x));
  }

  override result(rows: number): Float64Array {
    const { tally, counts } = this;
    if (tally) {
      tally.mdy += counts[Evidence.Mdy];
      tally.dmy += counts[Evidence.Dmy];
      tally.ambiguous += counts[Evidence.Ambiguous];
    }
    counts.fill(0);
    return super.result(rows);
  }
}

// ---------------------------------------------------------------------------------------------
// The row loop

/** Rows per block: the block's field ranges stay in the cache while the readers take them. */
const BLOCK_ROWS = 1024;

/**
 * A block of rows as the walker found them: each row's fields up to the last column read,
 * field c of row i at u[starts[i·width + c], ends[i·width + c]) (an empty range when the
 * record is too short), and per column which rows' fields are escaped (quoted with "" inside,
 * read by their text).
 */
class Block {
  rows = 0;
  /** 1 when some field of the block was quoted (set by the walker, never cleared). */
  quoted = 0;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly escaped: Int32Array[];
  readonly escapedCount: Int32Array;

  /** `width`: the columns kept, 0..width−1 (up to the last one read). */
  constructor(readonly width: number) {
    this.starts = new Int32Array(BLOCK_ROWS * width);
    this.ends = new Int32Array(BLOCK_ROWS * width);
    this.escaped = Array.from({ length: width }, () => new Int32Array(BLOCK_ROWS));
    this.escapedCount = new Int32Array(width);
  }

  /** Field c of row i is escaped. */
  markEscaped(i: number, c: number): void {
    this.escaped[c][this.escapedCount[c]++] = i;
  }
}

/**
 * A walk over the records of a text that start in [pos, to), up to a block of them: each
 * record's start goes to `records`, its fields to `b`. Returns where the next record starts.
 */
type Walker = (t: ScanText, pos: number, to: number, records: RecordIndex, b: Block) => number;

/**
 * The Walker of a delimited text (splitRecord's rules, inline: this is the loop every byte of
 * a large file goes through).
 */
const walkDelimited: Walker = (t, pos, to, records, b) => {
  const { u, delimiter: d, stop } = t;
  const n = u.length;
  const { width, starts, ends } = b;
  const q = QUOTED;
  const start = records.start;
  let rc = records.count;
  let i = 0;
  b.escapedCount.fill(0);
  for (; i < BLOCK_ROWS && pos < to; i++) {
    start[rc++] = pos;
    const row = i * width;
    let c = 0;
    for (;;) {
      if (u[pos] === 34) {
        pos = quotedField(u, pos, stop, q);
        b.quoted = 1;
        if (c < width) {
          starts[row + c] = q.start;
          ends[row + c] = q.end;
          if (q.escaped) b.markEscaped(i, c);
        }
      } else {
        const a = pos;
        while (pos < n && stop[u[pos]] === 0) pos++;
        if (c < width) {
          starts[row + c] = a;
          ends[row + c] = pos;
        }
      }
      c++;
      if (pos >= n || u[pos] !== d) break;
      pos++;
    }
    for (; c < width; c++) starts[row + c] = ends[row + c] = 0;
    pos = nextRecord(u, pos);
  }
  records.count = rc;
  b.rows = i;
  return pos;
};

/** The Walker of a text split at runs of blanks (splitWhitespaceRecord's rules). */
const walkWhitespace: Walker = (t, pos, to, records, b) => {
  const { u } = t;
  const f = new Fields();
  const { width, starts, ends } = b;
  b.escapedCount.fill(0);
  let i = 0;
  for (; i < BLOCK_ROWS && pos < to; i++) {
    records.add(pos);
    f.count = 0;
    pos = nextRecord(u, splitWhitespaceRecord(u, pos, f));
    for (let c = 0; c < width; c++) {
      starts[i * width + c] = c < f.count ? f.starts[c] : 0;
      ends[i * width + c] = c < f.count ? f.ends[c] : 0;
    }
  }
  b.rows = i;
  return pos;
};

/**
 * What a scan of some of the rows found, for another thread's scan of the rows before them to
 * append (RowScan.part and append): the records' starts, and per job its column (a dictionary
 * column's keys as where they are in the text, which both threads share).
 */
export interface ScanPart {
  rows: number;
  /** Some field of the part's rows was quoted. */
  quoted: boolean;
  records: Int32Array;
  columns: PartColumn[];
}

export type PartColumn =
  | { kind: "dictionary"; codes: Int32Array; keys: KeyPositions }
  | { kind: "values"; values: Float64Array; evidence: Float64Array | null };

/**
 * A scan of the jobs over a text's rows: walk() reads records, a block at a time, each record's
 * start going to the record index, its fields split and the column readers taking theirs;
 * results() gives the jobs' columns. `expected`: a guess of the number of rows (the columns grow
 * when there are more).
 */
export class RowScan {
  /**
   * The shapes' anchors (see anchorShapes), a static so that they go wherever the class goes;
   * given the class, as a bundler may bind its outer name only after the statics are set.
   */
  static readonly anchors: readonly unknown[] = anchorShapes(RowScan);
  rows = 0;
  private capacity: number;
  private readonly readers: ColumnReader[];
  private readonly block: Block;
  private readonly walker: Walker;

  constructor(
    private readonly t: ScanText,
    jobs: readonly ColumnJob[],
    expected: number,
  ) {
    const capacity = (this.capacity = Math.max(16, expected));
    const { u } = t;
    this.block = new Block(jobs.length ? Math.max(...jobs.map((j) => j.col)) + 1 : 0);
    this.readers = jobs.map((j): ColumnReader => {
      if (j.kind === "dictionary") return new DictionaryReader(j.col, u, new Int32Array(capacity));
      const out = new Float64Array(capacity);
      if (j.kind === "numbers") return new NumberReader(j.col, u, out, j.opts);
      return new DateReader(j.col, u, out, j.opts, j.tally);
    });
    this.walker = t.delimiter === WHITESPACE ? walkWhitespace : walkDelimited;
  }

  /** Some field of the rows read so far was quoted (csv.ts then looks for swallowing quotes). */
  get quoted(): boolean {
    return this.block.quoted === 1;
  }

  /** Columns with room for n rows. */
  private room(n: number): void {
    if (n <= this.capacity) return;
    this.capacity = Math.max(this.capacity * 2, n);
    for (const reader of this.readers) reader.resize(this.capacity);
  }

  /**
   * Reads the records that start in [from, to), indexing them in `records`; returns where the
   * record after the last one read starts (`to` itself, unless a quoted field ran past it).
   */
  walk(from: number, to: number, records: RecordIndex): number {
    const { block } = this;
    records.reserve(records.count + this.capacity - this.rows);
    let pos = from;
    while (pos < to) {
      records.reserve(records.count + BLOCK_ROWS);
      this.room(this.rows + BLOCK_ROWS);
      pos = this.walker(this.t, pos, to, records, block);
      for (const reader of this.readers) reader.block(this.rows, block);
      this.rows += block.rows;
    }
    return pos;
  }

  /** The jobs' results: a dictionary per dictionary job, else its values. */
  results(): (ColumnDictionary | Float64Array)[] {
    return this.readers.map((reader) => reader.result(this.rows));
  }

  /**
   * This scan as a part to append to another, with `records` its record index: views of the
   * scan's own arrays (to move to another thread), so neither is used after.
   */
  part(records: RecordIndex): ScanPart {
    return {
      rows: this.rows,
      quoted: this.quoted,
      records: records.start.subarray(0, records.count),
      columns: this.readers.map((reader) => reader.part(this.rows)),
    };
  }

  /** Appends the rows of `part` (the rows after this scan's, read by another scan). */
  append(part: ScanPart, records: RecordIndex): void {
    this.room(this.rows + part.rows);
    records.reserve(records.count + part.rows);
    records.start.set(part.records, records.count);
    records.count += part.rows;
    this.readers.forEach((reader, i) => reader.append(this.rows, part.rows, part.columns[i]));
    this.rows += part.rows;
    if (part.quoted) this.block.quoted = 1;
  }
}

/** True when u[a, b) is empty or only white space. */
export const isBlankRange = (u: Buffer, a: number, b: number): boolean => trimStart(u, a, b) === b;

/**
 * A small scan with every kind of column, run when this module loads and kept for the life of
 * the process (in the scan worker too). V8 keeps an object shape (hidden class) only while
 * some object has it, and when a shape goes, so does the compiled code that was specialised
 * for it: with nothing of the last file's scan left, a full garbage collection between two
 * files threw the whole scan loop's optimised code away, and the next 1M-row file was read
 * some 50 ms slower while it was compiled again. Its parts are the shapes' anchors: the
 * readers and key sets of both modes, a part appended to another scan, and the results.
 */
function anchorShapes(Scan: typeof RowScan): unknown[] {
  // A2 then A1 takes the key set out of ordered mode; "C""3" is a quoted key with a quote in it
  const u = Buffer.from('k,n,d\nA2,1,2024-01-02\nA1,"2",2024-01-03\nA1,x,\n"C""3",3,01/02/2024\n');
  const opts: ValueOptions = { decimalComma: false, dateOrder: "mdy", dateSystem: "1900" };
  const jobs: ColumnJob[] = [
    { kind: "dictionary", col: 0 },
    { kind: "numbers", col: 1, opts },
    { kind: "dates", col: 2, opts, tally: newDateOrderTally() },
  ];
  const t: ScanText = { u, delimiter: 44, stop: stopBytes(44) };
  const from = u.indexOf(10) + 1;
  const split = u.indexOf(10, from + 14) + 1;
  const first = new Scan(t, jobs, 1);
  const firstRecords = new RecordIndex();
  first.walk(from, split, firstRecords);
  const second = new Scan(t, jobs, 1);
  const secondRecords = new RecordIndex();
  second.walk(split, u.length, secondRecords);
  const part = second.part(secondRecords);
  first.append(part, firstRecords);
  return [first, firstRecords, second, part, first.results()];
}
