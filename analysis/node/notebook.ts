/**
 * The analyst's notebook run, from files to files (SPEC §10): read a workbook or CSV, run the
 * same `runAnalysis` the add-in runs, write customers.csv, data-issues.csv, summary.json,
 * analysis.xlsx and report.html into the output folder.
 *
 * Guarantees (README "Guarantees"): no output replaces an input (path-clash.ts, checked before
 * anything is written); every file is written whole or not at all (safe-write.ts); the
 * --history file is only ever a stage history, updated under a lock (history-file.ts).
 */
import { mkdir, stat } from "node:fs/promises";
import { createReadStream, existsSync, statSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { customerRows, runAnalysis, type RunResult, type WorkbookInput } from "../index.js";
import type { DeepPartial, Settings } from "../settings.js";
import type { Issue, Lang, RawTable, TableSource, ValueOptions } from "../types.js";
import { customerCsvBytes } from "./customers-csv.js";
import { ISSUE_CSV_COLUMNS, issueRows } from "../output/issues.js";
import { OWNER_CSV_COLUMNS, ownerCsvRows } from "../output/owners.js";
import { readCsv } from "./csv.js";
import { writeAtomic, writeFileAtomic } from "./safe-write.js";
import { lockFile, LockHeldError } from "./file-lock.js";
import { PathClashError, refuseClashes } from "./path-clash.js";
import { isFolder, isInside, orderParts, type TableParts } from "./parts.js";
import { knownScan, startHistoryScan, type PendingScan } from "./history-scan.js";
import {
  historyChanged,
  loadScanRecord,
  NotHistoryError,
  saveScanRecord,
  scanHistory,
  sniffHistory,
  snapshotBefore,
  writeHistory,
  type HistoryScan,
} from "./history-file.js";
import type ExcelJS from "exceljs";
import { readWorkbook, pickInputTables } from "./xlsx-read.js";
import { firstTableOf, isWorkbookFile, readTableBytes } from "./table-file.js";
import { toCsv } from "./csv-write.js";
import { writeAnalysisXlsxTo } from "./xlsx-write.js";
import { renderReport } from "./report.js";
import { t } from "../messages/index.js";
import { isUnusableInputError } from "../errors.js";
import { makeSettings } from "../settings.js";
import {
  aggregatedOrders,
  ordersByEngine,
  isParquetHead,
  planEngine,
  type Engine,
} from "./engine.js";
import { EngineError } from "./engine-duckdb.js";
import { isPostgresUrl, readPostgres, redactUrl, type PgSource } from "./engine-postgres.js";
import { readSummaryDataset, summaryParts } from "./summary-file.js";

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
  /**
   * Stage history CSV (history-file.ts): read when it exists, refused when it is not a
   * history, then rewritten atomically under its lock with this run's snapshot added.
   */
  history?: string;
  /** How long to wait for another run's lock on the history (default DEFAULT_LOCK_WAIT_MS). */
  lockWaitMs?: number;
  /** Standard input, for the input `-` (default process.stdin). */
  stdin?: NodeJS.ReadableStream;
  overrides?: DeepPartial<Settings>;
  /** Progress lines (stderr in the CLI). */
  progress?: (line: string) => void;
  /** Who reads a CSV's orders (engine.ts; default auto); Parquet is always DuckDB's. */
  engine?: Engine;
  /** For an input postgres://…: the orders' table or query (engine-postgres.ts). */
  database?: PgSource;
  /** The input is a per-customer summary file (`--summary`, summary-file.ts), not orders. */
  summaryFile?: boolean;
}

export interface NotebookResult {
  run: RunResult;
  files: string[];
}

/** Customers/interactions given as a file path or as a sheet name of the input workbook. */
async function resolveTable(
  ref: string | undefined,
  sheets: Map<string, RawTable> | null,
): Promise<TableSource | RawTable | null | undefined> {
  if (!ref) return undefined;
  if (sheets?.has(ref)) return sheets.get(ref)!;
  if (existsSync(ref)) return firstTableOf(ref);
  throw new NotebookError({ key: "cli.error.noTable", params: { ref } });
}

/**
 * An error of the notebook's own (missing file or sheet, a file that is not a history, an
 * output that would replace an input): the message, and the exit code (1 unusable input,
 * 2 a wrong argument).
 */
export class NotebookError extends Error {
  constructor(
    readonly msg: { key: string; params?: Record<string, string | number> },
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(t("en", msg));
    this.name = "NotebookError";
  }
}

/** The files a run writes into the output folder, by output kind. */
export const OUTPUT_FILES: Record<OutputKind, readonly string[]> = {
  csv: ["customers.csv", "owners.csv", "data-issues.csv"],
  json: ["summary.json"],
  xlsx: ["analysis.xlsx"],
  html: ["report.html"],
};

/** How long a run waits for another run's lock on the --history file (CRM_LOCK_WAIT_MS). */
export const DEFAULT_LOCK_WAIT_MS = 120_000;

/**
 * `-` and /dev/stdin are standard input, read from the process's stream (/dev/stdin cannot
 * be opened by name when it is a socket, as a parent process's pipe often is); a named pipe or
 * other file that is not a regular one is read as a stream too, not by its size.
 */
const isStdin = (p: string) => p === "-" || p === "/dev/stdin" || p === "/dev/fd/0";

async function readStream(input: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of input as AsyncIterable<Buffer | string>)
    parts.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(parts);
}

/** A zip file (every .xlsx is one) by its first bytes: how standard input is told apart. */
const looksLikeZip = (b: Uint8Array) =>
  b.length > 3 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/** Fail before anything is written when --out names something that is not a folder. */
async function refuseOutFile(outDir: string): Promise<void> {
  const st = await stat(outDir).catch(() => null);
  if (st && !st.isDirectory())
    throw new NotebookError({ key: "cli.error.outNotFolder", params: { dir: outDir } }, 2);
}

/**
 * Refuse, before anything is written, a run that would write over one of its inputs (exit 2):
 * the output folder's files of the chosen kinds, `alsoWrites` (the demo's sample workbook)
 * and the history, against the input files and the history.
 */
export async function refuseUnsafePaths(p: {
  inputs: string[];
  outDir: string;
  outputs: readonly OutputKind[];
  alsoWrites?: string[];
  history?: string;
}): Promise<void> {
  await refuseOutFile(p.outDir);
  const outputs = [
    ...p.outputs.flatMap((k) => OUTPUT_FILES[k].map((n) => join(p.outDir, n))),
    ...(p.alsoWrites ?? []),
  ];
  try {
    await refuseClashes(p.inputs, outputs, p.history);
  } catch (e) {
    if (e instanceof PathClashError)
      throw new NotebookError(
        { key: "cli.error.clash", params: { output: e.output, input: e.input } },
        2,
      );
    throw e;
  }
}

/** "Not a history" as the notebook's message; other errors as they are. */
export function historyError(e: unknown, path: string, lang: Lang): unknown {
  if (!(e instanceof NotHistoryError)) return e;
  const f = e.found;
  const found =
    f.kind === "headers"
      ? f.headers
        ? t(lang, { key: "cli.history.found.headers", params: { headers: f.headers } })
        : t(lang, "cli.history.found.noHeader")
      : t(lang, `cli.history.found.${f.kind}`);
  return new NotebookError({ key: "cli.error.notHistory", params: { file: path, found } });
}

/** The history file's scan now (under the lock, when it changed since the first). */
async function scanHistoryFile(path: string, lang: Lang): Promise<HistoryScan | null> {
  try {
    return await scanHistory(path, HISTORY_VALUE_OPTIONS);
  } catch (e) {
    throw historyError(e, path, lang);
  }
}

/**
 * Dates and stages in the --history file are read with the defaults (ISO dates as this
 * program writes them; month-first for slashed dates a person typed), whatever the run's
 * settings: the file outlives any one workbook's settings.
 */
const HISTORY_VALUE_OPTIONS: ValueOptions = {
  decimalComma: false,
  dateOrder: "mdy",
  dateSystem: "1900",
};

export async function runNotebook(opts: NotebookOptions): Promise<NotebookResult> {
  // a database URL is no path: it is neither resolved nor checked as one
  const remote = isPostgresUrl(opts.input);
  const stdin = !remote && isStdin(opts.input);
  const inputPath = stdin || remote ? opts.input : resolve(opts.input);
  if (!stdin && !remote && !existsSync(inputPath))
    throw new NotebookError({
      key: opts.summaryFile ? "summary.error.noFile" : "cli.error.noInput",
      params: { file: opts.input },
    });
  // a folder's parts (parts.ts: a summary's, or the orders' as Parquet); nothing is written
  // into the folder, whose every file is read as a part
  const parts = opts.summaryFile
    ? summaryParts(inputPath)
    : !stdin && !remote && isFolder(inputPath)
      ? orderParts(inputPath)
      : null;
  if (parts?.folder && (await isInside(opts.outDir, parts.folder)))
    throw new NotebookError(
      { key: "parts.error.outInFolder", params: { out: opts.outDir, folder: opts.input } },
      2,
    );
  if (parts?.folder && opts.history && (await isInside(opts.history, parts.folder)))
    throw new NotebookError(
      { key: "parts.error.historyInFolder", params: { file: opts.history, folder: opts.input } },
      2,
    );
  // Nothing is written before these checks: no output may replace an input.
  await refuseUnsafePaths({
    inputs: [
      ...(stdin || remote ? [] : parts ? parts.parts.map((p) => p.path) : [inputPath]),
      ...[opts.customers, opts.interactions].filter(
        (p): p is string => !!p && existsSync(p) && statSync(p).isFile(),
      ),
    ],
    outDir: opts.outDir,
    outputs: opts.outputs,
    history: opts.history,
  });
  // A history file with content is scanned on the other core while the orders are read and
  // analysed (history-scan.ts); a missing or empty one is simply created.
  const historyPath = opts.history;
  const historyStat = historyPath ? await stat(historyPath).catch(() => null) : null;
  if (historyPath) {
    // told now, with the history's own path, rather than when its lock or copy is made
    const problem = historyStat?.isDirectory()
      ? "EISDIR"
      : !historyStat && !(await stat(dirname(resolve(historyPath))).catch(() => null))
        ? "ENOENT"
        : null;
    if (problem)
      throw Object.assign(new Error(`${problem}: ${historyPath}`), {
        code: problem,
        path: historyPath,
        syscall: "open",
      });
  }
  const historySize = historyStat?.size ?? 0;
  if (historyPath && historySize > 0) {
    // refused at once when it is not a history, before the long part of the run
    try {
      await sniffHistory(historyPath);
    } catch (e) {
      throw historyError(e, historyPath, opts.lang);
    }
  }
  // the last run's record of the file spares reading it again; else a scan
  const recorded = historyPath && historySize > 0 ? await loadScanRecord(historyPath) : null;
  const pending =
    historyPath && historySize > 0
      ? recorded
        ? knownScan(recorded)
        : startHistoryScan(historyPath, HISTORY_VALUE_OPTIONS)
      : null;
  try {
    return await analyseAndWrite(opts, inputPath, stdin, pending, parts);
  } finally {
    pending?.cancel();
  }
}

async function analyseAndWrite(
  opts: NotebookOptions,
  inputPath: string,
  stdin: boolean,
  pending: PendingScan | null,
  parts: TableParts | null,
): Promise<NotebookResult> {
  const say = opts.progress ?? (() => {});
  const kinds = new Set(opts.outputs);
  /** The scan's result; "not a history" told as the notebook's error. */
  const scanned = (): HistoryScan | null => {
    try {
      return pending!.result();
    } catch (e) {
      throw historyError(e, opts.history!, opts.lang);
    }
  };

  // orders in PostgreSQL, or a per-customer summary file: aggregated elsewhere, no rows read
  const remote = isPostgresUrl(inputPath);
  const aggregated = remote || !!opts.summaryFile;
  const inputName = stdin
    ? t(opts.lang, "cli.stdin")
    : remote
      ? redactUrl(inputPath)
      : basename(inputPath);
  say(
    t(
      opts.lang,
      opts.summaryFile
        ? { key: "summary.progress.reading", params: { file: inputName } }
        : { key: "cli.progress.reading", params: { file: inputName } },
    ),
  );
  // a folder of Parquet parts (parts.ts), read by DuckDB as one table
  const folder = !aggregated && !!parts?.folder;
  // standard input, a pipe or a device: read as a stream (their size says nothing)
  const streamed = !aggregated && !folder && (stdin || !statSync(inputPath).isFile());
  // Parquet, or a CSV the engine choice sends to DuckDB: the orders never come into memory
  const plan =
    aggregated || streamed || (!folder && isWorkbookFile(inputPath))
      ? null
      : await planEngine(inputPath, opts.engine ?? "auto", makeSettings(opts.overrides)).catch(
          (e: unknown) => {
            throw e instanceof EngineError ? new NotebookError(e.msg, e.exitCode) : e;
          },
        );
  const byEngine = plan?.engine === "duckdb" ? plan : null;
  if (plan?.note) say(t(opts.lang, plan.note));
  const bytes =
    byEngine || aggregated
      ? Buffer.alloc(0)
      : streamed
        ? await readStream(stdin ? (opts.stdin ?? process.stdin) : createReadStream(inputPath))
        : await readTableBytes(inputPath);
  if (streamed && bytes.length === 0) throw new NotebookError({ key: "cli.error.stdinEmpty" });
  // DuckDB reads Parquet from a file only (its footer, at the end, comes first)
  if (streamed && isParquetHead(bytes)) throw new NotebookError({ key: "cli.error.parquetStream" });
  const workbook = streamed
    ? looksLikeZip(bytes)
    : !aggregated && !folder && isWorkbookFile(inputPath);
  let input: WorkbookInput;
  let sheets: Map<string, RawTable> | null = null;
  // the input workbook as loaded, copied into analysis.xlsx without parsing it again
  let loaded: ExcelJS.Workbook | null = null;
  let overrides = opts.overrides;
  if (workbook) {
    const wb = await readWorkbook(bytes, inputName);
    loaded = wb.workbook;
    // exceljs reads the workbook's 1904 flag (Excel's JS API cannot): use it unless told otherwise
    if (wb.date1904) overrides = { dateSystem: "1904", ...overrides };
    sheets = new Map(
      wb.sheets.flatMap((s) => s.tables.map((tb) => [s.name, tb.raw] as [string, RawTable])),
    );
    const picked = pickInputTables(wb);
    if (!picked.orders) {
      // what the workbook has instead: each table's sheet and first headers
      const seen = wb.sheets.flatMap((sh) =>
        sh.tables.map((tb) => {
          const heads = tb.raw.headers.filter((h) => h.trim());
          return `${sh.name}: ${heads.slice(0, 12).join(", ") || "—"}${heads.length > 12 ? ", …" : ""}`;
        }),
      );
      throw new NotebookError({
        key: "cli.error.noOrders",
        params: { file: inputName, seen: seen.join("; ") || "—" },
      });
    }
    input = {
      orders: picked.orders,
      customers: picked.customers,
      interactions: picked.interactions,
      settings: picked.settings,
      history: picked.history,
    };
  } else {
    input = {
      orders: byEngine || aggregated ? aggregatedOrders(inputName) : readCsv(bytes, inputName),
    };
  }
  const customers = await resolveTable(opts.customers, sheets);
  if (customers !== undefined) input.customers = customers;
  const interactions = await resolveTable(opts.interactions, sheets);
  if (interactions !== undefined) input.interactions = interactions;
  if (pending) {
    try {
      await pending.ready;
    } catch (e) {
      throw historyError(e, opts.history!, opts.lang);
    }
    // the file, when it has snapshots, stands for the whole history (also over a 阶段历史 sheet)
    input.history = null;
    input.historyStore = {
      issues: () => scanned()?.issues ?? [],
      before: (asOf) => {
        const scan = scanned();
        return scan ? snapshotBefore(scan, asOf, HISTORY_VALUE_OPTIONS) : [];
      },
    };
  }

  say(t(opts.lang, "cli.progress.analysing"));
  await mkdir(opts.outDir, { recursive: true });
  let run: RunResult;
  try {
    if (remote)
      input.dataset = await readPostgres(
        {
          url: inputPath,
          source: opts.database ?? { table: "" },
          customers: input.customers,
          interactions: input.interactions,
          lang: opts.lang,
          progress: say,
        },
        makeSettings(overrides),
      );
    else if (opts.summaryFile)
      input.dataset = await readSummaryDataset(
        {
          path: inputPath,
          parts,
          customers: input.customers,
          interactions: input.interactions,
          lang: opts.lang,
        },
        makeSettings(overrides),
      );
    else if (byEngine)
      input.dataset = await ordersByEngine(
        inputPath,
        byEngine.format,
        input,
        makeSettings(overrides),
        parts,
      );
    run = runAnalysis(input, { lang: opts.lang, overrides });
  } catch (e) {
    if (e instanceof EngineError) throw new NotebookError(e.msg, e.exitCode);
    // The rows that made the table unusable are still worth listing for the user.
    if (isUnusableInputError(e) && e.issues.length && opts.outputs.includes("csv")) {
      await writeFileAtomic(join(opts.outDir, "data-issues.csv"), issuesCsv(e.issues, opts.lang));
    }
    throw e;
  }
  const historyScan = pending ? scanned() : null;
  if (historyScan && run.summary.history) {
    // the analysis saw only the previous snapshot: count the file's dates
    const dates = new Set(historyScan.ranges.keys()).add(run.analysis.asOf);
    run.summary.history.snapshots = dates.size;
  }

  const files: string[] = [];
  if (opts.history) {
    await writeHistoryLocked(opts, historyScan, run, say);
  }
  const write = async (name: string, data: string | Buffer) => {
    const path = join(opts.outDir, name);
    await writeFileAtomic(path, data);
    files.push(path);
  };
  const currency = run.analysis.settings.currency;
  say(t(opts.lang, { key: "cli.progress.writing", params: { dir: opts.outDir } }));
  if (kinds.has("csv")) {
    // streamed: a million customers' rows never sit in memory as one table or one string
    const path = join(opts.outDir, "customers.csv");
    await writeAtomic(path, async (sink) => {
      // each chunk is a view of one reused buffer: written before the next is made
      for (const chunk of customerCsvBytes(customerRows(run.analysis), opts.lang, currency))
        await sink(chunk);
    });
    files.push(path);
    // one row per account manager (README "owners.csv")
    await write("owners.csv", toCsv([...OWNER_CSV_COLUMNS], ownerCsvRows(run.analysis, opts.lang)));
    await write("data-issues.csv", issuesCsv(run.issues, opts.lang));
  }
  if (kinds.has("json")) await write("summary.json", JSON.stringify(run.summary, null, 2) + "\n");
  if (kinds.has("xlsx")) {
    const ct = run.analysis.dataset.customerTable;
    const custSheet = run.analysis.dataset.sources.customers;
    const xlsxPath = join(opts.outDir, "analysis.xlsx");
    // streamed into the temporary file: a million customers' workbook is never held whole
    await writeAtomic(xlsxPath, (sink) =>
      writeAnalysisXlsxTo(sink, {
        input: loaded,
        inputBytes: workbook ? bytes : null,
        output: run.output,
        warn: say,
        customersTable:
          workbook && ct && custSheet && sheets?.has(custSheet)
            ? {
                sheet: custSheet,
                headerRow: ct.headerRow,
                firstColumn: sheets.get(custSheet)!.firstColumn,
                rowCount: ct.rowCount,
              }
            : null,
      }),
    );
    files.push(xlsxPath);
  }
  if (kinds.has("html")) await write("report.html", await renderReport(run.report));
  if (opts.history) files.push(opts.history);
  return { run, files };
}

/**
 * This run's snapshot into the --history file, under the file's lock: scanned again if
 * another run rewrote it since this run read it, so that run's snapshot is kept.
 */
async function writeHistoryLocked(
  opts: NotebookOptions,
  scanned: HistoryScan | null,
  run: RunResult,
  say: (line: string) => void,
): Promise<void> {
  const path = opts.history!;
  let release: () => Promise<void>;
  try {
    release = await lockFile(path, {
      waitMs: opts.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS,
      onWait: (holder) =>
        say(
          t(opts.lang, {
            key: "cli.progress.waitLock",
            params: { pid: String(holder?.pid ?? "?"), file: path },
          }),
        ),
    });
  } catch (e) {
    if (!(e instanceof LockHeldError)) throw e;
    const h = e.holder;
    throw new NotebookError(
      h
        ? {
            key: "cli.error.lockHeld",
            params: {
              file: path,
              pid: String(h.pid),
              host: h.host,
              since: h.since,
              lock: resolve(e.lockPath),
            },
          }
        : { key: "cli.error.lockHeldUnknown", params: { file: path, lock: resolve(e.lockPath) } },
    );
  }
  try {
    const scan = (await historyChanged(scanned, path))
      ? await scanHistoryFile(path, opts.lang)
      : scanned;
    const all = run.analysis.history.snapshots;
    // with a file, only this run's snapshot is new; without one, a 阶段历史 sheet's go in too
    const fresh = scan ? all.filter((s) => s.asOf === run.analysis.asOf) : all;
    const written = await writeHistory(path, scan, fresh);
    if (written) await saveScanRecord(written);
  } finally {
    await release();
  }
}

/** data-issues.csv: every issue, in the user's language. */
function issuesCsv(issues: Issue[], lang: Lang): string {
  return toCsv([...ISSUE_CSV_COLUMNS], issueRows(issues, lang));
}

/** The extension decides the reader; anything but .xlsx/.xlsm is read as delimited text. */
export const inputKind = (p: string) =>
  isWorkbookFile(p) ? "xlsx" : extname(p).slice(1).toLowerCase() || "csv";
