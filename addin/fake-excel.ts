/**
 * An in-memory stand-in for the part of the Excel JavaScript API that the adapter uses, with
 * Excel's proxy semantics: calls queue operations, `context.sync()` runs them in order, and a
 * property read before it was loaded and synced throws, as in Excel. Every sync is measured
 * (request bytes, response bytes, cells read and written) and a request or response above
 * 4 MB, or a read above Excel's 5,000,000-cell limit, fails the sync — so tests catch what
 * Excel on the web would reject.
 *
 * Used by the adapter tests, the data-safety test, the browser test and the playground. It is
 * not a spreadsheet: formulas are stored, never calculated (their cached value stays).
 */
import { cellAddress, parseAddress, quoteSheet } from "./a1.js";
import { generalRead } from "./excel-text.js";
import { jsonBytes } from "./json-bytes.js";

export const REQUEST_LIMIT_BYTES = 4 * 1024 * 1024;
export const READ_CELL_LIMIT = 5_000_000;
const MAX_ROWS = 1_048_576;
const MAX_COLS = 16_384;

export type FakeValue = string | number | boolean;

export interface FakeCell {
  value?: FakeValue;
  formula?: string;
  /** The value is an Excel error (#N/A …); `values` reads it as its text, as Excel does. */
  error?: boolean;
  numberFormat?: string;
  bold?: boolean;
  fill?: string;
  fontColor?: string;
  /** RangeFormat.wrapText (ExcelApi 1.1). */
  wrap?: boolean;
}

export interface Block {
  row: number;
  col: number;
  rows: number;
  cols: number;
}

export interface SheetBlockRef extends Block {
  sheetId: string;
}

export interface FakeSeries {
  name: string;
  chartType: string | null;
  axisGroup: "Primary" | "Secondary";
  values: SheetBlockRef | null;
  xValues: SheetBlockRef | null;
}

export interface FakeChart {
  id: string;
  name: string;
  type: string;
  title: string;
  series: FakeSeries[];
  from: Block | null;
  to: Block | null;
  axes: Record<string, Record<string, unknown>>;
  legend: Record<string, unknown>;
}

export interface FakeConditionalFormat {
  block: Block;
  type: string;
  rule: { formula1?: string; operator?: string } | null;
  fill: string | null;
  fontColor: string | null;
  criteria: unknown;
}

export interface FakeValidation {
  block: Block;
  rule: { list?: { inCellDropDown?: boolean; source: string } };
}

export interface FakeSheet {
  id: string;
  name: string;
  cells: Map<number, Map<number, FakeCell>>;
  charts: FakeChart[];
  conditionalFormats: FakeConditionalFormat[];
  validations: FakeValidation[];
  freezeRows: number;
  autofit: number;
  /** Worksheet protection (Excel.WorksheetProtection, ExcelApi 1.2): cells, charts, formats locked. */
  protected?: boolean;
  visibility?: "Visible" | "Hidden" | "VeryHidden";
  /** Merged areas (Range.merge / getMergedAreasOrNullObject, ExcelApi 1.13). */
  merges?: Block[];
  /** Column widths set by RangeFormat.columnWidth (ExcelApi 1.2), in points, by 0-based column. */
  columnWidths?: Record<number, number>;
  /** What the sheet prints (Excel.PageLayout, ExcelApi 1.9). */
  pageLayout?: FakePageLayout;
}

/**
 * Excel.PageLayout (ExcelApi 1.9), as far as the add-in sets it: orientation, zoom (fit to
 * pages or a scale), print title rows and print area.
 */
export interface FakePageLayout {
  orientation: "Portrait" | "Landscape";
  zoom: { horizontalFitToPages?: number; verticalFitToPages?: number; scale?: number };
  printTitleRows: string | null;
  printArea: string | null;
}

export interface FakeTable {
  id: string;
  name: string;
  sheetId: string;
  /** Block including the header row. */
  row: number;
  col: number;
  rows: number;
  cols: number;
  /** The last row of the block is a totals row (Table.showTotals, ExcelApi 1.3). */
  showTotals?: boolean;
}

/** A custom XML part (Excel.CustomXmlPart, ExcelApi 1.5): stored in the document. */
export interface FakeXmlPart {
  id: string;
  namespaceUri: string;
  xml: string;
}

export class FakeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "RichApi.Error";
  }
}

/** Excel refuses changes to a protected sheet's cells, formats and charts (WorksheetProtection). */
export const sheetProtected = (sheet: { name: string }): FakeError =>
  new FakeError(
    "AccessDenied",
    `The cell or chart you're trying to change is on a protected sheet (${sheet.name}).`,
  );
/** Workbook structure protection forbids adding, deleting, renaming, moving or hiding sheets. */
export const workbookProtected = (): FakeError =>
  new FakeError("AccessDenied", "The workbook's structure is protected.");

/** A request's bytes as Office.js sends them: JSON.stringify's text in UTF-8 (json-bytes.ts). */
export const utf8Bytes = (x: unknown): number => jsonBytes(x);

const intersects = (a: Block, b: Block): boolean =>
  a.row < b.row + b.rows &&
  b.row < a.row + a.rows &&
  a.col < b.col + b.cols &&
  b.col < a.col + a.cols;

/** The workbook's state: sheets with sparse cells, tables, charts, formats. */
export class FakeWorkbook {
  sheets: FakeSheet[] = [];
  tables: FakeTable[] = [];
  selection: { sheet: string; address: string } | null = null;
  activeSheet: string | null = null;
  /**
   * Handlers of workbook.onSelectionChanged (ExcelApi 1.2). Per Microsoft's docs
   * ("Work with events using the Excel JavaScript API", and Excel.Workbook.onSelectionChanged)
   * the event fires when the selection changes, by the user or by range.select(), and is
   * delivered asynchronously after the change; the handler gets only
   * { type: "WorkbookSelectionChanged" } and reads the selection with getSelectedRange().
   */
  selectionHandlers = new Set<(args: { type: "WorkbookSelectionChanged" }) => Promise<unknown>>();

  /** The user selects a range (a click in the playground's grid): the event follows. */
  userSelect(sheet: string, address: string): void {
    const s = this.findSheet(sheet);
    if (!s) throw new FakeError("ItemNotFound", `No sheet named ${sheet}.`);
    this.activeSheet = s.id;
    this.selection = { sheet: s.name, address };
    this.fireSelection();
  }

  /** Deliver onSelectionChanged to every handler in a later task, as Excel does. */
  fireSelection(): void {
    for (const h of [...this.selectionHandlers])
      setTimeout(() => void h({ type: "WorkbookSelectionChanged" }).catch(() => {}), 0);
  }
  /** Custom XML parts, saved with the document. */
  xmlParts: FakeXmlPart[] = [];
  /** Defined names (workbook.names, ExcelApi 1.4): name → formula. */
  names: { name: string; formula: string }[] = [];
  /** Workbook structure protection (WorkbookProtection, ExcelApi 1.7): no sheet added, deleted, renamed, moved. */
  protected = false;
  private nextId = 1;

  /**
   * Save and reopen: what an .xlsx keeps — sheets with their IDs, cells, tables, charts,
   * formats, custom XML parts, defined names, protection — and nothing of the session
   * (selection). Worksheet and table IDs persist in the file, so they survive.
   */
  reopen(): FakeWorkbook {
    const copy = new FakeWorkbook();
    copy.sheets = structuredClone(this.sheets);
    copy.tables = structuredClone(this.tables);
    copy.xmlParts = structuredClone(this.xmlParts);
    copy.names = structuredClone(this.names);
    copy.protected = this.protected;
    copy.activeSheet = this.activeSheet;
    copy.nextId = this.nextId;
    return copy;
  }

  /** The user deletes a sheet (and its tables and charts). */
  deleteSheet(name: string): void {
    const s = this.sheet(name);
    this.sheets = this.sheets.filter((x) => x !== s);
    this.tables = this.tables.filter((t) => t.sheetId !== s.id);
    if (this.activeSheet === s.id) this.activeSheet = this.sheets[0]?.id ?? null;
  }

  id(prefix: string): string {
    return `${prefix}${this.nextId++}`;
  }

  addSheet(name: string): FakeSheet {
    if (this.protected) throw workbookProtected();
    if (this.findSheet(name))
      throw new FakeError("ItemAlreadyExists", `A sheet named "${name}" already exists.`);
    if (!name || name.length > 31 || /[[\]:*?/\\]/.test(name) || /^'|'$/.test(name))
      throw new FakeError("InvalidArgument", `Invalid sheet name: ${name}`);
    const sheet: FakeSheet = {
      id: this.id("sheet"),
      name,
      cells: new Map(),
      charts: [],
      conditionalFormats: [],
      validations: [],
      freezeRows: 0,
      autofit: 0,
    };
    this.sheets.push(sheet);
    this.activeSheet ??= sheet.id;
    return sheet;
  }

  findSheet(name: string): FakeSheet | undefined {
    const lower = name.toLowerCase();
    return this.sheets.find((s) => s.name.toLowerCase() === lower);
  }

  sheet(name: string): FakeSheet {
    const s = this.findSheet(name);
    if (!s)
      throw new FakeError("ItemNotFound", `The requested resource doesn't exist: sheet "${name}".`);
    return s;
  }

  sheetById(id: string): FakeSheet {
    const s = this.sheets.find((x) => x.id === id);
    if (!s) throw new FakeError("ItemNotFound", "The worksheet no longer exists.");
    return s;
  }

  cell(sheet: FakeSheet, row: number, col: number): FakeCell | undefined {
    return sheet.cells.get(row)?.get(col);
  }

  private touch(sheet: FakeSheet, row: number, col: number): FakeCell {
    let r = sheet.cells.get(row);
    if (!r) sheet.cells.set(row, (r = new Map()));
    let c = r.get(col);
    if (!c) r.set(col, (c = {}));
    return c;
  }

  private prune(sheet: FakeSheet, row: number, col: number): void {
    const r = sheet.cells.get(row);
    const c = r?.get(col);
    if (r && c && Object.keys(c).every((k) => (c as Record<string, unknown>)[k] === undefined)) {
      r.delete(col);
      if (r.size === 0) sheet.cells.delete(row);
    }
  }

  /**
   * Write one value as Excel does when `values` is set: "" clears; null leaves the cell alone;
   * in a Text ("@") cell a string stays the same text, except that one starting with "=", "+"
   * or "-" is a formula whatever the format (Excel.Range.values reference); in any other cell
   * a string is read as if typed (excel-text.ts: "007" → 7, "Jan 5" → a date, "#N/A" → an error, "=1+1" → a
   * formula, "'x" → the text x).
   */
  writeValue(sheet: FakeSheet, row: number, col: number, v: unknown): void {
    if (v === null || v === undefined) return; // null in a values array leaves the cell alone
    const c = this.touch(sheet, row, col);
    c.formula = undefined;
    c.error = undefined;
    if (v === "") c.value = undefined;
    else if (typeof v === "number" || typeof v === "boolean") c.value = v;
    else if (typeof v === "string" && c.numberFormat === "@" && !/^[=+-]./.test(v))
      c.value = v.startsWith("'") ? v.slice(1) : v;
    else if (typeof v === "string") {
      const r = generalRead(v);
      if (r.kind === "formula") {
        c.formula = v.startsWith("=") ? v : `=${v}`;
        c.value = 0; // not calculated; Excel would show the result
      } else {
        c.value = r.value;
        if (r.kind === "error") c.error = true;
        if ((r.kind === "date" || r.kind === "time") && !c.numberFormat)
          c.numberFormat = r.kind === "date" ? "d-mmm" : "h:mm AM/PM";
      }
    } else throw new FakeError("InvalidArgument", `Unsupported cell value: ${String(v)}`);
    this.prune(sheet, row, col);
  }

  clearBlock(sheet: FakeSheet, b: Block, what: "All" | "Contents" | "Formats" = "All"): void {
    for (const [r, cols] of [...sheet.cells]) {
      if (r < b.row || r >= b.row + b.rows) continue;
      for (const [c, cell] of [...cols]) {
        if (c < b.col || c >= b.col + b.cols) continue;
        if (what !== "Formats") {
          cell.value = undefined;
          cell.formula = undefined;
          cell.error = undefined;
        }
        if (what !== "Contents") {
          cell.numberFormat = undefined;
          cell.bold = undefined;
          cell.fill = undefined;
          cell.fontColor = undefined;
        }
        this.prune(sheet, r, c);
      }
    }
    if (what !== "Contents") {
      sheet.conditionalFormats = sheet.conditionalFormats.filter((f) => !intersects(f.block, b));
      sheet.validations = sheet.validations.filter((v) => !intersects(v.block, b));
    }
  }

  /** Bounding block of non-empty cells (values only, or any content or format). */
  usedBlock(sheet: FakeSheet, valuesOnly: boolean, within?: Block): Block | null {
    let r0 = Infinity,
      c0 = Infinity,
      r1 = -1,
      c1 = -1;
    for (const [r, cols] of sheet.cells) {
      if (within && (r < within.row || r >= within.row + within.rows)) continue;
      for (const [c, cell] of cols) {
        if (within && (c < within.col || c >= within.col + within.cols)) continue;
        const has =
          cell.value !== undefined ||
          cell.formula !== undefined ||
          (!valuesOnly &&
            (cell.numberFormat !== undefined ||
              cell.fill !== undefined ||
              cell.bold !== undefined ||
              cell.fontColor !== undefined));
        if (!has) continue;
        if (r < r0) r0 = r;
        if (r > r1) r1 = r;
        if (c < c0) c0 = c;
        if (c > c1) c1 = c;
      }
    }
    return r1 < 0 ? null : { row: r0, col: c0, rows: r1 - r0 + 1, cols: c1 - c0 + 1 };
  }

  // --- test and playground helpers (not part of the Excel API) ---

  /** Put a 2-D block of values at an A1 address on a sheet (created when missing). */
  put(sheetName: string, topLeft: string, rows: (FakeValue | null)[][]): void {
    const sheet = this.findSheet(sheetName) ?? this.addSheet(sheetName);
    const { row, col } = parseAddress(topLeft);
    rows.forEach((r, i) =>
      r.forEach((v, j) => {
        if (v === null) return;
        const c = this.touch(sheet, row + i, col + j);
        c.value = v;
      }),
    );
  }

  /** Create a table over an existing block whose first row holds the headers. */
  addTable(sheetName: string, address: string, name: string): FakeTable {
    const sheet = this.sheet(sheetName);
    const b = parseAddress(address);
    if (this.tables.some((t) => t.name.toLowerCase() === name.toLowerCase()))
      throw new FakeError("ItemAlreadyExists", `Table ${name} exists.`);
    const table: FakeTable = { id: this.id("table"), name, sheetId: sheet.id, ...b };
    this.tables.push(table);
    return table;
  }

  /** Values of a block (null for empty cells). */
  read(sheet: FakeSheet, b: Block): (FakeValue | null)[][] {
    const out: (FakeValue | null)[][] = [];
    for (let r = 0; r < b.rows; r++) {
      const row = sheet.cells.get(b.row + r);
      const line: (FakeValue | null)[] = new Array(b.cols);
      for (let c = 0; c < b.cols; c++) line[c] = row?.get(b.col + c)?.value ?? null;
      out.push(line);
    }
    return out;
  }

  /** A deep, comparable copy of every cell: sheet → "A1" → cell. */
  snapshot(): Record<string, Record<string, FakeCell>> {
    const out: Record<string, Record<string, FakeCell>> = {};
    for (const s of this.sheets) {
      const cells: Record<string, FakeCell> = {};
      for (const [r, cols] of s.cells)
        for (const [c, cell] of cols)
          cells[cellAddress(r, c)] = Object.fromEntries(
            Object.entries(cell).filter(([, v]) => v !== undefined),
          ) as FakeCell;
      out[s.name] = cells;
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Proxies and the request queue

export interface SyncStats {
  requestBytes: number;
  responseBytes: number;
  cellsRead: number;
  cellsWritten: number;
  operations: number;
  /** Labels of the labelled operations in the request, in order. */
  labels: string[];
}

interface Op {
  bytes: number;
  cellsWritten: number;
  /** What it does, for tests that look for a kind of request ("worksheet.delete"). */
  label?: string;
  /** Runs the operation; returns [response bytes, cells read]. */
  run(): [number, number] | void;
}

export interface FakeExcelOptions {
  /** Highest ExcelApi version the fake host claims; default "1.9". */
  excelApi?: string;
  requestLimitBytes?: number;
  /**
   * How the host treats funnel charts (ExcelApi 1.9; newer chart types support only part of
   * the chart API): "ok", "rejectAdd" (charts.add fails), "rejectMember" (the chart is added,
   * then setting its axes, legend or series X values fails).
   */
  funnel?: "ok" | "rejectAdd" | "rejectMember";
}

const versionAtLeast = (have: string, want: string): boolean => {
  const [a1, a2] = have.split(".").map(Number);
  const [b1, b2] = want.split(".").map(Number);
  return a1 !== b1 ? a1 > b1 : (a2 ?? 0) >= (b2 ?? 0);
};

/** The host: `run` as Excel.run, `isSetSupported` as Office.context.requirements.isSetSupported. */
export class FakeExcel {
  readonly stats: SyncStats[] = [];
  readonly excelApi: string;
  readonly requestLimit: number;
  readonly funnel: "ok" | "rejectAdd" | "rejectMember";
  screenUpdatingSuspensions = 0;
  /**
   * A cell is being edited: Excel rejects every API request with InvalidOperationInCellEditMode
   * until the user presses Enter or Esc (Excel.ErrorCodes.invalidOperationInCellEditMode in the
   * Excel JavaScript API reference; "Error handling with the application-specific JavaScript
   * APIs" on Microsoft Learn).
   */
  editMode = false;
  /** Every load queued: "<proxy class>:<properties>" (tests check what is loaded). */
  readonly loads: string[] = [];
  /** Requests sent since the host was made or `failRequest` was set (requests with operations). */
  requests = 0;
  /** Fault injection: the N-th request from now (1-based) fails. */
  private failAt: number | null = null;
  /** …after this many of its operations were applied (Excel applies a batch in order and does
   * not roll back what ran before the failing operation); null: before any. */
  private failAfterOps: number | null = null;

  constructor(
    public book: FakeWorkbook = new FakeWorkbook(),
    opts: FakeExcelOptions = {},
  ) {
    this.excelApi = opts.excelApi ?? "1.9";
    this.requestLimit = opts.requestLimitBytes ?? REQUEST_LIMIT_BYTES;
    this.funnel = opts.funnel ?? "ok";
  }

  isSetSupported(name: string, version = "1.1"): boolean {
    return name === "ExcelApi" && versionAtLeast(this.excelApi, version);
  }

  /**
   * Make the n-th request from now fail (connection lost, host restarted); null: none. With
   * `afterOps`, its first operations are applied and the next one fails.
   */
  failRequest(n: number | null, afterOps: number | null = null): void {
    this.requests = 0;
    this.failAt = n;
    this.failAfterOps = afterOps;
  }

  /** Operations of the current request to apply before the injected fault (Infinity: all). */
  opsBeforeFault(): number {
    return this.failAt !== null && this.requests === this.failAt && this.failAfterOps !== null
      ? this.failAfterOps
      : Infinity;
  }

  /** Called by a context for each request it sends; throws the injected fault. */
  beginRequest(): void {
    this.requests++;
    if (this.editMode)
      throw new FakeError(
        "InvalidOperationInCellEditMode",
        "The operation isn't available while Excel is in Edit cell mode. Exit Edit mode by using the ENTER or TAB keys, or by selecting another cell, and then try again.",
      );
    if (this.failAt !== null && this.requests === this.failAt && this.failAfterOps === null)
      throw this.fault();
  }

  fault(): FakeError {
    return new FakeError("RequestAborted", `Request ${this.requests} failed (injected fault).`);
  }

  async run<T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T> {
    const ctx = new FakeContext(this);
    const out = await batch(ctx as unknown as Excel.RequestContext);
    await ctx.sync();
    return out;
  }

  resetStats(): void {
    this.stats.length = 0;
    this.screenUpdatingSuspensions = 0;
  }
}

export class FakeContext {
  private queue: Op[] = [];
  readonly workbook: WorkbookProxy;
  constructor(readonly host: FakeExcel) {
    this.workbook = new WorkbookProxy(this);
  }
  get book(): FakeWorkbook {
    return this.host.book;
  }

  enqueue(op: Op): void {
    this.queue.push(op);
  }

  require(version: string, what: string): void {
    if (!this.host.isSetSupported("ExcelApi", version))
      throw new FakeError(
        "ApiNotFound",
        `${what} needs ExcelApi ${version}; this host has ${this.host.excelApi}.`,
      );
  }

  async sync(): Promise<void> {
    const ops = this.queue;
    this.queue = [];
    if (ops.length === 0) return;
    const stats: SyncStats = {
      requestBytes: 0,
      responseBytes: 0,
      cellsRead: 0,
      cellsWritten: 0,
      operations: ops.length,
      labels: ops.flatMap((o) => (o.label ? [o.label] : [])),
    };
    for (const op of ops) {
      stats.requestBytes += op.bytes;
      stats.cellsWritten += op.cellsWritten;
    }
    this.host.stats.push(stats);
    this.host.beginRequest();
    if (stats.requestBytes > this.host.requestLimit)
      throw new FakeError(
        "RequestPayloadSizeLimitExceeded",
        `The request payload size has exceeded the limit (${stats.requestBytes} bytes).`,
      );
    const applied = this.host.opsBeforeFault();
    for (const [i, op] of ops.entries()) {
      if (i >= applied) throw this.host.fault();
      // Only a load answers with data; a setter's run may return what it assigned (a string
      // for `(c) => (c.title = v)`), which is no response and must not enter the counts.
      const r: unknown = op.run();
      if (Array.isArray(r) && typeof r[0] === "number" && typeof r[1] === "number") {
        stats.responseBytes += r[0];
        stats.cellsRead += r[1];
      }
    }
    if (stats.responseBytes > this.host.requestLimit)
      throw new FakeError(
        "ResponsePayloadSizeLimitExceeded",
        `The response payload size has exceeded the limit (${stats.responseBytes} bytes).`,
      );
  }
}

const notLoaded = (prop: string): FakeError =>
  new FakeError(
    "PropertyNotLoaded",
    `The property '${prop}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`,
  );

function propList(props?: string | string[] | { select?: string }): string[] {
  const raw =
    props === undefined
      ? []
      : typeof props === "string"
        ? props.split(",")
        : Array.isArray(props)
          ? props
          : (props.select ?? "").split(",");
  return raw.map((p) => p.trim()).filter(Boolean);
}

abstract class ClientObject {
  protected loaded = new Map<string, unknown>();
  constructor(protected readonly ctx: FakeContext) {}
  /** Value of a loadable property at sync time. */
  protected abstract read(prop: string): unknown;
  protected defaultProps(): string[] {
    return [];
  }
  /** Null objects report true here (at sync time). */
  protected isNull(): boolean {
    return false;
  }

  load(props?: string | string[] | { select?: string }): this {
    const list = propList(props);
    const want = list.length ? list : this.defaultProps();
    this.ctx.host.loads.push(`${this.constructor.name}:${want.join(",")}`);
    this.ctx.enqueue({
      bytes: 48 + utf8Bytes(want),
      cellsWritten: 0,
      run: () => {
        const nul = this.isNull();
        this.loaded.set("isNullObject", nul);
        if (nul) return [16, 0];
        let bytes = 0;
        let cells = 0;
        for (const p of want) {
          const v = this.read(p);
          this.loaded.set(p, v);
          bytes += utf8Bytes(v) + p.length + 4;
          if (Array.isArray(v) && Array.isArray(v[0])) {
            cells += v.length * (v[0] as unknown[]).length;
          }
        }
        return [bytes, cells];
      },
    });
    return this;
  }

  get isNullObject(): boolean {
    return this.get("isNullObject") as boolean;
  }

  protected get(prop: string): unknown {
    if (!this.loaded.has(prop)) throw notLoaded(prop);
    if (prop !== "isNullObject" && this.loaded.get("isNullObject") === true)
      throw new FakeError(
        "InvalidObjectPath",
        `The object is a null object; '${prop}' cannot be read.`,
      );
    return this.loaded.get(prop);
  }

  protected op(payload: unknown, run: () => void, cellsWritten = 0, label?: string): void {
    this.ctx.enqueue({ bytes: 48 + utf8Bytes(payload), cellsWritten, run, label });
  }
}

/**
 * A proxy of an object that may not exist: a null object while `resolve` finds nothing, and
 * `target()` refuses with Excel's error for a missing object (`missing`: code and message).
 */
abstract class ResolvedObject<T> extends ClientObject {
  constructor(
    ctx: FakeContext,
    readonly resolve: () => T | null,
    private readonly missing: [code: string, message: string],
  ) {
    super(ctx);
  }
  protected target(): T {
    const t = this.resolve();
    if (t === null || t === undefined) throw new FakeError(...this.missing);
    return t;
  }
  protected override isNull(): boolean {
    return this.resolve() === null;
  }
}

class WorkbookProxy {
  readonly worksheets: WorksheetCollectionProxy;
  readonly tables: TableCollectionProxy;
  readonly application: ApplicationProxy;
  constructor(private readonly ctx: FakeContext) {
    this.worksheets = new WorksheetCollectionProxy(ctx);
    this.tables = new TableCollectionProxy(ctx);
    this.application = new ApplicationProxy(ctx);
  }
  /**
   * The selected range (ExcelApi 1.1): book.selection, else A1 of the active sheet (a new
   * workbook has A1 selected).
   */
  getSelectedRange(): RangeProxy {
    return new RangeProxy(this.ctx, () => {
      const book = this.ctx.book;
      const sel = book.selection;
      const sheet = sel ? book.findSheet(sel.sheet) : book.sheetById(book.activeSheet ?? "");
      if (!sheet) return null;
      const { row, col, rows, cols } = parseAddress(sel?.address ?? "A1");
      return { sheet, block: { row, col, rows, cols } };
    });
  }
  /** workbook.onSelectionChanged (ExcelApi 1.2): add returns a handle whose remove() is queued. */
  get onSelectionChanged(): {
    add(h: (args: { type: "WorkbookSelectionChanged" }) => Promise<unknown>): {
      remove(): void;
      context: FakeContext;
    };
  } {
    this.ctx.require("1.2", "workbook.onSelectionChanged");
    const book = this.ctx.book;
    return {
      add: (h) => {
        this.ctx.enqueue({
          bytes: 64,
          cellsWritten: 0,
          run: () => void book.selectionHandlers.add(h),
        });
        return {
          context: this.ctx,
          remove: () =>
            this.ctx.enqueue({
              bytes: 64,
              cellsWritten: 0,
              run: () => void book.selectionHandlers.delete(h),
            }),
        };
      },
    };
  }
  /** Workbook structure protection (ExcelApi 1.7). */
  get protection(): ProtectionProxy {
    this.ctx.require("1.7", "workbook.protection");
    return new ProtectionProxy(this.ctx, () => this.ctx.book.protected);
  }
  /** Custom XML parts (ExcelApi 1.5). */
  get customXmlParts(): CustomXmlPartCollectionProxy {
    this.ctx.require("1.5", "customXmlParts");
    return new CustomXmlPartCollectionProxy(this.ctx);
  }
  /** Defined names (ExcelApi 1.4). */
  get names(): NamedItemCollectionProxy {
    this.ctx.require("1.4", "names");
    return new NamedItemCollectionProxy(this.ctx);
  }
}

/** `protection.protected` of a workbook or worksheet. */
class ProtectionProxy extends ClientObject {
  constructor(
    ctx: FakeContext,
    private readonly value: () => boolean,
  ) {
    super(ctx);
  }
  protected override defaultProps(): string[] {
    return ["protected"];
  }
  protected read(prop: string): unknown {
    if (prop !== "protected") throw new FakeError("InvalidArgument", `Unknown property ${prop}`);
    return this.value();
  }
  get protected(): boolean {
    return this.get("protected") as boolean;
  }
}

class NamedItemCollectionProxy extends ClientObject {
  protected read(prop: string): unknown {
    if (prop === "count") return this.ctx.book.names.length;
    return this.ctx.book.names.map((n) => n.name);
  }
  get items(): { name: string }[] {
    if (![...this.loaded.keys()].some((k) => k === "items" || k.startsWith("items/")))
      throw notLoaded("items");
    const names = (this.loaded.get("items/name") ?? this.loaded.get("items")) as string[];
    return names.map((name) => ({ name }));
  }
}

/** A value computed at sync time (OfficeExtension.ClientResult). */
class ClientResultProxy<T> {
  private ready = false;
  private v: T | undefined;
  set(v: T): void {
    this.v = v;
    this.ready = true;
  }
  get value(): T {
    if (!this.ready) throw notLoaded("value");
    return this.v as T;
  }
}

const namespaceOf = (xml: string): string =>
  /^\s*(?:<\?xml[^>]*\?>\s*)?<[^\s>]+[^>]*\sxmlns="([^"]*)"/.exec(xml)?.[1] ?? "";

class CustomXmlPartCollectionProxy {
  constructor(private readonly ctx: FakeContext) {}
  add(xml: string): CustomXmlPartProxy {
    let made: FakeXmlPart | null = null;
    this.ctx.enqueue({
      bytes: 48 + utf8Bytes(xml),
      cellsWritten: 0,
      run: () => {
        if (!/^\s*(<\?xml[^>]*\?>\s*)?<[A-Za-z_]/.test(xml))
          throw new FakeError("InvalidArgument", "The XML is not well formed.");
        made = { id: this.ctx.book.id("{xml-"), namespaceUri: namespaceOf(xml), xml };
        this.ctx.book.xmlParts.push(made);
      },
    });
    return new CustomXmlPartProxy(this.ctx, () => made);
  }
  getByNamespace(ns: string): { getOnlyItemOrNullObject(): CustomXmlPartProxy } {
    return {
      getOnlyItemOrNullObject: () =>
        new CustomXmlPartProxy(this.ctx, () => {
          const hits = this.ctx.book.xmlParts.filter((p) => p.namespaceUri === ns);
          return hits.length === 1 ? hits[0] : null;
        }),
    };
  }
}

class CustomXmlPartProxy extends ResolvedObject<FakeXmlPart> {
  constructor(ctx: FakeContext, resolve: () => FakeXmlPart | null) {
    super(ctx, resolve, ["ItemNotFound", "The custom XML part doesn't exist."]);
  }
  private part(): FakeXmlPart {
    return this.target();
  }
  protected override defaultProps(): string[] {
    return ["id", "namespaceUri"];
  }
  protected read(prop: string): unknown {
    const p = this.part();
    if (prop === "id") return p.id;
    if (prop === "namespaceUri") return p.namespaceUri;
    throw new FakeError("InvalidArgument", `Unknown custom XML part property ${prop}`);
  }
  getXml(): ClientResultProxy<string> {
    const out = new ClientResultProxy<string>();
    this.ctx.enqueue({
      bytes: 64,
      cellsWritten: 0,
      run: () => {
        const xml = this.part().xml;
        out.set(xml);
        return [utf8Bytes(xml), 0];
      },
    });
    return out;
  }
  setXml(xml: string): void {
    this.op({ setXml: xml }, () => {
      const p = this.part();
      p.xml = xml;
      p.namespaceUri = namespaceOf(xml);
    });
  }
  delete(): void {
    this.op({ delete: 1 }, () => {
      const p = this.part();
      this.ctx.book.xmlParts = this.ctx.book.xmlParts.filter((x) => x !== p);
    });
  }
}

class ApplicationProxy {
  constructor(private readonly ctx: FakeContext) {}
  suspendScreenUpdatingUntilNextSync(): void {
    this.ctx.require("1.9", "suspendScreenUpdatingUntilNextSync");
    this.ctx.enqueue({
      bytes: 64,
      cellsWritten: 0,
      run: () => void this.ctx.host.screenUpdatingSuspensions++,
    });
  }
}

class WorksheetCollectionProxy extends ClientObject {
  private itemProxies: WorksheetProxy[] = [];
  protected read(prop: string): unknown {
    if (prop === "count") return this.ctx.book.sheets.length;
    // items/<prop>: materialise the proxies with that property loaded
    const sub = prop.replace(/^items\/?/, "");
    // load("items/name, items/id"): one set of item proxies with both properties loaded
    const sheets = this.ctx.book.sheets;
    if (
      this.itemProxies.length !== sheets.length ||
      this.itemProxies.some((p, i) => p.resolve() !== sheets[i])
    )
      this.itemProxies = sheets.map(
        (s) => new WorksheetProxy(this.ctx, () => this.ctx.book.sheetById(s.id)),
      );
    if (sub) for (const p of this.itemProxies) p.preload(sub);
    return this.ctx.book.sheets.map((s) =>
      sub ? ((s as unknown as Record<string, unknown>)[sub] ?? null) : s.name,
    );
  }
  get items(): WorksheetProxy[] {
    if (
      ![...this.loaded.keys()].some((k) => k === "items" || k.startsWith("items/") || k === "name")
    )
      throw notLoaded("items");
    return this.itemProxies;
  }
  /** By name or by ID, as Excel's WorksheetCollection.getItem(key). */
  getItem(key: string): WorksheetProxy {
    return new WorksheetProxy(
      this.ctx,
      () => this.ctx.book.sheets.find((x) => x.id === key) ?? this.ctx.book.sheet(key),
    );
  }
  getItemOrNullObject(key: string): WorksheetProxy {
    return new WorksheetProxy(
      this.ctx,
      () => this.ctx.book.sheets.find((x) => x.id === key) ?? this.ctx.book.findSheet(key) ?? null,
    );
  }
  getActiveWorksheet(): WorksheetProxy {
    return new WorksheetProxy(this.ctx, () =>
      this.ctx.book.sheetById(this.ctx.book.activeSheet ?? ""),
    );
  }
  add(name: string): WorksheetProxy {
    let created: FakeSheet | null = null;
    this.op({ add: name }, () => {
      created = this.ctx.book.addSheet(name);
    });
    return new WorksheetProxy(this.ctx, () => {
      if (!created) throw new FakeError("ItemNotFound", "The worksheet was not created.");
      return created;
    });
  }
}

class WorksheetProxy extends ResolvedObject<FakeSheet> {
  readonly charts: ChartCollectionProxy;
  readonly freezePanes: FreezePanesProxy;
  constructor(ctx: FakeContext, resolve: () => FakeSheet | null) {
    super(ctx, resolve, ["ItemNotFound", "The requested worksheet doesn't exist."]);
    this.charts = new ChartCollectionProxy(ctx, () => this.sheet());
    this.freezePanes = new FreezePanesProxy(ctx, () => this.sheet());
  }
  sheet(): FakeSheet {
    return this.target();
  }
  /** Worksheet.pageLayout: ExcelApi 1.9 ("Excel.PageLayout class", Microsoft). */
  get pageLayout(): PageLayoutProxy {
    this.ctx.require("1.9", "pageLayout");
    return new PageLayoutProxy(this.ctx, () => this.sheet());
  }
  protected override defaultProps(): string[] {
    return ["name", "id", "position"];
  }
  protected read(prop: string): unknown {
    const s = this.sheet();
    if (prop === "name") return s.name;
    if (prop === "id") return s.id;
    if (prop === "position") return this.ctx.book.sheets.indexOf(s);
    if (prop === "visibility") return s.visibility ?? "Visible";
    throw new FakeError("InvalidArgument", `Unknown worksheet property ${prop}`);
  }
  /** Mark a property loaded from a collection load. */
  preload(prop: string): void {
    this.loaded.set("isNullObject", false);
    this.loaded.set(prop, this.read(prop));
  }
  get id(): string {
    return this.get("id") as string;
  }
  get visibility(): string {
    return this.get("visibility") as string;
  }
  set visibility(v: "Visible" | "Hidden" | "VeryHidden") {
    this.op({ visibility: v }, () => {
      if (this.ctx.book.protected) throw workbookProtected();
      this.sheet().visibility = v;
    });
  }
  /** Worksheet protection (ExcelApi 1.2). */
  get protection(): ProtectionProxy {
    this.ctx.require("1.2", "worksheet.protection");
    return new ProtectionProxy(this.ctx, () => this.sheet().protected === true);
  }
  delete(): void {
    this.op(
      { delete: 1 },
      () => {
        if (this.ctx.book.protected) throw workbookProtected();
        const s = this.sheet();
        const visible = this.ctx.book.sheets.filter(
          (x) => x !== s && (x.visibility ?? "Visible") === "Visible",
        );
        if (visible.length === 0)
          throw new FakeError(
            "InvalidOperation",
            "A workbook must contain at least one visible worksheet.",
          );
        this.ctx.book.deleteSheet(s.name);
      },
      0,
      "worksheet.delete",
    );
  }
  get name(): string {
    return this.get("name") as string;
  }
  set name(v: string) {
    this.op({ name: v }, () => {
      if (this.ctx.book.protected) throw workbookProtected();
      if (!v || v.length > 31 || /[[\]:*?/\\]/.test(v) || /^'|'$/.test(v))
        throw new FakeError("InvalidArgument", `Invalid sheet name: ${v}`);
      const s = this.sheet();
      const other = this.ctx.book.findSheet(v);
      if (other && other !== s)
        throw new FakeError("ItemAlreadyExists", `A sheet named "${v}" already exists.`);
      s.name = v;
    });
  }
  get position(): number {
    return this.get("position") as number;
  }
  set position(v: number) {
    this.op({ position: v }, () => {
      if (this.ctx.book.protected) throw workbookProtected();
      const s = this.sheet();
      const list = this.ctx.book.sheets.filter((x) => x !== s);
      list.splice(Math.min(v, list.length), 0, s);
      this.ctx.book.sheets = list;
    });
  }
  getRange(address?: string): RangeProxy {
    return new RangeProxy(this.ctx, () => {
      const s = this.sheet();
      if (!address) return { sheet: s, block: { row: 0, col: 0, rows: MAX_ROWS, cols: MAX_COLS } };
      return { sheet: s, block: parseAddress(address) };
    });
  }
  getRangeByIndexes(row: number, col: number, rows: number, cols: number): RangeProxy {
    if (rows < 1 || cols < 1 || row < 0 || col < 0)
      throw new FakeError("InvalidArgument", `Invalid range ${row},${col},${rows},${cols}`);
    return new RangeProxy(this.ctx, () => ({
      sheet: this.sheet(),
      block: { row, col, rows, cols },
    }));
  }
  getUsedRangeOrNullObject(valuesOnly = false): RangeProxy {
    return new RangeProxy(this.ctx, () => {
      const s = this.sheet();
      const b = this.ctx.book.usedBlock(s, valuesOnly);
      return b ? { sheet: s, block: b } : null;
    });
  }
  getUsedRange(valuesOnly = false): RangeProxy {
    return new RangeProxy(this.ctx, () => {
      const s = this.sheet();
      return {
        sheet: s,
        block: this.ctx.book.usedBlock(s, valuesOnly) ?? { row: 0, col: 0, rows: 1, cols: 1 },
      };
    });
  }
  activate(): void {
    this.op({ activate: 1 }, () => {
      this.ctx.book.activeSheet = this.sheet().id;
    });
  }
}

/**
 * Excel.PageLayout (ExcelApi 1.9). As documented: orientation is Portrait or Landscape; zoom's
 * scale lies between 10 and 400 and the fit-to-pages counts are whole numbers (0: as many as it
 * takes); print title rows are whole rows ("$1:$2"); the print area is a range address. Anything
 * else fails the request with InvalidArgument. A protected sheet rejects the change.
 */
class PageLayoutProxy {
  constructor(
    private readonly ctx: FakeContext,
    private readonly sheet: () => FakeSheet,
  ) {}
  private change(payload: unknown, f: (p: FakePageLayout) => void): void {
    this.ctx.enqueue({
      bytes: 64 + utf8Bytes(payload),
      cellsWritten: 0,
      run: () => {
        const sheet = this.sheet();
        if (sheet.protected) throw sheetProtected(sheet);
        sheet.pageLayout ??= {
          orientation: "Portrait",
          zoom: { scale: 100 },
          printTitleRows: null,
          printArea: null,
        };
        f(sheet.pageLayout);
      },
    });
  }
  set orientation(v: string) {
    this.change({ orientation: v }, (p) => {
      if (v !== "Portrait" && v !== "Landscape")
        throw new FakeError("InvalidArgument", `Invalid orientation: ${v}`);
      p.orientation = v;
    });
  }
  get orientation(): string {
    throw notLoaded("orientation");
  }
  set zoom(z: FakePageLayout["zoom"]) {
    this.change({ zoom: z }, (p) => {
      const fit = [z.horizontalFitToPages, z.verticalFitToPages].filter((x) => x != null);
      if (z.scale != null && (z.scale < 10 || z.scale > 400))
        throw new FakeError(
          "InvalidArgument",
          `Print scale must be between 10 and 400: ${z.scale}`,
        );
      if (fit.some((x) => !Number.isInteger(x) || (x as number) < 0))
        throw new FakeError("InvalidArgument", "Fit to pages must be whole numbers.");
      if (z.scale == null && fit.length === 0)
        throw new FakeError("InvalidArgument", "Zoom needs a scale or pages to fit to.");
      p.zoom = { ...z };
    });
  }
  get zoom(): FakePageLayout["zoom"] {
    throw notLoaded("zoom");
  }
  setPrintTitleRows(rows: string): void {
    this.change({ rows }, (p) => {
      const m = /^\$?(\d+):\$?(\d+)$/.exec(rows);
      if (!m || +m[1] < 1 || +m[2] < +m[1])
        throw new FakeError("InvalidArgument", `Print title rows must be whole rows: ${rows}`);
      p.printTitleRows = rows;
    });
  }
  setPrintArea(area: string): void {
    this.change({ area }, (p) => {
      if (!/^\$?[A-Z]{1,3}\$?\d+(:\$?[A-Z]{1,3}\$?\d+)?$/.test(area))
        throw new FakeError("InvalidArgument", `Invalid print area: ${area}`);
      p.printArea = area;
    });
  }
}

class FreezePanesProxy {
  constructor(
    private readonly ctx: FakeContext,
    private readonly sheet: () => FakeSheet,
  ) {}
  freezeRows(count = 1): void {
    this.ctx.require("1.7", "freezePanes");
    this.ctx.enqueue({
      bytes: 64,
      cellsWritten: 0,
      run: () => void (this.sheet().freezeRows = count),
    });
  }
  unfreeze(): void {
    this.ctx.enqueue({ bytes: 64, cellsWritten: 0, run: () => void (this.sheet().freezeRows = 0) });
  }
}

interface RangeLoc {
  sheet: FakeSheet;
  block: Block;
}

class RangeProxy extends ResolvedObject<RangeLoc> {
  constructor(ctx: FakeContext, resolve: () => RangeLoc | null) {
    super(ctx, resolve, ["InvalidObjectPath", "The range is a null object."]);
  }
  loc(): RangeLoc {
    return this.target();
  }
  /** The range, for a change: refused on a protected sheet. */
  writable(): RangeLoc {
    const l = this.loc();
    if (l.sheet.protected) throw sheetProtected(l.sheet);
    return l;
  }
  protected override defaultProps(): string[] {
    return ["address", "rowIndex", "columnIndex", "rowCount", "columnCount", "values"];
  }
  protected read(prop: string): unknown {
    const { sheet, block } = this.loc();
    switch (prop) {
      case "values":
      case "formulas":
      case "numberFormat": {
        const cells = block.rows * block.cols;
        if (cells > READ_CELL_LIMIT)
          throw new FakeError(
            "ResponsePayloadSizeLimitExceeded",
            `Reading ${cells} cells exceeds Excel's limit of ${READ_CELL_LIMIT}.`,
          );
        const out: unknown[][] = [];
        for (let r = 0; r < block.rows; r++) {
          const line: unknown[] = new Array(block.cols);
          const row = sheet.cells.get(block.row + r);
          for (let c = 0; c < block.cols; c++) {
            const cell = row?.get(block.col + c);
            line[c] =
              prop === "values"
                ? (cell?.value ?? "")
                : prop === "formulas"
                  ? (cell?.formula ?? cell?.value ?? "")
                  : (cell?.numberFormat ?? "General");
          }
          out.push(line);
        }
        return out;
      }
      case "address":
        return `${quoteSheet(sheet.name)}!${cellAddress(block.row, block.col, block.rows, block.cols)}`;
      case "rowIndex":
        return block.row;
      case "columnIndex":
        return block.col;
      case "rowCount":
        return block.rows;
      case "columnCount":
        return block.cols;
      default:
        throw new FakeError("InvalidArgument", `Unknown range property ${prop}`);
    }
  }
  get values(): unknown[][] {
    return this.get("values") as unknown[][];
  }
  set values(v: unknown[][]) {
    const n = Array.isArray(v) ? v.length * (v[0]?.length ?? 0) : 1;
    this.op(
      { values: v },
      () => this.writeGrid(v, (sheet, r, c, x) => this.ctx.book.writeValue(sheet, r, c, x)),
      n,
    );
  }
  get numberFormat(): unknown[][] {
    return this.get("numberFormat") as unknown[][];
  }
  set numberFormat(v: unknown[][]) {
    this.op({ numberFormat: v }, () =>
      this.writeGrid(v, (sheet, r, c, x) => {
        if (x === null || x === undefined) return;
        const cells = sheet.cells.get(r) ?? new Map<number, FakeCell>();
        sheet.cells.set(r, cells);
        const cell = cells.get(c) ?? {};
        cells.set(c, cell);
        cell.numberFormat = String(x);
      }),
    );
  }
  get formulas(): unknown[][] {
    return this.get("formulas") as unknown[][];
  }
  get address(): string {
    return this.get("address") as string;
  }
  get rowIndex(): number {
    return this.get("rowIndex") as number;
  }
  get columnIndex(): number {
    return this.get("columnIndex") as number;
  }
  get rowCount(): number {
    return this.get("rowCount") as number;
  }
  get columnCount(): number {
    return this.get("columnCount") as number;
  }

  private writeGrid(
    v: unknown,
    put: (sheet: FakeSheet, r: number, c: number, x: unknown) => void,
  ): void {
    const { sheet, block } = this.writable();
    if (!Array.isArray(v)) {
      for (let r = 0; r < block.rows; r++)
        for (let c = 0; c < block.cols; c++) put(sheet, block.row + r, block.col + c, v);
      return;
    }
    if (
      v.length !== block.rows ||
      v.some((line) => !Array.isArray(line) || line.length !== block.cols)
    )
      throw new FakeError(
        "InvalidArgument",
        `The number of rows or columns in the input array doesn't match the size or dimensions of the range (${block.rows}×${block.cols}).`,
      );
    for (let r = 0; r < block.rows; r++)
      for (let c = 0; c < block.cols; c++)
        put(sheet, block.row + r, block.col + c, (v[r] as unknown[])[c]);
  }

  get format(): RangeFormatProxy {
    return new RangeFormatProxy(this.ctx, () => this.writable());
  }
  get conditionalFormats(): ConditionalFormatCollectionProxy {
    this.ctx.require("1.6", "conditionalFormats");
    return new ConditionalFormatCollectionProxy(this.ctx, () => this.writable());
  }
  get dataValidation(): DataValidationProxy {
    this.ctx.require("1.8", "dataValidation");
    return new DataValidationProxy(
      this.ctx,
      () => this.loc(),
      () => this.writable(),
    );
  }
  /** Merged areas inside the range (ExcelApi 1.13); a null object when there are none. */
  getMergedAreasOrNullObject(): MergedAreasProxy {
    this.ctx.require("1.13", "getMergedAreasOrNullObject");
    return new MergedAreasProxy(this.ctx, () => {
      const { sheet, block } = this.loc();
      const hits = (sheet.merges ?? []).filter((m) => intersects(m, block));
      return hits.length ? { sheet, blocks: hits } : null;
    });
  }
  get worksheet(): WorksheetProxy {
    return new WorksheetProxy(this.ctx, () => this.loc().sheet);
  }
  getCell(row: number, col: number): RangeProxy {
    return new RangeProxy(this.ctx, () => {
      const { sheet, block } = this.loc();
      return { sheet, block: { row: block.row + row, col: block.col + col, rows: 1, cols: 1 } };
    });
  }
  getUsedRangeOrNullObject(valuesOnly = false): RangeProxy {
    return new RangeProxy(this.ctx, () => {
      const { sheet, block } = this.loc();
      const b = this.ctx.book.usedBlock(sheet, valuesOnly, block);
      return b ? { sheet, block: b } : null;
    });
  }
  clear(applyTo: "All" | "Contents" | "Formats" = "All"): void {
    this.op({ clear: applyTo }, () => {
      const { sheet, block } = this.writable();
      this.ctx.book.clearBlock(sheet, block, applyTo);
    });
  }
  select(): void {
    this.op({ select: 1 }, () => {
      const { sheet, block } = this.loc();
      this.ctx.book.activeSheet = sheet.id;
      this.ctx.book.selection = {
        sheet: sheet.name,
        address: cellAddress(block.row, block.col, block.rows, block.cols),
      };
      this.ctx.book.fireSelection();
    });
  }
}

class MergedAreasProxy extends ClientObject {
  constructor(
    ctx: FakeContext,
    private readonly resolve: () => { sheet: FakeSheet; blocks: Block[] } | null,
  ) {
    super(ctx);
  }
  protected override isNull(): boolean {
    return this.resolve() === null;
  }
  protected override defaultProps(): string[] {
    return ["address", "areaCount"];
  }
  protected read(prop: string): unknown {
    const r = this.resolve();
    if (!r) throw new FakeError("InvalidObjectPath", "null object");
    if (prop === "areaCount") return r.blocks.length;
    if (prop === "address")
      return r.blocks
        .map((b) => `${quoteSheet(r.sheet.name)}!${cellAddress(b.row, b.col, b.rows, b.cols)}`)
        .join(",");
    throw new FakeError("InvalidArgument", `Unknown RangeAreas property ${prop}`);
  }
  get address(): string {
    return this.get("address") as string;
  }
  get areaCount(): number {
    return this.get("areaCount") as number;
  }
}

class RangeFormatProxy {
  readonly font: { bold: boolean; color: string };
  readonly fill: { color: string };
  constructor(
    private readonly ctx: FakeContext,
    private readonly loc: () => RangeLoc,
  ) {
    const each = (f: (c: FakeCell) => void) => () => {
      const { sheet, block } = this.loc();
      for (let r = 0; r < block.rows; r++)
        for (let c = 0; c < block.cols; c++) {
          let row = sheet.cells.get(block.row + r);
          if (!row) sheet.cells.set(block.row + r, (row = new Map()));
          let cell = row.get(block.col + c);
          if (!cell) row.set(block.col + c, (cell = {}));
          f(cell);
        }
    };
    const enqueue = (payload: unknown, run: () => void) =>
      this.ctx.enqueue({ bytes: 48 + utf8Bytes(payload), cellsWritten: 0, run });
    this.font = {
      set bold(v: boolean) {
        enqueue(
          { bold: v },
          each((c) => (c.bold = v)),
        );
      },
      get bold(): boolean {
        throw notLoaded("bold");
      },
      set color(v: string) {
        enqueue(
          { fontColor: v },
          each((c) => (c.fontColor = v)),
        );
      },
      get color(): string {
        throw notLoaded("color");
      },
    };
    this.fill = {
      set color(v: string) {
        enqueue(
          { fill: v },
          each((c) => (c.fill = v)),
        );
      },
      get color(): string {
        throw notLoaded("color");
      },
    };
  }
  autofitColumns(): void {
    this.ctx.enqueue({ bytes: 64, cellsWritten: 0, run: () => void this.loc().sheet.autofit++ });
  }
  /** RangeFormat.columnWidth (ExcelApi 1.2), in points; Excel's widest column is 255 characters. */
  set columnWidth(v: number) {
    this.ctx.enqueue({
      bytes: 64,
      cellsWritten: 0,
      run: () => {
        if (!(v >= 0 && v <= 255 * 7.5))
          throw new FakeError("InvalidArgument", `Invalid column width: ${v}`);
        const { sheet, block } = this.loc();
        sheet.columnWidths ??= {};
        for (let c = 0; c < block.cols; c++) sheet.columnWidths[block.col + c] = v;
      },
    });
  }
  get columnWidth(): number {
    throw notLoaded("columnWidth");
  }
  /** RangeFormat.wrapText (ExcelApi 1.1). */
  set wrapText(v: boolean) {
    this.ctx.enqueue({
      bytes: 64,
      cellsWritten: 0,
      run: () => {
        const { sheet, block } = this.loc();
        for (let r = 0; r < block.rows; r++)
          for (let c = 0; c < block.cols; c++) {
            let row = sheet.cells.get(block.row + r);
            if (!row) sheet.cells.set(block.row + r, (row = new Map()));
            let cell = row.get(block.col + c);
            if (!cell) row.set(block.col + c, (cell = {}));
            cell.wrap = v;
          }
      },
    });
  }
  get wrapText(): boolean {
    throw notLoaded("wrapText");
  }
}

class ConditionalFormatCollectionProxy {
  constructor(
    private readonly ctx: FakeContext,
    private readonly loc: () => RangeLoc,
  ) {}
  add(type: string): ConditionalFormatProxy {
    let made: FakeConditionalFormat | null = null;
    this.ctx.enqueue({
      bytes: 64,
      cellsWritten: 0,
      run: () => {
        const { sheet, block } = this.loc();
        made = { block, type, rule: null, fill: null, fontColor: null, criteria: null };
        sheet.conditionalFormats.push(made);
      },
    });
    return new ConditionalFormatProxy(this.ctx, () => {
      if (!made) throw new FakeError("ItemNotFound", "conditional format not created");
      return made;
    });
  }
  clearAll(): void {
    this.ctx.enqueue({
      bytes: 64,
      cellsWritten: 0,
      run: () => {
        const { sheet, block } = this.loc();
        sheet.conditionalFormats = sheet.conditionalFormats.filter(
          (f) => !intersects(f.block, block),
        );
      },
    });
  }
}

class ConditionalFormatProxy {
  readonly cellValue: {
    format: { fill: { color: string }; font: { color: string } };
    rule: { formula1?: string; operator?: string };
  };
  readonly colorScale: { criteria: unknown };
  constructor(ctx: FakeContext, cf: () => FakeConditionalFormat) {
    const set = (payload: unknown, f: (x: FakeConditionalFormat) => void) =>
      ctx.enqueue({ bytes: 48 + utf8Bytes(payload), cellsWritten: 0, run: () => f(cf()) });
    this.cellValue = {
      format: {
        fill: {
          set color(v: string) {
            set({ fill: v }, (x) => (x.fill = v));
          },
          get color(): string {
            throw notLoaded("color");
          },
        },
        font: {
          set color(v: string) {
            set({ font: v }, (x) => (x.fontColor = v));
          },
          get color(): string {
            throw notLoaded("color");
          },
        },
      },
      set rule(v: { formula1?: string; operator?: string }) {
        set(v, (x) => {
          if (x.type !== "CellValue")
            throw new FakeError("InvalidArgument", "cellValue on a non-CellValue format");
          x.rule = v;
        });
      },
      get rule(): { formula1?: string; operator?: string } {
        throw notLoaded("rule");
      },
    };
    this.colorScale = {
      set criteria(v: unknown) {
        set(v, (x) => {
          if (x.type !== "ColorScale")
            throw new FakeError("InvalidArgument", "colorScale on a non-ColorScale format");
          x.criteria = v;
        });
      },
      get criteria(): unknown {
        throw notLoaded("criteria");
      },
    };
  }
}

class DataValidationProxy extends ClientObject {
  constructor(
    ctx: FakeContext,
    private readonly loc: () => RangeLoc,
    private readonly writable: () => RangeLoc = loc,
  ) {
    super(ctx);
  }
  protected read(prop: string): unknown {
    if (prop !== "type")
      throw new FakeError("InvalidArgument", `Unknown dataValidation property ${prop}`);
    const { sheet, block } = this.loc();
    const hits = sheet.validations.filter((v) => intersects(v.block, block));
    return hits.length === 0
      ? "None"
      : hits.length > 1
        ? "Inconsistent"
        : hits[0].rule.list
          ? "List"
          : "Custom";
  }
  get type(): string {
    return this.get("type") as string;
  }
  set rule(v: FakeValidation["rule"]) {
    this.op(v, () => {
      const { sheet, block } = this.writable();
      sheet.validations = sheet.validations.filter((x) => !intersects(x.block, block));
      sheet.validations.push({ block, rule: v });
    });
  }
  clear(): void {
    this.op({ clear: 1 }, () => {
      const { sheet, block } = this.writable();
      sheet.validations = sheet.validations.filter((x) => !intersects(x.block, block));
    });
  }
}

// --- tables ---

class TableCollectionProxy extends ClientObject {
  private itemProxies: TableProxy[] = [];
  protected read(prop: string): unknown {
    if (prop === "count") return this.ctx.book.tables.length;
    const sub = prop.replace(/^items\/?/, "") || "name";
    const tables = this.ctx.book.tables;
    if (
      this.itemProxies.length !== tables.length ||
      this.itemProxies.some((p, i) => p.resolve() !== tables[i])
    )
      this.itemProxies = tables.map(
        (t) =>
          new TableProxy(this.ctx, () => this.ctx.book.tables.find((x) => x.id === t.id) ?? null),
      );
    for (const p of this.itemProxies) p.preload(sub);
    return this.ctx.book.tables.map((t) => (t as unknown as Record<string, unknown>)[sub] ?? null);
  }
  get items(): TableProxy[] {
    if (
      ![...this.loaded.keys()].some((k) => k === "items" || k.startsWith("items/") || k === "name")
    )
      throw notLoaded("items");
    return this.itemProxies;
  }
  /** By name or ID, as Excel.TableCollection.getItem ("Gets a table by name or ID"). */
  getItem(name: string): TableProxy {
    return new TableProxy(this.ctx, () => {
      const t = this.ctx.book.tables.find(
        (x) => x.id === name || x.name.toLowerCase() === name.toLowerCase(),
      );
      if (!t) throw new FakeError("ItemNotFound", `Table ${name} doesn't exist.`);
      return t;
    });
  }
  getItemOrNullObject(name: string): TableProxy {
    return new TableProxy(
      this.ctx,
      () =>
        this.ctx.book.tables.find(
          (x) => x.id === name || x.name.toLowerCase() === name.toLowerCase(),
        ) ?? null,
    );
  }
  add(address: string, hasHeaders: boolean): TableProxy {
    let made: FakeTable | null = null;
    this.op({ add: address, hasHeaders }, () => {
      if (!hasHeaders)
        throw new FakeError("NotImplemented", "The fake only converts ranges with headers.");
      const b = parseAddress(address);
      const sheet = b.sheet
        ? this.ctx.book.sheet(b.sheet)
        : this.ctx.book.sheetById(this.ctx.book.activeSheet ?? "");
      if (this.ctx.book.tables.some((t) => t.sheetId === sheet.id && intersects(t, b)))
        throw new FakeError("InvalidOperation", "A table can't overlap another table.");
      let n = this.ctx.book.tables.length + 1;
      while (this.ctx.book.tables.some((t) => t.name === `Table${n}`)) n++;
      made = {
        id: this.ctx.book.id("table"),
        name: `Table${n}`,
        sheetId: sheet.id,
        row: b.row,
        col: b.col,
        rows: b.rows,
        cols: b.cols,
      };
      this.ctx.book.tables.push(made);
    });
    return new TableProxy(this.ctx, () => made);
  }
}

class TableProxy extends ResolvedObject<FakeTable> {
  readonly columns: TableColumnCollectionProxy;
  readonly rows: TableRowCollectionProxy;
  constructor(ctx: FakeContext, resolve: () => FakeTable | null) {
    super(ctx, resolve, ["ItemNotFound", "The table doesn't exist."]);
    this.columns = new TableColumnCollectionProxy(ctx, () => this.table());
    this.rows = new TableRowCollectionProxy(ctx, () => this.table());
  }
  table(): FakeTable {
    return this.target();
  }
  protected override defaultProps(): string[] {
    return ["name", "id"];
  }
  protected read(prop: string): unknown {
    const t = this.table();
    if (prop === "name") return t.name;
    if (prop === "id") return t.id;
    if (prop === "showTotals") return t.showTotals === true;
    throw new FakeError("InvalidArgument", `Unknown table property ${prop}`);
  }
  preload(prop: string): void {
    this.loaded.set("isNullObject", false);
    this.loaded.set(prop, this.read(prop));
  }
  get name(): string {
    return this.get("name") as string;
  }
  set name(v: string) {
    this.op({ name: v }, () => {
      // A table name must differ from every other table's and every defined name.
      if (
        this.ctx.book.tables.some(
          (x) => x !== this.table() && x.name.toLowerCase() === v.toLowerCase(),
        ) ||
        this.ctx.book.names.some((n) => n.name.toLowerCase() === v.toLowerCase())
      )
        throw new FakeError("ItemAlreadyExists", `Table ${v} exists.`);
      this.table().name = v;
    });
  }
  get worksheet(): WorksheetProxy {
    return new WorksheetProxy(this.ctx, () => this.ctx.book.sheetById(this.table().sheetId));
  }
  private range(f: (t: FakeTable) => Block): RangeProxy {
    return new RangeProxy(this.ctx, () => {
      const t = this.table();
      return { sheet: this.ctx.book.sheetById(t.sheetId), block: f(t) };
    });
  }
  getRange(): RangeProxy {
    return this.range((t) => ({ row: t.row, col: t.col, rows: t.rows, cols: t.cols }));
  }
  getHeaderRowRange(): RangeProxy {
    return this.range((t) => ({ row: t.row, col: t.col, rows: 1, cols: t.cols }));
  }
  get showTotals(): boolean {
    return this.get("showTotals") as boolean;
  }
  get id(): string {
    return this.get("id") as string;
  }
  getDataBodyRange(): RangeProxy {
    // Excel keeps one (empty) body row in a table without data; the totals row is not body.
    return this.range((t) => ({
      row: t.row + 1,
      col: t.col,
      rows: Math.max(1, t.rows - 1 - (t.showTotals ? 1 : 0)),
      cols: t.cols,
    }));
  }
  getTotalRowRange(): RangeProxy {
    return this.range((t) => {
      if (!t.showTotals) throw new FakeError("InvalidOperation", "The table has no totals row.");
      return { row: t.row + t.rows - 1, col: t.col, rows: 1, cols: t.cols };
    });
  }
}

/**
 * Excel.TableRowCollection.add (ExcelApi 1.1), as Microsoft's references describe it (Excel
 * JavaScript API: TableRowCollection.add, whose `alwaysInsert` defaults to inserting; VBA:
 * ListRows.Add, "the cells below the table will be shifted down one row"): rows are added at
 * `index` within the table's body (null or -1: after the last body row, above a totals row),
 * and the cells below in the table's columns move down, so nothing is overwritten. `values` is a 2D
 * array with one inner array per new row, each exactly as wide as the table, else the request
 * fails with InvalidArgument; the values are read as typed in a General cell, like
 * Range.values (a leading apostrophe keeps text). New cells take the number format of the
 * body row above them, as a table extends its formatting. A protected sheet refuses the add
 * (AccessDenied). Shifting would move part of another table or a merged area: refused
 * (InvalidOperation), as Excel refuses to move part of a table.
 */
class TableRowCollectionProxy {
  constructor(
    private readonly ctx: FakeContext,
    private readonly table: () => FakeTable,
  ) {}
  add(index?: number | null, values?: unknown[][]): TableRowProxy {
    let at: { sheet: FakeSheet; row: number; count: number } | null = null;
    const n = Array.isArray(values) ? values.length : 1;
    this.ctx.enqueue({
      bytes: 64 + utf8Bytes({ index, values }),
      cellsWritten: Array.isArray(values) ? n * (values[0]?.length ?? 0) : 0,
      run: () => {
        const t = this.table();
        const book = this.ctx.book;
        const sheet = book.sheetById(t.sheetId);
        if (sheet.protected) throw sheetProtected(sheet);
        const body = t.rows - 1 - (t.showTotals ? 1 : 0);
        const k = index === null || index === undefined || index === -1 ? body : index;
        if (!Number.isInteger(k) || k < 0 || k > body)
          throw new FakeError("InvalidArgument", `Row index ${String(index)} is out of range.`);
        if (
          values !== undefined &&
          (!Array.isArray(values) ||
            values.length === 0 ||
            values.some((line) => !Array.isArray(line) || line.length !== t.cols))
        )
          throw new FakeError(
            "InvalidArgument",
            `The number of rows or columns in the input array doesn't match the size or dimensions of the range (${t.cols} columns).`,
          );
        const pos = t.row + 1 + k;
        const shifted: Block = { row: pos, col: t.col, rows: MAX_ROWS - pos, cols: t.cols };
        const cuts = (b: Block) =>
          intersects(b, shifted) && (b.col < t.col || b.col + b.cols > t.col + t.cols);
        if (
          book.tables.some((x) => x !== t && x.sheetId === sheet.id && intersects(x, shifted)) ||
          (sheet.merges ?? []).some(cuts)
        )
          throw new FakeError(
            "InvalidOperation",
            "This operation would move part of a table or merged cells on the worksheet.",
          );
        // shift the cells at and below `pos` in the table's columns down by n
        const rows = [...sheet.cells.keys()].filter((r) => r >= pos).sort((a, b) => b - a);
        for (const r of rows) {
          const line = sheet.cells.get(r)!;
          for (let c = t.col; c < t.col + t.cols; c++) {
            const cell = line.get(c);
            if (!cell) continue;
            line.delete(c);
            let dest = sheet.cells.get(r + n);
            if (!dest) sheet.cells.set(r + n, (dest = new Map()));
            dest.set(c, cell);
          }
          if (line.size === 0) sheet.cells.delete(r);
        }
        for (const m of sheet.merges ?? []) if (m.row >= pos) m.row += n;
        t.rows += n;
        for (let i = 0; i < n; i++)
          for (let c = 0; c < t.cols; c++) {
            const above = pos - 1 > t.row ? book.cell(sheet, pos - 1, t.col + c) : undefined;
            if (above?.numberFormat) {
              let line = sheet.cells.get(pos + i);
              if (!line) sheet.cells.set(pos + i, (line = new Map()));
              line.set(t.col + c, { numberFormat: above.numberFormat });
            }
            if (values) book.writeValue(sheet, pos + i, t.col + c, values[i][c]);
          }
        at = { sheet, row: pos, count: n };
      },
    });
    return new TableRowProxy(this.ctx, () => {
      if (!at) return null;
      const t = this.table();
      return {
        sheet: at.sheet,
        block: { row: at.row, col: t.col, rows: at.count, cols: t.cols },
        index: at.row - t.row - 1,
      };
    });
  }
}

/** Excel.TableRow (ExcelApi 1.1): the row added, and its range. */
class TableRowProxy extends ResolvedObject<RangeLoc & { index: number }> {
  constructor(ctx: FakeContext, resolve: () => (RangeLoc & { index: number }) | null) {
    super(ctx, resolve, ["ItemNotFound", "The table row doesn't exist."]);
  }
  protected override defaultProps(): string[] {
    return ["index"];
  }
  protected read(prop: string): unknown {
    if (prop !== "index") throw new FakeError("InvalidArgument", `Unknown row property ${prop}`);
    // zero-based within the table's rows (Excel.TableRow.index)
    return this.target().index;
  }
  get index(): number {
    return this.get("index") as number;
  }
  getRange(): RangeProxy {
    return new RangeProxy(this.ctx, () => {
      const r = this.resolve();
      return r ? { sheet: r.sheet, block: r.block } : null;
    });
  }
}

class TableColumnCollectionProxy {
  constructor(
    private readonly ctx: FakeContext,
    private readonly table: () => FakeTable,
  ) {}
  /** Appends a column at the right edge (index null/undefined), as the adapter uses it. */
  add(index?: number | null, values?: unknown, name?: string): { name: string } {
    this.ctx.enqueue({
      bytes: 64 + utf8Bytes({ index, values, name }),
      cellsWritten: 0,
      run: () => {
        const t = this.table();
        if (index !== undefined && index !== null && index !== t.cols)
          throw new FakeError("NotImplemented", "The fake only appends table columns.");
        const sheet = this.ctx.book.sheetById(t.sheetId);
        if (sheet.protected) throw sheetProtected(sheet);
        const col = t.col + t.cols;
        // Excel inserts cells and shifts the sheet's content right; that would move user data.
        // The adapter must only append into empty space, so the fake refuses anything else.
        if (this.ctx.book.usedBlock(sheet, false, { row: t.row, col, rows: t.rows, cols: 1 }))
          throw new FakeError(
            "InsertDeleteConflict",
            "The cells to the right of the table are not empty.",
          );
        // Excel cannot insert cells through part of a merged area.
        if (
          (sheet.merges ?? []).some((m) =>
            intersects(m, { row: t.row, col, rows: t.rows, cols: 1 }),
          )
        )
          throw new FakeError("InvalidOperation", "Cannot change part of a merged cell.");
        // Header names are unique in a table: Excel numbers a repeated one ("Grade" → "Grade2").
        const taken = (n: string) =>
          this.ctx.book
            .read(sheet, { row: t.row, col: t.col, rows: 1, cols: t.cols })[0]
            .some((h) => String(h ?? "").toLowerCase() === n.toLowerCase());
        let header = name ?? `Column${t.cols + 1}`;
        if (taken(header)) {
          let k = 2;
          while (taken(`${header}${k}`)) k++;
          header = `${header}${k}`;
        }
        t.cols += 1;
        this.ctx.book.writeValue(sheet, t.row, col, `'${header}`);
        if (Array.isArray(values))
          values.forEach(
            (line, i) =>
              i > 0 && this.ctx.book.writeValue(sheet, t.row + i, col, (line as unknown[])[0]),
          );
      },
    });
    return { name: name ?? "" };
  }
}

// --- charts ---

class ChartCollectionProxy extends ClientObject {
  private itemProxies: ChartProxy[] = [];
  constructor(
    ctx: FakeContext,
    private readonly sheet: () => FakeSheet,
  ) {
    super(ctx);
  }
  protected read(prop: string): unknown {
    if (prop === "count") return this.sheet().charts.length;
    const sheet = this.sheet();
    const sub = prop.replace(/^items\/?/, "");
    this.itemProxies = sheet.charts.map((c) => {
      const p = new ChartProxy(this.ctx, sheet, () => c);
      if (sub === "name" || sub === "") p.loadedName = c.name;
      return p;
    });
    // "items" alone loads every scalar property of every chart (large); "items/name" the names.
    return sheet.charts.map((c) =>
      sub === "name" ? c.name : { name: c.name, id: c.id, type: c.type, title: c.title },
    );
  }
  get items(): ChartProxy[] {
    if (![...this.loaded.keys()].some((k) => k === "items" || k.startsWith("items/")))
      throw notLoaded("items");
    return this.itemProxies;
  }
  add(type: string, source: RangeProxy, seriesBy: string = "Auto"): ChartProxy {
    this.ctx.require("1.1", "charts.add");
    if (
      (type === "Funnel" || type === "Pareto") &&
      !this.ctx.host.isSetSupported("ExcelApi", "1.9")
    )
      throw new FakeError("InvalidArgument", `Chart type ${type} needs ExcelApi 1.9.`);
    let made: FakeChart | null = null;
    this.op({ add: type, seriesBy }, () => {
      const sheet = this.sheet();
      if (sheet.protected) throw sheetProtected(sheet);
      if (type === "Funnel" && this.ctx.host.funnel === "rejectAdd")
        throw new FakeError("GeneralException", "This chart type can't be created here.");
      const { block } = source.loc();
      const byRows = seriesBy === "Rows";
      const n = byRows ? block.rows : block.cols;
      const series: FakeSeries[] = [];
      for (let i = 0; i < n; i++)
        series.push({
          name: `Series${i + 1}`,
          chartType: null,
          axisGroup: "Primary",
          values: byRows
            ? { sheetId: sheet.id, row: block.row + i, col: block.col, rows: 1, cols: block.cols }
            : { sheetId: sheet.id, row: block.row, col: block.col + i, rows: block.rows, cols: 1 },
          xValues: null,
        });
      const id = this.ctx.book.id("chart");
      made = {
        id,
        name: `Chart ${id.slice(5)}`,
        type,
        title: "",
        series,
        from: null,
        to: null,
        axes: {},
        legend: {},
      };
      sheet.charts.push(made);
    });
    return new ChartProxy(this.ctx, null, () => {
      if (!made) throw new FakeError("ItemNotFound", "chart not created");
      return made;
    });
  }
}

/** A funnel refuses the members the host marks unsupported (FakeExcelOptions.funnel). */
function refuseOnFunnel(ctx: FakeContext, c: FakeChart, what: string): void {
  if (c.type === "Funnel" && ctx.host.funnel === "rejectMember")
    throw new FakeError("GeneralException", `${what} is not supported for this chart type.`);
}

class ChartProxy {
  readonly title: { text: string };
  readonly legend: { position: string; visible: boolean };
  readonly series: ChartSeriesCollectionProxy;
  readonly axes: { getItem(type: string, group?: string): Record<string, unknown> };
  constructor(
    private readonly ctx: FakeContext,
    private readonly sheet: FakeSheet | null,
    private readonly chart: () => FakeChart,
  ) {
    const set = (payload: unknown, f: (c: FakeChart) => void) =>
      ctx.enqueue({ bytes: 48 + utf8Bytes(payload), cellsWritten: 0, run: () => f(this.chart()) });
    this.title = {
      set text(v: string) {
        set({ title: v }, (c) => (c.title = v));
      },
      get text(): string {
        throw notLoaded("text");
      },
    };
    this.legend = {
      set position(v: string) {
        set({ legend: v }, (c) => {
          refuseOnFunnel(ctx, c, "legend.position");
          c.legend.position = v;
        });
      },
      get position(): string {
        throw notLoaded("position");
      },
      set visible(v: boolean) {
        set({ legend: v }, (c) => {
          refuseOnFunnel(ctx, c, "legend.visible");
          c.legend.visible = v;
        });
      },
      get visible(): boolean {
        throw notLoaded("visible");
      },
    };
    this.series = new ChartSeriesCollectionProxy(ctx, chart);
    this.axes = {
      getItem: (type: string, group = "Primary") => {
        ctx.require("1.7", "axes.getItem");
        const key = `${type}/${group}`;
        return new Proxy({} as Record<string, unknown>, {
          set: (_t, prop: string, value: unknown) => {
            set({ [prop]: value }, (c) => {
              refuseOnFunnel(ctx, c, `axes.${prop}`);
              c.axes[key] = { ...(c.axes[key] ?? {}), [prop]: value };
            });
            return true;
          },
          get: (_t, prop: string) => {
            throw notLoaded(prop);
          },
        });
      },
    };
  }
  /** Set when the collection was loaded with items/name. */
  loadedName: string | undefined;
  get name(): string {
    if (this.loadedName === undefined) throw notLoaded("name");
    return this.loadedName;
  }
  set name(v: string) {
    this.ctx.enqueue({
      bytes: 48 + utf8Bytes(v),
      cellsWritten: 0,
      run: () => void (this.chart().name = v),
    });
  }
  set chartType(v: string) {
    this.ctx.enqueue({ bytes: 64, cellsWritten: 0, run: () => void (this.chart().type = v) });
  }
  setPosition(start: RangeProxy, end?: RangeProxy): void {
    this.ctx.enqueue({
      bytes: 64,
      cellsWritten: 0,
      run: () => {
        const c = this.chart();
        c.from = start.loc().block;
        c.to = end ? end.loc().block : null;
      },
    });
  }
  delete(): void {
    this.ctx.enqueue({
      bytes: 48,
      cellsWritten: 0,
      run: () => {
        const c = this.chart();
        const owner = this.sheet ?? this.ctx.book.sheets.find((s) => s.charts.includes(c));
        if (owner?.protected) throw sheetProtected(owner);
        if (owner) owner.charts = owner.charts.filter((x) => x !== c);
      },
    });
  }
}

class ChartSeriesCollectionProxy {
  constructor(
    private readonly ctx: FakeContext,
    private readonly chart: () => FakeChart,
  ) {}
  getItemAt(i: number): ChartSeriesProxy {
    return new ChartSeriesProxy(
      this.ctx,
      () => {
        const s = this.chart().series[i];
        if (!s) throw new FakeError("ItemNotFound", `No series ${i}.`);
        return s;
      },
      this.chart,
    );
  }
  add(name?: string): ChartSeriesProxy {
    this.ctx.require("1.7", "series.add");
    let made: FakeSeries | null = null;
    this.ctx.enqueue({
      bytes: 64,
      cellsWritten: 0,
      run: () => {
        made = {
          name: name ?? "",
          chartType: null,
          axisGroup: "Primary",
          values: null,
          xValues: null,
        };
        this.chart().series.push(made);
      },
    });
    return new ChartSeriesProxy(
      this.ctx,
      () => {
        if (!made) throw new FakeError("ItemNotFound", "series not created");
        return made;
      },
      this.chart,
    );
  }
}

class ChartSeriesProxy {
  constructor(
    private readonly ctx: FakeContext,
    private readonly series: () => FakeSeries,
    private readonly owner?: () => FakeChart,
  ) {}
  private set(payload: unknown, f: (s: FakeSeries) => void): void {
    this.ctx.enqueue({
      bytes: 48 + utf8Bytes(payload),
      cellsWritten: 0,
      run: () => f(this.series()),
    });
  }
  set name(v: string) {
    this.set({ name: v }, (s) => (s.name = v));
  }
  set chartType(v: string) {
    this.set({ chartType: v }, (s) => (s.chartType = v));
  }
  set axisGroup(v: "Primary" | "Secondary") {
    this.ctx.require("1.8", "series.axisGroup");
    this.set({ axisGroup: v }, (s) => (s.axisGroup = v));
  }
  private ref(r: RangeProxy): SheetBlockRef {
    const { sheet, block } = r.loc();
    return { sheetId: sheet.id, ...block };
  }
  setValues(r: RangeProxy): void {
    this.ctx.require("1.7", "series.setValues");
    this.set({ setValues: 1 }, (s) => (s.values = this.ref(r)));
  }
  setXAxisValues(r: RangeProxy): void {
    this.ctx.require("1.7", "series.setXAxisValues");
    this.set({ setXAxisValues: 1 }, (s) => {
      if (this.owner) refuseOnFunnel(this.ctx, this.owner(), "series.setXAxisValues");
      s.xValues = this.ref(r);
    });
  }
}
