/**
 * The --history scan (history-file.ts) on the second core while this thread reads and analyses
 * the orders: a history of 3,000,000 rows then costs the run little more than its previous
 * snapshot does.
 *
 * Decisions:
 * - The worker is dist/history-worker.mjs (history-worker.ts, built next to crm.mjs as the CSV
 *   worker is): it loads the scan code only, not the report and workbook libraries. Where it
 *   is not there (the TypeScript sources in tests), the scan runs in this thread before the
 *   analysis instead: the result is the same.
 * - The analysis asks for the scan synchronously (it wants the previous snapshot once it knows
 *   its as-of date), so the worker posts its result on a port and wakes this thread through
 *   a shared word (Atomics), as csv-parallel.ts does; receiveMessageOnPort then takes it.
 * - The worker answers every outcome, errors included (a file that is not a history, a file
 *   system error: rebuilt here with their class and code). Should it die without answering,
 *   the wait gives up after WAIT_LIMIT_MS with an error rather than hang.
 */
import { newWorker } from "./worker-args.js";
import { existsSync } from "node:fs";
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";
import { isMainThread, workerData, type MessagePort } from "node:worker_threads";
import type { ValueOptions } from "../types.js";
import {
  NotHistoryError,
  scanHistory,
  type HistoryScan,
  type NotHistoryFound,
} from "./history-file.js";

const FLAG = "crmHistoryScan";
const WAIT_LIMIT_MS = 10 * 60_000;

interface Job {
  path: string;
  opts: ValueOptions;
  port: MessagePort;
  done: Int32Array;
}

type Reply =
  | { ok: true; scan: HistoryScan | null }
  | { ok: false; notHistory: { path: string; found: NotHistoryFound } }
  | { ok: false; error: { message: string; code?: string; path?: string; syscall?: string } };

/** A scan under way: `ready` settles before the analysis, `result()` is asked during it. */
export interface PendingScan {
  ready: Promise<void>;
  result(): HistoryScan | null;
  /** Stop the worker when the run ends early. */
  cancel(): void;
}

const revive = (r: Reply): HistoryScan | null => {
  if (r.ok) return r.scan;
  if ("notHistory" in r) throw new NotHistoryError(r.notHistory.path, r.notHistory.found);
  throw Object.assign(new Error(r.error.message), r.error);
};

/** In this thread: the whole scan before the analysis. */
function scanHere(path: string, opts: ValueOptions): PendingScan {
  let scan: HistoryScan | null = null;
  const ready = scanHistory(path, opts).then((s) => {
    scan = s;
  });
  return { ready, result: () => scan, cancel: () => {} };
}

/** A scan known already (history-file.ts's scan record). */
export const knownScan = (scan: HistoryScan): PendingScan => ({
  ready: Promise.resolve(),
  result: () => scan,
  cancel: () => {},
});

/** Start scanning the history file `path`, on the other core when the build allows it. */
export function startHistoryScan(path: string, opts: ValueOptions): PendingScan {
  const script = new URL("./history-worker.mjs", import.meta.url);
  if (script.protocol !== "file:" || !existsSync(script)) return scanHere(path, opts);
  const done = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  let worker: Worker;
  try {
    worker = newWorker(script, {
      workerData: { [FLAG]: { path, opts, port: port2, done } },
      transferList: [port2],
    });
  } catch {
    return scanHere(path, opts);
  }
  worker.unref();
  worker.on("error", () => {}); // told through the port; a crash ends in the wait's limit
  let reply: Reply | null = null;
  return {
    ready: Promise.resolve(),
    result() {
      if (!reply) {
        if (Atomics.wait(done, 0, 0, WAIT_LIMIT_MS) === "timed-out" && !Atomics.load(done, 0))
          throw new Error(`the scan of ${path} did not finish`);
        reply = receiveMessageOnPort(port1)?.message as Reply;
        port1.close();
      }
      return revive(reply);
    },
    cancel() {
      void worker.terminate();
      port1.close();
    },
  };
}

/** True in a worker thread started by startHistoryScan. */
export const isHistoryScanWorker = (): boolean =>
  !isMainThread && !!(workerData as Record<string, unknown> | null)?.[FLAG];

/** The worker's side: scan, post the outcome, wake the waiting thread. */
export async function historyScanWorker(): Promise<void> {
  const job = (workerData as Record<string, Job>)[FLAG];
  let reply: Reply;
  try {
    reply = { ok: true, scan: await scanHistory(job.path, job.opts) };
  } catch (e) {
    if (e instanceof NotHistoryError)
      reply = { ok: false, notHistory: { path: e.path, found: e.found } };
    else {
      const x = e as NodeJS.ErrnoException;
      reply = {
        ok: false,
        error: {
          message: x?.message ?? String(e),
          code: x?.code,
          path: x?.path,
          syscall: x?.syscall,
        },
      };
    }
  }
  job.port.postMessage(reply);
  Atomics.store(job.done, 0, 1);
  Atomics.notify(job.done, 0);
  job.port.close();
}
