import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32 } from "../../analysis/random.js";
import type { ParallelOptions } from "../../analysis/node/csv-parallel.js";
import { configureParallel, readFileShared, shareOut } from "../../analysis/node/csv-parallel.js";
import { readCsv, readCsvText } from "../../analysis/node/csv.js";
import type { ColumnDictionary, ColumnJob } from "../../analysis/source.js";
import { scanColumns } from "../../analysis/source.js";
import type { TableSource } from "../../analysis/types.js";
import { newDateOrderTally } from "../../analysis/values.js";

// The worker runs as built JavaScript (as in dist/): built here from the TypeScript source.
const dir = mkdtempSync(join(tmpdir(), "crm-csv-worker-"));
const workerUrl = pathToFileURL(join(dir, "csv-worker.mjs"));
const DEFAULTS: Partial<ParallelOptions> = {
  minChars: 4 << 20,
  blockRows: 16_384,
  takeOver: true,
  shareBlocks: true,
  patienceMs: null,
};
const OFF: Partial<ParallelOptions> = { ...DEFAULTS, worker: null };
// every text goes to the worker, which reads its ID columns and every block of the others (no
// race with this thread), so these tests check the worker's results every time
const ON: Partial<ParallelOptions> = {
  ...DEFAULTS,
  worker: workerUrl,
  minChars: 0,
  blockRows: 500,
  takeOver: false,
  shareBlocks: false,
};
// both threads read blocks of 64 rows as they come (which thread reads which varies)
const MIXED: Partial<ParallelOptions> = { ...ON, blockRows: 64, takeOver: true, shareBlocks: true };

beforeAll(async () => {
  await build({
    entryPoints: [fileURLToPath(new URL("../../analysis/node/csv-worker.ts", import.meta.url))],
    outfile: fileURLToPath(workerUrl),
    bundle: true,
    platform: "node",
    format: "esm",
    logLevel: "warning",
  });
});

afterAll(() => {
  configureParallel(OFF);
  rmSync(dir, { recursive: true, force: true });
});

const OPTS = { decimalComma: false, dateOrder: "dmy", dateSystem: "1900" } as const;

type Shape = "bench" | "one ID";

function jobsFor(columns: number, shape: Shape = "bench"): ColumnJob[] {
  // one ID column (read here), the dates and a number column (in blocks)
  if (shape === "one ID")
    return [
      { kind: "dictionary", col: 1 },
      { kind: "dates", col: 2, opts: OPTS, tally: newDateOrderTally() },
      { kind: "numbers", col: 3, opts: OPTS },
    ];
  // the bench's shape and more: two ID columns, dates (tallied), two number columns
  return [
    { kind: "dates", col: 2, opts: OPTS, tally: newDateOrderTally() },
    { kind: "dictionary", col: 1 },
    { kind: "dictionary", col: 0 },
    { kind: "numbers", col: 3, opts: OPTS },
    { kind: "numbers", col: Math.min(4, columns - 1), opts: OPTS },
  ];
}

/** Everything a scan gives, in plain values (NaN kept apart from numbers by Object.is). */
function scanAll(read: () => TableSource, mode: Partial<ParallelOptions>, shape: Shape = "bench") {
  configureParallel(mode);
  const src = read();
  const jobs = jobsFor(src.headers.length, shape);
  const out = scanColumns(src, jobs);
  return {
    rows: src.rowCount,
    tallies: jobs.map((j) => (j.kind === "dates" ? { ...j.tally } : null)),
    columns: out.map((x) =>
      x instanceof Float64Array
        ? Array.from(x, (v) => (Number.isNaN(v) ? "NaN" : v))
        : {
            size: (x as ColumnDictionary).size,
            keys: Array.from({ length: x.size }, (_, k) => x.key(k)),
            firstCodes: Array.from({ length: x.size }, (_, k) =>
              Array.from({ length: x.key(k).length + 1 }, (_, i) => x.codeAt(k, i)),
            ),
            codes: Array.from(x.codes),
          },
    ),
  };
}

/** A messy order file: IDs of every shape, quoted and escaped fields, Chinese, blank rows. */
function messyCsv(rows: number, seed: number, chinese: boolean): string {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const lines = ["order_id,customer_id,date,amount,cost"];
  let order = 1000;
  for (let r = 0; r < rows; r++) {
    if (rand() < 0.3) order++;
    const cust = Math.floor(rand() ** 2 * 400);
    const id = pick([
      `K${String(cust).padStart(5, "0")}`,
      `K${cust}`,
      ` K${String(cust).padStart(5, "0")} `,
      `"K${String(cust).padStart(5, "0")}"`,
      chinese ? `客户${cust}` : `C-${cust}`,
      `"say ""${cust}"""`,
      "",
    ]);
    const oid = rand() < 0.05 ? `C${order}` : rand() < 0.05 ? `"SO${order}"` : `SO${order}`;
    const day = 1 + (Math.floor(r / 40) % 28);
    const date = pick([
      `2024-03-${String(day).padStart(2, "0")}`,
      `${day}/3/2024`,
      `"${day}/3/2024"`,
      "not a date",
      "",
    ]);
    const amount = pick(["193.72", "-5", "12", '"1,234.50"', "¥12.5", "(3)", "1e3", "x", ""]);
    const cost = pick(["1.5", "", "2,5", '"multi\nline"']);
    if (rand() < 0.02) lines.push("");
    else if (rand() < 0.02) lines.push(`${oid},${id}`);
    else lines.push([oid, id, date, amount, cost].join(","));
  }
  return lines.join(rand() < 0.5 ? "\n" : "\r\n") + "\n";
}

describe("two-core CSV scan", () => {
  it("gives exactly the one-thread results on messy ASCII and Chinese text", () => {
    for (const [seed, chinese] of [
      [1, false],
      [2, true],
      [3, false],
    ] as const) {
      // a title line and a blank line above the header in one of them
      const text = (seed === 3 ? "Orders export,,,\n\n" : "") + messyCsv(3000, seed, chinese);
      const read = () => readCsvText(text, "orders.csv");
      const one = scanAll(read, OFF);
      expect(scanAll(read, ON)).toEqual(one);
      expect(scanAll(read, MIXED)).toEqual(one);
      expect(scanAll(read, ON, "one ID")).toEqual(scanAll(read, OFF, "one ID"));
      // the fixture does exercise what it is for
      expect(one.rows).toBe(3000); // the header found under the title too
      const ids = one.columns[1] as { size: number; keys: string[] };
      expect(ids.keys).toContain('say "7"');
      if (chinese) expect(ids.keys.some((k) => k.startsWith("客户"))).toBe(true);
      expect(one.tallies[0]!.dmy).toBeGreaterThan(0);
    }
  });

  it("gives exactly the one-thread results from a file read into shared memory", () => {
    const path = join(dir, "orders.csv");
    writeFileSync(path, "\ufeff" + messyCsv(5000, 4, true));
    const bytes = readFileShared(path);
    expect(bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
    const read = () => readCsv(bytes, "orders.csv");
    expect(scanAll(read, ON)).toEqual(scanAll(read, OFF));
  });

  it("reads whitespace-separated text (CDNOW style) the same way", () => {
    const rand = mulberry32(5);
    const lines = ["customer_id order_id date quantity amount"];
    for (let r = 0; r < 4000; r++)
      lines.push(
        `  ${Math.floor(rand() * 300)}  ${r >> 1}\t1997${String(1 + (r % 12)).padStart(2, "0")}01  ${1 + (r % 3)}   ${(rand() * 90).toFixed(2)}`,
      );
    const read = () => readCsvText(lines.join("\n"), "cdnow.txt");
    expect(scanAll(read, ON)).toEqual(scanAll(read, OFF));
  });

  it("gives every other ID column to the worker; numbers and dates go in blocks", () => {
    expect(shareOut(jobsFor(5))).toEqual([false, false, true, false, false]);
    expect(shareOut(jobsFor(5, "one ID"))).toEqual([false, false, false]);
    const ids = [0, 1, 2].map((col): ColumnJob => ({ kind: "dictionary", col }));
    expect(shareOut(ids)).toEqual([false, true, false]);
  });

  it("falls back to one thread when the worker fails or falls silent, tallies counted once", () => {
    const text = messyCsv(2000, 6, false);
    const read = () => readCsvText(text, "orders.csv");
    const one = scanAll(read, OFF);
    // a worker that takes the work and then fails; one that takes it and never answers
    const failing = join(dir, "failing.mjs");
    writeFileSync(
      failing,
      `import { parentPort } from "node:worker_threads";
       let start = null;
       parentPort.on("message", (m) => {
         if (m.type === "start") { start = m; return; }
         Atomics.store(m.claim, 0, 1);
         start.replies.postMessage({ task: m.task, keys: [], tallies: [], error: "broken" });
         Atomics.add(start.signal, 0, 1);
         Atomics.notify(start.signal, 0);
       });`,
    );
    const silent = join(dir, "silent.mjs");
    writeFileSync(
      silent,
      `import { parentPort } from "node:worker_threads";
       parentPort.on("message", (m) => { if (m.type === "scan") Atomics.store(m.claim, 0, 1); });`,
    );
    for (const script of [failing, silent]) {
      const worker = pathToFileURL(script);
      expect(scanAll(read, { ...ON, worker, patienceMs: 300 })).toEqual(one);
      // and again, once the worker is known to be broken
      expect(scanAll(read, { ...ON, worker, patienceMs: 300 })).toEqual(one);
    }
    configureParallel(OFF);
  });
});
