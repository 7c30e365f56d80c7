/**
 * `npm run bench` — speed and memory figures against the peers this machine can run (SPEC §11).
 *
 * 1. Generates 1,000,000 order rows (~100,000 customers; line items, 2% cancellations)
 *    deterministically into a CSV in the temp folder.
 * 2. Times CSV bytes → clean rows → RFM scores + segments → ABC grades + pyramid → Pareto, end
 *    to end, in 8 rounds interleaved with the peers (after one warm-up each; the order turns
 *    from round to round), medians compared; then the full analysis (CLV, lifecycle,
 *    follow-ups) once, and the CLI (`crm analyze … --outputs json`) as a new process.
 * 3. Memory: the same path in a child process capped at a 1 GB heap, with its peak RSS.
 * 4. Peers on the same file: DuckDB (@duckdb/node-api, SQL straight from the CSV, same rules)
 *    and pandas (when a Python with pandas is on the machine) in every round; arquero (the same
 *    rules as data-frame verbs: why the hot path is typed arrays rather than arquero) once.
 * 5. CLV: fitting BG/NBD + Gamma-Gamma on 23,570 customers.
 * 6. Add-in: syncs, cells and bytes per request for a 100,000-row Orders table (fake Excel).
 * 7. Pane: the longest main-thread task while Analyze runs in the playground (bench-pane.ts);
 *    BENCH_ONLY=pane runs only this part.
 * 8. Library: analyzeFile against `crm analyze` on the 1M-row file (bench-library.ts).
 * 9. Engine path (issue 19; BENCH_ENGINE=1, or BENCH_ONLY=engine alone): DuckDB through
 *    `crm analyze` on 10,000,000 rows as CSV and Parquet against DuckDB's RFM-only SQL, on
 *    100,000,000 rows of Parquet with BENCH_HUGE=1, and against in-memory on the 1M-row file
 *    (bench-engine.ts).
 * Figures are printed; nothing here is asserted.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchDataset, generateOrdersCsv, rfmPath } from "./bench-path.js";
import { configureParallel } from "./csv-parallel.js";
import { makeSettings } from "../settings.js";
import { analyze } from "../pipeline.js";
import { benchBgnbdScale, benchClv } from "./bench-clv.js";
import { scaleBench } from "./bench-scale.js";
import { benchHistory } from "./bench-history.js";
import { arqueroPeer, duckdb, pandas, type PeerRun } from "./bench-peers.js";
import { benchLibrary } from "./bench-library.js";
import { duckdbChildMain, engineBench } from "./bench-engine.js";

const ROWS = 1_000_000;
/** Interleaved rounds of ours and the peers. */
const ROUNDS = 8;
const CUSTOMERS = 100_000;

function benchFile(): string {
  const dir = join(tmpdir(), "crm-bench");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `orders-${ROWS}.csv`);
  if (!existsSync(path)) writeFileSync(path, generateOrdersCsv(ROWS, CUSTOMERS));
  return path;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};
const secs = (ms: number) => `${(ms / 1000).toFixed(3)} s`;

/** Child mode: run the RFM path under the heap cap and report memory. */
function memoryChild(path: string) {
  const r = rfmPath(path);
  const heap = process.memoryUsage().heapUsed;
  process.stdout.write(JSON.stringify({ heap, rss: peakRss(), customers: r.m.count }));
}

/**
 * This process's peak resident memory. On Linux, from /proc (VmHWM): getrusage's maxRSS is
 * kept across exec, so a child spawned by the bench would report the bench's own peak.
 */
function peakRss(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

async function main() {
  if (process.argv[2] === "--memory-child") return memoryChild(process.argv[3]);
  if (process.argv[2] === "--duckdb-child") return duckdbChildMain(process.argv[3]);
  const out = (s: string) => process.stdout.write(s + "\n");
  // BENCH_ONLY=engine: only the engine path's part (bench-engine.ts)
  if (process.env.BENCH_ONLY === "engine") {
    const self = fileURLToPath(import.meta.url);
    await engineBench(join(dirname(self), "crm.mjs"), self, benchFile(), out);
    return;
  }
  // BENCH_ONLY=pane: only the pane's part (BENCH_PANE_ROWS=100000,1000000 picks the sizes)
  if (process.env.BENCH_ONLY === "pane") {
    const pane = await import("./bench-pane.js");
    const sizes = (process.env.BENCH_PANE_ROWS ?? "")
      .split(",")
      .map(Number)
      .filter((n) => n > 0);
    out(await pane.benchPaneReport(sizes.length ? sizes : pane.PANE_BENCH_ROWS));
    return;
  }
  out(`Customer Lifecycle for Excel — benchmark (Node ${process.version}, ${process.arch})`);
  const path = benchFile();
  out(
    `data: ${path} (${(statSync(path).size / 1e6).toFixed(1)} MB, ${ROWS.toLocaleString("en")} rows)`,
  );

  // Rounds of ours, DuckDB and pandas one after the other, medians compared: this VM's speed
  // drifts by a third from minute to minute, and neighbours in time see the same machine. The
  // order turns from round to round, so each takes each place (first after a pause, right
  // after another run) as often as the others. Each of our runs starts from a collected heap,
  // as a CLI run starts from a fresh process.
  const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});
  const dd = await duckdb(path);
  const pd = pandas(path);
  rfmPath(path); // warm-up
  if (typeof dd !== "string") await dd();
  const ours: number[] = [];
  const runs: { duckdb: Awaited<ReturnType<PeerRun>>[]; pandas: Awaited<ReturnType<PeerRun>>[] } = {
    duckdb: [],
    pandas: [],
  };
  let last: ReturnType<typeof rfmPath> | null = null;
  // ours on one thread too, to show what the second core brings
  const oneThread: number[] = [];
  const timed = (into: number[]) => {
    collect();
    const t0 = performance.now();
    last = rfmPath(path);
    into.push(performance.now() - t0);
  };
  const steps: (() => Promise<void>)[] = [
    async () => timed(ours),
    async () => {
      const before = configureParallel({ worker: null });
      timed(oneThread);
      configureParallel(before);
    },
  ];
  if (typeof dd !== "string") steps.push(async () => void runs.duckdb.push(await dd()));
  if (typeof pd !== "string") steps.push(async () => void runs.pandas.push(await pd()));
  for (let i = 0; i < ROUNDS; i++)
    for (let k = 0; k < steps.length; k++) await steps[(i + k) % steps.length]();
  const oursMs = median(ours);
  const peerMs = (xs: { ms: number }[]) => median(xs.map((x) => x.ms));
  // what each one found: the customers of positive value (the Pareto curve's) and the top
  // 20%'s share of value, which all of them compute alike
  const found = (customers: number, top20: number) =>
    `${customers.toLocaleString("en")} customers of positive value, top-20% share ${(top20 * 100).toFixed(4)}%`;
  out(`\nCSV → RFM + grades + Pareto, end to end (median of ${ROUNDS} interleaved rounds):`);
  out(
    `  ours:    ${secs(oursMs)}   (${found(last!.p.customers, last!.p.top20Share)})  runs ${ours.map((x) => secs(x)).join(", ")}`,
  );
  out(
    `  ours, one thread: ${secs(median(oneThread))}   (the CSV scan without its worker)  runs ${oneThread.map((x) => secs(x)).join(", ")}`,
  );
  if (typeof dd === "string") out(`  DuckDB:  ${dd}`);
  else {
    const d = runs.duckdb[0];
    out(
      `  DuckDB:  ${secs(peerMs(runs.duckdb))}   (${found(d.customers, d.top20)})  → ours is ${(peerMs(runs.duckdb) / oursMs).toFixed(2)}× DuckDB's speed  runs ${runs.duckdb.map((x) => secs(x.ms)).join(", ")}`,
    );
  }
  if (typeof pd === "string") out(`  pandas:  ${pd}`);
  else
    out(
      `  pandas:  ${secs(peerMs(runs.pandas))}   (${found(runs.pandas[0].customers, runs.pandas[0].top20)})  → ours is ${(peerMs(runs.pandas) / oursMs).toFixed(2)}× faster  runs ${runs.pandas.map((x) => secs(x.ms)).join(", ")}`,
    );
  const aqr = await arqueroPeer(path); // once: it is slow, and a reference rather than a target
  if (typeof aqr === "string") out(`  arquero: ${aqr}`);
  else
    out(
      `  arquero: ${secs(aqr.ms)}   (${found(aqr.customers, aqr.top20)})  → ours is ${(aqr.ms / oursMs).toFixed(2)}× faster (one run)`,
    );

  const settings = makeSettings();
  const t1 = performance.now();
  const full = analyze(benchDataset(path, settings), settings);
  out(
    `\nFull analysis (adds CLV model, lifecycle, follow-ups): ${secs(performance.now() - t1)} (CLV ${full.clv.status})`,
  );

  const self = fileURLToPath(import.meta.url);
  const cli = join(dirname(self), "crm.mjs");
  if (existsSync(cli)) {
    const dir = mkdtempSync(join(tmpdir(), "crm-bench-out-"));
    const t2 = performance.now();
    const run = spawnSync(
      process.execPath,
      [cli, "analyze", path, "--out", dir, "--outputs", "json", "--quiet"],
      { encoding: "utf8" },
    );
    const took = performance.now() - t2;
    out(
      run.status === 0
        ? `The CLI, \`crm analyze\` to summary.json (a new process: start, read, analyse, write): ${secs(took)}`
        : `The CLI failed: ${run.stderr.trim()}`,
    );
    for (const line of await benchHistory(cli, path, CUSTOMERS)) out(line);
    for (const line of benchLibrary(cli, path)) out(line);
    out("\nScale, `crm analyze` through all five outputs (a new process; peak RSS):");
    scaleBench(cli, out);
    if (process.env.BENCH_ENGINE === "1") await engineBench(cli, self, path, out);
    else out("\n(The engine path, 10,000,000 and 100,000,000 rows: set BENCH_ENGINE=1)");
  }

  const child = spawnSync(
    process.execPath,
    ["--max-old-space-size=1024", self, "--memory-child", path],
    { encoding: "utf8" },
  );
  if (child.status === 0) {
    const mem = JSON.parse(child.stdout) as { heap: number; rss: number };
    out(
      `\nMemory, 1M rows under a 1 GB heap cap: passed; heap in use at the end ${(mem.heap / 2 ** 20).toFixed(0)} MB, peak RSS ${(mem.rss / 2 ** 20).toFixed(0)} MB`,
    );
  } else {
    out(
      `\nMemory, 1M rows under a 1 GB heap cap: FAILED (${child.stderr.split("\n").slice(-3).join(" ")})`,
    );
  }

  const clv = benchClv();
  out(
    `\nCLV: BG/NBD + Gamma-Gamma fitted on ${clv.customers.toLocaleString("en")} customers in ${clv.seconds.toFixed(3)} s (target < 0.3 s)`,
  );
  const scale = benchBgnbdScale();
  out(
    `BG/NBD alone on ${scale.customers.toLocaleString("en")} drawn customers: ${scale.seconds.toFixed(2)} s, ${scale.evaluations} likelihood evaluations`,
  );

  try {
    const addin = await import("../../addin/bench-sync.js");
    out("");
    out(await addin.benchSyncReport());
  } catch (e) {
    out(`\nAdd-in sync accounting: not available (${(e as Error).message})`);
  }

  try {
    const pane = await import("./bench-pane.js");
    out("");
    out(await pane.benchPaneReport());
  } catch (e) {
    out(`\nPane responsiveness: not measured (${(e as Error).message})`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exitCode = 1;
});
