/**
 * Reading a large CSV on two cores. The file is cut at a line break near its middle: this
 * thread reads the first part (header included) while a worker thread (csv-worker.ts) decodes
 * and indexes the second. The one whole-column scan the cleaning asks for then runs on both
 * parts at once, and the results are joined: numbers and dates end to end, dictionaries by
 * adding the second part's keys, in their first-seen order, to the first part's set, so codes
 * come out as one pass over the whole file gives them.
 *
 * The result equals readCsv's on the whole file, value for value (the tests compare the two).
 * When the cut would not be exact it is not made: UTF-16 text, no line break to cut at, a
 * quoted field still open where the first part ends (a line break inside quotes), or fewer
 * than 20 records before the cut (the header row is looked for among the first 20). Single cells
 * of the second part (rows named in data issues) are read by decoding it here when first
 * needed; if the worker fails or falls silent, the second part is scanned here instead.
 */
import { isUtf8 } from "node:buffer";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import type { MessagePort } from "node:worker_threads";
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";
import type { Cell, TableSource, ValueOptions } from "../types.js";
import type { ColumnDictionary, ColumnJob, ColumnScans } from "../source.js";
import type { DateOrderTally } from "../values.js";
import { newDateOrderTally } from "../values.js";
import type { Delimiter } from "./csv.js";
import { CsvSource, detectDelimiter, dictionaryOf, readCsv } from "./csv.js";

/** Below this size the worker's start (some 40 ms) costs more than the second core saves. */
const AUTO_BYTES = 8 << 20;

export interface ReadCsvOptions {
  /** "auto" (the default): two cores for files of 8 MB or more, when the machine has two. */
  parallel?: "auto" | "always" | "never";
  /** The worker script (default: csv-worker.mjs beside this module, as built into dist/). */
  worker?: URL;
  /**
   * How long to wait for an answer before reading the second part here instead (default: 15
   * seconds and 1 second per megabyte of the second part).
   */
  patienceMs?: number;
}

export type TextEncoding = "utf-8" | "gb18030";

/** The worker's first message: where to answer, and the word it counts its answers on. */
export interface WorkerStart {
  replies: MessagePort;
  signal: Int32Array;
}

/** A second part for the worker to read (it replaces the previous one). */
export interface PartLoad {
  tail: Uint8Array;
  encoding: TextEncoding;
  delimiter: Delimiter;
}

/**
 * A job's result from the second part. A dictionary's keys travel as where they are in the
 * part's text (which this thread decodes too), or as strings when they are not in it (quoted
 * fields with "" inside).
 */
export type PartResult =
  | { values: Float64Array; tally?: DateOrderTally }
  | { codes: Int32Array; starts: Int32Array; lengths: Int32Array; own: string[] };

/** The worker's answers: its row count first, then each scan's results. */
export interface PartReply {
  rows?: number;
  results?: PartResult[];
  error?: string;
}

/** The second part's results of `jobs` (in the worker, or here when the worker is gone). */
export function scanPart(part: CsvSource, jobs: readonly ColumnJob[]): PartResult[] {
  // a tally of this part's own, added to the caller's when the parts are joined
  const mine = jobs.map((j) =>
    j.kind === "dates" && j.tally ? { ...j, tally: newDateOrderTally() } : j,
  );
  return part.scanEncoded(mine).map((x, i): PartResult => {
    if (x instanceof Float64Array) {
      const job = mine[i];
      return { values: x, tally: job.kind === "dates" ? job.tally : undefined };
    }
    const { keys } = x;
    const starts = new Int32Array(keys.size);
    const lengths = new Int32Array(keys.size);
    const own: string[] = [];
    for (let k = 0; k < keys.size; k++) {
      starts[k] = keys.startOf(k);
      if (starts[k] < 0) own.push(keys.key(k));
      else lengths[k] = keys.lengthOf(k);
    }
    return { codes: x.codes, starts, lengths, own };
  });
}

/** The arrays of a reply, moved rather than copied. */
export function transferList(reply: PartReply): ArrayBuffer[] {
  return (reply.results ?? []).flatMap((r) =>
    "values" in r ? [r.values.buffer] : [r.codes.buffer, r.starts.buffer, r.lengths.buffer],
  ) as ArrayBuffer[];
}

/** The second part's text, decoded as the whole file's decoding decodes those bytes. */
export function partText(tail: Uint8Array, encoding: TextEncoding): string {
  // ignoreBOM: bytes EF BB BF after a line break are text, as in the whole file's decoding
  return new TextDecoder(encoding, { ignoreBOM: true }).decode(tail);
}

function defaultWorker(): URL | null {
  const url = new URL("./csv-worker.mjs", import.meta.url);
  return url.protocol === "file:" && existsSync(fileURLToPath(url)) ? url : null;
}

/** readCsv, on two cores when the file is large and the cut exact; otherwise readCsv itself. */
export function readCsvParallel(
  bytes: Uint8Array,
  source: string,
  options: ReadCsvOptions = {},
): TableSource {
  const mode = options.parallel ?? "auto";
  const worker = mode === "never" ? null : (options.worker ?? defaultWorker());
  const small = mode === "auto" && (bytes.length < AUTO_BYTES || availableParallelism() < 2);
  const cut = worker && !small ? cutOf(bytes) : null;
  if (!worker || !cut) return readCsv(bytes, source);
  const { skip, at, encoding } = cut;

  const tail = new Uint8Array(new SharedArrayBuffer(bytes.length - at));
  tail.set(bytes.subarray(at));
  const delimiter = detectDelimiter(decodePrefix(bytes, skip, encoding));
  // the worker reads its part while this thread decodes and indexes the first one
  const remote = Remote.for(worker);
  const load = remote.load({ tail, encoding, delimiter }, options.patienceMs);
  const first = new CsvSource(source, decodeHead(bytes, skip, at, encoding), delimiter);
  const rows = load ? remote.receive()?.rows : undefined;
  // the header is looked for in the first 20 records: the first part must hold them
  if (first.open || first.recordCount < 20) return readCsv(bytes, source);
  const text = () => partText(tail, encoding);
  return new SplitCsvSource(first, remote, remote.loads, text, delimiter, rows);
}

/** Where the first part's text starts (after a BOM), where the second part starts, the encoding. */
function cutOf(bytes: Uint8Array): { skip: number; at: number; encoding: TextEncoding } | null {
  const [a, b, c] = bytes;
  if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) return null; // UTF-16
  const skip = a === 0xef && b === 0xbb && c === 0xbf ? 3 : 0;
  // as decodeText: a BOM says UTF-8; without one, bytes that are not UTF-8 are GB18030
  const encoding: TextEncoding = skip > 0 || isUtf8(bytes) ? "utf-8" : "gb18030";
  // a line feed byte is a line feed in both (never part of a multi-byte character)
  const nl = bytes.indexOf(10, skip + ((bytes.length - skip) >> 1));
  return nl < 0 || nl + 1 >= bytes.length ? null : { skip, at: nl + 1, encoding };
}

/** The first part's text, decoded as decodeText decodes the start of the file. */
function decodeHead(bytes: Uint8Array, skip: number, at: number, encoding: TextEncoding): string {
  const fatal = skip === 0 && encoding === "utf-8";
  return new TextDecoder(encoding, { fatal }).decode(bytes.subarray(skip, at));
}

/**
 * The first 65,536 characters of the file (all detectDelimiter reads), however short the first
 * part: a character takes at most 4 bytes.
 */
function decodePrefix(bytes: Uint8Array, skip: number, encoding: TextEncoding): string {
  const end = Math.min(bytes.length, skip + 4 * 65_536 + 4);
  return new TextDecoder(encoding).decode(bytes.subarray(skip, end)).slice(0, 65_536);
}

/**
 * The worker, asked and answered synchronously (the cleaning is synchronous code). One worker
 * per script serves every large file of the process in turn, so its compiled code stays warm;
 * it holds the second part of the file read last.
 */
class Remote {
  private static readonly workers = new Map<string, Remote>();
  private alive = true;
  private patienceMs = 15_000;
  /** Parts loaded so far: a source whose part was replaced reads its own. */
  loads = 0;

  private constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    private readonly signal: Int32Array,
  ) {}

  static for(url: URL): Remote {
    const known = Remote.workers.get(url.href);
    if (known?.alive) return known;
    const worker = new Worker(url);
    worker.unref(); // a finished run exits without waiting for it
    worker.on("error", () => {}); // a failed worker is noticed by its silence (receive)
    const { port1, port2 } = new MessageChannel();
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const start: WorkerStart = { replies: port2, signal };
    worker.postMessage(start, [port2]);
    const remote = new Remote(worker, port1, signal);
    Remote.workers.set(url.href, remote);
    return remote;
  }

  /** Gives the worker a second part to read; false when the worker is gone. */
  load(part: PartLoad, patienceMs = 15_000 + part.tail.length / 1000): boolean {
    if (!this.alive) return false;
    this.loads++;
    this.patienceMs = patienceMs;
    this.worker.postMessage(part);
    return true;
  }

  /** Asks for a scan of the second part; false when the worker is gone. */
  send(jobs: readonly ColumnJob[]): boolean {
    if (this.alive) this.worker.postMessage(jobs);
    return this.alive;
  }

  /** The next answer; null, with the worker stopped, after an error or a long silence. */
  receive(): PartReply | null {
    const deadline = performance.now() + this.patienceMs;
    while (this.alive) {
      const seen = Atomics.load(this.signal, 0);
      const m = receiveMessageOnPort(this.port);
      if (m) {
        const reply = m.message as PartReply;
        if (!reply.error) return reply;
        break;
      }
      if (performance.now() > deadline) break;
      Atomics.wait(this.signal, 0, seen, 1000);
    }
    this.alive = false;
    void this.worker.terminate();
    return null;
  }
}

/** A CSV read in two parts: the rows of the first, then the rows of the second. */
class SplitCsvSource implements TableSource, ColumnScans {
  readonly source: string;
  readonly headerRow: number;
  readonly firstColumn: number;
  readonly headers: readonly string[];
  readonly rowCount: number;
  private readonly cut: number;
  private local: CsvSource | null = null;
  private localText: string | null = null;

  constructor(
    private readonly first: CsvSource,
    private readonly remote: Remote,
    /** Which of the worker's loads is this source's second part. */
    private readonly load: number,
    private readonly decodeSecond: () => string,
    private readonly delimiter: Delimiter,
    secondRows: number | undefined,
  ) {
    this.source = first.source;
    this.headerRow = first.headerRow;
    this.firstColumn = first.firstColumn;
    this.headers = first.headers;
    this.cut = first.rowCount;
    this.rowCount = first.rowCount + (secondRows ?? this.second().rowCount);
  }

  /** The second part's text, decoded in this thread too (the worker's keys point into it). */
  private secondText(): string {
    return (this.localText ??= this.decodeSecond());
  }

  /** The second part, read in this thread (for single cells, or when the worker failed). */
  private second(): CsvSource {
    return (this.local ??= new CsvSource(this.source, this.secondText(), this.delimiter, -1));
  }

  scan(jobs: readonly ColumnJob[]): (ColumnDictionary | Float64Array)[] {
    const asked = this.remote.loads === this.load && this.remote.send(jobs);
    const mine = this.first.scanEncoded(jobs);
    const text = this.secondText(); // while the worker finishes
    const theirs = (asked && this.remote.receive()?.results) || scanPart(this.second(), jobs);
    return mine.map((a, i) => {
      const b = theirs[i];
      if (a instanceof Float64Array && "values" in b) {
        const job = jobs[i];
        if (job.kind === "dates" && job.tally && b.tally) addTally(job.tally, b.tally);
        const out = new Float64Array(this.rowCount);
        out.set(a);
        out.set(b.values, this.cut);
        return out;
      }
      if (a instanceof Float64Array || "values" in b) throw new Error("scan results out of step");
      // the second part's keys, in its first-seen order, join the first part's set
      const { keys } = a;
      const t = keys.text(text);
      const code = new Int32Array(b.starts.length);
      for (let k = 0, o = 0; k < code.length; k++) {
        const p = b.starts[k];
        code[k] = p < 0 ? keys.addString(b.own[o++]) : keys.addIn(t, p, p + b.lengths[k]);
      }
      const codes = new Int32Array(this.rowCount);
      codes.set(a.codes);
      for (let r = 0, o = this.cut; r < b.codes.length; r++, o++)
        codes[o] = b.codes[r] < 0 ? -1 : code[b.codes[r]];
      return dictionaryOf(keys, codes);
    });
  }

  private at<T>(row: number, read: (part: CsvSource, r: number) => T): T {
    return row < this.cut ? read(this.first, row) : read(this.second(), row - this.cut);
  }

  cell(row: number, col: number): Cell {
    return this.at(row, (p, r) => p.cell(r, col));
  }

  isBlank(row: number, col: number): boolean {
    return this.at(row, (p, r) => p.isBlank(r, col));
  }

  text(row: number, col: number): string {
    return this.at(row, (p, r) => p.text(r, col));
  }

  number(row: number, col: number, opts: ValueOptions): number {
    return this.at(row, (p, r) => p.number(r, col, opts));
  }

  date(row: number, col: number, opts: ValueOptions): number {
    return this.at(row, (p, r) => p.date(r, col, opts));
  }
}

function addTally(to: DateOrderTally, from: DateOrderTally): void {
  to.mdy += from.mdy;
  to.dmy += from.dmy;
  to.ambiguous += from.ambiguous;
}
