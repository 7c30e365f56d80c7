/**
 * `npm run bench`, the --history figure (issue 16): what a 30-snapshot history of 100,000
 * customers (3,000,000 rows, ~95 MB) adds to `crm analyze` on the bench's orders.
 *
 * Both runs are new processes writing summary.json only (the output that costs least, so the
 * history's share is the largest it can be); three of each, alternating, medians compared.
 * Besides the time, each run's CPU time (all its threads) is given: on a busy machine the
 * time depends on what else runs, the CPU time much less.
 * Every run with history starts from a fresh copy of the 30-snapshot file (copied outside the
 * timing) and adds the 31st snapshot, so it reads, checks and rewrites all 3,000,000 rows.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, createWriteStream, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SNAPSHOTS = 30;
const STAGES = ["potential", "development", "growth", "maturity", "decline", "termination"];
const GRADES = ["A", "B", "C", "D"];

/** Month ends before the bench orders' last date (2025-12-30), latest last. */
const snapshotDates = (): string[] =>
  Array.from({ length: SNAPSHOTS }, (_, m) =>
    new Date(Date.UTC(2023, 6 + m, 0)).toISOString().slice(0, 10),
  );

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
  const source = join(tmpdir(), "crm-bench", `history-${SNAPSHOTS}x${customers}.csv`);
  if (!existsSync(source)) await writeHistoryFile(source, customers);
  const dir = mkdtempSync(join(tmpdir(), "crm-bench-history-"));
  const run = (history: string | null): { ms: number; cpu: number } => {
    const args = ["--import", CPU_REPORT, cli, "analyze", orders, "--out", dir];
    args.push("--outputs", "json", "--quiet");
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
    const without: { ms: number; cpu: number }[] = [];
    const withHistory: { ms: number; cpu: number }[] = [];
    for (let i = 0; i < 3; i++) {
      without.push(run(null));
      const copy = join(dir, "history.csv");
      copyFileSync(source, copy);
      withHistory.push(run(copy));
    }
    const a = median(without.map((x) => x.ms));
    const b = median(withHistory.map((x) => x.ms));
    const ca = median(without.map((x) => x.cpu));
    const cb = median(withHistory.map((x) => x.cpu));
    const pct = (x: number, y: number) => `${(((y - x) / x) * 100).toFixed(1)}%`;
    const s = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
    return [
      `\nStage history: \`crm analyze\` to summary.json, ${customers.toLocaleString("en")} customers, median of 3 (new processes)`,
      `  without --history:              ${s(a)} (CPU, all threads ${s(ca)})`,
      `  with ${SNAPSHOTS} snapshots (${(SNAPSHOTS * customers).toLocaleString("en")} rows): ${s(b)} (CPU ${s(cb)})`,
      `  → the history adds ${pct(a, b)} to the time (target < 20%), ${pct(ca, cb)} to the CPU time`,
    ];
  } catch (e) {
    return [`\nStage history: FAILED (${(e as Error).message})`];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
