/**
 * The plain data that flows through the analysis core. Everything here is serialisable
 * except the typed arrays of the columnar order store, which exist for speed.
 *
 * Days are integers: days since 1970-01-01 (UTC calendar), "epoch days". Times of day are
 * dropped when a value is read. `dates.ts` converts to and from ISO text and Excel serials.
 */
import type { OrderSummary } from "./summary.js";

/** A cell as it comes from Excel's `values`, from exceljs or from a CSV field. */
export type Cell = string | number | boolean | Date | null | undefined;

/** User-facing language. zh = 简体中文, en = English. */
export type Lang = "zh" | "en";

/** A rectangular table read from a sheet or a file, its header row already located. */
export interface RawTable {
  /** Sheet name or file name, exactly as the user knows it. */
  source: string;
  /** 1-based sheet row of the header row; data row i sits at sheet row headerRow + 1 + i. */
  headerRow: number;
  /** 1-based column number of the table's first column (A = 1). */
  firstColumn: number;
  headers: string[];
  rows: Cell[][];
}

/**
 * Read access to a table's cells, so that the same cleaning code serves Excel values
 * (`RawTable`) and the zero-copy CSV reader. Implementations live in `source.ts` (cells) and
 * `node/csv.ts` (text offsets).
 */
export interface TableSource {
  readonly source: string;
  readonly headerRow: number;
  readonly firstColumn: number;
  readonly headers: readonly string[];
  readonly rowCount: number;
  /** The raw value, for messages and free-text fields. */
  cell(row: number, col: number): Cell;
  /** True when the cell is empty or only white space. */
  isBlank(row: number, col: number): boolean;
  /** Trimmed text of the cell ("" when blank). Numbers are written without grouping. */
  text(row: number, col: number): string;
  /** A number, NaN when the cell cannot be read as one (see values.ts for accepted shapes). */
  number(row: number, col: number, opts: ValueOptions): number;
  /** An epoch day, NaN when the cell cannot be read as a date. */
  date(row: number, col: number, opts: ValueOptions): number;
}

/** How ambiguous numbers and dates are read; fixed per column before a column is read. */
export interface ValueOptions {
  /** "1 234,50" style: comma is the decimal separator. */
  decimalComma: boolean;
  /** Order of day/month/year in slash or dot dates whose year comes last. */
  dateOrder: "mdy" | "dmy";
  /** Excel date system for numeric cells in date columns. */
  dateSystem: "1900" | "1904";
}

/** A message as data: rendered in the user's language by `messages/index.ts`. */
export interface Message {
  key: string;
  params?: Record<string, string | number>;
  /** Notes rendered after the message, in order (a stage reason's "dormant for 200 days"). */
  also?: Message[];
}

/** One unusable row (or value), listed on 数据问题 Data issues. */
export interface Issue {
  /** Sheet or file name. */
  source: string;
  /** 1-based sheet row (or file line); 0 when the issue concerns the whole table. */
  row: number;
  /** Header of the column as the user wrote it ("" for whole-row issues). */
  column: string;
  /** Raw value as text. */
  value: string;
  /** Why it was skipped or what was assumed. Keys live in messages/. */
  reason: Message;
  /** "skipped": the row was left out; "warning": the row was used, something was assumed. */
  severity: "skipped" | "warning";
}

/** Orders as clean columns: one entry per usable order row (line items stay rows). */
export interface Orders {
  /** Number of usable rows. */
  n: number;
  /** Index into Dataset.customerIds. */
  customer: Int32Array;
  /** Epoch day of the row. */
  day: Int32Array;
  /** Signed net amount: cancellations are negative. */
  amount: Float64Array;
  /** Signed cost per row, or null when the table has no Cost column. */
  cost: Float64Array | null;
  /** Dense order key: rows of one order share it; without an Order ID column each row is one order. */
  order: Int32Array;
  /** 1 when the row is a cancellation (ID starts with "C" or amount negative). */
  cancelled: Uint8Array;
  /** Number of distinct order keys. */
  orderCount: number;
}

/** A row of the Customers table (客户). */
export interface CustomerRecord {
  id: string;
  /** 1-based sheet row of this customer in its table. */
  row: number;
  name: string;
  contact: string;
  phone: string;
  email: string;
  industry: string;
  region: string;
  owner: string;
  source: string;
  /** Epoch day, or null. */
  firstContact: number | null;
  /** MAN qualification for prospects; null when not filled in. */
  money: boolean | null;
  authority: boolean | null;
  need: boolean | null;
  /** Raw 手动阶段 Stage override text, "" when empty. Interpreted by lifecycle.ts. */
  stageOverride: string;
  notes: string;
}

export const CHANNELS = {
  phone: { zh: "电话", en: "phone" },
  sms: { zh: "短信", en: "SMS" },
  email: { zh: "邮件", en: "email" },
  visit: { zh: "拜访", en: "visit" },
  wechat: { zh: "微信", en: "WeChat" },
  qq: { zh: "QQ", en: "QQ" },
  other: { zh: "其他", en: "other" },
} as const;
export type Channel = keyof typeof CHANNELS;
export const isChannel = (x: unknown): x is Channel => typeof x === "string" && x in CHANNELS;

export const INTERACTION_TYPES = {
  followup: { zh: "跟进", en: "follow-up" },
  complaint: { zh: "投诉", en: "complaint" },
  quote: { zh: "报价", en: "quote" },
  deal: { zh: "商机", en: "deal" },
  other: { zh: "其他", en: "other" },
} as const;
export type InteractionType = keyof typeof INTERACTION_TYPES;
export const isInteractionType = (x: unknown): x is InteractionType =>
  typeof x === "string" && x in INTERACTION_TYPES;

/** A row of the Interactions table (联系记录). */
export interface Interaction {
  customer: string;
  row: number;
  day: number;
  channel: Channel;
  type: InteractionType;
  /** Raw outcome text (结果). */
  outcome: string;
  /** Planned next contact (下次联系), epoch day or null. */
  nextContact: number | null;
}

/** Row counts for summary.json. */
export interface ReadCounts {
  /** Rows of every table (orders, customers, interactions). */
  rowsRead: number;
  rowsUsed: number;
  /** Rows of the order table alone ("Order rows used"). */
  orderRowsRead: number;
  orderRowsUsed: number;
  /** Skipped rows by message key. */
  skipped: Record<string, number>;
  /** Usable order rows dated after the as-of date (left out, kept for the CLV holdout). */
  afterAsOf: number;
}

/** Everything read and cleaned, ready for the rules. */
export interface Dataset {
  /** Dense customer index → customer ID: Customers table first (in its order), then IDs seen only in orders. */
  customerIds: string[];
  /** Per customer index: its Customers-table record, or null when it only appears in orders. */
  records: (CustomerRecord | null)[];
  orders: Orders;
  interactions: Interaction[];
  issues: Issue[];
  counts: ReadCounts;
  /** Whether the order table had a Cost column (enables profit, whale curve). */
  hasCost: boolean;
  /** Latest usable order day (before as-of filtering), NaN when none. */
  maxDay: number;
  /** Source names, for messages and the report. */
  sources: { orders: string; customers: string | null; interactions: string | null };
  /**
   * The orders as one row per customer (summary.ts), when they were summarised elsewhere (SQL:
   * DuckDB, Postgres, a --summary file); `orders` then holds no rows. Unset for the in-memory
   * path, whose summary the rules take from the rows.
   */
  summary?: OrderSummary;
  /** Where the Customers table's data rows are, for writing the owned columns back. */
  customerTable?: { headerRow: number; rowCount: number; hasStageOverride: boolean } | null;
}

/** Per-customer measures as of the as-of date (rfm.ts). Index = Dataset customer index. */
export interface Measures {
  asOf: number;
  count: number;
  /** First and last non-cancelled purchase day, NaN when none. */
  firstDay: Float64Array;
  lastDay: Float64Array;
  /** Whole days from the last purchase to the as-of date, NaN when none. */
  recency: Float64Array;
  /** Distinct non-cancelled orders. */
  frequency: Int32Array;
  /** Net amount, cancellations included (0 when no rows). */
  monetary: Float64Array;
  /** Net amount − net cost, or null without a Cost column. */
  profit: Float64Array | null;
  /** 1 when the customer has at least one usable row up to the as-of date. */
  hasRows: Uint8Array;
  /** 1 when the customer has at least one non-cancelled order (gets RFM scores). */
  purchased: Uint8Array;
}

/** One row of customers.csv / the Analysis sheet. null = does not apply (empty cell). */
export interface CustomerResult {
  index: number;
  id: string;
  name: string;
  firstPurchase: number | null;
  lastPurchase: number | null;
  recencyDays: number | null;
  frequency: number;
  monetary: number;
  avgOrderValue: number | null;
  profit: number | null;
  /** The value graded (monetary or profit); null for prospects. */
  value: number | null;
  r: number | null;
  f: number | null;
  m: number | null;
  rfmCode: string | null;
  /** RFM cube cell key (segment.ts CUBE). */
  cube: string | null;
  /** Named segment: SegmentRule.name, or "Others". */
  segment: string | null;
  grade: "A" | "B" | "C" | "D" | null;
  pyramid: string | null;
  scorecard: number | null;
  scorecardGrade: "A" | "B" | "C" | "D" | null;
  stage: string | null;
  stageReason: Message | null;
  stageManual: boolean;
  pAlive: number | null;
  expectedPurchases52w: number | null;
  expectedSpend: number | null;
  clv: number | null;
  nextContact: number | null;
}
