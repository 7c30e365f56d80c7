/**
 * The order aggregation in SQL (issue 19 §1): the SQL text that turns an order source (a table,
 * a subquery, read_csv(…) / read_parquet(…)) into the order summary of summary.ts, one row per
 * customer, with the reading rules of clean.ts reproduced row by row. Pure text building: the
 * engines (analysis/node/engine-duckdb.ts, engine-postgres.ts) run it.
 *
 * Three queries, each one statement over the same row-level CTEs:
 * 1. checkQuery: counts of skipped rows and warnings by reason (the keys clean.ts uses), their
 *    first MAX_EXAMPLES examples with row numbers, rows read and used, the latest usable day
 *    (the default as-of date), and whether the "C" prefix of order IDs is a numbering scheme
 *    (every usable row with an order ID has it). It must run first: the aggregation needs A.
 * 2. summaryQuery: the per-customer summary (SUMMARY_COLUMNS), ordered by first row.
 * 3. repeatDaysQuery: per day, the repeat purchase days of the calibration customers.
 * Each can run on its own. An engine that may keep tables stores the intermediate rows once
 * instead — checkedRowsQuery (the rows with their checks), orderRowsQuery (the usable rows,
 * cancellations settled), purchaseDaysQuery (per customer and day) — and names them in
 * OrderSourceSql.checked, SummaryParams.orderRows and .purchaseDays (what Postgres does when it
 * may); the results are the same. DuckDB has its own two passes (the section at the end, which
 * uses its aggregates): scanChecksQuery (checkQuery's result in one pass over the source), then
 * customersQuery, one row per customer stored for summaryFromCustomers and
 * repeatDaysFromCustomers; the rows are read twice from a Parquet file, a CSV's are checked into
 * checkedRowsQuery's table once. Before all of it the engine may run dateOrderQuery (the
 * day/month order of the whole column, as clean.ts) and sampleQuery.
 *
 * Reading rules (clean.ts is the truth; each is named where it is written below):
 * - texts are trimmed as JavaScript's String.prototype.trim does; a row whose order columns are
 *   all blank is ignored (not read); the customer ID's checks run in clean.ts's order (blank,
 *   longer than 1,000 characters — counted in code points here, UTF-16 units there —, Excel
 *   error, U+FFFD), then the date's, then the amount's;
 * - text dates: yyyymmdd, year first (- / .), year last per the day/month order given (the
 *   engine decides it as clean.ts does, see dateOrderQuery), each optionally followed by a time
 *   of day, which is dropped; typed DATE / TIMESTAMP values directly;
 * - text numbers: plain or with regular groups of three ("1,234.50"; with decimalComma
 *   "1.234,50"); what else the in-memory reader accepts (currency signs, full-width digits,
 *   "(12)") is unreadable here: the engine keeps such files on the in-memory reader;
 * - quantity × unit price: a factor beyond 1e154 makes the amount too large (the product
 *   would overflow; the in-memory path multiplies first and may find a small product).
 */
import { DIALECT_SQL, type Dialect, type DialectSql } from "./dialect.js";
import type { Settings } from "../settings.js";

/** How the engine typed a column: text is parsed by the rules above, the others cast. */
export const SQL_KINDS = ["text", "integer", "float", "date", "timestamp"] as const;
export type SqlKind = (typeof SQL_KINDS)[number];

export interface SqlColumn {
  /** The column's name in the source (quoted in the SQL, shown in data issues). */
  name: string;
  kind: SqlKind;
}

/** The order table's roles (headers.ts ORDER_COLUMNS), as matched on the source's columns. */
export interface OrderColumnsSql {
  customerId: SqlColumn;
  date: SqlColumn;
  /** The amount; without it quantity × unit price. */
  amount: SqlColumn | null;
  quantity: SqlColumn | null;
  unitPrice: SqlColumn | null;
  orderId: SqlColumn | null;
  cost: SqlColumn | null;
}

export interface OrderSourceSql {
  /** What follows FROM: a table name, "(SELECT …) AS q", "read_parquet('…')". */
  relation: string;
  /** SQL giving each row's 1-based data row in file order; null when unknown (a table). */
  rowNumber: string | null;
  /**
   * A table holding checkedRowsQuery's result for this source, when the engine stored it once
   * (DuckDB: the row checks then run once, not in each query); the queries read it instead.
   */
  checked?: string | null;
  columns: OrderColumnsSql;
}

export interface ReadRulesSql {
  /** Latest plausible order day: today + 1 under the default as-of date, else LAST_DAY. */
  lastOrderDay: number;
  dateOrder: "mdy" | "dmy";
  decimalComma: boolean;
}

/**
 * The reading rules as settings give them (clean.ts's newContext): the latest plausible order
 * day (the run's date + 1 when no as-of date is set), and the fallback day/month order, which
 * an engine replaces by the order it finds in a text date column.
 */
export function readRules(
  settings: Pick<Settings, "asOf" | "dateOrder" | "dateOrderFallback" | "decimalComma">,
  today: number,
): ReadRulesSql {
  return {
    lastOrderDay: settings.asOf === null ? Math.min(today + 1, SQL_LAST_DAY) : SQL_LAST_DAY,
    dateOrder: settings.dateOrder === "auto" ? settings.dateOrderFallback : settings.dateOrder,
    decimalComma: settings.decimalComma,
  };
}

/** Examples per reason the check query returns (clean.ts lists every row; a database cannot). */
export const MAX_EXAMPLES = 20;
/** clean.ts's bounds (kept equal by test/node/engine-duckdb.test.ts). */
export const SQL_MAX_AMOUNT = 1e15;
export const SQL_MAX_ID_LENGTH = 1000;
export const SQL_FIRST_DAY = -25567; // 1900-01-01
export const SQL_LAST_DAY = 2932896; // 9999-12-31

/** The summary's columns, in order (issue19-contract.md). */
export const SUMMARY_COLUMNS = [
  "customer_id",
  "first_row",
  "rows",
  "first_purchase",
  "last_purchase",
  "orders",
  "amount",
  "cost",
  "rev_recent",
  "rev_previous",
  "rev_90d",
  "rev_prev_90d",
  "median_gap",
  "tx_first_day",
  "tx_days",
  "tx_last_day",
  "tx_total",
  "tx_first_spend",
  "holdout_days",
] as const;
export type SummaryColumn = (typeof SUMMARY_COLUMNS)[number];

/** Kinds of the check query's rows (column `kind`). */
export const CHECK_KINDS = { count: "count", example: "example", figure: "figure" } as const;
/** Figures of the check query (column `reason` of its `figure` rows). */
export const CHECK_FIGURES = [
  "rows_read",
  "rows_used",
  "max_day",
  "id_rows",
  "c_rows",
  "after_as_of",
] as const;
export type CheckFigure = (typeof CHECK_FIGURES)[number];

/** Reasons that skip a row; the others of the check query are warnings. */
export const SKIP_REASONS = [
  "reading.missingCustomerId",
  "reading.idTooLong",
  "reading.errorValue",
  "reading.badEncodingId",
  "reading.missingDate",
  "reading.badDate",
  "reading.futureDate",
  "reading.implausibleDate",
  "reading.missingAmount",
  "reading.badAmount",
  "reading.missingQuantity",
  "reading.badQuantity",
  "reading.missingUnitPrice",
  "reading.badUnitPrice",
  "reading.amountTooLarge",
] as const;
export const WARNING_REASONS = [
  "reading.missingOrderId",
  "reading.badCost",
  "reading.costTooLarge",
] as const;

/** JavaScript's String.prototype.trim set (clean.ts trims IDs and texts with it). */
const JS_SPACE =
  "\t\n\u000b\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff";

/** The digits as SQL texts (a list lookup: BETWEEN '0' AND '9' would follow a database's collation). */
const DIGITS = "0123456789".split("").map((x) => `'${x}'`);

/** Excel's error texts (values.ts isExcelError). */
const EXCEL_ERRORS = [
  "#N/A",
  "#VALUE!",
  "#REF!",
  "#DIV/0!",
  "#NUM!",
  "#NAME?",
  "#NULL!",
  "#SPILL!",
  "#CALC!",
  "#GETTING_DATA",
  "#FIELD!",
  "#BLOCKED!",
  "#CONNECT!",
  "#BUSY!",
  "#UNKNOWN!",
  "#PYTHON!",
];

// Text shapes, matched whole (dialect.matches anchors them).
const TIME_CHARS = "0-9:.,+ZzAaPpMm \t-";
/** A time of day after the date: T or a space, then time characters with a digit among them. */
const TAIL = `([Tt \t][${TIME_CHARS}]*[0-9][${TIME_CHARS}]*)?`;
const SEPARATED = "(-[0-9]{1,2}-|/[0-9]{1,2}/|[.][0-9]{1,2}[.])";
export const DATE_SHAPES = {
  ymd8: `[0-9]{8}${TAIL}`,
  yearFirst: `[0-9]{4}${SEPARATED}[0-9]{1,2}${TAIL}`,
  yearLast: `[0-9]{1,2}${SEPARATED}([0-9]{4}|[0-9]{2})${TAIL}`,
} as const;
export const NUMBER_SHAPES = {
  plain: "[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?",
  grouped: "[+-]?[0-9]{1,3}(,[0-9]{3})+([.][0-9]*)?",
  plainComma: "[+-]?([0-9]+,?[0-9]*|,[0-9]+)([eE][+-]?[0-9]+)?",
  groupedComma: "[+-]?[0-9]{1,3}([.][0-9]{3})+(,[0-9]*)?",
} as const;

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;
export const quoteText = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** A number literal the SQL can take back as a double or integer. */
const lit = (x: number): string => (Number.isInteger(x) ? String(x) : x.toExponential());

// ---------------------------------------------------------------------------------------------
// Per-value expressions

/** Trimmed text of a column ('' when NULL). */
function textOf(d: DialectSql, c: SqlColumn | null, x = c ? quoteIdent(c.name) : ""): string {
  if (!c) return "''";
  if (c.kind === "text") return `coalesce(${d.trim(x, quoteText(JS_SPACE))}, '')`;
  if (c.kind === "date") return `coalesce(${d.toText(`CAST(${x} AS DATE)`)}, '')`;
  return `coalesce(${d.toText(x)}, '')`;
}

/** A column's number (NULL when unreadable) from its text t (text columns) or its value. */
function numberOf(d: DialectSql, c: SqlColumn | null, t: string, decimalComma: boolean): string {
  if (!c) return "NULL";
  if (c.kind === "integer" || c.kind === "float") return d.finiteDouble(quoteIdent(c.name));
  if (c.kind !== "text") return "NULL";
  const s = NUMBER_SHAPES;
  if (!decimalComma)
    return `CASE WHEN ${d.matches(t, quoteText(s.plain))} THEN ${d.textToDouble(t)} WHEN ${d.matches(t, quoteText(s.grouped))} THEN ${d.textToDouble(`replace(${t}, ',', '')`)} END`;
  return `CASE WHEN ${d.matches(t, quoteText(s.plainComma))} THEN ${d.textToDouble(`replace(${t}, ',', '.')`)} WHEN ${d.matches(t, quoteText(s.groupedComma))} THEN ${d.textToDouble(`replace(replace(${t}, '.', ''), ',', '.')`)} END`;
}

/**
 * True when t is one of Excel's error texts. The CASE looks up only texts starting with "#"
 * (DuckDB turned `… AND upper(t) IN (…)` into a join over every row: 0.15 s per million).
 */
const excelError = (d: DialectSql, t: string): string =>
  `(CASE WHEN substr(${t}, 1, 1) = '#' THEN ${d.inTexts(`upper(${t})`, EXCEL_ERRORS.map(quoteText))} ELSE FALSE END)`;

/** Epoch day of y-m-d (dates.ts daysFromCivil), NULL unless the date exists (year 1..9999). */
function civilDay(d: DialectSql, y: string, m: string, dd: string): string {
  const yy = `(${y} - CASE WHEN ${m} <= 2 THEN 1 ELSE 0 END)`;
  const era = d.idiv(yy, "400");
  const yoe = `(${yy} - ${era} * 400)`;
  const mp = `(CASE WHEN ${m} > 2 THEN ${m} - 3 ELSE ${m} + 9 END)`;
  const doy = `(${d.idiv(`153 * ${mp} + 2`, "5")} + ${dd} - 1)`;
  const doe = `(${yoe} * 365 + ${d.idiv(yoe, "4")} - ${d.idiv(yoe, "100")} + ${doy})`;
  const leap = `((${y} % 4 = 0 AND ${y} % 100 <> 0) OR ${y} % 400 = 0)`;
  const dim = `CASE WHEN ${m} = 2 THEN CASE WHEN ${leap} THEN 29 ELSE 28 END WHEN ${m} IN (4, 6, 9, 11) THEN 30 ELSE 31 END`;
  return `CASE WHEN ${y} BETWEEN 1 AND 9999 AND ${m} BETWEEN 1 AND 12 AND ${dd} BETWEEN 1 AND ${dim} THEN ${era} * 146097 + ${doe} - 719468 END`;
}

// ---------------------------------------------------------------------------------------------
// The row-level CTEs

/**
 * CTEs `src` → … → `chk` (every non-blank row: rn, id, day, a, oid, cprefix, cost_v, reason,
 * reason_col, reason_value, warn, warn_col, warn_value) and `u` (the usable rows). Ends with a
 * comma-free CTE list: callers append ", name AS (…)" and a final SELECT.
 */
export function rowCtes(src: OrderSourceSql, rules: ReadRulesSql, dialect: Dialect): string {
  const inline = DIALECT_SQL[dialect].inline;
  if (src.checked)
    // the usable rows' values are stored with the checks (checkedRowsQuery)
    return `chk AS ${inline}(SELECT * FROM ${src.checked}),
u AS ${inline}(
  SELECT rn, ${STORED_ROW.join(", ")}
  FROM chk
  WHERE reason IS NULL
)`;
  const all = checkCtes(src, rules, dialect);
  return `${all.chk},\n${all.u}`;
}

/** The usable rows' values (u's columns but rn), as checkedRowsQuery stores them. */
const STORED_ROW = ["id", "day", "a", "oid", "cprefix", "cost_v"] as const;

/**
 * The rows with their checks (rn, reason, reason_col, reason_value, warn_oid, warn_cost, cost_t:
 * what the check query reads) and, in the same pass, what u reads from a usable row (STORED_ROW;
 * NULL in the others): see OrderSourceSql.checked. The texts of the IDs are not kept twice.
 */
export function checkedRowsQuery(
  src: OrderSourceSql,
  rules: ReadRulesSql,
  dialect: Dialect,
): string {
  const all = checkCtes(src, rules, dialect);
  const ctes = all.chk.replace(/chk AS \w* ?\(/, "chk AS (");
  const stored = STORED_ROW.map(
    (name) => `CASE WHEN reason IS NULL THEN ${all.uCols[name]} END AS ${name}`,
  ).join(",\n  ");
  return `WITH ${ctes}\nSELECT rn, reason, reason_col, reason_value, warn_oid, warn_cost, cost_t,\n  ${stored}\nFROM chk`;
}

function checkCtes(
  src: OrderSourceSql,
  rules: ReadRulesSql,
  dialect: Dialect,
  materialize = true,
  present: ReadonlySet<string> | null = null,
): { chk: string; u: string; sample: string; uCols: Record<string, string> } {
  const d = DIALECT_SQL[dialect];
  const c = src.columns;
  const dc = rules.decimalComma;
  const rn = src.rowNumber ?? "CAST(NULL AS BIGINT)";
  const dateCol = c.date;
  const typedDate = dateCol.kind === "date" || dateCol.kind === "timestamp";
  const direct = typedDate ? d.epochDay(quoteIdent(dateCol.name)) : "CAST(NULL AS INTEGER)";
  const cols = (k: keyof OrderColumnsSql) => c[k];
  // A typed date or number column's text is only shown (a data issue's value, the sample):
  // the rows carry its value (date_r …) and txt() makes the text where it is shown — writing
  // every row's number as text took 0.1 s per million rows
  const shownOnly: Record<string, SqlColumn | null> = {
    // (an integer date, yyyymmdd, is parsed from its text)
    date_t: typedDate ? dateCol : null,
    amt_t: c.amount,
    qty_t: c.quantity,
    price_t: c.unitPrice,
    cost_t: c.cost,
  };
  const rawOf = (t: string) => t.replace(/_t$/, "_r");
  const isShownOnly = (t: string) => {
    const col = shownOnly[t];
    return col !== undefined && col !== null && col.kind !== "text";
  };
  const txt = (t: string) => (isShownOnly(t) ? textOf(d, shownOnly[t], rawOf(t)) : t);
  const textCol = (t: string, col: SqlColumn | null) =>
    isShownOnly(t) ? `${quoteIdent(col!.name)} AS ${rawOf(t)}` : `${textOf(d, col)} AS ${t}`;
  const s0 = [
    `${rn} AS rn`,
    `${textOf(d, c.customerId)} AS id_t`,
    textCol("date_t", dateCol),
    `${direct} AS day_direct`,
    // a plain ISO date read at once where the engine can (DuckDB); the others parsed below
    `${!typedDate && d.isoDay ? d.isoDay(textOf(d, dateCol)) : "CAST(NULL AS INTEGER)"} AS day_iso`,
    textCol("amt_t", cols("amount")),
    textCol("qty_t", cols("quantity")),
    textCol("price_t", cols("unitPrice")),
    `${textOf(d, cols("orderId"))} AS oid_t`,
    textCol("cost_t", cols("cost")),
  ];
  // A typed column's text is made only for the data issues: blank means NULL there
  const texts: [string, SqlColumn | null][] = [
    ["id_t", c.customerId],
    ["date_t", dateCol],
    ["amt_t", c.amount],
    ["qty_t", c.quantity],
    ["price_t", c.unitPrice],
    ["oid_t", c.orderId],
  ];
  const typed = new Set<string>();
  for (const [t, col] of texts)
    if (col && col.kind !== "text") {
      typed.add(t);
      s0.push(`${quoteIdent(col.name)} IS NULL AS ${t.replace(/_t$/, "_null")}`);
    }
  const blankOf = (t: string) => (typed.has(t) ? t.replace(/_t$/, "_null") : `${t} = ''`);
  if (c.amount && c.amount.kind !== "text") s0.push(`${numberOf(d, c.amount, "", dc)} AS amt_n`);
  if (c.quantity && c.quantity.kind !== "text")
    s0.push(`${numberOf(d, c.quantity, "", dc)} AS qty_n`);
  if (c.unitPrice && c.unitPrice.kind !== "text")
    s0.push(`${numberOf(d, c.unitPrice, "", dc)} AS price_n`);
  if (c.cost && c.cost.kind !== "text") s0.push(`${numberOf(d, c.cost, "", dc)} AS cost_n`);
  const num = (col: SqlColumn | null, t: string, n: string) =>
    col ? (col.kind === "text" ? numberOf(d, col, t, dc) : n) : "CAST(NULL AS DOUBLE)";
  const dbl = d.double;
  // s1: numbers and the date text's shape
  const shape = typedDate
    ? "0"
    : `CASE WHEN day_iso IS NOT NULL THEN 0 WHEN ${d.matches("date_t", quoteText(DATE_SHAPES.ymd8))} THEN 1 WHEN ${d.matches("date_t", quoteText(DATE_SHAPES.yearFirst))} THEN 2 WHEN ${d.matches("date_t", quoteText(DATE_SHAPES.yearLast))} THEN 3 ELSE 0 END`;
  const amountOf = c.amount
    ? "amt_v"
    : // quantity × unit price; factors beyond 1e154 would overflow (module comment)
      `CASE WHEN abs(qty_v) < 1e154 AND abs(price_v) < 1e154 THEN qty_v * price_v ELSE CAST('Infinity' AS ${dbl}) END`;
  // the date part: before the first T or space, separators made "-"
  const dp = "dp";
  const part = (k: number) => `CAST(split_part(${dp}, '-', ${k}) AS INTEGER)`;
  const yearLast = `CASE WHEN length(split_part(${dp}, '-', 3)) = 2 THEN CASE WHEN ${part(3)} < 30 THEN 2000 + ${part(3)} ELSE 1900 + ${part(3)} END ELSE ${part(3)} END`;
  const [p1, p2] = rules.dateOrder === "mdy" ? [part(1), part(2)] : [part(2), part(1)];
  const ymd8 = (a: number, n: number) => `CAST(substr(date_t, ${a}, ${n}) AS INTEGER)`;
  const ok = `reason IS NULL`;
  const tooLarge = (x: string) => `NOT (abs(${x}) <= ${lit(SQL_MAX_AMOUNT)})`;
  const unreadable = (t: string, what: string) =>
    typed.has(t)
      ? `CASE WHEN ${blankOf(t)} THEN 'reading.missing${what}' ELSE 'reading.bad${what}' END`
      : `CASE WHEN ${blankOf(t)} THEN 'reading.missing${what}' WHEN ${excelError(d, t)} THEN 'reading.errorValue' ELSE 'reading.bad${what}' END`;
  const priceText = c.amount ? "amt_t" : "price_t";
  // a blank row: every cell blank once trimmed. DuckDB first rules out, cheaply, the rows with
  // a text cell that starts with a visible ASCII character (never blank, `seen`): the filter is
  // pushed below the trims, which it would otherwise work out a second time (at 1,000,000 rows
  // 0.12 of the checks' 0.65 CPU-s). (PostgreSQL compares texts by its collation: not there.)
  const visible = (col: SqlColumn) =>
    `coalesce(${quoteIdent(col.name)} >= '!' AND ${quoteIdent(col.name)} < chr(128), FALSE)`;
  const seen = texts
    .filter(([t, col]) => col && col.kind === "text" && !typed.has(t))
    .map(([, col]) => visible(col!));
  if (dialect === "duckdb" && seen.length > 0) s0.push(`(${seen.join(" OR ")}) AS seen`);
  const blankRow = ["id_t", "date_t", "amt_t", "qty_t", "price_t", "oid_t"]
    .map(blankOf)
    .join(" AND ");
  // (as "seen OR NOT …": DuckDB then trims only the rows not seen; "NOT (NOT seen AND …)" it did not)
  const notBlank = `${dialect === "duckdb" && seen.length > 0 ? "seen OR " : ""}NOT (${blankRow})`;
  // reason (a skip) in clean.ts's order, with its column and the cell's text
  const reasons: [string, string, string, string][] = [
    ["id_t = ''", "'reading.missingCustomerId'", c.customerId.name, "id_t"],
    [`length(id_t) > ${SQL_MAX_ID_LENGTH}`, "'reading.idTooLong'", c.customerId.name, "id_t"],
    [excelError(d, "id_t"), "'reading.errorValue'", c.customerId.name, "id_t"],
    [`strpos(id_t, '\uFFFD') > 0`, "'reading.badEncodingId'", c.customerId.name, "id_t"],
    ["day IS NULL", unreadable("date_t", "Date"), dateCol.name, "date_t"],
    [
      `day > ${rules.lastOrderDay} AND day <= ${SQL_LAST_DAY}`,
      "'reading.futureDate'",
      dateCol.name,
      "date_t",
    ],
    [
      `day < ${SQL_FIRST_DAY} OR day > ${rules.lastOrderDay}`,
      "'reading.implausibleDate'",
      dateCol.name,
      "date_t",
    ],
  ];
  if (c.amount)
    reasons.push(["amt_v IS NULL", unreadable("amt_t", "Amount"), c.amount.name, "amt_t"]);
  else {
    reasons.push([
      "qty_v IS NULL",
      unreadable("qty_t", "Quantity"),
      c.quantity?.name ?? "",
      "qty_t",
    ]);
    reasons.push([
      "price_v IS NULL",
      unreadable("price_t", "UnitPrice"),
      c.unitPrice?.name ?? "",
      "price_t",
    ]);
  }
  reasons.push([
    tooLarge("a"),
    "'reading.amountTooLarge'",
    (c.amount ?? c.unitPrice)?.name ?? "",
    priceText,
  ]);
  // only the checks that skipped a row in the check query, when it ran on the same source: a
  // check that skipped none decides no row's reason (the first check to hold gives it)
  const kept = present
    ? reasons.filter((r) => [...r[1].matchAll(/'(reading\.\w+)'/g)].some((m) => present.has(m[1])))
    : reasons;
  const caseOf = (pick: (r: (typeof reasons)[number]) => string) =>
    kept.length === 0
      ? "CAST(NULL AS VARCHAR)"
      : `CASE ${kept.map((r) => `WHEN ${r[0]} THEN ${pick(r)}`).join(" ")} END`;
  const costCol = c.cost;
  // warnings of usable rows: a blank order ID, a cost read as 0 (both may hold for one row)
  const oidWarn = c.orderId
    ? `CASE WHEN oid_t = '' THEN 'reading.missingOrderId' END`
    : "CAST(NULL AS VARCHAR)";
  const costWarn = costCol
    ? `CASE WHEN cost_v IS NULL THEN 'reading.badCost' WHEN ${tooLarge("cost_v")} THEN 'reading.costTooLarge' END`
    : "CAST(NULL AS VARCHAR)";
  const chk = `src AS (
  SELECT ${s0.join(",\n    ")}
  FROM ${src.relation}
),
s1 AS (
  SELECT src.*,
    ${num(c.amount, "amt_t", "amt_n")} AS amt_v,
    ${num(c.quantity, "qty_t", "qty_n")} AS qty_v,
    ${num(c.unitPrice, "price_t", "price_n")} AS price_v,
    ${num(costCol, "cost_t", "cost_n")} AS cost_v,
    ${shape} AS shape,
    ${typedDate ? "''" : `CASE WHEN day_iso IS NULL THEN translate(regexp_replace(date_t, '[Tt \t].*$', ''), '/.', '--') END`} AS dp
  FROM src
  WHERE ${notBlank}
),
s2 AS (
  SELECT s1.*,
    ${
      typedDate
        ? "CAST(NULL AS INTEGER) AS dy, CAST(NULL AS INTEGER) AS dm, CAST(NULL AS INTEGER) AS dd"
        : `CASE shape WHEN 1 THEN ${ymd8(1, 4)} WHEN 2 THEN ${part(1)} WHEN 3 THEN ${yearLast} END AS dy,
    CASE shape WHEN 1 THEN ${ymd8(5, 2)} WHEN 2 THEN ${part(2)} WHEN 3 THEN ${p1} END AS dm,
    CASE shape WHEN 1 THEN ${ymd8(7, 2)} WHEN 2 THEN ${part(3)} WHEN 3 THEN ${p2} END AS dd`
    }
  FROM s1
),
s3 AS (
  SELECT s2.*,
    ${typedDate ? "day_direct" : `coalesce(day_iso, ${(d.civil ?? ((y, m, dd) => civilDay(d, y, m, dd)))("dy", "dm", "dd")})`} AS day,
    ${amountOf} AS a
  FROM s2
),
chk0 AS (
  SELECT s3.*, ${caseOf((r) => r[1])} AS reason FROM s3
),
chk AS ${materialize ? d.materialized : d.inline}(
  SELECT rn, id_t, day, a, oid_t, cost_v, reason,
    -- the column and text of a skipped row's problem (looked for only in those rows)
    CASE WHEN reason IS NOT NULL THEN ${caseOf((r) => quoteText(r[2]))} END AS reason_col,
    CASE WHEN reason IS NOT NULL THEN ${caseOf((r) => txt(r[3]))} END AS reason_value,
    ${oidWarn} AS warn_oid,
    ${costWarn} AS warn_cost,
    ${isShownOnly("cost_t") ? `CASE WHEN ${costWarn} IS NOT NULL THEN ${txt("cost_t")} END` : "cost_t"} AS cost_t
  FROM chk0
)`;
  const uCols: Record<string, string> = {
    id: `CASE WHEN strpos(id_t, '.') > 0 AND ${d.matches("id_t", "'[0-9]+[.]0+'")} THEN split_part(id_t, '.', 1) ELSE id_t END`,
    day: "CAST(day AS INTEGER)",
    a: "a",
    oid: "CASE WHEN oid_t = '' THEN NULL ELSE oid_t END",
    // a CASE: the digit's lookup only for IDs starting with C (an AND ran it on every row, which
    // took 0.6 of the 1.7 CPU-s of DuckDB's row checks at 10,000,000 rows)
    cprefix: `CASE WHEN ${d.startsWith("oid_t", "'C'")} OR ${d.startsWith("oid_t", "'c'")} THEN ${d.inTexts("substr(oid_t, 2, 1)", DIGITS)} ELSE FALSE END`,
    cost_v: `CASE WHEN cost_v IS NULL OR ${tooLarge("cost_v")} THEN 0 ELSE cost_v END`,
  };
  const u = `u AS (
  SELECT rn, ${STORED_ROW.map((name) => `${uCols[name]} AS ${name}`).join(",\n    ")}
  FROM chk
  WHERE ${ok}
)`;
  const fix = (x: string) =>
    x
      .replace(
        /CAST\(NULL AS VARCHAR\)/g,
        `CAST(NULL AS ${dialect === "postgres" ? "text" : "VARCHAR"})`,
      )
      .replace(/AS DOUBLE\)/g, `AS ${dbl})`);
  const sample = `rn, id_t, ${txt("date_t")} AS date_t, CAST(day AS INTEGER) AS day, ${["amt_t", "qty_t", "price_t", "cost_t"].map((t) => `${txt(t)} AS ${t}`).join(", ")}, amt_v, qty_v, price_v, cost_v`;
  return { chk: fix(chk), u: fix(u), sample, uCols };
}

// ---------------------------------------------------------------------------------------------
// The queries

/**
 * Counts by reason, the first examples, and the figures. One result set of
 * (kind, reason, col, rn, value, n): kind "count" (reason, n), "example" (reason, col, rn,
 * value), "figure" (reason = the figure's name, n; NULL n for an unknown max_day). With asOf
 * given, after_as_of counts the usable rows after it (with the default as-of date, the latest
 * day, there are none).
 */
export function checkQuery(
  src: OrderSourceSql,
  rules: ReadRulesSql,
  dialect: Dialect,
  asOf: number | null,
): string {
  const big = DIALECT_SQL[dialect].bigint;
  const text = dialect === "postgres" ? "text" : "VARCHAR";
  const usable = "reason IS NULL";
  const examples = (flag: string, col: string, value: string, where: string) => `
  SELECT 'example' AS kind, ${flag} AS reason, ${col} AS col, rn, ${value} AS value, CAST(NULL AS ${big}) AS n
  FROM (
    SELECT ${flag}, ${col}, rn, ${value}, row_number() OVER (PARTITION BY ${flag} ORDER BY rn) AS k
    FROM chk WHERE ${where}
  ) e
  WHERE k <= ${MAX_EXAMPLES}`;
  const c = src.columns;
  const parts = [
    `SELECT 'count' AS kind, reason, CAST(NULL AS ${text}) AS col, CAST(NULL AS ${big}) AS rn, CAST(NULL AS ${text}) AS value, count(*) AS n
FROM chk WHERE reason IS NOT NULL GROUP BY reason`,
    examples("reason", "reason_col", "reason_value", "reason IS NOT NULL"),
  ];
  if (c.orderId)
    parts.push(
      `SELECT 'count', warn_oid, NULL, NULL, NULL, count(*) FROM chk WHERE ${usable} AND warn_oid IS NOT NULL GROUP BY warn_oid`,
      examples("warn_oid", quoteText(c.orderId.name), "''", `${usable} AND warn_oid IS NOT NULL`),
    );
  if (c.cost)
    parts.push(
      `SELECT 'count', warn_cost, NULL, NULL, NULL, count(*) FROM chk WHERE ${usable} AND warn_cost IS NOT NULL GROUP BY warn_cost`,
      examples(
        "warn_cost",
        quoteText(c.cost.name),
        "cost_t",
        `${usable} AND warn_cost IS NOT NULL`,
      ),
    );
  const none = "count(CASE WHEN 1 = 0 THEN 1 END)";
  // the figures of the usable rows in one pass over them (fig), then one result row each
  const figures: [CheckFigure, string][] = [
    ["rows_used", "count(*)"],
    ["max_day", `CAST(max(day) AS ${big})`],
    ["id_rows", "count(oid)"],
    ["c_rows", "count(CASE WHEN cprefix THEN 1 END)"],
    ["after_as_of", asOf === null ? none : `count(CASE WHEN day > ${asOf} THEN 1 END)`],
  ];
  parts.push(
    `SELECT 'figure', 'rows_read', NULL, NULL, NULL, count(*) FROM chk`,
    ...figures.map(([name]) => `SELECT 'figure', '${name}', NULL, NULL, NULL, ${name} FROM fig`),
  );
  return `WITH ${rowCtes(src, rules, dialect)},
fig AS ${DIALECT_SQL[dialect].materialized}(
  SELECT ${figures.map(([name, x]) => `${x} AS ${name}`).join(", ")} FROM u
)
${parts.join("\nUNION ALL\n")}`;
}

export interface SummaryParams {
  asOf: number;
  windowDays: number;
  /** From the check query: id_rows > 0 and c_rows = id_rows. */
  prefixIsNumbering: boolean;
  /**
   * A table holding purchaseDaysQuery's result (per customer and day, the purchases' sum),
   * when the engine stored it once for the summary and the repeat days.
   */
  purchaseDays?: string | null;
  /** A table holding orderRowsQuery's result (the usable rows, cancellations settled). */
  orderRows?: string | null;
}

/** The usable rows with cancellations settled (clean.ts settleCancellations), then per-day purchases. */
function orderCtes(p: SummaryParams, mat: string, inline: string, txcExtra = ""): string {
  if (p.orderRows)
    return `o AS ${inline}(SELECT * FROM ${p.orderRows}),\n${txCtes(p, inline, txcExtra)}`;
  return `o AS ${mat}(
  ${settled(p)}
),
${txCtes(p, inline, txcExtra)}`;
}

/** u's rows with cancellations settled: rn, id, day, oid, cancelled (1/0), amount, cost. */
function settled(p: Pick<SummaryParams, "prefixIsNumbering">): string {
  const cancel = p.prefixIsNumbering ? "a < 0" : "(a < 0 OR cprefix)";
  return `SELECT rn, id, day, oid,
    CASE WHEN ${cancel} THEN 1 ELSE 0 END AS cancelled,
    CASE WHEN ${p.prefixIsNumbering ? "FALSE" : "cprefix"} THEN -abs(a) ELSE a END AS amount,
    CASE WHEN a < 0 THEN -abs(cost_v) WHEN cprefix THEN ${p.prefixIsNumbering ? "abs(cost_v)" : "-abs(cost_v)"} ELSE cost_v END AS cost
  FROM u`;
}

/**
 * Per customer and day the purchases' sum (txd), and per customer their days (txc; with the
 * columns `extra`, ", x AS name …", aggregated over txd).
 */
function txCtes(p: SummaryParams, inline: string, extra = ""): string {
  const txd = p.purchaseDays
    ? `SELECT id, day, spend FROM ${p.purchaseDays}`
    : "SELECT id, day, sum(amount) AS spend FROM o WHERE cancelled = 0 GROUP BY id, day";
  return `txd AS ${p.purchaseDays ? inline : ""}(
  ${txd}
),
txc AS (
  SELECT id, min(day) AS tx_first_day,
    count(CASE WHEN day <= ${p.asOf} THEN 1 END) AS tx_days,
    max(CASE WHEN day <= ${p.asOf} THEN day END) AS tx_last_day,
    coalesce(sum(CASE WHEN day <= ${p.asOf} THEN spend END), 0) AS tx_total,
    count(CASE WHEN day > ${p.asOf} THEN 1 END) AS holdout_days${extra}
  FROM txd GROUP BY id
)`;
}

/**
 * The per-customer summary: SUMMARY_COLUMNS, one row per customer with a usable row, ordered
 * by first row (file order), then customer ID. `hasCost`: the source has a Cost column (else
 * the cost column is NULL).
 */
export function summaryQuery(
  src: OrderSourceSql,
  rules: ReadRulesSql,
  dialect: Dialect,
  p: SummaryParams,
): string {
  const d = DIALECT_SQL[dialect];
  const A = p.asOf;
  const w = p.windowDays;
  const upTo = `day <= ${A}`;
  const sumIf = (cond: string, x = "amount") => `coalesce(sum(CASE WHEN ${cond} THEN ${x} END), 0)`;
  const window = (lo: number, hi: number) =>
    `${upTo} AND ${A} - day >= ${lo} AND ${A} - day < ${hi}`;
  const hasCost = src.columns.cost !== null;
  // the median gap between the distinct purchase days (a purchase is never negative, clean.ts,
  // so txd's days): from a sorted list of them where the engine has one, else a window
  const gl = d.gapList;
  const gapCtes = gl
    ? ""
    : `
gaps AS (
  SELECT id, day - lag(day) OVER (PARTITION BY id ORDER BY day) AS gap FROM txd WHERE ${upTo}
),
med AS (
  SELECT id, ${d.median(`CAST(gap AS ${d.double})`)} AS median_gap FROM gaps WHERE gap IS NOT NULL GROUP BY id
),`;
  return `WITH ${baseCtes(src, rules, dialect, p, gl ? `,\n    ${gl.agg("day", upTo)} AS gl` : "")},
tx1 AS (
  SELECT txc.*, txd.spend AS tx_first_spend
  FROM txc JOIN txd ON txd.id = txc.id AND txd.day = txc.tx_first_day
),${gapCtes}
od AS (
  -- distinct order IDs per customer, as pairs first (a grouped COUNT(DISTINCT) is far slower)
  SELECT id, count(*) AS keyed
  FROM (SELECT DISTINCT id, oid FROM o WHERE cancelled = 0 AND ${upTo} AND oid IS NOT NULL) k
  GROUP BY id
),
per AS (
  SELECT id, min(rn) AS first_row,
    count(CASE WHEN ${upTo} THEN 1 END) AS rows_,
    min(CASE WHEN cancelled = 0 AND ${upTo} THEN day END) AS first_purchase,
    max(CASE WHEN cancelled = 0 AND ${upTo} THEN day END) AS last_purchase,
    count(CASE WHEN cancelled = 0 AND ${upTo} AND oid IS NULL THEN 1 END) AS unkeyed,
    ${sumIf(upTo)} AS amount,
    ${hasCost ? sumIf(upTo, "cost") : `CAST(NULL AS ${d.double})`} AS cost,
    ${sumIf(window(0, w))} AS rev_recent,
    ${sumIf(window(w, 2 * w))} AS rev_previous,
    ${sumIf(window(0, 90))} AS rev_90d,
    ${sumIf(window(90, 180))} AS rev_prev_90d
  FROM o GROUP BY id
)
SELECT per.id AS customer_id, per.first_row, per.rows_ AS rows, per.first_purchase,
  per.last_purchase, per.unkeyed + coalesce(od.keyed, 0) AS orders, per.amount, per.cost, per.rev_recent, per.rev_previous,
  per.rev_90d, per.rev_prev_90d, ${gl ? gl.median("tx1.gl") : "med.median_gap"} AS median_gap, tx1.tx_first_day,
  coalesce(tx1.tx_days, 0) AS tx_days, tx1.tx_last_day, coalesce(tx1.tx_total, 0) AS tx_total,
  coalesce(tx1.tx_first_spend, 0) AS tx_first_spend, coalesce(tx1.holdout_days, 0) AS holdout_days
FROM per
LEFT JOIN od ON od.id = per.id
${gl ? "" : "LEFT JOIN med ON med.id = per.id\n"}LEFT JOIN tx1 ON tx1.id = per.id
ORDER BY per.first_row, per.id`;
}

/** The row CTEs and the orders' (only the latter when the usable rows are stored). */
function baseCtes(
  src: OrderSourceSql,
  rules: ReadRulesSql,
  dialect: Dialect,
  p: SummaryParams,
  txcExtra = "",
) {
  // from stored checked rows o is a cheap projection, read where it is used
  const d = DIALECT_SQL[dialect];
  const o = orderCtes(p, src.checked ? d.inline : d.materialized, d.inline, txcExtra);
  return p.orderRows ? o : `${rowCtes(src, rules, dialect)},\n${o}`;
}

/** The usable rows, cancellations settled (rn, id, day, oid, cancelled, amount, cost): see SummaryParams.orderRows. */
export function orderRowsQuery(
  src: OrderSourceSql,
  rules: ReadRulesSql,
  dialect: Dialect,
  p: SummaryParams,
): string {
  const q = { ...p, orderRows: null, purchaseDays: null };
  return `WITH ${rowCtes(src, rules, dialect)},
${orderCtes(q, "", DIALECT_SQL[dialect].inline)}
SELECT * FROM o`;
}

/** The purchases' sum per customer and day (id, day, spend): see SummaryParams.purchaseDays. */
export function purchaseDaysQuery(
  src: OrderSourceSql,
  rules: ReadRulesSql,
  dialect: Dialect,
  p: SummaryParams,
): string {
  const q = { ...p, purchaseDays: null };
  return `WITH ${baseCtes(src, rules, dialect, q)}
SELECT id, day, spend FROM txd`;
}

/** Per day, how many calibration customers (first purchase ≤ A) made a repeat purchase that day. */
export function repeatDaysQuery(
  src: OrderSourceSql,
  rules: ReadRulesSql,
  dialect: Dialect,
  p: SummaryParams,
): string {
  const ctes = p.purchaseDays
    ? txCtes(p, DIALECT_SQL[dialect].inline)
    : baseCtes(src, rules, dialect, p);
  return `WITH ${ctes}
SELECT txd.day AS day, count(*) AS n
FROM txd JOIN txc ON txc.id = txd.id
WHERE txc.tx_first_day <= ${p.asOf} AND txd.day <> txc.tx_first_day
GROUP BY txd.day
ORDER BY txd.day`;
}

/**
 * The day/month evidence of the date column's year-last texts (clean.ts decides the order from
 * the whole column): rows readable only month-first, only day-first, and both ways but
 * differently. Only for text date columns.
 */
export function dateOrderQuery(src: OrderSourceSql, dialect: Dialect): string {
  const d = DIALECT_SQL[dialect];
  const t = textOf(d, src.columns.date);
  const dp = `translate(regexp_replace(t, '[Tt \t].*$', ''), '/.', '--')`;
  const part = (k: number) => `CAST(split_part(${dp}, '-', ${k}) AS INTEGER)`;
  const y = `CASE WHEN length(split_part(${dp}, '-', 3)) = 2 THEN CASE WHEN ${part(3)} < 30 THEN 2000 + ${part(3)} ELSE 1900 + ${part(3)} END ELSE ${part(3)} END`;
  return `WITH t AS (SELECT ${t} AS t FROM ${src.relation}),
yl AS (
  SELECT ${civilDay(d, "y", "p1", "p2")} AS mdy, ${civilDay(d, "y", "p2", "p1")} AS dmy
  FROM (SELECT ${y} AS y, ${part(1)} AS p1, ${part(2)} AS p2 FROM t
        WHERE ${d.matches("t", quoteText(DATE_SHAPES.yearLast))}) q
)
SELECT count(CASE WHEN mdy IS NOT NULL AND dmy IS NULL THEN 1 END) AS mdy,
  count(CASE WHEN dmy IS NOT NULL AND mdy IS NULL THEN 1 END) AS dmy,
  count(CASE WHEN mdy IS NOT NULL AND dmy IS NOT NULL AND mdy <> dmy THEN 1 END) AS ambiguous
FROM yl`;
}

/**
 * The first `limit` rows' texts and what the SQL reads from them (NULL: unreadable), for the
 * engine's sample check against the in-memory reader: id_t, date_t, day, amt_t, qty_t,
 * price_t, cost_t, a, cost_v.
 */
export function sampleQuery(
  src: OrderSourceSql,
  rules: ReadRulesSql,
  dialect: Dialect,
  limit: number,
): string {
  const all = checkCtes(src, rules, dialect);
  const ctes = all.chk.replace(
    `FROM ${src.relation}\n)`,
    `FROM ${src.relation}\n  LIMIT ${limit}\n)`,
  );
  return `WITH ${ctes}
SELECT ${all.sample}
FROM s3`;
}

// ---------------------------------------------------------------------------------------------
// DuckDB's two passes: the rows are read twice from the source and never stored

/**
 * checkQuery's result (same columns and rows) in one pass over the source, DuckDB only: one
 * GROUP BY reason (the usable rows' group: reason NULL) whose first examples are DuckDB's top-n
 * arg_min, the warnings and figures taken in the usable rows' group. Nothing of the rows is
 * stored (a table of the checked rows took 3.9 s of 13 at 10,000,000 Parquet rows).
 */
export function scanChecksQuery(
  src: OrderSourceSql,
  rules: ReadRulesSql,
  asOf: number | null,
): string {
  const all = checkCtes(src, rules, "duckdb", false);
  const c = src.columns;
  const ex = (value: string, col: string) =>
    `arg_min({'rn': rn, 'col': ${col}, 'value': ${value}}, rn, ${MAX_EXAMPLES})`;
  // warnings of usable rows: key, condition, column, value shown
  const warnings: [string, string, string, string][] = [];
  if (c.orderId)
    warnings.push(["reading.missingOrderId", "warn_oid IS NOT NULL", c.orderId.name, "''"]);
  if (c.cost)
    for (const key of ["reading.badCost", "reading.costTooLarge"])
      warnings.push([key, `warn_cost = ${quoteText(key)}`, c.cost.name, "cost_t"]);
  const wCols = warnings.map(
    ([, cond, col, value], k) =>
      `count(*) FILTER (WHERE ${cond}) AS w${k}_n,
    ${ex(value, quoteText(col))} FILTER (WHERE ${cond}) AS w${k}_ex`,
  );
  const usable = (x: string) => `(SELECT ${x} FROM agg WHERE reason IS NULL)`;
  const figure = (name: CheckFigure, x: string) =>
    `SELECT 'figure', '${name}', NULL, NULL, NULL, ${x}`;
  const parts = [
    `SELECT 'count' AS kind, reason, CAST(NULL AS VARCHAR) AS col, CAST(NULL AS BIGINT) AS rn, CAST(NULL AS VARCHAR) AS value, n
FROM agg WHERE reason IS NOT NULL`,
    `SELECT 'example', reason, e.col, e.rn, e.value, NULL
FROM (SELECT reason, unnest(ex) AS e FROM agg WHERE reason IS NOT NULL) q`,
    ...warnings.flatMap(([key], k) => [
      `SELECT 'count', ${quoteText(key)}, NULL, NULL, NULL, w${k}_n FROM agg WHERE reason IS NULL AND w${k}_n > 0`,
      `SELECT 'example', ${quoteText(key)}, e.col, e.rn, e.value, NULL
FROM (SELECT unnest(w${k}_ex) AS e FROM agg WHERE reason IS NULL) q`,
    ]),
    figure("rows_read", "(SELECT sum(n) FROM agg)"),
    figure("rows_used", `coalesce(${usable("n")}, 0)`),
    figure("max_day", usable("max_day")),
    figure("id_rows", `coalesce(${usable("id_rows")}, 0)`),
    figure("c_rows", `coalesce(${usable("c_rows")}, 0)`),
    figure("after_as_of", asOf === null ? "0" : `coalesce(${usable("after_as_of")}, 0)`),
  ];
  return `WITH ${all.chk},
agg AS MATERIALIZED (
  SELECT reason, count(*) AS n,
    ${ex("reason_value", "reason_col")} FILTER (WHERE reason IS NOT NULL) AS ex,
    CAST(max(day) AS BIGINT) AS max_day,
    count(*) FILTER (WHERE oid_t <> '') AS id_rows,
    count(*) FILTER (WHERE ${all.uCols.cprefix}) AS c_rows,
    count(*) FILTER (WHERE day > ${asOf ?? SQL_LAST_DAY}) AS after_as_of${wCols.map((x) => `,\n    ${x}`).join("")}
  FROM chk
  GROUP BY reason
)
${parts.join("\nUNION ALL\n")}`;
}

/**
 * The per-customer summary from the source, DuckDB only, to be stored (a table of as many rows
 * as customers): SUMMARY_COLUMNS but median_gap, and `days`, the customer's purchase days (any
 * date; summaryFromCustomers and repeatDaysFromCustomers read them). The usable rows feed two
 * groupings: per customer (with the distinct order IDs), and per (customer, day) of the
 * purchases then per customer (first and last purchase among them). `checks`: what the check
 * query found on the same source — the reasons it counted rows for (a check that skipped none
 * is left out, the count of rows without an order ID when none was blank) and max_day, the
 * latest usable day: when it is not after the as-of date, every row is up to it and the
 * conditions on the day are left out (the default as-of date is that day).
 */
export function customersQuery(
  src: OrderSourceSql,
  rules: ReadRulesSql,
  p: SummaryParams,
  checks: { reasons: ReadonlySet<string>; maxDay: number | null },
  copyRows = false,
): string {
  // the usable rows, settled, copied once for the two groupings when copyRows (at 10,000,000
  // Parquet rows 2.5 CPU-s less than reading and checking them twice, in the same peak memory),
  // else read where they are by each
  const oMode = copyRows ? DIALECT_SQL.duckdb.materialized : DIALECT_SQL.duckdb.inline;
  const rows = src.checked
    ? rowCtes(src, rules, "duckdb")
    : (() => {
        const all = checkCtes(src, rules, "duckdb", false, checks.reasons);
        return `${all.chk},
u AS ${DIALECT_SQL.duckdb.inline}(
  SELECT rn, ${STORED_ROW.map((name) => `${all.uCols[name]} AS ${name}`).join(",\n    ")}
  FROM chk
  WHERE reason IS NULL
)`;
      })();
  const A = p.asOf;
  const w = p.windowDays;
  const allUpTo = checks.maxDay !== null && checks.maxDay <= A;
  const upTo = allUpTo ? "TRUE" : `day <= ${A}`;
  const and = (...conds: string[]) => conds.filter((c) => c !== "TRUE").join(" AND ") || "TRUE";
  const when = (cond: string, x: string) =>
    cond === "TRUE" ? x : `CASE WHEN ${cond} THEN ${x} END`;
  const countIf = (cond: string) => (cond === "TRUE" ? "count(*)" : `count(${when(cond, "1")})`);
  const sumIf = (cond: string, x = "amount") => `coalesce(sum(${when(cond, x)}), 0)`;
  const window = (lo: number, hi: number) => and(upTo, `${A} - day >= ${lo}`, `${A} - day < ${hi}`);
  const keyed = src.columns.orderId !== null;
  const hasCost = src.columns.cost !== null;
  const bought = "cancelled = 0";
  // a row without an order ID is an order of its own; with the column, there are such rows only
  // when the check query warned of a blank one (distinct IDs: a CASE, NULL for the others)
  const unkeyed =
    !keyed || checks.reasons.has("reading.missingOrderId")
      ? `${countIf(and(bought, upTo, keyed ? "oid IS NULL" : "TRUE"))}`
      : "";
  const distinct = keyed ? `count(DISTINCT ${when(and(bought, upTo), "oid")})` : "";
  const orders = [unkeyed, distinct].filter((x) => x !== "").join(" + ");
  return `WITH ${rows},
o AS ${oMode}(
  ${settled(p)}
),
per AS (
  SELECT id, min(rn) AS first_row,
    ${countIf(upTo)} AS rows,
    ${orders} AS orders,
    ${sumIf(upTo)} AS amount,
    ${hasCost ? sumIf(upTo, "cost") : "CAST(NULL AS DOUBLE)"} AS cost,
    ${sumIf(window(0, w))} AS rev_recent,
    ${sumIf(window(w, 2 * w))} AS rev_previous,
    ${sumIf(window(0, 90))} AS rev_90d,
    ${sumIf(window(90, 180))} AS rev_prev_90d
  FROM o
  GROUP BY id
),
txd AS (
  SELECT id, day, sum(amount) AS spend FROM o WHERE ${bought} GROUP BY id, day
),
txc AS (
  SELECT id, min(day) AS tx_first_day,
    ${allUpTo ? "min(day)" : `min(${when(upTo, "day")})`} AS first_purchase,
    max(${when(upTo, "day")}) AS last_purchase,
    ${countIf(upTo)} AS tx_days,
    ${sumIf(upTo, "spend")} AS tx_total,
    arg_min(spend, day) AS tx_first_spend,
    ${allUpTo ? "0" : countIf(`day > ${A}`)} AS holdout_days,
    list(day) AS days
  FROM txd
  GROUP BY id
)
SELECT per.id AS customer_id, first_row, rows, first_purchase, last_purchase, orders, amount,
  cost, rev_recent, rev_previous, rev_90d, rev_prev_90d, tx_first_day,
  coalesce(tx_days, 0) AS tx_days, last_purchase AS tx_last_day, coalesce(tx_total, 0) AS tx_total,
  coalesce(tx_first_spend, 0) AS tx_first_spend, coalesce(holdout_days, 0) AS holdout_days, days
FROM per
LEFT JOIN txc ON txc.id = per.id`;
}

/**
 * The summary from a table of customersQuery, in no order (the reader puts the customers in
 * file order by first_row, which no two share: at a million customers 0.15 s less than DuckDB's
 * sort): SUMMARY_COLUMNS but median_gap, every number a DOUBLE and never NULL (NaN for none, so
 * a reader can take a column's values as they are), and `days`, the customer's purchase days,
 * distinct and in no order (summary.ts fillPurchaseDays makes the median gap and the repeat days
 * of them: DuckDB's lambdas over the lists took 1.2 µs a customer).
 */
export function summaryFromCustomers(table: string): string {
  const cols = SUMMARY_COLUMNS.filter((name) => name !== "median_gap").map((name) =>
    name === "customer_id"
      ? name
      : `coalesce(CAST(${name} AS DOUBLE), CAST('NaN' AS DOUBLE)) AS ${name}`,
  );
  return `SELECT ${cols.join(", ")}, coalesce(CAST(days AS INTEGER[]), CAST([] AS INTEGER[])) AS days
FROM ${table}`;
}
