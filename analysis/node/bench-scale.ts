/**
 * `npm run bench`, scale (issue 16): `crm analyze` through all five outputs (customers.csv,
 * data-issues.csv, summary.json, analysis.xlsx, report.html) as a new process, with its peak
 * resident memory (VmHWM, read by the child itself) and wall time.
 *
 * - 1,000,000 customers: 3,000,000 order rows in which every customer buys at least once.
 *   Runs unless BENCH_SCALE=0. Target: no crash.
 * - 10,000,000 order rows with the bench file's skew over 1,000,000 customer IDs (about a
 *   million of them buy). Runs only with BENCH_BIG=1 (minutes, and a 380 MB file). Target:
 *   peak RSS under 4 GB.
 * The order files are generated once into the temp folder and kept for later runs.
 * Figures are printed; nothing here is asserted.
 */
import { spawnSync } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mulberry32 } from "../random.js";

/**
 * order_id,customer_id,date,amount, written in 1 MB pieces: dates ascending over two years,
 * customers skewed as in the bench file; with `cover`, the first orders go to every customer in
 * turn, so all of them buy.
 */
export function writeOrdersFile(
  path: string,
  rows: number,
  customers: number,
  cover = false,
  seed = 20261128,
): void {
  const rand = mulberry32(seed);
  const fd = openSync(path, "w");
  try {
    let chunk = "order_id,customer_id,date,amount\n";
    const start = Date.UTC(2024, 0, 1) / 86_400_000;
    let written = 0;
    let order = 0;
    while (written < rows) {
      const cust =
        cover && order < customers
          ? order
          : Math.min(customers - 1, Math.floor(customers * Math.pow(rand(), 1.6)));
      order++;
      const day = start + Math.floor((written / rows) * 730);
      const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
      const cancel = rand() < 0.02;
      const lines = rand() < 0.3 ? 2 + Math.floor(rand() * 2) : 1;
      const id = `${cancel ? "C" : "SO"}${String(order).padStart(9, "0")}`;
      const cid = `K${String(cust).padStart(7, "0")}`;
      for (let l = 0; l < lines && written < rows; l++, written++) {
        const amount = Math.exp(3 + 1.2 * (rand() + rand() + rand() - 1.5)) * 10;
        chunk += `${id},${cid},${iso},${(cancel ? -amount : amount).toFixed(2)}\n`;
      }
      if (chunk.length >= 1 << 20) {
        writeSync(fd, chunk);
        chunk = "";
      }
    }
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

/**
 * Loaded into the child before the CLI: at exit it writes the process's peak resident memory
 * (Linux VmHWM; elsewhere getrusage's maxRSS) to stderr.
 */
export const PEAK_HOOK = `import { readFileSync, writeSync } from "node:fs";
process.on("exit", () => {
  let rss = process.resourceUsage().maxRSS * 1024;
  try {
    const m = /^VmHWM:\\s+(\\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (m) rss = Number(m[1]) * 1024;
  } catch {}
  writeSync(2, "\\ncrm-bench-peak-rss " + rss + "\\n");
});`;

/** Run every scale case the environment asks for; one line each. */
export function scaleBench(cli: string, out: (s: string) => void): void {
  const cases: { label: string; rows: number; customers: number; cover: boolean }[] = [];
  if (process.env.BENCH_SCALE !== "0")
    cases.push({
      label: "1,000,000 customers",
      rows: 3_000_000,
      customers: 1_000_000,
      cover: true,
    });
  if (process.env.BENCH_BIG === "1")
    cases.push({
      label: "10,000,000 order rows",
      rows: 10_000_000,
      customers: 1_000_000,
      cover: false,
    });
  else out("  (10,000,000 order rows: set BENCH_BIG=1 to run it; minutes and a 380 MB file)");
  const dir = join(tmpdir(), "crm-bench");
  mkdirSync(dir, { recursive: true });
  for (const c of cases) {
    const file = join(dir, `orders-${c.rows}-${c.customers}${c.cover ? "-all" : ""}.csv`);
    if (!existsSync(file)) writeOrdersFile(file, c.rows, c.customers, c.cover);
    const target = mkdtempSync(join(tmpdir(), "crm-bench-scale-"));
    const t0 = performance.now();
    const run = spawnSync(
      process.execPath,
      [
        "--import",
        `data:text/javascript,${encodeURIComponent(PEAK_HOOK)}`,
        cli,
        "analyze",
        file,
        "--out",
        target,
        "--lang",
        "en",
        "--quiet",
      ],
      { encoding: "utf8", maxBuffer: 1 << 26 },
    );
    const seconds = (performance.now() - t0) / 1000;
    const rss = Number(/crm-bench-peak-rss (\d+)/.exec(run.stderr)?.[1] ?? NaN);
    const customers = /Analysed ([\d,]+) customers?/.exec(run.stdout)?.[1] ?? "?";
    const size = (statSync(file).size / 1e6).toFixed(0);
    const gb = Number.isFinite(rss) ? `${(rss / 2 ** 30).toFixed(2)} GB` : "not measured";
    if (run.status === 0) {
      const xlsx = join(target, "analysis.xlsx");
      const xlsxMb = existsSync(xlsx) ? (statSync(xlsx).size / 1e6).toFixed(0) : "?";
      out(
        `  ${c.label} (${size} MB CSV, ${customers} customers): all five outputs in ${seconds.toFixed(1)} s, peak RSS ${gb} (analysis.xlsx ${xlsxMb} MB)`,
      );
    } else {
      const why = run.stderr
        .split("\n")
        .filter((l) => l.trim() && !l.startsWith("crm-bench-peak-rss"))
        .slice(-3)
        .join(" ");
      out(
        `  ${c.label}: FAILED after ${seconds.toFixed(0)} s (exit ${run.status ?? run.signal}, peak RSS ${gb}): ${why}`,
      );
    }
    rmSync(target, { recursive: true, force: true });
  }
}
