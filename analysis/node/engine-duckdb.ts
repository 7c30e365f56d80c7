/**
 * Orders read and aggregated by DuckDB (issue 19 §2): Parquet files, and CSV files too large
 * for the in-memory reader. The rows never come into JavaScript: DuckDB runs the order
 * aggregation of analysis/sql/aggregate.ts and hands back one row per customer (the order
 * summary of summary.ts), the row checks' counts and first examples, and the whole-table
 * figures. Customers and interactions are still read by the in-memory reader
 * (clean.ts readCustomersAndInteractions).
 *
 * - @duckdb/node-api is an optional dependency, imported only here and only when needed; when
 *   it is missing the message names the package and the command that installs it.
 * - Columns are matched by the same header aliases as a file's (headers.ts ORDER_COLUMNS) on
 *   the names DuckDB reads; their types decide how they are read: DATE and TIMESTAMP columns
 *   directly, text by the SQL's rules (aggregate.ts), numbers cast. A type no role can take
 *   (a BOOLEAN amount, a BLOB date) is refused, naming the column and its type.
 * - A CSV is read with every column as text (so "00004" stays "00004") into a temporary table
 *   once (the rows' order is the file's: DuckDB keeps insertion order), and the queries run on
 *   it; a Parquet file is read where it is, with its row numbers (file_row_number).
 * - Decisions clean.ts makes per column are made the same way: the day/month order of
 *   year-last dates from the whole column (dateOrderQuery), a decimal comma from the first
 *   DECIMAL_SAMPLE values (clean.ts decimalCommaColumn's rule).
 */
import { closeSync, fstatSync, openSync, readdirSync, rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { tmpdir, totalmem } from "node:os";
import { basename, join } from "node:path";
import type { DuckDBConnection, DuckDBListVector } from "@duckdb/node-api";
import type { Dataset, Issue, Message, TableSource } from "../types.js";
import type { Settings } from "../settings.js";
import { ORDER_COLUMNS, matchColumns, type OrderRole } from "../headers.js";
import { MAX_AMOUNT, MAX_ISSUE_VALUE, readCustomersAndInteractions } from "../clean.js";
import { emptySummary, fillPurchaseDays, fillSummary } from "../summary.js";
import { ascendingOrder } from "../value.js";
import { MORE_ROWS_KEY } from "../output/issues.js";
import { grow } from "./csv-scan.js";
import { UnusableInputError } from "../errors.js";
import { isFolder, orderParts, partColumns, type TableParts } from "./parts.js";
import { isoDay, todayFromClock } from "../dates.js";
import { decideDateOrder, parseDateText, parseNumberText } from "../values.js";
import { t } from "../messages/index.js";
import {
  checkedRowsQuery,
  checkQuery,
  customersQuery,
  dateOrderQuery,
  quoteText,
  scanChecksQuery,
  sampleQuery,
  SKIP_REASONS,
  summaryFromCustomers,
  type OrderColumnsSql,
  type OrderSourceSql,
  readRules,
  type ReadRulesSql,
  type SqlColumn,
  type SqlKind,
} from "../sql/aggregate.js";

export const DUCK_FORMATS = ["csv", "parquet"] as const;
export type DuckFormat = (typeof DUCK_FORMATS)[number];

/** An error of the engine with its message (exit 1, or 2 for a wrong argument). */
export class EngineError extends Error {
  constructor(
    readonly msg: Message,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(t("en", msg));
    this.name = "EngineError";
  }
}

type DuckModule = typeof import("@duckdb/node-api");

/**
 * The DuckDB module, loaded on first use; EngineError naming the package when missing. Loaded
 * by require (it is a CommonJS package): an ESM import() of it took 150–250 ms, scanning each of
 * its files for their exports, require 80 ms. `load` is for the test of a missing package.
 */
export async function loadDuckDb(
  file: string,
  format: DuckFormat,
  load: () => unknown = () => createRequire(import.meta.url)("@duckdb/node-api"),
): Promise<DuckModule> {
  try {
    return load() as DuckModule;
  } catch {
    throw new EngineError({ key: `engine.error.missing.${format}`, params: { file } });
  }
}

/**
 * DuckDB's memory. By default it takes up to 80% of the machine's, most of which the order rows'
 * stages would fill (100,000,000 rows: 21 GB). With a limit it spills its larger stages to a
 * folder of its own under the system's temporary folder (by default it would write `.tmp` into
 * the user's current folder), made by DuckDB only if it spills and removed when the database
 * closes (a killed run's by the next run: sweepSpills). Not every stage can spill (the
 * per-customer lists of purchase days cannot), so the limit follows the rows once they are
 * counted: 1 GB up to 10,000,000 rows, 1 GB and 24 bytes a row above (100,000,000 rows of
 * 2,000,000 customers: 3.3 GB, where 1 GB ran out; 3.0 GB took 192 s against 184 s, one run
 * each), at most a quarter of the machine's memory, which is the limit before they are counted
 * (at least 1 GB). Up to 10,000,000 rows more than 1 GB costs memory for no speed: at
 * 10,000,000 rows (2026-12-07, one run each) a CSV ran in 31.8 s at 1.55 GB peak under 1 GB, in
 * 30.8–33.6 s at 1.95–2.0 GB under 1.25 GB (the rows' share, which smaller files now go
 * without); a Parquet file in 24.8 s at 1.23 GB against 23.8 s at 1.52 GB. CRM_DUCKDB_MEMORY
 * (e.g. "8GB") sets another; running out of it is told as such (engine.error.memory), naming
 * the limit and the variable.
 */
export function duckDbMemory(
  env: NodeJS.ProcessEnv = process.env,
  rows: number | null = null,
): string {
  const own = env.CRM_DUCKDB_MEMORY;
  if (own) {
    // DuckDB's own refusal ("Failed to set config") names neither the variable nor the value
    if (!(bytesOf(own) > 0))
      throw new EngineError({ key: "engine.error.memorySetting", params: { value: own } }, 2);
    return own.trim();
  }
  const gb = Math.max(1, Math.floor(totalmem() / 4 / 2 ** 30));
  if (rows === null) return `${gb}GB`;
  const share = rows > FIRST_GB_ROWS ? Math.ceil((rows * ROW_BYTES) / 2 ** 20) : 0;
  return `${Math.min(gb * 1024, 1024 + share)}MB`;
}

/** DuckDB's memory per order row above FIRST_GB_ROWS, the rows its first GB alone holds (duckDbMemory). */
const ROW_BYTES = 24;
const FIRST_GB_ROWS = 10_000_000;

/** The copy of a usable row in DuckDB's memory: ID, day, order ID, amount, cost, row (about). */
const COPY_ROW_BYTES = 48;

/** Bytes of a memory limit as duckDbMemory writes it ("3GB", "1253MB"; GB and MB as DuckDB reads them). */
function bytesOf(limit: string): number {
  const m = /^\s*([\d.]+)\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB|B)?\s*$/i.exec(limit);
  if (!m) return 0;
  const unit = (m[2] ?? "B").toUpperCase();
  const scale: Record<string, number> = {
    B: 1,
    KB: 1e3,
    MB: 1e6,
    GB: 1e9,
    TB: 1e12,
    KIB: 2 ** 10,
    MIB: 2 ** 20,
    GIB: 2 ** 30,
    TIB: 2 ** 40,
  };
  return Number(m[1]) * scale[unit];
}

/** Set a connection's memory limit for a source of `rows` rows (duckDbMemory). */
async function limitMemory(con: DuckDBConnection, rows: number): Promise<void> {
  const limit = duckDbMemory(process.env, rows);
  await con.run(`SET memory_limit = ${quoteText(limit)}`);
  const own = instances.get(con);
  if (own) own.limit = limit;
}

/** The memory limit a connection of openDuckDb runs under. */
const limitOf = (con: DuckDBConnection): string => instances.get(con)?.limit ?? duckDbMemory();

/** The spill folders' names: the prefix, the process number, a random part. */
const SPILL_PREFIX = "crm-duckdb-spill-";

/**
 * Spill folders of runs that ended without closing their database (killed, say): removed when
 * their process no longer runs.
 */
export function sweepSpills(dir: string = tmpdir()): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^crm-duckdb-spill-(\d+)-[0-9a-f]+$/.exec(name);
    if (!m || Number(m[1]) === process.pid || isRunning(Number(m[1]))) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"; // there, but another user's
  }
}

/** Open an in-memory DuckDB (UTC, so TIMESTAMP WITH TIME ZONE values are read by their UTC date). */
export async function openDuckDb(file: string, format: DuckFormat): Promise<DuckDBConnection> {
  const mod = await loadDuckDb(file, format);
  sweepSpills();
  // named, not made: DuckDB makes the folder only when it spills, so a run that never spills
  // (or is killed before) leaves nothing behind
  const spill = join(tmpdir(), `${SPILL_PREFIX}${process.pid}-${randomBytes(4).toString("hex")}`);
  const limit = duckDbMemory();
  const instance = await mod.DuckDBInstance.create(":memory:", {
    memory_limit: limit,
    temp_directory: spill,
  });
  const con = await instance.connect();
  instances.set(con, { instance, spill, limit });
  await con.run("SET TimeZone = 'UTC'").catch(() => {}); // needs the ICU extension; without it, UTC already
  return con;
}

const instances = new WeakMap<
  DuckDBConnection,
  { instance: { closeSync(): void }; spill: string; limit: string }
>();

/** Close a connection of openDuckDb and its database (its memory is given back at once). */
export function closeDuckDb(con: DuckDBConnection): void {
  con.closeSync();
  const own = instances.get(con);
  own?.instance.closeSync();
  if (own) rmSync(own.spill, { recursive: true, force: true });
  instances.delete(con);
}

/**
 * A file's path as the SQL literal DuckDB's readers take: its file readers take a path as a
 * glob pattern (`*`, `?`, `[…]`), so "orders[1].parquet" would read "orders1.parquet" and
 * "a*b.csv" every file it matches. Each of those characters is put in a class of its own
 * (`[[]`, `[*]`, `[?]`), which matches only itself: exactly the named file is read.
 */
export const pathLiteral = (path: string): string =>
  quoteText(path.replace(/[*?[]/g, (c) => `[${c}]`));

/**
 * The relation DuckDB reads a file through (all text for a CSV). A CSV's quotes are the
 * in-memory reader's (RFC 4180: '"', doubled inside), not sniffed: DuckDB's sniffer looks at
 * the first rows only, and where they hold no quote it reads none, so a quoted "1,234.50"
 * further down split in two, and a quote left open became text where the in-memory reader
 * stops at it (DuckDB now stops there too, naming the line, and the message says the
 * in-memory reader may read the file).
 */
export function fileRelation(path: string, format: DuckFormat): string {
  const p = pathLiteral(path);
  return format === "parquet"
    ? `read_parquet(${p}, file_row_number = true)`
    : `read_csv(${p}, all_varchar = true, header = true, quote = '"', escape = '"')`;
}

/** The source's column names and DuckDB type names. */
export async function describe(
  con: DuckDBConnection,
  relation: string,
): Promise<{ name: string; type: string }[]> {
  const r = await con.runAndReadAll(`DESCRIBE SELECT * FROM ${relation}`);
  return r
    .getRowObjectsJS()
    .map((o) => ({ name: String(o.column_name), type: String(o.column_type) }));
}

/** How aggregate.ts reads a DuckDB type; null for a type it cannot read. */
export function kindOfType(type: string): SqlKind | null {
  const ty = type.toUpperCase();
  if (ty === "VARCHAR" || ty.startsWith("VARCHAR(") || ty === "ENUM" || ty.startsWith("ENUM("))
    return "text";
  if (/^U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$/.test(ty)) return "integer";
  if (ty === "FLOAT" || ty === "DOUBLE" || ty.startsWith("DECIMAL")) return "float";
  if (ty === "DATE") return "date";
  if (ty.startsWith("TIMESTAMP")) return "timestamp";
  return null;
}

/** The kinds each role accepts (engine.error.wrongType.<role> says what it expects). */
type ReadRole = Exclude<OrderRole, "product">;
const ROLE_KINDS: Record<ReadRole, readonly SqlKind[]> = {
  customerId: ["text", "integer", "float"],
  orderId: ["text", "integer", "float"],
  date: ["text", "integer", "date", "timestamp"],
  amount: ["text", "integer", "float"],
  quantity: ["text", "integer", "float"],
  unitPrice: ["text", "integer", "float"],
  cost: ["text", "integer", "float"],
};

/**
 * The order roles matched on the columns (headers.ts, as for files); UnusableInputError
 * reading.missing.orders.* (listing the columns found) when required ones are missing,
 * EngineError engine.error.wrongType for a column of a type its role cannot take.
 */
export function mapColumns(
  columns: readonly { name: string; type: string }[],
  table: string,
): OrderColumnsSql {
  const names = columns.map((c) => c.name);
  const m = matchColumns(names, ORDER_COLUMNS);
  const missing: string[] = [];
  if (m.customerId < 0) missing.push("customerId");
  if (m.date < 0) missing.push("date");
  if (m.amount < 0 && (m.quantity < 0 || m.unitPrice < 0)) missing.push("amount");
  if (missing.length)
    throw new UnusableInputError({
      key: `reading.missing.orders.${missing.join("_")}`,
      params: { table, found: names.filter((n) => n.trim()).join(", ") || "—" },
    });
  const col = (role: ReadRole): SqlColumn | null => {
    const i = m[role];
    if (i < 0) return null;
    const { name, type } = columns[i];
    const kind = kindOfType(type);
    if (kind === null || !ROLE_KINDS[role].includes(kind))
      throw new EngineError({
        key: `engine.error.wrongType.${role}`,
        params: { column: name, table, type },
      });
    return { name, kind };
  };
  const amount = col("amount");
  return {
    customerId: col("customerId")!,
    date: col("date")!,
    amount,
    quantity: amount ? null : col("quantity"),
    unitPrice: amount ? null : col("unitPrice"),
    orderId: col("orderId"),
    cost: col("cost"),
  };
}

/** Rows looked at for the sample checks (clean.ts decimalCommaColumn looks at as many). */
export const DECIMAL_SAMPLE = 1000;

export interface DuckReadInput {
  path: string;
  format: DuckFormat;
  /** A folder's parts, when the caller has listed them (parts.ts orderParts). */
  parts?: TableParts | null;
  customers?: TableSource | null;
  interactions?: TableSource | null;
  /** The run's date (epoch day); default today. */
  today?: number;
}

/** An open source: the connection, the relation the queries read, its columns. */
export interface DuckSource {
  con: DuckDBConnection;
  name: string;
  sql: OrderSourceSql;
  /** The source's rows (data rows of the file), when counted. */
  rows?: number;
  /** Where a row is, by its number: the file's row, or a folder's part and its row. */
  place: RowPlace;
}

/** Where row rn (1 the first) of a source is, as messages name it: its file and row. */
export type RowPlace = (rn: number) => { source: string; row: number };

/**
 * A folder's Parquet parts are numbered as one table: part k's row r (1 the first) is row
 * k × PART_ROWS + r, which keeps the parts' order for the customers' file order, and each
 * part's rows apart for messages (PART_ROWS: 68 billion rows a part, 131,072 parts within
 * 2^53).
 */
export const PART_ROWS = 2 ** 36;

/**
 * The rows of a source named `name` whose row rn is row 1 + rn (a file's or a table's data row
 * as its CSV export numbers it, after the header line); with `parts`, those of a folder's
 * parts, each row named by its part.
 */
export function rowPlace(name: string, parts?: readonly string[]): RowPlace {
  if (!parts) return (rn) => ({ source: name, row: 1 + rn });
  return (rn) => {
    const k = Math.floor((rn - 1) / PART_ROWS);
    return { source: parts[k] ?? name, row: 1 + rn - k * PART_ROWS };
  };
}

/**
 * A folder's Parquet parts (parts.ts) as one relation. Each part is first checked on its own,
 * as a file would be (a damaged one, a missing column or one of a type its role cannot take is
 * named by its part), and against the first part: the same column names (in any order), and
 * each column the aggregation reads of the same kind. DuckDB would otherwise merge the parts'
 * types into one and read every part by it: a BOOLEAN amount became 1 and 0, DATE customer IDs
 * became text, integer dates beside DATEs failed as "damaged", a DOUBLE order ID "1000.0" stood
 * apart from "1000" (issue 19 sweep of 2026-12-07). Columns are then matched by name
 * (union_by_name), whatever their order in a part.
 */
async function partsRelation(
  con: DuckDBConnection,
  parts: TableParts,
): Promise<{ relation: string; rowNumber: string }> {
  const read: {
    name: string;
    names: string[];
    columns: OrderColumnsSql;
    types: Map<string, string>;
  }[] = [];
  for (const part of parts.parts) {
    let cols: { name: string; type: string }[];
    try {
      cols = await describe(con, `read_parquet(${pathLiteral(part.path)})`);
    } catch (e) {
      throw new EngineError({
        key: "engine.error.read",
        params: { file: part.name, detail: firstLine(e) },
      });
    }
    // the names DuckDB gives what it numbers the parts' rows by (the folder's row numbers)
    const taken = cols.find((c) => /^(file_row_number|file_index)$/i.test(c.name));
    if (taken)
      throw new EngineError({
        key: "engine.error.rowNumberColumn",
        params: { file: part.name, column: taken.name },
      });
    read.push({
      name: part.name,
      names: cols.map((c) => c.name),
      columns: mapColumns(cols, part.name),
      types: new Map(cols.map((c) => [c.name, c.type])),
    });
  }
  partColumns(read);
  const first = read[0];
  for (const p of read)
    for (const role of Object.keys(first.columns) as (keyof OrderColumnsSql)[]) {
      const [a, b] = [first.columns[role], p.columns[role]];
      if (a && b && a.kind !== b.kind)
        throw new EngineError({
          key: "parts.error.kinds",
          params: {
            file: p.name,
            column: b.name,
            type: p.types.get(b.name) ?? b.kind,
            first: first.name,
            firstType: first.types.get(a.name) ?? a.kind,
          },
        });
    }
  const list = parts.parts.map((p) => pathLiteral(p.path)).join(", ");
  return {
    relation: `read_parquet([${list}], file_row_number = true, union_by_name = true)`,
    rowNumber: `file_index * ${PART_ROWS} + file_row_number + 1`,
  };
}

/**
 * Open a file for the aggregation: a CSV's needed columns copied into a temporary table; a
 * folder's Parquet parts read as one table (`listed`: the parts the caller has listed and
 * checked its outputs against, else listed here).
 */
export async function openSource(
  path: string,
  format: DuckFormat,
  listed?: TableParts | null,
): Promise<DuckSource> {
  const name = basename(path);
  const parts = listed ?? (format === "parquet" && isFolder(path) ? orderParts(path) : null);
  if (!parts) {
    // a file this process may not read: the file system's message naming it (DuckDB's would
    // end in advice to read it in memory, which fails alike)
    const fd = openSync(path, "r");
    let size: number;
    try {
      size = fstatSync(fd).size;
    } finally {
      closeSync(fd);
    }
    // what the in-memory reader says of an empty file (DuckDB would read a column "column0")
    if (size === 0)
      throw new UnusableInputError({ key: "reading.emptyTable", params: { table: name } });
  }
  const con = await openDuckDb(name, format);
  const read = parts
    ? await partsRelation(con, parts)
    : { relation: fileRelation(path, format), rowNumber: "file_row_number + 1" };
  const relation = read.relation;
  const place = rowPlace(
    name,
    parts?.parts.map((p) => p.name),
  );
  let cols: { name: string; type: string }[];
  try {
    cols = await describe(con, relation);
  } catch (e) {
    // DuckDB numbers a Parquet file's rows in a column of that name, and refuses a file that
    // has its own (the rows' numbers are what data issues and the file order are told by)
    if (format === "parquet" && /column named file_row_number/i.test(String(e)))
      throw new EngineError({
        key: "engine.error.rowNumberColumn",
        params: { file: name, column: "file_row_number" },
      });
    throw new EngineError({
      key: format === "csv" ? "engine.error.readCsv" : "engine.error.read",
      params: { file: name, detail: firstLine(e) },
    });
  }
  // a CSV whose header DuckDB reads as one column holding separators: its sniffer found no
  // separator that splits every line alike (rows with more or fewer fields than the header);
  // the in-memory reader reads such files, and an order table has three columns at least
  if (format === "csv" && cols.length === 1 && /[,;\t|]/.test(cols[0].name))
    throw new EngineError({
      key: "engine.error.oneColumn",
      params: { file: name, column: cols[0].name.slice(0, 120) },
    });
  const columns = mapColumns(
    cols.filter((c) => c.name !== "file_row_number"),
    name,
  );
  if (format === "parquet") {
    await con.run("SET preserve_insertion_order = false"); // (see below)
    const rows = await countRows(con, relation);
    await limitMemory(con, rows);
    return { con, name, sql: { relation, rowNumber: read.rowNumber, columns }, rows, place };
  }
  const used = [
    ...new Set(
      Object.values(columns)
        .filter((c): c is SqlColumn => c !== null)
        .map((c) => c.name),
    ),
  ];
  try {
    await con.run(
      `CREATE TEMP TABLE crm_orders AS SELECT ${used.map(quoteIdentOf).join(", ")} FROM ${relation}`,
    );
  } catch (e) {
    throw new EngineError({
      key: "engine.error.readCsv",
      params: { file: name, detail: firstLine(e) },
    });
  }
  // the table keeps the file's order: rowid + 1 is the data row; from here on no table's rows
  // need an order (the reader puts the summary in file order), which saves DuckDB keeping it
  await con.run("SET preserve_insertion_order = false");
  const rows = await countRows(con, "crm_orders");
  await limitMemory(con, rows);
  return {
    con,
    name,
    sql: { relation: "crm_orders", rowNumber: "rowid + 1", columns },
    rows,
    place,
  };
}

/** Rows of a relation (a Parquet file's from its metadata, a table's from its own count). */
async function countRows(con: DuckDBConnection, relation: string): Promise<number> {
  const r = await con.runAndReadAll(`SELECT count(*) AS n FROM ${relation}`);
  return Number(r.getRows()[0][0]);
}

const quoteIdentOf = (n: string) => `"${n.replace(/"/g, '""')}"`;

/** DuckDB's message, its first line (without its closing full stop: the message goes on). */
const firstLine = (e: unknown): string =>
  String((e as Error)?.message ?? e)
    .split("\n")[0]
    .slice(0, 300)
    .replace(/\.$/, "");

/**
 * An error of DuckDB reading the file's data (its error classes for input, not our SQL's: a
 * Binder or Parser error would be a defect of ours, and stays one).
 */
const isReadError = (e: unknown): boolean =>
  e instanceof Error &&
  !(e instanceof EngineError) &&
  !(e instanceof UnusableInputError) &&
  /^(IO|Invalid Input|Invalid|Conversion|Serialization) Error:/.test(e.message);

/** What the sample check found: null when the SQL reads the first rows as the in-memory reader does. */
export interface SampleDiff {
  row: number;
  column: string;
  value: string;
}

type Row = Record<string, unknown>;

/** The first rows as the SQL reads them, with the given rules. */
async function sampleRows(src: DuckSource, rules: ReadRulesSql): Promise<Row[]> {
  const r = await src.con.runAndReadAll(sampleQuery(src.sql, rules, "duckdb", DECIMAL_SAMPLE));
  return r.getRowObjectsJS() as Row[];
}

const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * clean.ts decimalCommaColumn on the sample: at least half of the price column's non-blank
 * values unreadable with a decimal point, at most one in ten with a decimal comma.
 */
function decimalCommaSample(rows: Row[], text: string, value: string): boolean {
  let filled = 0;
  let bad = 0;
  let badComma = 0;
  for (const r of rows) {
    const t = String(r[text] ?? "");
    if (t === "") continue;
    filled++;
    if (numOrNull(r[value]) === null) bad++;
    const c = parseNumberText(t, 0, t.length, { decimalComma: true });
    if (c !== c) badComma++;
  }
  return filled > 0 && bad * 2 >= filled && badComma * 10 <= filled;
}

/** The first sample value the in-memory reader reads and the SQL reads differently (or not). */
function sampleDiff(rows: Row[], cols: OrderColumnsSql, rules: ReadRulesSql): SampleDiff | null {
  const numbers: [SqlColumn | null, string, string][] = [
    [cols.amount, "amt_t", "amt_v"],
    [cols.quantity, "qty_t", "qty_v"],
    [cols.unitPrice, "price_t", "price_v"],
    [cols.cost, "cost_t", "cost_v"],
  ];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const rowNo = Number(r.rn ?? i + 1) + 1;
    for (const [col, text, value] of numbers) {
      if (!col || col.kind !== "text") continue;
      const t = String(r[text] ?? "");
      const mem = parseNumberText(t, 0, t.length, { decimalComma: rules.decimalComma });
      if (mem === mem && numOrNull(r[value]) !== mem)
        return { row: rowNo, column: col.name, value: t };
    }
    if (cols.date.kind === "text") {
      const t = String(r.date_t ?? "");
      const mem = parseDateText(t, 0, t.length, { dateOrder: rules.dateOrder });
      if (mem === mem && numOrNull(r.day) !== mem)
        return { row: rowNo, column: cols.date.name, value: t };
    }
  }
  return null;
}

export interface PreparedRules {
  rules: ReadRulesSql;
  /** Warnings of the column decisions (decimal comma, day/month order), as clean.ts gives them. */
  notes: Issue[];
  /** The first sample value only the in-memory reader reads, null when none. */
  diff: SampleDiff | null;
}

/** The reading rules of this source: the settings' and the column decisions clean.ts makes. */
export async function prepareRules(
  src: DuckSource,
  settings: Settings,
  today: number,
  opts: { wholeColumn: boolean } = { wholeColumn: true },
): Promise<PreparedRules> {
  const cols = src.sql.columns;
  const notes: Issue[] = [];
  const note = (column: string, key: string) =>
    notes.push({
      source: src.name,
      row: 0,
      column,
      value: "",
      reason: { key, params: { column } },
      severity: "warning",
    });
  const rules: ReadRulesSql = readRules(settings, today);
  const fallback = rules.dateOrder;
  // the day/month order from the whole column, as clean.ts (not for a first look at a file)
  if (opts.wholeColumn && settings.dateOrder === "auto" && cols.date.kind === "text") {
    const r = await src.con.runAndReadAll(dateOrderQuery(src.sql, "duckdb"));
    const o = r.getRowObjectsJS()[0] as Row;
    const verdict = decideDateOrder({
      mdy: Number(o.mdy),
      dmy: Number(o.dmy),
      ambiguous: Number(o.ambiguous),
    });
    if (verdict === "mdy" || verdict === "dmy") rules.dateOrder = verdict;
    else if (verdict !== "none")
      note(
        cols.date.name,
        `reading.dateOrder${verdict === "ambiguous" ? "Assumed" : "Conflict"}.${fallback}`,
      );
  }
  let rows = await sampleRows(src, rules);
  const price = cols.amount ?? cols.unitPrice;
  if (
    !rules.decimalComma &&
    price?.kind === "text" &&
    decimalCommaSample(rows, cols.amount ? "amt_t" : "price_t", cols.amount ? "amt_v" : "price_v")
  ) {
    rules.decimalComma = true;
    note(price.name, "reading.decimalCommaAssumed");
    rows = await sampleRows(src, rules);
  }
  return { rules, notes, diff: sampleDiff(rows, cols, rules) };
}

/** The check query's result. */
/** What the check query found (also the Postgres engine's). */
export interface Checks {
  counts: Map<string, number>;
  examples: { reason: string; col: string; rn: number | null; value: string }[];
  fig: Record<string, number | null>;
}

async function runChecks(
  src: DuckSource,
  rules: ReadRulesSql,
  asOf: number | null,
): Promise<Checks> {
  const sql = src.sql.checked
    ? checkQuery(src.sql, rules, "duckdb", asOf)
    : scanChecksQuery(src.sql, rules, asOf);
  const r = await src.con.runAndReadAll(sql);
  const out: Checks = { counts: new Map(), examples: [], fig: {} };
  for (const o of r.getRowObjectsJS() as Row[]) {
    const reason = String(o.reason);
    if (o.kind === "count") out.counts.set(reason, Number(o.n));
    else if (o.kind === "figure") out.fig[reason] = numOrNull(o.n);
    else
      out.examples.push({
        reason,
        col: String(o.col ?? ""),
        rn: numOrNull(o.rn),
        value: String(o.value ?? ""),
      });
  }
  out.examples.sort((a, b) => (a.rn ?? 0) - (b.rn ?? 0));
  return out;
}

const SKIPS = new Set<string>(SKIP_REASONS);

/**
 * A CSV's rows (all text) are checked once into a temporary table the check query and the
 * aggregation read, and its copy is dropped: reading the texts' dates and numbers twice cost
 * more than the table (10,000,000 rows: 35 CPU-s instead of 32). A Parquet file is read twice
 * where it is, its typed columns cheaper to check again than a table to write.
 */
async function storeChecked(src: DuckSource, rules: ReadRulesSql): Promise<void> {
  await src.con.run(
    `CREATE TEMP TABLE crm_checked AS ${checkedRowsQuery(src.sql, rules, "duckdb")}`,
  );
  if (src.sql.relation === "crm_orders") await src.con.run("DROP TABLE crm_orders");
  src.sql = { ...src.sql, checked: "crm_checked" };
}

/**
 * The issues of the check query: its examples, a line per reason with more rows than shown.
 * Row rn of the source is where `place` puts it (a file's or a database table's export: row
 * 1 + rn; a folder's part and its row); a row without a number (a query's) is row 0, "the
 * whole table", its value naming it.
 */
export function checkIssues(name: string, checks: Checks, today: number, place: RowPlace): Issue[] {
  const issues: Issue[] = [];
  const shown = new Map<string, number>();
  for (const e of checks.examples) {
    shown.set(e.reason, (shown.get(e.reason) ?? 0) + 1);
    const params: Message["params"] =
      e.reason === "reading.futureDate"
        ? { today: isoDay(today) }
        : e.reason === "reading.amountTooLarge" || e.reason === "reading.costTooLarge"
          ? { max: MAX_AMOUNT }
          : undefined;
    issues.push({
      ...(e.rn === null ? { source: name, row: 0 } : place(e.rn)),
      column: e.col,
      value: e.value.length > MAX_ISSUE_VALUE ? `${e.value.slice(0, MAX_ISSUE_VALUE)}…` : e.value,
      reason: params ? { key: wording(e.reason), params } : { key: wording(e.reason) },
      severity: SKIPS.has(e.reason) ? "skipped" : "warning",
    });
  }
  for (const [reason, n] of checks.counts) {
    const k = shown.get(reason) ?? 0;
    if (n > k)
      issues.push({
        source: name,
        row: 0,
        column: "",
        value: "",
        reason: {
          key: MORE_ROWS_KEY,
          // the reason itself for the counts (issueTally), its wording for the text
          params: { n: n - k, shown: k, reason },
          also: [{ key: wording(reason) }],
        },
        severity: SKIPS.has(reason) ? "skipped" : "warning",
      });
  }
  return issues;
}

/**
 * The text an engine's issue is told by: its reason's, except where the in-memory reader's
 * shows a form the SQL does not read (its amounts take no currency sign: "¥1,234.50" there).
 * Counts and summary.json name the reason itself.
 */
// (the reasons of skipped rows only: warnings are counted by their issues' keys)
const ENGINE_WORDING: Readonly<Record<string, string>> = {
  "reading.badAmount": "engine.reason.badAmount",
};
const wording = (reason: string): string => ENGINE_WORDING[reason] ?? reason;

/** A summaryFromCustomers result in JavaScript: the IDs, each number column, the days' lists. */
export interface SummaryColumns {
  n: number;
  ids: string[];
  num: Record<string, Float64Array>;
  /** Row k's days are days[start[k], start[k + 1]). */
  days: Int32Array;
  start: Int32Array;
}

/**
 * Read summaryFromCustomers' result vector by vector: its DOUBLE columns (never NULL there)
 * copied whole from DuckDB's buffers, the days' lists as one flat array with each row's start.
 * A million customers' 18 columns took 1.5 s value by value (getItem makes a JS value and tests
 * a BigInt validity mask each). The result is streamed, chunk by chunk, not held whole by
 * DuckDB: the memory of a whole result, even freed, stayed with the process to the end of the
 * run (at 10,000,000 rows the rules ran at 1.56 GB instead of 1.12 GB). `rows`: how many the
 * caller expects (the arrays' size; more are taken too). `bulk` counts the vectors copied whole
 * and those read value by value (see its test).
 */
export async function summaryColumns(
  con: DuckDBConnection,
  sql: string,
  rows: number,
  bulk = { copied: 0, itemwise: 0 },
): Promise<SummaryColumns> {
  const r = await con.stream(sql);
  const names = r.columnNames();
  const ids: string[] = [];
  const num: Record<string, Float64Array> = {};
  let size = Math.max(rows, 1);
  let start = new Int32Array(size + 1);
  let days = new Int32Array(size * 4);
  let used = 0;
  for (const name of names)
    if (name !== "customer_id" && name !== "days") num[name] = new Float64Array(size);
  let k = 0;
  // the next chunk is asked for before this one is read: DuckDB makes it meanwhile (and one
  // asked for is waited for before an error goes on, so the database is not closed under it)
  let next = r.fetchChunk();
  try {
    for (;;) {
      const chunk = await next;
      if (!chunk || chunk.rowCount === 0) break;
      next = r.fetchChunk();
      const n = chunk.rowCount;
      if (k + n > size) {
        size = Math.max(2 * size, k + n);
        for (const name of Object.keys(num)) num[name] = grow(num[name], size);
        start = grow(start, size + 1);
      }
      names.forEach((name, c) => {
        const v = chunk.getColumnVector(c);
        if (name === "customer_id") {
          for (let j = 0; j < n; j++) ids.push(String(v.getItem(j)));
          return;
        }
        if (name === "days") {
          const list = v as DuckDBListVector;
          const child = list.childVector;
          const items = bulkItems(child, Int32Array);
          for (let j = 0; j < n; j++) {
            const len = list.getEntryLength(j);
            if (used + len > days.length) days = grow(days, Math.max(days.length * 2, used + len));
            const at = list.getEntryOffset(j);
            if (items) for (let q = 0; q < len; q++) days[used + q] = items[at + q];
            else for (let q = 0; q < len; q++) days[used + q] = Number(child.getItem(at + q));
            used += len;
            start[k + j + 1] = used;
          }
          bulk[items ? "copied" : "itemwise"]++;
          return;
        }
        const out = num[name];
        const items = bulkItems(v, Float64Array);
        if (items && items.length === n) {
          out.set(items, k);
          bulk.copied++;
        } else {
          for (let j = 0; j < n; j++) {
            const x = v.getItem(j);
            out[k + j] = x === null ? NaN : Number(x);
          }
          bulk.itemwise++;
        }
      });
      k += n;
    }
  } catch (e) {
    await next.catch(() => null);
    throw e;
  }
  if (k < size) {
    for (const name of Object.keys(num)) num[name] = num[name].slice(0, k);
    start = start.slice(0, k + 1);
  }
  return { n: k, ids, num, days: days.slice(0, used), start };
}

/**
 * A vector's values as DuckDB holds them, when @duckdb/node-api keeps them in a typed array
 * of this kind (its `items`, not part of its typed interface: a version that changes it makes
 * the reader fall back to getItem, and the test of summaryColumns fails).
 * Only for vectors without NULL (the summary's numbers are NaN for none, its lists' days are
 * never NULL).
 */
function bulkItems<T extends Float64Array | Int32Array>(
  v: unknown,
  kind: { new (n: number): T; prototype: T },
): T | null {
  const items = (v as { items?: unknown }).items;
  return items instanceof kind ? (items as T) : null;
}

/**
 * The Dataset of a run whose orders DuckDB aggregates: customers and interactions read in
 * memory, the orders' summary (Dataset.summary) and figures from SQL, no order rows.
 * `src` is closed by the caller's process ending (an in-memory database).
 */
export async function readWithDuckDb(input: DuckReadInput, settings: Settings): Promise<Dataset> {
  const src = await openSource(input.path, input.format, input.parts);
  try {
    return await datasetFromSource(src, input, settings);
  } catch (e) {
    // DuckDB's own text lists SQL settings; the user can change one thing: the limit
    if (e instanceof Error && /out of memory/i.test(e.message))
      throw new EngineError({
        key: "engine.error.memory",
        params: { file: basename(input.path), limit: limitOf(src.con) },
      });
    // a file that fails part-way (a Parquet data page that does not decompress or decode,
    // text that is not UTF-8): its own message, not a request to report a bug
    if (isReadError(e))
      throw new EngineError({
        key: input.format === "csv" ? "engine.error.readCsv" : "engine.error.damaged",
        params: { file: basename(input.path), detail: firstLine(e) },
      });
    throw e;
  } finally {
    // before the rules run on the summary: DuckDB's tables of the rows are no longer needed
    closeDuckDb(src.con);
  }
}

/**
 * The check query's counts in the order the in-memory reader meets their reasons: by the first
 * row of each (its first example; then by name). The query's GROUP BY returns them in no fixed
 * order, which put summary.json's skipped_by_reason and data-issues.csv's "more rows" lines in
 * another order from run to run.
 */
function inFileOrder(checks: Checks): Checks {
  const first = new Map<string, number>();
  for (const e of checks.examples)
    first.set(e.reason, Math.min(first.get(e.reason) ?? Infinity, e.rn ?? 0));
  const at = (r: string) => first.get(r) ?? Infinity;
  const reasons = [...checks.counts.keys()].sort(
    (x, y) => at(x) - at(y) || (x < y ? -1 : x > y ? 1 : 0),
  );
  return { ...checks, counts: new Map(reasons.map((r) => [r, checks.counts.get(r)!])) };
}

/**
 * What both engines (DuckDB, Postgres) make of the check query: the Customers and Interactions
 * tables read in memory, the order rows' counts and data issues folded in, and whether the
 * "C" prefix of order IDs is a numbering scheme. Throws UnusableInputError when no order row
 * is usable.
 */
export function checkedDataset(a: {
  name: string;
  checks: Checks;
  notes: Issue[];
  today: number;
  place: RowPlace;
  customers?: TableSource | null;
  interactions?: TableSource | null;
  orderIdColumn: string | null;
  settings: Settings;
}): { ds: Dataset; issues: Issue[]; counts: Dataset["counts"]; prefixIsNumbering: boolean } {
  const { name } = a;
  const checks = inFileOrder(a.checks);
  const orderIssues = [...a.notes, ...checkIssues(name, checks, a.today, a.place)];
  const ds = readCustomersAndInteractions(
    { customers: a.customers, interactions: a.interactions, today: a.today, ordersSource: name },
    a.settings,
  );
  const rowsRead = checks.fig.rows_read ?? 0;
  const rowsUsed = checks.fig.rows_used ?? 0;
  const counts = ds.counts;
  counts.rowsRead += rowsRead;
  counts.rowsUsed += rowsUsed;
  counts.orderRowsRead = rowsRead;
  counts.orderRowsUsed = rowsUsed;
  for (const [reason, n] of checks.counts)
    if (SKIPS.has(reason)) counts.skipped[reason] = (counts.skipped[reason] ?? 0) + n;
  const issues = [...ds.issues, ...orderIssues];
  if (rowsUsed === 0) {
    const first = orderIssues.find((i) => i.severity === "skipped");
    throw new UnusableInputError(
      first
        ? {
            // the in-memory reader's message, and which forms the SQL reads (fewer)
            key: "engine.error.noUsableRows",
            params: {
              table: name,
              rows: rowsRead,
              row: first.row,
              column: first.column,
              value: first.value,
            },
          }
        : { key: "reading.emptyTable", params: { table: name } },
      issues,
    );
  }
  const idRows = checks.fig.id_rows ?? 0;
  const prefixIsNumbering = idRows > 0 && checks.fig.c_rows === idRows;
  if (prefixIsNumbering && a.orderIdColumn)
    issues.push({
      source: name,
      row: 0,
      column: a.orderIdColumn,
      value: "",
      reason: { key: "reading.cPrefixIgnored" },
      severity: "warning",
    });
  return { ds, issues, counts, prefixIsNumbering };
}

export async function datasetFromSource(
  src: DuckSource,
  input: Omit<DuckReadInput, "path" | "format">,
  settings: Settings,
): Promise<Dataset> {
  const today = input.today ?? todayFromClock();
  const { rules, notes } = await prepareRules(src, settings, today);
  if (src.sql.relation === "crm_orders") await storeChecked(src, rules);
  const checks = await runChecks(src, rules, settings.asOf);
  const { ds, issues, counts, prefixIsNumbering } = checkedDataset({
    name: src.name,
    checks,
    notes,
    today,
    place: src.place,
    customers: input.customers,
    interactions: input.interactions,
    orderIdColumn: src.sql.columns.orderId?.name ?? null,
    settings,
  });
  const maxDay = checks.fig.max_day ?? NaN;
  const asOf = settings.asOf ?? maxDay;
  const p = { asOf, windowDays: settings.lifecycle.windowDays, prefixIsNumbering };
  // the rows are read a second time (not stored with their checks: at 10,000,000 Parquet rows a
  // table of the checked rows took 3.9 s of the SQL's 13) and aggregated into one row per
  // customer, kept for the summary and the repeat days; the usable rows, settled, are copied
  // once for the two groupings when the copy (COPY_ROW_BYTES a row) takes at most half of
  // DuckDB's memory limit (duckDbMemory): a larger one would have to spill
  const found = { reasons: new Set(checks.counts.keys()), maxDay: checks.fig.max_day ?? null };
  const copy =
    !src.sql.checked &&
    src.rows !== undefined &&
    src.rows * COPY_ROW_BYTES <= bytesOf(limitOf(src.con)) / 2;
  await src.con.run(
    `CREATE TEMP TABLE crm_customers AS ${customersQuery(src.sql, rules, p, found, copy)}`,
  );
  const customers = Number(
    (await src.con.runAndReadAll("SELECT count(*) FROM crm_customers")).getRows()[0][0],
  );
  const cols = await summaryColumns(src.con, summaryFromCustomers("crm_customers"), customers);

  // customers: the Customers table's, then those seen only in orders, in file order
  const ids = ds.customerIds;
  const summaryIds = cols.ids;
  const at = new Int32Array(cols.n);
  const listed = input.customers ? ids.length : -1;
  const firstRows = cols.num.first_row;
  // without a Customers table the IDs are the summary's own (distinct by its GROUP BY)
  const index = ids.length === 0 ? null : new Map<string, number>(ids.map((id, i) => [id, i]));
  // file order: by first row, which no two customers share (a row is one customer's)
  const byFirstRow = ascendingOrder(firstRows);
  for (let r = 0; r < cols.n; r++) {
    const k = byFirstRow[r];
    const id = summaryIds[k];
    if (!index) {
      at[k] = ids.push(id) - 1;
      ds.records.push(null);
      continue;
    }
    let c = index.get(id);
    if (c === undefined) {
      c = ids.push(id) - 1;
      ds.records.push(null);
      index.set(id, c);
      if (listed >= 0)
        issues.push({
          ...(Number.isNaN(firstRows[k]) ? { source: src.name, row: 0 } : src.place(firstRows[k])),
          column: src.sql.columns.customerId.name,
          value: id,
          reason: { key: "reading.unknownCustomer", params: { table: input.customers!.source } },
          severity: "warning",
        });
    }
    at[k] = c;
  }
  const hasCost = src.sql.columns.cost !== null;
  const s = emptySummary(ids.length, asOf, p.windowDays, hasCost);
  fillSummary(s, cols.num, at);
  fillPurchaseDays(s, cols.days, cols.start, at);
  s.lastDataDay = maxDay;
  s.afterAsOf = settings.asOf === null ? 0 : (checks.fig.after_as_of ?? 0);
  return {
    ...ds,
    orders: { ...ds.orders, cost: hasCost ? new Float64Array(0) : null },
    issues,
    counts,
    hasCost,
    maxDay,
    summary: s,
  };
}
