/**
 * A table given as a file, as `crm analyze` and the library's analyzeFile read one for the
 * Customers and Interactions tables (`--customers`, `--interactions`): a workbook's first table,
 * or a CSV file's.
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { UnusableInputError } from "../errors.js";
import type { RawTable, TableSource } from "../types.js";
import { readCsv } from "./csv.js";
import { readFileShared } from "./csv-parallel.js";
import { isParquetHead } from "./engine.js";
import { readWorkbook } from "./xlsx-read.js";

/** A workbook, by its name (.xlsx, .xlsm); anything else is read as CSV. */
export const isWorkbookFile = (p: string): boolean => /\.(xlsx|xlsm)$/i.test(p);

/** A file's bytes; a CSV's in shared memory, for the two-core scan of a large one. */
export const readTableBytes = async (path: string): Promise<Buffer> =>
  isWorkbookFile(path) ? readFile(path) : readFileShared(path);

/**
 * The file's first table: a workbook's first, else the CSV. Throws UnusableInputError for a
 * workbook without a table, and for a Parquet file (read as text, its bytes would be "the
 * headers found").
 */
export async function firstTableOf(path: string): Promise<RawTable | TableSource> {
  const bytes = await readTableBytes(path);
  if (isParquetHead(bytes))
    throw new UnusableInputError({ key: "cli.error.parquetTable", params: { file: path } });
  if (!isWorkbookFile(path)) return readCsv(bytes, basename(path));
  const wb = await readWorkbook(bytes, basename(path));
  const first = wb.sheets.flatMap((s) => s.tables)[0];
  if (!first)
    throw new UnusableInputError({ key: "cli.error.emptyWorkbook", params: { file: path } });
  return first.raw;
}
