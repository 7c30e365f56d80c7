/**
 * The analysis core's public face. The add-in and the CLI both call `runAnalysis`: tables in
 * (Excel values or the CSV reader), the owned workbook output, the report model and the
 * summary out. The pipeline itself is drawn in pipeline.ts.
 *
 * Settings precedence: defaults ← the Settings sheet (when present) ← explicit overrides
 * (CLI flags such as --as-of and --model).
 */
import type { Dataset, Issue, Lang, RawTable, TableSource } from "./types.js";
import { makeSettings, type DeepPartial, type Settings } from "./settings.js";
import { cellSource } from "./source.js";
import { analyze, type Analysis, type AnalysisPhase } from "./pipeline.js";
import { readDataset, type ReadInput } from "./clean.js";
import { readSettings, settingsSheetModel } from "./settings-sheet.js";
import { readSnapshots, type Snapshot } from "./history.js";
import { buildWorkbookOutput } from "./output/workbook.js";
import { buildReport } from "./output/report.js";
import { buildSummary, type Summary } from "./output/summary.js";
import type { WorkbookOutput } from "./workbook.js";
import type { ReportModel } from "./report-model.js";

export type { Analysis, AnalysisPhase } from "./pipeline.js";
export { ANALYSIS_PHASES } from "./pipeline.js";
export { analyze, analyzeTables, customerResult, customerRows } from "./pipeline.js";
export { UnusableInputError, isUnusableInputError } from "./errors.js";
export type { Summary } from "./output/summary.js";
export * from "./types.js";
export { DEFAULT_SETTINGS, makeSettings } from "./settings.js";
export { t, langFromLocale } from "./messages/index.js";

export interface WorkbookInput {
  orders: RawTable | TableSource;
  customers?: RawTable | TableSource | null;
  interactions?: RawTable | TableSource | null;
  /** The 设置 Settings sheet, when the workbook has one (else it is created with defaults). */
  settings?: RawTable | TableSource | null;
  /** Earlier snapshots: the 阶段历史 sheet or a --history CSV. */
  history?: RawTable | TableSource | null;
  /**
   * A history read outside memory (the CLI's --history file), used instead of `history`: the
   * earlier snapshots the movement needs given the as-of date, and the issues of its rows
   * (asked for after the analysis: the file may still be being read meanwhile).
   */
  historyStore?: { before: (asOf: number) => Snapshot[]; issues: () => Issue[] } | null;
  /**
   * The tables already read by an engine that aggregated the orders itself (DuckDB, Postgres:
   * analysis/node/engine*.ts): no order rows, their summary in `dataset.summary`. Used instead
   * of reading `orders`, `customers` and `interactions`; `customers` is still passed on for the
   * owners' spelling check.
   */
  dataset?: Dataset | null;
}

export interface RunOptions {
  lang: Lang;
  /** Overrides on top of the Settings sheet (CLI flags). */
  overrides?: DeepPartial<Settings>;
  /**
   * The run's date as an epoch day (tests fix it; default: today's local date): with the
   * default as-of date, orders dated after it are data issues (see clean.ts).
   */
  today?: number;
  /** Told as each step of the analysis starts (the add-in's progress while its worker runs). */
  onPhase?: (phase: AnalysisPhase) => void;
}

export interface RunResult {
  analysis: Analysis;
  /** What to write into the workbook: owned columns and sheets (built when first read). */
  readonly output: WorkbookOutput;
  /** The report's sections (built when first read). */
  readonly report: ReportModel;
  summary: Summary;
  /** Every issue: reading, settings, history and rules. */
  issues: Issue[];
}

const isSource = (x: RawTable | TableSource): x is TableSource =>
  typeof (x as TableSource).cell === "function";
const asSource = (x: RawTable | TableSource | null | undefined): TableSource | null =>
  x ? (isSource(x) ? x : cellSource(x)) : null;

/** Read, analyse and describe every output. Throws UnusableInputError for unusable tables. */
export function runAnalysis(input: WorkbookInput, opts: RunOptions): RunResult {
  const settingsSource = asSource(input.settings);
  const fromSheet = settingsSource
    ? readSettings(settingsSource)
    : { settings: makeSettings(), issues: [] };
  const settings = opts.overrides
    ? makeSettings(opts.overrides, fromSheet.settings)
    : fromSheet.settings;
  const valueOptions = {
    decimalComma: settings.decimalComma,
    dateOrder: settings.dateOrder === "dmy" ? ("dmy" as const) : settings.dateOrderFallback,
    dateSystem: settings.dateSystem,
  };
  const historySource = asSource(input.history);
  const store = input.historyStore ?? null;
  const history = store
    ? { snapshots: [], issues: [] }
    : historySource
      ? readSnapshots(historySource, valueOptions)
      : { snapshots: [], issues: [] };

  const tables: ReadInput = {
    orders: asSource(input.orders) as TableSource,
    customers: asSource(input.customers),
    interactions: asSource(input.interactions),
    today: opts.today,
  };
  opts.onPhase?.("clean");
  const analysis = analyze(input.dataset ?? readDataset(tables, settings), settings, {
    history: history.snapshots,
    historyBefore: store?.before,
    onPhase: opts.onPhase,
    customersSource: tables.customers,
  });
  const historyIssues = store ? store.issues() : history.issues;
  const issues = [...fromSheet.issues, ...historyIssues, ...analysis.issues];
  // assigned, not spread: a spread would make every customer's row (pipeline.ts withCustomerRows)
  const full: Analysis = Object.assign(analysis, { issues });
  // the workbook output and the report are built when first read: a run that writes only
  // summary.json never formats 100,000 customers' reasons
  let output: WorkbookOutput | undefined;
  let report: ReportModel | undefined;
  return {
    analysis: full,
    get output() {
      return (output ??= buildWorkbookOutput(full, opts.lang, {
        settingsSheet: settingsSource ? null : settingsSheetModel(settings, opts.lang),
      }));
    },
    get report() {
      return (report ??= buildReport(full, opts.lang));
    },
    summary: buildSummary(full),
    issues,
  };
}
