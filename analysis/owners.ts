/**
 * Account managers (客户经理, issue 17 §5): one row of figures per owner, as of the as-of date.
 *
 * Definitions (README "owners.csv"; every window counts the as-of date itself):
 * - owner: the Customers table's owner column, compared by `ownerKey` (NFKC, white space trimmed
 *   and runs of it made one space): "王磊" and "王磊 " are one owner, "Wang Lei" and "王磊" two.
 *   The first spelling met (table order) names the owner. Customers without an owner — an empty
 *   cell, or an ID found only in Orders — form the unassigned row (key UNASSIGNED), listed last.
 * - customers: the owner's customers with at least one usable order up to the as-of date;
 *   prospects: the owner's rows with none. customers + prospects = every customer of the owner.
 * - grade_a … grade_d: customers by ABC grade.
 * - overdue: next contact before the as-of date (stale items included);
 *   due_7d: next contact in [as-of, as-of + 6].
 * - contacts_7d / contacts_30d: Interactions rows of the owner's customers dated in
 *   [as-of − 6, as-of] / [as-of − 29, as-of].
 * - revenue_90d: net order amounts (cancellations subtract) dated in [as-of − 89, as-of];
 *   revenue_prev_90d: [as-of − 179, as-of − 90].
 * - moved_down: customers down in grade or stage against the previous snapshot (history.ts's
 *   movedDown); null without a previous snapshot.
 * - dormant: customers on the lifecycle's dormant list.
 * - cadence_kept: among graded customers (A–D), the share whose last interaction on or before
 *   the as-of date lies at most their grade's callDays before it (as-of − last ≤ callDays);
 *   null when the owner has no graded customer. A purchase alone is not a contact.
 *
 * Owners are listed in Chinese collation order (pinyin for Han names), unassigned last.
 *
 * An owner written two ways that differ only by white space is one owner and a warning on each
 * row spelled unlike the first (the rows are named, nothing is changed in the user's table).
 */
import type { Dataset, Issue, Measures, TableSource } from "./types.js";
import { CUSTOMER_COLUMNS, matchColumns } from "./headers.js";
import type { Grade, Settings } from "./settings.js";
import type { AbcResult } from "./grade.js";
import { contactHorizon, type FollowupResult } from "./followup.js";
import type { LifecycleResult } from "./lifecycle.js";
import type { Movement } from "./history.js";
import { orderSummary, OWNER_REVENUE_DAYS } from "./summary.js";

/** Stable key of the row of customers without an owner (shown translated: owners.unassigned). */
export const UNASSIGNED = "" as const;

/** Days in each window, as-of date included. */
export const OWNER_WINDOWS = {
  dueDays: 7,
  contactsShort: 7,
  contactsLong: 30,
  /** The order summary takes these sums (summary.ts). */
  revenue: OWNER_REVENUE_DAYS,
} as const;

/** The column the spelling warnings name when the table's own header is not at hand. */
const OWNER_COLUMN = "客户经理";

/** How owner names are compared: NFKC, trimmed, inner white space runs made one space. */
export function ownerKey(raw: string): string {
  return raw.normalize("NFKC").replace(/\s+/g, " ").trim();
}

export interface OwnerRow {
  /** ownerKey of the owner; UNASSIGNED ("") for customers without one. */
  key: string;
  /** The owner as first written (trimmed); "" for unassigned. */
  name: string;
  customers: number;
  prospects: number;
  grades: Record<Grade, number>;
  overdue: number;
  due7d: number;
  contacts7d: number;
  contacts30d: number;
  revenue90d: number;
  revenuePrev90d: number;
  /** null without a previous snapshot. */
  movedDown: number | null;
  dormant: number;
  /** 0..1, null when the owner has no graded customer. */
  cadenceKept: number | null;
}

export interface OwnersResult {
  /** Owners in name order (Chinese collation), unassigned last when there is any. */
  rows: OwnerRow[];
  /** Row index in `rows` per customer index. */
  ownerOf: Int32Array;
  issues: Issue[];
}

export interface OwnersInput {
  ds: Dataset;
  measures: Measures;
  settings: Settings;
  abc: AbcResult;
  followups: FollowupResult;
  lifecycle: LifecycleResult;
  movement: Movement | null;
  /**
   * The Customers table as read, when at hand: the owner as the user typed it, with its
   * surrounding white space (the cleaned record's owner is trimmed), and the column's header.
   */
  customersSource?: TableSource | null;
}

/** The owner cell as typed, per customer index (the trimmed record's owner without a source). */
function rawOwners(ds: Dataset, src: TableSource | null | undefined) {
  const col = src ? matchColumns(src.headers, CUSTOMER_COLUMNS).owner : -1;
  const raw = (c: number): string => {
    const rec = ds.records[c];
    if (!rec) return "";
    if (!src || col < 0) return rec.owner;
    const v = src.cell(rec.row - src.headerRow - 1, col);
    return typeof v === "string" ? v : rec.owner;
  };
  return { raw, header: src && col >= 0 ? src.headers[col] : OWNER_COLUMN };
}

const emptyRow = (key: string, name: string, hasMovement: boolean): OwnerRow => ({
  key,
  name,
  customers: 0,
  prospects: 0,
  grades: { A: 0, B: 0, C: 0, D: 0 },
  overdue: 0,
  due7d: 0,
  contacts7d: 0,
  contacts30d: 0,
  revenue90d: 0,
  revenuePrev90d: 0,
  movedDown: hasMovement ? 0 : null,
  dormant: 0,
  cadenceKept: null,
});

export function ownerFigures(input: OwnersInput): OwnersResult {
  const { ds, measures: m, settings, abc, followups, lifecycle, movement } = input;
  const n = ds.customerIds.length;
  const asOf = m.asOf;
  const typed = rawOwners(ds, input.customersSource);

  // owners by key, with every spelling and its rows. Each customer's owner key is kept as a
  // number (its place in keyList), found by the spelling: a million customers share a few
  // hundred owners, whose keys are made once each spelling.
  const keyOf = new Int32Array(n);
  const keyList: string[] = [];
  const keyNumber = new Map<string, number>();
  const numberOfSpelling = new Map<string, number>();
  const spellings = new Map<string, Map<string, number[]>>();
  for (let c = 0; c < n; c++) {
    const rec = ds.records[c];
    const raw = typed.raw(c);
    let k = numberOfSpelling.get(raw);
    if (k === undefined) {
      const made = ownerKey(raw);
      k = keyNumber.get(made);
      if (k === undefined) {
        keyNumber.set(made, (k = keyList.length));
        keyList.push(made);
      }
      numberOfSpelling.set(raw, k);
    }
    keyOf[c] = k;
    const key = keyList[k];
    if (!rec || key === UNASSIGNED) continue;
    let forms = spellings.get(key);
    if (!forms) spellings.set(key, (forms = new Map()));
    const rows = forms.get(raw);
    if (rows) rows.push(rec.row);
    else forms.set(raw, [rec.row]);
  }

  const issues: Issue[] = [];
  const names = new Map<string, string>();
  for (const [key, forms] of spellings) {
    const [first, ...others] = [...forms.keys()];
    names.set(key, first.trim());
    if (others.length === 0) continue;
    const firstRows = forms.get(first)!;
    for (const other of others) {
      for (const row of forms.get(other)!) {
        issues.push({
          source: ds.sources.customers ?? "",
          row,
          column: typed.header,
          value: other,
          reason: {
            key: "owners.issue.spelling",
            params: {
              value: JSON.stringify(other),
              first: JSON.stringify(first),
              rows: firstRows.slice(0, 5).join(", ") + (firstRows.length > 5 ? ", …" : ""),
              owner: key,
            },
          },
          severity: "warning",
        });
      }
    }
  }
  issues.sort((a, b) => a.row - b.row);

  // Chinese collation (pinyin order for Han names, alphabetical for Latin ones), then code points
  const ordered = [...names.keys()].sort(
    (a, b) => a.localeCompare(b, "zh-Hans-CN") || (a < b ? -1 : a > b ? 1 : 0),
  );
  if (keyNumber.has(UNASSIGNED)) ordered.push(UNASSIGNED);
  const hasMovement = movement !== null;
  const rows = ordered.map((k) => emptyRow(k, names.get(k) ?? "", hasMovement));
  const rowIndex = new Map(ordered.map((k, i) => [k, i]));
  const ownerOf = new Int32Array(n);
  const rowOfKey = Int32Array.from(keyList, (k) => rowIndex.get(k)!);
  for (let c = 0; c < n; c++) ownerOf[c] = rowOfKey[keyOf[c]];

  const graded = new Int32Array(rows.length);
  const kept = new Int32Array(rows.length);
  const lastContact = new Float64Array(n).fill(NaN);
  // customer by ID, for the interactions and the movement: made only when one of them has rows
  // (a million IDs' map took most of this function's time), without a pair per customer
  const index = new Map<string, number>();
  if (ds.interactions.length > 0 || (movement && movement.movedDown.length > 0))
    for (let c = 0; c < n; c++) index.set(ds.customerIds[c], c);
  const horizon = contactHorizon(settings, asOf);
  for (const x of ds.interactions) {
    const c = index.get(x.customer);
    if (c === undefined || x.day > horizon) continue;
    const row = rows[ownerOf[c]];
    const age = asOf - x.day;
    if (age < OWNER_WINDOWS.contactsShort) row.contacts7d++;
    if (age < OWNER_WINDOWS.contactsLong) row.contacts30d++;
    if (!(x.day <= lastContact[c])) lastContact[c] = x.day;
  }

  for (let c = 0; c < n; c++) {
    const o = ownerOf[c];
    const row = rows[o];
    if (m.hasRows[c]) row.customers++;
    else row.prospects++;
    const g = abc.grade[c];
    if (g) {
      row.grades[g]++;
      graded[o]++;
      if (asOf - lastContact[c] <= settings.grades[g].callDays) kept[o]++;
    }
    const next = followups.nextContact[c];
    if (next < asOf) row.overdue++;
    else if (next - asOf < OWNER_WINDOWS.dueDays) row.due7d++;
  }
  for (let o = 0; o < rows.length; o++)
    rows[o].cadenceKept = graded[o] > 0 ? kept[o] / graded[o] : null;

  const sum = orderSummary(ds, asOf);
  for (let c = 0; c < n; c++) {
    const row = rows[ownerOf[c]];
    row.revenue90d += sum.rev90d[c];
    row.revenuePrev90d += sum.revPrev90d[c];
  }
  for (const row of rows) {
    row.revenue90d = Math.round(row.revenue90d * 100) / 100;
    row.revenuePrev90d = Math.round(row.revenuePrev90d * 100) / 100;
  }

  for (const c of lifecycle.dormant) rows[ownerOf[c]].dormant++;
  if (movement) {
    for (const d of movement.movedDown) {
      const c = index.get(d.id);
      if (c !== undefined) rows[ownerOf[c]].movedDown!++;
    }
  }
  return { rows, ownerOf, issues };
}

/** The rows of the owner named `name` (compared by ownerKey); -1 when nobody has that name. */
export function findOwner(result: OwnersResult, name: string): number {
  const key = ownerKey(name);
  return result.rows.findIndex((r) => r.key === key);
}
