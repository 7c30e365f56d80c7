/**
 * Worker threads start with the parent's Node options, less those that name code to run
 * instead of the worker's file. A worker inherits process.execArgv, so under
 * `node --input-type=module -e "…"` (or `-p`) it ran the parent's inline code instead of its
 * own script and never answered: the scan then waited out its patience (43 s instead of 4 s for
 * a million rows).
 *
 * Options are passed explicitly only then: an explicit list is checked, and process-wide
 * options such as --expose-gc are refused in a worker (ERR_WORKER_INVALID_EXEC_ARGV), which the
 * inherited default tolerates; when the filtered list is refused, the worker starts with none.
 */
import { Worker, type WorkerOptions } from "node:worker_threads";

const TAKES_CODE = new Set(["-e", "--eval", "-p", "--print"]);

/** The options a worker should get: undefined (inherit) unless the parent ran inline code. */
export function workerExecArgv(argv: readonly string[] = process.execArgv): string[] | undefined {
  const out: string[] = [];
  let inline = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (TAKES_CODE.has(a) || a === "--input-type") {
      inline ||= a !== "--input-type";
      i++; // and its value
      continue;
    }
    if (/^--(eval|print|input-type)=/.test(a)) {
      inline ||= !a.startsWith("--input-type");
      continue;
    }
    out.push(a);
  }
  return inline ? out : undefined;
}

/** A worker on `script` with workerExecArgv's options (none when Node refuses those). */
export function newWorker(script: URL | string, options: WorkerOptions = {}): Worker {
  const execArgv = workerExecArgv();
  if (execArgv === undefined) return new Worker(script, options);
  try {
    return new Worker(script, { ...options, execArgv });
  } catch (e) {
    if ((e as { code?: string }).code !== "ERR_WORKER_INVALID_EXEC_ARGV") throw e;
    return new Worker(script, { ...options, execArgv: [] });
  }
}
