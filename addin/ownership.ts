/**
 * What the add-in owns in a workbook, recorded in the workbook itself.
 *
 * A sheet or column is the add-in's only when the add-in created it and wrote that down here:
 * sheets by their worksheet ID (Excel.Worksheet.id, unchanged when the sheet is renamed or
 * moved, kept in the file), result columns by the Customers table's ID and their position in
 * it. A user's sheet called "Analysis" or column called "Grade" is therefore never the
 * add-in's, whatever its name.
 *
 * Where: a custom XML part (Excel.CustomXmlPartCollection, ExcelApi 1.5; the manifest requires
 * 1.8). It is saved with the document and, unlike workbook.settings (per add-in ID), seen by
 * every build of the add-in (development and production manifests have different IDs).
 *
 * Workbooks written by versions before this record have none: their sheets and columns are
 * treated as the user's (read as input where they are input, never cleared) and the add-in
 * writes beside them under free names. That is the safe reading; the user can delete the old
 * ones.
 */
import {
  OWNED_COLUMNS,
  OWNED_SHEETS,
  type OwnedColumn,
  type OwnedSheet,
} from "../analysis/workbook.js";

export const OWNERSHIP_NAMESPACE = "urn:customer-lifecycle:ownership:1";

export interface OwnedSheetRecord {
  /** Excel worksheet ID. */
  id: string;
  /** Name when the add-in last wrote it (to tell the user about a rename). */
  name: string;
  /** A1 address of everything the add-in wrote on it (used range, formats included). */
  used: string | null;
  /** Names of the charts it drew there. */
  charts: string[];
  /**
   * Fingerprint of the values in `used` as read back after the write (null for sheets above
   * FINGERPRINT_CELLS, which are not checked for edits inside the add-in's cells).
   */
  fingerprint: string | null;
}

export interface OwnedColumnRecord {
  /** 0-based position in the table, from the left and from the right end. */
  index: number;
  fromEnd: number;
  /** Header written there. */
  header: string;
  /** The header it had before this run renamed it (another language, a free name), if any. */
  was?: string;
}

export interface OwnershipRecord {
  sheets: Partial<Record<OwnedSheet, OwnedSheetRecord>>;
  /** Result columns of the Customers table (by Excel table ID). */
  table: { id: string; columns: Partial<Record<OwnedColumn, OwnedColumnRecord>> } | null;
  /** Names of sheets being written under a temporary name; deleted if a run stopped midway. */
  staging: string[];
  /**
   * IDs of the previous result sheets while the swap replaces them: written first in the swap
   * request, so that a swap that stops partway is finished (these deleted, the new sheets named
   * and shown) rather than left half done.
   */
  retire: string[];
}

export const emptyRecord = (): OwnershipRecord => ({
  sheets: {},
  table: null,
  staging: [],
  retire: [],
});

const xmlEscape = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const xmlUnescape = (s: string): string =>
  s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

export function recordToXml(r: OwnershipRecord): string {
  return `<ownership xmlns="${OWNERSHIP_NAMESPACE}">${xmlEscape(JSON.stringify(r))}</ownership>`;
}

const isStr = (x: unknown): x is string => typeof x === "string";
const isInt = (x: unknown): x is number => Number.isInteger(x);

/** The record in a part's XML; an unreadable record counts as none (everything the user's). */
export function recordFromXml(xml: string): OwnershipRecord {
  const m = /<ownership[^>]*>([\s\S]*)<\/ownership>/.exec(xml);
  if (!m) return emptyRecord();
  let raw: unknown;
  try {
    raw = JSON.parse(xmlUnescape(m[1]));
  } catch {
    return emptyRecord();
  }
  const out = emptyRecord();
  if (!raw || typeof raw !== "object") return out;
  const r = raw as Record<string, unknown>;
  const sheets = (r.sheets ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(OWNED_SHEETS) as OwnedSheet[]) {
    const s = sheets[key] as Record<string, unknown> | undefined;
    if (!s || !isStr(s.id) || !isStr(s.name)) continue;
    out.sheets[key] = {
      id: s.id,
      name: s.name,
      used: isStr(s.used) ? s.used : null,
      charts: Array.isArray(s.charts) ? s.charts.filter(isStr) : [],
      fingerprint: isStr(s.fingerprint) ? s.fingerprint : null,
    };
  }
  const t = r.table as Record<string, unknown> | null | undefined;
  if (t && isStr(t.id)) {
    const cols = (t.columns ?? {}) as Record<string, unknown>;
    const table: NonNullable<OwnershipRecord["table"]> = { id: t.id, columns: {} };
    for (const key of Object.keys(OWNED_COLUMNS) as OwnedColumn[]) {
      const c = cols[key] as Record<string, unknown> | undefined;
      if (c && isInt(c.index) && isInt(c.fromEnd) && isStr(c.header))
        table.columns[key] = {
          index: c.index,
          fromEnd: c.fromEnd,
          header: c.header,
          ...(isStr(c.was) ? { was: c.was } : {}),
        };
    }
    out.table = table;
  }
  if (Array.isArray(r.staging)) out.staging = r.staging.filter(isStr);
  if (Array.isArray(r.retire)) out.retire = r.retire.filter(isStr);
  return out;
}

/** Excel's limit on sheet names. */
export const SHEET_NAME_MAX = 31;

/**
 * A free name beside a taken one: "Analysis (2)", "分析（2）" (full-width brackets in
 * Chinese), shortened to fit Excel's 31 characters. `taken` compares case-insensitively.
 */
export function clashName(
  base: string,
  lang: "zh" | "en",
  taken: (name: string) => boolean,
  max = SHEET_NAME_MAX,
): string {
  for (let n = 2; ; n++) {
    const suffix = lang === "zh" ? `（${n}）` : ` (${n})`;
    const name = base.slice(0, Math.max(1, max - suffix.length)) + suffix;
    if (!taken(name)) return name;
  }
}

/** Which owned sheet a name is in either language, case-insensitively. */
export function ownedSheetOfName(name: string): OwnedSheet | null {
  const lower = name.toLowerCase();
  for (const key of Object.keys(OWNED_SHEETS) as OwnedSheet[])
    if (
      OWNED_SHEETS[key].zh.toLowerCase() === lower ||
      OWNED_SHEETS[key].en.toLowerCase() === lower
    )
      return key;
  return null;
}

/** "Analysis (2)" / "分析（2）" is a variant of "Analysis" / "分析" (also when shortened). */
export function isVariantOf(name: string, base: string): boolean {
  if (name.toLowerCase() === base.toLowerCase()) return true;
  const m = /^(.*?)(?: \((\d+)\)|（(\d+)）)$/.exec(name);
  return !!m && m[1].length > 0 && base.toLowerCase().startsWith(m[1].toLowerCase());
}

/**
 * The add-in's result columns in a table (table index → key): at the recorded position from
 * the left, else from the right end (a column the user inserted before them), and only where
 * the header is still the one written there — or the one it had before, for a run that stopped
 * between recording a rename and making it.
 */
export function ownedColumns(
  record: OwnershipRecord,
  tableId: string,
  headers: readonly string[],
): Map<number, { key: OwnedColumn; rec: OwnedColumnRecord }> {
  const out = new Map<number, { key: OwnedColumn; rec: OwnedColumnRecord }>();
  if (!record.table || record.table.id !== tableId) return out;
  for (const [key, rec] of Object.entries(record.table.columns) as [
    OwnedColumn,
    OwnedColumnRecord,
  ][]) {
    const fits = (h: string) => h === rec.header || (rec.was !== undefined && h === rec.was);
    const at = [rec.index, headers.length - 1 - rec.fromEnd].find(
      (i) => i >= 0 && i < headers.length && !out.has(i) && fits(headers[i]),
    );
    if (at !== undefined) out.set(at, { key, rec });
  }
  return out;
}

/**
 * Largest owned sheet (in cells) whose values are fingerprinted to notice a user's edits: the
 * check reads the sheet back after the write and before the next one (in requests sized by
 * bytes, like every read).
 */
export const FINGERPRINT_CELLS = 50_000;

/** FNV-1a (32-bit) of the values' JSON: equal values, equal fingerprint. */
export function fingerprint(values: readonly (readonly unknown[])[]): string {
  const text = JSON.stringify(values);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${values.length}:${h.toString(16)}`;
}
