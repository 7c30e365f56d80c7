/**
 * The scan worker of csv-parallel.ts: reads the columns it is given into the shared ones
 * (unless the other thread has taken them already) and answers with its dictionaries' keys
 * and its tallies. It has the text's char codes, shared, but no copy of the whole text: the
 * string the readers parse is a window of it, a few thousand rows long, decoded only when a
 * reader needs more than the codes.
 */
import type { MessagePort } from "node:worker_threads";
import { parentPort } from "node:worker_threads";
import type { Codes, DateOrderTally } from "../values.js";
import { newDateOrderTally } from "../values.js";
import type { ColumnJob } from "../source.js";
import type { ScanReply, ScanTask, ToWorker } from "./csv-parallel.js";
import { TAKEN_BY_WORKER } from "./csv-parallel.js";
import type { Delimiter, Records, ScanText } from "./csv-scan.js";
import { RowScanner, textOfCodes } from "./csv-scan.js";

/** Rows per window: some 80 KB of text, a string small enough for V8's young generation. */
const WINDOW_ROWS = 2048;

let replies: MessagePort | null = null;
let signal: Int32Array | null = null;

/**
 * The text as the readers see it: the char codes, and as `s` the window of rows being read,
 * decoded when a reader first asks for it (most of a plain file's fields are read from the
 * codes alone).
 */
class WindowText implements ScanText {
  base = 0;
  private end = 0;
  private text: string | null = null;

  constructor(
    readonly u: Codes,
    readonly records: Records,
    readonly delimiter: Delimiter,
  ) {}

  /** The window is now [base, end) of the text. */
  moveTo(base: number, end: number): void {
    this.base = base;
    this.end = end;
    this.text = null;
  }

  get s(): string {
    return (this.text ??= textOfCodes(this.u, this.base, this.end));
  }
}

function scan(m: ScanTask): ScanReply {
  if (Atomics.compareExchange(m.claim, 0, 0, TAKEN_BY_WORKER) !== 0)
    return { task: m.task, keys: [], tallies: [] }; // read by the other thread already
  const { records, offset, rows } = m;
  const t = new WindowText(m.codes, records, m.delimiter);
  const tallies = m.jobs.map((j) =>
    j.kind === "dates" && j.tallied ? newDateOrderTally() : undefined,
  );
  const jobs = m.jobs.map((j): ColumnJob => (j.kind === "dates" ? { ...j, tally: undefined } : j));
  const scanner = new RowScanner(t, offset, jobs, m.columns, tallies);
  for (let r = 0; r < rows; r += WINDOW_ROWS) {
    const last = Math.min(rows, r + WINDOW_ROWS) - 1;
    t.moveTo(records.start[r + offset], records.end[last + offset]);
    scanner.rows(r, last + 1);
  }
  return {
    task: m.task,
    keys: m.jobs.map((j, i) => (j.kind === "dictionary" ? scanner.keysOf(i).positions() : null)),
    tallies: tallies.map((x): DateOrderTally | null => x ?? null),
  };
}

function reply(r: ScanReply): void {
  if (!replies || !signal) return;
  // the keys' arrays are moved, not copied
  const moved = r.keys.flatMap((k) => (k ? [k.starts.buffer, k.lengths.buffer] : []));
  replies.postMessage(r, moved as ArrayBuffer[]);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

parentPort?.on("message", (m: ToWorker) => {
  if (m.type === "start") {
    replies = m.replies;
    signal = m.signal;
    return;
  }
  try {
    reply(scan(m));
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    reply({ task: m.task, keys: [], tallies: [], error });
  }
});
