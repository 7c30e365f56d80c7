/**
 * `npm run bench`, the --history figure (issue 16): what a 30-snapshot history of 100,000
 * customers (3,000,000 rows, ~95 MB) adds to `crm analyze` on the bench's orders.
 *
 * Both runs are new processes writing summary.json only (the output that costs least, so the
 * history's share is the largest it can be). The history starts as a 30-snapshot file and
 * each run adds the next month's snapshot, as monthly runs would: the first run reads all its
 * rows; the three after it (alternating with runs without history, medians compared) find the
 * scan record the run before left (history-file.ts).
 * Besides the time, each run's CPU time (all its threads) is given: on a busy machine the
 * time depends on what else runs, the CPU time much less.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, createWriteStream, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SNAPSHOTS = 30;
const STAGES = ["potential", "development", "growth", "maturity", "decline", "termination"];
const GRADES = ["A", "B", "C", "D"];

/** Month end `m` months after 2023-01-31 (the bench orders run 2024-01-01 to 2025-12-30). */
const monthEnd = (m: number) => new Date(Date.UTC(2023, m + 1, 0)).toISOString().slice(0, 10);

/** The history's snapshots: 30 month ends, 2023-01-31 to 2025-06-30. */
const snapshotDates = (): string[] => Array.from({ length: SNAPSHOTS }, (_, m) => monthEnd(m));

/** Write the history file: every customer (K000000 …) in each of the 30 snapshots. */
async function writeHistoryFile(path: string, customers: number): Promise<void> {
  const file = createWriteStream(path);
  file.write("\uFEFFas_of,customer_id,stage,grade\r\n");
  for (const [m, day] of snapshotDates().entries()) {
    const rows: string[] = [];
    for (let c = 0; c < customers; c++) {
      const id = `K${String(c).padStart(6, "0")}`;
      rows.push(`${day},${id},${STAGES[(c * 7 + m) % 6]},${GRADES[(c + m) % 4]}\r\n`);
    }
    if (!file.write(rows.join(""))) await new Promise<void>((r) => file.once("drain", () => r()));
  }
  await new Promise<void>((r) => file.end(() => r()));
}

/** Preloaded into each run: the process's CPU time (all threads, µs) on stderr at exit. */
const CPU_REPORT =
  "data:text/javascript,process.on('exit',()=>{const u=process.resourceUsage();" +
  "process.stderr.write('crm-bench-cpu '+(u.userCPUTime+u.systemCPUTime)+'\\n')})";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** The figure, as lines for the bench's output. */
export async function benchHistory(
  cli: string,
  orders: string,
  customers: number,
): Promise<string[]> {
  const source = join(tmpdir(), "crm-bench", `history-${SNAPSHOTS}x${customers}-2023.csv`);
  if (!existsSync(source)) await writeHistoryFile(source, customers);
  const dir = mkdtempSync(join(tmpdir(), "crm-bench-history-"));
  const run = (asOf: string, history: string | null): { ms: number; cpu: number } => {
    const args = ["--import", CPU_REPORT, cli, "analyze", orders, "--out", dir];
    args.push("--outputs", "json", "--as-of", asOf, "--quiet");
    if (history) args.push("--history", history);
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { encoding: "utf8" });
    const ms = performance.now() - t;
    if (r.status !== 0) throw new Error(r.stderr.trim());
    // every thread reports as it ends (workers load the preload too); the process ends last
    const reports = [...r.stderr.matchAll(/crm-bench-cpu (\d+)/g)].map((m) => Number(m[1]));
    const cpu = Math.max(...reports) / 1000;
    return { ms, cpu };
  };
  try {
    // each run adds the next month's snapshot, as a monthly run would
    // (within the orders, so the later ones are the CLV check's holdout, as in a real run)
    const asOf = (i: number) => monthEnd(SNAPSHOTS + i);
    const history = join(dir, "history.csv");
    copyFileSync(source, history);
    const without0 = run(asOf(0), null);
    const first = run(asOf(0), history);
    const without: { ms: number; cpu: number }[] = [without0];
    const withHistory: { ms: number; cpu: number }[] = [];
    for (let i = 1; i <= 3; i++) {
      without.push(run(asOf(i), null));
      withHistory.push(run(asOf(i), history));
    }
    const a = median(without.map((x) => x.ms));
    const b = median(withHistory.map((x) => x.ms));
    const ca = median(without.map((x) => x.cpu));
    const cb = median(withHistory.map((x) => x.cpu));
    const pct = (x: number, y: number) => `${(((y - x) / x) * 100).toFixed(1)}%`;
    const s = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
    return [
      `\nStage history: \`crm analyze\` to summary.json, ${customers.toLocaleString("en")} customers, a new process each (medians)`,
      `  without --history:                ${s(a)} (CPU time, all threads: ${s(ca)})`,
      `  with a history of ${SNAPSHOTS} snapshots (${(SNAPSHOTS * customers).toLocaleString("en")} rows), each run adding one:`,
      `    first run on the file (reads all rows): ${s(first.ms)} (CPU ${s(first.cpu)}) → +${pct(without0.ms, first.ms)}`,
      `    the runs after it (the file's scan record): ${s(b)} (CPU ${s(cb)})`,
      `  → the history adds ${pct(a, b)} to the time (target < 20%), ${pct(ca, cb)} to the CPU time`,
    ];
  } catch (e) {
    return [`\nStage history: FAILED (${(e as Error).message})`];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
