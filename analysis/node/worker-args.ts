/**
 * The Node options a worker thread starts with: the parent's, less those that name code to run
 * instead of the worker's file. A worker inherits process.execArgv, so under
 * `node --input-type=module -e "…"` (or `-p`) it ran the parent's inline code instead of its
 * own script and never answered: the scan then waited out its patience (43 s instead of 4 s for
 * a million rows).
 */
const TAKES_CODE = new Set(["-e", "--eval", "-p", "--print"]);

export function workerExecArgv(argv: readonly string[] = process.execArgv): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (TAKES_CODE.has(a) || a === "--input-type") {
      i++; // and its value
      continue;
    }
    if (/^--(eval|print|input-type)=/.test(a)) continue;
    out.push(a);
  }
  return out;
}
