/**
 * The owned sheets of analysis.xlsx written as SpreadsheetML text, row by row, straight into
 * the package (ECMA-376 Part 1 §18.3 worksheets, §18.8 styles, §20.5 drawings) — not through
 * exceljs, whose in-memory model took 3.4 GB and 62 s for 100,000 customers and ran out of
 * memory at 200,000.
 *
 * Pipeline: the package exceljs wrote for the user's sheets (or an empty one) → our cell
 * styles, number formats and conditional-format styles appended to its styles.xml → each
 * owned sheet streamed from its blocks (rows in order, cells merged across blocks side by side)
 * → chart pictures as drawings → the sheets listed in workbook.xml, its relationships and the
 * content types. Every other part of the package is copied as it is stored.
 *
 * Decisions:
 * - Text is written inline (t="inlineStr"), so no shared-string table has to be held.
 * - Excel's limits ("Excel specifications and limits", Microsoft): 1,048,576 rows a sheet and
 *   32,767 characters a cell. A block that would pass the last row is cut there; the header
 *   row says so (right of the block) and the caller is warned. Longer text is cut to 32,767
 *   characters (never inside a surrogate pair) and each cut is listed on 数据问题 Data issues.
 * - Control characters, which XML cannot hold, are written as Excel writes them (_xHHHH_), and
 *   text that looks like such an escape has its underscore escaped, so it reads back as typed.
 * - Dates are serials of the workbook's own date system (1900 or 1904).
 */
import { t } from "../messages/index.js";
import type { Health } from "../stages.js";
import type { Lang } from "../types.js";
import {
  HEALTH_COLOURS,
  COLOUR_SCALE,
  NUMBER_FORMATS,
  cellFormatOf,
  type CellFormat,
  type ChartModel,
  type OutValue,
  type SheetBlock,
  type SheetModel,
} from "../workbook.js";
import { entryData, zipEntries, ZipWriter, type ZipEntry } from "./zip.js";

/** Excel's last row and the most characters a cell holds ("Excel specifications and limits"). */
export const EXCEL_MAX_ROWS = 1_048_576;
export const EXCEL_MAX_CELL_CHARS = 32_767;

/**
 * The record of what the CLI wrote into analysis.xlsx (a custom XML part, as the add-in keeps its
 * own, addin/ownership.ts): owned sheet key → the file's sheetId and the name written; owned
 * column key → its sheet column and header in the Customers table. A later run on this file
 * replaces only what is listed here (sheets by id and name, columns by position and header);
 * Excel keeps custom XML parts and sheet ids when it saves the file.
 */
export const CRM_SHEETS_NAMESPACE = "urn:customer-lifecycle:crm-sheets:1";
/** The record part's item ID (unique in the package; fixed, so equal runs write equal files). */
const CRM_RECORD_ITEM_ID = "{5C7E1E2A-9B0D-4F4C-8C2E-3D6A1B7F0C51}";
export type CrmSheetsRecord = Partial<Record<string, { id: number; name: string }>>;
export interface CrmColumnsRecord {
  sheet: string;
  headerRow: number;
  /** Owned column key → 1-based sheet column and the header written there. */
  columns: Partial<Record<string, { col: number; header: string }>>;
}
export interface CrmRecord {
  sheets: CrmSheetsRecord;
  columns: CrmColumnsRecord | null;
}

export function crmSheetsXml(r: CrmRecord): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<crmSheets xmlns="${CRM_SHEETS_NAMESPACE}">${xmlText(JSON.stringify(r))}</crmSheets>`;
}

/** The record in a part's XML; anything unreadable counts as no record. */
export function crmSheetsFromXml(xml: string): CrmRecord {
  const none: CrmRecord = { sheets: {}, columns: null };
  const m = /<crmSheets[^>]*>([\s\S]*)<\/crmSheets>/.exec(xml);
  if (!m) return none;
  try {
    const raw = JSON.parse(
      m[1]
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&amp;/g, "&"),
    ) as { sheets?: unknown; columns?: unknown } | null;
    if (!raw || typeof raw !== "object") return none;
    const out: CrmRecord = { sheets: {}, columns: null };
    for (const [k, v] of Object.entries((raw.sheets ?? {}) as Record<string, unknown>)) {
      const e = v as { id?: unknown; name?: unknown } | null;
      if (e && Number.isInteger(e.id) && typeof e.name === "string")
        out.sheets[k] = { id: e.id as number, name: e.name };
    }
    const c = raw.columns as Record<string, unknown> | null | undefined;
    if (c && typeof c.sheet === "string" && Number.isInteger(c.headerRow)) {
      const cols: CrmColumnsRecord["columns"] = {};
      for (const [k, v] of Object.entries((c.columns ?? {}) as Record<string, unknown>)) {
        const e = v as { col?: unknown; header?: unknown } | null;
        if (e && Number.isInteger(e.col) && typeof e.header === "string")
          cols[k] = { col: e.col as number, header: e.header };
      }
      out.columns = { sheet: c.sheet, headerRow: c.headerRow as number, columns: cols };
    }
    return out;
  } catch {
    return none;
  }
}

export type ChartImage = { png: Buffer; width: number; height: number } | { error: string };

export interface OwnedSheetsOptions {
  /** The package to add to (exceljs's output). */
  base: Buffer;
  sheets: SheetModel[];
  images: Map<ChartModel, ChartImage>;
  lang: Lang;
  /** Told what was cut to fit Excel's limits. */
  warn?: (line: string) => void;
  /** Rows a sheet may hold (Excel's limit; smaller in tests). */
  maxRows?: number;
  /** Hand the package on in pieces as it is made (then the result is empty), else build it. */
  sink?: (chunk: Buffer) => Promise<void>;
  /** The owned columns written into the Customers table, for crm's record. */
  columns?: CrmColumnsRecord | null;
}

const HEADER_FILL = "FFF2F2F2";
const HEADER_BORDER = "FFBFBFBF";
const EMU_PER_PX = 9525;
const DAY_1900 = 25_569; // serial of 1970-01-01 in the 1900 date system
const DAYS_1904 = 1_462; // 1900 → 1904 serials

// ---------------------------------------------------------------------------------------------
// Text.

const NEEDS_ESCAPE =
  /[&<>"\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]|_x[0-9a-fA-F]{4}_/;

/** XML text (and attribute) escape, with Excel's _xHHHH_ for characters XML cannot hold. */
export function xmlText(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  return s
    .replace(/_(x[0-9a-fA-F]{4}_)/g, "_x005F_$1")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g,
      (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}_`,
    )
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
}

/** Text cut to Excel's cell limit, never inside a surrogate pair. */
export function cellLimit(s: string): string {
  if (s.length <= EXCEL_MAX_CELL_CHARS) return s;
  let end = EXCEL_MAX_CELL_CHARS;
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return s.slice(0, end);
}

export function colLetter(col: number): string {
  let s = "";
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26))
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

const rangeRef = (top: number, left: number, bottom: number, right: number) =>
  `${colLetter(left)}${top}:${colLetter(right)}${bottom}`;

// ---------------------------------------------------------------------------------------------
// Column widths (Excel character units).

/** Width of text in Excel character units: CJK and full-width characters count 2. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    w +=
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      c >= 0x20000
        ? 2
        : 1;
  }
  return w;
}

/** Approximate shown width of a value under its number format. */
function valueWidth(v: OutValue, format: CellFormat): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === "string") return displayWidth(v.length > 200 ? v.slice(0, 200) : v);
  if (!Number.isFinite(v)) return 0;
  switch (format) {
    case "date":
      return 10;
    case "pct":
      return String(Math.round(v * 1000) / 10).length + 2;
    case "int":
      return String(Math.round(v)).length;
    case "money":
    case "number": {
      const digits = String(Math.trunc(Math.abs(v))).length;
      return digits + Math.floor((digits - 1) / 3) + 3 + (v < 0 ? 1 : 0);
    }
    default:
      return String(v).length;
  }
}

const WIDTH_SAMPLE = 2000;

/** Column width from the header and the first values (Excel character units, 8 to 60). */
export function columnWidth(header: string, values: OutValue[], format: CellFormat): number {
  let w = displayWidth(header);
  const n = Math.min(values.length, WIDTH_SAMPLE);
  for (let i = 0; i < n; i++) w = Math.max(w, valueWidth(values[i], format));
  return Math.min(60, Math.max(8, w + 2));
}

/**
 * Widest a column of an owned sheet gets (Excel character units); longer text wraps in it.
 * Blocks stacked in shared columns made the longest text set each width (Pareto columns A–C
 * were 51/60/51 wide and its chart started 1,400 px from the left, issue 18 §8).
 */
export const MAX_COLUMN_WIDTH = 30;

/** Pixels of a column `width` characters wide (Calibri 11: 7 px a character, 5 of padding). */
export function columnPixels(width: number): number {
  return Math.round(width * 7 + 5);
}
/** Excel's default column width (8.43 characters) and row height (15 pt) in pixels. */
export const DEFAULT_COLUMN_PX = 64;
export const DEFAULT_ROW_PX = 20;
/**
 * Widest print area that goes on a portrait page unscaled (A4 or Letter less the margins, at
 * 96 px an inch); wider sheets print landscape, fit to one page wide.
 */
export const PORTRAIT_PX = 700;

/** Column widths of a sheet's placed blocks (1-based column → width), each at most MAX_COLUMN_WIDTH. */
function sheetWidths(placed: Placed[]): Map<number, number> {
  const widths = new Map<number, number>();
  for (const p of placed) {
    p.block.columns.forEach((c, j) => {
      const w = c.rowFormats
        ? Math.max(
            ...p.block.rows
              .slice(0, WIDTH_SAMPLE)
              .map((r, i) => columnWidth(c.header, [r[j] ?? null], cellFormatOf(c, i))),
            columnWidth(c.header, [], c.format),
          )
        : columnWidth(
            c.header,
            p.block.rows.slice(0, WIDTH_SAMPLE).map((r) => r[j] ?? null),
            c.format,
          );
      widths.set(p.left + j, Math.min(MAX_COLUMN_WIDTH, Math.max(widths.get(p.left + j) ?? 0, w)));
    });
  }
  for (const p of placed)
    p.wrapAt = p.block.columns.map((_, j) =>
      (widths.get(p.left + j) ?? 0) >= MAX_COLUMN_WIDTH ? MAX_COLUMN_WIDTH - 2 : Infinity,
    );
  return widths;
}

/** Left edge in pixels of a 0-based column, given the sheet's widths (1-based). */
export function columnLeft(widths: Map<number, number>, col: number): number {
  let x = 0;
  for (let c = 1; c <= col; c++) {
    const w = widths.get(c);
    x += w === undefined ? DEFAULT_COLUMN_PX : columnPixels(w);
  }
  return x;
}

export function isNumeric(f: CellFormat): boolean {
  return f === "int" || f === "number" || f === "money" || f === "pct" || f === "ratio";
}

// ---------------------------------------------------------------------------------------------
// Styles: ours appended to the package's styles.xml.

/** Indices of our cell styles (cellXfs) and conditional-format styles (dxfs). */
interface Styles {
  title: number;
  headerLeft: number;
  headerRight: number;
  note: number;
  /** Long text in a column held to MAX_COLUMN_WIDTH: wrapped, top-aligned. */
  wrap: number;
  format: Record<CellFormat, number | null>;
  health: Record<Health, number>;
}

const STYLE_ORDER = [
  "numFmts",
  "fonts",
  "fills",
  "borders",
  "cellStyleXfs",
  "cellXfs",
  "cellStyles",
  "dxfs",
  "tableStyles",
  "colors",
  "extLst",
];

/**
 * Append `items` (elements named `child`) to the section `tag` of styles.xml, creating it in
 * schema order when missing; returns the new text and the index of the first item.
 */
function appendStyles(
  xml: string,
  tag: string,
  child: string,
  items: string[],
): { xml: string; first: number } {
  const open = new RegExp(`<${tag}(\\s[^>]*?)?(/?)>`).exec(xml);
  if (!open) {
    const later = STYLE_ORDER.slice(STYLE_ORDER.indexOf(tag) + 1)
      .map((n) => xml.search(new RegExp(`<${n}[\\s>/]`)))
      .filter((i) => i >= 0);
    const at = later.length ? Math.min(...later) : xml.lastIndexOf("</styleSheet>");
    const section = `<${tag} count="${items.length}">${items.join("")}</${tag}>`;
    return { xml: xml.slice(0, at) + section + xml.slice(at), first: 0 };
  }
  const selfClosing = open[2] === "/";
  const bodyStart = open.index + open[0].length;
  const close = selfClosing ? bodyStart : xml.indexOf(`</${tag}>`, bodyStart);
  const body = xml.slice(bodyStart, close);
  const first = (body.match(new RegExp(`<${child}[\\s>/]`, "g")) ?? []).length;
  const count = first + items.length;
  const attrs = (open[1] ?? "").replace(/\s+count="\d*"/, "");
  const head = `<${tag} count="${count}"${attrs}>`;
  const rest = selfClosing ? xml.slice(bodyStart) : xml.slice(close + `</${tag}>`.length);
  return {
    xml: xml.slice(0, open.index) + head + body + items.join("") + `</${tag}>` + rest,
    first,
  };
}

function addStyles(xml: string): { xml: string; styles: Styles } {
  const ids = [...xml.matchAll(/numFmtId="(\d+)"/g)].map((m) => Number(m[1]));
  let nextFmt = Math.max(163, ...ids) + 1;
  const fmtId = new Map<string, number>();
  const fmts: string[] = [];
  for (const code of new Set(Object.values(NUMBER_FORMATS))) {
    if (code === null) continue;
    fmtId.set(code, nextFmt);
    fmts.push(`<numFmt numFmtId="${nextFmt++}" formatCode="${xmlText(code)}"/>`);
  }
  let r = appendStyles(xml, "numFmts", "numFmt", fmts);
  const font = (size: number) =>
    `<font><b/><sz val="${size}"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>`;
  r = appendStyles(r.xml, "fonts", "font", [font(11), font(12)]);
  const bold = r.first;
  r = appendStyles(r.xml, "fills", "fill", [
    `<fill><patternFill patternType="solid"><fgColor rgb="${HEADER_FILL}"/><bgColor rgb="${HEADER_FILL}"/></patternFill></fill>`,
  ]);
  const fill = r.first;
  r = appendStyles(r.xml, "borders", "border", [
    `<border><left/><right/><top/><bottom style="thin"><color rgb="${HEADER_BORDER}"/></bottom><diagonal/></border>`,
  ]);
  const border = r.first;
  const header = (h: string) =>
    `<xf numFmtId="0" fontId="${bold}" fillId="${fill}" borderId="${border}" xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment horizontal="${h}" vertical="center"/></xf>`;
  // numbers keep a space from the text right of them ("#" and the ID ran together, issue 18 §8)
  const numeric = (code: string) =>
    `<xf numFmtId="${fmtId.get(code)}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment horizontal="right" indent="1"/></xf>`;
  const formats = (Object.keys(NUMBER_FORMATS) as CellFormat[]).filter(
    (f) => NUMBER_FORMATS[f] !== null,
  );
  r = appendStyles(r.xml, "cellXfs", "xf", [
    `<xf numFmtId="0" fontId="${bold + 1}" fillId="0" borderId="0" xfId="0" applyFont="1"/>`,
    header("left"),
    header("right"),
    `<xf numFmtId="0" fontId="${bold}" fillId="0" borderId="0" xfId="0" applyFont="1"/>`,
    ...formats.map((f) => numeric(NUMBER_FORMATS[f]!)),
    `<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>`,
  ]);
  const xf = r.first;
  const format = { text: null } as Record<CellFormat, number | null>;
  formats.forEach((f, i) => (format[f] = xf + 4 + i));
  const healths = Object.keys(HEALTH_COLOURS) as Health[];
  r = appendStyles(
    r.xml,
    "dxfs",
    "dxf",
    healths.map(
      (h) =>
        `<dxf><font><color rgb="FF${HEALTH_COLOURS[h].font}"/></font><fill><patternFill patternType="solid"><bgColor rgb="FF${HEALTH_COLOURS[h].fill}"/></patternFill></fill></dxf>`,
    ),
  );
  const health = {} as Record<Health, number>;
  healths.forEach((h, i) => (health[h] = r.first + i));
  return {
    xml: r.xml,
    styles: {
      title: xf,
      headerLeft: xf + 1,
      headerRight: xf + 2,
      note: xf + 3,
      wrap: xf + 4 + formats.length,
      format,
      health,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// One sheet.

/** A block placed on its sheet: 1-based rows and columns, cut to the sheet's last row. */
interface Placed {
  block: SheetBlock;
  left: number;
  titleRow: number | null;
  headerRow: number;
  first: number;
  /** Data rows written (≤ block.rows.length). */
  shown: number;
  cols: string[];
  fmt: (number | null)[];
  date: boolean[];
  /** Text longer than this (display width) wraps: its column is held to MAX_COLUMN_WIDTH. */
  wrapAt: number[];
}

interface SheetContext {
  /** Lines of the tallest wrapped cell of the row being written (its height is set from it). */
  lines?: number;
  styles: Styles;
  date1904: boolean;
  lang: Lang;
  maxRows: number;
}

function place(b: SheetBlock, ctx: SheetContext, styles: Styles): Placed {
  const top = b.anchor.row + 1;
  const left = b.anchor.col + 1;
  const titleRow = b.title ? top : null;
  const headerRow = b.title ? top + 1 : top;
  const first = headerRow + 1;
  const shown = Math.max(0, Math.min(b.rows.length, ctx.maxRows - first + 1));
  return {
    block: b,
    left,
    titleRow,
    headerRow,
    first,
    shown,
    cols: b.columns.map((_, j) => colLetter(left + j)),
    fmt: b.columns.map((c) => styles.format[c.format]),
    date: b.columns.map((c) => c.format === "date"),
    wrapAt: b.columns.map(() => Infinity),
  };
}

function stringCell(ref: string, s: string, style: number | null): string {
  const text = xmlText(s);
  const space = /^\s|\s$/.test(s) ? ' xml:space="preserve"' : "";
  const st = style === null ? "" : ` s="${style}"`;
  return `<c r="${ref}"${st} t="inlineStr"><is><t${space}>${text}</t></is></c>`;
}

/** The cells of one row of a placed block (data row i), or "" when all are empty. */
function dataCells(p: Placed, i: number, r: number, ctx: SheetContext): string {
  const row = p.block.rows[i];
  let out = "";
  for (let j = 0; j < p.cols.length; j++) {
    const v = row[j];
    const column = p.block.columns[j];
    // a cell of its own format (a column of figures of different kinds)
    const own = column?.rowFormats?.[i] ?? null;
    const st = own === null ? p.fmt[j] : ctx.styles.format[own];
    const date = own === null ? p.date[j] : own === "date";
    const ref = p.cols[j] + r;
    if (
      v === null ||
      v === undefined ||
      v === "" ||
      (typeof v === "number" && !Number.isFinite(v))
    ) {
      // an empty cell keeps its column's number format, for what the user types into it
      if (st !== null) out += `<c r="${ref}" s="${st}"/>`;
      continue;
    }
    if (typeof v === "number") {
      const x = date ? Math.round(v) + DAY_1900 - (ctx.date1904 ? DAYS_1904 : 0) : v;
      out +=
        st === null ? `<c r="${ref}"><v>${x}</v></c>` : `<c r="${ref}" s="${st}"><v>${x}</v></c>`;
    } else {
      let s = String(v);
      // listed on Data issues beforehand (withShortenedListed)
      if (s.length > EXCEL_MAX_CELL_CHARS) s = cellLimit(s);
      const shown = s.length * 2 > p.wrapAt[j] ? displayWidth(s) : 0;
      const wrap = shown > p.wrapAt[j];
      if (wrap) ctx.lines = Math.max(ctx.lines ?? 1, Math.min(15, Math.ceil(shown / p.wrapAt[j])));
      out += stringCell(ref, s, wrap ? ctx.styles.wrap : null);
    }
  }
  return out;
}

/** The owned sheet as XML text, row by row. */
function* sheetXml(
  s: SheetModel,
  placed: Placed[],
  notes: Map<number, Map<number, string>>,
  ctx: SheetContext,
  hasDrawing: boolean,
  widths: Map<number, number>,
  printWidth: number,
): Generator<string> {
  const { styles } = ctx;
  yield '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">';
  // printed fit to one page wide, as many pages tall as it takes (with pageSetup below)
  yield '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>';
  const freeze = Math.min(s.freezeRows, ctx.maxRows - 1);
  yield freeze > 0
    ? `<sheetViews><sheetView workbookViewId="0"><pane ySplit="${freeze}" topLeftCell="A${freeze + 1}" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews>`
    : '<sheetViews><sheetView workbookViewId="0"/></sheetViews>';
  yield '<sheetFormatPr defaultRowHeight="15"/>';

  if (widths.size) {
    yield "<cols>";
    for (const col of [...widths.keys()].sort((a, b) => a - b))
      yield `<col min="${col}" max="${col}" width="${widths.get(col)}" customWidth="1"/>`;
    yield "</cols>";
  }

  yield "<sheetData>";
  // Rows in order; a row's cells from every block (and note) on it, in column order.
  const starts = placed.map((p) => p.titleRow ?? p.headerRow);
  const ends = placed.map((p) => p.first + p.shown - 1);
  let last = Math.max(0, ...ends, ...notes.keys());
  last = Math.min(last, ctx.maxRows);
  const order = placed.map((_, k) => k).sort((a, b) => starts[a] - starts[b]);
  let r = Math.min(Infinity, ...starts, ...notes.keys());
  while (r <= last) {
    const active: Placed[] = [];
    for (const k of order) if (starts[k] <= r && r <= ends[k]) active.push(placed[k]);
    const rowNotes = notes.get(r);
    if (!active.length && !rowNotes) {
      // jump to the next row anything starts on
      let next = Infinity;
      for (let k = 0; k < placed.length; k++) if (starts[k] > r) next = Math.min(next, starts[k]);
      for (const n of notes.keys()) if (n > r) next = Math.min(next, n);
      r = next;
      continue;
    }
    let cells: string;
    ctx.lines = 1;
    if (active.length === 1 && !rowNotes) {
      cells = blockRow(active[0], r, ctx);
    } else {
      // several blocks (or a note) share the row: cells by column, the later one wins
      const byCol = new Map<number, string>();
      for (const p of active) {
        const part = blockRow(p, r, ctx);
        for (const m of part.matchAll(/<c r="([A-Z]+)\d+".*?<\/c>/g))
          byCol.set(colNumber(m[1]), m[0]);
      }
      for (const [col, text] of rowNotes ?? [])
        byCol.set(col, stringCell(colLetter(col) + r, text, styles.note));
      cells = [...byCol.keys()]
        .sort((a, b) => a - b)
        .map((c) => byCol.get(c))
        .join("");
    }
    // wrapped text gets the height of its lines (LibreOffice does not size such rows itself)
    const ht = (ctx.lines ?? 1) > 1 ? ` ht="${(ctx.lines ?? 1) * 15}" customHeight="1"` : "";
    if (cells) yield `<row r="${r}"${ht}>${cells}</row>`;
    r++;
  }
  yield "</sheetData>";

  // Conditional formatting and validation lists.
  let priority = 1;
  const cf: string[] = [];
  const dv: string[] = [];
  for (const p of placed) {
    const b = p.block;
    if (p.shown === 0) continue;
    const lastRow = p.first + p.shown - 1;
    const ncol = b.columns.length;
    const byColumn = new Map<number, { equals: string; health: Health }[]>();
    for (const rule of b.colours ?? []) {
      if (rule.column < 0 || rule.column >= ncol) continue;
      byColumn.set(rule.column, [...(byColumn.get(rule.column) ?? []), rule]);
    }
    for (const [j, rules] of byColumn) {
      const ref = rangeRef(p.first, p.left + j, lastRow, p.left + j);
      cf.push(
        `<conditionalFormatting sqref="${ref}">${rules
          .map(
            (rule) =>
              `<cfRule type="cellIs" dxfId="${styles.health[rule.health]}" priority="${priority++}" operator="equal"><formula>${xmlText(`"${rule.equals.replace(/"/g, '""')}"`)}</formula></cfRule>`,
          )
          .join("")}</conditionalFormatting>`,
      );
    }
    if (b.colourScale) {
      const numeric = b.columns.map((c, j) => (isNumeric(c.format) ? j : -1)).filter((j) => j >= 0);
      if (numeric.length) {
        const ref = rangeRef(
          p.first,
          p.left + numeric[0],
          lastRow,
          p.left + numeric[numeric.length - 1],
        );
        cf.push(
          `<conditionalFormatting sqref="${ref}"><cfRule type="colorScale" priority="${priority++}"><colorScale><cfvo type="min"/><cfvo type="max"/><color rgb="FF${COLOUR_SCALE.low.slice(1)}"/><color rgb="FF${COLOUR_SCALE.high.slice(1)}"/></colorScale></cfRule></conditionalFormatting>`,
        );
      }
    }
    const v = b.validation;
    if (v && v.column >= 0 && v.column < ncol && v.list.length) {
      const col = p.left + v.column;
      dv.push(
        `<dataValidation type="list" allowBlank="1" showErrorMessage="1" sqref="${rangeRef(p.first, col, lastRow, col)}"><formula1>${xmlText(listFormula(v.list))}</formula1></dataValidation>`,
      );
    }
  }
  yield* cf;
  if (dv.length) yield `<dataValidations count="${dv.length}">${dv.join("")}</dataValidations>`;
  yield '<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>';
  yield `<pageSetup orientation="${printWidth > PORTRAIT_PX ? "landscape" : "portrait"}" fitToWidth="1" fitToHeight="0"/>`;
  if (hasDrawing) yield '<drawing r:id="rId1"/>';
  yield "</worksheet>";
}

function colNumber(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + ch.charCodeAt(0) - 64;
  return n;
}

/** Inline list validation (Excel limits the list text to 255 characters). */
export function listFormula(list: string[]): string {
  const text = list.map((s) => s.replace(/,/g, "，")).join(",");
  return `"${text.replace(/"/g, '""').slice(0, 255)}"`;
}

/** Row r of a placed block: its title, header or a data row. */
function blockRow(p: Placed, r: number, ctx: SheetContext): string {
  const { styles } = ctx;
  if (r === p.titleRow) return stringCell(p.cols[0] + r, p.block.title ?? "", styles.title);
  if (r === p.headerRow) {
    let out = "";
    p.block.columns.forEach((c, j) => {
      const st = isNumeric(c.format) ? styles.headerRight : styles.headerLeft;
      out += stringCell(p.cols[j] + r, cellLimit(c.header), st);
    });
    return out;
  }
  return dataCells(p, r - p.first, r, ctx);
}

// ---------------------------------------------------------------------------------------------
// Drawings: the chart pictures.

function drawingXml(pics: { chart: ChartModel; width: number; height: number }[]): string {
  const anchors = pics.map(({ chart, width, height }, i) => {
    const cx = Math.round(width * EMU_PER_PX);
    const cy = Math.round(height * EMU_PER_PX);
    return `<xdr:oneCellAnchor><xdr:from><xdr:col>${chart.anchor.col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${chart.anchor.row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="${cx}" cy="${cy}"/><xdr:pic><xdr:nvPicPr><xdr:cNvPr id="${i + 2}" name="${xmlText(chart.title || `Chart ${i + 1}`)}"/><xdr:cNvPicPr><a:picLocks noChangeAspect="1"/></xdr:cNvPicPr></xdr:nvPicPr><xdr:blipFill><a:blip r:embed="rId${i + 1}"/><a:stretch><a:fillRect/></a:stretch></xdr:blipFill><xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="${cx}" cy="${cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic><xdr:clientData/></xdr:oneCellAnchor>`;
  });
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">${anchors.join("")}</xdr:wsDr>`;
}

function relsXml(rels: { id: string; type: string; target: string }[]): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels
    .map(
      (r) =>
        `<Relationship Id="${r.id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/${r.type}" Target="${xmlText(r.target)}"/>`,
    )
    .join("")}</Relationships>`;
}

// ---------------------------------------------------------------------------------------------
// The package.

const CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";
const CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml";

/** A free part name "<dir><stem>N<ext>" with N past every existing one. */
function freeNumbers(
  names: Iterable<string>,
  dir: string,
  stem: string,
  ext: string,
): () => number {
  const re = new RegExp(`^${dir}${stem}(\\d+)${ext.replace(".", "\\.")}$`);
  let n = 0;
  for (const name of names) {
    const m = re.exec(name);
    if (m) n = Math.max(n, Number(m[1]));
  }
  return () => ++n;
}

/** Insert `text` before the closing tag `close` (its last occurrence). */
function beforeClose(xml: string, close: string, text: string): string {
  const at = xml.lastIndexOf(close);
  if (at < 0) throw new Error(`unexpected package: no ${close}`);
  return xml.slice(0, at) + text + xml.slice(at);
}

/** Add the owned sheets to the package and return the new package's bytes. */
export async function addOwnedSheets(opts: OwnedSheetsOptions): Promise<Buffer> {
  const { base, lang } = opts;
  const entries = zipEntries(base);
  const byName = new Map<string, ZipEntry>(entries.map((e) => [e.name, e]));
  const text = (name: string): string => {
    const e = byName.get(name);
    if (!e) throw new Error(`unexpected package: no ${name}`);
    return entryData(base, e).toString("utf8");
  };
  let workbook = text("xl/workbook.xml");
  let wbRels = text("xl/_rels/workbook.xml.rels");
  let types = text("[Content_Types].xml");
  const { xml: stylesXml, styles } = addStyles(text("xl/styles.xml"));
  const date1904 = /<workbookPr\b[^>]*\bdate1904="(1|true)"/.test(workbook);

  const names = entries.map((e) => e.name);
  const nextSheet = freeNumbers(names, "xl/worksheets/", "sheet", ".xml");
  const nextDrawing = freeNumbers(names, "xl/drawings/", "drawing", ".xml");
  const nextImage = freeNumbers(names, "xl/media/", "image", ".png");
  let sheetId = Math.max(0, ...[...workbook.matchAll(/\bsheetId="(\d+)"/g)].map((m) => +m[1]));

  const ctx: SheetContext = {
    styles,
    date1904,
    lang,
    maxRows: opts.maxRows ?? EXCEL_MAX_ROWS,
  };

  // Cells too long for Excel are found first, so Data issues can list them.
  const { sheets, shortened } = withShortenedListed(opts.sheets, ctx);
  for (const f of shortened)
    opts.warn?.(
      t(lang, {
        key: "reading.xlsx.cellShortened",
        params: { sheet: f.sheet, cell: f.cell, length: f.length },
      }),
    );

  const out = new ZipWriter(opts.sink);
  const parts: { name: string; data: string | Iterable<string> }[] = [];
  const sheetEntries: string[] = [];
  const relEntries: string[] = [];
  const typeEntries: string[] = [];
  const media: { name: string; png: Buffer }[] = [];
  const written: CrmSheetsRecord = {};
  const definedNames: string[] = [];
  const existingSheets = [...workbook.matchAll(/<sheet\s/g)].length;
  for (const s of sheets) {
    const n = nextSheet();
    const part = `xl/worksheets/sheet${n}.xml`;
    const rid = `rIdCrm${n}`;
    written[s.key] = { id: ++sheetId, name: s.name };
    sheetEntries.push(`<sheet name="${xmlText(s.name)}" sheetId="${sheetId}" r:id="${rid}"/>`);
    relEntries.push(
      `<Relationship Id="${rid}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${n}.xml"/>`,
    );
    typeEntries.push(`<Override PartName="/${part}" ContentType="${CT_SHEET}"/>`);

    const placed = s.blocks.map((b) => place(b, ctx, styles));
    const notes = new Map<number, Map<number, string>>();
    const note = (row: number, col: number, msg: string) => {
      if (row < 1 || row > ctx.maxRows) return;
      if (!notes.has(row)) notes.set(row, new Map());
      notes.get(row)!.set(col, msg);
    };
    for (const p of placed) {
      if (p.shown < p.block.rows.length) {
        const file = s.key === "issues" ? "data-issues.csv" : "customers.csv";
        const params = { shown: p.shown, total: p.block.rows.length, file };
        note(
          p.headerRow,
          p.left + p.block.columns.length,
          t(lang, { key: "reading.xlsx.rowsLeftOut", params }),
        );
        opts.warn?.(
          t(lang, { key: "reading.xlsx.rowsLeftOutWarning", params: { sheet: s.name, ...params } }),
        );
      }
    }
    const pics: { chart: ChartModel; width: number; height: number }[] = [];
    for (const c of s.charts) {
      const img = opts.images.get(c);
      if (!img) continue;
      if ("error" in img) {
        note(
          c.anchor.row + 1,
          c.anchor.col + 1,
          t(lang, { key: "report.figureFailed", params: { reason: img.error } }),
        );
      } else {
        pics.push({ chart: c, width: img.width, height: img.height });
        media.push({ name: "", png: img.png });
      }
    }
    if (pics.length) {
      const d = nextDrawing();
      const imgs = media.slice(media.length - pics.length);
      for (const m of imgs) m.name = `xl/media/image${nextImage()}.png`;
      parts.push({
        name: `xl/worksheets/_rels/sheet${n}.xml.rels`,
        data: relsXml([{ id: "rId1", type: "drawing", target: `../drawings/drawing${d}.xml` }]),
      });
      parts.push({ name: `xl/drawings/drawing${d}.xml`, data: drawingXml(pics) });
      parts.push({
        name: `xl/drawings/_rels/drawing${d}.xml.rels`,
        data: relsXml(
          imgs.map((m, i) => ({
            id: `rId${i + 1}`,
            type: "image",
            target: `../media/${m.name.slice("xl/media/".length)}`,
          })),
        ),
      });
      typeEntries.push(
        `<Override PartName="/xl/drawings/drawing${d}.xml" ContentType="${CT_DRAWING}"/>`,
      );
    }
    const widths = sheetWidths(placed);
    // print area (blocks and pictures) and the frozen header rows repeated on every page
    let right = 1;
    let bottom = 1;
    for (const p of placed) {
      right = Math.max(right, p.left + p.block.columns.length - 1);
      bottom = Math.max(bottom, p.first + p.shown - 1, p.headerRow);
    }
    for (const [row, cols] of notes) {
      bottom = Math.max(bottom, row);
      for (const col of cols.keys()) right = Math.max(right, col);
    }
    for (const { chart, width, height } of pics) {
      let col = chart.anchor.col;
      for (let x = 0; x < width; col++) {
        const w = widths.get(col + 1);
        x += w === undefined ? DEFAULT_COLUMN_PX : columnPixels(w);
      }
      right = Math.max(right, col);
      bottom = Math.max(bottom, chart.anchor.row + Math.ceil(height / DEFAULT_ROW_PX));
    }
    bottom = Math.min(bottom, ctx.maxRows);
    parts.push({
      name: part,
      data: sheetXml(s, placed, notes, ctx, pics.length > 0, widths, columnLeft(widths, right)),
    });
    const local = existingSheets + sheetEntries.length - 1;
    const quotedName = `'${s.name.replace(/'/g, "''")}'`;
    definedNames.push(
      `<definedName name="_xlnm.Print_Area" localSheetId="${local}">${xmlText(`${quotedName}!$A$1:$${colLetter(right)}$${bottom}`)}</definedName>`,
    );
    const titles = Math.min(s.freezeRows, ctx.maxRows - 1);
    if (titles > 0)
      definedNames.push(
        `<definedName name="_xlnm.Print_Titles" localSheetId="${local}">${xmlText(`${quotedName}!$1:$${titles}`)}</definedName>`,
      );
  }

  // workbook.xml: the sheets after the user's, in model order.
  if (/<sheets\s*\/>/.test(workbook))
    workbook = workbook.replace(/<sheets\s*\/>/, "<sheets></sheets>");
  if (!/<sheets[\s>]/.test(workbook)) {
    const after = ["functionGroups", "externalReferences", "definedNames", "calcPr", "oleSize"]
      .map((n) => workbook.search(new RegExp(`<${n}[\\s>/]`)))
      .filter((i) => i >= 0);
    const at = after.length ? Math.min(...after) : workbook.lastIndexOf("</workbook>");
    workbook = workbook.slice(0, at) + "<sheets></sheets>" + workbook.slice(at);
  }
  workbook = beforeClose(workbook, "</sheets>", sheetEntries.join(""));
  if (definedNames.length) {
    if (/<definedNames\s*\/>/.test(workbook))
      workbook = workbook.replace(/<definedNames\s*\/>/, "<definedNames></definedNames>");
    if (/<definedNames[\s>]/.test(workbook)) {
      // a user's print area of a sheet named like ours went with that sheet (exceljs drops it)
      workbook = beforeClose(workbook, "</definedNames>", definedNames.join(""));
    } else {
      // after sheets, functionGroups and externalReferences (ECMA-376 §18.2.27 order)
      const ends = ["</sheets>", "</functionGroups>", "</externalReferences>"]
        .map((tag) => {
          const i = workbook.lastIndexOf(tag);
          return i < 0 ? -1 : i + tag.length;
        })
        .filter((i) => i >= 0);
      const at = Math.max(...ends);
      workbook =
        workbook.slice(0, at) +
        `<definedNames>${definedNames.join("")}</definedNames>` +
        workbook.slice(at);
    }
  }
  if (sheets.length || opts.columns) {
    const n = freeNumbers(names, "customXml/", "item", ".xml")();
    const item = `customXml/item${n}.xml`;
    parts.push({
      name: item,
      data: crmSheetsXml({ sheets: written, columns: opts.columns ?? null }),
    });
    // its properties part, as Office writes one for every custom XML part (ECMA-376 §15.2.6)
    parts.push({
      name: `customXml/itemProps${n}.xml`,
      data: `<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<ds:datastoreItem ds:itemID="${CRM_RECORD_ITEM_ID}" xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs><ds:schemaRef ds:uri="${CRM_SHEETS_NAMESPACE}"/></ds:schemaRefs></ds:datastoreItem>`,
    });
    parts.push({
      name: `customXml/_rels/item${n}.xml.rels`,
      data: relsXml([{ id: "rId1", type: "customXmlProps", target: `itemProps${n}.xml` }]),
    });
    typeEntries.push(
      `<Override PartName="/customXml/itemProps${n}.xml" ContentType="application/vnd.openxmlformats-officedocument.customXmlProperties+xml"/>`,
    );
    relEntries.push(
      `<Relationship Id="rIdCrmXml" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml" Target="../${item}"/>`,
    );
    if (!/Extension="xml"/i.test(types))
      typeEntries.push('<Default Extension="xml" ContentType="application/xml"/>');
  }
  wbRels = beforeClose(wbRels, "</Relationships>", relEntries.join(""));
  if (media.length && !/Extension="png"/i.test(types))
    typeEntries.push('<Default Extension="png" ContentType="image/png"/>');
  types = beforeClose(types, "</Types>", typeEntries.join(""));

  const replaced = new Map<string, string>([
    ["[Content_Types].xml", types],
    ["xl/workbook.xml", workbook],
    ["xl/_rels/workbook.xml.rels", wbRels],
    ["xl/styles.xml", stylesXml],
    // the list of sheet titles in app.xml would be stale; every element of it is optional
    [
      "docProps/app.xml",
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>Microsoft Excel</Application></Properties>',
    ],
  ]);
  await out.add("[Content_Types].xml", types);
  for (const e of entries) {
    if (e.name === "[Content_Types].xml") continue;
    const changed = replaced.get(e.name);
    if (changed !== undefined) await out.add(e.name, changed);
    else out.copy(base, e);
  }
  for (const p of parts) {
    if (typeof p.data === "string") await out.add(p.name, p.data);
    else await out.addStream(p.name, p.data);
  }
  for (const m of media) await out.add(m.name, m.png);
  if (!opts.sink) return out.finish();
  await out.end();
  return Buffer.alloc(0);
}

/**
 * The sheets with every text cell past 32,767 characters listed on Data issues (the cells
 * themselves are cut as they are written). The models are not changed: a listed sheet is a
 * copy with a new block.
 */
function withShortenedListed(
  sheets: SheetModel[],
  ctx: SheetContext,
): { sheets: SheetModel[]; shortened: Shortened[] } {
  const found: Shortened[] = [];
  for (const s of sheets) {
    for (const b of s.blocks) {
      const p = place(b, ctx, ctx.styles);
      for (let i = 0; i < p.shown; i++) {
        const row = b.rows[i];
        for (let j = 0; j < row.length; j++) {
          const v = row[j];
          if (typeof v === "string" && v.length > EXCEL_MAX_CELL_CHARS)
            found.push({
              sheet: s.name,
              cell: p.cols[j] + (p.first + i),
              column: b.columns[j]?.header ?? "",
              row: p.first + i,
              length: v.length,
              preview: `${cellLimit(v.slice(0, 60))}…`,
            });
        }
      }
    }
  }
  const issues = sheets.findIndex((s) => s.key === "issues");
  if (!found.length || issues < 0) return { sheets, shortened: found };
  const s = sheets[issues];
  const [block, ...rest] = s.blocks;
  const rows: OutValue[][] = found.map((f) => [
    f.sheet,
    f.row,
    f.column,
    f.preview,
    t(ctx.lang, {
      key: "reading.xlsx.cellShortened",
      params: { sheet: f.sheet, cell: f.cell, length: f.length },
    }),
  ]);
  // the "no data issues" line goes when there are some now
  const none = block.rows.length === 1 && block.rows[0][0] === t(ctx.lang, "issues.none");
  const listed: SheetModel = {
    ...s,
    blocks: [{ ...block, rows: [...(none ? [] : block.rows), ...rows] }, ...rest],
  };
  return { sheets: sheets.map((x, k) => (k === issues ? listed : x)), shortened: found };
}

interface Shortened {
  sheet: string;
  cell: string;
  column: string;
  row: number;
  length: number;
  preview: string;
}
