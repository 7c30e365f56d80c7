/**
 * `crm analyze --summary FILE` (issue 19 §3): the per-customer order summary computed elsewhere
 * (our SQL, printed by `crm sql`, run on a warehouse: BigQuery, Spark, Snowflake …) read back
 * from Parquet or CSV, so the rules run on it as on orders read here.
 *
 * Columns (the contract, docs of summary.ts; snake_case as the SQL names them) — all required
 * except `cost` (absent or all empty: the table had no Cost column) and `first_row` (unknown
 * for SQL tables). Extra columns are ignored; names are matched without regard to case.
 * - customer_id: text (numbers are taken as their text; an all-digit ID with ".0" loses it,
 *   as when the orders are read).
 * - days (first_purchase, last_purchase, tx_first_day, tx_last_day): epoch days (days since
 *   1970-01-01) as integers, or dates (a Parquet DATE, a CSV's YYYY-MM-DD); empty = none.
 * - counts and sums: numbers; an empty count is 0, an empty sum 0 (median_gap: none).
 * Any other value stops the run (exit 1) naming the file, row, column and value: a summary
 * with one bad value is not a summary to run rules on.
 *
 * Parquet is read with DuckDB (engine-duckdb.ts's loader: @duckdb/node-api, an optional
 * package, loaded only then); CSV with our own reader (no DuckDB needed), UTF-8/GBK and any of
 * its separators.
 */
import { existsSync } from "node:fs";
import { basename, extname } from "node:path";
import { UnusableInputError } from "../errors.js";
import { t } from "../messages/index.js";
import type { Dataset, Lang, RawTable, TableSource } from "../types.js";
import { cellSource } from "../source.js";
import type { Settings } from "../settings.js";
import { normaliseId, readCustomersAndInteractions } from "../clean.js";
import { emptySummary, fillSummary } from "../summary.js";
import { readCsv } from "./csv.js";
import { readFileShared } from "./csv-parallel.js";
import { closeDuckDb, openDuckDb } from "./engine-duckdb.js";
import { SUMMARY_COLUMNS, type SummaryColumn } from "../sql/aggregate.js";

// The contract's per-customer columns, in its order: the SQL module's own list.
export { SUMMARY_COLUMNS, type SummaryColumn } from "../sql/aggregate.js";
type NumberColumn = Exclude<SummaryColumn, "customer_id">;

/** How each numeric column is read, and what an empty cell stands for. */
const KIND: Record<NumberColumn, { kind: "day" | "integer" | "number"; empty: number }> = {
  first_row: { kind: "integer", empty: NaN },
  rows: { kind: "integer", empty: 0 },
  first_purchase: { kind: "day", empty: NaN },
  last_purchase: { kind: "day", empty: NaN },
  orders: { kind: "integer", empty: 0 },
  amount: { kind: "number", empty: 0 },
  cost: { kind: "number", empty: 0 },
  rev_recent: { kind: "number", empty: 0 },
  rev_previous: { kind: "number", empty: 0 },
  rev_90d: { kind: "number", empty: 0 },
  rev_prev_90d: { kind: "number", empty: 0 },
  median_gap: { kind: "number", empty: NaN },
  tx_first_day: { kind: "day", empty: NaN },
  tx_days: { kind: "integer", empty: 0 },
  tx_last_day: { kind: "day", empty: NaN },
  tx_total: { kind: "number", empty: 0 },
  tx_first_spend: { kind: "number", empty: 0 },
  holdout_days: { kind: "integer", empty: 0 },
};

/** Columns that may be missing. */
const OPTIONAL = new Set<SummaryColumn>(["first_row", "cost"]);

/** The file's customers, in file order, with their columns. */
export interface SummaryTable {
  file: string;
  ids: string[];
  columns: Record<NumberColumn, Float64Array>;
  /** Whether the file has a cost column with at least one value (else: no Cost column). */
  hasCost: boolean;
}

/** A cell as read: text (CSV, Parquet text), a number, or null (empty / NULL). */
type RawValue = string | number | null;

interface RawTableColumns {
  names: string[];
  rows: number;
  value: (row: number, col: number) => RawValue;
}

const DAY_MS = 86_400_000;

/** Read and check a summary file; throws UnusableInputError naming what is wrong. */
export async function readSummaryFile(path: string, lang: Lang): Promise<SummaryTable> {
  const file = basename(path);
  if (!existsSync(path))
    throw new UnusableInputError({ key: "summary.error.noFile", params: { file: path } });
  const ext = extname(path).toLowerCase();
  let raw: RawTableColumns;
  if (ext === ".parquet" || ext === ".pq") raw = await readParquet(path, file);
  else if (ext === ".csv" || ext === ".txt" || ext === ".tsv")
    raw = await readCsvColumns(path, file);
  else throw new UnusableInputError({ key: "summary.error.format", params: { file } });
  return checkSummary(raw, file, lang);
}

async function readCsvColumns(path: string, file: string): Promise<RawTableColumns> {
  const src = readCsv(await readFileShared(path), file);
  return {
    names: [...src.headers],
    rows: src.rowCount,
    value: (r, c) => (src.isBlank(r, c) ? null : src.text(r, c)),
  };
}

/**
 * A Parquet file's columns through DuckDB: dates as ISO text, other values as text or
 * numbers, so the checks below treat both formats alike.
 */
async function readParquet(path: string, file: string): Promise<RawTableColumns> {
  // DuckDB missing: the engine's message naming the package and how to install it
  const conn = await openDuckDb(file, "parquet");
  try {
    const lit = `'${path.replace(/'/g, "''")}'`;
    const described = await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${lit})`);
    const desc = described.getRowsJS() as [string, string][];
    const select = desc
      .map(([name, type]) => {
        const q = `"${name.replace(/"/g, '""')}"`;
        const t = type.toUpperCase();
        // dates as text; decimals and 64-bit integers as doubles (JS numbers); the rest as is
        if (t === "DATE" || t.startsWith("TIMESTAMP")) return `CAST(CAST(${q} AS DATE) AS VARCHAR)`;
        if (
          /^(DECIMAL|NUMERIC|BIGINT|HUGEINT|UBIGINT|INTEGER|SMALLINT|TINYINT|UINTEGER|USMALLINT|UTINYINT|FLOAT|DOUBLE|REAL)/.test(
            t,
          )
        )
          return `CAST(${q} AS DOUBLE)`;
        return `CAST(${q} AS VARCHAR)`;
      })
      .join(", ");
    const reader = await conn.runAndReadAll(`SELECT ${select} FROM read_parquet(${lit})`);
    const cols = reader.getColumnsJS() as RawValue[][];
    return {
      names: desc.map((d) => d[0]),
      rows: cols[0]?.length ?? 0,
      value: (r, c) => cols[c][r] ?? null,
    };
  } catch (e) {
    if (e instanceof UnusableInputError) throw e;
    throw new UnusableInputError({
      key: "summary.error.unreadable",
      params: { file, reason: (e as Error).message.split("\n")[0] },
    });
  } finally {
    closeDuckDb(conn);
  }
}

/** Plain number text as SQL engines write it: 12, -3.5, 1.25e+06 (no grouping, no currency). */
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseValue(v: RawValue, kind: "day" | "integer" | "number"): number {
  if (typeof v === "number") return kind === "day" || kind === "integer" ? integral(v) : v;
  const s = (v ?? "").trim();
  if (kind === "day") {
    const m = ISO_DAY.exec(s);
    if (m) {
      const ms = Date.UTC(+m[1], +m[2] - 1, +m[3]);
      const d = new Date(ms);
      return d.getUTCDate() === +m[3] && d.getUTCMonth() === +m[2] - 1 ? ms / DAY_MS : NaN;
    }
  }
  if (!NUMBER_TEXT.test(s)) return NaN;
  const x = Number(s);
  return kind === "number" ? x : integral(x);
}

const integral = (x: number) => (Number.isInteger(x) ? x : NaN);

function checkSummary(raw: RawTableColumns, file: string, lang: Lang): SummaryTable {
  const index = new Map<string, number>();
  raw.names.forEach((n, i) => {
    const k = n.trim().toLowerCase();
    if (!index.has(k)) index.set(k, i);
  });
  const missing = SUMMARY_COLUMNS.filter((c) => !OPTIONAL.has(c) && !index.has(c));
  if (missing.length)
    throw new UnusableInputError({
      key: "summary.error.missingColumns",
      params: {
        file,
        missing: missing.join(", "),
        expected: SUMMARY_COLUMNS.join(", "),
        found: raw.names.filter((n) => n.trim()).join(", ") || "—",
      },
    });
  if (raw.rows === 0)
    throw new UnusableInputError({ key: "summary.error.noRows", params: { file } });
  const idCol = index.get("customer_id")!;
  const ids: string[] = [];
  const seen = new Map<string, number>();
  /** The file's row of data row r: line r + 2 of a CSV (after its header), Parquet row r + 1. */
  const rowOf = (r: number) => r + 2;
  const bad = (r: number, column: string, value: RawValue, expected: string) =>
    new UnusableInputError({
      key: "summary.error.badValue",
      params: {
        file,
        row: rowOf(r),
        column,
        value: value === null ? "" : String(value).slice(0, 200),
        expected: t(lang, expected),
      },
    });
  const keep: number[] = [];
  for (let r = 0; r < raw.rows; r++) {
    const v = raw.value(r, idCol);
    const id = v === null ? "" : normaliseId(String(v).trim());
    if (!id) {
      // an all-empty line (a CSV's trailing blank row) is no customer; a row with values is bad
      if (raw.names.every((_, c) => raw.value(r, c) === null)) continue;
      throw bad(r, raw.names[idCol], v, "summary.expected.text");
    }
    const first = seen.get(id);
    if (first !== undefined)
      throw new UnusableInputError({
        key: "summary.error.duplicate",
        params: { file, id, first: rowOf(first), row: rowOf(r) },
      });
    seen.set(id, r);
    ids.push(id);
    keep.push(r);
  }
  if (ids.length === 0)
    throw new UnusableInputError({ key: "summary.error.noRows", params: { file } });
  const columns = {} as Record<NumberColumn, Float64Array>;
  let hasCost = false;
  for (const name of SUMMARY_COLUMNS) {
    if (name === "customer_id") continue;
    const { kind, empty } = KIND[name];
    const out = new Float64Array(ids.length).fill(empty);
    columns[name] = out;
    const c = index.get(name);
    if (c === undefined) continue;
    for (let k = 0; k < keep.length; k++) {
      const v = raw.value(keep[k], c);
      if (v === null || (typeof v === "string" && !v.trim())) continue;
      const x = parseValue(v, kind);
      if (!Number.isFinite(x) || (kind === "integer" && x < 0))
        throw bad(keep[k], raw.names[c], v, `summary.expected.${kind}`);
      out[k] = x;
      if (name === "cost") hasCost = true;
    }
  }
  return { file, ids, columns, hasCost };
}

/** A table as the reader reads it (a workbook's RawTable made a TableSource). */
export const asTableSource = (x: RawTable | TableSource | null | undefined): TableSource | null =>
  x ? ("cell" in x && typeof x.cell === "function" ? x : cellSource(x as RawTable)) : null;

export interface SummaryReadInput {
  path: string;
  customers?: RawTable | TableSource | null;
  interactions?: RawTable | TableSource | null;
  today?: number;
  lang: Lang;
}

/**
 * The Dataset of a run on a summary file: customers and interactions read as usual, then the
 * file's customers (those not in the Customers table appended in the file's order, each a
 * warning when there is a Customers table), the summary at the settings' as-of date (which
 * must be the one the file was computed at: `crm sql --as-of`, so it is required).
 *
 * What a per-customer table cannot carry is left out, and said where it shows: the latest
 * order day is taken as the as-of date (no holdout check: the orders after it are not in the
 * file) and there is no repeat-purchase curve (it needs the days of every purchase).
 */
export async function readSummaryDataset(
  input: SummaryReadInput,
  settings: Settings,
): Promise<Dataset> {
  const asOf = settings.asOf;
  if (asOf === null) throw new UnusableInputError({ key: "summary.error.needsAsOf" });
  const table = await readSummaryFile(input.path, input.lang);
  const customers = asTableSource(input.customers);
  const ds = readCustomersAndInteractions(
    {
      customers,
      interactions: asTableSource(input.interactions),
      today: input.today,
      ordersSource: table.file,
    },
    settings,
  );
  const ids = ds.customerIds;
  const index = new Map<string, number>();
  ids.forEach((id, i) => index.set(id, i));
  const at = new Int32Array(table.ids.length);
  const issues = [...ds.issues];
  table.ids.forEach((id, k) => {
    let c = index.get(id);
    if (c === undefined) {
      c = ids.push(id) - 1;
      ds.records.push(null);
      index.set(id, c);
      if (customers)
        issues.push({
          source: table.file,
          row: k + 2,
          column: "customer_id",
          value: id,
          reason: { key: "reading.unknownCustomer", params: { table: customers.source } },
          severity: "warning",
        });
    }
    at[k] = c;
  });
  const s = emptySummary(ids.length, asOf, settings.lifecycle.windowDays, table.hasCost);
  fillSummary(s, table.columns, at);
  // no row of the file is a row of the orders: the rows' file order is unknown
  s.firstRow.fill(NaN);
  s.lastDataDay = asOf;
  s.afterAsOf = 0;
  let rows = 0;
  for (let k = 0; k < table.ids.length; k++) rows += table.columns.rows[k];
  const counts = ds.counts;
  counts.orderRowsRead = rows;
  counts.orderRowsUsed = rows;
  counts.rowsRead += rows;
  counts.rowsUsed += rows;
  return {
    ...ds,
    orders: { ...ds.orders, cost: table.hasCost ? new Float64Array(0) : null },
    issues,
    counts,
    hasCost: table.hasCost,
    maxDay: asOf,
    summary: s,
  };
}
