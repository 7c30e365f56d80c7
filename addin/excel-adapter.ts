/**
 * The Excel adapter: the only module that touches Excel's JavaScript API. It implements
 * WorkbookPort over an `ExcelHost` (Office's `Excel.run`, or the in-memory fake in tests and
 * the playground).
 *
 * Reading:  inventory (tables, sheets, the ownership record) → classify (table name → sheet
 *           name → headers) → check headers → read each table in blocks sized by bytes (probe,
 *           then ≤ READ_TARGET per request, never more than Excel's 5,000,000 cells) →
 *           RawTables for the analysis core.
 * Writing:  preflight (every check before the first change: protection, edit mode, hidden
 *           owned sheets, typed-into owned sheets, totals row, merged or busy cells where the
 *           result columns go) → the new owned sheets written under temporary names, hidden →
 *           one request swaps them in for the old ones and updates the ownership record → the
 *           result columns of the Customers table last. Operations are batched into requests
 *           below WRITE_TARGET bytes; screen updating is suspended once per request (1.9).
 *
 * Decisions:
 * - Ownership (ownership.ts): a sheet or column is the add-in's only when the record in the
 *   workbook says so (sheet ID; table ID + column position). Anything else that carries an
 *   owned name is the user's: never cleared or overwritten, still read as input; the add-in
 *   writes under a free name ("Analysis (2)") and says so once.
 * - A failure midway leaves the user's cells intact and the previous result sheets either
 *   intact (before the swap) or fully replaced (after it). Owned sheets are replaced, not
 *   cleared, so a formula of the user's that points into one shows #REF! after a run; formulas
 *   should point at the result columns, which stay in place.
 * - The Settings sheet is created once and never written again.
 * - A result column is appended only into empty, unmerged cells: if anything sits to the right
 *   of the Customers table the write stops with a message naming the cell.
 * - Text stays text: text columns get the Text number format ("@") in the same request as,
 *   and before, their values; a string Excel would read as something else in a General cell
 *   ("007", "1E5", "Jan 5", "#N/A", "TRUE", "=1+1") is also sent with Excel's quote prefix.
 */
import {
  CUSTOMER_COLUMNS,
  INTERACTION_COLUMNS,
  ORDER_COLUMNS,
  classifyTable,
  locateHeaderRow,
  matchColumns,
} from "../analysis/headers.js";
import { dayFromDate, dayToExcelSerial } from "../analysis/dates.js";
import type { InteractionRole } from "../analysis/headers.js";
import {
  INTERACTIONS_SHEET,
  interactionRow,
  newTableRow,
  roleHeader,
  tableLang,
  type ContactEntry,
  type RowCell,
} from "../analysis/contact-log.js";
import type { Cell, Message, RawTable } from "../analysis/types.js";
import {
  COLOUR_SCALE,
  HEALTH_COLOURS,
  NUMBER_FORMATS,
  cellFormatOf,
  type CellFormat,
  type ChartModel,
  type ColumnOutput,
  type OutColumn,
  type OutValue,
  type OwnedColumn,
  type OwnedSheet,
  type SheetBlock,
  type SheetModel,
  type WorkbookOutput,
  OWNED_SHEETS,
} from "../analysis/workbook.js";
import type { Health } from "../analysis/stages.js";
import { cellAddress, parseAddress } from "./a1.js";
import { convertsInGeneral, EXCEL_ERRORS } from "./excel-text.js";
import {
  clashName,
  emptyRecord,
  fingerprint,
  FINGERPRINT_CELLS,
  isVariantOf,
  ownedColumns,
  OWNERSHIP_NAMESPACE,
  ownedSheetOfName,
  recordFromXml,
  recordToXml,
  type OwnedColumnRecord,
  type OwnershipRecord,
} from "./ownership.js";
import {
  AddinError,
  CancelledError,
  type AppendOptions,
  type AppendResult,
  type FoundTable,
  type PlainRange,
  type PortInput,
  type PortOptions,
  type ReadResult,
  type SelectedRow,
  type TableKind,
  type WorkbookPort,
  type WriteOptions,
  type WriteReport,
} from "./workbook-port.js";
import { jsonStringBytes, utf8Length } from "./json-bytes.js";

/** What the adapter needs from Office: `Excel.run` and the requirement-set check. */
export interface ExcelHost {
  run<T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T>;
  isSetSupported(name: string, version: string): boolean;
  /** Bytes a request or response may carry; REQUEST_LIMIT when not given (the in-memory
   * workbook gives its own, so tests can lower it). Requests are sized to ¾ of it. */
  readonly requestLimit?: number;
}

/** Where a table of each kind keeps its customer ID (headers.ts aliases). */
const ID_SPEC = {
  customers: CUSTOMER_COLUMNS,
  orders: ORDER_COLUMNS,
  interactions: INTERACTION_COLUMNS,
} as const;

/** The real host, inside Office. */
export function officeHost(): ExcelHost {
  return {
    run: (batch) => Excel.run(batch),
    isSetSupported: (name, version) => Office.context.requirements.isSetSupported(name, version),
  };
}

/** Excel rejects requests and responses above 5 MB on the web; we stay under 4 MB with margin. */
export const REQUEST_LIMIT = 4 * 1024 * 1024;
export const WRITE_TARGET = 3 * 1024 * 1024;
export const READ_TARGET = 3 * 1024 * 1024;
export const READ_CELL_LIMIT = 5_000_000;
/**
 * Per-operation overhead of Office.js's request JSON (method, ids, property names): an upper
 * bound of what the in-memory workbook counts for a `values` or `numberFormat` setter besides
 * the array's own JSON (48 + `{"numberFormat":…}`).
 */
const OP_OVERHEAD = 256;
/** The screen-updating suspension queued at the start of a request (1.9). */
const SUSPEND_BYTES = 64;
const PROBE_BYTES = 256 * 1024;

const HEADER_FILL = "#DCE6F1";
const TITLE_FONT = "#1F3864";
const AUTOFIT_ROWS = 200;

const TABLE_NAME_FOR: Partial<Record<TableKind, string>> = {
  customers: "Customers",
  orders: "Orders",
  interactions: "Interactions",
};

// ---------------------------------------------------------------------------------------------
// Small helpers

export { jsonStringBytes, utf8Length };

/** Bytes of a value in the request JSON (exact for strings, numbers, booleans and null). */
export function valueBytes(v: unknown): number {
  if (typeof v === "string") return jsonStringBytes(v);
  if (typeof v === "number") return Number.isFinite(v) ? String(v).length : 4;
  if (typeof v === "boolean") return v ? 4 : 5;
  if (v === null || v === undefined) return 4;
  return utf8Length(JSON.stringify(v) ?? "null");
}

/** Bytes of a row in a 2-D array's JSON, with the comma that follows it. */
export function rowBytes(row: readonly unknown[]): number {
  let n = 2;
  for (const v of row) n += valueBytes(v) + 1;
  return Math.max(3, n);
}

const isPayloadError = (e: unknown): boolean =>
  /PayloadSizeLimit|ResponsePayload|RequestPayload/i.test(
    String((e as { code?: string })?.code ?? (e as Error)?.message ?? ""),
  );

function checkCancel(signal?: AbortSignal): void {
  if (signal?.aborted) throw new CancelledError();
}

/** The Text number format: a string in such a cell stays the same text. */
export const TEXT_FORMAT = "@";
/** A row of a one-column numberFormat array of "@" in the request JSON: `["@"],`. */
const TEXT_FORMAT_ROW_BYTES = 6;

/**
 * A string as sent to Excel so that it reads back as the same string, in a General or a Text
 * cell: with the quote prefix when Excel would convert it ("007", "Jan 5", "#N/A", "=1+1") or
 * when it starts with an apostrophe itself (which Excel would take as the prefix).
 */
export function textValue(s: string): string {
  return convertsInGeneral(s) ? `'${s}` : s;
}

/** A model value as the cell value Excel should receive. */
export function cellValue(
  v: OutValue,
  format: CellFormat,
  dateSystem: "1900" | "1904",
): string | number {
  if (v === null) return "";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return "";
    if (format === "date") {
      const s = dayToExcelSerial(v, dateSystem);
      return Number.isFinite(s) ? s : "";
    }
    return v;
  }
  return textValue(v);
}

function cellText(c: unknown): string {
  return c === null || c === undefined ? "" : String(c).trim();
}

/** Excel's error code of a failed request ("" when it is not an Excel error). */
export function excelCode(e: unknown): string {
  return String((e as { code?: string })?.code ?? "");
}

/** A function's Excel error as a message for the user. */
export function excelErrorMessage(e: unknown): Message {
  if (e instanceof AddinError) return e.msg;
  const code = excelCode(e);
  // Excel refuses every API call while a cell is being edited (error code list, Microsoft Learn).
  if (code === "InvalidOperationInCellEditMode") return { key: "addin.error.editMode" };
  const detail = (e as Error)?.message ?? String(e);
  return { key: "addin.error.excel", params: { code, detail } };
}

// ---------------------------------------------------------------------------------------------
// Slicing main-thread work

/**
 * The pane's own work between two requests runs in slices of about this long, each a task of
 * its own, so the pane paints, Cancel is taken, and no task nears the 200 ms of issue 15 §3
 * (Office restarts an add-in that does not respond for 5 s).
 */
const SLICE_MS = 25;
const clock = (): number => (typeof performance !== "undefined" ? performance.now() : Date.now());
/** Resolves in a later task (a macrotask), after the browser has had its turn. */
export const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Tells a loop when its task has run SLICE_MS (the clock is read every 256 calls). */
class Slicer {
  private start = clock();
  private calls = 0;
  constructor(private readonly signal?: AbortSignal) {}
  due(): boolean {
    if ((++this.calls & 255) !== 0) return false;
    return clock() - this.start >= SLICE_MS;
  }
  /** A later task; throws CancelledError when the user cancelled meanwhile. */
  async pause(): Promise<void> {
    await nextTask();
    checkCancel(this.signal);
    this.restart();
  }
  /** A new task began (a request was answered). */
  restart(): void {
    this.start = clock();
  }
}

// ---------------------------------------------------------------------------------------------
// Request batching

/** Queues operations and syncs when the next one would push the request past the target. */
class Batch {
  private bytes = 0;
  syncs = 0;
  /** Largest estimate of a request sent (tests compare it with what the host counted). */
  largest = 0;
  readonly slicer: Slicer;
  constructor(
    private readonly ctx: Excel.RequestContext,
    private readonly suspendScreen: boolean,
    private readonly signal?: AbortSignal,
    private readonly onFlush?: () => void,
    /** Estimated bytes at which a request is sent (¾ of the host's limit). */
    readonly target = WRITE_TARGET,
  ) {
    this.slicer = new Slicer(signal);
  }

  /** Queue operations (`ops` of them) whose payloads take `bytes` in the request JSON. */
  async add(bytes: number, queue: () => void, ops = 1): Promise<void> {
    const b = bytes + ops * OP_OVERHEAD;
    if (this.bytes > 0 && this.bytes + b > this.target) await this.flush();
    if (this.bytes === 0 && this.suspendScreen) {
      this.ctx.workbook.application.suspendScreenUpdatingUntilNextSync();
      this.bytes += SUSPEND_BYTES;
    }
    queue();
    this.bytes += b;
  }

  /** Bytes of payload that `ops` operations may carry in one request of their own. */
  room(ops: number): number {
    return this.target - ops * OP_OVERHEAD - SUSPEND_BYTES;
  }

  /** Sync what is queued; `force` syncs even when only loads are queued. */
  async flush(force = false): Promise<void> {
    if (this.bytes === 0 && !force) return;
    checkCancel(this.signal);
    this.largest = Math.max(this.largest, this.bytes);
    this.bytes = 0;
    await this.ctx.sync();
    this.slicer.restart();
    this.syncs++;
    this.onFlush?.();
  }
}

/** Split rows into consecutive chunks of at most `target` bytes (at least one row each). */
export function chunkRows<T>(
  rows: readonly T[],
  bytesOf: (r: T) => number,
  target = WRITE_TARGET - OP_OVERHEAD,
): { start: number; rows: T[]; bytes: number }[] {
  const out: { start: number; rows: T[]; bytes: number }[] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < rows.length; i++) {
    const b = bytesOf(rows[i]);
    if (i > start && bytes + b > target) {
      out.push({ start, rows: rows.slice(start, i), bytes });
      start = i;
      bytes = 0;
    }
    bytes += b;
  }
  if (rows.length > start) out.push({ start, rows: rows.slice(start), bytes });
  return out;
}

/**
 * Rows built one at a time (`build(i)`, i < count) into chunks that each fit one request of
 * their own with `ops` operations: `bytesOf` is a row's share of all their payloads (values,
 * formats). Building yields a task whenever the current one has run SLICE_MS.
 */
async function* buildChunks<T>(
  batch: Batch,
  count: number,
  build: (i: number) => T,
  bytesOf: (row: T, i: number) => number,
  ops: number,
): AsyncGenerator<{ start: number; rows: T[]; bytes: number }> {
  const room = batch.room(ops);
  let rows: T[] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    if (batch.slicer.due()) await batch.slicer.pause();
    const row = build(i);
    const b = bytesOf(row, i);
    if (rows.length > 0 && bytes + b > room) {
      yield { start, rows, bytes };
      rows = [];
      start = i;
      bytes = 0;
    }
    rows.push(row);
    bytes += b;
  }
  if (rows.length > 0) yield { start, rows, bytes };
}

// ---------------------------------------------------------------------------------------------
// Reading

interface Located {
  kind: TableKind;
  sheet: string;
  table: string | null;
  /** Excel table ID (null for a plain range). */
  tableId: string | null;
  /** Customers: the add-in's result columns in it (index → key), by the ownership record. */
  owned: Map<number, { key: OwnedColumn; rec: OwnedColumnRecord }>;
  /** 0-based sheet row of the header row and first column. */
  headerRow: number;
  firstCol: number;
  headers: string[];
  /** Data rows below the header. */
  rows: number;
}

/** Read a block of values in requests sized by bytes; adapts when rows get wider. */
async function readBlocks(
  ctx: Excel.RequestContext,
  sheet: string,
  row: number,
  col: number,
  rows: number,
  cols: number,
  opts: PortOptions & { progress?: (n: number) => void; target?: number },
): Promise<Cell[][]> {
  const out: Cell[][] = [];
  if (rows <= 0 || cols <= 0) return out;
  const ws = ctx.workbook.worksheets.getItem(sheet);
  const maxRowsByCells = Math.max(1, Math.floor(READ_CELL_LIMIT / cols));
  const target = opts.target ?? READ_TARGET;
  const probe = Math.min(PROBE_BYTES, target / 8);
  let perBlock = Math.min(maxRowsByCells, Math.max(1, Math.floor(probe / (cols * 32))));
  let widest = 0;
  const slicer = new Slicer(opts.signal);
  for (let r = 0; r < rows;) {
    checkCancel(opts.signal);
    const n = Math.min(perBlock, rows - r);
    const range = ws.getRangeByIndexes(row + r, col, n, cols);
    range.load("values");
    try {
      await ctx.sync();
    } catch (e) {
      if (isPayloadError(e) && n > 1) {
        perBlock = Math.max(1, Math.floor(n / 2));
        continue;
      }
      throw e;
    }
    const values = range.values as Cell[][];
    slicer.restart();
    for (const line of values) {
      if (slicer.due()) await slicer.pause();
      const b = rowBytes(line);
      if (b > widest) widest = b;
      out.push(line);
    }
    r += n;
    opts.progress?.(n);
    perBlock = Math.max(1, Math.min(maxRowsByCells, Math.floor(target / (widest * 1.25))));
  }
  return out;
}

/** Cells read together in one request when fingerprinting small sheets (≈1–3 MB at most). */
const SMALL_READ_CELLS = 20_000;

/**
 * Values of several blocks (sheet by name or ID): small ones packed into shared requests, a
 * large one in requests of its own sized by bytes (readBlocks).
 */
async function readMany(
  ctx: Excel.RequestContext,
  items: { sheet: string; block: { row: number; col: number; rows: number; cols: number } }[],
  opts: PortOptions & { target?: number },
): Promise<Cell[][][]> {
  const out: Cell[][][] = new Array(items.length);
  // ≈150 bytes a cell at most: 20,000 cells under a 4 MB limit, fewer under a lower one
  const small = Math.min(SMALL_READ_CELLS, Math.floor((opts.target ?? READ_TARGET) / 150));
  let pending: { i: number; r: Excel.Range }[] = [];
  let cells = 0;
  const flush = async () => {
    if (!pending.length) return;
    checkCancel(opts.signal);
    await ctx.sync();
    for (const p of pending) out[p.i] = p.r.values as Cell[][];
    pending = [];
    cells = 0;
  };
  for (const [i, { sheet, block: b }] of items.entries()) {
    const n = b.rows * b.cols;
    if (n > small) {
      out[i] = await readBlocks(ctx, sheet, b.row, b.col, b.rows, b.cols, opts);
      continue;
    }
    if (cells + n > small) await flush();
    const r = ctx.workbook.worksheets
      .getItem(sheet)
      .getRangeByIndexes(b.row, b.col, b.rows, b.cols);
    r.load("values");
    pending.push({ i, r });
    cells += n;
  }
  await flush();
  return out;
}

/** Header strings of a header row (blank → ""). */
const headerStrings = (row: readonly unknown[]): string[] => row.map(cellText);

/**
 * Headers of a plain range the analysis will read: a blank header over a column that holds
 * data (what merged header cells leave) or two columns with the same header stop the run with
 * a message naming the cells. Excel tables need no check: Excel keeps their headers filled
 * and unique.
 */
function checkHeaders(
  sheet: string,
  headerRow: number,
  firstCol: number,
  headers: readonly string[],
  body: readonly (readonly Cell[])[],
): void {
  const seen = new Map<string, number>();
  headers.forEach((h, j) => {
    const cell = cellAddress(headerRow, firstCol + j);
    if (h === "") {
      if (body.some((r) => cellText(r[j]) !== ""))
        throw new AddinError({ key: "addin.error.headerBlank", params: { sheet, cell } });
      return;
    }
    const key = h.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined)
      throw new AddinError({
        key: "addin.error.headerDuplicate",
        params: { sheet, header: h, first: cellAddress(headerRow, firstCol + first), cell },
      });
    seen.set(key, j);
  });
}

/** The rows as the analysis core takes them ("" → null, only the kept columns), in slices. */
async function rawTable(
  loc: Located,
  rows: Cell[][],
  keep: number[] | undefined,
  signal?: AbortSignal,
): Promise<RawTable> {
  const pick = keep ?? loc.headers.map((_, i) => i);
  const out = new Array<Cell[]>(rows.length);
  const slicer = new Slicer(signal);
  for (let k = 0; k < rows.length; k++) {
    if (slicer.due()) await slicer.pause();
    const r = rows[k];
    out[k] = keep
      ? pick.map((i) => (r[i] === "" ? null : r[i]))
      : r.map((v) => (v === "" ? null : v));
  }
  // Keep the first column of the kept set as firstColumn only when the kept columns are contiguous from 0.
  return {
    source: loc.sheet,
    headerRow: loc.headerRow + 1,
    firstColumn: loc.firstCol + 1,
    headers: pick.map((i) => loc.headers[i]),
    rows: out,
  };
}

// ---------------------------------------------------------------------------------------------
// The ownership record in the workbook

interface RecordHandle {
  record: OwnershipRecord;
  /** The part holding it; null until one is added. */
  part: Excel.CustomXmlPart | null;
}

/** Load the record (one or two requests). */
async function loadRecord(
  ctx: Excel.RequestContext,
  sync: () => Promise<void>,
): Promise<RecordHandle> {
  const part = ctx.workbook.customXmlParts
    .getByNamespace(OWNERSHIP_NAMESPACE)
    .getOnlyItemOrNullObject();
  part.load("id");
  await sync();
  if (part.isNullObject) return { record: emptyRecord(), part: null };
  const xml = part.getXml();
  await sync();
  return { record: recordFromXml(xml.value), part };
}

/** Queue the record's save (in the request of the change it records). */
function saveRecord(ctx: Excel.RequestContext, h: RecordHandle): number {
  const xml = recordToXml(h.record);
  if (h.part) h.part.setXml(xml);
  else h.part = ctx.workbook.customXmlParts.add(xml);
  return xml.length;
}

const sameName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** Block of an A1 address (sheet prefix allowed). */
function blockOf(
  address: string | null,
): { row: number; col: number; rows: number; cols: number } | null {
  if (!address) return null;
  try {
    return parseAddress(address);
  } catch {
    return null;
  }
}

const inside = (
  a: { row: number; col: number; rows: number; cols: number },
  b: { row: number; col: number; rows: number; cols: number },
): boolean =>
  a.row >= b.row &&
  a.col >= b.col &&
  a.row + a.rows <= b.row + b.rows &&
  a.col + a.cols <= b.col + b.cols;

const STAGING_PREFIX = "~crm-";
const chartName = (sheetKey: string, chartId: string): string => `crm-${sheetKey}-${chartId}`;

// ---------------------------------------------------------------------------------------------
// The port

interface SheetInfo {
  name: string;
  id: string;
  visibility: string;
  position: number;
}

/** How far a write got: what a failure leaves to recover. */
interface WriteState {
  phase: "preflight" | "sheets" | "swap" | "columns";
}

interface SheetWritePlan {
  model: SheetModel;
  /** The previous owned sheet, replaced at the swap. */
  old: SheetInfo | null;
  finalName: string;
  temp: string;
  tempId: string;
}

export class ExcelPort implements WorkbookPort {
  /** Where each source (sheet) was found by the last read, for selecting issue cells. */
  private located = new Map<string, Located>();
  /** The Follow-ups sheet's name after the last write (the user may rename it). */
  private followupsSheet: string | null = null;
  private customers: Located | null = null;

  constructor(private readonly host: ExcelHost) {}

  /** Bytes a request or response is sized to: ¾ of the host's limit (3 MB of 4 MB). */
  private requestTarget(): number {
    return Math.floor(((this.host.requestLimit ?? REQUEST_LIMIT) * 3) / 4);
  }

  support(): { funnel: boolean; screenUpdating: boolean; pageLayout: boolean } {
    const v19 = this.host.isSetSupported("ExcelApi", "1.9");
    // Worksheet.pageLayout (print setup) is ExcelApi 1.9 too; before it, sheets print as Excel's default
    return { funnel: v19, screenUpdating: v19, pageLayout: v19 };
  }

  /** Excel.run, with edit mode turned into the user's message. */
  private async run<T>(batch: (ctx: Excel.RequestContext) => Promise<T>): Promise<T> {
    try {
      return await this.host.run(batch);
    } catch (e) {
      if (excelCode(e) === "InvalidOperationInCellEditMode")
        throw new AddinError({ key: "addin.error.editMode" });
      throw e;
    }
  }

  async read(opts: PortOptions = {}): Promise<ReadResult> {
    return this.run(async (ctx) => {
      const { tables: found, plain } = await this.locate(ctx, opts);
      const total = [...found.values()].reduce((s, l) => s + l.rows, 0);
      let done = 0;
      const input: PortInput = {
        orders: null,
        customers: null,
        interactions: null,
        settings: null,
        history: null,
      };
      const list: FoundTable[] = [];
      this.located.clear();
      for (const [kind, loc] of found) {
        opts.onProgress?.({ phase: "read", done, total });
        const rows = await readBlocks(
          ctx,
          loc.sheet,
          loc.headerRow + 1,
          loc.firstCol,
          loc.rows,
          loc.headers.length,
          {
            ...opts,
            target: this.requestTarget(),
            progress: (n) => {
              done += n;
              opts.onProgress?.({ phase: "read", done, total });
            },
          },
        );
        let keep: number[] | undefined;
        if (kind === "customers") {
          // Only the columns the record says are the add-in's are left out of the input.
          keep = loc.headers.map((_, i) => (loc.owned.has(i) ? -1 : i)).filter((i) => i >= 0);
          this.customers = loc;
        }
        input[kind] = await rawTable(loc, rows, keep, opts.signal);
        this.located.set(loc.sheet, loc);
        list.push({ kind, sheet: loc.sheet, table: loc.table, rows: loc.rows });
      }
      if (!found.has("customers")) this.customers = null;
      return { input, found: list, plainRanges: plain };
    });
  }

  /** Find the tables: Excel tables first (by table name, sheet name, headers), then plain ranges. */
  private async locate(
    ctx: Excel.RequestContext,
    opts: PortOptions,
  ): Promise<{ tables: Map<TableKind, Located>; plain: PlainRange[] }> {
    checkCancel(opts.signal);
    const sheets = ctx.workbook.worksheets;
    sheets.load("items/name, items/id");
    const tables = ctx.workbook.tables;
    tables.load("items/name, items/id");
    const { record } = await loadRecord(ctx, () => ctx.sync());
    const ownedById = new Map<string, OwnedSheet>();
    for (const [key, rec] of Object.entries(record.sheets) as [OwnedSheet, { id: string }][])
      ownedById.set(rec.id, key);
    const sheetIdOf = new Map(sheets.items.map((s) => [s.name, s.id]));
    const tinfo = tables.items.map((t) => {
      const ws = t.worksheet;
      ws.load("name, id");
      const header = t.getHeaderRowRange();
      header.load("values, rowIndex, columnIndex");
      const body = t.getDataBodyRange();
      body.load("rowCount");
      t.load("showTotals");
      return { name: t.name, id: t.id, t, ws, header, body };
    });
    await ctx.sync();

    const out = new Map<TableKind, Located>();
    const sheetsWithTables = new Set<string>();
    // An Excel table on a sheet the record owns is not input (the add-in makes none there); on
    // any other sheet, whatever its name, it is the user's and read as input.
    for (const ti of tinfo) {
      const sheet = ti.ws.name;
      sheetsWithTables.add(sheet);
      const headers = headerStrings(ti.header.values[0]);
      const kind = ownedById.has(ti.ws.id) ? null : classifyTable(ti.name, sheet, headers);
      if (!kind || out.has(kind) || kind === "settings" || kind === "history") continue;
      const rows = ti.body.rowCount;
      if (kind === "customers" && ti.t.showTotals)
        throw new AddinError({
          key: "addin.error.totalsRow",
          params: { table: ti.name, sheet, row: ti.header.rowIndex + rows + 2 },
        });
      // An empty table still has one blank body row in Excel; the core skips blank rows.
      out.set(kind, {
        kind,
        sheet,
        table: ti.name,
        tableId: ti.id,
        headerRow: ti.header.rowIndex,
        firstCol: ti.header.columnIndex,
        headers,
        rows,
        owned: kind === "customers" ? ownedColumns(record, ti.id, headers) : new Map(),
      });
    }

    // Plain ranges and the Settings / Stage history sheets: the owned ones first (by ID), then
    // a user's sheet of that name (read as input, never written).
    const candidates = sheets.items
      .filter((s) => !sheetsWithTables.has(s.name))
      .sort((a, b) => Number(ownedById.has(b.id)) - Number(ownedById.has(a.id)))
      .map((s) => s.name);
    const used = candidates.map((name) => {
      const r = ctx.workbook.worksheets.getItem(name).getUsedRangeOrNullObject(true);
      r.load("rowIndex, columnIndex, rowCount, columnCount");
      return { name, r };
    });
    await ctx.sync();
    const probes = used
      .filter((u) => !u.r.isNullObject)
      .map((u) => {
        const rows = Math.min(u.r.rowCount, 20);
        const top = ctx.workbook.worksheets
          .getItem(u.name)
          .getRangeByIndexes(u.r.rowIndex, u.r.columnIndex, rows, u.r.columnCount);
        top.load("values");
        return {
          name: u.name,
          row: u.r.rowIndex,
          col: u.r.columnIndex,
          rows: u.r.rowCount,
          cols: u.r.columnCount,
          top,
        };
      });
    if (probes.length) await ctx.sync();
    const plain: PlainRange[] = [];
    let headerProblem: AddinError | null = null;
    for (const p of probes) {
      const rows = p.top.values as Cell[][];
      // A plain range on a sheet the record owns, or on one that carries an owned name (output
      // of a version before the record, or a user's sheet of that name), is not searched for
      // input, except Settings and Stage history (input the add-in never rewrites).
      const byId = ownedById.get(sheetIdOf.get(p.name) ?? "");
      const byName = ownedSheetOfName(p.name);
      const owned = byId ?? byName;
      const ownedKind: TableKind | null =
        owned === "settings" ? "settings" : owned === "history" ? "history" : null;
      if (!ownedKind && owned) continue;
      let h = locateHeaderRow(rows);
      if (h < 0) h = rows.findIndex((r) => r.filter((c) => cellText(c) !== "").length >= 2);
      if (h < 0) continue;
      const headers = headerStrings(rows[h]);
      const kind = ownedKind ?? classifyTable(null, p.name, headers);
      if (!kind || out.has(kind)) continue;
      if (!ownedKind && (kind === "settings" || kind === "history")) continue;
      if (!ownedKind && !headerProblem)
        try {
          checkHeaders(p.name, p.row + h, p.col, headers, rows.slice(h + 1));
        } catch (e) {
          headerProblem = e as AddinError; // after the merged-cells check, which says more
        }
      const loc: Located = {
        kind,
        sheet: p.name,
        table: null,
        tableId: null,
        headerRow: p.row + h,
        firstCol: p.col,
        headers,
        rows: p.rows - h - 1,
        owned: new Map(),
      };
      out.set(kind, loc);
      if (!ownedKind)
        plain.push({
          kind,
          sheet: p.name,
          address: cellAddress(loc.headerRow, loc.firstCol, loc.rows + 1, headers.length),
        });
    }
    // Merged header cells (ExcelApi 1.13; without it the blank-header check above finds them).
    if (this.host.isSetSupported("ExcelApi", "1.13")) {
      const merged = [...out.values()]
        .filter((l) => l.table === null && l.kind !== "settings" && l.kind !== "history")
        .map((l) => {
          const m = ctx.workbook.worksheets
            .getItem(l.sheet)
            .getRangeByIndexes(l.headerRow, l.firstCol, 1, Math.max(1, l.headers.length))
            .getMergedAreasOrNullObject();
          m.load("address");
          return { l, m };
        });
      if (merged.length) {
        await ctx.sync();
        const hit = merged.find((x) => !x.m.isNullObject);
        if (hit)
          throw new AddinError({
            key: "addin.error.headerMerged",
            params: {
              sheet: hit.l.sheet,
              cell: hit.m.address.split(",")[0].split("!").pop() ?? "",
            },
          });
      }
    }
    if (headerProblem) throw headerProblem;
    return { tables: out, plain };
  }

  async write(output: WorkbookOutput, opts: WriteOptions): Promise<WriteReport> {
    const state: WriteState = { phase: "preflight" };
    try {
      const report = await this.run((ctx) => this.writeIn(ctx, output, opts, state));
      this.followupsSheet = report.names?.followups ?? null;
      return report;
    } catch (e) {
      if (state.phase === "preflight") throw e;
      // Stopped midway: finish or undo what the record says was under way (best effort; the
      // next run does the same with whatever is left).
      let sheets: "old" | "new" = state.phase === "columns" ? "new" : "old";
      if (state.phase !== "columns")
        sheets = await this.recover().catch(() => (state.phase === "swap" ? "new" : "old"));
      if (e instanceof AddinError) throw e;
      const detail = excelErrorMessage(e);
      const text =
        detail.key === "addin.error.editMode"
          ? "InvalidOperationInCellEditMode"
          : `${excelCode(e) || "Error"}: ${(e as Error)?.message ?? String(e)}`;
      if (sheets === "old")
        throw new AddinError({ key: "addin.error.midwaySheets", params: { detail: text } });
      throw new AddinError({
        key: "addin.error.midwayColumns",
        params: {
          detail: text,
          table: this.customers?.table ?? "",
          sheet: this.customers?.sheet ?? "",
        },
      });
    }
  }

  /**
   * After a write stopped midway: if the swap had begun (the record lists sheets to retire),
   * finish it — delete those, name and show the new sheets; else delete the staged sheets.
   * Returns which result sheets the workbook now shows.
   */
  private async recover(): Promise<"old" | "new"> {
    return this.host.run(async (ctx) => {
      const sheets = ctx.workbook.worksheets;
      sheets.load("items/name, items/id, items/visibility");
      const h = await loadRecord(ctx, () => ctx.sync());
      const r = h.record;
      const finishing = r.retire.length > 0;
      if (!finishing && !r.staging.length) return "old";
      const owned = new Set(Object.values(r.sheets).map((x) => x!.id));
      const list = sheets.items.map((x) => ({ name: x.name, id: x.id, visibility: x.visibility }));
      const gone = new Set<string>();
      for (const x of list)
        if (
          !owned.has(x.id) &&
          (r.retire.includes(x.id) || r.staging.some((n) => sameName(n, x.name)))
        ) {
          ctx.workbook.worksheets.getItem(x.id).delete();
          gone.add(x.id);
        }
      // The new sheets of a swap that stopped partway: named and shown.
      for (const rec of finishing ? Object.values(r.sheets) : []) {
        const x = list.find((y) => y.id === rec!.id);
        if (!x) continue;
        const ws = ctx.workbook.worksheets.getItem(x.id);
        if (x.name.startsWith(STAGING_PREFIX)) {
          const taken = (n: string) =>
            list.some((y) => y.id !== x.id && !gone.has(y.id) && sameName(y.name, n));
          const name = taken(rec!.name) ? clashName(rec!.name, "en", taken) : rec!.name;
          ws.name = name;
          rec!.name = name;
        }
        if (x.visibility !== "Visible") ws.visibility = "Visible";
      }
      r.staging = [];
      r.retire = [];
      saveRecord(ctx, h);
      await ctx.sync();
      return finishing ? "new" : "old";
    });
  }

  private async writeIn(
    ctx: Excel.RequestContext,
    output: WorkbookOutput,
    opts: WriteOptions,
    state: WriteState,
  ): Promise<WriteReport> {
    const report: WriteReport = {
      columns: [],
      sheets: [],
      kept: [],
      charts: 0,
      names: {},
      warnings: [],
    };
    const support = this.support();
    const total = countCells(output);
    let done = 0;
    const lang = output.lang;
    checkCancel(opts.signal);
    const batch = new Batch(
      ctx,
      support.screenUpdating,
      opts.signal,
      () => opts.onProgress?.({ phase: "write", done, total }),
      this.requestTarget(),
    );
    const progress = (n: number) => {
      done += n;
    };

    // ---- Preflight: reads only. Everything that would stop the write stops it here.
    const sheetsC = ctx.workbook.worksheets;
    sheetsC.load("items/name, items/id, items/visibility, items/position");
    const wbProtection = this.host.isSetSupported("ExcelApi", "1.7")
      ? ctx.workbook.protection
      : null;
    wbProtection?.load("protected");
    const loc = output.columns.length ? this.customers : null;
    if (output.columns.length && loc && !loc.table)
      report.warnings.push({ key: "addin.warn.columnsNeedTable", params: { sheet: loc.sheet } });
    const tableLoc = loc?.table ? loc : null;
    const t = tableLoc
      ? (() => {
          const table = ctx.workbook.tables.getItem(tableLoc.table!);
          table.load("id, showTotals");
          const header = table.getHeaderRowRange();
          header.load("values, rowIndex, columnIndex, columnCount");
          const body = table.getDataBodyRange();
          body.load("rowIndex, rowCount");
          const ws = table.worksheet;
          ws.load("name, id");
          return { table, header, body, ws };
        })()
      : null;
    const h = await loadRecord(ctx, () => batch.flush(true));
    const record = h.record;
    if (wbProtection?.protected) throw new AddinError({ key: "addin.error.workbookProtected" });
    const sheetList: SheetInfo[] = sheetsC.items.map((s) => ({
      name: s.name,
      id: s.id,
      visibility: s.visibility,
      position: s.position,
    }));
    const byId = new Map(sheetList.map((s) => [s.id, s]));
    // What a run that stopped midway left: staged sheets, previous sheets not yet retired.
    const interrupted = record.retire.length > 0;
    const ownedIds = new Set(Object.values(record.sheets).map((x) => x!.id));
    const leftovers = sheetList.filter(
      (s) =>
        !ownedIds.has(s.id) &&
        (record.retire.includes(s.id) || record.staging.some((n) => sameName(n, s.name))),
    );
    record.retire = [];
    const notices: Message[] = [];
    const clashes: string[] = [];

    // Owned sheets that exist: protection, what is on them now, their charts.
    const olds = output.sheets
      .map((model) => {
        const rec = record.sheets[model.key];
        const old = rec ? byId.get(rec.id) : undefined;
        if (rec && !old) {
          notices.push({ key: "addin.warn.ownedDeleted", params: { sheet: rec.name } });
          delete record.sheets[model.key];
        }
        return { model, rec, old };
      })
      .filter((x) => x.old && x.rec)
      .map(({ model, rec, old }) => {
        // A new sheet a stopped swap left hidden (and maybe under its temporary name): the
        // record's, replaced like any other.
        if (interrupted && old!.visibility !== "Visible")
          old = {
            ...old!,
            name: old!.name.startsWith(STAGING_PREFIX) ? rec!.name : old!.name,
            visibility: "Visible",
          };
        const ws = ctx.workbook.worksheets.getItem(old!.id);
        const protection = ws.protection;
        protection.load("protected");
        const usedR = ws.getUsedRangeOrNullObject(false);
        usedR.load("address");
        const charts = ws.charts;
        charts.load("items/name");
        return { model, rec: rec!, old: old!, protection, usedR, charts };
      });
    // The Customers sheet's protection (the result columns are written there).
    const custProtection = t ? t.ws.protection : null;
    custProtection?.load("protected");
    if (olds.length || custProtection) await batch.flush(true);

    // Names: what is taken once the replaced sheets are gone.
    const replaced = new Set<string>();
    const plannedNames: string[] = [];
    const nameTaken = (n: string) =>
      plannedNames.some((x) => sameName(x, n)) ||
      sheetList.some((s) => sameName(s.name, n) && !replaced.has(s.id));
    const released = new Set<OwnedSheet>();
    const checked = olds.flatMap((o) => {
      const b = blockOf(o.rec.used);
      return o.model.key !== "settings" &&
        o.rec.fingerprint &&
        b &&
        b.rows * b.cols <= FINGERPRINT_CELLS
        ? [{ sheet: o.old.id, block: b }]
        : [];
    });
    const nowValues = await readMany(ctx, checked, { ...opts, target: this.requestTarget() });
    const nowPrints = new Map(checked.map((c, i) => [c.sheet, fingerprint(nowValues[i])]));
    for (const o of olds) {
      if (o.model.key === "settings") continue; // created once, then only read
      if (o.old.visibility !== "Visible")
        throw new AddinError({ key: "addin.error.ownedHidden", params: { sheet: o.old.name } });
      const now = o.usedR.isNullObject ? null : o.usedR.address.split("!").pop()!;
      const wrote = blockOf(o.rec.used);
      const nowB = blockOf(now);
      const extraChart = o.charts.items.map((c) => c.name).find((n) => !o.rec.charts.includes(n));
      // The add-in's cells as they are now, against the fingerprint of what it wrote: a
      // user's edit among them.
      const edited = nowPrints.get(o.old.id) !== o.rec.fingerprint && nowPrints.has(o.old.id);
      if ((nowB && (!wrote || !inside(nowB, wrote))) || extraChart !== undefined || edited) {
        // The user wrote on it: it is theirs from now on, left exactly as it is.
        released.add(o.model.key);
        delete record.sheets[o.model.key];
        const name = clashName(o.model.name, lang, nameTaken);
        plannedNames.push(name);
        notices.push(
          extraChart !== undefined
            ? {
                key: "addin.warn.ownedChartAdded",
                params: { sheet: o.old.name, chart: extraChart, name },
              }
            : nowB && (!wrote || !inside(nowB, wrote))
              ? {
                  key: "addin.warn.ownedTypedInto",
                  params: { sheet: o.old.name, range: now ?? "", wrote: o.rec.used ?? "", name },
                }
              : {
                  key: "addin.warn.ownedEdited",
                  params: { sheet: o.old.name, range: o.rec.used ?? "", name },
                },
        );
        continue;
      }
      if (o.protection.protected)
        throw new AddinError({ key: "addin.error.sheetProtected", params: { sheet: o.old.name } });
      replaced.add(o.old.id);
    }

    // Result columns: the record's, found at their position; the rest appended under free names.
    let columnPlan: ColumnWritePlan | null = null;
    if (t && tableLoc) {
      const sheet = t.ws.name;
      const rowCount = t.body.rowCount;
      const expected = output.columns[0]?.values.length ?? 0;
      if (expected !== rowCount && !(expected === 0 && rowCount === 1))
        throw new AddinError({
          key: "addin.error.tableChanged",
          params: { table: tableLoc.table!, sheet },
        });
      if (t.table.showTotals)
        throw new AddinError({
          key: "addin.error.totalsRow",
          params: { table: tableLoc.table!, sheet, row: t.header.rowIndex + rowCount + 2 },
        });
      if (custProtection?.protected)
        throw new AddinError({ key: "addin.error.sheetProtected", params: { sheet } });
      const headers = headerStrings(t.header.values[0]);
      const owned = ownedColumns(record, t.table.id, headers);
      const byKey = new Map([...owned].map(([i, o]) => [o.key, i]));
      const names = [...headers];
      const columnTaken = (n: string, except = -1) =>
        names.some((x, i) => i !== except && sameName(x, n));
      const placed: ColumnWritePlan["placed"] = [];
      const missing: ColumnWritePlan["placed"] = [];
      for (const col of output.columns) {
        const at = byKey.get(col.key);
        if (at !== undefined) {
          let header = col.header;
          if (columnTaken(header, at))
            header = isVariantOf(headers[at], col.header)
              ? headers[at]
              : clashName(col.header, lang, (n) => columnTaken(n, at), 255);
          if (!sameName(header, col.header) && !isVariantOf(headers[at], col.header))
            clashes.push(`${col.header} → ${header}`);
          names[at] = header;
          placed.push({ col, index: at, header, was: headers[at] });
        } else {
          const header = columnTaken(col.header)
            ? clashName(col.header, lang, (n) => columnTaken(n), 255)
            : col.header;
          if (header !== col.header) clashes.push(`${col.header} → ${header}`);
          names.push(header);
          missing.push({ col, index: names.length - 1, header });
        }
      }
      if (missing.length) {
        // Appending must not push anything of the user's aside: the cells must be empty.
        const block = ctx.workbook.worksheets
          .getItem(sheet)
          .getRangeByIndexes(
            t.header.rowIndex,
            t.header.columnIndex + t.header.columnCount,
            rowCount + 1,
            missing.length,
          );
        const busy = block.getUsedRangeOrNullObject(false);
        busy.load("address");
        const merged = this.host.isSetSupported("ExcelApi", "1.13")
          ? block.getMergedAreasOrNullObject()
          : null;
        merged?.load("address");
        await batch.flush(true);
        if (!busy.isNullObject)
          throw new AddinError({
            key: "addin.error.rightNotEmpty",
            params: {
              table: tableLoc.table!,
              sheet,
              cell: busy.address.split("!").pop() ?? "",
            },
          });
        if (merged && !merged.isNullObject)
          throw new AddinError({
            key: "addin.error.mergedBeside",
            params: {
              table: tableLoc.table!,
              sheet,
              cell: merged.address.split(",")[0].split("!").pop() ?? "",
            },
          });
      }
      const override = matchColumns(headers, CUSTOMER_COLUMNS).stageOverride;
      columnPlan = {
        sheet,
        tableName: tableLoc.table!,
        tableId: t.table.id,
        headerRow: t.header.rowIndex,
        firstCol: t.header.columnIndex,
        bodyRow: t.body.rowIndex,
        rows: expected,
        width: names.length,
        placed,
        missing,
        override: override >= 0 ? t.header.columnIndex + override : -1,
      };
    }

    // Sheet names: kept (by ID) unless the user renamed it, switched to this language's name
    // when free, else a free name beside the user's.
    const plans: SheetWritePlan[] = [];
    for (const model of output.sheets) {
      const o = olds.find((x) => x.model === model && !released.has(model.key));
      if (model.key === "settings" && o) {
        report.kept.push(o.old.name);
        report.names![model.key] = o.old.name;
        continue;
      }
      let finalName: string;
      if (o) {
        const renamedByUser = !sameName(o.old.name, o.rec.name);
        if (renamedByUser) {
          finalName = o.old.name;
          notices.push({
            key: "addin.warn.ownedRenamed",
            params: { was: o.rec.name, sheet: o.old.name },
          });
        } else if (!nameTaken(model.name)) finalName = model.name;
        else if (isVariantOf(o.old.name, model.name)) finalName = o.old.name;
        else {
          finalName = clashName(model.name, lang, nameTaken);
          clashes.push(`${model.name} → ${finalName}`);
        }
      } else if (released.has(model.key)) {
        finalName =
          plannedNames.find((n) => isVariantOf(n, model.name)) ??
          clashName(model.name, lang, nameTaken);
        plannedNames.splice(plannedNames.indexOf(finalName), 1);
      } else if (!nameTaken(model.name)) finalName = model.name;
      else {
        finalName = clashName(model.name, lang, nameTaken);
        clashes.push(`${model.name} → ${finalName}`);
      }
      plannedNames.push(finalName);
      plans.push({ model, old: o ? o.old : null, finalName, temp: "", tempId: "" });
    }
    if (clashes.length)
      notices.unshift({ key: "addin.warn.nameClash", params: { names: clashes.join(", ") } });

    // ---- Staging: the new sheets, hidden, under temporary names the record lists first.
    state.phase = "sheets";
    const tempTaken = (n: string) =>
      sheetList.some((s) => sameName(s.name, n)) || plans.some((p) => sameName(p.temp, n));
    for (const p of plans) {
      let i = 1;
      while (tempTaken(`${STAGING_PREFIX}${i}`)) i++;
      p.temp = `${STAGING_PREFIX}${i}`;
    }
    if (plans.length || leftovers.length) {
      record.staging = plans.map((p) => p.temp);
      const added: { p: SheetWritePlan; ws: Excel.Worksheet }[] = [];
      await batch.add(512, () => {
        saveRecord(ctx, h);
        for (const l of leftovers) ctx.workbook.worksheets.getItem(l.id).delete();
        for (const p of plans) {
          const ws = ctx.workbook.worksheets.add(p.temp);
          ws.visibility = "Hidden";
          ws.load("id");
          added.push({ p, ws });
        }
      });
      await batch.flush(true);
      for (const a of added) a.p.tempId = a.ws.id;
    }
    const sheetPlans: SheetPlan[] = [];
    for (const p of plans) sheetPlans.push(await writeSheetValues(ctx, batch, p, opts, progress));
    for (const plan of sheetPlans) await formatSheet(ctx, batch, plan, support.pageLayout);
    const chartNames = new Map<SheetPlan, string[]>();
    for (const plan of sheetPlans) {
      const drawn = await drawCharts(ctx, batch, plan, support.funnel, notices);
      chartNames.set(plan, drawn);
      report.charts += drawn.length;
    }
    // What each new sheet holds, for the record (typed-into detection next time).
    const usedNow = sheetPlans.map((plan) => {
      const r = ctx.workbook.worksheets.getItem(plan.tempId).getUsedRangeOrNullObject(false);
      r.load("address");
      return r;
    });
    if (usedNow.length) await batch.flush(true);
    // The values as Excel holds them, fingerprinted for the next run (sheets up to a size).
    const toPrint = sheetPlans.flatMap((plan, i) => {
      const b = usedNow[i].isNullObject ? null : blockOf(usedNow[i].address);
      return b && b.rows * b.cols <= FINGERPRINT_CELLS ? [{ sheet: plan.tempId, block: b }] : [];
    });
    const printed = await readMany(ctx, toPrint, { ...opts, target: this.requestTarget() });
    const prints = sheetPlans.map((plan) => {
      const k = toPrint.findIndex((x) => x.sheet === plan.tempId);
      return k >= 0 ? fingerprint(printed[k]) : null;
    });

    // ---- The swap: one request replaces the old owned sheets and updates the record.
    if (plans.length || released.size || notices.length) {
      const order = [...sheetPlans].sort(
        (a, b) => (a.plan.old?.position ?? Infinity) - (b.plan.old?.position ?? Infinity),
      );
      sheetPlans.forEach((plan, i) => {
        record.sheets[plan.plan.model.key] = {
          id: plan.tempId,
          name: plan.plan.finalName,
          used: usedNow[i].isNullObject ? null : usedNow[i].address.split("!").pop()!,
          charts: chartNames.get(plan) ?? [],
          fingerprint: prints[i],
        };
      });
      await batch.flush();
      state.phase = "swap";
      await batch.add(512, () => {
        // The record first, as a journal: the new owners and the sheets to retire. Should the
        // request stop partway, recover() (or the next run) finishes the swap from it.
        record.staging = [];
        record.retire = sheetPlans.flatMap((p) => (p.plan.old ? [p.plan.old.id] : []));
        saveRecord(ctx, h);
        for (const plan of sheetPlans)
          if (plan.plan.old) ctx.workbook.worksheets.getItem(plan.plan.old.id).delete();
        for (const plan of order) {
          const ws = ctx.workbook.worksheets.getItem(plan.tempId);
          ws.name = plan.plan.finalName;
          ws.visibility = "Visible";
          if (plan.plan.old) ws.position = plan.plan.old.position;
        }
        record.retire = [];
        saveRecord(ctx, h);
      });
      await batch.flush();
    }
    for (const p of plans) {
      report.sheets.push(p.finalName);
      report.names![p.model.key] = p.finalName;
    }

    // ---- The result columns, last.
    state.phase = "columns";
    if (columnPlan) await this.writeColumns(ctx, batch, h, columnPlan, opts, report, progress);
    await batch.flush();
    report.warnings.push(...notices);
    opts.onProgress?.({ phase: "write", done: total, total });
    return report;
  }

  /** Append the missing result columns (recorded in the same request), then values, then formats. */
  private async writeColumns(
    ctx: Excel.RequestContext,
    batch: Batch,
    h: RecordHandle,
    plan: ColumnWritePlan,
    opts: WriteOptions,
    report: WriteReport,
    progress: (n: number) => void,
  ): Promise<void> {
    const table = ctx.workbook.tables.getItem(plan.tableName);
    const target = ctx.workbook.worksheets.getItem(plan.sheet);
    const all = [...plan.placed, ...plan.missing];
    h.record.table = {
      id: plan.tableId,
      columns: Object.fromEntries(
        all.map((x) => [
          x.col.key,
          {
            index: x.index,
            fromEnd: plan.width - 1 - x.index,
            header: x.header,
            ...(x.was !== undefined && x.was !== x.header ? { was: x.was } : {}),
          },
        ]),
      ),
    };
    await batch.flush();
    await batch.add(256 * (plan.missing.length + 1), () => {
      // The record first: should the request stop after it, the positions it names hold other
      // headers and nothing is taken for the add-in's; the other way round, appended columns
      // would carry owned names without being recorded.
      saveRecord(ctx, h);
      for (const m of plan.missing) table.columns.add(undefined, undefined, m.header);
      for (const p of plan.placed)
        target.getRangeByIndexes(plan.headerRow, plan.firstCol + p.index, 1, 1).values = [
          [textValue(p.header)],
        ];
    });
    await batch.flush();
    for (const { col, index } of all) {
      const c = plan.firstCol + index;
      const text = col.format === "text";
      // a row: its value, and on a text column its ["@"] (6 bytes with the comma)
      const chunks = buildChunks(
        batch,
        col.values.length,
        (i) => [cellValue(col.values[i], col.format, opts.dateSystem)],
        (row) => rowBytes(row) + (text ? TEXT_FORMAT_ROW_BYTES : 0),
        text ? 2 : 1,
      );
      for await (const chunk of chunks) {
        await batch.add(
          chunk.bytes,
          () => {
            const r = target.getRangeByIndexes(plan.bodyRow + chunk.start, c, chunk.rows.length, 1);
            // Text ("@") before the values, in the same request: the text stays text.
            if (text) r.numberFormat = chunk.rows.map(() => [TEXT_FORMAT]);
            r.values = chunk.rows;
          },
          text ? 2 : 1,
        );
        progress(chunk.rows.length);
      }
      report.columns.push(all.find((x) => x.col === col)!.header);
    }
    await formatColumns(ctx, batch, {
      sheet: plan.sheet,
      bodyRow: plan.bodyRow,
      rows: plan.rows,
      columns: all.map(({ col, index }) => ({ col, c: plan.firstCol + index })),
      override: plan.override,
    });
  }

  async select(sheet: string, row: number, column: string): Promise<void> {
    const loc = this.located.get(sheet);
    const j = loc ? loc.headers.indexOf(column) : -1;
    await this.run(async (ctx) => {
      const ws = ctx.workbook.worksheets.getItem(sheet);
      ws.activate();
      const r = Math.max(0, row - 1);
      ws.getRangeByIndexes(
        r,
        loc ? loc.firstCol + Math.max(0, j) : 0,
        1,
        j >= 0 || !loc ? 1 : loc.headers.length,
      ).select();
      await ctx.sync();
    });
  }

  async selectedRow(): Promise<SelectedRow> {
    return this.run(async (ctx) => {
      const range = ctx.workbook.getSelectedRange();
      range.load("rowIndex");
      const ws = range.worksheet;
      ws.load("name");
      // Older than the data: a cheap, honest check of the Orders table's data rows against
      // the count read for the last analysis (an edit that keeps the count is not seen).
      const orders = [...this.located.values()].find((l) => l.kind === "orders" && l.tableId);
      const table = orders ? ctx.workbook.tables.getItemOrNullObject(orders.tableId!) : null;
      table?.load("id");
      await ctx.sync();
      const body = table && !table.isNullObject ? table.getDataBodyRange() : null;
      body?.load("rowCount");
      const sheet = ws.name;
      const row = range.rowIndex + 1;
      const loc = this.located.get(sheet);
      const spec = loc ? ID_SPEC[loc.kind as keyof typeof ID_SPEC] : undefined;
      const j = loc && spec ? matchColumns(loc.headers, spec).customerId : -1;
      const dataRow = loc ? range.rowIndex - loc.headerRow - 1 : -1;
      const inTable = !!loc && j >= 0 && dataRow >= 0 && dataRow < loc.rows;
      // The Follow-ups sheet (ours): every list's first column is the customer ID; a title or
      // header row there names no known customer, which the card's lookup tells.
      const followups =
        !loc &&
        (sheet === this.followupsSheet ||
          sheet === OWNED_SHEETS.followups.zh ||
          sheet === OWNED_SHEETS.followups.en);
      const cell = inTable
        ? ws.getRangeByIndexes(range.rowIndex, loc.firstCol + j, 1, 1)
        : followups
          ? ws.getRangeByIndexes(range.rowIndex, 0, 1, 1)
          : null;
      cell?.load("values");
      await ctx.sync();
      // a table gone since the read counts as changed too
      const stale = !!orders && (!body || body.rowCount !== orders.rows);
      const v = cell ? (cell.values as unknown[][])[0][0] : null;
      const id = v === null || v === undefined ? "" : String(v).trim();
      const kind = loc?.kind ?? (followups ? "followups" : null);
      return { sheet, row, kind, id: id === "" ? null : id, stale };
    });
  }

  async onSelection(handler: (row: SelectedRow) => void): Promise<() => Promise<void>> {
    // workbook.onSelectionChanged is ExcelApi 1.2, within the manifest's 1.8; guarded anyway.
    if (!this.host.isSetSupported("ExcelApi", "1.2")) return async () => {};
    const result = await this.run(async (ctx) => {
      const r = ctx.workbook.onSelectionChanged.add(async () => {
        try {
          handler(await this.selectedRow());
        } catch {
          // a selection we cannot read (e.g. a chart) shows no card
        }
      });
      await ctx.sync();
      return r;
    });
    // Microsoft's docs: remove a handler in the context it was added in.
    return async () => {
      result.remove();
      await result.context.sync();
    };
  }

  async convertToTable(range: PlainRange): Promise<string> {
    return this.run(async (ctx) => {
      const all = ctx.workbook.tables;
      all.load("items/name");
      const names = ctx.workbook.names;
      names.load("items/name");
      await ctx.sync();
      const want = TABLE_NAME_FOR[range.kind];
      // A table name must differ from every table and defined name (Excel refuses otherwise).
      const taken = new Set(
        [...all.items.map((t) => t.name), ...names.items.map((n) => n.name)].map((n) =>
          n.toLowerCase(),
        ),
      );
      const table = ctx.workbook.tables.add(
        `${quoteForAddress(range.sheet)}!${range.address}`,
        true,
      );
      if (want && !taken.has(want.toLowerCase())) table.name = want;
      table.load("name");
      await ctx.sync();
      return table.name;
    });
  }

  /**
   * Activate the first of the sheets. An owned sheet's name (either language) means the sheet
   * the record owns, wherever it is and whatever it is called now; a user's sheet that only
   * carries that name is not it.
   */
  async activate(names: string[]): Promise<boolean> {
    return this.run(async (ctx) => {
      const { record } = await loadRecord(ctx, () => ctx.sync());
      const found = names.map((n) => {
        const key = ownedSheetOfName(n);
        const rec = key ? record.sheets[key] : undefined;
        if (key && !rec) return null;
        return ctx.workbook.worksheets.getItemOrNullObject(rec ? rec.id : n);
      });
      found.forEach((f) => f?.load("name"));
      await ctx.sync();
      const hit = found.find((f) => f && !f.isNullObject);
      if (!hit) return false;
      hit.activate();
      await ctx.sync();
      return true;
    });
  }

  /**
   * Log a contact (issue 17 §2): exactly one row added to the Interactions table with
   * `table.rows.add(null, [values])` (ExcelApi 1.1), in one request with the number formats of
   * its date cells; nothing else is written. The table is the first Excel table the reader
   * takes for interactions (by table name, sheet name, headers; not on a sheet the add-in
   * owns); else the plain range the last read found, where the row goes just below its last
   * used row. Without either: `missing`, or with `create` a new sheet (联系记录 / Interactions,
   * a "（2）" name beside a user's sheet of that name) holding the documented headers and the
   * row, made an Excel table. A protected sheet (worksheet.protection, ExcelApi 1.2) or
   * workbook structure (ExcelApi 1.7) is refused before anything is written.
   */
  async appendInteraction(entry: ContactEntry, opts: AppendOptions): Promise<AppendResult> {
    return this.run(async (ctx) => {
      const tables = ctx.workbook.tables;
      tables.load("items/name, items/id");
      const { record } = await loadRecord(ctx, () => ctx.sync());
      const owned = new Set(Object.values(record.sheets).map((r) => r.id));
      const info = tables.items.map((t) => {
        const ws = t.worksheet;
        ws.load("name, id");
        const header = t.getHeaderRowRange();
        header.load("values, rowIndex, columnIndex");
        const body = t.getDataBodyRange();
        body.load("rowCount");
        return { t, ws, header, body };
      });
      await ctx.sync();
      const hit = info.find(
        (x) =>
          !owned.has(x.ws.id) &&
          classifyTable(x.t.name, x.ws.name, headerStrings(x.header.values[0])) === "interactions",
      );
      const plain = hit
        ? null
        : ([...this.located.values()].find((l) => l.kind === "interactions" && !l.tableId) ?? null);
      if (hit) {
        const headers = headerStrings(hit.header.values[0]);
        const sheet = hit.ws.name;
        const built = interactionRow(headers, entry);
        if (!built.ok) throw missingColumns(sheet, built.missing, headers);
        await this.refuseProtected(ctx, sheet);
        // One row below the last body row (above a totals row): Microsoft's reference for
        // TableRowCollection.add, "If null or -1, the addition happens at the end".
        const added = hit.t.rows.add(null as unknown as undefined, [
          built.cells.map((c) => contactCellValue(c, opts.dateSystem)),
        ]);
        const range = added.getRange();
        range.load("rowIndex");
        await ctx.sync();
        // The date cells' formats go to the row Excel reports it added, and to no other cell.
        built.cells.forEach((c, j) => {
          const f = contactFormat(c);
          if (f)
            hit.ws.getRangeByIndexes(
              range.rowIndex,
              hit.header.columnIndex + j,
              1,
              1,
            ).numberFormat = [[f]];
        });
        await ctx.sync();
        this.grew(sheet, headers, hit.header.rowIndex, hit.header.columnIndex, range.rowIndex);
        return {
          status: "written",
          sheet,
          row: range.rowIndex + 1,
          created: false,
          lang: built.lang,
          dropped: built.dropped,
        };
      }
      if (plain) {
        const ws = ctx.workbook.worksheets.getItem(plain.sheet);
        const header = ws.getRangeByIndexes(
          plain.headerRow,
          plain.firstCol,
          1,
          plain.headers.length,
        );
        header.load("values");
        const used = ws.getUsedRange(true);
        used.load("rowIndex, rowCount");
        await ctx.sync();
        const headers = headerStrings(header.values[0]);
        const built = interactionRow(headers, entry);
        if (!built.ok) throw missingColumns(plain.sheet, built.missing, headers);
        await this.refuseProtected(ctx, plain.sheet);
        const row = used.rowIndex + used.rowCount;
        ws.getRangeByIndexes(row, plain.firstCol, 1, headers.length).values = [
          built.cells.map((c) => contactCellValue(c, opts.dateSystem)),
        ];
        built.cells.forEach((c, j) => {
          const f = contactFormat(c);
          if (f) ws.getRangeByIndexes(row, plain.firstCol + j, 1, 1).numberFormat = [[f]];
        });
        await ctx.sync();
        this.grew(plain.sheet, headers, plain.headerRow, plain.firstCol, row);
        return {
          status: "written",
          sheet: plain.sheet,
          row: row + 1,
          created: false,
          lang: built.lang,
          dropped: built.dropped,
        };
      }
      // No Interactions table: ask first (the pane), then create it.
      const lang = opts.lang;
      const sheets = ctx.workbook.worksheets;
      sheets.load("items/name");
      const defined = ctx.workbook.names;
      defined.load("items/name");
      const wbProtection = this.host.isSetSupported("ExcelApi", "1.7")
        ? ctx.workbook.protection
        : null;
      wbProtection?.load("protected");
      await ctx.sync();
      const taken = new Set(sheets.items.map((x) => x.name.toLowerCase()));
      const base = INTERACTIONS_SHEET[lang];
      const sheet = taken.has(base.toLowerCase())
        ? clashName(base, lang, (n) => taken.has(n.toLowerCase()))
        : base;
      const { headers, cells } = newTableRow(entry, lang);
      if (!opts.create) return { status: "missing", sheet, headers };
      if (wbProtection?.protected)
        throw new AddinError({ key: "contact.error.workbookProtected", params: { sheet } });
      const ws = ctx.workbook.worksheets.add(sheet);
      const width = headers.length;
      ws.getRangeByIndexes(0, 0, 2, width).values = [
        headers.map((h) => textValue(h)),
        cells.map((c) => contactCellValue(c, opts.dateSystem)),
      ];
      cells.forEach((c, j) => {
        const f = contactFormat(c);
        if (f) ws.getRangeByIndexes(1, j, 1, 1).numberFormat = [[f]];
      });
      const table = ctx.workbook.tables.add(
        `${quoteForAddress(sheet)}!${cellAddress(0, 0, 2, width)}`,
        true,
      );
      // a table name differs from every table and defined name; else Excel's own "TableN"
      const names = new Set(
        [...tables.items.map((t) => t.name), ...defined.items.map((n) => n.name)].map((n) =>
          n.toLowerCase(),
        ),
      );
      if (!names.has("interactions")) table.name = "Interactions";
      ws.getRangeByIndexes(0, 0, 2, width).format.autofitColumns();
      try {
        await ctx.sync();
      } catch (e) {
        // the structure protection of hosts before ExcelApi 1.7 shows only here
        if (excelCode(e) === "AccessDenied")
          throw new AddinError({ key: "contact.error.workbookProtected", params: { sheet } });
        throw e;
      }
      this.grew(sheet, headers, 0, 0, 1);
      return { status: "written", sheet, row: 2, created: true, lang, dropped: [] };
    });
  }

  /** A protected sheet takes no row: the user's message, before anything is queued. */
  private async refuseProtected(ctx: Excel.RequestContext, sheet: string): Promise<void> {
    if (!this.host.isSetSupported("ExcelApi", "1.2")) return;
    const p = ctx.workbook.worksheets.getItem(sheet).protection;
    p.load("protected");
    await ctx.sync();
    if (p.protected) throw new AddinError({ key: "contact.error.protected", params: { sheet } });
  }

  /** The located Interactions table now reaches `lastRow` (0-based): its rows select cards. */
  private grew(
    sheet: string,
    headers: string[],
    headerRow: number,
    firstCol: number,
    lastRow: number,
  ) {
    const loc = this.located.get(sheet);
    if (loc && loc.kind === "interactions") loc.rows = Math.max(loc.rows, lastRow - loc.headerRow);
    else if (!loc && ![...this.located.values()].some((l) => l.kind === "interactions"))
      this.located.set(sheet, {
        kind: "interactions",
        sheet,
        table: null,
        tableId: null,
        owned: new Map(),
        headerRow,
        firstCol,
        headers,
        rows: lastRow - headerRow,
      });
  }

  async addTables(
    tables: { sheet: string; table: string; data: RawTable; dateColumns: number[] }[],
    opts: WriteOptions,
  ): Promise<void> {
    await this.host.run(async (ctx) => {
      const sheets = ctx.workbook.worksheets;
      sheets.load("items/name");
      const all = ctx.workbook.tables;
      all.load("items/name");
      const defined = ctx.workbook.names;
      defined.load("items/name");
      await ctx.sync();
      const sheetNames = new Set(sheets.items.map((s) => s.name.toLowerCase()));
      // Table names share one namespace with defined names.
      const tableNames = new Set([...all.items, ...defined.items].map((t) => t.name.toLowerCase()));
      for (const t of tables)
        if (sheetNames.has(t.sheet.toLowerCase()) || tableNames.has(t.table.toLowerCase()))
          throw new AddinError({ key: "addin.error.sampleExists", params: { sheet: t.sheet } });
      const batch = new Batch(
        ctx,
        this.support().screenUpdating,
        opts.signal,
        undefined,
        this.requestTarget(),
      );
      for (const t of tables) {
        const ws = ctx.workbook.worksheets.add(t.sheet);
        const rows = [
          t.data.headers.map((x) => textValue(x)) as OutValue[],
          ...t.data.rows.map((r) => r.map((v) => sampleValue(v, opts.dateSystem))),
        ];
        const width = t.data.headers.length;
        for (const chunk of chunkRows(rows, rowBytes, batch.room(1)))
          await batch.add(chunk.bytes, () => {
            ws.getRangeByIndexes(chunk.start, 0, chunk.rows.length, width).values = chunk.rows as (
              string | number
            )[][];
          });
        await batch.flush();
        const table = ctx.workbook.tables.add(
          `${quoteForAddress(t.sheet)}!${cellAddress(0, 0, rows.length, width)}`,
          true,
        );
        table.name = t.table;
        const dates = t.data.rows.map(() => [NUMBER_FORMATS.date]);
        // a row: `["yyyy-mm-dd"],`
        const dateRow = valueBytes(NUMBER_FORMATS.date) + 3;
        for (const c of t.dateColumns)
          for (const chunk of chunkRows(dates, () => dateRow, batch.room(1)))
            await batch.add(chunk.bytes, () => {
              ws.getRangeByIndexes(1 + chunk.start, c, chunk.rows.length, 1).numberFormat =
                chunk.rows;
            });
        await batch.add(64, () =>
          ws
            .getRangeByIndexes(0, 0, Math.min(rows.length, AUTOFIT_ROWS), width)
            .format.autofitColumns(),
        );
        await batch.flush();
      }
      ctx.workbook.worksheets.getItem(tables[0].sheet).activate();
      await ctx.sync();
    });
  }
}

/** The number formats of a logged contact's date-and-time and next-contact cells. */
export const CONTACT_FORMATS = { dateTime: "yyyy-mm-dd hh:mm", date: NUMBER_FORMATS.date } as const;

/**
 * A cell of a logged contact as Excel should receive it: text with the quote prefix where a
 * General cell would convert it ("=1+1", "00123", "Jan 5" stay text), dates as serials (a
 * date with time as serial + fraction of the day).
 */
export function contactCellValue(c: RowCell, dateSystem: "1900" | "1904"): string | number {
  if (c.kind === "text") return textValue(c.text);
  if (c.kind === "dateTime") return dayToExcelSerial(c.day, dateSystem) + c.minutes / 1440;
  if (c.kind === "date") return dayToExcelSerial(c.day, dateSystem);
  return "";
}

const contactFormat = (c: RowCell): string | null =>
  c.kind === "dateTime"
    ? CONTACT_FORMATS.dateTime
    : c.kind === "date"
      ? CONTACT_FORMATS.date
      : null;

/** A table without the columns a contact needs: named in the table's language. */
function missingColumns(sheet: string, missing: InteractionRole[], headers: string[]): AddinError {
  const lang = tableLang(headers);
  const columns = missing.map((r) => roleHeader(r, lang)).join(lang === "zh" ? "”“" : ", ");
  return new AddinError({ key: "contact.error.noColumns", params: { sheet, columns } });
}

function quoteForAddress(sheet: string): string {
  return `'${sheet.replace(/'/g, "''")}'`;
}

function sampleValue(v: Cell, dateSystem: "1900" | "1904"): string | number {
  if (v === null || v === undefined) return "";
  // a Date from another frame (the playground's pane) fails `instanceof Date`: its tag does not
  if (v instanceof Date || Object.prototype.toString.call(v) === "[object Date]")
    return dayToExcelSerial(dayFromDate(v as Date), dateSystem);
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  if (typeof v === "number") return v;
  // "#N/A" stays an error value, as in a user's export; phones, IDs and the rest stay text.
  return EXCEL_ERRORS.has(v) ? v : textValue(v);
}

function countCells(output: WorkbookOutput): number {
  let n = 0;
  for (const c of output.columns) n += c.values.length;
  for (const s of output.sheets) for (const b of s.blocks) n += b.rows.length;
  return Math.max(1, n);
}

// ---------------------------------------------------------------------------------------------
// Owned columns: formats

interface ColumnPlan {
  sheet: string;
  bodyRow: number;
  rows: number;
  columns: { col: ColumnOutput; c: number }[];
  /** Sheet column of the user's 手动阶段 Stage override, -1 when the table has none. */
  override: number;
}

async function formatColumns(
  ctx: Excel.RequestContext,
  batch: Batch,
  plan: ColumnPlan,
): Promise<void> {
  if (plan.rows === 0) return;
  const ws = ctx.workbook.worksheets.getItem(plan.sheet);
  for (const { col, c } of plan.columns) {
    await writeNumberFormats(batch, ws, plan.bodyRow, c, plan.rows, col.format);
    const range = () => ws.getRangeByIndexes(plan.bodyRow, c, plan.rows, 1);
    await batch.add(64, () => range().conditionalFormats.clearAll());
    for (const rule of col.colours ?? [])
      await addColourRule(batch, range, rule.equals, rule.health);
    if (col.validation?.length) await addValidation(batch, range, col.validation);
  }
  // A drop-down on the user's Stage override column, unless they set their own validation.
  const stage = plan.columns.find((x) => x.col.key === "stage")?.col;
  const list = stage?.validation ?? stage?.colours?.map((x) => x.equals);
  if (plan.override >= 0 && list?.length) {
    const dv = ws.getRangeByIndexes(plan.bodyRow, plan.override, plan.rows, 1).dataValidation;
    dv.load("type");
    await batch.flush(true);
    if (dv.type === "None")
      await addValidation(
        batch,
        () => ws.getRangeByIndexes(plan.bodyRow, plan.override, plan.rows, 1),
        list,
      );
  }
}

async function writeNumberFormats(
  batch: Batch,
  ws: Excel.Worksheet,
  row: number,
  col: number,
  rows: number,
  format: CellFormat,
): Promise<void> {
  if (format === "text" || rows === 0) return;
  const f = NUMBER_FORMATS[format];
  const line = [f];
  const all = new Array<string[]>(rows).fill(line);
  // a row: `["#,##0"],`
  for (const chunk of chunkRows(all, () => valueBytes(f) + 3, batch.room(1)))
    await batch.add(chunk.bytes, () => {
      ws.getRangeByIndexes(row + chunk.start, col, chunk.rows.length, 1).numberFormat = chunk.rows;
    });
}

async function addColourRule(
  batch: Batch,
  range: () => Excel.Range,
  equals: string,
  health: Health,
): Promise<void> {
  const style = HEALTH_COLOURS[health];
  await batch.add(200 + valueBytes(equals), () => {
    const cf = range().conditionalFormats.add("CellValue");
    cf.cellValue.format.fill.color = `#${style.fill}`;
    cf.cellValue.format.font.color = `#${style.font}`;
    cf.cellValue.rule = { formula1: `="${equals.replace(/"/g, '""')}"`, operator: "EqualTo" };
  });
}

async function addValidation(
  batch: Batch,
  range: () => Excel.Range,
  list: string[],
): Promise<void> {
  // Excel's list source is limited to 255 characters; commas separate items.
  const items = list.map((x) => x.replace(/,/g, " ")).filter(Boolean);
  let source = "";
  for (const it of items) {
    const next = source ? `${source},${it}` : it;
    if (next.length > 255) break;
    source = next;
  }
  if (!source) return;
  await batch.add(100 + valueBytes(source), () => {
    const r = range();
    r.dataValidation.clear();
    r.dataValidation.rule = { list: { inCellDropDown: true, source } };
  });
}

// ---------------------------------------------------------------------------------------------
// Owned sheets

interface BlockPlace {
  block: SheetBlock;
  titleRow: number | null;
  headerRow: number;
  bodyRow: number;
}

/** A new owned sheet being written under its temporary name. */
interface SheetPlan {
  plan: SheetWritePlan;
  model: SheetModel;
  /** Worksheet ID of the staged sheet (getItem takes a name or an ID). */
  tempId: string;
  blocks: Map<string, BlockPlace>;
}

interface ColumnWritePlan {
  sheet: string;
  tableName: string;
  tableId: string;
  headerRow: number;
  firstCol: number;
  bodyRow: number;
  rows: number;
  /** Column count of the table once the missing columns are appended. */
  width: number;
  /** Owned columns already in the table (index in the table) and the ones to append. */
  placed: { col: ColumnOutput; index: number; header: string; was?: string }[];
  missing: { col: ColumnOutput; index: number; header: string; was?: string }[];
  /** Sheet column of the user's 手动阶段 Stage override, -1 when the table has none. */
  override: number;
}

function placeBlock(block: SheetBlock): BlockPlace {
  const titleRow = block.title ? block.anchor.row : null;
  const headerRow = block.anchor.row + (block.title ? 1 : 0);
  return { block, titleRow, headerRow, bodyRow: headerRow + 1 };
}

/** Every block's values into the (new, empty) staged sheet; text columns as Text first. */
async function writeSheetValues(
  ctx: Excel.RequestContext,
  batch: Batch,
  p: SheetWritePlan,
  opts: WriteOptions,
  progress: (n: number) => void,
): Promise<SheetPlan> {
  const model = p.model;
  const target = () => ctx.workbook.worksheets.getItem(p.tempId);
  const plan: SheetPlan = { plan: p, model, tempId: p.tempId, blocks: new Map() };
  for (const block of model.blocks) {
    const place = placeBlock(block);
    plan.blocks.set(block.id, place);
    const c0 = block.anchor.col;
    const width = Math.max(1, block.columns.length);
    if (place.titleRow !== null && block.title) {
      const title = textValue(block.title);
      await batch.add(valueBytes(title), () => {
        target().getRangeByIndexes(place.titleRow!, c0, 1, 1).values = [[title]];
      });
    }
    const head = block.columns.map((c) => textValue(c.header));
    await batch.add(rowBytes(head), () => {
      target().getRangeByIndexes(place.headerRow, c0, 1, width).values = [head];
    });
    const textCols = block.columns
      .map((c, j) => (c.format === "text" && !c.rowFormats ? j : -1))
      .filter((j) => j >= 0);
    // columns whose cells each have their own format (figures of different kinds, issue 18 §9)
    const ownCols = block.columns.map((c, j) => (c.rowFormats ? j : -1)).filter((j) => j >= 0);
    const rowFormat = (col: OutColumn, i: number): string => {
      const f = cellFormatOf(col, i);
      return f === "text" ? TEXT_FORMAT : NUMBER_FORMATS[f];
    };
    // A row's share of the request: its values, its ["@"] on each text column and its own
    // format on each column of per-cell formats (`["#,##0"],`), so that values and formats
    // together stay within the request (the formats once pushed one to 4.9 MB).
    const textBytes = textCols.length * TEXT_FORMAT_ROW_BYTES;
    const ops = 1 + textCols.length + ownCols.length;
    const chunks = buildChunks(
      batch,
      block.rows.length,
      (i) =>
        block.columns.map((col, j) =>
          cellValue(block.rows[i][j] ?? null, cellFormatOf(col, i), opts.dateSystem),
        ),
      (row, i) => {
        let b = rowBytes(row) + textBytes;
        for (const j of ownCols) b += valueBytes(rowFormat(block.columns[j], i)) + 3;
        return b;
      },
      ops,
    );
    for await (const chunk of chunks) {
      const n = chunk.rows.length;
      await batch.add(
        chunk.bytes,
        () => {
          // Text ("@") on the text columns before their values, in the same request.
          for (const j of textCols)
            target().getRangeByIndexes(place.bodyRow + chunk.start, c0 + j, n, 1).numberFormat =
              chunk.rows.map(() => [TEXT_FORMAT]);
          for (const j of ownCols)
            target().getRangeByIndexes(place.bodyRow + chunk.start, c0 + j, n, 1).numberFormat =
              chunk.rows.map((_, k) => [rowFormat(block.columns[j], chunk.start + k)]);
          target().getRangeByIndexes(place.bodyRow + chunk.start, c0, n, width).values = chunk.rows;
        },
        ops,
      );
      progress(n);
    }
  }
  return plan;
}

async function formatSheet(
  ctx: Excel.RequestContext,
  batch: Batch,
  plan: SheetPlan,
  pageLayout = false,
): Promise<void> {
  const ws = () => ctx.workbook.worksheets.getItem(plan.tempId);
  for (const place of plan.blocks.values()) {
    const { block } = place;
    const c0 = block.anchor.col;
    const width = Math.max(1, block.columns.length);
    const n = block.rows.length;
    if (place.titleRow !== null)
      await batch.add(96, () => {
        const f = ws().getRangeByIndexes(place.titleRow!, c0, 1, 1).format;
        f.font.bold = true;
        f.font.color = TITLE_FONT;
      });
    await batch.add(96, () => {
      const f = ws().getRangeByIndexes(place.headerRow, c0, 1, width).format;
      f.font.bold = true;
      f.fill.color = HEADER_FILL;
    });
    if (n === 0) continue;
    for (let j = 0; j < block.columns.length; j++)
      if (!block.columns[j].rowFormats)
        await writeNumberFormats(batch, ws(), place.bodyRow, c0 + j, n, block.columns[j].format);
    for (const rule of block.colours ?? [])
      await addColourRule(
        batch,
        () => ws().getRangeByIndexes(place.bodyRow, c0 + rule.column, n, 1),
        rule.equals,
        rule.health,
      );
    if (block.colourScale) {
      const numeric = block.columns
        .map((c, j) => (c.format !== "text" && c.format !== "date" ? j : -1))
        .filter((j) => j >= 0);
      if (numeric.length) {
        const lo = Math.min(...numeric);
        const hi = Math.max(...numeric);
        await batch.add(400, () => {
          const cf = ws()
            .getRangeByIndexes(place.bodyRow, c0 + lo, n, hi - lo + 1)
            .conditionalFormats.add("ColorScale");
          cf.colorScale.criteria = {
            minimum: { type: "LowestValue", color: COLOUR_SCALE.low },
            maximum: { type: "HighestValue", color: COLOUR_SCALE.high },
          };
        });
      }
    }
    if (block.validation?.list.length) {
      const v = block.validation;
      await addValidation(
        batch,
        () => ws().getRangeByIndexes(place.bodyRow, c0 + v.column, n, 1),
        v.list,
      );
    }
    await batch.add(64, () =>
      ws()
        .getRangeByIndexes(place.headerRow, c0, Math.min(n + 1, AUTOFIT_ROWS), width)
        .format.autofitColumns(),
    );
  }
  if (plan.model.freezeRows > 0)
    await batch.add(64, () => ws().freezePanes.freezeRows(plan.model.freezeRows));
  await capColumns(batch, ws, plan);
  if (pageLayout) await setPageLayout(batch, ws, plan);
}

/** Widest a text column of an owned sheet gets (characters), as in analysis.xlsx; longer text wraps. */
const MAX_COLUMN_CHARS = 30;
/** Points of a column `chars` characters wide (Calibri 11: 7 px a character and 5 of padding; ¾ pt a px). */
const columnPoints = (chars: number) => (chars * 7 + 5) * 0.75;

/** Display width of text: CJK and full-width characters count 2. */
function textWidth(s: string): number {
  let w = 0;
  for (const ch of s)
    w +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(
        ch,
      )
        ? 2
        : 1;
  return w;
}

/**
 * After autofit: a column holding text longer than MAX_COLUMN_CHARS is held to that width and
 * its text wraps (issue 18 §8: stacked tables let the longest text set each width).
 */
async function capColumns(batch: Batch, ws: () => Excel.Worksheet, plan: SheetPlan): Promise<void> {
  const capped = new Map<number, { first: number; last: number }>();
  for (const place of plan.blocks.values()) {
    const { block } = place;
    block.columns.forEach((c, j) => {
      let long = false;
      for (let i = 0; i < Math.min(block.rows.length, AUTOFIT_ROWS) && !long; i++) {
        const v = block.rows[i][j];
        long =
          typeof v === "string" &&
          v.length > MAX_COLUMN_CHARS / 2 &&
          textWidth(v) > MAX_COLUMN_CHARS;
      }
      if (!long || block.rows.length === 0) return;
      const col = block.anchor.col + j;
      const span = capped.get(col);
      const last = place.bodyRow + block.rows.length - 1;
      capped.set(col, {
        first: Math.min(span?.first ?? place.bodyRow, place.bodyRow),
        last: Math.max(span?.last ?? last, last),
      });
    });
  }
  for (const [col, span] of capped)
    await batch.add(128, () => {
      ws().getRangeByIndexes(0, col, 1, 1).format.columnWidth = columnPoints(MAX_COLUMN_CHARS);
      ws().getRangeByIndexes(span.first, col, span.last - span.first + 1, 1).format.wrapText = true;
    });
}

/**
 * Print setup (Worksheet.pageLayout, ExcelApi 1.9; the caller checks): fit to one page wide and
 * as many tall as it takes, landscape when the sheet is wide, the blocks and charts as print
 * area, the frozen header rows repeated on every page — as analysis.xlsx does.
 */
async function setPageLayout(
  batch: Batch,
  ws: () => Excel.Worksheet,
  plan: SheetPlan,
): Promise<void> {
  let right = 0;
  let bottom = 0;
  for (const place of plan.blocks.values()) {
    right = Math.max(right, place.block.anchor.col + Math.max(1, place.block.columns.length) - 1);
    bottom = Math.max(bottom, place.bodyRow + place.block.rows.length - 1, place.headerRow);
  }
  for (const c of plan.model.charts) {
    if (c.picture) continue;
    right = Math.max(right, c.anchor.col + c.size.cols - 1);
    bottom = Math.max(bottom, c.anchor.row + c.size.rows - 1);
  }
  const area = `A1:${cellAddress(bottom, right)}`;
  const freeze = plan.model.freezeRows;
  await batch.add(256, () => {
    const layout = ws().pageLayout;
    layout.orientation = right >= 7 ? "Landscape" : "Portrait";
    layout.zoom = { horizontalFitToPages: 1, verticalFitToPages: 0 };
    layout.setPrintArea(area);
    if (freeze > 0) layout.setPrintTitleRows(`$1:$${freeze}`);
  });
}

// ---------------------------------------------------------------------------------------------
// Charts

const CHART_TYPE: Record<
  Exclude<ChartModel["kind"], "pareto" | "funnel">,
  Excel.ChartType | string
> = {
  bar: "BarClustered",
  column: "ColumnClustered",
  line: "Line",
  scatter: "XYScatter",
};

/** Failures of a request that say nothing about what it asked for. */
const NOT_A_REJECTION = new Set(["RequestAborted", "InvalidOperationInCellEditMode"]);

/**
 * Native charts from the plan's blocks; returns the names of those drawn. A funnel (ExcelApi
 * 1.9; newer chart types support only part of the chart API) goes in a request of its own:
 * when Excel rejects it or any of its members, what was made of it is deleted and bars are
 * drawn instead.
 */
async function drawCharts(
  ctx: Excel.RequestContext,
  batch: Batch,
  plan: SheetPlan,
  funnel: boolean,
  notices: Message[],
): Promise<string[]> {
  const drawn: string[] = [];
  const ws = () => ctx.workbook.worksheets.getItem(plan.tempId);
  for (const chart of plan.model.charts) {
    // a picture-only chart (a heat map): its colour-scaled table is on the sheet (README)
    if (chart.picture) continue;
    const place = plan.blocks.get(chart.block);
    if (!place || place.block.rows.length === 0 || chart.values.length === 0) continue;
    const n = place.block.rows.length;
    const c0 = place.block.anchor.col;
    const col = (j: number) => ws().getRangeByIndexes(place.bodyRow, c0 + j, n, 1);
    const header = (j: number) => place.block.columns[j]?.header ?? "";
    let reference: number | null = null;
    if (chart.kind === "pareto" && chart.reference !== undefined && chart.line !== undefined) {
      // A column of the block that already holds the reference value serves as the line's data.
      const used = new Set([chart.category, ...chart.values, chart.line]);
      const own = place.block.columns.findIndex(
        (_, j) => !used.has(j) && place.block.rows.every((r) => r[j] === chart.reference),
      );
      if (own >= 0) reference = own;
    }
    if (
      reference === null &&
      chart.kind === "pareto" &&
      chart.reference !== undefined &&
      chart.line !== undefined
    ) {
      // The 80% line needs cells to plot: a helper column beside the block (owned sheet).
      reference = place.block.columns.length;
      const ref = chart.reference;
      const label = `${Math.round(ref * 100)}%`;
      await batch.add(n * 6 + 64, () => {
        ws().getRangeByIndexes(place.headerRow, c0 + reference!, 1, 1).values = [
          [textValue(label)],
        ];
        const r = ws().getRangeByIndexes(place.bodyRow, c0 + reference!, n, 1);
        r.values = new Array(n).fill([ref]);
        r.numberFormat = new Array(n).fill(["0%"]);
      });
    }
    const name = chartName(plan.model.key, chart.id);
    const queue = (asFunnel: boolean) => {
      const type =
        chart.kind === "pareto"
          ? "ColumnClustered"
          : chart.kind === "funnel"
            ? asFunnel
              ? "Funnel"
              : "BarClustered"
            : CHART_TYPE[chart.kind];
      const ch = ws().charts.add(type as Excel.ChartType, col(chart.values[0]), "Columns");
      ch.name = name;
      ch.title.text = chart.title;
      const first = ch.series.getItemAt(0);
      first.name = header(chart.values[0]);
      first.setXAxisValues(col(chart.category));
      for (const j of chart.values.slice(1)) {
        const s = ch.series.add(header(j));
        s.setValues(col(j));
        s.setXAxisValues(col(chart.category));
      }
      if (chart.kind === "pareto" && chart.line !== undefined) {
        const line = ch.series.add(header(chart.line));
        line.setValues(col(chart.line));
        line.setXAxisValues(col(chart.category));
        line.chartType = "Line";
        line.axisGroup = "Secondary";
        if (reference !== null) {
          const ref = ch.series.add(
            header(reference) || `${Math.round((chart.reference ?? 0.8) * 100)}%`,
          );
          ref.setValues(col(reference));
          ref.setXAxisValues(col(chart.category));
          ref.chartType = "Line";
          ref.axisGroup = "Secondary";
        }
        const axis = ch.axes.getItem("Value", "Secondary");
        axis.minimum = 0;
        axis.maximum = 1;
        axis.numberFormat = "0%";
      }
      if (chart.kind === "bar" || (chart.kind === "funnel" && !asFunnel))
        ch.axes.getItem("Category", "Primary").reversePlotOrder = true;
      ch.legend.position = "Bottom";
      ch.legend.visible = chart.values.length > 1 || chart.kind === "pareto";
      ch.setPosition(
        ws().getRangeByIndexes(chart.anchor.row, chart.anchor.col, 1, 1),
        ws().getRangeByIndexes(
          chart.anchor.row + chart.size.rows - 1,
          chart.anchor.col + chart.size.cols - 1,
          1,
          1,
        ),
      );
    };
    if (chart.kind === "funnel" && funnel) {
      await batch.flush();
      let ok = true;
      try {
        await batch.add(1024, () => queue(true));
        await batch.flush();
      } catch (e) {
        // Cancel, a lost connection and edit mode are not the funnel's fault.
        if (e instanceof AddinError || NOT_A_REJECTION.has(excelCode(e))) throw e;
        ok = false;
      }
      if (!ok) {
        // Excel refused the funnel or one of its members: remove what was made of it.
        const charts = ws().charts;
        charts.load("items/name");
        await batch.flush(true);
        for (const c of charts.items) if (c.name === name) c.delete();
        await batch.add(1024, () => queue(false));
        notices.push({ key: "addin.warn.funnelRejected", params: { sheet: plan.plan.finalName } });
      }
    } else await batch.add(1024, () => queue(false));
    drawn.push(name);
  }
  return drawn;
}

/** The adapter over Office's Excel (inside Office). */
export function createExcelPort(host: ExcelHost = officeHost()): ExcelPort {
  return new ExcelPort(host);
}

export { parseAddress };
