/**
 * The analyst's notebook run, from files to files (SPEC §10): read a workbook or CSV, run the
 * same `runAnalysis` the add-in runs, write customers.csv, data-issues.csv, summary.json,
 * analysis.xlsx and report.html into the output folder.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { basename, extname, join, resolve } from "node:path";
import { runAnalysis, type RunResult, type WorkbookInput } from "../index.js";
import type { DeepPartial, Settings } from "../settings.js";
import type { Issue, Lang, RawTable, TableSource } from "../types.js";
import { CSV_COLUMNS, customerCsvRows } from "../output/customers.js";
import { ISSUE_CSV_COLUMNS, issueRows } from "../output/issues.js";
import { snapshotCsvRows } from "../history.js";
import { readCsv } from "./csv.js";
import { readFileShared } from "./csv-parallel.js";
import type ExcelJS from "exceljs";
import { readWorkbook, pickInputTables } from "./xlsx-read.js";
import { toCsv } from "./csv-write.js";
import { writeAnalysisXlsx } from "./xlsx-write.js";
import { renderReport } from "./report.js";
import { t } from "../messages/index.js";
import { isUnusableInputError } from "../errors.js";

export const OUTPUT_KINDS = ["csv", "json", "xlsx", "html"] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];
export const isOutputKind = (x: unknown): x is OutputKind => OUTPUT_KINDS.includes(x as OutputKind);

export interface NotebookOptions {
  input: string;
  /** A file, or a sheet name of the input workbook. */
  customers?: string;
  interactions?: string;
  outDir: string;
  lang: Lang;
  outputs: OutputKind[];
  /** Snapshot CSV: read when it exists, then rewritten with this run's snapshot appended. */
  history?: string;
  overrides?: DeepPartial<Settings>;
  /** Progress lines (stderr in the CLI). */
  progress?: (line: string) => void;
}

export interface NotebookResult {
  run: RunResult;
  files: string[];
}

const isWorkbookFile = (p: string) => /\.(xlsx|xlsm)$/i.test(p);

/** A file's bytes; a CSV's in shared memory, for the two-core scan of a large one. */
const readBytes = async (path: string): Promise<Buffer> =>
  isWorkbookFile(path) ? readFile(path) : readFileShared(path);

async function readTableFile(path: string): Promise<TableSource | RawTable> {
  const bytes = await readBytes(path);
  if (isWorkbookFile(path)) {
    const wb = await readWorkbook(bytes);
    const first = wb.sheets.flatMap((s) => s.tables)[0];
    if (!first) throw new NotebookError({ key: "cli.error.emptyWorkbook", params: { file: path } });
    return first.raw;
  }
  return readCsv(bytes, basename(path));
}

/** Customers/interactions given as a file path or as a sheet name of the input workbook. */
async function resolveTable(
  ref: string | undefined,
  sheets: Map<string, RawTable> | null,
): Promise<TableSource | RawTable | null | undefined> {
  if (!ref) return undefined;
  if (sheets?.has(ref)) return sheets.get(ref)!;
  if (existsSync(ref)) return readTableFile(ref);
  throw new NotebookError({ key: "cli.error.noTable", params: { ref } });
}

/** An error of the notebook's own (missing file or sheet): exit code 1 with the message. */
export class NotebookError extends Error {
  constructor(readonly msg: { key: string; params?: Record<string, string | number> }) {
    super(t("en", msg));
    this.name = "NotebookError";
  }
}

export async function runNotebook(opts: NotebookOptions): Promise<NotebookResult> {
  const say = opts.progress ?? (() => {});
  const inputPath = resolve(opts.input);
  if (!existsSync(inputPath))
    throw new NotebookError({ key: "cli.error.noInput", params: { file: opts.input } });
  say(t(opts.lang, { key: "cli.progress.reading", params: { file: basename(inputPath) } }));
  const bytes = await readBytes(inputPath);
  const workbook = isWorkbookFile(inputPath);
  let input: WorkbookInput;
  let sheets: Map<string, RawTable> | null = null;
  // the input workbook as loaded, copied into analysis.xlsx without parsing it again
  let loaded: ExcelJS.Workbook | null = null;
  let overrides = opts.overrides;
  if (workbook) {
    const wb = await readWorkbook(bytes);
    loaded = wb.workbook;
    // exceljs reads the workbook's 1904 flag (Excel's JS API cannot): use it unless told otherwise
    if (wb.date1904) overrides = { dateSystem: "1904", ...overrides };
    sheets = new Map(
      wb.sheets.flatMap((s) => s.tables.map((tb) => [s.name, tb.raw] as [string, RawTable])),
    );
    const picked = pickInputTables(wb);
    if (!picked.orders)
      throw new NotebookError({ key: "cli.error.noOrders", params: { file: basename(inputPath) } });
    input = {
      orders: picked.orders,
      customers: picked.customers,
      interactions: picked.interactions,
      settings: picked.settings,
      history: picked.history,
    };
  } else {
    input = { orders: readCsv(bytes, basename(inputPath)) };
  }
  const customers = await resolveTable(opts.customers, sheets);
  if (customers !== undefined) input.customers = customers;
  const interactions = await resolveTable(opts.interactions, sheets);
  if (interactions !== undefined) input.interactions = interactions;
  if (opts.history && existsSync(opts.history)) {
    input.history = readCsv(await readBytes(opts.history), basename(opts.history));
  }

  say(t(opts.lang, "cli.progress.analysing"));
  await mkdir(opts.outDir, { recursive: true });
  let run: RunResult;
  try {
    run = runAnalysis(input, { lang: opts.lang, overrides });
  } catch (e) {
    // The rows that made the table unusable are still worth listing for the user.
    if (isUnusableInputError(e) && e.issues.length && opts.outputs.includes("csv")) {
      await writeFile(join(opts.outDir, "data-issues.csv"), issuesCsv(e.issues, opts.lang));
    }
    throw e;
  }

  const files: string[] = [];
  const write = async (name: string, data: string | Buffer) => {
    const path = join(opts.outDir, name);
    await writeFile(path, data);
    files.push(path);
  };
  const currency = run.analysis.settings.currency;
  const kinds = new Set(opts.outputs);
  say(t(opts.lang, { key: "cli.progress.writing", params: { dir: opts.outDir } }));
  if (kinds.has("csv")) {
    await write(
      "customers.csv",
      toCsv([...CSV_COLUMNS], customerCsvRows(run.analysis.customers, opts.lang, currency)),
    );
    await write("data-issues.csv", issuesCsv(run.issues, opts.lang));
  }
  if (kinds.has("json")) await write("summary.json", JSON.stringify(run.summary, null, 2) + "\n");
  if (kinds.has("xlsx")) {
    const ct = run.analysis.dataset.customerTable;
    const custSheet = run.analysis.dataset.sources.customers;
    const xlsx = await writeAnalysisXlsx({
      input: loaded,
      output: run.output,
      customersTable:
        workbook && ct && custSheet && sheets?.has(custSheet)
          ? {
              sheet: custSheet,
              headerRow: ct.headerRow,
              firstColumn: sheets.get(custSheet)!.firstColumn,
              rowCount: ct.rowCount,
            }
          : null,
    });
    await write("analysis.xlsx", xlsx);
  }
  if (kinds.has("html")) await write("report.html", await renderReport(run.report));
  if (opts.history) {
    await writeFile(opts.history, toCsv(...snapshotCsv(run), { neutralise: false }));
    files.push(opts.history);
  }
  return { run, files };
}

/** data-issues.csv: every issue, in the user's language. */
function issuesCsv(issues: Issue[], lang: Lang): string {
  return toCsv([...ISSUE_CSV_COLUMNS], issueRows(issues, lang));
}

function snapshotCsv(run: RunResult): [string[], string[][]] {
  const [header, ...rows] = snapshotCsvRows(run.analysis.history.snapshots);
  return [header, rows];
}

/** The extension decides the reader; anything but .xlsx/.xlsm is read as delimited text. */
export const inputKind = (p: string) =>
  isWorkbookFile(p) ? "xlsx" : extname(p).slice(1).toLowerCase() || "csv";
