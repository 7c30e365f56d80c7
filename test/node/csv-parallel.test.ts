import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32 } from "../../analysis/random.js";
import type { ParallelOptions } from "../../analysis/node/csv-parallel.js";
import {
  balancedShare,
  configureParallel,
  readFileShared,
  splitPoint,
  workerPartsUsed,
} from "../../analysis/node/csv-parallel.js";
import { readCsv, readCsvText } from "../../analysis/node/csv.js";
import type { ColumnDictionary, ColumnJob } from "../../analysis/source.js";
import { scanColumns } from "../../analysis/source.js";
import type { TableSource } from "../../analysis/types.js";
import { newDateOrderTally } from "../../analysis/values.js";

// The worker runs as built JavaScript (as in dist/): built here from the TypeScript source.
const dir = mkdtempSync(join(tmpdir(), "crm-csv-worker-"));
const workerUrl = pathToFileURL(join(dir, "csv-worker.mjs"));
const OFF: Partial<ParallelOptions> = {
  worker: null,
  minBytes: 4 << 20,
  patienceMs: null,
  share: null,
};
// every text, however small, has its second half of the rows read by the worker (even
// halves, so that a test knows where the split is)
const ON: Partial<ParallelOptions> = {
  worker: workerUrl,
  minBytes: 0,
  patienceMs: null,
  share: 0.5,
};

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

/** The bench's jobs and more: two ID columns, dates (tallied), two number columns. */
const jobsFor = (columns: number): ColumnJob[] => [
  { kind: "dates", col: 2, opts: OPTS, tally: newDateOrderTally() },
  { kind: "dictionary", col: 1 },
  { kind: "dictionary", col: 0 },
  { kind: "numbers", col: 3, opts: OPTS },
  { kind: "numbers", col: Math.min(4, columns - 1), opts: OPTS },
];

/** Whether the last scanAll used the worker's part of the rows. */
let workerUsed = false;

/** Everything a scan gives, in plain values (NaN kept apart from numbers), and the cells. */
function scanAll(read: () => TableSource, mode: Partial<ParallelOptions>) {
  configureParallel(mode);
  const src = read();
  const jobs = jobsFor(src.headers.length);
  const parts = workerPartsUsed();
  const out = scanColumns(src, jobs);
  workerUsed = workerPartsUsed() > parts;
  return {
    rows: src.rowCount,
    tallies: jobs.map((j) => (j.kind === "dates" ? { ...j.tally } : null)),
    columns: out.map((x) =>
      x instanceof Float64Array
        ? Array.from(x, (v) => (Number.isNaN(v) ? "NaN" : v))
        : {
            size: (x as ColumnDictionary).size,
            keys: Array.from({ length: x.size }, (_, k) => x.key(k)),
            leading: Array.from(x.leading()),
            codes: Array.from(x.codes),
          },
    ),
    // the record index the scan built: every cell as the cell methods read it
    cells: Array.from({ length: src.rowCount }, (_, r) =>
      src.headers.map((_, c) => src.cell(r, c)),
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
      chinese ? `\u3000客户${cust}\u00a0` : `\tC-${cust}`,
      `"say ""${cust}"""`,
      "",
    ]);
    const oid = rand() < 0.05 ? `C${order}` : rand() < 0.05 ? `"SO${order}"` : `SO${order}`;
    const day = 1 + (Math.floor(r / 40) % 28);
    const date = pick([
      `2024-03-${String(day).padStart(2, "0")}`,
      `${day}/3/2024`,
      `"${day}/3/2024"`,
      `"${day}/3/2024"""`,
      "not a date",
      "",
    ]);
    const amount = pick(["193.72", "-5", "12", '"1,234.50"', "¥12.5", "(3)", "1e3", "x", ""]);
    const cost = pick(["1.5", "", "2,5", '"multi\nline"', '"a ""quoted"" one"']);
    if (rand() < 0.02) lines.push("");
    else if (rand() < 0.02) lines.push(`${oid},${id}`);
    else lines.push([oid, id, date, amount, cost].join(","));
  }
  return lines.join(rand() < 0.5 ? "\n" : "\r\n") + "\n";
}

/** Ascending order IDs with line items, the kind of export the ordered key sets are for. */
function orderedCsv(rows: number, seed: number): string {
  const rand = mulberry32(seed);
  const lines = ["order_id,customer_id,date,amount"];
  let order = 1;
  for (let r = 0; r < rows; r++) {
    if (rand() < 0.6) order++;
    const cancel = rand() < 0.03;
    const cust = Math.floor(rand() ** 1.6 * 900);
    lines.push(
      `${cancel ? "C" : "SO"}${String(order).padStart(8, "0")},K${String(cust).padStart(6, "0")},2024-01-${String(1 + (r % 28)).padStart(2, "0")},${(rand() * 100).toFixed(2)}`,
    );
  }
  return lines.join("\n") + "\n";
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
      expect(workerUsed).toBe(false);
      expect(scanAll(read, ON)).toEqual(one);
      // the worker did read its half (a worker that cannot run leaves it all to this thread)
      expect(workerUsed).toBe(true);
      // the fixture does exercise what it is for
      expect(one.rows).toBe(3000); // the header found under the title too
      const ids = one.columns[1] as { size: number; keys: string[] };
      expect(ids.keys).toContain('say "7"');
      if (chinese) expect(ids.keys.some((k) => k.startsWith("客户"))).toBe(true);
      expect(one.tallies[0]!.dmy).toBeGreaterThan(0);
    }
  });

  it("gives exactly the one-thread results on ascending order IDs (keys appended as they are)", () => {
    for (const seed of [7, 8, 9]) {
      const text = orderedCsv(5000, seed);
      const read = () => readCsvText(text, "orders.csv");
      const one = scanAll(read, OFF);
      expect(scanAll(read, ON)).toEqual(one);
      expect(workerUsed).toBe(true);
      // an order's line items run on across the middle in one of them at least
      const orders = one.columns[2] as { codes: number[] };
      expect(orders.codes.length).toBe(5000);
    }
    // the order whose line items straddle the split point keeps one code
    const text = "order_id,customer_id,date,amount\n" + "SO1,K1,2024-01-01,5\n".repeat(40);
    const read = () => readCsvText(text, "orders.csv");
    expect(scanAll(read, ON)).toEqual(scanAll(read, OFF));
    expect((scanAll(read, ON).columns[2] as { size: number }).size).toBe(1);
  });

  it("gives exactly the one-thread results from a file read into shared memory", () => {
    const path = join(dir, "orders.csv");
    writeFileSync(path, "\ufeff" + messyCsv(5000, 4, true));
    const bytes = readFileShared(path);
    expect(bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
    const read = () => readCsv(bytes, "orders.csv");
    const one = scanAll(read, OFF);
    expect(scanAll(read, ON)).toEqual(one);
    expect(workerUsed).toBe(true);
  });

  it("reads whitespace-separated text (CDNOW style) the same way", () => {
    const rand = mulberry32(5);
    const lines = ["customer_id order_id date quantity amount"];
    for (let r = 0; r < 4000; r++)
      lines.push(
        `  ${Math.floor(rand() * 300)}  ${r >> 1}\t1997${String(1 + (r % 12)).padStart(2, "0")}01  ${1 + (r % 3)}   ${(rand() * 90).toFixed(2)}`,
      );
    const read = () => readCsvText(lines.join("\n"), "cdnow.txt");
    const one = scanAll(read, OFF);
    expect(scanAll(read, ON)).toEqual(one);
    expect(workerUsed).toBe(true);
  });

  it("splits where the share says, at a record's start, with the same results", () => {
    const text = messyCsv(3000, 6, false);
    const u = Buffer.from(text, "utf8");
    const from = text.indexOf("\n") + 1;
    const read = () => readCsvText(text, "orders.csv");
    const one = scanAll(read, OFF);
    for (const share of [0.3, 0.45, 0.6]) {
      const split = splitPoint(u, from, share);
      expect(u[split - 1]).toBe(10);
      // the first line break at or past the point where the worker's share starts
      expect(split - from).toBeGreaterThanOrEqual((u.length - from) * (1 - share));
      expect(
        u.subarray(from + Math.floor((u.length - from) * (1 - share)), split - 1),
      ).not.toContain(10);
      expect(scanAll(read, { ...ON, share })).toEqual(one);
      expect(workerUsed).toBe(true);
    }
    // balanced from scan to scan: whatever the share comes to, the columns are the same
    // (where the split falls then depends on timing, and in this text it may be inside a
    // quoted field, so whether the worker's part is used is not asked here)
    for (let i = 0; i < 4; i++) expect(scanAll(read, { ...ON, share: null })).toEqual(one);
  });

  it("balances the share towards both threads finishing together", () => {
    // equal speeds: half stays half
    expect(balancedShare(0.5, 100, 10, 100, 10)).toBeCloseTo(0.5, 12);
    // the worker took twice as long for its half: its ideal share is 1/3, half way is 5/12
    expect(balancedShare(0.5, 100, 10, 100, 20)).toBeCloseTo(5 / 12, 12);
    // from 0.4, with the worker as fast as this thread: half way to 0.5
    expect(balancedShare(0.4, 60, 6, 40, 4)).toBeCloseTo(0.45, 12);
    // never below 0.3 or above 0.6, whatever one scan measured
    expect(balancedShare(0.3, 100, 1, 1, 100)).toBe(0.3);
    expect(balancedShare(0.6, 1, 100, 100, 1)).toBe(0.6);
    // nothing measured (no bytes on either side): the share stays
    expect(balancedShare(0.45, 0, 0, 0, 0)).toBe(0.45);
  });

  it("a split inside a quoted field: this thread reads on, with the same results", () => {
    // one quoted field full of line breaks spans the middle of the text, so the first line
    // break past the middle is not a record boundary
    const rows = Array.from({ length: 50 }, (_, i) => `SO${i},K${i % 7},2024-01-05,${i}.5`);
    const long = `"${"note\n".repeat(400)}"`;
    const text = [
      "order_id,customer_id,date,amount,note",
      ...rows.map((r, i) => (i === 25 ? `${r},${long}` : r)),
    ].join("\n");
    const u = Buffer.from(text, "utf8");
    const split = splitPoint(u, text.indexOf("\n") + 1);
    const inside = text.indexOf(long);
    expect(split).toBeGreaterThan(inside);
    expect(split).toBeLessThan(inside + long.length);
    const read = () => readCsvText(text, "orders.csv");
    const one = scanAll(read, OFF);
    expect(one.rows).toBe(50);
    expect(scanAll(read, ON)).toEqual(one);
    // the worker's answer dropped: its first record was not where this thread's walk stopped
    expect(workerUsed).toBe(false);
  });

  it("falls back to one thread when the worker fails or falls silent, tallies counted once", () => {
    const text = messyCsv(2000, 6, false);
    const read = () => readCsvText(text, "orders.csv");
    const one = scanAll(read, OFF);
    // a worker that answers with an error; one that takes the work and never answers
    const failing = join(dir, "failing.mjs");
    writeFileSync(
      failing,
      `import { parentPort } from "node:worker_threads";
       let start = null;
       parentPort.on("message", (m) => {
         if (m.type === "start") { start = m; return; }
         start.replies.postMessage({ task: m.task, part: null, error: "broken" });
         Atomics.add(start.signal, 0, 1);
         Atomics.notify(start.signal, 0);
       });`,
    );
    const silent = join(dir, "silent.mjs");
    writeFileSync(
      silent,
      `import { parentPort } from "node:worker_threads"; parentPort.on("message", () => {});`,
    );
    for (const script of [failing, silent]) {
      const worker = pathToFileURL(script);
      expect(scanAll(read, { ...ON, worker, patienceMs: 300 })).toEqual(one);
      expect(workerUsed).toBe(false);
      // and again, once the worker is known to be broken
      expect(scanAll(read, { ...ON, worker, patienceMs: 300 })).toEqual(one);
      expect(workerUsed).toBe(false);
    }
    configureParallel(OFF);
  });

  it("a quoted field only in the worker's rows still gets the swallowing-quote check", () => {
    const lines = ["Customer ID,Date,Amount"];
    for (let i = 0; i < 400; i++) lines.push(`K${i % 50},2024-01-0${1 + (i % 9)},${i}`);
    lines.push('K1,2024-02-01,"5'); // never closed, in the second half
    for (let i = 0; i < 30; i++) lines.push(`K${i},2024-02-02,${i}`);
    const text = lines.join("\n") + "\n";
    const notes = (mode: Partial<ParallelOptions>) => {
      configureParallel(mode);
      const parts = workerPartsUsed();
      const src = readCsv(Buffer.from(text), "orders.csv");
      scanColumns(src, jobsFor(3));
      const used = workerPartsUsed() > parts;
      const n = (src as unknown as { notices(): { row: number; key: string }[] }).notices();
      return { used, n: n.map((x) => [x.row, x.key]) };
    };
    expect(notes(ON)).toEqual({ used: true, n: [[400, "reading.unclosedQuote"]] });
    expect(notes(OFF)).toEqual({ used: false, n: [[400, "reading.unclosedQuote"]] });
    configureParallel(OFF);
  });
});
