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
import { existsSync, statSync } from "node:fs";
import { basename } from "node:path";
import { UnusableInputError } from "../errors.js";
import { t } from "../messages/index.js";
import type { Dataset, Lang, Message, RawTable, TableSource } from "../types.js";
import { isoDay } from "../dates.js";
import { cellSource } from "../source.js";
import type { Settings } from "../settings.js";
import { normaliseId, readCustomersAndInteractions } from "../clean.js";
import { emptySummary, fillSummary } from "../summary.js";
import { readCsv } from "./csv.js";
import { readFileShared } from "./csv-parallel.js";
import type { DuckDBConnection } from "@duckdb/node-api";
import { closeDuckDb, openDuckDb, pathLiteral } from "./engine-duckdb.js";
import { folderParts, kindOfName, partColumns, type TableParts } from "./parts.js";
import {
  SQL_FIRST_DAY,
  SQL_LAST_DAY,
  SUMMARY_COLUMNS,
  type SummaryColumn,
} from "../sql/aggregate.js";

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
  /** The summary's name: its file's, or its folder's. */
  file: string;
  ids: string[];
  columns: Record<NumberColumn, Float64Array>;
  /** Whether the file has a cost column with at least one value (else: no Cost column). */
  hasCost: boolean;
  /** The file (a folder's part: "folder/part") and row of each customer, as messages name them. */
  fileOf: string[];
  fileRows: number[];
}

/** A cell as read: text (CSV, Parquet text), a number, or null (empty / NULL). */
type RawValue = string | number | null;

interface RawTableColumns {
  names: string[];
  rows: number;
  value: (row: number, col: number) => RawValue;
  /**
   * The file and row of data row `row` as messages name them. A row is a CSV's line (line 2
   * the first, after its header); a Parquet file's rows likewise, as the lines of its CSV
   * export (as the orders' Parquet rows are named, engine-duckdb.ts), so a summary's rows are
   * named alike in both forms.
   */
  place: (row: number) => { file: string; row: number };
}

/**
 * The files of `--summary PATH`: the file, or the parts of a folder (parts.ts), as Spark writes
 * a table and a warehouse's export shards land once downloaded.
 */
export function summaryParts(path: string): TableParts {
  if (!existsSync(path))
    throw new UnusableInputError({ key: "summary.error.noFile", params: { file: path } });
  const st = statSync(path);
  if (st.isDirectory()) return folderParts(path);
  if (!st.isFile())
    throw new UnusableInputError({ key: "summary.error.notFile", params: { file: path } });
  const name = basename(path);
  const kind = kindOfName(name);
  if (!kind) throw new UnusableInputError({ key: "summary.error.format", params: { file: name } });
  return { name, kind, parts: [{ path, name }], folder: null };
}

const DAY_MS = 86_400_000;

/**
 * Read and check a summary file computed at the as-of date asOf (epoch day); throws
 * UnusableInputError naming what is wrong.
 */
export async function readSummaryFile(
  path: string,
  lang: Lang,
  asOf: number,
  listed?: TableParts | null,
): Promise<SummaryTable> {
  const summary = listed ?? summaryParts(path);
  const raw =
    summary.kind === "parquet" ? await readParquetParts(summary) : await readCsvParts(summary);
  return checkSummary(raw, summary.name, lang, asOf);
}

/** One part's columns, read. */
interface Part {
  name: string;
  names: string[];
  rows: number;
  value: (row: number, col: number) => RawValue;
}

/**
 * The parts as one table: the first part's columns, every other part holding the same ones
 * (the same names, in any order: parts.ts partColumns).
 */
function joinParts(read: Part[]): RawTableColumns {
  const first = read[0];
  const colMaps = partColumns(read);
  if (read.length === 1)
    return {
      names: first.names,
      rows: first.rows,
      value: first.value,
      place: (r) => ({ file: first.name, row: r + 2 }),
    };
  let rows = 0;
  for (const p of read) rows += p.rows;
  const partOf = new Int32Array(rows);
  const rowIn = new Int32Array(rows);
  let r = 0;
  read.forEach((p, k) => {
    for (let i = 0; i < p.rows; i++, r++) {
      partOf[r] = k;
      rowIn[r] = i;
    }
  });
  return {
    names: first.names,
    rows,
    value: (row, col) => read[partOf[row]].value(rowIn[row], colMaps[partOf[row]][col]),
    place: (row) => ({ file: read[partOf[row]].name, row: rowIn[row] + 2 }),
  };
}

async function readCsvParts(summary: TableParts): Promise<RawTableColumns> {
  const read: Part[] = [];
  for (const part of summary.parts) {
    // an empty part (an empty partition, written as a file of no bytes) holds no customer
    if (summary.folder && statSync(part.path).size === 0) continue;
    const src = readCsv(await readFileShared(part.path), part.name);
    read.push({
      name: part.name,
      names: [...src.headers],
      rows: src.rowCount,
      value: (r, c) => (src.isBlank(r, c) ? null : src.text(r, c)),
    });
  }
  if (read.length === 0)
    throw new UnusableInputError({ key: "summary.error.noRows", params: { file: summary.name } });
  return joinParts(read);
}

/**
 * Parquet files' columns through DuckDB (one connection for all parts): dates as ISO text,
 * other values as text or numbers, so the checks below treat both formats alike.
 */
async function readParquetParts(summary: TableParts): Promise<RawTableColumns> {
  // DuckDB missing: the engine's message naming the package and how to install it
  const conn = await openDuckDb(summary.name, "parquet");
  let current = summary.parts[0].name;
  try {
    const read: Part[] = [];
    for (const part of summary.parts) {
      current = part.name;
      read.push({ name: part.name, ...(await readParquet(conn, part.path)) });
    }
    return joinParts(read);
  } catch (e) {
    if (e instanceof UnusableInputError) throw e;
    throw new UnusableInputError({
      key: "summary.error.unreadable",
      params: { file: current, reason: (e as Error).message.split("\n")[0] },
    });
  } finally {
    closeDuckDb(conn);
  }
}

async function readParquet(conn: DuckDBConnection, path: string): Promise<Omit<Part, "name">> {
  const lit = pathLiteral(path);
  const described = await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${lit})`);
  const desc = described.getRowsJS() as [string, string][];
  const select = desc
    .map(([name, type]) => {
      const q = `"${name.replace(/"/g, '""')}"`;
      const t = type.toUpperCase();
      // the customer ID as its text (a 64-bit integer ID as a double would lose digits);
      // dates as text; decimals and 64-bit integers as doubles (JS numbers); the rest as is
      if (name.trim().toLowerCase() === "customer_id") return `CAST(${q} AS VARCHAR)`;
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

/**
 * The values each kind takes: days 1900-01-01 … 9999-12-31 (the orders' own bounds), counts
 * from 0, sums within ±10^18 — an order row's amount is at most 10^15 (clean.ts MAX_AMOUNT), and
 * beyond 10^18 a customer's figures would no longer survive the report's arithmetic and print.
 */
const RANGE: Record<"day" | "integer" | "number", readonly [number, number]> = {
  day: [SQL_FIRST_DAY, SQL_LAST_DAY],
  integer: [0, Number.MAX_SAFE_INTEGER],
  number: [-1e18, 1e18],
};

function checkSummary(raw: RawTableColumns, file: string, lang: Lang, asOf: number): SummaryTable {
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
  const bad = (r: number, column: string, value: RawValue, expected: string) =>
    new UnusableInputError({
      key: "summary.error.badValue",
      params: {
        ...raw.place(r),
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
    if (first !== undefined) {
      const [a, b] = [raw.place(first), raw.place(r)];
      throw new UnusableInputError(
        a.file === b.file
          ? {
              key: "summary.error.duplicate",
              params: { file: b.file, id, first: a.row, row: b.row },
            }
          : {
              key: "summary.error.duplicateParts",
              params: { id, firstFile: a.file, first: a.row, file: b.file, row: b.row },
            },
      );
    }
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
      if (!Number.isFinite(x) || !(x >= RANGE[kind][0] && x <= RANGE[kind][1]))
        throw bad(keep[k], raw.names[c], v, `summary.expected.${kind}`);
      out[k] = x;
      if (name === "cost") hasCost = true;
    }
  }
  const places = keep.map(raw.place);
  for (let k = 0; k < ids.length; k++) {
    const why = inconsistency(columns, k, asOf);
    if (why)
      throw new UnusableInputError({
        key: "summary.error.inconsistent",
        params: { ...places[k], id: ids[k], what: t(lang, why) },
      });
  }
  return {
    file,
    ids,
    columns,
    hasCost,
    fileOf: places.map((p) => p.file),
    fileRows: places.map((p) => p.row),
  };
}

/**
 * Where customer k's row breaks what every summary of the SQL holds (summary.ts's contract), a
 * message saying so; null when it holds. The rules would run on such a row and say nothing
 * (a CLV fit that fails, a purchase thousands of years ahead), so it is refused instead:
 * - the purchase days up to the as-of date are on or before it (a later one: the SQL was run
 *   at another date), the first not after the last, both given or neither;
 * - tx_days distinct days fit between tx_first_day and tx_last_day, which are first_purchase
 *   and last_purchase when there is a purchase by the as-of date; without one, tx_first_day
 *   is empty or a holdout day (after the as-of date);
 * - sums of purchases (tx_total, tx_first_spend) are never negative (a negative amount is a
 *   cancellation), and the first day's spend is part of the total.
 */
function inconsistency(
  col: Record<NumberColumn, Float64Array>,
  k: number,
  asOf: number,
): Message | null {
  const day = (name: NumberColumn) => col[name][k];
  const iso = isoDay;
  for (const name of ["first_purchase", "last_purchase", "tx_last_day"] as const)
    if (day(name) > asOf)
      return {
        key: "summary.rule.afterAsOf",
        params: { column: name, value: iso(day(name)), asOf: iso(asOf) },
      };
  const first = day("first_purchase");
  const last = day("last_purchase");
  if (Number.isNaN(first) !== Number.isNaN(last))
    return {
      key: "summary.rule.pair",
      params: Number.isNaN(first)
        ? { given: "last_purchase", empty: "first_purchase" }
        : { given: "first_purchase", empty: "last_purchase" },
    };
  if (first > last)
    return {
      key: "summary.rule.order",
      params: { a: "first_purchase", av: iso(first), b: "last_purchase", bv: iso(last) },
    };
  const n = col.tx_days[k];
  const txFirst = day("tx_first_day");
  const txLast = day("tx_last_day");
  if (n > 0) {
    if (
      Number.isNaN(txFirst) ||
      Number.isNaN(txLast) ||
      txFirst > txLast ||
      n > txLast - txFirst + 1
    )
      return {
        key: "summary.rule.txDays",
        params: {
          n,
          first: Number.isNaN(txFirst) ? "—" : iso(txFirst),
          last: Number.isNaN(txLast) ? "—" : iso(txLast),
        },
      };
    for (const [a, b] of [
      ["tx_first_day", "first_purchase"],
      ["tx_last_day", "last_purchase"],
    ] as const)
      if (day(a) !== day(b))
        return {
          key: "summary.rule.same",
          params: { a, av: iso(day(a)), b, bv: Number.isNaN(day(b)) ? "—" : iso(day(b)) },
        };
  } else if (!Number.isNaN(txLast) || txFirst <= asOf || !Number.isNaN(first))
    return {
      key: "summary.rule.noTxDays",
      params: { asOf: iso(asOf) },
    };
  for (const name of ["tx_total", "tx_first_spend"] as const)
    if (col[name][k] < 0)
      return { key: "summary.rule.negative", params: { column: name, value: col[name][k] } };
  const total = col.tx_total[k];
  const firstSpend = col.tx_first_spend[k];
  // both sums rounded to the cent (summary.ts inCents): a cent of slack for their rounding
  if (n > 0 && firstSpend > total + 0.01)
    return { key: "summary.rule.firstSpend", params: { first: firstSpend, total } };
  return null;
}

/** A table as the reader reads it (a workbook's RawTable made a TableSource). */
export const asTableSource = (x: RawTable | TableSource | null | undefined): TableSource | null =>
  x ? ("cell" in x && typeof x.cell === "function" ? x : cellSource(x as RawTable)) : null;

export interface SummaryReadInput {
  path: string;
  /** Its files, when the caller has listed them (summaryParts). */
  parts?: TableParts | null;
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
  const table = await readSummaryFile(input.path, input.lang, asOf, input.parts);
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
          source: table.fileOf[k],
          row: table.fileRows[k],
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
