/**
 * The Excel adapter: the only module that touches Excel's JavaScript API. It implements
 * WorkbookPort over an `ExcelHost` (Office's `Excel.run`, or the in-memory fake in tests and
 * the playground).
 *
 * Reading:  inventory (tables, sheets) → classify (table name → sheet name → headers) →
 *           read each table in blocks sized by bytes (probe, then ≤ READ_TARGET per request,
 *           never more than Excel's 5,000,000 cells) → RawTables for the analysis core.
 * Writing:  values first (owned columns in place or appended to the Customers table, owned
 *           sheets cleared and refilled) → formats (number formats, colours, validation,
 *           freeze, widths) → native charts. Operations are batched into requests below
 *           WRITE_TARGET bytes; screen updating is suspended once per request (ExcelApi 1.9).
 *
 * Decisions: an owned sheet is cleared, not deleted, so a user's formula that points at it
 * keeps its reference. The Settings sheet is created once and never written again. A result
 * column is appended only into empty cells: if anything sits to the right of the Customers
 * table the write stops with a message naming the cell, rather than shift the user's data.
 * Text that Excel would turn into a number, date or formula is written with a leading
 * apostrophe so it stays text ("00123", "=cmd").
 */
import {
  CUSTOMER_COLUMNS,
  classifyTable,
  locateHeaderRow,
  matchColumns,
} from "../analysis/headers.js";
import { dayFromDate, dayToExcelSerial } from "../analysis/dates.js";
import type { Cell, Message, RawTable } from "../analysis/types.js";
import {
  HEALTH_COLOURS,
  NUMBER_FORMATS,
  OWNED_SHEETS,
  ownedColumnHeaders,
  type CellFormat,
  type ChartModel,
  type ColumnOutput,
  type OutValue,
  type SheetBlock,
  type SheetModel,
  type WorkbookOutput,
} from "../analysis/workbook.js";
import type { Health } from "../analysis/stages.js";
import { cellAddress, parseAddress } from "./a1.js";
import {
  AddinError,
  CancelledError,
  type FoundTable,
  type PlainRange,
  type PortInput,
  type PortOptions,
  type ReadResult,
  type TableKind,
  type WorkbookPort,
  type WriteOptions,
  type WriteReport,
} from "./workbook-port.js";

/** What the adapter needs from Office: `Excel.run` and the requirement-set check. */
export interface ExcelHost {
  run<T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T>;
  isSetSupported(name: string, version: string): boolean;
}

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
/** Per-operation overhead of Office.js's request JSON (method, ids, property names). */
const OP_OVERHEAD = 256;
const PROBE_BYTES = 256 * 1024;

const HEADER_FILL = "#DCE6F1";
const TITLE_FONT = "#1F3864";
const AUTOFIT_ROWS = 200;

const ALL_OWNED_SHEETS = new Set(
  Object.values(OWNED_SHEETS).flatMap((n) => [n.zh.toLowerCase(), n.en.toLowerCase()]),
);
const OWNED_HEADERS = new Set(
  (
    [
      "stage",
      "stageReason",
      "grade",
      "r",
      "f",
      "m",
      "segment",
      "pAlive",
      "clv",
      "nextContact",
    ] as const
  ).flatMap((k) => ownedColumnHeaders(k)),
);

const TABLE_NAME_FOR: Partial<Record<TableKind, string>> = {
  customers: "Customers",
  orders: "Orders",
  interactions: "Interactions",
};

// ---------------------------------------------------------------------------------------------
// Small helpers

const encoder = new TextEncoder();
/** UTF-8 bytes of a value as it travels in the request JSON (close upper bound). */
function valueBytes(v: unknown): number {
  if (v === null || v === undefined) return 4;
  if (typeof v === "number") return String(v).length;
  if (typeof v === "boolean") return 5;
  const s = String(v);
  let extra = 2;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch === 34 || ch === 92) extra++;
    else if (ch < 32) extra += 5;
  }
  return encoder.encode(s).length + extra;
}

function rowBytes(row: readonly unknown[]): number {
  let n = 2;
  for (const v of row) n += valueBytes(v) + 1;
  return n;
}

const isPayloadError = (e: unknown): boolean =>
  /PayloadSizeLimit|ResponsePayload|RequestPayload/i.test(
    String((e as { code?: string })?.code ?? (e as Error)?.message ?? ""),
  );

function checkCancel(signal?: AbortSignal): void {
  if (signal?.aborted) throw new CancelledError();
}

/** Would Excel read this text as something else (number, date, formula, boolean)? */
function needsTextPrefix(s: string): boolean {
  if (s === "") return false;
  if (/^[=+\-@]/.test(s)) return true;
  if (/^(true|false)$/i.test(s.trim())) return true;
  return /^[\s\d.,:/%$¥€£()\-+年月日时分秒]+$/.test(s) && /\d/.test(s);
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
  return needsTextPrefix(v) ? `'${v}` : v;
}

function cellText(c: unknown): string {
  return c === null || c === undefined ? "" : String(c).trim();
}

/** A function's Excel error as a message for the user. */
export function excelErrorMessage(e: unknown): Message {
  if (e instanceof AddinError) return e.msg;
  const code = (e as { code?: string })?.code ?? "";
  const detail = (e as Error)?.message ?? String(e);
  return { key: "addin.error.excel", params: { code: String(code), detail } };
}

// ---------------------------------------------------------------------------------------------
// Request batching

/** Queues operations and syncs when the next one would push the request past the target. */
class Batch {
  private bytes = 0;
  syncs = 0;
  constructor(
    private readonly ctx: Excel.RequestContext,
    private readonly suspendScreen: boolean,
    private readonly signal?: AbortSignal,
    private readonly onFlush?: () => void,
  ) {}

  async add(bytes: number, queue: () => void): Promise<void> {
    const b = bytes + OP_OVERHEAD;
    if (this.bytes > 0 && this.bytes + b > WRITE_TARGET) await this.flush();
    if (this.bytes === 0 && this.suspendScreen)
      this.ctx.workbook.application.suspendScreenUpdatingUntilNextSync();
    queue();
    this.bytes += b;
  }

  /** Sync what is queued; `force` syncs even when only loads are queued. */
  async flush(force = false): Promise<void> {
    if (this.bytes === 0 && !force) return;
    checkCancel(this.signal);
    this.bytes = 0;
    await this.ctx.sync();
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

// ---------------------------------------------------------------------------------------------
// Reading

interface Located {
  kind: TableKind;
  sheet: string;
  table: string | null;
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
  opts: PortOptions & { progress?: (n: number) => void },
): Promise<Cell[][]> {
  const out: Cell[][] = [];
  if (rows <= 0 || cols <= 0) return out;
  const ws = ctx.workbook.worksheets.getItem(sheet);
  const maxRowsByCells = Math.max(1, Math.floor(READ_CELL_LIMIT / cols));
  let perBlock = Math.min(maxRowsByCells, Math.max(1, Math.floor(PROBE_BYTES / (cols * 32))));
  let widest = 0;
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
    for (const line of values) {
      const b = rowBytes(line);
      if (b > widest) widest = b;
      out.push(line);
    }
    r += n;
    opts.progress?.(n);
    perBlock = Math.max(1, Math.min(maxRowsByCells, Math.floor(READ_TARGET / (widest * 1.25))));
  }
  return out;
}

/** Header strings of a header row (blank → ""). */
const headerStrings = (row: readonly unknown[]): string[] => row.map(cellText);

function rawTable(loc: Located, rows: Cell[][], keep?: number[]): RawTable {
  const pick = keep ?? loc.headers.map((_, i) => i);
  // Keep the first column of the kept set as firstColumn only when the kept columns are contiguous from 0.
  return {
    source: loc.sheet,
    headerRow: loc.headerRow + 1,
    firstColumn: loc.firstCol + 1,
    headers: pick.map((i) => loc.headers[i]),
    rows: keep
      ? rows.map((r) => pick.map((i) => (r[i] === "" ? null : r[i])))
      : rows.map((r) => r.map((v) => (v === "" ? null : v))),
  };
}

// ---------------------------------------------------------------------------------------------
// The port

export class ExcelPort implements WorkbookPort {
  /** Where each source (sheet) was found by the last read, for selecting issue cells. */
  private located = new Map<string, Located>();
  private customers: Located | null = null;

  constructor(private readonly host: ExcelHost) {}

  support(): { funnel: boolean; screenUpdating: boolean } {
    const v19 = this.host.isSetSupported("ExcelApi", "1.9");
    return { funnel: v19, screenUpdating: v19 };
  }

  async read(opts: PortOptions = {}): Promise<ReadResult> {
    return this.host.run(async (ctx) => {
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
            progress: (n) => {
              done += n;
              opts.onProgress?.({ phase: "read", done, total });
            },
          },
        );
        let keep: number[] | undefined;
        if (kind === "customers") {
          // The owned result columns are ours, not the user's input.
          keep = loc.headers.map((h, i) => (OWNED_HEADERS.has(h) ? -1 : i)).filter((i) => i >= 0);
          this.customers = loc;
        }
        input[kind] = rawTable(loc, rows, keep);
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
    sheets.load("items/name");
    const tables = ctx.workbook.tables;
    tables.load("items/name");
    await ctx.sync();
    const tinfo = tables.items.map((t) => {
      const ws = t.worksheet;
      ws.load("name");
      const header = t.getHeaderRowRange();
      header.load("values, rowIndex, columnIndex");
      const body = t.getDataBodyRange();
      body.load("rowCount");
      return { name: t.name, ws, header, body };
    });
    await ctx.sync();

    const out = new Map<TableKind, Located>();
    const sheetsWithTables = new Set<string>();
    for (const ti of tinfo) {
      const sheet = ti.ws.name;
      sheetsWithTables.add(sheet);
      const headers = headerStrings(ti.header.values[0]);
      const owned = ALL_OWNED_SHEETS.has(sheet.toLowerCase());
      const kind = owned ? null : classifyTable(ti.name, sheet, headers);
      if (!kind || out.has(kind) || kind === "settings" || kind === "history") continue;
      // An empty table still has one blank body row in Excel; the core skips blank rows.
      out.set(kind, {
        kind,
        sheet,
        table: ti.name,
        headerRow: ti.header.rowIndex,
        firstCol: ti.header.columnIndex,
        headers,
        rows: ti.body.rowCount,
      });
    }

    // Plain ranges and the owned Settings / Stage history sheets.
    const candidates = sheets.items.map((s) => s.name).filter((n) => !sheetsWithTables.has(n));
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
    for (const p of probes) {
      const rows = p.top.values as Cell[][];
      const lower = p.name.toLowerCase();
      const ownedKind: TableKind | null =
        lower === OWNED_SHEETS.settings.zh.toLowerCase() ||
        lower === OWNED_SHEETS.settings.en.toLowerCase()
          ? "settings"
          : lower === OWNED_SHEETS.history.zh.toLowerCase() ||
              lower === OWNED_SHEETS.history.en.toLowerCase()
            ? "history"
            : null;
      if (!ownedKind && ALL_OWNED_SHEETS.has(lower)) continue;
      let h = locateHeaderRow(rows);
      if (h < 0) h = rows.findIndex((r) => r.filter((c) => cellText(c) !== "").length >= 2);
      if (h < 0) continue;
      const headers = headerStrings(rows[h]);
      const kind = ownedKind ?? classifyTable(null, p.name, headers);
      if (!kind || out.has(kind)) continue;
      if (!ownedKind && (kind === "settings" || kind === "history")) continue;
      const loc: Located = {
        kind,
        sheet: p.name,
        table: null,
        headerRow: p.row + h,
        firstCol: p.col,
        headers,
        rows: p.rows - h - 1,
      };
      out.set(kind, loc);
      if (!ownedKind)
        plain.push({
          kind,
          sheet: p.name,
          address: cellAddress(loc.headerRow, loc.firstCol, loc.rows + 1, headers.length),
        });
    }
    return { tables: out, plain };
  }

  async write(output: WorkbookOutput, opts: WriteOptions): Promise<WriteReport> {
    const report: WriteReport = { columns: [], sheets: [], kept: [], charts: 0, warnings: [] };
    const support = this.support();
    const total = countCells(output);
    let done = 0;
    return this.host.run(async (ctx) => {
      const batch = new Batch(ctx, support.screenUpdating, opts.signal, () =>
        opts.onProgress?.({ phase: "write", done, total }),
      );
      const progress = (n: number) => {
        done += n;
      };
      // 1. values
      const columnPlan = output.columns.length
        ? await this.writeColumnValues(ctx, batch, output.columns, opts, report, progress)
        : null;
      const sheetPlans: SheetPlan[] = [];
      const existing = ctx.workbook.worksheets;
      existing.load("items/name");
      await batch.flush(true);
      const names = new Map(existing.items.map((s) => [s.name.toLowerCase(), s.name]));
      // The charts of every owned sheet that will be refilled, loaded in one request.
      const charts = new Map<string, Excel.ChartCollection>();
      for (const model of output.sheets) {
        const found = findOwned(model, names);
        if (!found || model.key === "settings") continue;
        const c = ctx.workbook.worksheets.getItem(found).charts;
        c.load("items");
        charts.set(found, c);
      }
      if (charts.size) await batch.flush(true);
      for (const model of output.sheets) {
        const plan = await writeSheetValues(ctx, batch, model, names, charts, opts, progress);
        if (plan) {
          sheetPlans.push(plan);
          report.sheets.push(model.name);
        } else report.kept.push(model.name);
      }
      // 2. formats
      if (columnPlan) await formatColumns(ctx, batch, columnPlan);
      for (const plan of sheetPlans) await formatSheet(ctx, batch, plan);
      // 3. charts
      for (const plan of sheetPlans)
        report.charts += await drawCharts(ctx, batch, plan, support.funnel);
      await batch.flush();
      opts.onProgress?.({ phase: "write", done: total, total });
      return report;
    });
  }

  /** Owned columns: found by exact header (either language) and updated, or appended. */
  private async writeColumnValues(
    ctx: Excel.RequestContext,
    batch: Batch,
    columns: ColumnOutput[],
    opts: WriteOptions,
    report: WriteReport,
    progress: (n: number) => void,
  ): Promise<ColumnPlan | null> {
    const loc = this.customers;
    if (!loc) return null;
    if (!loc.table) {
      report.warnings.push({ key: "addin.warn.columnsNeedTable", params: { sheet: loc.sheet } });
      return null;
    }
    const table = ctx.workbook.tables.getItem(loc.table);
    const header = table.getHeaderRowRange();
    header.load("values, rowIndex, columnIndex, columnCount");
    const body = table.getDataBodyRange();
    body.load("rowIndex, rowCount");
    const ws = table.worksheet;
    ws.load("name");
    await batch.flush(true);
    const headers = headerStrings(header.values[0]);
    const rowCount = body.rowCount;
    const expected = columns[0]?.values.length ?? 0;
    if (expected !== rowCount && !(expected === 0 && rowCount === 1))
      throw new AddinError({
        key: "addin.error.tableChanged",
        params: { table: loc.table, sheet: ws.name },
      });

    const placed: { col: ColumnOutput; index: number }[] = [];
    const missing: ColumnOutput[] = [];
    for (const col of columns) {
      const names = ownedColumnHeaders(col.key);
      const idx = headers.findIndex((h) => names.includes(h));
      if (idx >= 0) placed.push({ col, index: idx });
      else missing.push(col);
    }
    if (missing.length) {
      // Appending must not push anything of the user's aside: the cells must be empty.
      const right = ws.getRangeByIndexes(
        header.rowIndex,
        header.columnIndex + header.columnCount,
        rowCount + 1,
        missing.length,
      );
      const busy = right.getUsedRangeOrNullObject(false);
      busy.load("address");
      await batch.flush(true);
      if (!busy.isNullObject)
        throw new AddinError({
          key: "addin.error.rightNotEmpty",
          params: { table: loc.table, sheet: ws.name, cell: busy.address.split("!").pop() ?? "" },
        });
      missing.forEach((col, i) => {
        table.columns.add(undefined, undefined, col.header);
        placed.push({ col, index: header.columnCount + i });
      });
      await batch.flush(true);
    }
    const sheet = ws.name;
    const target = ctx.workbook.worksheets.getItem(sheet);
    for (const { col, index } of placed) {
      const c = header.columnIndex + index;
      if (headers[index] !== undefined && headers[index] !== col.header) {
        // Same column, other language: rename the header (ours) in place.
        await batch.add(valueBytes(col.header), () => {
          target.getRangeByIndexes(header.rowIndex, c, 1, 1).values = [[col.header]];
        });
      }
      const values = col.values.map((v) => [cellValue(v, col.format, opts.dateSystem)]);
      for (const chunk of chunkRows(values, rowBytes)) {
        await batch.add(chunk.bytes, () => {
          target.getRangeByIndexes(body.rowIndex + chunk.start, c, chunk.rows.length, 1).values =
            chunk.rows;
        });
        progress(chunk.rows.length);
      }
      report.columns.push(col.header);
    }
    const override = matchColumns(headers, CUSTOMER_COLUMNS).stageOverride;
    return {
      sheet,
      bodyRow: body.rowIndex,
      rows: expected,
      columns: placed.map(({ col, index }) => ({ col, c: header.columnIndex + index })),
      override: override >= 0 ? header.columnIndex + override : -1,
    };
  }

  async select(sheet: string, row: number, column: string): Promise<void> {
    const loc = this.located.get(sheet);
    const j = loc ? loc.headers.indexOf(column) : -1;
    await this.host.run(async (ctx) => {
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

  async convertToTable(range: PlainRange): Promise<string> {
    return this.host.run(async (ctx) => {
      const all = ctx.workbook.tables;
      all.load("items/name");
      await ctx.sync();
      const want = TABLE_NAME_FOR[range.kind];
      const taken = new Set(all.items.map((t) => t.name.toLowerCase()));
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

  async activate(names: string[]): Promise<boolean> {
    return this.host.run(async (ctx) => {
      const found = names.map((n) => ctx.workbook.worksheets.getItemOrNullObject(n));
      found.forEach((f) => f.load("name"));
      await ctx.sync();
      const hit = found.find((f) => !f.isNullObject);
      if (!hit) return false;
      hit.activate();
      await ctx.sync();
      return true;
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
      await ctx.sync();
      const sheetNames = new Set(sheets.items.map((s) => s.name.toLowerCase()));
      const tableNames = new Set(all.items.map((t) => t.name.toLowerCase()));
      for (const t of tables)
        if (sheetNames.has(t.sheet.toLowerCase()) || tableNames.has(t.table.toLowerCase()))
          throw new AddinError({ key: "addin.error.sampleExists", params: { sheet: t.sheet } });
      const batch = new Batch(ctx, this.support().screenUpdating, opts.signal);
      for (const t of tables) {
        const ws = ctx.workbook.worksheets.add(t.sheet);
        const rows = [
          t.data.headers as OutValue[],
          ...t.data.rows.map((r) => r.map((v) => sampleValue(v, opts.dateSystem))),
        ];
        const width = t.data.headers.length;
        for (const chunk of chunkRows(rows, rowBytes))
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
        for (const c of t.dateColumns)
          await batch.add(t.data.rows.length * 14, () => {
            ws.getRangeByIndexes(1, c, Math.max(1, t.data.rows.length), 1).numberFormat =
              t.data.rows.map(() => [NUMBER_FORMATS.date]);
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

function quoteForAddress(sheet: string): string {
  return `'${sheet.replace(/'/g, "''")}'`;
}

function sampleValue(v: Cell, dateSystem: "1900" | "1904"): string | number {
  if (v === null || v === undefined) return "";
  if (v instanceof Date) return dayToExcelSerial(dayFromDate(v), dateSystem);
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  if (typeof v === "number") return v;
  // "#N/A" stays an error value, as in a user's export; phones and IDs stay text.
  return needsTextPrefix(v) ? `'${v}` : v;
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
  for (const chunk of chunkRows(all, () => f.length + 5))
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

interface SheetPlan {
  model: SheetModel;
  sheet: string;
  blocks: Map<string, BlockPlace>;
}

function placeBlock(block: SheetBlock): BlockPlace {
  const titleRow = block.title ? block.anchor.row : null;
  const headerRow = block.anchor.row + (block.title ? 1 : 0);
  return { block, titleRow, headerRow, bodyRow: headerRow + 1 };
}

/** The existing sheet of an owned sheet model: its name in this language, else in the other. */
function findOwned(model: SheetModel, names: Map<string, string>): string | undefined {
  const both = [OWNED_SHEETS[model.key].zh, OWNED_SHEETS[model.key].en];
  return (
    names.get(model.name.toLowerCase()) ??
    both.map((n) => names.get(n.toLowerCase())).find((n) => n !== undefined)
  );
}

/** Find or create the owned sheet, clear it, write every block's values. null = left alone. */
async function writeSheetValues(
  ctx: Excel.RequestContext,
  batch: Batch,
  model: SheetModel,
  names: Map<string, string>,
  charts: Map<string, Excel.ChartCollection>,
  opts: WriteOptions,
  progress: (n: number) => void,
): Promise<SheetPlan | null> {
  const existing = findOwned(model, names);
  if (model.key === "settings" && existing) return null; // created once, then only read
  let ws: Excel.Worksheet;
  if (existing) {
    ws = ctx.workbook.worksheets.getItem(existing);
    for (const ch of charts.get(existing)?.items ?? []) await batch.add(64, () => ch.delete());
    await batch.add(128, () => {
      const all = ws.getRange();
      all.conditionalFormats.clearAll();
      all.clear("All");
      ws.freezePanes.unfreeze();
    });
    if (existing !== model.name && !names.has(model.name.toLowerCase())) {
      await batch.add(64, () => {
        ws.name = model.name;
      });
      names.delete(existing.toLowerCase());
      names.set(model.name.toLowerCase(), model.name);
    }
  } else {
    await batch.add(64, () => ctx.workbook.worksheets.add(model.name));
    ws = ctx.workbook.worksheets.getItem(model.name);
    names.set(model.name.toLowerCase(), model.name);
  }
  const sheet = model.name;
  const target = () => ctx.workbook.worksheets.getItem(sheet);
  const plan: SheetPlan = { model, sheet, blocks: new Map() };
  for (const block of model.blocks) {
    const place = placeBlock(block);
    plan.blocks.set(block.id, place);
    const c0 = block.anchor.col;
    const width = Math.max(1, block.columns.length);
    if (place.titleRow !== null && block.title) {
      const title = block.title;
      await batch.add(valueBytes(title), () => {
        target().getRangeByIndexes(place.titleRow!, c0, 1, 1).values = [
          [cellValue(title, "text", opts.dateSystem)],
        ];
      });
    }
    const head = block.columns.map((c) => cellValue(c.header, "text", opts.dateSystem));
    await batch.add(rowBytes(head), () => {
      target().getRangeByIndexes(place.headerRow, c0, 1, width).values = [head];
    });
    const rows = block.rows.map((r) =>
      block.columns.map((col, j) => cellValue(r[j] ?? null, col.format, opts.dateSystem)),
    );
    for (const chunk of chunkRows(rows, rowBytes)) {
      await batch.add(chunk.bytes, () => {
        target().getRangeByIndexes(
          place.bodyRow + chunk.start,
          c0,
          chunk.rows.length,
          width,
        ).values = chunk.rows;
      });
      progress(chunk.rows.length);
    }
  }
  void ws;
  return plan;
}

async function formatSheet(
  ctx: Excel.RequestContext,
  batch: Batch,
  plan: SheetPlan,
): Promise<void> {
  const ws = () => ctx.workbook.worksheets.getItem(plan.sheet);
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
            minimum: { type: "LowestValue", color: "#F8696B" },
            midpoint: { formula: "50", type: "Percentile", color: "#FFEB84" },
            maximum: { type: "HighestValue", color: "#63BE7B" },
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

/** Native charts from the plan's blocks; returns how many were drawn. */
async function drawCharts(
  ctx: Excel.RequestContext,
  batch: Batch,
  plan: SheetPlan,
  funnel: boolean,
): Promise<number> {
  let drawn = 0;
  const ws = () => ctx.workbook.worksheets.getItem(plan.sheet);
  for (const chart of plan.model.charts) {
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
        ws().getRangeByIndexes(place.headerRow, c0 + reference!, 1, 1).values = [[label]];
        const r = ws().getRangeByIndexes(place.bodyRow, c0 + reference!, n, 1);
        r.values = new Array(n).fill([ref]);
        r.numberFormat = new Array(n).fill(["0%"]);
      });
    }
    await batch.add(1024, () => {
      const type =
        chart.kind === "pareto"
          ? "ColumnClustered"
          : chart.kind === "funnel"
            ? funnel
              ? "Funnel"
              : "BarClustered"
            : CHART_TYPE[chart.kind];
      const ch = ws().charts.add(type as Excel.ChartType, col(chart.values[0]), "Columns");
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
      if (chart.kind === "bar" || (chart.kind === "funnel" && !funnel))
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
    });
    drawn++;
  }
  return drawn;
}

/** The adapter over Office's Excel (inside Office). */
export function createExcelPort(host: ExcelHost = officeHost()): ExcelPort {
  return new ExcelPort(host);
}

export { parseAddress };
