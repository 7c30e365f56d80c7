/**
 * Which engine reads a file's orders (issue 19 §2): the in-memory reader (csv.ts + clean.ts) or
 * DuckDB (engine-duckdb.ts).
 *
 * - Parquet (.parquet): always DuckDB.
 * - A workbook, standard input, a pipe: always in memory.
 * - A CSV: --engine duckdb or memory as asked; with auto (the default), in memory up to
 *   AUTO_DUCKDB_BYTES, DuckDB above — unless the file is one only the in-memory reader reads
 *   right, told from its first bytes and rows: not UTF-8 (GBK, UTF-16), a header line DuckDB
 *   reads differently (a title row above it, an odd delimiter), or a value among the first
 *   DECIMAL_SAMPLE rows that the in-memory reader reads and the SQL does not (￥ amounts,
 *   年月日 dates, full-width digits, "(12.00)"). The progress line says which and why.
 */
import { open, stat } from "node:fs/promises";
import { basename } from "node:path";
import type { Dataset, Message, RawTable, TableSource } from "../types.js";
import type { WorkbookInput } from "../index.js";
import { cellSource } from "../source.js";
import type { Settings } from "../settings.js";
import { readCsv } from "./csv.js";
import type { TableParts } from "./parts.js";
import type { DuckDBConnection } from "@duckdb/node-api";
import {
  closeDuckDb,
  describe,
  EngineError,
  fileRelation,
  rowPlace,
  mapColumns,
  openDuckDb,
  prepareRules,
  readWithDuckDb,
  type DuckFormat,
} from "./engine-duckdb.js";

export const ENGINES = ["auto", "duckdb", "memory"] as const;
export type Engine = (typeof ENGINES)[number];
export const isEngine = (x: unknown): x is Engine => ENGINES.includes(x as Engine);

/**
 * Above this size a CSV goes to DuckDB under --engine auto: 1 GB, about 25,000,000 order rows
 * of the bench's shape. Measured on the 2-core bench machine (2026-12-07, `npm run bench`,
 * `crm analyze … --outputs csv,json`): the in-memory reader is the faster at every size it can
 * hold — 1,000,000 rows (37 MB) 1.9 s against DuckDB's 2.8 s; 10,000,000 rows (389 MB) 14.3 s
 * against 22.2 s (the same CSV) and 19.6 s (Parquet). But its memory grows with the rows (1.72
 * GB at 10,000,000 against DuckDB's 1.55), so past 1 GB of CSV it heads for the machine's
 * memory, and past 4 GB (Node's largest buffer) it cannot hold the file at all; DuckDB reads
 * such files in parts.
 */
export const AUTO_DUCKDB_BYTES = 1_000_000_000;

/** Bytes looked at to tell a file's encoding and header line. */
const HEAD_BYTES = 1 << 20;

export const isParquetFile = (p: string) => /\.parquet$/i.test(p);

/** Parquet's mark: a Parquet file begins (and ends) with the bytes "PAR1". */
const PARQUET_MAGIC = "PAR1";

/** Whether bytes (a file's first) begin with Parquet's mark. */
export const isParquetHead = (head: Uint8Array): boolean =>
  Buffer.from(head.subarray(0, PARQUET_MAGIC.length)).toString("latin1") === PARQUET_MAGIC;

/** Whether a file begins with Parquet's mark, whatever its name (.pq, .parq, none). */
const hasParquetMagic = async (path: string): Promise<boolean> =>
  isParquetHead(await readHead(path, PARQUET_MAGIC.length));

/** Whether a file is Parquet: by its name, or by its mark. */
export const isParquetPath = async (path: string): Promise<boolean> =>
  isParquetFile(path) || (await hasParquetMagic(path));

export interface EnginePlan {
  engine: "duckdb" | "memory";
  format: DuckFormat;
  /** The progress line telling the choice, when there was one to tell. */
  note: Message | null;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;

/** The engine for a file (not standard input, not a workbook). */
export async function planEngine(
  path: string,
  choice: Engine,
  settings: Settings,
  limit = AUTO_DUCKDB_BYTES,
): Promise<EnginePlan> {
  const file = basename(path);
  // a folder: Parquet parts (the notebook has listed them, parts.ts), DuckDB's
  if ((await stat(path)).isDirectory() || (await isParquetPath(path))) {
    if (choice === "memory")
      throw new EngineError({ key: "engine.error.parquetInMemory", params: { file } }, 2);
    return {
      engine: "duckdb",
      format: "parquet",
      note: { key: "engine.progress.duckdb", params: { file } },
    };
  }
  if (choice === "memory") return { engine: "memory", format: "csv", note: null };
  if (choice === "duckdb")
    return {
      engine: "duckdb",
      format: "csv",
      note: { key: "engine.progress.duckdb", params: { file } },
    };
  const size = (await stat(path)).size;
  if (size <= limit) return { engine: "memory", format: "csv", note: null };
  const params = { file, size: mb(size), limit: mb(limit) };
  const why = await onlyInMemory(path, settings);
  if (why)
    return {
      engine: "memory",
      format: "csv",
      note: { key: "engine.progress.autoMemory", params, also: [why] },
    };
  return { engine: "duckdb", format: "csv", note: { key: "engine.progress.auto", params } };
}

/** Why a CSV should stay on the in-memory reader, or null. */
async function onlyInMemory(path: string, settings: Settings): Promise<Message | null> {
  const head = await readHead(path, HEAD_BYTES);
  if (!isUtf8(head)) return { key: "engine.why.encoding" };
  const lastLine = head.lastIndexOf(10);
  const memory = readCsv(lastLine > 0 ? head.subarray(0, lastLine + 1) : head, basename(path));
  let con;
  try {
    con = await openDuckDb(basename(path), "csv");
  } catch (e) {
    if (e instanceof EngineError) return null; // DuckDB missing: the read says so
    throw e;
  }
  try {
    return await sampleVerdict(con, path, memory, settings);
  } finally {
    closeDuckDb(con);
  }
}

async function sampleVerdict(
  con: DuckDBConnection,
  path: string,
  memory: TableSource,
  settings: Settings,
): Promise<Message | null> {
  const relation = fileRelation(path, "csv");
  let cols;
  try {
    cols = await describe(con, relation);
  } catch (e) {
    const detail = String((e as Error).message)
      .split("\n")[0]
      .slice(0, 200);
    return { key: "engine.why.unreadable", params: { detail } };
  }
  const names = cols.map((c) => c.name);
  if (memory.headerRow !== 1 || names.join("\u0000") !== memory.headers.join("\u0000"))
    return { key: "engine.why.headers", params: { found: names.join(", ") } };
  let columns;
  try {
    columns = mapColumns(cols, basename(path));
  } catch {
    return null; // the read tells what is missing, alike on both engines
  }
  const src = {
    con,
    name: basename(path),
    sql: { relation, rowNumber: "row_number() OVER ()", columns },
    place: rowPlace(basename(path)),
  };
  const { diff } = await prepareRules(src, settings, 0, { wholeColumn: false });
  if (diff) return { key: "engine.why.value", params: { ...diff } };
  return null;
}

/** A file's first `bytes` bytes (fewer when it is shorter). */
async function readHead(path: string, bytes: number): Promise<Uint8Array> {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** True when the bytes are UTF-8 (a sequence cut at the end is allowed), without a UTF-16 mark. */
function isUtf8(b: Uint8Array): boolean {
  if (b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)))
    return false;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(b, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** The empty order table standing for orders an engine aggregated (runAnalysis reads no rows). */
export const aggregatedOrders = (name: string): RawTable => ({
  source: name,
  headerRow: 1,
  firstColumn: 1,
  headers: [],
  rows: [],
});

const asSource = (x: RawTable | TableSource | null | undefined): TableSource | null =>
  x
    ? typeof (x as TableSource).cell === "function"
      ? (x as TableSource)
      : cellSource(x as RawTable)
    : null;

/**
 * The dataset of a run whose orders DuckDB aggregates (customers and interactions from
 * `input`); `parts`: a folder's Parquet parts as the caller listed them (parts.ts).
 */
export function ordersByEngine(
  path: string,
  format: DuckFormat,
  input: WorkbookInput,
  settings: Settings,
  parts?: TableParts | null,
): Promise<Dataset> {
  return readWithDuckDb(
    {
      path,
      format,
      parts,
      customers: asSource(input.customers),
      interactions: asSource(input.interactions),
    },
    settings,
  );
}
