/**
 * CSV text for customers.csv and data-issues.csv: RFC 4180, safe to open in Excel.
 *
 * Decisions:
 * - UTF-8 with a byte-order mark. Excel (Windows, and above all with a Chinese locale, whose
 *   default code page is GBK) reads a UTF-8 CSV as UTF-8 only when it starts with a BOM;
 *   without it every Chinese name turns to mojibake. pandas (`read_csv`), DuckDB and Python's
 *   `encoding="utf-8-sig"` skip the BOM; plain `open(..., encoding="utf-8")` keeps it on the
 *   first header — pass `{ bom: false }` for consumers like that.
 * - Lines end in CRLF (RFC 4180); a field is quoted when it holds a comma, a quote, CR or LF,
 *   quotes doubled inside.
 * - Formula injection: a text cell starting with = + - @ tab or CR would be run as a formula by
 *   a spreadsheet, so it gets a leading apostrophe ('=1+1). Only text is neutralised: numbers
 *   are written as numbers, so a negative amount stays -12.5 and sums still work.
 * - Numbers unformatted (String(x)); NaN, ±Infinity and null become an empty field.
 */

export type CsvValue = string | number | null | undefined;

export interface CsvOptions {
  /** Start with a UTF-8 byte-order mark (default true). */
  bom?: boolean;
  /**
   * Neutralise formula-like text (default true). Turn off only for files this program reads
   * back itself (e.g. the stage-history store), where the apostrophe would become data.
   */
  neutralise?: boolean;
}

const BOM = "\uFEFF";
const DANGEROUS_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One field as CSV text: neutralised if it is dangerous text, quoted when it must be. */
export function csvField(v: CsvValue, neutralise = true): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isFinite(v) ? String(v === 0 ? 0 : v) : "";
  if (typeof v === "string" && neutralise) return csvText(v);
  let s = String(v);
  if (neutralise && DANGEROUS_START.test(s)) s = `'${s}`;
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * csvField of a text, neutralised: the first character is looked at without a pattern, and a
 * text needing quotes is searched for quotes to double only when it has one (a million stage
 * reasons, each with a comma).
 */
export function csvText(s: string): string {
  if (s === "") return s;
  const c = s.charCodeAt(0);
  // = + - @ tab CR: DANGEROUS_START
  if (c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13) s = "'" + s;
  if (!NEEDS_QUOTES.test(s)) return s;
  return s.indexOf('"') < 0 ? '"' + s + '"' : `"${s.replace(/"/g, '""')}"`;
}

/** One record with its CRLF, for writers that stream large files. */
export function csvLine(cells: readonly CsvValue[], neutralise = true): string {
  // concatenated in a loop: no array of fields per record (a million records a file)
  let line = cells.length ? csvField(cells[0], neutralise) : "";
  for (let i = 1; i < cells.length; i++) line += "," + csvField(cells[i], neutralise);
  return line + "\r\n";
}

/**
 * A whole CSV document. Each row is padded with empty fields to the header's width; a row
 * wider than the header is an error (it would shift columns for every reader).
 */
export function toCsv(
  header: readonly string[],
  rows: readonly (readonly CsvValue[])[],
  opts: CsvOptions = {},
): string {
  if (!Array.isArray(header) || header.length === 0)
    throw new TypeError("invalid CSV header: empty");
  const width = header.length;
  const safe = opts.neutralise !== false;
  const parts: string[] = [opts.bom === false ? "" : BOM, csvLine(header, safe)];
  rows.forEach((row, i) => {
    if (row.length > width)
      throw new RangeError(`CSV row ${i + 1} has ${row.length} fields for ${width} columns`);
    const full =
      row.length === width ? row : [...row, ...new Array<CsvValue>(width - row.length).fill(null)];
    parts.push(csvLine(full, safe));
  });
  return parts.join("");
}
