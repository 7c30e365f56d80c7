/**
 * The order summary (issue 19): everything the rules need from order rows, one entry per
 * customer. The rules (RFM measures, lifecycle windows and gaps, the CLV calibration, margins,
 * the owners' revenue) read this summary, never the rows, so the same rules run whether the
 * summary was taken here from the clean rows (`summarizeOrders`) or by a database in SQL
 * (analysis/sql/aggregate.ts: DuckDB, Postgres, a warehouse's table read back with --summary).
 * Both must give the same values; the columns and their exact meaning are the contract below
 * (the SQL module produces columns of the same names in snake_case).
 *
 * With A the as-of date, "usable" rows those that survived reading (clean.ts), a "purchase" a
 * non-cancelled row (amount ≥ 0 by construction: a negative amount is a cancellation):
 *
 * | field          | meaning                                                                       |
 * | -------------- | ----------------------------------------------------------------------------- |
 * | firstRow       | 1-based data row of the customer's first usable row (NaN: unknown, SQL table) |
 * | rows           | usable rows dated ≤ A                                                         |
 * | firstPurchase  | first purchase day ≤ A (NaN when none)                                        |
 * | lastPurchase   | last purchase day ≤ A (NaN when none)                                         |
 * | orders         | distinct order keys of the purchases ≤ A                                      |
 * | amount         | Σ amount of rows ≤ A, cancellations included (net)                            |
 * | cost           | Σ cost of the same rows (null without a Cost column)                          |
 * | revRecent      | Σ amount of rows with 0 ≤ A − day < W (W = windowDays)                        |
 * | revPrevious    | Σ amount of rows with W ≤ A − day < 2W                                        |
 * | rev90d         | Σ amount of rows with 0 ≤ A − day < 90                                        |
 * | revPrev90d     | Σ amount of rows with 90 ≤ A − day < 180                                      |
 * | medianGap      | median gap between consecutive distinct purchase days ≤ A (NaN under two)    |
 * | txFirstDay     | first purchase day at any date, after A too (NaN when none)                   |
 * | txDays         | distinct purchase days ≤ A                                                    |
 * | txLastDay      | last purchase day ≤ A (= lastPurchase)                                        |
 * | txTotal        | Σ amount of the purchases ≤ A                                                 |
 * | txFirstSpend   | Σ amount of the purchases on txFirstDay                                       |
 * | holdoutDays    | distinct purchase days > A                                                    |
 *
 * Every sum of money is rounded to the cent once taken (inCents), whoever took it; costs to the
 * millionth.
 *
 * and for the whole table: the latest usable day, the usable rows after A, and per day the
 * repeat purchase days (distinct purchase days other than the first) of the customers whose
 * first purchase is on or before A (the CLV tracking curve).
 */
import type { Dataset } from "./types.js";

/**
 * Money at cent precision: a sum of amounts rounded to the cent. 37.91 + 11.77 adds up to
 * 49.67999999999999 in floating point, which prints as ¥49.68 but ranks below a plain 49.68;
 * rounding the per-customer sums once makes values that print equal compare equal in every
 * score, rank, grade and tie downstream.
 */
export const toCents = (x: number): number => Math.round(x * 100) / 100;

/** The revenue windows of the owners' figures (owners.ts): 90 days and the 90 before. */
export const OWNER_REVENUE_DAYS = 90;

export interface OrderSummary {
  /** The as-of date the summary was taken at. */
  asOf: number;
  /** W of revRecent / revPrevious (settings.lifecycle.windowDays). */
  windowDays: number;
  /** Customers, indexed like Dataset.customerIds. */
  count: number;
  firstRow: Float64Array;
  rows: Int32Array;
  firstPurchase: Float64Array;
  lastPurchase: Float64Array;
  orders: Int32Array;
  amount: Float64Array;
  cost: Float64Array | null;
  revRecent: Float64Array;
  revPrevious: Float64Array;
  rev90d: Float64Array;
  revPrev90d: Float64Array;
  medianGap: Float64Array;
  txFirstDay: Float64Array;
  txDays: Int32Array;
  txLastDay: Float64Array;
  txTotal: Float64Array;
  txFirstSpend: Float64Array;
  holdoutDays: Int32Array;
  /** Latest usable order day, rows after A included (NaN when none). */
  lastDataDay: number;
  /** Usable rows dated after A. */
  afterAsOf: number;
  /** Repeat purchase days of the calibration customers: day → how many, ascending days. */
  repeatDays: { day: Int32Array; n: Int32Array };
}

/** An empty summary for `count` customers (NaN days, zero sums), to be filled by a producer. */
export function emptySummary(
  count: number,
  asOf: number,
  windowDays: number,
  hasCost: boolean,
): OrderSummary {
  const nan = () => new Float64Array(count).fill(NaN);
  return {
    asOf,
    windowDays,
    count,
    firstRow: nan(),
    rows: new Int32Array(count),
    firstPurchase: nan(),
    lastPurchase: nan(),
    orders: new Int32Array(count),
    amount: new Float64Array(count),
    cost: hasCost ? new Float64Array(count) : null,
    revRecent: new Float64Array(count),
    revPrevious: new Float64Array(count),
    rev90d: new Float64Array(count),
    revPrev90d: new Float64Array(count),
    medianGap: nan(),
    txFirstDay: nan(),
    txDays: new Int32Array(count),
    txLastDay: nan(),
    txTotal: new Float64Array(count),
    txFirstSpend: new Float64Array(count),
    holdoutDays: new Int32Array(count),
    lastDataDay: NaN,
    afterAsOf: 0,
    repeatDays: { day: new Int32Array(0), n: new Int32Array(0) },
  };
}

/** Summaries taken from a dataset's rows, so that every rule of one run shares one. */
const taken = new WeakMap<Dataset, OrderSummary>();

/**
 * The summary the rules read: the dataset's own (`ds.summary`, from SQL) when it was taken at
 * this as-of date (and window, when one is asked for), else one taken from the rows (kept for
 * the next rule of the same run). A dataset without rows whose summary was taken at another
 * date cannot be summarised again: that is a programming error.
 */
export function orderSummary(ds: Dataset, asOf: number, windowDays?: number): OrderSummary {
  const fits = (s: OrderSummary | undefined): boolean =>
    s !== undefined && s.asOf === asOf && (windowDays === undefined || s.windowDays === windowDays);
  const given = ds.summary;
  if (given && fits(given)) return inCents(given);
  const mine = taken.get(ds);
  if (mine && fits(mine)) return mine;
  if (given && ds.orders.n === 0)
    throw new Error(
      `orderSummary: the summary was taken at day ${given.asOf} (window ${given.windowDays}), asked for ${asOf} (${windowDays})`,
    );
  const s = summarizeOrders(ds, asOf, windowDays ?? mine?.windowDays ?? DEFAULT_WINDOW_DAYS);
  taken.set(ds, s);
  return s;
}

/** Summaries whose money is already at cent precision. */
const rounded = new WeakSet<OrderSummary>();

/**
 * Every sum of money rounded to the cent, once (rfm.ts toCents): a database adds the same
 * amounts in another order than the rows' (DuckDB in no fixed order at all), and the last bits
 * that differ would otherwise show — a stage reason's ¥2,046 against ¥2,047 when a sum sits on a
 * half, a Gamma-Gamma fit magnifying them to 1e-5. Rounded, both paths hold the same numbers.
 */
function inCents(s: OrderSummary): OrderSummary {
  if (rounded.has(s)) return s;
  const money = [s.amount, s.revRecent, s.revPrevious, s.rev90d, s.revPrev90d, s.txTotal];
  for (const a of [...money, s.txFirstSpend])
    for (let c = 0; c < a.length; c++) a[c] = toCents(a[c]);
  // cost to the millionth, not the cent: a margin wants the costs' own precision (a cost of
  // 0.75 × ¥11.77 is ¥8.8275), but not the last bits of an order of adding, which made CLV's
  // total one bit apart between two DuckDB runs of the same file
  if (s.cost) for (let c = 0; c < s.cost.length; c++) s.cost[c] = toMillionths(s.cost[c]);
  rounded.add(s);
  return s;
}

/** A sum rounded to the millionth (costs: finer than the cent, without an adding order's bits). */
const toMillionths = (x: number): number => Math.round(x * 1e6) / 1e6;

/** settings.lifecycle.windowDays's default, for callers that need no window. */
const DEFAULT_WINDOW_DAYS = 180;

/** The summary from the clean order rows (the in-memory path). */
export function summarizeOrders(ds: Dataset, asOf: number, windowDays: number): OrderSummary {
  const count = ds.customerIds.length;
  const { n, customer, day, amount, cost, order, cancelled, orderCount } = ds.orders;
  const s = emptySummary(count, asOf, windowDays, cost !== null);
  const w = windowDays;
  const v = OWNER_REVENUE_DAYS;

  // One pass: sums, windows, first/last purchase, distinct orders; purchases counted per
  // customer for the buckets below.
  const owner = new Int32Array(orderCount).fill(-1);
  let shared: Set<string> | null = null;
  const start = new Int32Array(count + 1);
  let lastDataDay = NaN;
  let afterAsOf = 0;
  const { firstRow, rows, firstPurchase, lastPurchase, orders, revRecent, revPrevious } = s;
  const { rev90d, revPrev90d } = s;
  const sum = s.amount;
  const costSum = s.cost;
  for (let i = 0; i < n; i++) {
    const d = day[i];
    const c = customer[i];
    if (!(lastDataDay >= d)) lastDataDay = d;
    if (firstRow[c] !== firstRow[c]) firstRow[c] = i + 1;
    if (!cancelled[i]) start[c + 1]++;
    if (d > asOf) {
      afterAsOf++;
      continue;
    }
    rows[c]++;
    const a = amount[i];
    sum[c] += a;
    if (costSum && cost) costSum[c] += cost[i];
    const age = asOf - d;
    if (age < w) revRecent[c] += a;
    else if (age < 2 * w) revPrevious[c] += a;
    if (age < v) rev90d[c] += a;
    else if (age < 2 * v) revPrev90d[c] += a;
    if (cancelled[i]) continue;
    if (!(firstPurchase[c] <= d)) firstPurchase[c] = d;
    if (!(lastPurchase[c] >= d)) lastPurchase[c] = d;
    const o = order[i];
    const own = owner[o];
    if (own === -1) {
      owner[o] = c;
      orders[c]++;
    } else if (own !== c) {
      // The same order ID under two customers: count it once for each of them.
      shared ??= new Set();
      const key = `${o}:${c}`;
      if (!shared.has(key)) {
        shared.add(key);
        orders[c]++;
      }
    }
  }
  s.lastDataDay = lastDataDay;
  s.afterAsOf = afterAsOf;

  // The purchases grouped by customer (counting sort), each group sorted by day.
  for (let c = 0; c < count; c++) start[c + 1] += start[c];
  const bucket = new Int32Array(start[count]);
  const fill = start.slice(0, count);
  for (let i = 0; i < n; i++) if (!cancelled[i]) bucket[fill[customer[i]]++] = i;

  // each customer's distinct purchase days, in order, for the median gap and the repeat days
  // (fillPurchaseDays, which the engines' summaries use too)
  const distinct = new Int32Array(start[count]);
  const dayStart = new Int32Array(count + 1);
  let used = 0;
  const { txFirstDay, txDays, txLastDay, txTotal, txFirstSpend, holdoutDays } = s;
  for (let c = 0; c < count; c++) {
    const lo = start[c];
    const hi = start[c + 1];
    dayStart[c] = used;
    if (lo === hi) continue;
    sortByDay(bucket, lo, hi, day);
    const first = day[bucket[lo]];
    txFirstDay[c] = first;
    let days = 0;
    let holdout = 0;
    let total = 0;
    let firstSpend = 0;
    let last = NaN;
    let prev = NaN;
    for (let j = lo; j < hi; j++) {
      const i = bucket[j];
      const d = day[i];
      const a = amount[i];
      if (d === first) firstSpend += a;
      if (d !== prev) {
        distinct[used++] = d;
        if (d > asOf) holdout++;
        else {
          days++;
          last = d;
        }
      }
      if (d <= asOf) total += a;
      prev = d;
    }
    txDays[c] = days;
    txLastDay[c] = last;
    txTotal[c] = total;
    txFirstSpend[c] = firstSpend;
    holdoutDays[c] = holdout;
  }
  dayStart[count] = used;
  const everyone = new Int32Array(count);
  for (let c = 0; c < count; c++) everyone[c] = c;
  fillPurchaseDays(s, distinct.subarray(0, used), dayStart, everyone);
  return inCents(s);
}

/** Sort rows[lo, hi) by day: insertion sort (usually already in order), typed sort when long. */
function sortByDay(rows: Int32Array, lo: number, hi: number, day: Int32Array): void {
  if (hi - lo > 64) {
    rows.subarray(lo, hi).sort((p, q) => day[p] - day[q] || p - q);
    return;
  }
  for (let k = lo + 1; k < hi; k++) {
    const v = rows[k];
    const dv = day[v];
    let j = k - 1;
    while (j >= lo && day[rows[j]] > dv) {
      rows[j + 1] = rows[j];
      j--;
    }
    rows[j + 1] = v;
  }
}

/**
 * Sort a[lo, hi) ascending, in place: by insertion for a few values (most customers' days and
 * gaps: a typed sort of a subarray costs more to set up than to run there), else a typed sort.
 */
function sortRange(a: Float64Array | Int32Array, lo: number, hi: number): void {
  if (hi - lo > 32) {
    a.subarray(lo, hi).sort();
    return;
  }
  for (let j = lo + 1; j < hi; j++) {
    const v = a[j];
    let i = j - 1;
    while (i >= lo && a[i] > v) {
      a[i + 1] = a[i];
      i--;
    }
    a[i + 1] = v;
  }
}

/** Median of the first k values of a scratch array (sorted in place); the mean of the middle two for even k. */
function median(xs: Float64Array, k: number): number {
  sortRange(xs, 0, k);
  const mid = k >> 1;
  return k % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

/**
 * medianGap and repeatDays of a summary, from each customer's distinct purchase days, in any
 * order (sorted here, in place: summarizeOrders hands them over sorted, the DuckDB engine not).
 * Row k's days are days[start[k], start[k + 1]), its customer at[k]. The rules: gaps between
 * the days up to A; repeat days (any date, A's holdout included) of customers whose first
 * purchase is up to A.
 */
export function fillPurchaseDays(
  s: OrderSummary,
  days: Int32Array,
  start: Int32Array,
  at: Int32Array,
): void {
  const { asOf, medianGap } = s;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < days.length; i++) {
    const d = days[i];
    if (d < lo) lo = d;
    if (d > hi) hi = d;
  }
  // repeat days counted by day (a typed histogram over the days seen, not a map)
  const count = new Int32Array(days.length ? hi - lo + 1 : 0);
  let gapBuf = new Float64Array(64);
  for (let k = 0; k < at.length; k++) {
    const a = start[k];
    const b = start[k + 1];
    if (a === b) continue;
    sortRange(days, a, b);
    const first = days[a];
    if (first <= asOf) for (let j = a + 1; j < b; j++) count[days[j] - lo]++;
    if (gapBuf.length < b - a) gapBuf = new Float64Array(b - a);
    let g = 0;
    for (let j = a + 1; j < b && days[j] <= asOf; j++) gapBuf[g++] = days[j] - days[j - 1];
    if (g > 0) medianGap[at[k]] = median(gapBuf, g);
  }
  let n = 0;
  for (let i = 0; i < count.length; i++) if (count[i] > 0) n++;
  const day = new Int32Array(n);
  const times = new Int32Array(n);
  for (let i = 0, j = 0; i < count.length; i++)
    if (count[i] > 0) {
      day[j] = lo + i;
      times[j++] = count[i];
    }
  s.repeatDays = { day, n: times };
}

function putDoubles(v: Float64Array, into: Float64Array, at: Int32Array, nullAs: number): void {
  for (let k = 0; k < at.length; k++) {
    const x = v[k];
    into[at[k]] = x !== x ? nullAs : x;
  }
}

function putInts(v: Float64Array, into: Int32Array, at: Int32Array, nullAs: number): void {
  for (let k = 0; k < at.length; k++) {
    const x = v[k];
    into[at[k]] = x !== x ? nullAs : x;
  }
}

/**
 * A summary taken elsewhere (SQL's result, a --summary file), its columns by their SQL names
 * (NULL, undefined or NaN for none), into the typed arrays: row k at customer at[k].
 */
export function fillSummary(
  s: OrderSummary,
  cols: Record<string, ArrayLike<unknown>>,
  at: Int32Array,
): void {
  const put = (name: string, into: Float64Array | Int32Array, nullAs: number) => {
    const v = cols[name];
    if (v instanceof Float64Array) {
      // (the engines' numbers: a typed loop, not one through unknown values)
      if (into instanceof Float64Array) putDoubles(v, into, at, nullAs);
      else putInts(v, into, at, nullAs);
      return;
    }
    for (let k = 0; k < at.length; k++) {
      const x = v?.[k];
      into[at[k]] = x === null || x === undefined || x !== x ? nullAs : Number(x);
    }
  };
  put("first_row", s.firstRow, NaN);
  put("rows", s.rows, 0);
  put("first_purchase", s.firstPurchase, NaN);
  put("last_purchase", s.lastPurchase, NaN);
  put("orders", s.orders, 0);
  put("amount", s.amount, 0);
  if (s.cost) put("cost", s.cost, 0);
  put("rev_recent", s.revRecent, 0);
  put("rev_previous", s.revPrevious, 0);
  put("rev_90d", s.rev90d, 0);
  put("rev_prev_90d", s.revPrev90d, 0);
  put("median_gap", s.medianGap, NaN);
  put("tx_first_day", s.txFirstDay, NaN);
  put("tx_days", s.txDays, 0);
  put("tx_last_day", s.txLastDay, NaN);
  put("tx_total", s.txTotal, 0);
  put("tx_first_spend", s.txFirstSpend, 0);
  put("holdout_days", s.holdoutDays, 0);
}
