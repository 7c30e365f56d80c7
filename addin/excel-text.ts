/**
 * How Excel reads a string that is set as a cell's value when the cell's number format is
 * General, as if typed into the cell: number-like, date-like, time-like, boolean and
 * error-like strings become values, and a string that starts with "=", "+" or "-" becomes a
 * formula (Excel.Range.values in the Excel JavaScript API reference, @types/office-js: "If the
 * returned value starts with a plus, minus, or equal sign, Excel interprets this value as a
 * formula"; "Locale-shaped strings … are stored as text instead of as dates" — so what a
 * locale reads as a date becomes a date).
 * A leading apostrophe is Excel's quote prefix: the rest is kept as text and the apostrophe is
 * not part of the value. In a cell formatted as Text ("@") the string is kept as it is, except
 * that the reference names no exception to the formula rule, so "=", "+" and "-" still need the
 * quote prefix there.
 *
 * Shared by the in-memory workbook (which converts as Excel does) and the adapter (which
 * decides when a string needs the quote prefix). Parsing follows Excel in the en-US and
 * zh-CN locales; anything either of them would convert counts as converting.
 */

export type GeneralKind = "text" | "number" | "date" | "time" | "boolean" | "error" | "formula";

export interface GeneralRead {
  kind: GeneralKind;
  /** The stored value: a number (dates and times as serials), a boolean, the error text, or the text. */
  value: string | number | boolean;
}

/** Excel's error values (Microsoft Support, "How to correct a #… error"). */
export const EXCEL_ERRORS = new Set([
  "#N/A",
  "#REF!",
  "#VALUE!",
  "#DIV/0!",
  "#NAME?",
  "#NULL!",
  "#NUM!",
  "#SPILL!",
  "#CALC!",
  "#FIELD!",
  "#BLOCKED!",
  "#CONNECT!",
  "#BUSY!",
  "#UNKNOWN!",
  "#GETTING_DATA",
]);

const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

/** "jan", "january", "sept" → 0-based month; -1 when not a month name. */
function monthOf(word: string): number {
  const w = word.toLowerCase().replace(/\.$/, "");
  if (w.length < 3) return -1;
  return MONTHS.findIndex((m) => m.startsWith(w) && (w.length === 3 || m === w || w === "sept"));
}

/** Excel serial (1900 system) of a date; NaN when the date does not exist. */
function serial(y: number, m: number, d: number): number {
  const t = Date.UTC(y, m, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m || back.getUTCDate() !== d)
    return NaN;
  return Math.round(t / 86_400_000) + 25569;
}

const THIS_YEAR = 2024; // a fixed year keeps the fake deterministic; only the kind matters

function parseNumber(s: string): number | null {
  let t = s.trim();
  if (!t) return null;
  let negative = false;
  if (/^\(.*\)$/.test(t)) {
    negative = true;
    t = t.slice(1, -1).trim();
  }
  let pct = false;
  if (t.endsWith("%")) {
    pct = true;
    t = t.slice(0, -1).trim();
  }
  t = t.replace(/^([+-]?)\s*[$¥€£]\s*/, "$1");
  if (!/^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?$/.test(t) || !/\d/.test(t))
    return null;
  if (/^[+-]?[eE]/.test(t) || /^[+-]?\.?[eE]/.test(t)) return null;
  let n = Number(t.replace(/,/g, ""));
  if (!Number.isFinite(n)) return null;
  if (pct) n /= 100;
  return negative ? -n : n;
}

function parseTime(s: string): number | null {
  const m = /^(\d{1,2})(?::(\d{1,2}))?(?::(\d{1,2}(?:\.\d+)?))?\s*(am|pm|a|p)?$/i.exec(s.trim());
  if (!m) return null;
  if (m[2] === undefined && !m[4]) return null; // "12" alone is a number
  let h = Number(m[1]);
  const min = Number(m[2] ?? 0);
  const sec = Number(m[3] ?? 0);
  if (min > 59 || sec >= 60) return null;
  if (m[4]) {
    if (h > 12 || h === 0) return null;
    const pm = m[4].toLowerCase().startsWith("p");
    h = (h % 12) + (pm ? 12 : 0);
  } else if (h > 23) return null;
  return (h * 3600 + min * 60 + sec) / 86_400;
}

function parseDate(s: string): number | null {
  const t = s.trim().replace(/,/g, " ").replace(/\s+/g, " ");
  let m: RegExpExecArray | null;
  // 2024-01-05, 2024/1/5
  if ((m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(t)))
    return nan(serial(+m[1], +m[2] - 1, +m[3]));
  // 1/5/2024, 1-5-24 (month first, en-US)
  if ((m = /^(\d{1,2})[-/](\d{1,2})[-/](\d{2}|\d{4})$/.exec(t)))
    return nan(serial(year(m[3]), +m[1] - 1, +m[2]));
  // 1/2, 1-2 (month/day of this year); 1/2024 (month/year)
  if ((m = /^(\d{1,2})[-/](\d{1,4})$/.exec(t))) {
    const a = +m[1];
    const b = +m[2];
    if (m[2].length === 4) return nan(serial(b, a - 1, 1));
    return nan(serial(THIS_YEAR, a - 1, b));
  }
  // 2024年1月5日, 2024年1月, 1月5日
  if ((m = /^(?:(\d{4})年)?(\d{1,2})月(?:(\d{1,2})日)?$/.exec(t)) && (m[1] || m[3]))
    return nan(serial(m[1] ? +m[1] : THIS_YEAR, +m[2] - 1, m[3] ? +m[3] : 1));
  // words: "Jan 5", "5-Jan", "March 2024", "5 Jan 2024", "Jan 5 2024", "Jan-24"
  const parts = t.split(/[\s-/]+/).filter(Boolean);
  if (parts.length < 2 || parts.length > 3) return null;
  const mi = parts.findIndex((p) => monthOf(p) >= 0);
  if (mi < 0) return null;
  const month = monthOf(parts[mi]);
  const nums = parts.filter((_, i) => i !== mi);
  if (!nums.every((p) => /^\d{1,4}$/.test(p))) return null;
  if (nums.length === 1) {
    const n = nums[0];
    if (n.length === 4) return nan(serial(+n, month, 1)); // March 2024
    if (+n >= 1 && +n <= 31) return nan(serial(THIS_YEAR, month, +n)); // Jan 5, 5-Jan
    return nan(serial(year(n), month, 1)); // Jan-75
  }
  const [a, b] = nums;
  const day = a.length <= 2 ? +a : +b;
  const yr = a.length <= 2 ? b : a;
  return nan(serial(year(yr), month, day));
}

const nan = (n: number): number | null => (Number.isFinite(n) ? n : null);
const year = (y: string): number => (y.length === 4 ? +y : +y < 30 ? 2000 + +y : 1900 + +y);

/** What Excel stores when `s` is set as the value of a General-formatted cell. */
export function generalRead(s: string): GeneralRead {
  if (s === "") return { kind: "text", value: "" };
  if (s.startsWith("'")) return { kind: "text", value: s.slice(1) };
  if (s.startsWith("=") && s.length > 1) return { kind: "formula", value: s };
  const t = s.trim();
  const upper = t.toUpperCase();
  if (upper === "TRUE" || upper === "FALSE") return { kind: "boolean", value: upper === "TRUE" };
  if (EXCEL_ERRORS.has(upper)) return { kind: "error", value: upper };
  const n = parseNumber(t);
  if (n !== null) return { kind: "number", value: n };
  const tm = parseTime(t);
  if (tm !== null) return { kind: "time", value: tm };
  const d = parseDate(t);
  if (d !== null) return { kind: "date", value: d };
  // date and time together: "1/5/2024 12:30 PM"
  const sp = /^(.*\d)\s+(\d{1,2}:\d{2}(?::\d{2})?\s*(?:am|pm)?)$/i.exec(t);
  if (sp) {
    const dd = parseDate(sp[1]);
    const tt = parseTime(sp[2]);
    if (dd !== null && tt !== null) return { kind: "date", value: dd + tt };
  }
  // Excel takes "+x" and "-x" as a formula too (Range.values reference).
  if ((s.startsWith("+") || s.startsWith("-")) && s.length > 1)
    return { kind: "formula", value: s };
  return { kind: "text", value: s };
}

/** Would Excel store this string as something other than the same text in a General cell? */
export function convertsInGeneral(s: string): boolean {
  const r = generalRead(s);
  return r.kind !== "text" || r.value !== s;
}
