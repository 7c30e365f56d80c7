/**
 * The --history file: a CSV of dated snapshots (as_of, customer_id, stage, grade), read and
 * written by every run that names it.
 *
 * Decisions:
 * - Read as a stream, once, before the analysis (`scanHistory`): it checks that the file is a
 *   stage history at all, lists the issues of bad rows, and keeps only where each snapshot's
 *   rows lie in the file (byte ranges per date). Only the snapshot the movement needs (the
 *   latest before the as-of date) is ever parsed into memory (`snapshotBefore`), so a history
 *   of 30 × 100,000 customers costs about what one snapshot costs.
 * - A file that is not a stage history (another CSV, a workbook, binary data) is refused
 *   unchanged (`NotHistoryError`). An empty file counts as a history with no snapshot.
 * - Written by copying the old file's bytes as they are, leaving out the rows of this run's
 *   date (a re-run replaces its snapshot) and putting this run's rows before the first row
 *   dated after it (else at the end): rows with a bad date or stage, other columns, the byte
 *   order mark and line endings all stay exactly as they were. New rows follow the file's own
 *   column order and delimiter; a column the file lacks (e.g. grade) is left out.
 * - The new file is written whole under a temporary name and renamed (safe-write.ts), under
 *   the lock of file-lock.ts; if the file changed since it was scanned (another run wrote it
 *   meanwhile), it is scanned again under the lock before the copy, so no snapshot is lost.
 *   The movement is measured against the history as it was when this run read it.
 * - Customer IDs are written with the formula guard of history.ts and read without it.
 */
import { createReadStream, openSync, readSync, closeSync } from "node:fs";
import { open, readFile, stat } from "node:fs/promises";
import { isUtf8 } from "node:buffer";
import { basename, dirname, join } from "node:path";
import type { Cell, Issue, TableSource, ValueOptions } from "../types.js";
import type { Grade } from "../settings.js";
import type { Stage } from "../stages.js";
import { cellDate, cellNumber, cellText } from "../source.js";
import {
  cachedParsers,
  HISTORY_CSV_HEADER,
  historyColumns,
  isoDay,
  snapshotCsvCells,
  snapshotRow,
  unguardFormula,
  type HistoryColumns,
  type HistoryIssueSink,
  type Snapshot,
} from "../history.js";
import { writeAtomic, writeFileAtomic } from "./safe-write.js";

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;
const READ_CHUNK = 1 << 20;
/** Rows per piece of new text handed to the writer. */
const WRITE_ROWS = 20_000;

/** What was found instead of a stage history, for the message. */
export type NotHistoryFound =
  { kind: "workbook" } | { kind: "binary" } | { kind: "headers"; headers: string };

/** The --history file is something else: refused, left as it is. */
export class NotHistoryError extends Error {
  constructor(
    readonly path: string,
    readonly found: NotHistoryFound,
  ) {
    super(`${path} is not a stage history`);
    this.name = "NotHistoryError";
  }
}

/** What a scan learnt about a history file. */
export interface HistoryScan {
  path: string;
  /** File identity at scan time, to see whether another run rewrote it since. */
  size: number;
  mtimeMs: number;
  ino: number;
  delimiter: number;
  eol: string;
  header: string[];
  columns: HistoryColumns;
  /** Byte ranges [start, end, start, end, …] of the readable rows of each snapshot date. */
  ranges: Map<number, number[]>;
  /** Data rows (records after the header). */
  rows: number;
  /** The last record ends with a line break (or there is none). */
  endsWithBreak: boolean;
  /** Rows that cannot be read, kept in the file as they are. */
  issues: Issue[];
}

/** The reading layer's wording "row skipped" becomes "kept in the history file". */
const KEPT_KEYS: Record<string, string> = {
  "lifecycle.history.badDate": "cli.history.badDate",
  "lifecycle.history.noCustomer": "cli.history.noCustomer",
  "lifecycle.history.badStage": "cli.history.badStage",
};

/**
 * A one-row TableSource over the fields of the record being read, numbered as the file's
 * lines would be with one line per record; dates cached by their text (a history has few).
 */
class RowSource implements TableSource {
  readonly firstColumn = 1;
  readonly rowCount = 1;
  headerRow = 1;
  fields: string[] = [];
  private readonly dates = new Map<string, number>();
  constructor(
    readonly source: string,
    readonly headers: string[],
  ) {}
  cell(_r: number, c: number): Cell {
    return this.fields[c] ?? null;
  }
  isBlank(_r: number, c: number): boolean {
    return cellText(this.fields[c] ?? null) === "";
  }
  text(_r: number, c: number): string {
    return cellText(this.fields[c] ?? null);
  }
  number(_r: number, c: number, opts: ValueOptions): number {
    return cellNumber(this.fields[c] ?? null, opts);
  }
  date(_r: number, c: number, opts: ValueOptions): number {
    const s = this.fields[c] ?? "";
    let d = this.dates.get(s);
    if (d === undefined) {
      d = cellDate(s, opts);
      if (this.dates.size < 10_000) this.dates.set(s, d);
    }
    return d;
  }
}

/**
 * Split whole CSV records out of buf[from, to). Calls `onRecord(fields, start, end)` with the
 * byte range of each (its line break included) and returns where the first incomplete record
 * starts (`to` when all were whole). With `atEnd`, the last record may lack its line break.
 */
function splitRecords(
  buf: Buffer,
  from: number,
  to: number,
  delimiter: number,
  atEnd: boolean,
  onRecord: (fields: string[], start: number, end: number) => void,
  max = Infinity,
): number {
  let i = from;
  for (let done = 0; i < to && done < max; done++) {
    const start = i;
    const fields: string[] = [];
    for (;;) {
      let text = "";
      if (buf[i] === QUOTE) {
        let j = i + 1;
        let close = -1;
        while (j < to) {
          const q = buf.indexOf(QUOTE, j);
          if (q < 0 || q >= to) break;
          if (q + 1 < to && buf[q + 1] === QUOTE) {
            j = q + 2;
            continue;
          }
          if (q + 1 >= to && !atEnd) break;
          close = q;
          break;
        }
        if (close < 0) {
          if (!atEnd) return start;
          close = to; // unterminated quote: the rest is the field
        }
        text = buf.toString("utf8", i + 1, close).replaceAll('""', '"');
        i = Math.min(to, close + 1);
      }
      let j = i;
      while (j < to && buf[j] !== delimiter && buf[j] !== LF && buf[j] !== CR) j++;
      if (j >= to && !atEnd) return start;
      if (j > i) text += buf.toString("utf8", i, j);
      i = j;
      fields.push(text);
      if (i >= to) break; // at the end without a line break
      if (buf[i] === delimiter) {
        i++;
        continue;
      }
      if (buf[i] === CR) {
        if (i + 1 >= to && !atEnd) return start;
        i += buf[i + 1] === LF ? 2 : 1;
      } else i++;
      break;
    }
    onRecord(fields, start, i);
  }
  return i;
}

/** The delimiter of a header line: comma, else semicolon or tab when only they split it. */
function delimiterOf(line: Buffer): number {
  const count = (b: number) => line.reduce((n, x) => n + (x === b ? 1 : 0), 0);
  const comma = count(0x2c);
  const semi = count(0x3b);
  const tab = count(0x09);
  if (comma >= semi && comma >= tab) return 0x2c;
  return semi >= tab ? 0x3b : 0x09;
}

const clean = (s: string) =>
  s.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]/g, "").trim();

/** "Not a history", showing (the first dozen of) the headers found. */
function notHistoryHeaders(path: string, header: readonly string[]): NotHistoryError {
  const shown = header.filter(Boolean).slice(0, 12);
  return new NotHistoryError(path, {
    kind: "headers",
    headers: shown.map((h) => (h.length > 40 ? `${h.slice(0, 40)}…` : h)).join(", "),
  });
}

/** What the first bytes say when they are not CSV text. */
function notText(head: Buffer): NotHistoryFound | null {
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04)
    return { kind: "workbook" };
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0)
    return { kind: "workbook" };
  if (head.includes(0)) return { kind: "binary" };
  // a multi-byte character cut by the sample's end is not an error
  for (let cut = 0; cut < 4 && cut < head.length; cut++)
    if (isUtf8(head.subarray(0, head.length - cut))) return null;
  return { kind: "binary" };
}

/** a equals buf[s, e): a loop, for the few bytes of a field (Buffer.compare costs more). */
function sameBytes(a: Buffer, buf: Buffer, s: number, e: number): boolean {
  if (a.length !== e - s) return false;
  for (let j = 0; j < a.length; j++) if (a[j] !== buf[s + j]) return false;
  return true;
}

/**
 * The fast way through a history's rows: a row without quotes whose date, stage and grade
 * bytes were seen before (or read fine now) is taken from the bytes without making strings.
 * Anything else (quotes, a bad or blank value, a guard apostrophe, a lone CR) gets NaN and is
 * read the slow way, by splitRecords and snapshotRow, which also words its issue.
 */
class PlainRows {
  private lastDate: Buffer | null = null;
  private lastDay = NaN;
  private readonly dates = new Map<string, number>();
  private readonly stages: { bytes: Buffer; stage: Stage }[] = [];
  private readonly grades: { bytes: Buffer; grade: Grade }[] = [];
  private readonly parsers = cachedParsers();
  /** Start and end of each needed field of the last row read. */
  private readonly at: Int32Array;
  private readonly last: number;
  /** The stage and grade of the last row read. */
  stage: Stage = "potential";
  grade: Grade | null = null;
  constructor(
    private readonly col: HistoryColumns,
    private readonly delimiter: number,
    private readonly opts: ValueOptions,
  ) {
    this.last = Math.max(col.asOf, col.id, col.stage, col.grade);
    this.at = new Int32Array(2 * (this.last + 1));
  }

  /** The snapshot date of the plain row buf[s, e) (no line break), NaN for the slow way. */
  day(buf: Buffer, s: number, e: number): number {
    const at = this.at;
    const delimiter = this.delimiter;
    const last = this.last;
    let k = 0;
    let from = s;
    for (let j = s; j < e; j++) {
      const b = buf[j];
      if (b === delimiter) {
        at[2 * k] = from;
        at[2 * k + 1] = j;
        from = j + 1;
        if (++k > last) break;
      } else if (b === CR) return NaN;
    }
    if (k === last) {
      // the last needed field runs to the end of the row
      at[2 * k] = from;
      at[2 * k + 1] = e;
      k++;
    }
    if (k <= last) return NaN; // a needed column is missing from this row
    const { col } = this;
    if (buf[at[2 * col.asOf]] === 0x27 || buf[at[2 * col.stage]] === 0x27) return NaN;
    if (col.grade >= 0 && buf[at[2 * col.grade]] === 0x27) return NaN;
    // a customer ID: some printable ASCII character (trimming cannot empty it)
    let id = false;
    for (let j = at[2 * col.id]; j < at[2 * col.id + 1] && !id; j++)
      id = buf[j] > 0x20 && buf[j] < 0x7f;
    if (!id) return NaN;
    // the stage, from the ones seen
    const ss = at[2 * col.stage];
    const se = at[2 * col.stage + 1];
    let seen = -1;
    for (let j = 0; j < this.stages.length && seen < 0; j++)
      if (sameBytes(this.stages[j].bytes, buf, ss, se)) seen = j;
    if (seen >= 0) this.stage = this.stages[seen].stage;
    else {
      const stage = this.parsers.stage(buf.toString("utf8", ss, se).trim());
      if (!stage) return NaN;
      this.stage = stage;
      if (this.stages.length < 64)
        this.stages.push({ bytes: Buffer.from(buf.subarray(ss, se)), stage });
    }
    this.grade = null;
    if (col.grade >= 0) {
      const gs = at[2 * col.grade];
      const ge = at[2 * col.grade + 1];
      let blank = true;
      for (let j = gs; j < ge && blank; j++) blank = buf[j] === 0x20 || buf[j] === 0x09;
      if (!blank) {
        let known = -1;
        for (let j = 0; j < this.grades.length && known < 0; j++)
          if (sameBytes(this.grades[j].bytes, buf, gs, ge)) known = j;
        if (known >= 0) this.grade = this.grades[known].grade;
        else {
          const grade = this.parsers.grade(buf.toString("utf8", gs, ge).trim());
          if (!grade) return NaN;
          this.grade = grade;
          if (this.grades.length < 64)
            this.grades.push({ bytes: Buffer.from(buf.subarray(gs, ge)), grade });
        }
      }
    }
    // the date: most rows repeat the one before
    const ds = at[2 * col.asOf];
    const de = at[2 * col.asOf + 1];
    const seenDate = this.lastDate;
    if (seenDate && sameBytes(seenDate, buf, ds, de)) return this.lastDay;
    const text = buf.toString("utf8", ds, de);
    let d = this.dates.get(text);
    if (d === undefined) {
      d = cellDate(text, this.opts);
      if (this.dates.size < 10_000) this.dates.set(text, d);
    }
    if (!Number.isFinite(d)) return NaN;
    this.lastDate = Buffer.from(buf.subarray(ds, de));
    this.lastDay = d;
    return d;
  }

  /** The plain row buf[s, e) as a snapshot; null for the slow way. */
  snapshot(buf: Buffer, s: number, e: number): Snapshot | null {
    const asOf = this.day(buf, s, e);
    if (Number.isNaN(asOf)) return null;
    const at = this.at;
    const c = this.col.id;
    const id = unguardFormula(buf.toString("utf8", at[2 * c], at[2 * c + 1])).trim();
    return { asOf, id, stage: this.stage, grade: this.grade };
  }
}

/**
 * Scan the history file at `path`: null when there is none (or it is empty). Throws
 * NotHistoryError for a file that is not a stage history; lists bad rows as issues.
 */
export async function scanHistory(path: string, opts: ValueOptions): Promise<HistoryScan | null> {
  const st = await stat(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return null;
    throw e;
  });
  if (!st || st.size === 0) return null;
  const source = basename(path);
  let buf: Buffer = Buffer.alloc(0);
  let base = 0; // file offset of buf[0]
  let scan: HistoryScan | null = null;
  let row: RowSource | null = null;
  let record = 0;
  let lastEnd = 0;
  let issue: HistoryIssueSink = () => {};
  const slowParsers = cachedParsers();
  const issues: Issue[] = [];
  const addRange = (day: number, start: number, end: number) => {
    let r = scan!.ranges.get(day);
    if (!r) scan!.ranges.set(day, (r = []));
    if (r.length && r[r.length - 1] === start) r[r.length - 1] = end;
    else r.push(start, end);
  };
  const onRecord = (fields: string[], start: number, end: number) => {
    const s0 = base + start;
    const s1 = base + end;
    lastEnd = s1;
    if (!scan) {
      const header = fields.map((f, k) => clean(k === 0 ? f.replace(/^\uFEFF/, "") : f));
      const columns = historyColumns(header);
      if (!columns) throw notHistoryHeaders(path, header);
      // the file's line ending, from the header's (CRLF when it has none)
      const eolAt = buf[end - 1] === LF && buf[end - 2] !== CR ? "\n" : "\r\n";
      scan = {
        path,
        size: st.size,
        mtimeMs: st.mtimeMs,
        ino: st.ino,
        delimiter: 0,
        eol: eolAt,
        header,
        columns,
        ranges: new Map(),
        rows: 0,
        endsWithBreak: true,
        issues,
      };
      row = new RowSource(source, header);
      issue = (r, c, value, key, severity, params) =>
        issues.push({
          source,
          row: r < 0 ? 0 : row!.headerRow + 1 + r,
          column: c < 0 ? "" : header[c],
          value,
          reason: params ? { key: KEPT_KEYS[key] ?? key, params } : { key: KEPT_KEYS[key] ?? key },
          severity,
        });
      return;
    }
    record++;
    scan.rows++;
    row!.fields = fields.map(unguardFormula);
    row!.headerRow = record;
    const snap = snapshotRow(row!, 0, scan.columns, opts, issue, slowParsers);
    if (snap) addRange(snap.asOf, s0, s1);
  };

  let fast: PlainRows | null = null;
  /** Records of buf[0, len): plain ones read straight from the bytes, others by splitRecords. */
  const records = (len: number, delimiter: number, atEnd: boolean): number => {
    let i = 0;
    let quote = -2; // where the next quote is (-1: none left in buf)
    while (i < len) {
      if (!scan) {
        const used = splitRecords(buf, i, len, delimiter, atEnd, onRecord, 1);
        if (used === i) return i;
        i = used;
        fast = new PlainRows(scan!.columns, delimiter, opts);
        continue;
      }
      let lf = buf.indexOf(LF, i);
      if (lf < 0 || lf >= len) {
        if (!atEnd) return i;
        lf = len;
      }
      if (quote !== -1 && quote < i) quote = buf.indexOf(QUOTE, i);
      if (quote === -1 || quote >= lf) {
        const end = lf < len ? lf + 1 : len;
        const day = fast!.day(buf, i, lf > i && buf[lf - 1] === CR ? lf - 1 : lf);
        if (!Number.isNaN(day)) {
          record++;
          scan.rows++;
          addRange(day, base + i, base + end);
          lastEnd = base + end;
          i = end;
          continue;
        }
      }
      const used = splitRecords(buf, i, len, delimiter, atEnd, onRecord, 1);
      if (used === i) return i;
      i = used;
    }
    return i;
  };

  const stream = createReadStream(path, { highWaterMark: READ_CHUNK });
  let delimiter = -1;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (delimiter < 0) {
      const found = notText(chunk.subarray(0, 64 * 1024));
      if (found) {
        stream.destroy();
        throw new NotHistoryError(path, found);
      }
    }
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    if (delimiter < 0) {
      const nl = buf.indexOf(LF);
      if (nl < 0 && buf.length < 64 * 1024) continue;
      delimiter = delimiterOf(buf.subarray(0, nl < 0 ? buf.length : nl));
    }
    let used: number;
    try {
      used = records(buf.length, delimiter, false);
    } catch (e) {
      stream.destroy();
      throw e;
    }
    base += used;
    buf = buf.subarray(used);
  }
  if (delimiter < 0) {
    const found = notText(buf);
    if (found) throw new NotHistoryError(path, found);
    delimiter = delimiterOf(buf);
  }
  if (buf.length) records(buf.length, delimiter, true);
  if (!scan) throw new NotHistoryError(path, { kind: "headers", headers: "" });
  const done: HistoryScan = scan;
  done.delimiter = delimiter;
  done.endsWithBreak = lastEnd === 0 || (await endsWithBreak(path, lastEnd));
  return done;
}

/**
 * Check the start of the file only (its first 64 KB): throws NotHistoryError when it is not
 * text or its header lacks the history's columns. For a quick refusal before a long run.
 */
export async function sniffHistory(path: string): Promise<void> {
  const fh = await open(path, "r");
  let head: Buffer;
  try {
    const b = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(b, 0, b.length, 0);
    head = b.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
  if (head.length === 0) return;
  const found = notText(head);
  if (found) throw new NotHistoryError(path, found);
  const nl = head.indexOf(LF);
  let header: string[] | null = null;
  splitRecords(
    head,
    0,
    head.length,
    delimiterOf(head.subarray(0, nl < 0 ? head.length : nl)),
    true,
    (f) => {
      header = f.map((x, k) => clean(k === 0 ? x.replace(/^\uFEFF/, "") : x));
    },
    1,
  );
  if (!header || !historyColumns(header)) throw notHistoryHeaders(path, header ?? []);
}

async function endsWithBreak(path: string, end: number): Promise<boolean> {
  const fd = openSync(path, "r");
  try {
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, end - 1);
    return b[0] === LF || b[0] === CR;
  } finally {
    closeSync(fd);
  }
}

/** Snapshot dates in the file, ascending. */
export const scanDates = (scan: HistoryScan): number[] =>
  [...scan.ranges.keys()].sort((a, b) => a - b);

/**
 * The latest snapshot dated before `asOf`, read from the file (synchronously: the analysis
 * asks for it once it knows its as-of date). Empty when there is none.
 */
export function snapshotBefore(scan: HistoryScan, asOf: number, opts: ValueOptions): Snapshot[] {
  const before = scanDates(scan).filter((d) => d < asOf);
  if (before.length === 0) return [];
  const ranges = scan.ranges.get(before[before.length - 1])!;
  const row = new RowSource(basename(scan.path), scan.header);
  const parsers = cachedParsers();
  const plain = new PlainRows(scan.columns, scan.delimiter, opts);
  const out: Snapshot[] = [];
  const slow = (fields: string[]) => {
    row.fields = fields.map(unguardFormula);
    const s = snapshotRow(row, 0, scan.columns, opts, () => {}, parsers);
    if (s) out.push(s);
  };
  const fd = openSync(scan.path, "r");
  try {
    for (let k = 0; k < ranges.length; k += 2) {
      // a range is a run of whole records: read it in pieces, records whole
      let at = ranges[k];
      const end = ranges[k + 1];
      let carry = Buffer.alloc(0);
      while (at < end) {
        const piece = Buffer.alloc(Math.min(READ_CHUNK, end - at));
        const got = readSync(fd, piece, 0, piece.length, at);
        if (got <= 0) break;
        at += got;
        const buf = carry.length ? Buffer.concat([carry, piece.subarray(0, got)]) : piece;
        const len = carry.length + got;
        const atEnd = at >= end;
        let i = 0;
        let q = -2; // where the next quote is (-1: none left)
        while (i < len) {
          let lf = buf.indexOf(LF, i);
          if (lf < 0 || lf >= len) {
            if (!atEnd) break;
            lf = len;
          }
          if (q !== -1 && q < i) q = buf.indexOf(QUOTE, i);
          const s =
            q < 0 || q >= lf
              ? plain.snapshot(buf, i, lf > i && buf[lf - 1] === CR ? lf - 1 : lf)
              : null;
          if (s) {
            out.push(s);
            i = lf < len ? lf + 1 : len;
            continue;
          }
          const used = splitRecords(buf, i, len, scan.delimiter, atEnd, slow, 1);
          if (used === i) break;
          i = used;
        }
        carry = Buffer.from(buf.subarray(i, len));
      }
    }
  } finally {
    closeSync(fd);
  }
  return out;
}

/** True when the file is no longer the one scanned (another run replaced it). */
export async function historyChanged(scan: HistoryScan | null, path: string): Promise<boolean> {
  const st = await stat(path).catch(() => null);
  if (!scan) return !!st && st.size > 0;
  return !st || st.size !== scan.size || st.mtimeMs !== scan.mtimeMs || st.ino !== scan.ino;
}

/** One field for the file: quoted when it holds the delimiter, a quote or a line break. */
function field(text: string, delimiter: string): string {
  return text.includes(delimiter) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Snapshot rows as lines in the file's columns, delimiter and line ending. */
function* snapshotLines(
  snapshots: readonly Snapshot[],
  header: readonly string[],
  columns: HistoryColumns,
  delimiter: string,
  eol: string,
): Generator<string> {
  const order: (0 | 1 | 2 | 3 | null)[] = header.map((_, c) =>
    c === columns.asOf
      ? 0
      : c === columns.id
        ? 1
        : c === columns.stage
          ? 2
          : c === columns.grade
            ? 3
            : null,
  );
  let lines: string[] = [];
  let day = NaN;
  let iso = "";
  for (const s of snapshots) {
    if (s.asOf !== day) iso = isoDay((day = s.asOf));
    const cells = snapshotCsvCells(s, iso);
    lines.push(
      order.map((k) => (k === null ? "" : field(cells[k], delimiter))).join(delimiter) + eol,
    );
    if (lines.length === WRITE_ROWS) {
      yield lines.join("");
      lines = [];
    }
  }
  if (lines.length) yield lines.join("");
}

/**
 * Write the history file: `scan`'s file (or a new one) with the snapshots of `fresh` in place
 * of those of the same dates. Atomic; call under the file's lock with a scan made under it.
 */
export async function writeHistory(
  path: string,
  scan: HistoryScan | null,
  fresh: readonly Snapshot[],
): Promise<HistoryScan | null> {
  const dates = new Set(fresh.map((s) => s.asOf));
  // the usual run: a snapshot later than all, nothing replaced; the old bytes are copied by
  // the kernel and the new rows go after them
  if (scan && [...scan.ranges.keys()].every((d) => d < Math.min(...dates))) {
    const delimiter = String.fromCharCode(scan.delimiter);
    let added = 0;
    await writeAtomic(
      path,
      async (write) => {
        const counted = async (text: string) => {
          added += Buffer.byteLength(text);
          await write(text);
        };
        if (!scan.endsWithBreak) await counted(scan.eol);
        for (const text of snapshotLines(fresh, scan.header, scan.columns, delimiter, scan.eol))
          await counted(text);
      },
      { startFrom: scan.path },
    );
    // what a scan of the new file would find, known without one: this run's rows at the end
    if (dates.size !== 1 || fresh.length === 0) return null;
    const st = await stat(path);
    const start = scan.size + (scan.endsWithBreak ? 0 : Buffer.byteLength(scan.eol));
    if (st.size !== scan.size + added) return null;
    const ranges = new Map(scan.ranges);
    ranges.set(fresh[0].asOf, [start, st.size]);
    return {
      ...scan,
      path,
      size: st.size,
      mtimeMs: st.mtimeMs,
      ino: st.ino,
      ranges,
      rows: scan.rows + fresh.length,
      endsWithBreak: true,
    };
  }
  await writeAtomic(path, async (write) => {
    if (!scan) {
      const columns = { asOf: 0, id: 1, stage: 2, grade: 3 };
      await write("\uFEFF" + HISTORY_CSV_HEADER.join(",") + "\r\n");
      for (const text of snapshotLines(fresh, HISTORY_CSV_HEADER, columns, ",", "\r\n"))
        await write(text);
      return;
    }
    const first = Math.min(...dates);
    // rows to leave out: the readable rows of the dates written anew, in file order
    const drop: number[][] = [];
    let insertAt = scan.size;
    for (const [day, r] of scan.ranges) {
      if (dates.has(day)) drop.push(r);
      else if (day > first) insertAt = Math.min(insertAt, r[0]);
    }
    const gaps = drop.flatMap((r) => {
      const pairs: [number, number][] = [];
      for (let k = 0; k < r.length; k += 2) pairs.push([r[k], r[k + 1]]);
      return pairs;
    });
    gaps.sort((a, b) => a[0] - b[0]);
    const delimiter = String.fromCharCode(scan.delimiter);
    const fd = openSync(scan.path, "r");
    try {
      const copy = async (from: number, to: number) => {
        for (const [g0, g1] of gaps) {
          if (g1 <= from || g0 >= to) continue;
          if (g0 > from) await copyBytes(fd, from, g0, write);
          from = Math.max(from, g1);
        }
        if (from < to) await copyBytes(fd, from, to, write);
      };
      await copy(0, insertAt);
      if (insertAt === scan.size && !scan.endsWithBreak) await write(scan.eol);
      const sorted = [...fresh].sort((a, b) => a.asOf - b.asOf);
      for (const text of snapshotLines(sorted, scan.header, scan.columns, delimiter, scan.eol))
        await write(text);
      await copy(insertAt, scan.size);
    } finally {
      closeSync(fd);
    }
  });
  return null;
}

/*
 * The scan's record (`.<name>.scan.json` next to the history): what the last run that wrote
 * the file knows of it, so that the next run need not read 3,000,000 rows again. It counts
 * only while the file is exactly the one described (size, modification time and inode);
 * anything else, or a record that cannot be read, means a new scan.
 */
const SCAN_RECORD_VERSION = 1;

export const scanRecordPath = (file: string) => join(dirname(file), `.${basename(file)}.scan.json`);

/** Keep `scan` next to its file for the next run (best effort: a run is not failed by it). */
export async function saveScanRecord(scan: HistoryScan): Promise<void> {
  const record = {
    version: SCAN_RECORD_VERSION,
    ...scan,
    path: undefined,
    ranges: [...scan.ranges],
  };
  await writeFileAtomic(scanRecordPath(scan.path), JSON.stringify(record)).catch(() => undefined);
}

/** The recorded scan of `path` when it still describes the file as it is; else null. */
export async function loadScanRecord(path: string): Promise<HistoryScan | null> {
  try {
    const [text, st] = await Promise.all([readFile(scanRecordPath(path), "utf8"), stat(path)]);
    const r = JSON.parse(text) as Omit<HistoryScan, "ranges" | "path"> & {
      version: number;
      ranges: [number, number[]][];
    };
    if (r.version !== SCAN_RECORD_VERSION) return null;
    if (r.size !== st.size || r.mtimeMs !== st.mtimeMs || r.ino !== st.ino) return null;
    const { version: _v, ...rest } = r;
    void _v;
    return { ...rest, path, ranges: new Map(r.ranges) };
  } catch {
    return null;
  }
}

async function copyBytes(
  fd: number,
  from: number,
  to: number,
  write: (b: Uint8Array) => Promise<void>,
): Promise<void> {
  while (from < to) {
    const piece = Buffer.alloc(Math.min(READ_CHUNK, to - from));
    const got = readSync(fd, piece, 0, piece.length, from);
    if (got <= 0) throw new Error(`history file shrank while being copied`);
    await write(piece.subarray(0, got));
    from += got;
  }
}
