/**
 * The reading pipeline's last step: tables → a validated, normalised Dataset (SPEC §3).
 *
 *   customers table → customer index (table order) + records
 *   orders table    → columnar Orders (rows in table order; IDs seen only here appended)
 *   interactions    → Interaction[]
 *
 * Every row that cannot be used becomes an Issue (sheet row, column as the user wrote it,
 * raw value, reason) and is left out; a table that cannot be used at all throws
 * UnusableInputError. Completely blank rows are ignored (not read, not reported). Counts
 * cover all tables: rowsRead = rowsUsed + Σ skipped.
 *
 * Decisions (SPEC leaves them open):
 * - Cancellation = order ID "C" + digit (either case, as "C536379" in the Online Retail
 *   export; "CN2024…" is an ordinary ID) or a negative amount. Cancellation rows always carry
 *   −|amount| (and −|cost|): a "C" row written with a positive amount is negated. When every
 *   order ID starts with C + digit, the prefix is a numbering scheme, not a marker: it is
 *   ignored and one warning says so.
 * - Amount column wins; without one, amount = quantity × unit price (unrounded).
 * - A row without an order ID (when the table has the column) is an order of its own, with a
 *   warning. A blank or unreadable cost counts as 0, with a warning.
 * - Customer IDs are trimmed text; numbers are written without grouping (12345 = "12345"),
 *   an all-digit ID exported with ".0" ("17850.0") loses it; "00004" stays "00004".
 * - Customers/interactions tables with no usable rows are not fatal (an empty list is a
 *   legitimate start); a missing required column in them is.
 * - The as-of date is not applied here; counts.afterAsOf stays 0 for the pipeline.
 * - An amount, quantity × unit price or cost beyond ±MAX_AMOUNT (10^15, more than any real
 *   order; "1e309" reads as infinity) is a typo or an overflow: the row is skipped (a cost is
 *   counted as 0) with a data issue, so that every sum stays finite.
 * - Order dates before 1900-01-01 are implausible (a typo such as 0202-01-05), and so is any
 *   date past 9999-12-31 (an Excel serial beyond Excel's range): the row is skipped. When the
 *   as-of date is the default (none in the settings), an order dated after the run's date
 *   (`today`, one day of grace for time zones) is a typo too ("2099-06-01" would otherwise
 *   become the as-of date and age every other customer): skipped and listed, so the as-of date
 *   is the latest plausible order date. With an as-of date given, later orders are kept as
 *   before (counted after the as-of date, used by the CLV holdout). Interaction dates follow
 *   the same rules (an interaction may be later than the last order, not than today).
 * - A customer ID is not one when it is longer than MAX_ID_LENGTH (1,000 characters: a field
 *   that swallowed a file, not an ID) or holds U+FFFD (bytes that were not valid in the file's
 *   encoding: "M\uFFFDller" would silently be a customer of its own): the row is skipped.
 * - A text kept from a customers or interactions cell (name, notes, outcome …) is cut to
 *   MAX_TEXT_LENGTH characters (32,767, Excel's limit for a cell) with a warning. A value shown
 *   on Data issues is cut to MAX_ISSUE_VALUE characters.
 * - What the reader noticed about a table (a guessed encoding, a quote never closed: see
 *   sourceNotices) comes first among its issues, as warnings.
 */
import type {
  Channel,
  CustomerRecord,
  Dataset,
  Interaction,
  InteractionType,
  Issue,
  Message,
  Orders,
  ReadCounts,
  TableSource,
  ValueOptions,
} from "./types.js";
import type { Settings } from "./settings.js";
import { CHANNELS, INTERACTION_TYPES } from "./types.js";
import {
  CUSTOMER_COLUMNS,
  INTERACTION_COLUMNS,
  ORDER_COLUMNS,
  matchColumns,
  normaliseHeader,
} from "./headers.js";
import type { ColumnDictionary, ColumnJob } from "./source.js";
import { cellText, columnDates, scanColumns, sourceNotices } from "./source.js";
import { decideDateOrder, isExcelError, newDateOrderTally, parseYesNo } from "./values.js";
import { UnusableInputError } from "./errors.js";
import { dayFromYmd, isoDay, todayFromClock } from "./dates.js";

export interface ReadInput {
  orders: TableSource;
  customers?: TableSource | null;
  interactions?: TableSource | null;
  /** The run's date as an epoch day (tests fix it); default: today's local calendar date. */
  today?: number;
}

/** Largest amount, quantity × unit price or cost read (absolute value): 10^15. */
export const MAX_AMOUNT = 1e15;
/** First plausible order date: 1900-01-01, the first day of Excel's calendar. */
export const FIRST_PLAUSIBLE_DAY = dayFromYmd(1900, 1, 1);
/** Last day of the calendar Excel and this reader know: 9999-12-31. */
export const LAST_DAY = dayFromYmd(9999, 12, 31);
/** Longest customer ID, in UTF-16 code units. */
export const MAX_ID_LENGTH = 1000;
/** Longest text kept from a cell (names, notes, outcomes): Excel's own limit for a cell. */
export const MAX_TEXT_LENGTH = 32_767;
/** Longest cell value shown on Data issues (longer ones end in "…"). */
export const MAX_ISSUE_VALUE = 200;

/** Validate and normalise the input tables into a Dataset. Throws UnusableInputError. */
export function readDataset(input: ReadInput, settings: Settings): Dataset {
  const ctx = newContext(settings, input.today ?? todayFromClock());
  ctx.customersTable = input.customers?.source ?? null;
  const people = new People();
  if (input.customers) readCustomers(input.customers, ctx, people);
  const orders = readOrders(input.orders, ctx, people);
  const interactions = input.interactions ? readInteractions(input.interactions, ctx) : [];
  const maxDay = latestDay(orders.day, orders.n);
  return {
    customerIds: people.ids,
    records: people.records,
    orders,
    interactions,
    issues: ctx.issues,
    counts: ctx.counts,
    hasCost: orders.cost !== null,
    maxDay,
    sources: {
      orders: input.orders.source,
      customers: input.customers?.source ?? null,
      interactions: input.interactions?.source ?? null,
    },
    customerTable: input.customers
      ? {
          headerRow: input.customers.headerRow,
          rowCount: input.customers.rowCount,
          hasStageOverride:
            matchColumns(input.customers.headers, CUSTOMER_COLUMNS).stageOverride >= 0,
        }
      : null,
  };
}

/** No order rows (an engine that aggregates the orders itself fills Dataset.summary). */
export function emptyOrders(hasCost: boolean): Orders {
  return {
    n: 0,
    customer: new Int32Array(0),
    day: new Int32Array(0),
    amount: new Float64Array(0),
    cost: hasCost ? new Float64Array(0) : null,
    order: new Int32Array(0),
    cancelled: new Uint8Array(0),
    orderCount: 0,
  };
}

/**
 * The Customers and Interactions tables only, read by the same rules as readDataset, for an
 * engine that aggregates the orders itself (DuckDB, Postgres: analysis/node/engine*.ts): a
 * Dataset with no order rows (`orders.n === 0`, maxDay NaN, hasCost false) whose customers are
 * the Customers table's; the engine appends the IDs seen only in orders, sets the order
 * figures and its summary. `ordersSource` names the orders in `sources`.
 */
export function readCustomersAndInteractions(
  input: Omit<ReadInput, "orders"> & { ordersSource: string },
  settings: Settings,
): Dataset {
  const ctx = newContext(settings, input.today ?? todayFromClock());
  ctx.customersTable = input.customers?.source ?? null;
  const people = new People();
  if (input.customers) readCustomers(input.customers, ctx, people);
  const interactions = input.interactions ? readInteractions(input.interactions, ctx) : [];
  return {
    customerIds: people.ids,
    records: people.records,
    orders: emptyOrders(false),
    interactions,
    issues: ctx.issues,
    counts: ctx.counts,
    hasCost: false,
    maxDay: NaN,
    sources: {
      orders: input.ordersSource,
      customers: input.customers?.source ?? null,
      interactions: input.interactions?.source ?? null,
    },
    customerTable: input.customers
      ? {
          headerRow: input.customers.headerRow,
          rowCount: input.customers.rowCount,
          hasStageOverride:
            matchColumns(input.customers.headers, CUSTOMER_COLUMNS).stageOverride >= 0,
        }
      : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Shared: issues, counts, identifiers, date columns

interface Context {
  settings: Settings;
  opts: ValueOptions;
  /** The run's date (epoch day). */
  today: number;
  /** The latest order date used: today + 1 under the default as-of date, else LAST_DAY. */
  lastOrderDay: number;
  issues: Issue[];
  counts: ReadCounts;
  /** The Customers table's name when one was given (orders for IDs it lacks are warned of). */
  customersTable: string | null;
}

function newContext(settings: Settings, today: number): Context {
  const opts: ValueOptions = {
    decimalComma: settings.decimalComma,
    dateSystem: settings.dateSystem,
    dateOrder: settings.dateOrder === "auto" ? settings.dateOrderFallback : settings.dateOrder,
  };
  return {
    settings,
    opts,
    today,
    lastOrderDay: settings.asOf === null ? Math.min(today + 1, LAST_DAY) : LAST_DAY,
    issues: [],
    counts: {
      rowsRead: 0,
      rowsUsed: 0,
      orderRowsRead: 0,
      orderRowsUsed: 0,
      skipped: {},
      afterAsOf: 0,
    },
    customersTable: null,
  };
}

function report(
  ctx: Context,
  src: TableSource,
  r: number,
  c: number,
  key: string,
  severity: Issue["severity"],
  params?: Message["params"],
): void {
  const value = r < 0 || c < 0 ? "" : cellText(src.cell(r, c));
  ctx.issues.push({
    source: src.source,
    row: r < 0 ? 0 : src.headerRow + 1 + r,
    column: c < 0 ? "" : (src.headers[c] ?? ""),
    value: value.length > MAX_ISSUE_VALUE ? `${value.slice(0, MAX_ISSUE_VALUE)}…` : value,
    reason: params ? { key, params } : { key },
    severity,
  });
}

/** Leave row r out: one Issue, one count under its reason. */
function skip(
  ctx: Context,
  src: TableSource,
  r: number,
  c: number,
  key: string,
  params?: Message["params"],
): void {
  report(ctx, src, r, c, key, "skipped", params);
  ctx.counts.skipped[key] = (ctx.counts.skipped[key] ?? 0) + 1;
}

/** Reason for an unreadable required value: blank, Excel error, or not readable. */
function unreadable(src: TableSource, r: number, c: number, missing: string, bad: string): string {
  if (src.isBlank(r, c)) return missing;
  return isExcelError(src.text(r, c)) ? "reading.errorValue" : bad;
}

/** What is wrong with a customer ID's text: an IdCheck. */
const IdCheck = { Unchecked: 0, Ok: 1, ExcelError: 2, BadEncoding: 3, TooLong: 4 } as const;
type IdCheck = (typeof IdCheck)[keyof typeof IdCheck];

/** The reason key of each IdCheck that skips a row (by its value). */
const ID_SKIP_KEYS = [
  "",
  "",
  "reading.errorValue",
  "reading.badEncodingId",
  "reading.idTooLong",
] as const;

function checkId(text: string): IdCheck {
  if (text.length > MAX_ID_LENGTH) return IdCheck.TooLong;
  if (isExcelError(text)) return IdCheck.ExcelError;
  return text.indexOf("\uFFFD") >= 0 ? IdCheck.BadEncoding : IdCheck.Ok;
}

/** Skip reason of a customers/interactions row's ID, or "" when it is usable. */
function idSkipKey(id: string): string {
  return id === "" ? "reading.missingCustomerId" : ID_SKIP_KEYS[checkId(id)];
}

/** The source's notices as warnings (and the positions they name). */
function addNotices(src: TableSource, ctx: Context): void {
  for (const n of sourceNotices(src)) report(ctx, src, n.row, n.col, n.key, "warning", n.params);
}

/** Trimmed customer ID; an all-digit ID exported as "17850.0" loses the ".0". */
export function normaliseId(text: string): string {
  if (text.indexOf(".") < 0) return text;
  return /^\d+\.0+$/.test(text) ? text.slice(0, text.indexOf(".")) : text;
}

/**
 * Customer index shared by the tables. A class: the order loop's compiled code reads it, and
 * a class's instances keep their shape when one analysis's objects are collected.
 */
class People {
  readonly index = new Map<string, number>();
  readonly ids: string[] = [];
  readonly records: (CustomerRecord | null)[] = [];
}

function customerIndex(people: People, id: string): number {
  if (people.index.size < people.ids.length) people.ids.forEach((x, i) => people.index.set(x, i));
  let k = people.index.get(id);
  if (k === undefined) {
    k = people.ids.length;
    people.index.set(id, k);
    people.ids.push(id);
    people.records.push(null);
  }
  return k;
}

/**
 * The customer index of dictionary key k, for its first use. While the orders are the only
 * table and every ID so far is its own normal form, distinct keys are distinct customers, so
 * the index is the next number, without the ID map (filled later only if it is needed:
 * customerIndex fills it when it lags behind the IDs).
 */
class CustomerMaker {
  private plain: boolean;
  /** The key check() read last, and its text (of() takes it from here). */
  private lastKey = -1;
  private lastText = "";
  // a class, not a closure made per table: the row loop calls it, and V8 throws away compiled
  // code that inlined a function made per call once that function dies (at every run)
  constructor(
    private readonly people: People,
    private readonly ids: ColumnDictionary,
  ) {
    this.plain = people.ids.length === 0;
  }

  /** What is wrong with key k as a customer ID (checkId); read once per key. */
  check(k: number): IdCheck {
    this.lastKey = k;
    this.lastText = this.ids.key(k);
    return checkId(this.lastText);
  }

  of(k: number): number {
    const { people } = this;
    const key = k === this.lastKey ? this.lastText : this.ids.key(k);
    const id = normaliseId(key);
    if (this.plain && id === key) {
      people.records.push(null);
      return people.ids.push(id) - 1;
    }
    this.plain = false;
    return customerIndex(people, id);
  }
}

/**
 * Epoch day per row of a date column (NaN when unreadable). With dateOrder "auto" the
 * column's slash dates decide day/month order; when they cannot, the fallback order is used
 * and one warning names the column.
 */
function readDateColumn(src: TableSource, c: number, ctx: Context): Float64Array {
  const job = dateJob(c, ctx);
  return settleDates(src, job, scanColumns(src, [job])[0], ctx);
}

/**
 * The scan of date column c: with dateOrder "auto", read with the fallback order while
 * tallying the day/month evidence (settleDates then reads again only when the tally decides
 * otherwise).
 */
function dateJob(c: number, ctx: Context): DateJob {
  const tally = ctx.settings.dateOrder === "auto" ? newDateOrderTally() : undefined;
  return { kind: "dates", col: c, opts: ctx.opts, tally };
}

type DateJob = Extract<ColumnJob, { kind: "dates" }>;

/** The days of a date job's scan, read again in the other order when its tally says so. */
function settleDates(
  src: TableSource,
  job: DateJob,
  days: Float64Array,
  ctx: Context,
): Float64Array {
  const { tally, opts, col: c } = job;
  if (!tally) return days;
  const verdict = decideDateOrder(tally);
  if (verdict === "mdy" || verdict === "dmy") {
    return verdict === opts.dateOrder ? days : columnDates(src, c, { ...opts, dateOrder: verdict });
  }
  if (verdict !== "none") {
    const key = `reading.dateOrder${verdict === "ambiguous" ? "Assumed" : "Conflict"}.${opts.dateOrder}`;
    report(ctx, src, -1, c, key, "warning", { column: src.headers[c] ?? "" });
  }
  return days;
}

/**
 * Throws when required roles are missing: key reading.missing.<table>.<roles joined by _>,
 * with the issues so far and the reader's notices (a guessed encoding explains odd headers).
 */
function requireColumns(src: TableSource, table: string, missing: string[], ctx: Context): void {
  if (missing.length === 0) return;
  const found = src.headers.filter((h) => h && h.trim()).join(", ");
  addNotices(src, ctx);
  throw new UnusableInputError(
    {
      key: `reading.missing.${table}.${missing.join("_")}`,
      params: { table: src.source, found: found || "—" },
    },
    ctx.issues,
  );
}

// ---------------------------------------------------------------------------------------------
// Orders

type OrderCols = Record<keyof typeof ORDER_COLUMNS, number>;

function orderColumns(src: TableSource, ctx: Context): OrderCols {
  const cols = matchColumns(src.headers, ORDER_COLUMNS);
  const missing: string[] = [];
  if (cols.customerId < 0) missing.push("customerId");
  if (cols.date < 0) missing.push("date");
  if (cols.amount < 0 && (cols.quantity < 0 || cols.unitPrice < 0)) missing.push("amount");
  requireColumns(src, "orders", missing, ctx);
  return cols;
}

/** "C" or "c" followed by a digit: the cancellation marker of retail exports. */
/** An order ID starting with "C" and a digit (first two char codes). */
function cancelPrefix(c: number, d: number): boolean {
  return (c === 67 || c === 99) && d >= 48 && d <= 57;
}

/** The number columns of the orders table, read whole (null when the table has no such column). */
interface OrderNumbers {
  amount: Float64Array | null;
  quantity: Float64Array | null;
  unitPrice: Float64Array | null;
  cost: Float64Array | null;
}

/**
 * The columns of the orders table, read whole in one scan: dates, customer IDs, order IDs and
 * the number columns (quantity × unit price only without an Amount column).
 */
function readOrderColumns(src: TableSource, cols: OrderCols, ctx: Context) {
  const date = dateJob(cols.date, ctx);
  const jobs: ColumnJob[] = [date, { kind: "dictionary", col: cols.customerId }];
  const asked = (job: ColumnJob | null): number => (job ? jobs.push(job) - 1 : -1);
  const numbers = (c: number) =>
    c >= 0 ? { kind: "numbers" as const, col: c, opts: ctx.opts } : null;
  const order = asked(cols.orderId >= 0 ? { kind: "dictionary", col: cols.orderId } : null);
  const amount = asked(numbers(cols.amount));
  const quantity = asked(amount < 0 ? numbers(cols.quantity) : null);
  const unitPrice = asked(amount < 0 ? numbers(cols.unitPrice) : null);
  const cost = asked(numbers(cols.cost));
  const out = scanColumns(src, jobs);
  const number = (i: number) => (i >= 0 ? (out[i] as Float64Array) : null);
  let nums: OrderNumbers = {
    amount: number(amount),
    quantity: number(quantity),
    unitPrice: number(unitPrice),
    cost: number(cost),
  };
  const priceCol = amount >= 0 ? cols.amount : cols.unitPrice;
  const prices = nums.amount ?? nums.unitPrice;
  if (!ctx.opts.decimalComma && prices && decimalCommaColumn(src, priceCol, prices, ctx.opts)) {
    nums = withDecimalComma(src, jobs, [amount, quantity, unitPrice, cost], ctx);
    report(ctx, src, -1, priceCol, "reading.decimalCommaAssumed", "warning", {
      column: src.headers[priceCol] ?? "",
    });
  }
  return {
    days: settleDates(src, date, out[0] as Float64Array, ctx),
    ids: out[1] as ColumnDictionary,
    oids: order >= 0 ? (out[order] as ColumnDictionary) : null,
    nums,
  };
}

/** Rows looked at to tell a column written with decimal commas. */
const DECIMAL_SAMPLE = 1000;

/**
 * True when a number column read with a decimal point is mostly unreadable and with a decimal
 * comma is not: among its first DECIMAL_SAMPLE non-blank cells, at least half unreadable with
 * "." and at most one in ten with ",". "1.234,56" and "12,5" (a semicolon CSV from a German or
 * French Excel) are unreadable with "."; "1,234" reads either way and decides nothing.
 */
function decimalCommaColumn(
  src: TableSource,
  c: number,
  values: Float64Array,
  opts: ValueOptions,
): boolean {
  const n = Math.min(values.length, DECIMAL_SAMPLE);
  let filled = 0;
  let bad = 0;
  for (let r = 0; r < n; r++) {
    if (values[r] === values[r]) filled++;
    else if (!src.isBlank(r, c)) {
      filled++;
      bad++;
    }
  }
  if (filled === 0 || bad * 2 < filled) return false; // the usual case ends here
  const comma = { ...opts, decimalComma: true };
  let badComma = 0;
  for (let r = 0; r < n; r++) {
    if (values[r] !== values[r] && src.isBlank(r, c)) continue;
    const v = src.number(r, c, comma);
    if (v !== v) badComma++;
  }
  return badComma * 10 <= filled;
}

/** The number columns read again with a decimal comma (indexes into jobs, −1 for none). */
function withDecimalComma(
  src: TableSource,
  jobs: ColumnJob[],
  at: number[],
  ctx: Context,
): OrderNumbers {
  ctx.opts = { ...ctx.opts, decimalComma: true };
  const again: ColumnJob[] = at
    .filter((i) => i >= 0)
    .map((i) => ({ kind: "numbers", col: jobs[i].col, opts: ctx.opts }));
  const out = scanColumns(src, again);
  let k = 0;
  const next = (i: number) => (i >= 0 ? (out[k++] as Float64Array) : null);
  const [amount, quantity, unitPrice, cost] = at.map(next);
  return { amount, quantity, unitPrice, cost };
}

/** Amount of row r (amount column, else quantity × unit price); NaN after recording the skip. */
function readAmount(
  src: TableSource,
  r: number,
  cols: OrderCols,
  nums: OrderNumbers,
  ctx: Context,
): number {
  if (nums.amount) return required(src, r, cols.amount, nums.amount[r], "Amount", ctx);
  const q = required(src, r, cols.quantity, (nums.quantity as Float64Array)[r], "Quantity", ctx);
  return q === q
    ? q * required(src, r, cols.unitPrice, (nums.unitPrice as Float64Array)[r], "UnitPrice", ctx)
    : NaN;
}

/** A required number cell (its value v); NaN after recording reading.missing<What> / bad<What> / errorValue. */
function required(
  src: TableSource,
  r: number,
  c: number,
  v: number,
  what: string,
  ctx: Context,
): number {
  if (v !== v)
    skip(ctx, src, r, c, unreadable(src, r, c, `reading.missing${what}`, `reading.bad${what}`));
  return v;
}

/** True when the row's order columns are all blank (a spacer row, ignored). */
function blankOrderRow(src: TableSource, r: number, cols: OrderCols): boolean {
  for (const c of [
    cols.customerId,
    cols.date,
    cols.amount,
    cols.quantity,
    cols.unitPrice,
    cols.orderId,
  ]) {
    if (c >= 0 && !src.isBlank(r, c)) return false;
  }
  return true;
}

/**
 * Orders as columns. ID columns are dictionary-encoded first, so per row there is no string
 * work: customer and order keys are typed-array lookups by dictionary code.
 */
function readOrders(src: TableSource, ctx: Context, people: People): Orders {
  const cols = orderColumns(src, ctx);
  const { days, ids, oids, nums } = readOrderColumns(src, cols, ctx);
  const n = src.rowCount; // after the scan: a CSV's scan counts its rows as it reads them
  addNotices(src, ctx);
  const idCheck = new Uint8Array(ids.size); // IdCheck per key, read at its first row
  const customerOf = new Int32Array(ids.size).fill(-1);
  const orderOf = new Int32Array(oids ? oids.size : 0).fill(-1);
  const cMark = oids ? cancelMarks(oids.leading()) : new Uint8Array(0);
  const idCodes = ids.codes;
  const orderCodes = oids ? oids.codes : null;
  const amounts = nums.amount;
  // Used row m is written over the scan's own columns where it can be: row r is read before
  // row m ≤ r is written. A million-row table then needs 16 MB less fresh memory (on this
  // kind of machine, first touching memory costs about as much as the loop itself).
  const customer = idCodes;
  const day = new Int32Array(n);
  const amount = amounts ?? new Float64Array(n);
  const cost = cols.cost >= 0 ? (nums.cost ?? new Float64Array(n)) : null;
  const order = orderCodes ?? new Int32Array(n);
  const cancelled = new Uint8Array(n);
  let m = 0;
  let orderCount = 0;
  let idRows = 0;
  let cRows = 0;
  const newCustomer = new CustomerMaker(people, ids);
  // the loop's bounds as locals (module constants are a context load per row in V8)
  const firstDay = FIRST_PLAUSIBLE_DAY;
  const lastDay = ctx.lastOrderDay;
  const maxAmount = MAX_AMOUNT;
  const unchecked = IdCheck.Unchecked;
  const idOk = IdCheck.Ok;
  let rowsRead = 0;
  // with a Customers table, the customers it lists (an order's ID beyond them is unknown)
  const listed = ctx.customersTable === null ? -1 : people.ids.length;
  const listedIn = ctx.customersTable ?? "";
  for (let r = 0; r < n; r++) {
    const code = idCodes[r];
    if (code < 0 && blankOrderRow(src, r, cols)) continue;
    rowsRead++;
    if (code < 0) {
      skip(ctx, src, r, cols.customerId, "reading.missingCustomerId");
      continue;
    }
    let idc = idCheck[code];
    if (idc === unchecked) idc = idCheck[code] = newCustomer.check(code);
    if (idc !== idOk) {
      skip(ctx, src, r, cols.customerId, ID_SKIP_KEYS[idc]);
      continue;
    }
    const d = days[r];
    if (!(d >= firstDay && d <= lastDay)) {
      skipDate(src, r, cols.date, d, ctx);
      continue;
    }
    let a = amounts ? amounts[r] : NaN;
    if (a !== a && (a = readAmount(src, r, cols, nums, ctx)) !== a) continue;
    if (!(a <= maxAmount && a >= -maxAmount)) {
      const c = cols.amount >= 0 ? cols.amount : cols.unitPrice;
      skip(ctx, src, r, c, "reading.amountTooLarge", { max: MAX_AMOUNT });
      continue;
    }
    let who = customerOf[code];
    if (who < 0) {
      const before = people.ids.length;
      who = customerOf[code] = newCustomer.of(code);
      // an ID the Customers table does not list: analysed, and said once, at its first row
      if (listed >= 0 && who === before)
        report(ctx, src, r, cols.customerId, "reading.unknownCustomer", "warning", {
          table: listedIn,
        });
    }
    customer[m] = who;
    day[m] = d;
    let flag = a < 0 ? 1 : 0;
    const oc = orderCodes ? orderCodes[r] : -1;
    if (oc < 0) {
      order[m] = orderCount++;
      if (oids) report(ctx, src, r, cols.orderId, "reading.missingOrderId", "warning");
    } else {
      if (orderOf[oc] < 0) orderOf[oc] = orderCount++;
      order[m] = orderOf[oc];
      idRows++;
      if (cMark[oc]) {
        cRows++;
        if (flag === 0) flag = 2;
      }
    }
    amount[m] = flag === 2 ? -a : a;
    cancelled[m] = flag;
    if (cost)
      cost[m] = readCost(src, r, cols.cost, (nums.cost as Float64Array)[r], flag !== 0, ctx);
    m++;
  }
  ctx.counts.rowsRead += rowsRead;
  ctx.counts.rowsUsed += m;
  ctx.counts.orderRowsRead = rowsRead;
  ctx.counts.orderRowsUsed = m;
  if (m === 0) throw noUsableRows(src, ctx);
  const prefixIsNumbering = idRows > 0 && cRows === idRows;
  settleCancellations(amount, cost, cancelled, m, prefixIsNumbering);
  if (prefixIsNumbering) report(ctx, src, -1, cols.orderId, "reading.cPrefixIgnored", "warning");
  // every row used (the usual case): the arrays are already the right length
  const cut = <T extends Int32Array | Float64Array | Uint8Array>(a: T): T =>
    m === n ? a : (a.slice(0, m) as T);
  return {
    n: m,
    customer: cut(customer),
    day: cut(day),
    amount: cut(amount),
    cost: cost ? cut(cost) : null,
    order: cut(order),
    cancelled: cut(cancelled),
    orderCount,
  };
}

/** Skips row r for its date d: unreadable or blank (NaN), after the run's date, or implausible. */
function skipDate(src: TableSource, r: number, c: number, d: number, ctx: Context): void {
  if (d !== d) {
    skip(ctx, src, r, c, unreadable(src, r, c, "reading.missingDate", "reading.badDate"));
  } else if (d > ctx.lastOrderDay && d <= LAST_DAY) {
    skip(ctx, src, r, c, "reading.futureDate", { today: isoDay(ctx.today) });
  } else {
    skip(ctx, src, r, c, "reading.implausibleDate");
  }
}

/** The largest of day[0, n); NaN when n is 0. */
function latestDay(day: Int32Array, n: number): number {
  let max = NaN;
  for (let i = 0; i < n; i++) if (!(day[i] <= max)) max = day[i];
  return max;
}

/**
 * 1 per order-ID key that starts with a cancellation prefix (see cancelPrefix), from the keys'
 * leading() code units.
 */
function cancelMarks(lead: Uint16Array): Uint8Array {
  const out = new Uint8Array(lead.length >> 1);
  for (let k = 0; k < out.length; k++) if (cancelPrefix(lead[2 * k], lead[2 * k + 1])) out[k] = 1;
  return out;
}

/**
 * Flag 2 marks a "C" row whose amount was negated. Normally it becomes an ordinary
 * cancellation (1); when the prefix is a numbering scheme (every ID has it) it is undone.
 */
function settleCancellations(
  amount: Float64Array,
  cost: Float64Array | null,
  cancelled: Uint8Array,
  m: number,
  undo: boolean,
): void {
  for (let i = 0; i < m; i++) {
    if (cancelled[i] !== 2) continue;
    if (!undo) cancelled[i] = 1;
    else {
      cancelled[i] = 0;
      amount[i] = -amount[i];
      if (cost) cost[i] = Math.abs(cost[i]);
    }
  }
}

/** Cost of a row (its read value v), signed like its amount; blank or unreadable → 0 with a warning. */
function readCost(
  src: TableSource,
  r: number,
  c: number,
  v: number,
  cancelled: boolean,
  ctx: Context,
): number {
  if (!(v <= MAX_AMOUNT && v >= -MAX_AMOUNT)) {
    if (v !== v) report(ctx, src, r, c, "reading.badCost", "warning");
    else report(ctx, src, r, c, "reading.costTooLarge", "warning", { max: MAX_AMOUNT });
    return 0;
  }
  return cancelled ? -Math.abs(v) : v;
}

function noUsableRows(src: TableSource, ctx: Context): UnusableInputError {
  const mine = ctx.issues.filter((i) => i.source === src.source && i.severity === "skipped");
  const first = mine[0];
  if (!first)
    return new UnusableInputError(
      { key: "reading.emptyTable", params: { table: src.source } },
      ctx.issues,
    );
  return new UnusableInputError(
    {
      key: "reading.noUsableRows",
      params: {
        table: src.source,
        rows: mine.length,
        row: first.row,
        column: first.column,
        value: first.value,
      },
    },
    ctx.issues,
  );
}

// ---------------------------------------------------------------------------------------------
// Customers

type CustomerCols = Record<keyof typeof CUSTOMER_COLUMNS, number>;

function blankRow(src: TableSource, r: number): boolean {
  for (let c = 0; c < src.headers.length; c++) if (!src.isBlank(r, c)) return false;
  return true;
}

function readCustomers(src: TableSource, ctx: Context, people: People): void {
  const cols: CustomerCols = matchColumns(src.headers, CUSTOMER_COLUMNS);
  requireColumns(src, "customers", cols.customerId < 0 ? ["customerId"] : [], ctx);
  addNotices(src, ctx);
  const firstContact = cols.firstContact >= 0 ? readDateColumn(src, cols.firstContact, ctx) : null;
  const firstRow = new Map<string, number>();
  for (let r = 0; r < src.rowCount; r++) {
    if (blankRow(src, r)) continue;
    ctx.counts.rowsRead++;
    const id = normaliseId(src.text(r, cols.customerId));
    const bad = idSkipKey(id);
    if (bad) {
      skip(ctx, src, r, cols.customerId, bad);
      continue;
    }
    const seen = firstRow.get(id);
    if (seen !== undefined) {
      skip(ctx, src, r, cols.customerId, "reading.duplicateCustomer", { first: seen });
      continue;
    }
    const record = customerRecord(src, r, cols, id, firstContact, ctx);
    firstRow.set(id, record.row);
    people.records[customerIndex(people, id)] = record;
    ctx.counts.rowsUsed++;
  }
}

function customerRecord(
  src: TableSource,
  r: number,
  cols: CustomerCols,
  id: string,
  firstContact: Float64Array | null,
  ctx: Context,
): CustomerRecord {
  const text = (c: number): string => (c >= 0 ? textCell(src, r, c, ctx) : "");
  return {
    id,
    row: src.headerRow + 1 + r,
    name: text(cols.name),
    contact: text(cols.contact),
    phone: text(cols.phone),
    email: text(cols.email),
    industry: text(cols.industry),
    region: text(cols.region),
    owner: text(cols.owner),
    source: text(cols.source),
    firstContact: optionalDay(
      src,
      r,
      cols.firstContact,
      firstContact,
      "reading.badFirstContact",
      ctx,
    ),
    money: yesNo(src, r, cols.money, ctx),
    authority: yesNo(src, r, cols.authority, ctx),
    need: yesNo(src, r, cols.need, ctx),
    stageOverride: text(cols.stageOverride),
    notes: text(cols.notes),
  };
}

/** A text cell, cut to MAX_TEXT_LENGTH characters with a warning when longer. */
function textCell(src: TableSource, r: number, c: number, ctx: Context): string {
  const t = src.text(r, c);
  if (t.length <= MAX_TEXT_LENGTH) return t;
  report(ctx, src, r, c, "reading.textTooLong", "warning", { max: MAX_TEXT_LENGTH });
  return t.slice(0, MAX_TEXT_LENGTH);
}

/** An optional date cell: null when blank, null plus a warning when unreadable or before 1900. */
function optionalDay(
  src: TableSource,
  r: number,
  c: number,
  days: Float64Array | null,
  key: string,
  ctx: Context,
): number | null {
  if (c < 0 || !days || src.isBlank(r, c)) return null;
  // a date before 1900 is a typo here too (a first contact in 0202 made a tenure of 18 centuries)
  if (days[r] >= FIRST_PLAUSIBLE_DAY && days[r] <= LAST_DAY) return days[r];
  report(ctx, src, r, c, key, "warning");
  return null;
}

/** MAN yes/no cell: null when blank, null plus a warning when neither yes nor no. */
function yesNo(src: TableSource, r: number, c: number, ctx: Context): boolean | null {
  if (c < 0 || src.isBlank(r, c)) return null;
  const v = parseYesNo(src.text(r, c));
  if (v === null) report(ctx, src, r, c, "reading.badYesNo", "warning");
  return v;
}

// ---------------------------------------------------------------------------------------------
// Interactions

/** Words users write for each channel and type (normalised like headers). */
const CHANNEL_WORDS: Record<Channel, string[]> = {
  phone: [
    "电话",
    "打电话",
    "致电",
    "来电",
    "手机",
    "phone",
    "call",
    "telephone",
    "tel",
    "phonecall",
  ],
  sms: ["短信", "短消息", "sms", "text", "textmessage"],
  email: ["邮件", "电子邮件", "邮箱", "email", "mail"],
  visit: [
    "拜访",
    "上门",
    "上门拜访",
    "走访",
    "面谈",
    "见面",
    "visit",
    "meeting",
    "onsite",
    "inperson",
  ],
  wechat: ["微信", "wechat", "weixin", "wx"],
  qq: ["qq"],
  other: ["其他", "其它", "other"],
};

const TYPE_WORDS: Record<InteractionType, string[]> = {
  followup: ["跟进", "回访", "随访", "followup", "follow"],
  complaint: ["投诉", "抱怨", "客诉", "complaint"],
  quote: ["报价", "询价", "quote", "quotation"],
  deal: ["商机", "谈判", "签约", "成交", "deal", "opportunity"],
  other: ["其他", "其它", "other"],
};

function wordTable<K extends string>(
  words: Record<K, string[]>,
  labels: Record<K, { zh: string; en: string }>,
): Map<string, K> {
  const m = new Map<string, K>();
  for (const k of Object.keys(words) as K[]) {
    for (const w of [...words[k], labels[k].zh, labels[k].en]) m.set(normaliseHeader(w), k);
  }
  return m;
}

const CHANNEL_LOOKUP = wordTable(CHANNEL_WORDS, CHANNELS);
const TYPE_LOOKUP = wordTable(TYPE_WORDS, INTERACTION_TYPES);

function readInteractions(src: TableSource, ctx: Context): Interaction[] {
  const cols = matchColumns(src.headers, INTERACTION_COLUMNS);
  const missing = [cols.customerId < 0 ? "customerId" : "", cols.date < 0 ? "date" : ""].filter(
    Boolean,
  );
  requireColumns(src, "interactions", missing, ctx);
  addNotices(src, ctx);
  const days = readDateColumn(src, cols.date, ctx);
  const next = cols.nextContact >= 0 ? readDateColumn(src, cols.nextContact, ctx) : null;
  const out: Interaction[] = [];
  for (let r = 0; r < src.rowCount; r++) {
    if (blankRow(src, r)) continue;
    ctx.counts.rowsRead++;
    const id = normaliseId(src.text(r, cols.customerId));
    const bad = idSkipKey(id);
    if (bad) {
      skip(ctx, src, r, cols.customerId, bad);
      continue;
    }
    // as an order's: an interaction after the run's date (default as-of) or before 1900 is a typo
    if (!(days[r] >= FIRST_PLAUSIBLE_DAY && days[r] <= ctx.lastOrderDay)) {
      skipDate(src, r, cols.date, days[r], ctx);
      continue;
    }
    out.push({
      customer: id,
      row: src.headerRow + 1 + r,
      day: days[r],
      channel: closedWord(src, r, cols.channel, CHANNEL_LOOKUP, "reading.unknownChannel", ctx),
      type: closedWord(src, r, cols.type, TYPE_LOOKUP, "reading.unknownType", ctx),
      outcome: cols.outcome >= 0 ? textCell(src, r, cols.outcome, ctx) : "",
      nextContact: optionalDay(src, r, cols.nextContact, next, "reading.badNextContact", ctx),
    });
    ctx.counts.rowsUsed++;
  }
  return out;
}

/** A closed-set word (channel, type): blank → other; unknown → other with a warning. */
function closedWord<K extends string>(
  src: TableSource,
  r: number,
  c: number,
  lookup: Map<string, K>,
  key: string,
  ctx: Context,
): K | "other" {
  if (c < 0 || src.isBlank(r, c)) return "other";
  const k = lookup.get(normaliseHeader(src.text(r, c)));
  if (k !== undefined) return k;
  report(ctx, src, r, c, key, "warning");
  return "other";
}
