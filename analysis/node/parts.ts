/**
 * A table given as a folder of parts: how Spark writes a table (`.write.parquet("orders.parquet")`
 * makes a folder of part-NNNNN files) and how a warehouse's export to several files lands once
 * downloaded (BigQuery's `customers_summary-*.parquet`). `crm analyze FOLDER` reads the orders'
 * Parquet parts through DuckDB (engine-duckdb.ts) and `--summary FOLDER` a summary's parts
 * (summary-file.ts), each as one table.
 *
 * Decisions:
 * - The parts are the folder's files in name order (part numbers are zero-padded), all
 *   Parquet or all CSV, told by their names (.parquet/.pq, .csv/.txt/.tsv).
 * - Names starting with "_" or "." are the writer's own (_SUCCESS, _committed_…, the
 *   .part-00000….crc checksums) and are left out, as Spark and Hadoop leave them out.
 * - Any other file, or a folder inside (a partitioned table's day=… folders), stops the run
 *   naming it rather than be left out: a table missing a part would be wrong without a sign.
 * - A Delta Lake or Hudi table (its _delta_log or .hoodie folder) is refused: its folder keeps
 *   the files of earlier versions too, so reading every file would count rows twice, or rows
 *   since deleted.
 * - Nothing is written into the folder (the notebook refuses --out or --history inside it):
 *   every file there would be read as a part the next time.
 * - Orders: each Parquet part is also checked as its own file would be, and against the first
 *   part, before DuckDB reads them as one (engine-duckdb.ts partsRelation); a summary's parts
 *   are each read on their own (summary-file.ts).
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, extname, isAbsolute, join, relative, sep } from "node:path";
import { UnusableInputError } from "../errors.js";
import { realPathOf } from "./path-clash.js";

export type PartKind = "parquet" | "csv";

/** A table's files: one file, or the parts of a folder. */
export interface TableParts {
  /** The table's name in messages and outputs: the file's, or the folder's. */
  name: string;
  kind: PartKind;
  /** In name order; `name` as messages name the part ("folder/part-00000.parquet"). */
  parts: { path: string; name: string }[];
  /** The folder's path, when the table is one. */
  folder: string | null;
}

/** A file's kind by its name, or null. */
export function kindOfName(name: string): PartKind | null {
  const ext = extname(name).toLowerCase();
  if (ext === ".parquet" || ext === ".pq") return "parquet";
  if (ext === ".csv" || ext === ".txt" || ext === ".tsv") return "csv";
  return null;
}

/** The folders by which Delta Lake and Hudi tables are known. */
const TABLE_FORMATS: Readonly<Record<string, string>> = {
  _delta_log: "Delta Lake",
  ".hoodie": "Apache Hudi",
};

/** The parts of the folder `path` (which must be one); throws UnusableInputError naming what is wrong. */
export function folderParts(path: string): TableParts {
  const name = basename(path);
  const entries = readdirSync(path).sort();
  for (const entry of entries)
    if (TABLE_FORMATS[entry])
      throw new UnusableInputError({
        key: "parts.error.tableFormat",
        params: { folder: path, format: TABLE_FORMATS[entry], marker: entry },
      });
  const parts: TableParts["parts"] = [];
  const kinds = new Map<PartKind, string>();
  for (const entry of entries) {
    if (entry.startsWith("_") || entry.startsWith(".")) continue;
    const partPath = join(path, entry);
    const st = statSync(partPath);
    if (st.isDirectory())
      throw new UnusableInputError({
        key: "parts.error.subfolder",
        params: { folder: path, file: entry },
      });
    const kind = st.isFile() ? kindOfName(entry) : null;
    if (!kind)
      throw new UnusableInputError({
        key: "parts.error.otherFile",
        params: { folder: path, file: entry },
      });
    if (!kinds.has(kind)) kinds.set(kind, entry);
    parts.push({ path: partPath, name: `${name}/${entry}` });
  }
  if (kinds.size === 0)
    throw new UnusableInputError({ key: "parts.error.emptyFolder", params: { folder: path } });
  if (kinds.size > 1)
    throw new UnusableInputError({
      key: "parts.error.mixedFolder",
      params: { folder: path, parquet: kinds.get("parquet")!, csv: kinds.get("csv")! },
    });
  return { name, kind: [...kinds.keys()][0], parts, folder: path };
}

/** The parts of a folder of orders: Parquet only (one CSV file is read as ever, in memory). */
export function orderParts(path: string): TableParts {
  const parts = folderParts(path);
  if (parts.kind === "csv")
    throw new UnusableInputError({ key: "parts.error.csvOrders", params: { folder: path } });
  return parts;
}

/** Whether a folder is there at `path`. */
export const isFolder = (path: string): boolean => existsSync(path) && statSync(path).isDirectory();

/** Whether `out` is `folder` or inside it (real paths: links and `..` resolved). */
export async function isInside(out: string, folder: string): Promise<boolean> {
  const [f, o] = await Promise.all([realPathOf(folder), realPathOf(out)]);
  const rel = relative(f, o);
  return !rel || !(rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel));
}

/**
 * Where each of the first part's columns is in every part, in any order; throws
 * UnusableInputError naming the first part whose columns differ. Names must be the same
 * exactly: parts written by one writer are, and DuckDB joins the parts' columns by its own
 * reading of a name (case aside, spaces kept), so "amount " beside "amount" would be two
 * columns, each empty in the other's rows.
 */
export function partColumns(read: readonly { name: string; names: string[] }[]): number[][] {
  const first = read[0];
  const want = first.names;
  return read.map((p) => {
    const own = p.names;
    if (own.length !== want.length || !want.every((k) => own.includes(k)))
      throw new UnusableInputError({
        key: "parts.error.columns",
        params: {
          file: p.name,
          found: p.names.join(", ") || "—",
          first: first.name,
          expected: first.names.join(", "),
        },
      });
    return want.map((k) => own.indexOf(k));
  });
}
