/**
 * The scan worker of csv-parallel.ts: reads the ID columns it is given (unless the other
 * thread has taken them already), then blocks of the number and date columns until none is
 * left, into the shared columns, and answers with its keys, its tallies and its block count.
 * It has the text's char codes, shared, but no copy of the text: it reads through a
 * WindowText.
 */
import type { MessagePort } from "node:worker_threads";
import { parentPort } from "node:worker_threads";
import { newDateOrderTally } from "../values.js";
import type { ColumnJob } from "../source.js";
import type { ScanReply, ScanTask, ToWorker } from "./csv-parallel.js";
import { readBlocks, TAKEN_BY_WORKER } from "./csv-parallel.js";
import type { KeyPositions } from "./csv-scan.js";
import { RowScanner, WindowText } from "./csv-scan.js";

let replies: MessagePort | null = null;
let signal: Int32Array | null = null;

function scan(m: ScanTask): ScanReply {
  const t = new WindowText(m.codes, m.records, m.delimiter);
  const tallies = m.jobs.map((j) =>
    j.kind === "dates" && j.tallied ? newDateOrderTally() : undefined,
  );
  const jobs = m.jobs.map((j): ColumnJob => (j.kind === "dates" ? { ...j, tally: undefined } : j));
  const scannerOf = (of: readonly number[]) =>
    RowScanner.part(t, m.offset, jobs, m.columns, tallies, of);
  const keys: (KeyPositions | null)[] = m.jobs.map(() => null);
  if (m.own.length > 0 && Atomics.compareExchange(m.claim, 0, 0, TAKEN_BY_WORKER) === 0) {
    const scanner = scannerOf(m.own);
    scanner.rows(0, m.rows);
    m.own.forEach((i, k) => (keys[i] = scanner.keysOf(k).positions()));
  }
  const blocks =
    m.blocks.length > 0 ? readBlocks(scannerOf(m.blocks), m.tickets, m.rows, m.blockRows) : 0;
  return { task: m.task, keys, tallies: tallies.map((x) => x ?? null), blocks };
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
    reply({ task: m.task, keys: [], tallies: [], blocks: 0, error });
  }
});
