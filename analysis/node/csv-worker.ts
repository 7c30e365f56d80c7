/**
 * The worker thread of csv-parallel.ts: decodes and indexes the second part of a large CSV,
 * answers with its row count, then scans the columns it is asked for; until the next part.
 */
import { parentPort } from "node:worker_threads";
import type { ColumnJob } from "../source.js";
import { CsvSource } from "./csv.js";
import type { PartLoad, PartReply, WorkerStart } from "./csv-parallel.js";
import { partText, scanPart, transferList } from "./csv-parallel.js";

let start: WorkerStart | null = null;
let part: CsvSource | null = null;

function reply(r: PartReply): void {
  const { replies, signal } = start as WorkerStart;
  replies.postMessage(r, transferList(r));
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

parentPort?.on("message", (m: WorkerStart | PartLoad | readonly ColumnJob[]) => {
  if (!start) {
    start = m as WorkerStart;
    return;
  }
  try {
    if (Array.isArray(m)) reply({ results: scanPart(part as CsvSource, m) });
    else {
      const { tail, encoding, delimiter } = m as PartLoad;
      part = null; // the previous part can go before the next is read
      part = new CsvSource("", partText(tail, encoding), delimiter, -1);
      reply({ rows: part.rowCount });
    }
  } catch (e) {
    reply({ error: e instanceof Error ? e.message : String(e) });
  }
});
