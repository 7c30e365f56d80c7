/**
 * A large CSV's scan on two cores, split by rows. The file's bytes are in shared memory
 * (readFileShared); a worker thread (csv-worker.ts) scans the second half of the rows while this
 * thread scans the first, both with the same RowScan, and this thread then appends the
 * worker's rows to its own (RowScan.append): values are copied, and each of the worker's
 * dictionary keys is looked up in this thread's key set, so codes come out in first-seen order
 * over the whole file, exactly as one thread would give them.
 *
 * Where the halves meet: the worker starts after the first line break past the middle of the
 * rows. That is a record boundary unless the line break is inside a quoted field; this thread's
 * walk tells, because it stops exactly there only when it is one. When it is not, or when the
 * worker fails or stays silent past its patience, this thread simply walks on to the end, and
 * the worker's answer is dropped: the result is the same either way.
 *
 * The cleaning calls scan synchronously, so this thread waits for the worker with
 * Atomics.wait (the worker has usually finished by then: both halves take as long).
 */
import { newWorker } from "./worker-args.js";
import { closeSync, existsSync, fstatSync, openSync, readSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import type { MessagePort } from "node:worker_threads";
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";
import type { ColumnJob } from "../source.js";
import type { Delimiter, ScanPart } from "./csv-scan.js";

/** How the scan is shared out; tests change these to share out small files. */
export interface ParallelOptions {
  /** The worker script; null for none (default: csv-worker.mjs beside this module, in dist/). */
  worker: URL | null;
  /** Texts of at least this many bytes are scanned on two cores. */
  minBytes: number;
  /** How long to wait for the worker's answer (default: 20 s and 1 s per 2 MB). */
  patienceMs: number | null;
  /** The worker's share of a text's bytes; null: balanced from scan to scan (see ScanHelper). */
  share: number | null;
}

const options: ParallelOptions = {
  worker: defaultWorker(),
  // about 100,000 rows: below that the messages and the merge cost more than the second core saves
  minBytes: 4 << 20,
  patienceMs: null,
  share: null,
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

/** A job as sent to the worker: a date job's tally is whether it has one. */
export type WorkerJob =
  | Exclude<ColumnJob, { kind: "dates" }>
  | (Omit<Extract<ColumnJob, { kind: "dates" }>, "tally"> & { tallied: boolean });

/** The worker's part of a scan: the rows whose records start from `from` on. */
export interface ScanTask {
  type: "scan";
  task: number;
  /** The text's UTF-8 bytes, in shared memory. */
  bytes: Uint8Array;
  delimiter: Delimiter;
  from: number;
  jobs: readonly WorkerJob[];
  /** A guess of its number of rows. */
  expected: number;
}

export type ToWorker = WorkerStart | ScanTask;

/** The worker's answer: its part of the scan, or what went wrong. */
export interface ScanReply {
  task: number;
  part: ScanPart | null;
  /** When the worker finished (clock()). */
  done: number;
  error?: string;
}

/**
 * Where the worker's rows from `from` start when it takes `share` of the bytes: after the first
 * LF past that point (−1 when there is none to split at).
 */
export function splitPoint(u: Uint8Array, from: number, share = 0.5): number {
  const n = u.length;
  const lf = u.indexOf(10, from + Math.floor((n - from) * (1 - share)));
  return lf >= 0 && lf + 1 < n ? lf + 1 : -1;
}

/**
 * The worker's next share of the bytes, from the last scan: this thread read `here` bytes in
 * `hereMs`, the worker `there` bytes in `thereMs` (both from the post, so the worker's time
 * counts the message too). The share that would have had both finish together is the
 * worker's speed over the two; the share moves half way to it (one slow scan, say during a
 * garbage collection, does not swing it), and stays within 0.3..0.6.
 */
export function balancedShare(
  share: number,
  here: number,
  hereMs: number,
  there: number,
  thereMs: number,
): number {
  const a = here / Math.max(hereMs, 1e-3);
  const b = there / Math.max(thereMs, 1e-3);
  const ideal = b / (a + b);
  return ideal === ideal ? Math.min(0.6, Math.max(0.3, (share + ideal) / 2)) : share;
}

let partsUsed = 0;
/**
 * How many scans have used a worker's part so far. A worker that cannot run only makes the
 * scan slower (it then runs on one thread), so tests check this to know it did its share.
 */
export const workerPartsUsed = (): number => partsUsed;

/** The time on a clock both threads share (ms). */
export const clock = (): number => performance.timeOrigin + performance.now();

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
  /**
   * The worker's share of a text's bytes. It starts at half and is then balanced from scan to
   * scan, so that both threads finish together: the worker thread runs a little slower than
   * this one on this kind of machine (and later, by the message), and this thread waited for
   * it some 40 ms a scan with even halves.
   */
  private share = 0.5;
  /** The last task posted: when, and its bytes [from, split) here and [split, n) there. */
  private posted = { task: 0, at: 0, from: 0, split: 0, n: 0 };

  private constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    private readonly signal: Int32Array,
  ) {}

  /** The helper for a text of `bytes` bytes; null when one thread is the way to read it. */
  static forText(bytes: number): ScanHelper | null {
    const { worker } = options;
    if (bytes < options.minBytes || !worker) return null;
    if (ScanHelper.current?.url !== worker.href) {
      ScanHelper.current?.helper?.stop();
      ScanHelper.current = { url: worker.href, helper: ScanHelper.start(worker) };
    }
    const { helper } = ScanHelper.current;
    return helper?.alive ? helper : null;
  }

  private static start(url: URL): ScanHelper | null {
    if (availableParallelism() < 2) return null;
    const worker = newWorker(url);
    worker.unref();
    const { port1, port2 } = new MessageChannel();
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const start: WorkerStart = { type: "start", replies: port2, signal };
    worker.postMessage(start, [port2]);
    const helper = new ScanHelper(worker, port1, signal);
    // a worker that fails to start answers nothing: the scans then simply run here
    worker.on("error", () => helper.stop());
    return helper;
  }

  /**
   * Asks the worker to scan its share of the rows of `bytes` from `from` on (see splitPoint):
   * the task's number, for `receive`, and where the worker's rows start, which is where this
   * thread's walk stops; null when there is no point to split at.
   */
  post(
    bytes: Uint8Array,
    delimiter: Delimiter,
    from: number,
    jobs: readonly ColumnJob[],
    expected: number,
  ): { task: number; split: number } | null {
    const split = splitPoint(bytes, from, options.share ?? this.share);
    if (split < 0) return null;
    const task: ScanTask = {
      type: "scan",
      task: ++this.tasks,
      bytes,
      delimiter,
      from: split,
      jobs: jobs.map((j): WorkerJob => {
        if (j.kind !== "dates") return j;
        return { kind: j.kind, col: j.col, opts: j.opts, tallied: !!j.tally };
      }),
      expected,
    };
    this.worker.postMessage(task);
    this.posted = { task: task.task, at: clock(), from, split, n: bytes.length };
    return { task: task.task, split };
  }

  /** Balances the next split from this one: this thread walked until `walked`, the worker until `done`. */
  private balance(walked: number, done: number): void {
    const { at, from, split, n } = this.posted;
    this.share = balancedShare(this.share, split - from, walked - at, n - split, done - at);
  }

  /** Task `task`'s part; null, with the worker stopped, after an error or a long silence. */
  receive(task: number, bytes: number): ScanPart | null {
    const walked = clock();
    const deadline = performance.now() + (options.patienceMs ?? 20_000 + bytes / 2_000);
    while (this.alive) {
      const seen = Atomics.load(this.signal, 0);
      const m = receiveMessageOnPort(this.port);
      if (m) {
        const reply = m.message as ScanReply;
        if (reply.task !== task) continue; // an earlier scan's, not waited for
        if (reply.part) {
          if (task === this.posted.task) this.balance(walked, reply.done);
          partsUsed++;
          return reply.part;
        }
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

/**
 * `u` in shared memory when a large text's scan will share it with the worker (a copy unless
 * it is there already: readFileShared puts a file's bytes there as it reads them).
 */
export function shareable(u: Buffer): Buffer {
  if (u.buffer instanceof SharedArrayBuffer || !ScanHelper.forText(u.length)) return u;
  const shared = Buffer.from(new SharedArrayBuffer(u.length));
  u.copy(shared);
  return shared;
}

/**
 * A file's bytes in shared memory, so that a large CSV's bytes can be given to the scan worker
 * as they are, without a copy.
 */
export function readFileShared(path: string): Buffer {
  const fd = openSync(path, "r");
  try {
    return readShared(fd);
  } catch (e) {
    // reading a folder fails with EISDIR and no path: the message names the file
    const x = e as NodeJS.ErrnoException;
    if (x && typeof x.code === "string" && !x.path) x.path = path;
    throw e;
  } finally {
    closeSync(fd);
  }
}

function readShared(fd: number): Buffer {
  const size = fstatSync(fd).size;
  ScanHelper.forText(size); // a large file's worker starts while its bytes are read
  const bytes = Buffer.from(new SharedArrayBuffer(size));
  let at = 0;
  while (at < size) {
    const n = readSync(fd, bytes, at, size - at, at);
    if (n === 0) break;
    at += n;
  }
  return at === size ? bytes : bytes.subarray(0, at);
}
