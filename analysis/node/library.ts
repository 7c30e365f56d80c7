/**
 * The package's entry point, `import { analyzeFile, analyzeTables } from
 * "customer-lifecycle-excel"` (package.json "exports", built to dist/library.mjs): a workbook or
 * CSV read as `crm analyze` reads it, analysed by the same code, returned as arquero tables,
 * summary.json's object and the report's vega-lite charts. Nothing is written and nothing is
 * printed; unusable input throws {@link UnusableInputError} with the CLI's message.
 */
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import type { WorkbookInput } from "../index.js";
import type { Lang, RawTable, TableSource } from "../types.js";
import type { DeepPartial, Settings } from "../settings.js";
import { UnusableInputError, isUnusableInputError } from "../errors.js";
import { overridesOf, runTables, type AnalysisResult, type AnalyzeOptions } from "../library.js";
import { readCsv } from "./csv.js";
import { pickInputTables, readWorkbook, type ReadWorkbook } from "./xlsx-read.js";
import { sampleXlsx } from "./sample-xlsx.js";
import { writeFileAtomic } from "./safe-write.js";
import { firstTableOf, isWorkbookFile, readTableBytes } from "./table-file.js";
import { makeSettings } from "../settings.js";
import { aggregatedOrders, isParquetPath, ordersByEngine } from "./engine.js";
import { fileErrorMsg, isFileSystemError } from "./fs-errors.js";
import { EngineError } from "./engine-duckdb.js";
import { orderParts } from "./parts.js";

export {
  analyzeTables,
  reportCharts,
  UnusableInputError,
  isUnusableInputError,
  type AnalysisResult,
  type AnalyzeOptions,
  type TableInput,
  type TablesInput,
  type VegaLiteSpec,
  type ColumnTable,
  type Summary,
  type Settings,
  type DeepPartial,
  type Lang,
} from "../library.js";
export { chartDisplay, type JupyterDisplay, type ChartDisplayOptions } from "./jupyter.js";

/** Options of {@link analyzeFile}: those of analyzeTables, and where the other tables are. */
export interface AnalyzeFileOptions extends AnalyzeOptions {
  /** The Customers table: a file (.xlsx or .csv) or a sheet name of the input workbook (`--customers`). */
  customers?: string;
  /** The Interactions table: a file or a sheet name of the input workbook (`--interactions`). */
  interactions?: string;
}

/** The file's table(s), or UnusableInputError naming the file when it is not there. */
async function fileBytes(path: string, lang: Lang): Promise<Buffer> {
  const st = await stat(path).catch(() => null);
  if (!st?.isFile())
    throw new UnusableInputError({ key: "cli.error.noInput", params: { file: path } }, [], lang);
  return readTableBytes(path);
}

/** A table named by a sheet of the input workbook or by a file path. */
async function resolveTable(
  ref: string,
  wb: ReadWorkbook | null,
  lang: Lang,
): Promise<RawTable | TableSource> {
  const sheet = wb?.sheets.find((s) => s.name === ref && s.tables.length);
  // the sheet's last table, as the CLI's map of sheet names
  if (sheet) return sheet.tables[sheet.tables.length - 1].raw;
  if ((await stat(ref).catch(() => null))?.isFile()) return firstTableOf(ref);
  throw new UnusableInputError({ key: "cli.error.noTable", params: { ref } }, [], lang);
}

/** "No orders table" as the CLI says it: each table's sheet and first headers. */
function noOrders(wb: ReadWorkbook, file: string, lang: Lang): UnusableInputError {
  const seen = wb.sheets.flatMap((sh) =>
    sh.tables.map((tb) => {
      const heads = tb.raw.headers.filter((h) => h.trim());
      return `${sh.name}: ${heads.slice(0, 12).join(", ") || "—"}${heads.length > 12 ? ", …" : ""}`;
    }),
  );
  return new UnusableInputError(
    { key: "cli.error.noOrders", params: { file, seen: seen.join("; ") || "—" } },
    [],
    lang,
  );
}

/**
 * A Parquet file (known by its mark, whatever its name) or a folder of Parquet parts
 * (parts.ts), as `crm analyze` reads them: DuckDB aggregates the order rows, which never come
 * into memory (the result's orders table is empty); customers and interactions are read here.
 */
async function readParquetInput(
  path: string,
  opts: AnalyzeFileOptions,
  lang: Lang,
): Promise<WorkbookInput> {
  const parts = (await stat(path)).isDirectory() ? orderParts(path) : null;
  const input: WorkbookInput = { orders: aggregatedOrders(basename(path)) };
  if (opts.customers) input.customers = await resolveTable(opts.customers, null, lang);
  if (opts.interactions) input.interactions = await resolveTable(opts.interactions, null, lang);
  const settings = makeSettings(overridesOf(opts));
  input.dataset = await ordersByEngine(path, "parquet", input, settings, parts);
  return input;
}

async function readInput(
  path: string,
  opts: AnalyzeFileOptions,
  lang: Lang,
): Promise<{ input: WorkbookInput; date1904: boolean }> {
  const name = basename(path);
  const st = await stat(path).catch(() => null);
  if (st?.isDirectory() || (st?.isFile() && (await isParquetPath(path))))
    return { input: await readParquetInput(path, opts, lang), date1904: false };
  const bytes = await fileBytes(path, lang);
  let wb: ReadWorkbook | null = null;
  let input: WorkbookInput;
  if (isWorkbookFile(path)) {
    wb = await readWorkbook(bytes, name);
    const picked = pickInputTables(wb);
    if (!picked.orders) throw noOrders(wb, name, lang);
    input = { ...picked, orders: picked.orders };
  } else {
    input = { orders: readCsv(bytes, name) };
  }
  if (opts.customers) input.customers = await resolveTable(opts.customers, wb, lang);
  if (opts.interactions) input.interactions = await resolveTable(opts.interactions, wb, lang);
  return { input, date1904: wb?.date1904 ?? false };
}

/**
 * Read a workbook (.xlsx/.xlsm), a CSV file, a Parquet file or a folder of Parquet parts as
 * `crm analyze` does and analyse it.
 *
 * @param path the orders file (or folder of Parquet parts), or a workbook holding 订单 Orders
 *   (and 客户 Customers, 联系记录 Interactions, 设置 Settings, 阶段历史 Stage history).
 * @returns customers, orders and issues as arquero tables (dates as `Date` at midnight UTC),
 *   summary.json's object, the report's charts and the settings in force. From Parquet the
 *   orders table is empty: DuckDB aggregates the rows, which never come into memory.
 * @throws {UnusableInputError} when the file is missing or cannot be analysed, with the
 *   message `crm analyze` prints, in `opts.lang` (default English).
 */
export async function analyzeFile(
  path: string,
  opts: AnalyzeFileOptions = {},
): Promise<AnalysisResult> {
  const lang = opts.lang ?? "en";
  const overrides = overridesOf(opts);
  let read: { input: WorkbookInput; date1904: boolean };
  try {
    read = await readInput(path, opts, lang);
  } catch (e) {
    // the readers' own UnusableInputError, and DuckDB's (EngineError), in the caller's language
    if (isUnusableInputError(e)) throw new UnusableInputError(e.msg, e.issues, lang);
    if (e instanceof EngineError) throw new UnusableInputError(e.msg, [], lang);
    // a file system error (a link that loops or leads nowhere, no permission): as the CLI says it
    if (isFileSystemError(e)) throw new UnusableInputError(fileErrorMsg(e, lang), [], lang);
    throw e;
  }
  // exceljs reads the workbook's 1904 flag: used unless the settings say otherwise (as the CLI)
  const settings: DeepPartial<Settings> | undefined = read.date1904
    ? { dateSystem: "1904", ...overrides }
    : overrides;
  return runTables(read.input, lang, settings);
}

/**
 * Write the demo workbook (the one `crm sample` writes: customers, orders, interactions) to
 * `path`, whole or not at all.
 *
 * @param opts.lang the language of its sheet names, headers and text (default "en").
 */
export async function writeSampleWorkbook(path: string, opts: { lang?: Lang } = {}): Promise<void> {
  await writeFileAtomic(path, await sampleXlsx({ lang: opts.lang ?? "en" }));
}
