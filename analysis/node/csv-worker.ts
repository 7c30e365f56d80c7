/**
 * The scan worker of csv-parallel.ts: scans the rows of a shared text from a given record on,
 * with the same RowScan as the other thread, and answers with its part (the arrays moved, not
 * copied).
 */
import type { MessagePort } from "node:worker_threads";
import { parentPort } from "node:worker_threads";
import { newDateOrderTally } from "../values.js";
import type { ColumnJob } from "../source.js";
import { clock, type ScanReply, type ScanTask, type ToWorker } from "./csv-parallel.js";
import type { ScanPart } from "./csv-scan.js";
import { RecordIndex, RowScan, stopBytes } from "./csv-scan.js";

let replies: MessagePort | null = null;
let signal: Int32Array | null = null;

function scan(m: ScanTask): ScanPart {
  const u = Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.length);
  // a fresh tally per date job that has one, so that the scan gathers its evidence
  const jobs = m.jobs.map((j): ColumnJob => {
    if (j.kind !== "dates") return j;
    return {
      kind: j.kind,
      col: j.col,
      opts: j.opts,
      tally: j.tallied ? newDateOrderTally() : undefined,
    };
  });
  const records = new RecordIndex();
  const rows = new RowScan(
    { u, delimiter: m.delimiter, stop: stopBytes(m.delimiter) },
    jobs,
    m.expected,
  );
  rows.walk(m.from, u.length, records);
  return rows.part(records);
}

/** The buffers of a part, to move (each once: a transfer list takes no duplicates). */
function buffersOf(part: ScanPart): ArrayBuffer[] {
  const out = new Set<ArrayBufferLike>([part.records.buffer]);
  for (const c of part.columns) {
    if (c.kind === "dictionary")
      [c.codes, c.keys.starts, c.keys.lengths, c.keys.leads].forEach((a) => out.add(a.buffer));
    else {
      out.add(c.values.buffer);
      if (c.evidence) out.add(c.evidence.buffer);
    }
  }
  return [...out] as ArrayBuffer[];
}

function reply(r: ScanReply): void {
  if (!replies || !signal) return;
  replies.postMessage(r, r.part ? buffersOf(r.part) : []);
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
    reply({ task: m.task, part: scan(m), done: clock() });
  } catch (e) {
    reply({
      task: m.task,
      part: null,
      done: clock(),
      error: e instanceof Error ? e.message : String(e),
    });
  }
});
