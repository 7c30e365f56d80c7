/**
 * The analysis as a library (README "Notebook"): tables in, arquero tables and plain data out,
 * from the same `runAnalysis` the add-in and `crm analyze` run. No file system here; reading a
 * file is analysis/node/library.ts.
 *
 * Dates in every returned table are JavaScript `Date` values at midnight UTC of the day (the
 * analysis counts whole days); numbers are numbers. Tables are built column by column from the
 * analysis's own arrays: the orders table shares the typed arrays of the cleaned orders.
 */
import { table, type ColumnTable } from "arquero";
import { runAnalysis, type RunResult, type WorkbookInput } from "./index.js";
import { UnusableInputError, isUnusableInputError } from "./errors.js";
import { dayFromIso } from "./dates.js";
import { CATALOG, t } from "./messages/index.js";
import { CSV_COLUMNS, customerCsvRow } from "./output/customers.js";
import { ISSUE_CSV_COLUMNS, issueRows } from "./output/issues.js";
import type { DeepPartial, Settings } from "./settings.js";
import type { Summary } from "./output/summary.js";
import type { Cell, Lang, RawTable, TableSource } from "./types.js";

export { UnusableInputError, isUnusableInputError };
export type { DeepPartial, Settings, Summary, Lang, ColumnTable };

/** A vega-lite specification, as plain JSON data. */
export type VegaLiteSpec = Record<string, unknown>;

/**
 * A table given to {@link analyzeTables}: an arquero table, an array of row objects (keys are
 * the headers), or a table already read by this project (a `RawTable` or a `TableSource`).
 * Cells may be numbers, text, `Date`s, booleans or empty (`null`/`undefined`).
 */
export type TableInput = ColumnTable | Record<string, unknown>[] | RawTable | TableSource;

/** The tables {@link analyzeTables} reads; only `orders` is required (SPEC §3 headers). */
export interface TablesInput {
  /** 订单 Orders: one row per order or line item. */
  orders: TableInput;
  /** 客户 Customers: names, owner, region, industry, stage overrides. */
  customers?: TableInput | null;
  /** 联系记录 Interactions: contacts and planned next contacts. */
  interactions?: TableInput | null;
  /** A 设置 Settings sheet's table (its settings are used, then `settings` on top). */
  settings?: TableInput | null;
}

/** Options of {@link analyzeTables} and {@link analyzeFile}. */
export interface AnalyzeOptions {
  /**
   * The as-of date: a `Date` (its UTC day) or "YYYY-MM-DD". Default: the latest order date up
   * to today, as `crm analyze`.
   */
  asOf?: Date | string;
  /** Language of text values (stage reasons, issue reasons) and of error messages; default "en". */
  lang?: Lang;
  /** Settings on top of the defaults and of a Settings table (as `crm analyze`'s flags). */
  settings?: DeepPartial<Settings>;
}

/** What an analysis returns: tables for slicing, the summary and the report's charts. */
export interface AnalysisResult {
  /**
   * One row per customer: the columns of customers.csv (same names, same values; dates as
   * `Date`), then `owner`, `region` and `industry` when the Customers table fills them in.
   */
  customers: ColumnTable;
  /**
   * One row per usable order row after cleaning, rows dated after the as-of date included:
   * `customer_id`, `date` (Date), `amount` (net, cancellations negative), `cost` (when the
   * orders have a Cost column), `order` (a dense number shared by the rows of one order) and
   * `cancelled` (1 for a cancellation, else 0).
   */
  orders: ColumnTable;
  /** The data issues, as data-issues.csv (`source`, `row`, `column`, `value`, `reason`) plus `severity`. */
  issues: ColumnTable;
  /** summary.json, as written by `crm analyze`. */
  summary: Summary;
  /**
   * Each chart of report.html as a vega-lite spec, keyed by a stable name (e.g.
   * "pareto.chart", "rfm.heat.count"). Built when first read.
   */
  readonly charts: Record<string, VegaLiteSpec>;
  /** The settings in force (defaults ← Settings table ← `settings`). */
  settings: Settings;
}

const DAY_MS = 86_400_000;
/** An epoch day as a Date at midnight UTC; null stays null. */
const dateOf = (day: number | null): Date | null => (day === null ? null : new Date(day * DAY_MS));

const isSource = (x: unknown): x is TableSource =>
  typeof (x as TableSource).cell === "function" && "rowCount" in (x as object);
const isRaw = (x: unknown): x is RawTable =>
  Array.isArray((x as RawTable).headers) && Array.isArray((x as RawTable).rows);
const isArquero = (x: unknown): x is ColumnTable =>
  typeof (x as ColumnTable).columnNames === "function" &&
  typeof (x as ColumnTable).numRows === "function";

/** A cell as the reading layer takes it (anything else becomes its text). */
function cellOf(v: unknown): Cell {
  if (v === undefined || v === null) return null;
  if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") return v;
  if (v instanceof Date) return v;
  if (typeof v === "bigint") return Number(v);
  return String(v);
}

/** A table given in memory, as the reading layer's table. */
function rawOf(x: TableInput, name: string): RawTable | TableSource {
  if (isSource(x) || isRaw(x)) return x;
  if (isArquero(x)) {
    const headers = x.columnNames();
    const cols = headers.map((h) => x.array(h) as ArrayLike<unknown>);
    const rows: Cell[][] = Array.from({ length: x.numRows() }, (_, r) =>
      cols.map((c) => cellOf(c[r])),
    );
    return { source: name, headerRow: 1, firstColumn: 1, headers, rows };
  }
  if (Array.isArray(x)) {
    const seen = new Map<string, number>();
    for (const row of x) for (const k of Object.keys(row)) if (!seen.has(k)) seen.set(k, seen.size);
    const headers = [...seen.keys()];
    const rows = x.map((row) => headers.map((h) => cellOf(row[h])));
    return { source: name, headerRow: 1, firstColumn: 1, headers, rows };
  }
  throw new TypeError(`${name}: not a table (an arquero table or an array of row objects)`);
}

/** The as-of option as an epoch day; a TypeError naming the value when it is no date. */
function asOfDay(v: Date | string, lang: Lang): number {
  const d =
    v instanceof Date
      ? Math.floor(v.getTime() / DAY_MS)
      : /^\d{4}-\d{2}-\d{2}$/.test(v)
        ? dayFromIso(v)
        : NaN;
  if (!Number.isFinite(d))
    throw new TypeError(t(lang, { key: "cli.error.asOf", params: { value: String(v) } }));
  return d;
}

/** The run's settings overrides: `settings`, with `asOf` on top. */
export function overridesOf(opts: AnalyzeOptions): DeepPartial<Settings> | undefined {
  const lang = opts.lang ?? "en";
  if (opts.asOf === undefined) return opts.settings;
  return { ...opts.settings, asOf: asOfDay(opts.asOf, lang) };
}

/**
 * Run the analysis on tables read already (the library's core; analyzeFile reads a file and
 * calls this). Unusable input throws {@link UnusableInputError} with its message in `lang`.
 */
export function runTables(
  input: WorkbookInput,
  lang: Lang,
  overrides: DeepPartial<Settings> | undefined,
): AnalysisResult {
  let run: RunResult;
  try {
    run = runAnalysis(input, { lang, overrides });
  } catch (e) {
    if (isUnusableInputError(e)) throw new UnusableInputError(e.msg, e.issues, lang);
    throw e;
  }
  return resultOf(run, lang);
}

/**
 * Analyse tables held in memory, as `crm analyze` analyses a workbook's tables.
 *
 * @example
 * const { customers, summary } = analyzeTables({ orders: [{ 客户ID: "C1", 日期: "2024-01-05", 金额: 120 }] });
 * @throws {UnusableInputError} when the orders cannot be analysed (message in `opts.lang`).
 */
export function analyzeTables(tables: TablesInput, opts: AnalyzeOptions = {}): AnalysisResult {
  const lang = opts.lang ?? "en";
  const overrides = overridesOf(opts);
  const input: WorkbookInput = {
    orders: rawOf(tables.orders, "orders"),
    customers: tables.customers ? rawOf(tables.customers, "customers") : null,
    interactions: tables.interactions ? rawOf(tables.interactions, "interactions") : null,
    settings: tables.settings ? rawOf(tables.settings, "settings") : null,
  };
  return runTables(input, lang, overrides);
}

/** The customers.csv columns whose values are days (Dates here). */
const DATE_COLUMNS = new Set<string>(["first_purchase", "last_purchase", "next_contact"]);
/** Columns of the Customers table carried over when any customer has a value in them. */
const RECORD_COLUMNS = ["owner", "region", "industry"] as const;

function customersTable(run: RunResult, lang: Lang): ColumnTable {
  const a = run.analysis;
  const currency = a.settings.currency;
  const n = a.customers.length;
  const cols: unknown[][] = CSV_COLUMNS.map(() => new Array<unknown>(n));
  const dateAt = CSV_COLUMNS.map((c) => DATE_COLUMNS.has(c));
  const days = (i: number) => {
    const c = a.customers[i];
    return [c.firstPurchase, c.lastPurchase, c.nextContact];
  };
  for (let i = 0; i < n; i++) {
    const row = customerCsvRow(a.customers[i], lang, currency);
    const [first, last, next] = days(i);
    for (let k = 0; k < row.length; k++) {
      const col = CSV_COLUMNS[k];
      cols[k][i] = dateAt[k]
        ? dateOf(col === "first_purchase" ? first : col === "last_purchase" ? last : next)
        : (row[k] ?? null);
    }
  }
  const data: Record<string, unknown[]> = {};
  CSV_COLUMNS.forEach((c, k) => (data[c] = cols[k]));
  const records = a.dataset.records;
  for (const key of RECORD_COLUMNS) {
    const values = new Array<string | null>(n);
    let any = false;
    for (let i = 0; i < n; i++) {
      const v = records[a.customers[i].index]?.[key] || null;
      if (v) any = true;
      values[i] = v;
    }
    if (any) data[key] = values;
  }
  return table(data);
}

function ordersTable(run: RunResult): ColumnTable {
  const ds = run.analysis.dataset;
  const o = ds.orders;
  const n = o.n;
  const ids = new Array<string>(n);
  const dates = new Array<Date>(n);
  for (let i = 0; i < n; i++) {
    ids[i] = ds.customerIds[o.customer[i]];
    dates[i] = new Date(o.day[i] * DAY_MS);
  }
  // the typed arrays of the cleaned orders, shared (subarray copies nothing)
  return table({
    customer_id: ids,
    date: dates,
    amount: o.amount.subarray(0, n),
    ...(o.cost ? { cost: o.cost.subarray(0, n) } : {}),
    order: o.order.subarray(0, n),
    cancelled: o.cancelled.subarray(0, n),
  });
}

function issuesTable(run: RunResult, lang: Lang): ColumnTable {
  const rows = issueRows(run.issues, lang);
  const data: Record<string, unknown[]> = {};
  ISSUE_CSV_COLUMNS.forEach((c, k) => (data[c] = rows.map((r) => r[k] ?? null)));
  data.severity = run.issues.map((i) => i.severity);
  return table(data);
}

/** A figure's title back to its message key, for a name that does not depend on the language. */
function figureKeys(lang: Lang): Map<string, string> {
  const byText = new Map<string, string>();
  for (const [key, text] of Object.entries(CATALOG[lang]))
    if (!byText.has(text)) byText.set(text, key);
  return byText;
}

/** Every figure of the report, keyed by its title's message key (without ".title"). */
export function reportCharts(run: RunResult, lang: Lang): Record<string, VegaLiteSpec> {
  const keys = figureKeys(lang);
  const charts: Record<string, VegaLiteSpec> = {};
  for (const section of run.report.sections) {
    let n = 0;
    for (const item of section.items) {
      if (item.kind !== "figure") continue;
      n++;
      const key = keys.get(item.title)?.replace(/\.title$/, "") ?? `${section.id}.figure${n}`;
      let name = key;
      for (let k = 2; name in charts; k++) name = `${key}-${k}`;
      charts[name] = item.spec;
    }
  }
  return charts;
}

function resultOf(run: RunResult, lang: Lang): AnalysisResult {
  let charts: Record<string, VegaLiteSpec> | undefined;
  return {
    customers: customersTable(run, lang),
    orders: ordersTable(run),
    issues: issuesTable(run, lang),
    summary: run.summary,
    get charts() {
      return (charts ??= reportCharts(run, lang));
    },
    settings: run.analysis.settings,
  };
}
