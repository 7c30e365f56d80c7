/**
 * A large CSV's column scan on two cores. The CSV reader (csv.ts) puts a large file's char
 * codes, its record index and the scan's output columns in shared memory, and a worker thread
 * (csv-worker.ts) reads with this thread, through the same row loop (RowScanner):
 *
 * - ID columns (dictionaries) are read whole by one thread each (every other one goes to the
 *   worker), so each keeps its codes in the order one pass meets the keys, exactly as the
 *   one-thread scan; the worker's come back as where their keys are in the text.
 * - Number and date columns are then read in blocks of rows that both threads take from one
 *   shared counter until none is left, so the thread that is done with its IDs first reads
 *   more of them, and neither waits long for the other. Their values need no joining; date
 *   tallies are added up.
 *
 * The worker has no copy of the text: it reads the shared codes and decodes windows of them
 * only when a reader needs a string. The result equals the one-thread scan value for value
 * (the tests compare them). The cleaning calls scan synchronously, so this thread waits for
 * the worker with Atomics.wait. When this thread comes to the worker's ID columns before the
 * worker does (one shared word says who), it reads them itself. A worker that fails, or stays
 * silent past its patience, is not used again, and the scan is redone here (scan returns
 * null; nothing of the jobs has been changed).
 */
import { existsSync, openSync, readSync, fstatSync, closeSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import type { MessagePort } from "node:worker_threads";
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";
import type { ColumnDictionary, ColumnJob } from "../source.js";
import type { Codes, DateOrderTally } from "../values.js";
import { newDateOrderTally } from "../values.js";
import type { Delimiter, KeyPositions, Records, ScanColumn, ScanText } from "./csv-scan.js";
import { RowScanner, scanColumnsFor } from "./csv-scan.js";

/** How the scan is shared out; tests change these to share out small files deterministically. */
export interface ParallelOptions {
  /** The worker script; null for none (default: csv-worker.mjs beside this module, in dist/). */
  worker: URL | null;
  /** Texts at least this long (in chars) are scanned on two cores. */
  minChars: number;
  /** Rows per block of the number and date columns. */
  blockRows: number;
  /** Whether this thread reads the worker's ID columns itself when the worker has not begun. */
  takeOver: boolean;
  /** Whether this thread reads blocks of the number and date columns too. */
  shareBlocks: boolean;
  /** How long to wait for the worker's answer (default: 20 s and 1 s per 50,000 rows). */
  patienceMs: number | null;
}

const options: ParallelOptions = {
  worker: defaultWorker(),
  // about 100,000 rows: below that the shared memory and the messages cost more than the
  // second core saves
  minChars: 4 << 20,
  // a few milliseconds of reading: the longest one thread waits for the other's last block
  blockRows: 16_384,
  takeOver: true,
  shareBlocks: true,
  patienceMs: null,
};

/** Changes the options; returns them as they were, to put back. */
export function configureParallel(changes: Partial<ParallelOptions>): ParallelOptions {
  const before = { ...options };
  Object.assign(options, changes);
  return before;
}

function defaultWorker(): URL | null {
  const url = new URL("./csv-worker.mjs", import.meta.url);
  return url.protocol === "file:" && existsSync(fileURLToPath(url)) ? url : null;
}

/** The worker's first message: where to answer, and the word it counts its answers on. */
export interface WorkerStart {
  type: "start";
  replies: MessagePort;
  signal: Int32Array;
}

/**
 * The worker's part of a scan: its ID columns (`own`, whole) and blocks of the number and date
 * columns (`blocks`), in the jobs' columns, all in shared memory.
 */
export interface ScanTask {
  type: "scan";
  task: number;
  codes: Codes;
  records: Records;
  delimiter: Delimiter;
  offset: number;
  rows: number;
  /** The jobs, each date job's tally replaced by whether it has one. */
  jobs: readonly WorkerJob[];
  columns: readonly ScanColumn[];
  own: readonly number[];
  blocks: readonly number[];
  blockRows: number;
  /** Who reads `own`: 0 not yet taken, then TAKEN_BY_WORKER or TAKEN_HERE. */
  claim: Int32Array;
  /** Blocks taken so far, by either thread. */
  tickets: Int32Array;
}

export const TAKEN_BY_WORKER = 1;
const TAKEN_HERE = 2;

export type WorkerJob =
  | Exclude<ColumnJob, { kind: "dates" }>
  | (Omit<Extract<ColumnJob, { kind: "dates" }>, "tally"> & { tallied: boolean });

/**
 * The worker's answer: per job, the keys of the ID columns it read, and the tallies of its
 * blocks of date columns; `blocks`, how many blocks it read.
 */
export interface ScanReply {
  task: number;
  keys: (KeyPositions | null)[];
  tallies: (DateOrderTally | null)[];
  blocks: number;
  error?: string;
}

export type ToWorker = WorkerStart | ScanTask;

/**
 * Which ID (dictionary) jobs the worker reads whole: every other one, this thread taking the
 * first (it starts first). The number and date jobs are read in shared blocks.
 */
export function shareOut(jobs: readonly ColumnJob[]): boolean[] {
  let ids = 0;
  return jobs.map((j) => j.kind === "dictionary" && ids++ % 2 === 1);
}

/** The blocks of `rows` rows. */
export const blockCount = (rows: number, blockRows: number): number => Math.ceil(rows / blockRows);

/** Reads the blocks of the counter `tickets` until none is left; how many it read. */
export function readBlocks(
  scanner: RowScanner,
  tickets: Int32Array,
  rows: number,
  blockRows: number,
): number {
  const blocks = blockCount(rows, blockRows);
  let read = 0;
  for (let b = Atomics.add(tickets, 0, 1); b < blocks; b = Atomics.add(tickets, 0, 1)) {
    scanner.rows(b * blockRows, Math.min(rows, (b + 1) * blockRows));
    read++;
  }
  return read;
}

/**
 * The scan worker, asked and answered synchronously. One per process, started when the first
 * large file is read and kept (unreferenced, so it never holds the process open): its
 * compiled code stays warm from file to file.
 */
export class ScanHelper {
  /** The helper of the worker script last asked for (null when it could not start). */
  private static current: { url: string; helper: ScanHelper | null } | null = null;
  private alive = true;
  private tasks = 0;

  private constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    private readonly signal: Int32Array,
  ) {}

  /** The helper for a text of `chars` chars; null when one thread is the way to read it. */
  static forText(chars: number): ScanHelper | null {
    const { worker } = options;
    if (chars < options.minChars || !worker) return null;
    if (ScanHelper.current?.url !== worker.href) {
      ScanHelper.current?.helper?.stop();
      ScanHelper.current = { url: worker.href, helper: ScanHelper.start(worker) };
    }
    const { helper } = ScanHelper.current;
    return helper?.alive ? helper : null;
  }

  private static start(url: URL): ScanHelper | null {
    if (availableParallelism() < 2) return null;
    const worker = new Worker(url);
    worker.unref();
    const { port1, port2 } = new MessageChannel();
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const start: WorkerStart = { type: "start", replies: port2, signal };
    worker.postMessage(start, [port2]);
    const helper = new ScanHelper(worker, port1, signal);
    // a worker that fails to start takes no block: the scans then simply run here
    worker.on("error", () => helper.stop());
    return helper;
  }

  /**
   * The jobs' results over rows [0, rows) of the text (records from `offset` on), read on
   * both threads; null when the worker failed (nothing of the jobs is changed then).
   */
  scan(
    t: ScanText,
    offset: number,
    rows: number,
    jobs: readonly ColumnJob[],
  ): (ColumnDictionary | Float64Array)[] | null {
    if (!this.alive || jobs.length < 2) return null;
    const theirs = shareOut(jobs);
    const which = (f: (j: ColumnJob, i: number) => boolean) =>
      jobs.map((_, i) => i).filter((i) => f(jobs[i], i));
    const mine = which((j, i) => j.kind === "dictionary" && !theirs[i]);
    const own = which((_, i) => theirs[i]);
    const blocks = which((j) => j.kind !== "dictionary");
    const { blockRows } = options;
    const columns = scanColumnsFor(jobs, rows, true);
    const claim = new Int32Array(new SharedArrayBuffer(4));
    const tickets = new Int32Array(new SharedArrayBuffer(4));
    const task: ScanTask = {
      type: "scan",
      task: ++this.tasks,
      codes: t.u,
      records: t.records,
      delimiter: t.delimiter,
      offset,
      rows,
      jobs: jobs.map((j): WorkerJob => {
        if (j.kind !== "dates") return j;
        return { kind: j.kind, col: j.col, opts: j.opts, tallied: !!j.tally };
      }),
      columns,
      own,
      blocks,
      blockRows,
      claim,
      tickets,
    };
    this.worker.postMessage(task);
    const out: (ColumnDictionary | Float64Array)[] = new Array(jobs.length);
    // a date job's tally is added to only once the whole scan is known to be good
    const tallies = jobs.map((j) =>
      j.kind === "dates" && j.tally ? newDateOrderTally() : undefined,
    );
    const scannerOf = (of: number[]) => RowScanner.part(t, offset, jobs, columns, tallies, of);
    const readWhole = (of: number[]) => {
      if (of.length === 0) return;
      const scanner = scannerOf(of);
      scanner.rows(0, rows);
      scanner.results(of.map((i) => columns[i])).forEach((x, k) => (out[of[k]] = x));
    };
    readWhole(mine);
    let theirBlocks = blocks.length > 0 ? blockCount(rows, blockRows) : 0;
    if (theirBlocks > 0 && options.shareBlocks)
      theirBlocks -= readBlocks(scannerOf(blocks), tickets, rows, blockRows);
    for (const i of blocks) out[i] = columns[i] as Float64Array;
    // the worker's ID columns, here when the worker has not started on them yet
    const tookOver =
      own.length > 0 && options.takeOver && Atomics.compareExchange(claim, 0, 0, TAKEN_HERE) === 0;
    if (tookOver) readWhole(own);
    if ((own.length > 0 && !tookOver) || theirBlocks > 0) {
      const reply = this.receive(task.task, options.patienceMs ?? 20_000 + rows / 50);
      if (!reply) return null;
      jobs.forEach((_, i) => {
        const keys = reply.keys[i];
        if (keys && !tookOver) out[i] = keyPositionsDictionary(t, keys, columns[i] as Int32Array);
        const tally = reply.tallies[i];
        const mineToo = tallies[i];
        if (tally && mineToo) addTally(mineToo, tally);
      });
    }
    jobs.forEach((job, i) => {
      const tally = tallies[i];
      if (job.kind === "dates" && job.tally && tally) addTally(job.tally, tally);
    });
    return out;
  }

  /** Task `task`'s answer; null, with the worker stopped, after an error or a long silence. */
  private receive(task: number, patienceMs: number): ScanReply | null {
    const deadline = performance.now() + patienceMs;
    while (this.alive) {
      const seen = Atomics.load(this.signal, 0);
      const m = receiveMessageOnPort(this.port);
      if (m) {
        const reply = m.message as ScanReply;
        if (reply.task !== task) continue; // an earlier scan's, not waited for
        if (!reply.error) return reply;
        break;
      }
      if (performance.now() > deadline) break;
      Atomics.wait(this.signal, 0, seen, 1000);
    }
    this.stop();
    return null;
  }

  private stop(): void {
    this.alive = false;
    void this.worker.terminate();
  }
}

/** A dictionary whose keys are given by where they are in the text (or as own strings). */
function keyPositionsDictionary(
  t: ScanText,
  keys: KeyPositions,
  codes: Int32Array,
): ColumnDictionary {
  const { starts, lengths, own } = keys;
  const ownOf = new Int32Array(own.length > 0 ? starts.length : 0);
  for (let k = 0, o = 0; k < ownOf.length; k++) if (starts[k] < 0) ownOf[k] = o++;
  return {
    size: starts.length,
    codes,
    key: (k) => (starts[k] >= 0 ? t.s.slice(starts[k], starts[k] + lengths[k]) : own[ownOf[k]]),
    codeAt: (k, i) => {
      if (starts[k] < 0) {
        const key = own[ownOf[k]];
        return i < key.length ? key.charCodeAt(i) : NaN;
      }
      return i < lengths[k] ? t.u[starts[k] + i] : NaN;
    },
  };
}

function addTally(to: DateOrderTally, from: DateOrderTally): void {
  to.mdy += from.mdy;
  to.dmy += from.dmy;
  to.ambiguous += from.ambiguous;
}

/**
 * A file's bytes in shared memory, so that a large CSV's codes can be given to the scan worker
 * as they are, without a copy.
 */
export function readFileShared(path: string): Buffer {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    const bytes = Buffer.from(new SharedArrayBuffer(size));
    let at = 0;
    while (at < size) {
      const n = readSync(fd, bytes, at, size - at, at);
      if (n === 0) break;
      at += n;
    }
    return at === size ? bytes : bytes.subarray(0, at);
  } finally {
    closeSync(fd);
  }
}
