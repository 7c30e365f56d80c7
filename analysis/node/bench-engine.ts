/**
 * `npm run bench`, the engine path (issue 19): `crm analyze` through DuckDB against DuckDB
 * itself and against our in-memory path, each run a new process with its peak RSS.
 *
 * - 10,000,000 order rows (the BENCH_BIG file of bench-scale.ts: 1,000,000 customer IDs), as
 *   CSV and as Parquet (written once by DuckDB's COPY): DuckDB's RFM-only SQL (bench-peers.ts)
 *   on each, and our full analysis (customers.csv, owners.csv, data-issues.csv, summary.json)
 *   by `crm analyze file.parquet` and `crm analyze file.csv --engine duckdb`.
 *   Targets: at most 2× DuckDB's RFM-only time, peak RSS under 2 GB.
 * - 100,000,000 rows as Parquet (2,000,000 customer IDs: years of line items, 50 a customer),
 *   written once by DuckDB straight from SQL, only with BENCH_HUGE=1 and when the disk has room.
 *   Target: under 3 minutes and 6 GB.
 * - 1,000,000 rows (the bench file): the engine path against the in-memory path on the same
 *   CSV, medians of interleaved rounds. Target: the engine within 1.5× of in-memory.
 * Runs with BENCH_ENGINE=1 (or BENCH_ONLY=engine for this part alone). The files are kept in
 * the bench's data folder for later runs; each is written to a temporary name and renamed, so a
 * run killed while writing leaves no half file behind. Figures are printed; nothing is asserted.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PEAK_HOOK, writeOrdersFile } from "./bench-scale.js";

/** One run of a command in a new process: wall time, peak RSS, exit code and its output. */
export interface ChildRun {
  seconds: number;
  /** Peak resident memory in bytes (NaN when not measured). */
  rss: number;
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The data folder of the bench (shared with bench.ts and bench-scale.ts). */
export const benchDir = (): string => {
  const dir = join(tmpdir(), "crm-bench");
  mkdirSync(dir, { recursive: true });
  return dir;
};

/** Free bytes on the file system holding `dir`, from `df` (NaN when it cannot say). */
export function freeBytes(dir: string): number {
  const run = spawnSync("df", ["-Pk", dir], { encoding: "utf8" });
  const line = run.stdout?.trim().split("\n")[1];
  const avail = Number(line?.split(/\s+/)[3]);
  return Number.isFinite(avail) ? avail * 1024 : NaN;
}

/** `node [peak hook] args…` as a new process. */
export function runChild(args: string[], env: NodeJS.ProcessEnv = process.env): ChildRun {
  const t0 = performance.now();
  const run = spawnSync(
    process.execPath,
    ["--import", `data:text/javascript,${encodeURIComponent(PEAK_HOOK)}`, ...args],
    { encoding: "utf8", maxBuffer: 1 << 26, env },
  );
  const seconds = (performance.now() - t0) / 1000;
  const rss = Number(/crm-bench-peak-rss (\d+)/.exec(run.stderr ?? "")?.[1] ?? NaN);
  return {
    seconds,
    rss,
    status: run.status,
    stdout: run.stdout ?? "",
    stderr: (run.stderr ?? "").replace(/\n?crm-bench-peak-rss \d+\n?/, ""),
  };
}

/** Write `path` by `make(temp)`, then rename: a killed run never leaves a half file. */
async function writeOnce(path: string, make: (temp: string) => Promise<void> | void) {
  if (existsSync(path)) return;
  const temp = `${path}.tmp-${process.pid}`;
  try {
    await make(temp);
    renameSync(temp, path);
  } finally {
    rmSync(temp, { force: true });
  }
}

type DuckCon = Awaited<
  ReturnType<
    Awaited<ReturnType<typeof import("@duckdb/node-api").DuckDBInstance.create>>["connect"]
  >
>;

async function withDuckDb<T>(fn: (con: DuckCon) => Promise<T>): Promise<T> {
  const mod = await import("@duckdb/node-api");
  const instance = await mod.DuckDBInstance.create(":memory:");
  const con = await instance.connect();
  try {
    return await fn(con);
  } finally {
    con.closeSync();
    instance.closeSync();
  }
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The typed columns of the bench's order files, as DuckDB reads them from CSV. */
const CSV_COLUMNS =
  "{'order_id': 'VARCHAR', 'customer_id': 'VARCHAR', 'date': 'DATE', 'amount': 'DOUBLE'}";

/** The CSV's rows as a Parquet file (same columns, typed: text, text, DATE, DOUBLE). */
export async function csvToParquet(csv: string, parquet: string): Promise<void> {
  await writeOnce(parquet, (temp) =>
    withDuckDb(async (con) => {
      await con.run(
        `COPY (SELECT * FROM read_csv(${sqlString(csv)}, header = true, columns = ${CSV_COLUMNS}))
         TO ${sqlString(temp)} (FORMAT parquet, COMPRESSION zstd)`,
      );
    }),
  );
}

/**
 * `rows` order rows over `customers` customer IDs straight to Parquet by DuckDB, shaped like
 * writeOrdersFile's (two years of dates ascending, customers skewed by u^1.6, 30% of orders of
 * two or three lines, 2% cancellations numbered C… with negative amounts), drawn from hashes of
 * the row and order numbers, so the file is the same on every machine.
 */
export async function writeHugeParquet(
  path: string,
  rows: number,
  customers: number,
): Promise<void> {
  // hash(8x + seed) / 2^64 as a uniform draw in [0, 1); the seeds keep the draws apart (hash(x,
  // seed) with a second argument is not: its draws correlate at 0.998)
  const u = (expr: string, seed: number) =>
    `(hash(${expr} * 8 + ${seed}) / 18446744073709551616.0)`;
  await writeOnce(path, (temp) =>
    withDuckDb(async (con) => {
      await con.run(`SET preserve_insertion_order = true`);
      await con.run(
        `COPY (
          WITH r AS (SELECT range AS i, range * 10 // 14 AS o FROM range(${rows}))
          SELECT
            CASE WHEN ${u("o", 2)} < 0.02 THEN 'C' ELSE 'SO' END || lpad(o::VARCHAR, 10, '0') AS order_id,
            'K' || lpad(least(${customers - 1}, floor(${customers} * pow(${u("o", 1)}, 1.6)))::BIGINT::VARCHAR, 8, '0') AS customer_id,
            DATE '2024-01-01' + (i * 730 // ${rows})::INTEGER AS date,
            round(CASE WHEN ${u("o", 2)} < 0.02 THEN -1 ELSE 1 END
              * exp(3 + 1.2 * (${u("i", 3)} + ${u("i", 4)} + ${u("i", 5)} - 1.5)) * 10, 2) AS amount
          FROM r ORDER BY i
        ) TO ${sqlString(temp)} (FORMAT parquet, COMPRESSION zstd)`,
      );
    }),
  );
}

const secs = (s: number) => `${s.toFixed(1)} s`;
const gb = (b: number) => (Number.isFinite(b) ? `${(b / 2 ** 30).toFixed(2)} GB` : "? GB");
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};
const lastLines = (s: string) =>
  s
    .split("\n")
    .filter((l) => l.trim())
    .slice(-3)
    .join(" ");

/** `crm analyze file [extra] --outputs csv,json` in a new process, into a fresh folder. */
function crmAnalyze(cli: string, file: string, extra: string[]): ChildRun {
  const out = mkdtempSync(join(tmpdir(), "crm-bench-engine-"));
  try {
    return runChild([
      cli,
      "analyze",
      file,
      ...extra,
      "--outputs",
      "csv,json",
      "--out",
      out,
      "--lang",
      "en",
      "--quiet",
    ]);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * DuckDB's RFM-only SQL (bench-peers.ts) once, in a new process (`bench.mjs --duckdb-child`),
 * for its peak RSS as well as its time.
 */
function duckdbChild(bench: string, file: string): ChildRun & { ms: number; customers: number } {
  const run = runChild([bench, "--duckdb-child", file]);
  try {
    const r = JSON.parse(run.stdout.trim().split("\n").pop() ?? "") as {
      ms: number;
      customers: number;
    };
    return { ...run, ...r };
  } catch {
    return { ...run, ms: NaN, customers: NaN };
  }
}

/** The child's side of duckdbChild: one run of the peer, its figures as JSON on stdout. */
export async function duckdbChildMain(file: string): Promise<void> {
  const { duckdb } = await import("./bench-peers.js");
  const peer = await duckdb(file);
  if (typeof peer === "string") throw new Error(`DuckDB ${peer}`);
  const r = await peer();
  process.stdout.write(JSON.stringify(r) + "\n");
}

const customersOf = (r: ChildRun) => /Analysed ([\d,]+) customers?/.exec(r.stdout)?.[1] ?? "?";

/** One line for a run of ours against a target time and memory. */
function verdict(
  label: string,
  r: ChildRun,
  against: { seconds: number; factor: number; what: string } | null,
  maxSeconds: number | null,
  maxRss: number,
): string {
  if (r.status !== 0)
    return `  ${label}: FAILED after ${secs(r.seconds)} (exit ${r.status}, peak RSS ${gb(r.rss)}): ${lastLines(r.stderr)}`;
  const parts = [`${secs(r.seconds)}, peak RSS ${gb(r.rss)} (${customersOf(r)} customers)`];
  if (against) {
    const ratio = r.seconds / against.seconds;
    parts.push(
      Number.isFinite(against.factor)
        ? `${ratio.toFixed(2)}× ${against.what} (target ≤ ${against.factor}×: ${ratio <= against.factor ? "met" : "MISSED"})`
        : `${ratio.toFixed(2)}× ${against.what} (no ratio target)`,
    );
  }
  if (maxSeconds !== null)
    parts.push(`target < ${maxSeconds} s: ${r.seconds < maxSeconds ? "met" : "MISSED"}`);
  parts.push(`target RSS < ${gb(maxRss)}: ${r.rss < maxRss ? "met" : "MISSED"}`);
  return `  ${label}: ${parts.join("; ")}`;
}

/**
 * Every engine case the environment asks for; one line each. `cli` is dist/crm.mjs, `bench`
 * dist/bench.mjs (for the DuckDB child), `smallCsv` the bench's 1,000,000-row file.
 */
export async function engineBench(
  cli: string,
  bench: string,
  smallCsv: string,
  out: (s: string) => void,
): Promise<void> {
  const dir = benchDir();
  const engineOk = (r: ChildRun) =>
    r.status === 0 || !/unknown|engine|parquet/i.test(r.stderr) ? null : lastLines(r.stderr);

  // 1,000,000 rows: in-memory against the engine on the same CSV, interleaved rounds
  out(
    "\nEngine path against in-memory, 1,000,000 rows (full analysis, csv + json; new processes):",
  );
  const rounds = Number(process.env.BENCH_ENGINE_ROUNDS ?? 3);
  const mem: ChildRun[] = [];
  const eng: ChildRun[] = [];
  for (let i = 0; i < rounds; i++) {
    const pair = [
      () => mem.push(crmAnalyze(cli, smallCsv, [])),
      () => eng.push(crmAnalyze(cli, smallCsv, ["--engine", "duckdb"])),
    ];
    if (i % 2) pair.reverse();
    for (const run of pair) run();
  }
  const failed = [...mem, ...eng].find((r) => r.status !== 0);
  if (failed) out(`  FAILED: ${lastLines(failed.stderr)}`);
  else {
    const m = median(mem.map((r) => r.seconds));
    const e = median(eng.map((r) => r.seconds));
    const ratio = e / m;
    out(
      `  in memory ${secs(m)} (peak RSS ${gb(Math.max(...mem.map((r) => r.rss)))}), DuckDB engine ${secs(e)} (peak RSS ${gb(Math.max(...eng.map((r) => r.rss)))}): ${ratio.toFixed(2)}× (target ≤ 1.5×: ${ratio <= 1.5 ? "met" : "MISSED"}); medians of ${rounds}, runs ${mem.map((r) => r.seconds.toFixed(1)).join("/")} and ${eng.map((r) => r.seconds.toFixed(1)).join("/")} s`,
    );
  }

  // 10,000,000 rows as CSV and as Parquet
  const csv10 = join(dir, "orders-10000000-1000000.csv");
  const pq10 = join(dir, "orders-10000000-1000000.parquet");
  const w0 = performance.now();
  if (!existsSync(csv10)) writeOrdersFile(csv10, 10_000_000, 1_000_000, false);
  await csvToParquet(csv10, pq10);
  const wrote = (performance.now() - w0) / 1000;
  out(
    `\n10,000,000 order rows (${(statSync(csv10).size / 1e6).toFixed(0)} MB CSV, ${(statSync(pq10).size / 1e6).toFixed(0)} MB Parquet${wrote > 1 ? `; written in ${secs(wrote)}` : ""}), full analysis (csv + json) against DuckDB RFM-only:`,
  );
  for (const [label, file, extra] of [
    ["Parquet", pq10, []],
    ["CSV", csv10, ["--engine", "duckdb"]],
  ] as const) {
    const peer = duckdbChild(bench, file);
    const ours = crmAnalyze(cli, file, [...extra]);
    const why = engineOk(ours);
    if (why) {
      out(`  ${label}: the engine path is not available (${why})`);
      continue;
    }
    out(
      peer.status === 0
        ? `  DuckDB RFM-only on the ${label}: ${secs(peer.ms / 1000)} in SQL (${secs(peer.seconds)} as a process), peak RSS ${gb(peer.rss)}`
        : `  DuckDB RFM-only on the ${label}: FAILED (${lastLines(peer.stderr)})`,
    );
    out(
      verdict(
        `ours, ${label}`,
        ours,
        peer.status === 0 ? { seconds: peer.seconds, factor: 2, what: "DuckDB's process" } : null,
        null,
        2 * 2 ** 30,
      ),
    );
  }

  // the same CSV in memory, for comparison (no target)
  const inMemory10 = crmAnalyze(cli, csv10, ["--engine", "memory"]);
  out(
    inMemory10.status === 0
      ? `  in memory (--engine memory), the CSV: ${secs(inMemory10.seconds)}, peak RSS ${gb(inMemory10.rss)}`
      : `  in memory (--engine memory), the CSV: FAILED (${lastLines(inMemory10.stderr)})`,
  );

  // 100,000,000 rows as Parquet
  if (process.env.BENCH_HUGE !== "1") {
    out("\n  (100,000,000 rows as Parquet: set BENCH_HUGE=1; about 2 GB of disk, minutes)");
    return;
  }
  const pq100 = join(dir, "orders-100000000-2000000.parquet");
  if (!existsSync(pq100)) {
    const free = freeBytes(dir);
    if (!(free > 8e9)) {
      out(`\n100,000,000 rows: not run, ${(free / 1e9).toFixed(1)} GB free in ${dir} (needs 8 GB)`);
      return;
    }
    const t0 = performance.now();
    await writeHugeParquet(pq100, 100_000_000, 2_000_000);
    out(
      `\n100,000,000 rows written as Parquet in ${secs((performance.now() - t0) / 1000)} (${(statSync(pq100).size / 1e9).toFixed(2)} GB)`,
    );
  }
  out("\n100,000,000 order rows as Parquet (2,000,000 customer IDs), full analysis (csv + json):");
  const peer = duckdbChild(bench, pq100);
  out(
    peer.status === 0
      ? `  DuckDB RFM-only: ${secs(peer.ms / 1000)} in SQL (${secs(peer.seconds)} as a process), peak RSS ${gb(peer.rss)}`
      : `  DuckDB RFM-only: FAILED (${lastLines(peer.stderr)})`,
  );
  const ours = crmAnalyze(cli, pq100, []);
  out(
    verdict(
      "ours",
      ours,
      peer.status === 0
        ? { seconds: peer.seconds, factor: Infinity, what: "DuckDB's process" }
        : null,
      180,
      6 * 2 ** 30,
    ),
  );
}
