/**
 * The library entry point (README "Notebook"): analyzeFile and analyzeTables give what
 * `crm analyze` writes, as arquero tables and plain data; bad input throws UnusableInputError
 * with the CLI's message, and nothing is printed.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as aq from "arquero";
import { main, type Io } from "../../analysis/node/cli.js";
import { readCsv } from "../../analysis/node/csv.js";
import { readWorkbook, pickInputTables } from "../../analysis/node/xlsx-read.js";
import {
  analyzeFile,
  analyzeTables,
  chartDisplay,
  UnusableInputError,
  writeSampleWorkbook,
  type AnalysisResult,
} from "../../analysis/node/library.js";
import { CSV_COLUMNS } from "../../analysis/output/customers.js";
import type { RawTable } from "../../analysis/types.js";
import { toCsv } from "../../analysis/node/csv-write.js";
import { cellText } from "../../analysis/source.js";
import { closeDuckDb, openDuckDb } from "../../analysis/node/engine-duckdb.js";
import { buildLibrary } from "../helpers/built-library.js";
import { close, differences } from "../helpers/compare.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

function io() {
  const err: string[] = [];
  const x: Io = { out: () => {}, err: (s) => err.push(s), env: {} };
  return { io: x, errText: () => err.join("") };
}

/** A CSV written by the CLI as header + rows of text. */
function parseCsv(path: string): { header: string[]; rows: string[][] } {
  const src = readCsv(readFileSync(path), "x.csv");
  const rows: string[][] = [];
  for (let r = 0; r < src.rowCount; r++) rows.push(src.headers.map((_, c) => src.text(r, c)));
  return { header: [...src.headers], rows };
}

/** A table value as customers.csv writes it. */
const asCsvText = (v: unknown): string =>
  v === null || v === undefined
    ? ""
    : v instanceof Date
      ? v.toISOString().slice(0, 10)
      : typeof v === "number"
        ? String(v)
        : String(v).trim();

/** Run `crm analyze` on the file; its output folder. */
async function cli(file: string, out: string, extra: string[] = []): Promise<string> {
  const h = io();
  const code = await main(["analyze", file, "--out", out, "--quiet", ...extra], h.io);
  expect(h.errText()).toBe("");
  expect(code).toBe(0);
  return out;
}

let dir: string;
let sample: string;
let result: AnalysisResult;
let cliOut: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "crm-library-"));
  sample = join(dir, "sample-workbook.xlsx");
  await writeSampleWorkbook(sample, { lang: "en" });
  result = await analyzeFile(sample);
  cliOut = await cli(sample, join(dir, "cli"), ["--lang", "en"]);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("analyzeFile equals crm analyze on the same file", () => {
  it("customers: customers.csv's columns and values, plus owner, region and industry", () => {
    const csv = parseCsv(join(cliOut, "customers.csv"));
    expect(csv.header).toEqual([...CSV_COLUMNS]);
    const t = result.customers;
    expect(t.columnNames()).toEqual([...CSV_COLUMNS, "owner", "region", "industry"]);
    expect(t.numRows()).toBe(csv.rows.length);
    const cols = CSV_COLUMNS.map((c) => t.array(c) as unknown[]);
    for (let r = 0; r < csv.rows.length; r++)
      expect(
        cols.map((c) => asCsvText(c[r])),
        `row ${r}`,
      ).toEqual(csv.rows[r]);
  });

  it("numbers are numbers and dates are Dates at midnight UTC", () => {
    const row = result.customers.object(0) as Record<string, unknown>;
    expect(typeof row.monetary).toBe("number");
    expect(typeof row.frequency).toBe("number");
    expect(row.last_purchase).toBeInstanceOf(Date);
    expect((row.last_purchase as Date).getUTCHours()).toBe(0);
    expect(result.orders.get("date", 0)).toBeInstanceOf(Date);
  });

  it("summary equals summary.json", () => {
    const json = JSON.parse(readFileSync(join(cliOut, "summary.json"), "utf8"));
    expect(JSON.parse(JSON.stringify(result.summary))).toEqual(json);
  });

  it("issues: the rows of data-issues.csv", () => {
    const csv = parseCsv(join(cliOut, "data-issues.csv"));
    expect(result.issues.numRows()).toBe(csv.rows.length);
    expect(result.issues.numRows()).toBeGreaterThan(0);
    const names = csv.header;
    for (let r = 0; r < csv.rows.length; r++)
      expect(
        names.map((n) => asCsvText(result.issues.get(n, r))),
        `issue ${r}`,
      ).toEqual(csv.rows[r]);
  });

  it("orders: the clean rows, whose amounts up to the as-of date sum to the customers' monetary", async () => {
    const o = result.orders;
    // every row of the orders sheet, less those data-issues.csv says were skipped
    const raw = pickInputTables(await readWorkbook(readFileSync(sample))).orders!;
    const skipped = result.issues
      .params({ sheet: raw.source })
      .filter(
        (d: { source: string; severity: string }, $: { sheet: string }) =>
          d.source === $.sheet && d.severity === "skipped",
      )
      .numRows();
    expect(o.numRows()).toBe(raw.rows.length - skipped);
    const asOf = Date.parse(result.summary.as_of);
    const net = o
      .params({ asOf })
      .filter((d: { date: Date }, $: { asOf: number }) => +d.date <= $.asOf)
      .rollup({ s: aq.op.sum("amount") })
      .get("s", 0) as number;
    const monetary = result.customers.rollup({ s: aq.op.sum("monetary") }).get("s", 0) as number;
    expect(net).toBeCloseTo(monetary, 0);
    // the typed arrays of the cleaned orders, shared rather than copied
    expect(o.column("amount")).toBeInstanceOf(Float64Array);
    expect(o.column("order")).toBeInstanceOf(Int32Array);
  });

  it("the as-of date: the same as crm analyze --as-of", async () => {
    const r = await analyzeFile(sample, { asOf: "2026-06-30" });
    const out = await cli(sample, join(dir, "cli-asof"), ["--lang", "en", "--as-of", "2026-06-30"]);
    const json = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(json.as_of).toBe("2026-06-30");
    expect(JSON.parse(JSON.stringify(r.summary))).toEqual(json);
    expect(
      JSON.parse(
        JSON.stringify(
          (await analyzeFile(sample, { asOf: new Date(Date.UTC(2026, 5, 30)) })).summary,
        ),
      ),
    ).toEqual(json);
  }, 60_000);

  it("charts: the report's vega-lite specs, keyed by names that do not depend on the language", async () => {
    const names = Object.keys(result.charts);
    expect(names).toContain("pareto.chart");
    expect(names).toContain("rfm.heat.count");
    expect(names).toContain("owners.chart");
    const zh = await analyzeFile(sample, { lang: "zh" });
    expect(Object.keys(zh.charts)).toEqual(names);
    const spec = result.charts["grade.chart"];
    expect(String(spec.$schema)).toMatch(/vega-lite/);
    const shown = (await chartDisplay(spec))[Symbol.for("Jupyter.display")]();
    expect(Object.keys(shown)).toEqual([
      "application/vnd.vegalite.v5+json",
      "image/svg+xml",
      "text/plain",
    ]);
    expect(String(shown["image/svg+xml"])).toMatch(/^<svg/);
  }, 60_000);
});

/** The sample workbook's tables as arrays of row objects, as an analyst would hold them. */
type Rows = Record<string, unknown>[];
async function objectsOf(
  path: string,
): Promise<{ orders: Rows; customers: Rows; interactions: Rows }> {
  const picked = pickInputTables(await readWorkbook(readFileSync(path)));
  const rows = (t: RawTable | null) =>
    (t?.rows ?? []).map((r) => Object.fromEntries(t!.headers.map((h, i) => [h, r[i]])));
  return {
    orders: rows(picked.orders),
    customers: rows(picked.customers),
    interactions: rows(picked.interactions),
  };
}

describe("analyzeTables", () => {
  it("arrays of row objects give the same analysis as the file", async () => {
    const t = await objectsOf(sample);
    const r = analyzeTables(t);
    expect(JSON.parse(JSON.stringify(r.summary))).toEqual(
      JSON.parse(JSON.stringify(result.summary)),
    );
    expect(r.customers.objects()).toEqual(result.customers.objects());
  });

  it("arquero tables too", async () => {
    const t = await objectsOf(sample);
    const r = analyzeTables({
      orders: aq.from(t.orders),
      customers: aq.from(t.customers),
      interactions: aq.from(t.interactions),
    });
    expect(r.summary.grades).toEqual(result.summary.grades);
    expect(r.customers.numRows()).toBe(result.customers.numRows());
  });
});

describe("analyzeFile on Parquet, a file or a folder of parts: what crm analyze gives", () => {
  let parquet = "";
  let folder = "";
  let customers = "";
  beforeAll(async () => {
    const wb = pickInputTables(await readWorkbook(readFileSync(sample)));
    const csvOf = (raw: RawTable) =>
      toCsv(
        raw.headers,
        raw.rows.map((r) => raw.headers.map((_, c) => cellText(r[c]))),
        { bom: false, neutralise: false },
      );
    const orders = join(dir, "pq-orders.csv");
    writeFileSync(orders, csvOf(wb.orders!));
    customers = join(dir, "pq-customers.csv");
    writeFileSync(customers, csvOf(wb.customers!));
    parquet = join(dir, "pq-orders.parquet");
    folder = join(dir, "pq-orders-parts");
    mkdirSync(folder);
    const con = await openDuckDb("test", "parquet");
    try {
      const rows = `SELECT *, row_number() OVER () AS i FROM read_csv('${orders}', header = true)`;
      await con.run(`CREATE TEMP TABLE o AS ${rows}`);
      await con.run(
        `COPY (SELECT * EXCLUDE (i) FROM o ORDER BY i) TO '${parquet}' (FORMAT parquet)`,
      );
      for (const [k, where] of ["i <= 400", "i > 400"].entries())
        await con.run(
          `COPY (SELECT * EXCLUDE (i) FROM o WHERE ${where} ORDER BY i) TO '${join(folder, `part-0000${k}.parquet`)}' (FORMAT parquet)`,
        );
    } finally {
      closeDuckDb(con);
    }
  }, 60_000);

  it("customers and summary equal crm analyze's customers.csv and summary.json; the folder's equal the file's", async () => {
    const fromFile = await analyzeFile(parquet, { customers });
    const out = await cli(parquet, join(dir, "pq-cli"), ["--lang", "en", "--customers", customers]);
    const csv = parseCsv(join(out, "customers.csv"));
    expect(fromFile.customers.numRows()).toBe(csv.rows.length);
    expect(csv.rows.length).toBeGreaterThan(250);
    const cols = CSV_COLUMNS.map((c) => fromFile.customers.array(c) as unknown[]);
    const off: string[] = [];
    for (let r = 0; r < csv.rows.length; r++)
      cols.forEach((c, j) => {
        const [v, w] = [asCsvText(c[r]), csv.rows[r][j]];
        if (!close(v, w)) off.push(`row ${r} ${CSV_COLUMNS[j]}: ${v} ≠ ${w}`);
      });
    expect(off).toEqual([]);
    // (numbers within 1e-9: DuckDB adds in no fixed order, and two runs may differ in the last bit)
    const json = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(differences(JSON.parse(JSON.stringify(fromFile.summary)), json)).toEqual([]);
    // the order rows stay in DuckDB
    expect(fromFile.orders.numRows()).toBe(0);
    const fromFolder = await analyzeFile(folder, { customers });
    for (const c of CSV_COLUMNS)
      expect(fromFolder.customers.array(c), c).toEqual(fromFile.customers.array(c));
  }, 60_000);

  it("a folder of CSV parts: the CLI's message", async () => {
    const csvParts = join(dir, "pq-csv-parts");
    mkdirSync(csvParts);
    writeFileSync(
      join(csvParts, "part-0.csv"),
      "order_id,customer_id,date,amount\nA,K,2024-01-05,1\n",
    );
    const e = await analyzeFile(csvParts, { lang: "zh" }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UnusableInputError);
    expect((e as Error).message).toBe(
      `文件夹 ${csvParts} 中是 CSV 文件：订单文件夹只有在各部分为 Parquet（如 Spark 所写）时才作为一张表读取。请给出一个 CSV 文件，或把各部分存为 Parquet。`,
    );
  });
});

describe("bad input: UnusableInputError with the CLI's message, nothing printed", () => {
  async function cliError(file: string, lang: "zh" | "en"): Promise<string> {
    const h = io();
    const code = await main(
      ["analyze", file, "--out", join(dir, "bad"), "--lang", lang, "--quiet"],
      h.io,
    );
    expect(code).toBe(1);
    return h
      .errText()
      .replace(/^crm: /, "")
      .trim();
  }

  it("a missing file, in Chinese", async () => {
    const missing = join(dir, "missing.csv");
    const e = await analyzeFile(missing, { lang: "zh" }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UnusableInputError);
    expect((e as Error).message).toBe(await cliError(missing, "zh"));
    expect((e as Error).message).toMatch(/[\u4e00-\u9fff]/);
  });

  it("a CSV without the orders' columns, in English; no process.exit, nothing written to the console", async () => {
    const bad = join(dir, "not-orders.csv");
    writeFileSync(bad, "fruit,colour\napple,red\n");
    const exit = vi.spyOn(process, "exit");
    const out = vi.spyOn(process.stdout, "write");
    const err = vi.spyOn(process.stderr, "write");
    const e = await analyzeFile(bad, { lang: "en" }).catch((x: unknown) => x);
    const calls = [exit.mock.calls.length, out.mock.calls.length, err.mock.calls.length];
    vi.restoreAllMocks();
    expect(e).toBeInstanceOf(UnusableInputError);
    expect(calls).toEqual([0, 0, 0]);
    expect((e as Error).message).toBe(await cliError(bad, "en"));
  });

  it("a folder whose link loops, and a Parquet file as the Customers table: the CLI's messages, in Chinese", async () => {
    const loop = join(dir, "loop-parts");
    mkdirSync(loop);
    symlinkSync("b", join(loop, "a"));
    symlinkSync("a", join(loop, "b"));
    const e = await analyzeFile(loop, { lang: "zh" }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UnusableInputError);
    expect((e as Error).message).toBe(await cliError(loop, "zh"));
    expect((e as Error).message).toContain(join(loop, "a"));
    const pq = join(dir, "as-customers.parquet");
    writeFileSync(pq, "PAR1 and more");
    const c = await analyzeFile(sample, { customers: pq, lang: "zh" }).catch((x: unknown) => x);
    expect(c).toBeInstanceOf(UnusableInputError);
    expect((c as Error).message).toBe(
      `“${pq}”是 Parquet 文件：--customers 和 --interactions 只接受工作簿（.xlsx）或 CSV 文件。`,
    );
  });

  it("tables in memory without orders' columns", () => {
    expect(() => analyzeTables({ orders: [{ fruit: "apple" }] }, { lang: "zh" })).toThrow(
      UnusableInputError,
    );
  });
});

describe('import { analyzeFile } from "customer-lifecycle-excel"', () => {
  it("resolves from Node inside the repository (package.json exports, dist/library.mjs)", async () => {
    await buildLibrary();
    const script = join(root, "test-output", `library-import-${process.pid}.mjs`);
    writeFileSync(
      script,
      `import { analyzeFile } from "customer-lifecycle-excel";\n` +
        `const r = await analyzeFile(${JSON.stringify(sample)});\n` +
        `console.log(JSON.stringify({ n: r.customers.numRows(), grades: r.summary.grades }));\n`,
    );
    try {
      const got = JSON.parse(execFileSync(process.execPath, [script], { encoding: "utf8" }));
      expect(got).toEqual({ n: result.customers.numRows(), grades: result.summary.grades });
    } finally {
      rmSync(script, { force: true });
    }
  }, 60_000);
});
